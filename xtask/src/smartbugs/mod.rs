//! `cargo xtask bench-smartbugs`: Bulwark's recall on a labelled dataset
//! (SmartBugs curated layout: `vulnerabilities.json` plus the contracts).

pub mod dataset;
pub mod findings;
pub mod holdout;
pub mod runner;
pub mod score;

use std::fmt::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use dataset::{read_file_list, Dataset, ICSE_SUBSET_FILE};
use runner::Runner;
use score::{score_file, summarize, FileOutcome, Summary};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The dataset directory (holding vulnerabilities.json).
    pub dataset: PathBuf,
    /// Only run the files listed in this file (one path per line, as in
    /// ICSE2020_curated_69.txt). Without it every labelled file is run and,
    /// if the dataset has ICSE2020_curated_69.txt, that subset is scored
    /// separately too.
    #[arg(long)]
    pub subset: Option<PathBuf>,
    /// The bulwark binary [default: target/release/bulwark, else
    /// target/debug/bulwark].
    #[arg(long)]
    pub bulwark: Option<PathBuf>,
    /// Files analysed at the same time.
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Seconds before one run is killed and counted as an error.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
}

pub fn run(args: Args, workspace_root: &std::path::Path) -> Result<(), String> {
    let dataset = Dataset::load(&args.dataset)?;
    let bulwark = match args.bulwark {
        Some(path) => path,
        None => runner::default_bulwark(workspace_root).ok_or(
            "no bulwark binary in target/release or target/debug: run `cargo build --release -p bulwark-cli` or pass --bulwark <path>",
        )?,
    };
    let bulwark =
        std::fs::canonicalize(&bulwark).map_err(|e| format!("{}: {e}", bulwark.display()))?;
    let selection = match &args.subset {
        Some(list) => Some(read_file_list(list, &dataset)?),
        None => None,
    };
    let files: Vec<&dataset::LabelledFile> = dataset
        .files
        .iter()
        .filter(|f| selection.as_ref().is_none_or(|s| s.contains(&f.path)))
        .collect();
    let runner = Runner {
        bulwark: bulwark.clone(),
        dataset_root: dataset.root.clone(),
        jobs: args.jobs,
        timeout: Duration::from_secs(args.timeout),
    };
    let started = Instant::now();
    let outcomes = score_all(&runner, &files);
    let elapsed = started.elapsed();

    let title = match &args.subset {
        Some(list) => format!("files listed in {}", list.display()),
        None => "all labelled files".to_string(),
    };
    println!(
        "bulwark: {}\ndataset: {} ({} files run in {:.1} s, {} jobs)\n",
        bulwark.display(),
        dataset.root.display(),
        files.len(),
        elapsed.as_secs_f64(),
        args.jobs
    );
    print!("{}", render(&title, &summarize(&outcomes)));
    if args.subset.is_none() {
        let icse_list = dataset.root.join(ICSE_SUBSET_FILE);
        if icse_list.is_file() {
            let icse = read_file_list(&icse_list, &dataset)?;
            let subset: Vec<FileOutcome<'_>> = outcomes
                .iter()
                .filter(|(file, _)| icse.contains(&file.path))
                .cloned()
                .collect();
            println!();
            print!(
                "{}",
                render(
                    &format!("ICSE 2020 subset ({ICSE_SUBSET_FILE})"),
                    &summarize(&subset)
                )
            );
        }
    }
    Ok(())
}

/// Run and score every file.
fn score_all<'d>(runner: &Runner, files: &[&'d dataset::LabelledFile]) -> Vec<FileOutcome<'d>> {
    let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let results = runner.run_all(&paths);
    files
        .iter()
        .zip(results)
        .map(|(file, result)| {
            let score = result.map(|out| {
                let mut score = score_file(file, &out.findings);
                score.reported_errors = out.errors.len();
                score
            });
            (*file, score)
        })
        .collect()
}

/// The report for one set of files.
pub fn render(title: &str, summary: &Summary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "== {title}: {} files", summary.files);
    let _ = writeln!(
        out,
        "{:<28} {:>6} {:>6} {:>7}",
        "category", "labels", "found", "recall"
    );
    for (category, recall) in &summary.per_category {
        let _ = writeln!(
            out,
            "{category:<28} {:>6} {:>6} {:>6.1}%",
            recall.labels,
            recall.found,
            recall.percent()
        );
    }
    let _ = writeln!(
        out,
        "{:<28} {:>6} {:>6} {:>6.1}%",
        "total",
        summary.total.labels,
        summary.total.found,
        summary.total.percent()
    );
    let _ = writeln!(
        out,
        "findings: {} total, {} found a label, {} hit no label",
        summary.findings,
        summary.findings - summary.noise,
        summary.noise
    );
    if !summary.noise_by_detector.is_empty() {
        let by_detector: Vec<String> = summary
            .noise_by_detector
            .iter()
            .map(|(detector, n)| format!("{detector} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "  no-label findings by detector: {}",
            by_detector.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "errors: {} of {} runs failed",
        summary.errors.len(),
        summary.files
    );
    // One line per distinct reason, so that a systematic failure does not
    // bury the rest of the report.
    let mut by_reason: Vec<(&str, Vec<&str>)> = Vec::new();
    for (path, reason) in &summary.errors {
        match by_reason.iter_mut().find(|(r, _)| *r == reason.as_str()) {
            Some((_, paths)) => paths.push(path),
            None => by_reason.push((reason, vec![path])),
        }
    }
    for (reason, paths) in &by_reason {
        let shown: Vec<&str> = paths.iter().take(3).copied().collect();
        let more = if paths.len() > 3 {
            format!(" and {} more", paths.len() - 3)
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {}{more}: {reason}", shown.join(", "));
    }
    if !summary.files_with_reported_errors.is_empty() {
        let _ = writeln!(
            out,
            "reports listing analysis errors: {} files",
            summary.files_with_reported_errors.len()
        );
        for (path, count) in &summary.files_with_reported_errors {
            let _ = writeln!(out, "  {path}: {count}");
        }
    }
    let noisy: usize = summary.noisy_files.iter().map(|(_, n)| n).sum();
    let _ = writeln!(
        out,
        "unmatched medium-or-higher findings: {noisy} in {} files",
        summary.noisy_files.len()
    );
    for (path, count) in &summary.noisy_files {
        let _ = writeln!(out, "  {path}: {count}");
    }
    out
}

#[cfg(test)]
mod tests;
