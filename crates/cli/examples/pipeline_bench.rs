//! Times the analysis front half as the `bulwark` binary runs it (same
//! global allocator): load (read + parse in parallel + imports), sema, and
//! the whole IR (`ProjectIr::build_all`: CFGs and facts, call graph,
//! read/write sets, taint). A benchmark, not a test:
//!
//! `cargo run --release -p bulwark-cli --example pipeline_bench -- <path> [runs]`
//!
//! Prints every run, then the best and the median of the totals.

use std::path::PathBuf;
use std::time::Instant;

use bulwark_ir::ProjectIr;
use bulwark_sema::{analyze, load_project, LoadOptions};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: pipeline_bench <path> [runs]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
    let mut totals = Vec::new();
    for run in 0..runs {
        let t0 = Instant::now();
        let project = match load_project(&[PathBuf::from(&path)], &LoadOptions::default()) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        };
        let t1 = Instant::now();
        let model = analyze(&project);
        let t2 = Instant::now();
        let ir = ProjectIr::new(&model);
        ir.build_all();
        let t3 = Instant::now();
        let nodes: usize = ir.functions().map(|f| f.cfg.len()).sum();
        println!(
            "run {run}: load {:.1} ms, sema {:.1} ms, ir {:.1} ms; total {:.1} ms ({} files, {} functions, {nodes} CFG nodes)",
            ms(t0, t1),
            ms(t1, t2),
            ms(t2, t3),
            ms(t0, t3),
            project.files.len(),
            model.functions().len(),
        );
        totals.push(ms(t0, t3));
    }
    totals.sort_by(f64::total_cmp);
    if let (Some(best), Some(median)) = (totals.first(), totals.get(totals.len() / 2)) {
        println!("load + sema + IR over {runs} runs: best {best:.1} ms, median {median:.1} ms");
    }
}
