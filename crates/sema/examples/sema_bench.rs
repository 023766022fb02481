//! Times project loading (read + parse, parallel) and semantic analysis of
//! a path, and counts what the model resolved. A benchmark helper, not a
//! test: `cargo run --release -p bulwark-sema --example sema_bench -- <path> [runs] [load]`.
//! With `load` the analysis is skipped, so that an instruction count of
//! the whole process (callgrind) can be split into loading and analysis.

use std::path::PathBuf;
use std::time::Instant;

/// The allocator of the `bulwark` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: sema_bench <path> [runs] [load]");
        std::process::exit(2);
    };
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let load_only = std::env::args().nth(3).as_deref() == Some("load");
    let opts = bulwark_sema::LoadOptions::default();
    let mut best = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..runs {
        let t0 = Instant::now();
        let project = match bulwark_sema::load_project(&[PathBuf::from(&path)], &opts) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        };
        let t1 = Instant::now();
        if load_only {
            let load = (t1 - t0).as_secs_f64() * 1e3;
            best.0 = best.0.min(load);
            eprintln!("{} files: load {load:.1} ms", project.files.len());
            continue;
        }
        let model = bulwark_sema::analyze(&project);
        let t2 = Instant::now();
        let load = (t1 - t0).as_secs_f64() * 1e3;
        let sema = (t2 - t1).as_secs_f64() * 1e3;
        if load + sema < best.2 {
            best = (load, sema, load + sema);
        }
        let resolved: usize = project
            .files
            .iter()
            .map(|f| model.resolutions(f.id).count())
            .sum();
        let typed: usize = project
            .files
            .iter()
            .map(|f| model.typed_nodes(f.id).count())
            .sum();
        let nodes: u64 = project
            .files
            .iter()
            .map(|f| u64::from(f.parsed.unit.node_count))
            .sum();
        eprintln!(
            "{} files ({} deps), {nodes} AST nodes, {} contracts, {} functions, {} resolved names, {} typed expressions: load {load:.1} ms, sema {sema:.1} ms",
            project.files.len(),
            project.files.iter().filter(|f| f.is_dependency).count(),
            model.contracts().len(),
            model.functions().len(),
            resolved,
            typed
        );
    }
    if load_only {
        println!("best of {runs}: load {:.1} ms", best.0);
        return;
    }
    println!(
        "best of {runs}: load {:.1} ms + sema {:.1} ms = {:.1} ms",
        best.0, best.1, best.2
    );
}
