//! `bulwark fuzz`: property, assertion and invariant fuzzing of a harness
//! on an in-process EVM. Argument handling and output only; the engine is
//! `bulwark-fuzz`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bulwark_fuzz::campaign::{CampaignConfig, CampaignResult, Snapshot};
use bulwark_fuzz::compiler::CompilerManager;
use bulwark_fuzz::harness::Mode;
use bulwark_fuzz::{findings, prepare, FailureView, FuzzError, FuzzOptions, Session};
use bulwark_report::{
    assign_fingerprints, render, AuditReport, FileInfo, OutputFormat, RenderOptions, ToolInfo,
};
use clap::Args;

#[derive(Args)]
#[command(
    about = "Property / invariant / assertion fuzzing on an in-process EVM",
    long_about = "Compiles the harness (native solc when it fits the pragmas, else solc-js \
                  installed from npm into ~/.cache/bulwark), deploys it on an in-process EVM and \
                  runs coverage-guided call sequences from several senders until every property \
                  has failed or the budget is spent.\n\n\
                  Harnesses: Echidna/Medusa boolean properties (`echidna_*`, see --prefix), \
                  Foundry invariant contracts (`setUp()` + `invariant_*`; every contract deployed \
                  in setUp() is called unless targetContracts()/targetSelectors() narrow it), and \
                  assertion mode (`assert` failures and `AssertionFailed` events; always checked).\n\n\
                  Each failure is shrunk to the fewest, simplest calls, reported as a finding \
                  (severity high) and, with --poc-dir, written as a Foundry test that replays it.\n\n\
                  Exit status: 0 when every property held, 1 when something failed, 2 on usage or \
                  compilation errors.\n\n\
                  Example: bulwark fuzz examples/fuzz --time 30s --poc-dir poc/"
)]
pub struct FuzzArgs {
    /// A Solidity file or a project directory (with foundry.toml, if any).
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// The harness contract (needed when several contracts qualify, and for assertion mode).
    #[arg(long, value_name = "NAME")]
    pub contract: Option<String>,
    /// Prefix of boolean property functions.
    #[arg(long, default_value = "echidna_")]
    pub prefix: String,
    /// Harness mode; `auto` picks invariant, property or assertion from the functions found.
    #[arg(long, default_value = "auto", value_parser = ["auto", "property", "assertion", "invariant"])]
    pub mode: String,
    /// Parallel workers (default: every core).
    #[arg(long)]
    pub workers: Option<usize>,
    /// Seed for a reproducible campaign (default: derived from the clock and printed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Time budget, e.g. `90s`, `5m`, `1h` (default 60s unless --runs is given).
    #[arg(long, value_name = "DURATION")]
    pub time: Option<String>,
    /// Budget in call sequences (Foundry's `runs`).
    #[arg(long)]
    pub runs: Option<u64>,
    /// Maximum calls per sequence (Foundry's `depth`).
    #[arg(long, default_value_t = 50)]
    pub seq_len: usize,
    /// Keep the corpus of interesting sequences here and reuse it next time.
    #[arg(long, value_name = "DIR")]
    pub corpus_dir: Option<PathBuf>,
    /// Write one Foundry test per failure into this directory.
    #[arg(long, value_name = "DIR")]
    pub poc_dir: Option<PathBuf>,
    /// Sender accounts (repeatable; default 0x10000, 0x20000, 0x30000).
    #[arg(long = "sender", value_name = "ADDRESS")]
    pub senders: Vec<String>,
    /// Output format: terminal, json, sarif, markdown or html.
    #[arg(long, default_value = "terminal")]
    pub format: String,
    /// Write the report to a file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replays allowed to shrink each failure.
    #[arg(long, default_value_t = bulwark_fuzz::shrink::DEFAULT_SHRINK_BUDGET)]
    pub shrink_limit: usize,
    /// Never print the live status line.
    #[arg(long)]
    pub quiet: bool,
}

