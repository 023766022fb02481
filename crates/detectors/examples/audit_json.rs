//! A stand-in for `bulwark audit --format json` while the CLI is wired:
//! loads the given paths, runs every implemented detector and prints the
//! findings as a JSON report (the guide's shape). It accepts the CLI's
//! argument form (`audit --format json PATH...`) so that benchmark
//! harnesses can point `--bulwark` at it; other flags are ignored.
//!
//! ```sh
//! cargo run --release -p bulwark-detectors --example audit_json -- audit --format json contracts/
//! ```

use std::path::PathBuf;
use std::time::Instant;

use bulwark_detectors::{audit_project, in_dependency, Selection};
use bulwark_sema::{load_project, LoadOptions};

fn main() {
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1).peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "audit" => {}
            "--format" | "--output" | "--fail-on" => {
                args.next();
            }
            a if a.starts_with("--") => {}
            a => paths.push(PathBuf::from(a)),
        }
    }
    let started = Instant::now();
    let project = match load_project(&paths, &LoadOptions::default()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let findings: Vec<_> = audit_project(&project, &Selection::all())
        .into_iter()
        .filter(|f| !in_dependency(&project, f))
        .collect();
    let errors: Vec<String> = project
        .files
        .iter()
        .flat_map(|f| {
            f.parsed
                .diagnostics
                .iter()
                .map(move |d| format!("{}: {d:?}", f.rel_path))
        })
        .collect();
    let report = serde_json::json!({
        "schema_version": "1.0",
        "tool": { "name": "bulwark-detectors/audit_json", "version": env!("CARGO_PKG_VERSION") },
        "files_analysed": project.files.len(),
        "errors": errors,
        "findings": findings,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("serialisable")
    );
    eprintln!(
        "{} findings in {:.3} s",
        findings.len(),
        started.elapsed().as_secs_f64()
    );
}
