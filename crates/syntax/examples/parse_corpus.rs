//! Parser throughput benchmark and corpus check.
//!
//! `cargo run --release -p bulwark-syntax --example parse_corpus -- [-n N] [-v] <dir|file>...`
//! collects every `.sol` file, parses them all N times (default 20) and
//! prints the throughput in MB/s; with `-v`, also prints each file's syntax
//! diagnostics (one pass); with `--concat`, also times parsing all files
//! concatenated into one source.

use std::path::{Path, PathBuf};
use std::time::Instant;

/// The allocator of the `bulwark` binary, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// CPU time (user + system) of this process in seconds, from
/// `/proc/self/stat` (Linux; clock ticks assumed to be 100 Hz). On a shared
/// machine this is steadier than wall time; `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for entry in entries {
            collect(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "sol") {
        out.push(path.to_path_buf());
    }
}

fn main() {
    let mut iterations = 20usize;
    let mut verbose = false;
    let mut concat = false;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-n" => iterations = args.next().and_then(|n| n.parse().ok()).unwrap_or(20),
            "-v" => verbose = true,
            "--concat" => concat = true,
            path => collect(Path::new(path), &mut files),
        }
    }
    let sources: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p, String::from_utf8_lossy(&bytes).into_owned()))
        })
        .collect();
    let total_bytes: usize = sources.iter().map(|(_, s)| s.len()).sum();

    let mut errors = 0usize;
    for (path, source) in &sources {
        let parsed = bulwark_syntax::parse(source);
        for diag in parsed.diagnostics.iter().filter(|d| d.is_error()) {
            errors += 1;
            if verbose {
                let index = bulwark_syntax::LineIndex::new(source);
                let pos = index.line_col(source, diag.span.start as usize);
                println!(
                    "{}:{}:{}: {}",
                    path.display(),
                    pos.line,
                    pos.col,
                    diag.message
                );
            }
        }
    }

    let started = Instant::now();
    let cpu_started = cpu_seconds();
    let mut nodes = 0u64;
    for _ in 0..iterations {
        for (_, source) in &sources {
            nodes += u64::from(bulwark_syntax::parse(source).unit.node_count);
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_started.zip(cpu_seconds()).map(|(a, b)| b - a);
    let mb = (total_bytes * iterations) as f64 / 1e6;
    println!(
        "{} files, {:.2} MB, {} syntax errors; {} passes in {:.3} s wall: {:.1} MB/s wall, {} ({} nodes/pass)",
        sources.len(),
        total_bytes as f64 / 1e6,
        errors,
        iterations,
        secs,
        mb / secs,
        cpu.map_or("cpu time n/a".to_string(), |c| format!("{:.1} MB/s of CPU time", mb / c)),
        nodes / iterations.max(1) as u64
    );

    if concat {
        let joined: String = sources
            .iter()
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let started = Instant::now();
        let cpu_started = cpu_seconds();
        let mut errors = 0;
        for _ in 0..iterations {
            errors = bulwark_syntax::parse(&joined).diagnostics.len();
        }
        let secs = started.elapsed().as_secs_f64();
        let cpu = cpu_started.zip(cpu_seconds()).map(|(a, b)| b - a);
        let mb = (joined.len() * iterations) as f64 / 1e6;
        println!(
            "concatenated: {:.2} MB in one source, {} diagnostics; {} passes in {:.3} s: {:.1} MB/s wall, {}",
            joined.len() as f64 / 1e6,
            errors,
            iterations,
            secs,
            mb / secs,
            cpu.map_or("cpu time n/a".to_string(), |c| format!("{:.1} MB/s of CPU time", mb / c)),
        );
    }
}