/// `90`, `90s`, `5m`, `1h`, `1h30m`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let mut total = 0u64;
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: u64 = number
            .parse()
            .map_err(|_| format!("bad duration `{text}`"))?;
        number.clear();
        total += match c {
            's' => n,
            'm' => n * 60,
            'h' => n * 3600,
            _ => return Err(format!("bad duration `{text}` (use e.g. 90s, 5m, 1h)")),
        };
    }
    if !number.is_empty() {
        total += number
            .parse::<u64>()
            .map_err(|_| format!("bad duration `{text}`"))?;
    }
    if total == 0 {
        return Err(format!("duration `{text}` must be positive"));
    }
    Ok(Duration::from_secs(total))
}

fn options(args: &FuzzArgs) -> Result<FuzzOptions, String> {
    let mut opts = FuzzOptions::new(&args.path);
    opts.harness.contract = args.contract.clone();
    opts.harness.prefix = args.prefix.clone();
    opts.harness.mode = match args.mode.as_str() {
        "property" => Some(Mode::Property),
        "assertion" => Some(Mode::Assertion),
        "invariant" => Some(Mode::Invariant),
        _ => None,
    };
    if !args.senders.is_empty() {
        opts.senders = args
            .senders
            .iter()
            .map(|s| {
                s.parse()
                    .map_err(|_| format!("--sender `{s}` is not an address"))
            })
            .collect::<Result<_, _>>()?;
    }
    let time_limit = match (&args.time, args.runs) {
        (Some(t), _) => Some(parse_duration(t)?),
        (None, Some(_)) => None,
        (None, None) => Some(Duration::from_secs(60)),
    };
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if workers == 0 {
        return Err("--workers must be at least 1".into());
    }
    if args.seq_len == 0 {
        return Err("--seq-len must be at least 1".into());
    }
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    opts.campaign = CampaignConfig {
        workers,
        seed,
        time_limit,
        runs: args.runs,
        seq_len: args.seq_len,
        corpus_dir: args.corpus_dir.clone(),
        shrink_budget: args.shrink_limit,
        shrink_time: Duration::from_secs(30),
    };
    opts.poc_dir = args.poc_dir.clone();
    Ok(opts)
}

