//! Times load + sema + IR of a project (benchmark, not a test).
//!
//! `cargo run -p bulwark-ir --release --example ir_bench -- <path> [runs]`
//!
//! Prints, per run, the wall time of each phase and the total, then the
//! best run. "IR" is `ProjectIr::build_all` (every CFG and fact table in
//! parallel, call graph, read/write sets, taint); "guards" adds the guard
//! analysis of every function, which detectors trigger on demand.

use std::path::PathBuf;
use std::time::Instant;

use bulwark_ir::ProjectIr;
use bulwark_sema::{analyze, load_project, LoadOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: ir_bench <path> [runs]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut best: Option<[f64; 5]> = None;
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
        // For profiling: rebuild the IR this many extra times.
        let repeat: usize = std::env::var("IR_BENCH_REPEAT")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(0);
        for _ in 0..repeat {
            let ir = ProjectIr::new(&model);
            ir.build_all();
        }
        let ir = ProjectIr::new(&model);
        let p0 = Instant::now();
        ir.build_functions();
        let p1 = Instant::now();
        ir.call_graph();
        let p2 = Instant::now();
        ir.access();
        let p3 = Instant::now();
        ir.taint();
        let p4 = Instant::now();
        ir.build_all();
        let t3 = Instant::now();
        eprintln!(
            "  ir phases: functions {:.1} ms, call graph {:.1} ms, access {:.1} ms, taint {:.1} ms",
            (p1 - p0).as_secs_f64() * 1000.0,
            (p2 - p1).as_secs_f64() * 1000.0,
            (p3 - p2).as_secs_f64() * 1000.0,
            (p4 - p3).as_secs_f64() * 1000.0
        );
        let mut restricted = 0;
        for f in model.functions() {
            if ir.guards().of(&ir, f.decl).sender_restricted {
                restricted += 1;
            }
        }
        let t4 = Instant::now();
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1000.0;
        let times = [ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t0, t3)];
        let nodes: usize = ir.functions().map(|f| f.cfg.len()).sum();
        println!(
            "run {run}: load {:.1} ms, sema {:.1} ms, ir {:.1} ms, guards {:.1} ms; load+sema+ir {:.1} ms ({} files, {} functions, {} CFG nodes, {} sender-restricted)",
            times[0],
            times[1],
            times[2],
            times[3],
            times[4],
            project.files.len(),
            model.functions().len(),
            nodes,
            restricted
        );
        if best.is_none_or(|b| times[4] < b[4]) {
            best = Some(times);
        }
    }
    if let Some(b) = best {
        println!(
            "best: load {:.1} ms, sema {:.1} ms, ir {:.1} ms, guards {:.1} ms; load+sema+ir {:.1} ms",
            b[0], b[1], b[2], b[3], b[4]
        );
    }
}
