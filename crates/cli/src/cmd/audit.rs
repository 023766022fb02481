//! `bulwark audit`: static analysis of a project, rendered in the format
//! the user's tools read, with a CI-friendly exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use bulwark_engine::{audit, AuditError, AuditRequest};
use bulwark_report::{
    exit_code, render, CliOverrides, FailOn, OutputFormat, RenderOptions, Severity, EXIT_ERROR,
};
use clap::{Args, ValueEnum};

#[derive(Args)]
#[command(after_help = "\
Exit codes: 0 = no finding at or above --fail-on, 1 = at least one, 2 = usage or input error.
An audited file with a syntax error or an unresolved import also exits 2 (unless 1 applies).
Flags override bulwark.toml. Guide: docs/audit.md.

Examples:
  bulwark audit                          # the project in the current directory
  bulwark audit src/Vault.sol --format json --output findings.json
  bulwark audit . --format sarif --output bulwark.sarif --fail-on medium")]
pub struct AuditArgs {
    /// Files or directories to audit (a Foundry or Hardhat root is recognised).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format: terminal, json, sarif, markdown or html.
    #[arg(long, short = 'f', default_value = "terminal")]
    pub format: OutputFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 1 when a finding is at least this severe (`none` never fails).
    /// Default: `fail-on` from bulwark.toml, else `high`.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Configuration file (default: `bulwark.toml` at the project root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Run only these detectors (comma-separated ids; see `bulwark detectors`). Replaces `enable`.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub detectors: Vec<String>,

    /// Do not run these detectors (comma-separated ids). Added to `disable`.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub exclude_detectors: Vec<String>,

    /// Only report findings in paths matching this glob (repeatable). Replaces `include`.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Do not report findings in paths matching this glob (repeatable). Added to `exclude`.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Override a detector's severity (repeatable), e.g. `--severity timestamp-dependence=medium`.
    #[arg(long, value_name = "ID=SEVERITY", value_parser = parse_severity_override)]
    pub severity: Vec<(String, Severity)>,

    /// Also report findings in dependencies (`lib/`, `node_modules/`, imported-only files).
    #[arg(long)]
    pub include_dependencies: bool,

    /// Also report findings in tests, mocks and scripts (loads a Foundry root's test/ and script/).
    #[arg(long)]
    pub include_tests: bool,

    /// Extra import remapping `[context:]prefix=target` (repeatable).
    #[arg(long, value_name = "REMAPPING")]
    pub remap: Vec<String>,

    /// When to colour terminal output.
    #[arg(long, default_value = "auto")]
    pub color: ColorChoice,

    /// Print the time of each phase to standard error.
    #[arg(long)]
    pub timings: bool,

    /// No progress, notes or warnings on standard error (errors are still printed).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_severity_override(text: &str) -> Result<(String, Severity), String> {
    let (id, severity) = text
        .split_once('=')
        .ok_or_else(|| format!("expected ID=SEVERITY, found `{text}`"))?;
    let severity = severity.parse::<Severity>().map_err(|e| e.to_string())?;
    Ok((id.trim().to_string(), severity))
}