pub fn run(args: FuzzArgs) -> i32 {
    let format: OutputFormat = match args.format.parse() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let opts = match options(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let manager = CompilerManager::from_env();
    let session = match prepare(&opts, &manager) {
        Ok(s) => s,
        Err(FuzzError::Compile(e)) => {
            eprintln!("{e}");
            eprintln!("error: compilation failed");
            return 2;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let cfg = &opts.campaign;
    eprintln!(
        "bulwark fuzz: {} ({} mode, {} properties, {} target contract(s)) with {}; {} worker(s), seed {}",
        session.harness_name(),
        session.mode().as_str(),
        session.world.properties.len(),
        session.world.targets.len(),
        session.solc.describe(),
        cfg.workers,
        cfg.seed
    );
    let live = !args.quiet && std::io::stderr().is_terminal();
    let total_props = session.world.properties.len();
    let print_status = move |s: &Snapshot| {
        let rate = s.calls as f64 / s.elapsed.as_secs_f64().max(1e-3);
        eprint!(
            "\r\x1b[2K[{:>4}s] {} calls ({:.0}/s) | coverage {} edges | corpus {} | broken {}/{} properties, {} failure(s)",
            s.elapsed.as_secs(),
            s.calls,
            rate,
            s.edges,
            s.corpus,
            s.broken_properties,
            total_props,
            s.failures
        );
    };
    let status: Option<&(dyn Fn(&Snapshot) + Sync)> = if live { Some(&print_status) } else { None };
    let result = match session.run(cfg, status) {
        Ok(r) => r,
        Err(e) => {
            if live {
                eprintln!();
            }
            eprintln!("error: {e}");
            return 2;
        }
    };
    if live {
        eprintln!();
    }
    let pocs = match &opts.poc_dir {
        Some(dir) => match session.write_pocs(&result, dir) {
            Ok(p) => p,
            Err(e) => {
                eprintln!(
                    "error: cannot write proofs of concept to {}: {e}",
                    dir.display()
                );
                return 2;
            }
        },
        None => vec![],
    };
    let views = session.failures(&result);
    let poc_of = |i: usize| -> Option<String> {
        pocs.iter()
            .find(|(j, _)| *j == i)
            .map(|(_, p)| display_path(p))
    };
    let text = match format {
        OutputFormat::Terminal => terminal_summary(&session, &result, &views, &poc_of),
        _ => {
            eprint!("{}", terminal_summary(&session, &result, &views, &poc_of));
            report_text(&session, &views, &poc_of, format, &args.path)
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return 2;
            }
        }
        None => print!("{text}"),
    }
    if result.failures.is_empty() {
        0
    } else {
        1
    }
}

fn display_path(p: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    cwd.and_then(|c| p.strip_prefix(c).ok().map(|r| r.display().to_string()))
        .unwrap_or_else(|| p.display().to_string())
}

/// The human summary: campaign figures, then every property (held or
/// broken with its shrunk sequence), then assertion failures.
fn terminal_summary(
    session: &Session,
    result: &CampaignResult,
    views: &[FailureView],
    poc_of: &dyn Fn(usize) -> Option<String>,
) -> String {
    let mut out = String::new();
    let rate = result.calls as f64 / result.elapsed.as_secs_f64().max(1e-3);
    out.push_str(&format!(
        "{} calls in {} sequences, {:.1}s ({:.0} calls/s), coverage {} edges, corpus {}\n\n",
        result.calls,
        result.sequences,
        result.elapsed.as_secs_f64(),
        rate,
        result.edges,
        result.corpus_size
    ));
    let print_failure = |out: &mut String, i: usize, v: &FailureView| {
        out.push_str(&format!("    {}\n", v.message));
        if v.calls.is_empty() {
            out.push_str("    (fails right after deployment)\n");
        }
        for (n, c) in v.calls.iter().enumerate() {
            out.push_str(&format!("    {:>3}. {c}\n", n + 1));
        }
        if v.record.original_len > v.calls.len() {
            out.push_str(&format!(
                "    (shrunk from {} calls)\n",
                v.record.original_len
            ));
        }
        if let Some(p) = poc_of(i) {
            out.push_str(&format!("    proof of concept: {p}\n"));
        }
    };
    for (name, failure) in session.property_outcomes(result) {
        match failure {
            None => out.push_str(&format!("  passed  {name}\n")),
            Some(f) => {
                out.push_str(&format!("  FAILED  {name}\n"));
                if let Some(i) = result.failures.iter().position(|g| g.key == f.key) {
                    print_failure(&mut out, i, &views[i]);
                }
            }
        }
    }
    for (i, v) in views.iter().enumerate() {
        if v.kind == "assertion" {
            out.push_str(&format!("  FAILED  {}\n", v.title));
            print_failure(&mut out, i, v);
        }
    }
    let broken = result.failures.len();
    out.push_str(&format!(
        "\n{}\n",
        if broken == 0 {
            "no property broken, no assertion failed".to_string()
        } else {
            format!("{broken} failure(s)")
        }
    ));
    out
}

fn report_text(
    session: &Session,
    views: &[FailureView],
    poc_of: &dyn Fn(usize) -> Option<String>,
    format: OutputFormat,
    root: &Path,
) -> String {
    let mut findings: Vec<_> = views
        .iter()
        .enumerate()
        .map(|(i, v)| findings::to_finding(v, poc_of(i).as_deref()))
        .collect();
    let mut files: Vec<FileInfo> = Vec::new();
    for f in &findings {
        if let Some(loc) = f.primary() {
            if files.iter().all(|x| x.path != loc.file) {
                if let Some(src) = session.sources.get(&loc.file) {
                    files.push(FileInfo::new(loc.file.clone(), src.clone()));
                }
            }
        }
    }
    assign_fingerprints(&mut findings, &files);
    let report = AuditReport {
        tool: ToolInfo::bulwark(env!("CARGO_PKG_VERSION")),
        root: root.display().to_string(),
        root_uri: session
            .root
            .canonicalize()
            .ok()
            .map(|p| format!("file://{}/", p.display())),
        generated_at: None,
        files,
        findings,
        errors: vec![],
        warnings: vec![],
        rules: findings::rules(),
    };
    render(&report, format, RenderOptions::default())
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("0s").is_err());
    }
}
