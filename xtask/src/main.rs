//! `cargo xtask <command>`: benchmark and validation commands for Bulwark's
//! developers (not part of the `bulwark` binary).

mod difftest_corpus;
mod smartbugs;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Bulwark's benchmark and validation commands"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score `bulwark audit` on a labelled dataset (SmartBugs curated
    /// layout): per-category recall, total recall, findings that hit no label.
    BenchSmartbugs(smartbugs::Args),
    /// Score `bulwark audit` on the held-out set (`benchmarks/holdout`,
    /// labels.json with issue 4's groups): recall per group, labels missed,
    /// medium-or-higher findings that hit no label.
    BenchHoldout(smartbugs::holdout::Args),
    /// Compare Bulwark's resolution and types with solc's AST (via solc-js)
    /// on every .sol file of a directory.
    DifftestCorpus(difftest_corpus::Args),
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace root")
        .to_path_buf()
}

fn main() {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::BenchSmartbugs(args) => smartbugs::run(args, &root),
        Command::BenchHoldout(args) => smartbugs::holdout::run(args, &root),
        Command::DifftestCorpus(args) => difftest_corpus::run(args, &root),
    };
    if let Err(message) = result {
        eprintln!("error: {message}");
        std::process::exit(2);
    }
}