pub fn run(args: AuditArgs) -> i32 {
    if let Err(message) = check_flag_detector_ids(&args) {
        eprintln!("{message}");
        return EXIT_ERROR;
    }
    warn_about_planned_detectors(&args);
    let request = AuditRequest {
        inputs: args.paths.clone(),
        config_file: args.config.clone(),
        overrides: CliOverrides {
            include: args.include.clone(),
            exclude: args.exclude.clone(),
            enable: args.detectors.clone(),
            disable: args.exclude_detectors.clone(),
            severity_overrides: args.severity.clone(),
            fail_on: args.fail_on,
            report_dependencies: args.include_dependencies.then_some(true),
            report_tests: args.include_tests.then_some(true),
        },
        remappings: args.remap.clone(),
        // The developer's own remappings may point anywhere on their disk.
        confine_to_root: false,
    };

    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let mut progress = |phase: &str| {
        if show_progress {
            eprint!("\r\x1b[2K{phase}…");
        }
    };
    let result = audit(&request, &mut progress);
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(AuditError::Config(e)) => {
            eprintln!("error: {e}");
            if e.file.is_some() {
                eprintln!("help: docs/audit.md lists the keys and values `bulwark.toml` accepts");
            } else {
                eprintln!("help: `bulwark audit --help` describes every flag");
            }
            return EXIT_ERROR;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
    };

    let colour = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let text = render(&outcome.report, args.format, RenderOptions { colour });
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text.as_bytes()) {
                eprintln!("error: cannot write the report to {}: {e}", path.display());
                return EXIT_ERROR;
            }
            if !args.quiet {
                eprintln!(
                    "wrote {} report with {} finding(s) to {}",
                    args.format,
                    outcome.report.findings.len(),
                    path.display()
                );
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`bulwark audit | head`) is not an error worth a message.
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
        }
    }

    // Problems with the input go to stderr unless the terminal report on
    // stdout already shows them, so that machine formats stay parseable and
    // nothing is silently skipped (not even with --quiet: they are errors).
    let report_on_stdout = args.format == OutputFormat::Terminal && args.output.is_none();
    if !report_on_stdout {
        for error in &outcome.report.errors {
            eprintln!("{}", describe_input_error(error));
        }
    }
    if !args.quiet {
        // Unresolved names (JSON has no place for them in format 1.x).
        if !report_on_stdout {
            for warning in &outcome.report.warnings {
                eprintln!("{}", describe_input_problem("warning", warning));
            }
        }
        for unknown in &outcome.unknown_suppression_ids {
            let mut message = format!(
                "warning: {}:{}:{}: suppression comment names unknown detector `{}`, so it silences nothing",
                unknown.file, unknown.line, unknown.column, unknown.id
            );
            if let Some(close) = super::detectors::closest_id(&unknown.id) {
                message.push_str(&format!("; did you mean `{close}`?"));
            }
            eprintln!("{message}");
        }
    }
    if args.timings {
        let t = &outcome.timings;
        eprintln!(
            "timings: load {:.1} ms, analyse {:.1} ms, detect {:.1} ms, report {:.1} ms",
            t.load.as_secs_f64() * 1e3,
            t.analyse.as_secs_f64() * 1e3,
            t.detect.as_secs_f64() * 1e3,
            t.report.as_secs_f64() * 1e3
        );
    }

    let code = exit_code(&outcome.report.findings, outcome.config.fail_on);
    // An incomplete analysis must not pass CI as a clean one.
    if code == bulwark_report::EXIT_CLEAN && outcome.input_errors_in_scope > 0 {
        eprintln!(
            "error: {} input error(s) in audited files (listed above): their analysis is incomplete; fix the syntax errors, install missing dependencies (`forge install`, `npm ci`) or add remappings (`--remap`, remappings.txt) for unresolved imports, or leave the files out with `--exclude`",
            outcome.input_errors_in_scope
        );
        return EXIT_ERROR;
    }
    code
}

/// Detector ids given on the command line must exist: a typo would
/// otherwise silently run nothing (or everything). Checked here rather than
/// left to the engine so that the message can name the flag and suggest
/// the id that was meant.
fn check_flag_detector_ids(args: &AuditArgs) -> Result<(), String> {
    let known = bulwark_engine::known_detector_ids();
    let named = args
        .detectors
        .iter()
        .map(|id| ("--detectors", id))
        .chain(
            args.exclude_detectors
                .iter()
                .map(|id| ("--exclude-detectors", id)),
        )
        .chain(args.severity.iter().map(|(id, _)| ("--severity", id)));
    for (flag, id) in named {
        if !known.contains(&id.as_str()) {
            let mut message = format!("error: unknown detector `{id}` in {flag}");
            if let Some(close) = super::detectors::closest_id(id) {
                message.push_str(&format!("\nhelp: did you mean `{close}`?"));
            }
            message.push_str("\nhelp: `bulwark detectors` lists every detector id");
            return Err(message);
        }
    }
    Ok(())
}

/// Selecting a detector that is only documented so far finds nothing;
/// say so instead of letting an empty report look like a clean one.
fn warn_about_planned_detectors(args: &AuditArgs) {
    if args.quiet {
        return;
    }
    for id in &args.detectors {
        let planned = bulwark_detectors::registry::REGISTRY
            .iter()
            .any(|r| r.meta.id == id && r.detector.is_none());
        if planned {
            eprintln!("warning: detector `{id}` is planned but not implemented yet; it reports nothing (see `bulwark detectors`)");
        }
    }
}

fn describe_input_error(error: &bulwark_report::InputError) -> String {
    describe_input_problem("error", error)
}

fn describe_input_problem(level: &str, error: &bulwark_report::InputError) -> String {
    match (&error.file, error.line, error.column) {
        (Some(file), Some(line), Some(col)) => {
            format!("{level}: {file}:{line}:{col}: {}", error.message)
        }
        (Some(file), _, _) => format!("{level}: {file}: {}", error.message),
        _ => format!("{level}: {}", error.message),
    }
}
