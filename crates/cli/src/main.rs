//! The `bulwark` binary: argument parsing and dispatch only. Each subcommand
//! lives in its own module under `cmd/` and returns the process exit code.
//!
//! Exit codes (shared by every subcommand):
//! - 0: success, nothing at or above the failure threshold;
//! - 1: findings / syntax errors / failed properties at or above the threshold;
//! - 2: usage or input errors (bad flags, missing paths, bad config).

mod cmd;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: the frontend builds trees of
/// many small nodes (boxed expressions, identifiers, vectors) and frees
/// them per file; with glibc's malloc about 30% of parse time went to
/// allocation, and multi-threaded phases (parallel parsing, IR) contended
/// on its arenas. Measured in `docs/BENCHMARKS.md` ("Parser").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "bulwark",
    version,
    about = "Bulwark: automated smart-contract auditor for Solidity 0.4-0.8",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Static analysis of a project: findings in terminal, JSON, SARIF, Markdown or HTML.
    Audit(cmd::audit::AuditArgs),
    /// List the detectors (id, severity, confidence, status, title).
    Detectors(cmd::detectors::DetectorsArgs),
    /// Print the documentation of one detector.
    Explain(cmd::detectors::ExplainArgs),
    /// Parse files and report syntax diagnostics (exit 1 on any syntax error).
    Parse(cmd::parse::ParseArgs),
    /// Architecture printers: inheritance, call graph, function summary, storage layout.
    Print(cmd::print::PrintArgs),
    /// Property / invariant / assertion fuzzing on an in-process EVM.
    Fuzz(cmd::fuzz::FuzzArgs),
    /// Manage the solc compilers used by `bulwark fuzz` (list, install).
    Compilers(cmd::compilers::CompilersArgs),
    /// Run the audit service: HTTP API, web workspace and audit job runners.
    Serve(cmd::serve::ServeArgs),
    /// Run audit job runners that share the service's PostgreSQL queue.
    Worker(cmd::worker::WorkerArgs),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Audit(args) => cmd::audit::run(args),
        Command::Detectors(args) => cmd::detectors::run_list(args),
        Command::Explain(args) => cmd::detectors::run_explain(args),
        Command::Parse(args) => cmd::parse::run(args),
        Command::Print(args) => cmd::print::run(args),
        Command::Fuzz(args) => cmd::fuzz::run(args),
        Command::Compilers(args) => cmd::compilers::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Worker(args) => cmd::worker::run(args),
    };
    std::process::exit(code);
}
