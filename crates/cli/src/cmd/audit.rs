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

Examples:
  bulwark audit                          # the project in the current directory
  bulwark audit src/Vault.sol --format json --output findings.json
  bulwark audit . --format sarif --output bulwark.sarif --fail-on medium")]
pub struct AuditArgs {
    /// Files or directories to audit (a Foundry or Hardhat root is recognised).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
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

    /// Run only these detectors (comma-separated ids; see `bulwark detectors`).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub detectors: Vec<String>,

    /// Do not run these detectors (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub exclude_detectors: Vec<String>,

    /// Only analyse/report paths matching these globs (replaces `include`).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Do not report findings in paths matching these globs.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Override a detector's severity, e.g. `--severity timestamp-dependence=medium`.
    #[arg(long, value_name = "ID=SEVERITY", value_parser = parse_severity_override)]
    pub severity: Vec<(String, Severity)>,

    /// Also report findings in dependencies (`lib/`, `node_modules/`).
    #[arg(long)]
    pub include_dependencies: bool,

    /// Also report findings in tests, mocks and scripts.
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

    /// Print nothing but the report (no progress or summary on stderr).
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
        Err(AuditError::Load(e)) => {
            eprintln!("error: {e}");
            return EXIT_ERROR;
        }
        Err(AuditError::Config(e)) => {
            eprintln!("error: {e}");
            eprintln!("help: see `bulwark.toml` in the README for the allowed keys and values");
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

    // Problems with the input go to stderr in every format, so that machine
    // formats on stdout stay parseable and nothing is silently skipped.
    if !args.quiet && args.format != OutputFormat::Terminal {
        for error in &outcome.report.errors {
            eprintln!("{}", describe_input_error(error));
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
    if code == bulwark_report::EXIT_CLEAN && outcome.syntax_errors_in_scope > 0 {
        if !args.quiet {
            eprintln!(
                "error: {} syntax error(s) in audited files: their analysis is incomplete (run `bulwark parse` on them for details)",
                outcome.syntax_errors_in_scope
            );
        }
        return EXIT_ERROR;
    }
    code
}

fn describe_input_error(error: &bulwark_report::InputError) -> String {
    match (&error.file, error.line, error.column) {
        (Some(file), Some(line), Some(col)) => format!("{file}:{line}:{col}: {}", error.message),
        (Some(file), _, _) => format!("{file}: {}", error.message),
        _ => error.message.clone(),
    }
}
