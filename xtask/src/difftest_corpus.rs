//! `cargo xtask difftest-corpus <dir>`: the differential comparison of
//! `crates/difftest` on any directory of Solidity files.

use std::path::{Path, PathBuf};
use std::time::Instant;

use bulwark_difftest::bulwark::{bulwark_facts, BulwarkFactsError};
use bulwark_difftest::facts::Facts;
use bulwark_difftest::pragma::Version;
use bulwark_difftest::report::render;
use bulwark_difftest::{compare, solc_facts, Project, SolcJs, Thresholds};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project root; every .sol file below it is compared (source unit
    /// names are relative to it).
    pub dir: PathBuf,
    /// A remapping `prefix=target` (repeatable). `<dir>/remappings.txt` is
    /// read too when it exists.
    #[arg(long = "remap")]
    pub remappings: Vec<String>,
    /// A further directory to look up imports in (repeatable).
    #[arg(long = "include-path")]
    pub include_paths: Vec<PathBuf>,
    /// Skip files whose path contains this text (repeatable), e.g. `mocks/`.
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Compile every file whose pragma allows it with this installed solc
    /// version (the project's compiler); others get the highest allowed.
    #[arg(long)]
    pub solc: Option<String>,
    /// Compiler processes at the same time.
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Mismatch lines shown per list.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

pub fn run(args: Args, workspace_root: &Path) -> Result<(), String> {
    let solcjs = SolcJs::in_workspace(workspace_root).map_err(|e| e.to_string())?;
    let project = project(&args, &solcjs)?;
    println!(
        "{}: {} files, {} remappings",
        project.root.display(),
        project.files.len(),
        project.remappings.len()
    );

    let started = Instant::now();
    let run = solc_facts(&solcjs, &project, args.jobs).map_err(|e| e.to_string())?;
    let solc_time = started.elapsed();
    println!(
        "solc-js: {} of {} files compiled in {:.1} s ({})",
        run.compiled.len(),
        project.files.len(),
        solc_time.as_secs_f64(),
        versions_used(&run.compiled)
    );
    print_failures(&run.failures, args.limit);
    print_fact_counts("solc", &run.facts);

    match bulwark_facts(&project) {
        Ok(mut ours) => {
            // Files solc could not compile have no reference to compare with.
            ours.contracts
                .retain(|c| run.compiled.contains_key(&c.file));
            ours.file_items
                .retain(|i| run.compiled.contains_key(&i.file));
            ours.references
                .retain(|r| run.compiled.contains_key(&r.at.file));
            ours.expression_types
                .retain(|t| run.compiled.contains_key(&t.at.file));
            print_fact_counts("bulwark", &ours);
            let comparison = compare(&run.facts, &ours);
            println!();
            print!("{}", render(&comparison, &run.sources, args.limit));
            let failures = comparison.failures(&Thresholds::default());
            if failures.is_empty() {
                println!("\nall thresholds met");
            } else {
                println!("\nthresholds not met:\n  {}", failures.join("\n  "));
            }
        }
        Err(BulwarkFactsError::NotWired) => {
            println!("\nbulwark side: {}", BulwarkFactsError::NotWired);
        }
        Err(e) => return Err(e.to_string()),
    }
    Ok(())
}

fn project(args: &Args, solcjs: &SolcJs) -> Result<Project, String> {
    let root =
        std::fs::canonicalize(&args.dir).map_err(|e| format!("{}: {e}", args.dir.display()))?;
    let mut project = Project::from_dir(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    project.files.retain(|f| {
        !args
            .exclude
            .iter()
            .any(|pattern| f.contains(pattern.as_str()))
    });
    let remappings_file = root.join("remappings.txt");
    if remappings_file.is_file() {
        let text = std::fs::read_to_string(&remappings_file)
            .map_err(|e| format!("{}: {e}", remappings_file.display()))?;
        project.remappings.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from),
        );
    }
    project.remappings.extend(args.remappings.iter().cloned());
    project.include_paths = args.include_paths.clone();
    if let Some(text) = &args.solc {
        let version =
            Version::parse(text).ok_or_else(|| format!("--solc {text}: not a version"))?;
        if !solcjs.versions().contains(&version) {
            let installed: Vec<String> = solcjs.versions().iter().map(Version::to_string).collect();
            return Err(format!(
                "--solc {version} is not installed (installed: {}); add it to tools/solcjs/package.json",
                installed.join(", ")
            ));
        }
        project.preferred_version = Some(version);
    }
    Ok(project)
}

fn versions_used(compiled: &std::collections::BTreeMap<String, Version>) -> String {
    let mut counts: std::collections::BTreeMap<Version, usize> = Default::default();
    for version in compiled.values() {
        *counts.entry(*version).or_default() += 1;
    }
    counts
        .iter()
        .map(|(v, n)| format!("{n} with {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_failures(failures: &[bulwark_difftest::project::CompileFailure], limit: usize) {
    if failures.is_empty() {
        return;
    }
    println!("not compiled ({}):", failures.len());
    for failure in failures.iter().take(limit) {
        let version = failure
            .version
            .map_or("no compiler".to_string(), |v| format!("solc {v}"));
        let first = failure
            .messages
            .first()
            .and_then(|m| m.lines().next())
            .unwrap_or("(no message)");
        println!("  {} ({version}): {first}", failure.files.join(", "));
    }
    if failures.len() > limit {
        println!("  … {} more", failures.len() - limit);
    }
}

fn print_fact_counts(side: &str, facts: &Facts) {
    let items: usize =
        facts.contracts.iter().map(|c| c.items.len()).sum::<usize>() + facts.file_items.len();
    println!(
        "{side} facts: {} contracts, {items} members and file-level items, {} references, {} typed expressions",
        facts.contracts.len(),
        facts.references.len(),
        facts.expression_types.len()
    );
}
