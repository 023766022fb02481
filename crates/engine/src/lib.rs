//! bulwark-engine: the audit pipeline shared by `bulwark audit` and the
//! service — load the project, build the semantic model and the IR, run the
//! enabled detectors, triage the findings (scope, suppressions, severity
//! overrides) and assemble the [`AuditReport`] every renderer reads.
//!
//! Why a crate of its own: the CLI and the server must produce the same
//! findings for the same input; keeping the sequence of steps in one place
//! makes that true by construction.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bulwark_report::{
    triage, AuditReport, CliOverrides, Config, ConfigError, FileInfo, Finding, InputError,
    RuleMeta, ToolInfo,
};
use bulwark_sema::{load_project, LoadError, LoadOptions, Project};

/// What the caller asks for, beyond the configuration file.
#[derive(Clone, Debug, Default)]
pub struct AuditRequest {
    /// Files or directories; a Foundry/Hardhat root is recognised.
    pub inputs: Vec<PathBuf>,
    /// Explicit configuration file; by default `<root>/bulwark.toml`.
    pub config_file: Option<PathBuf>,
    /// Flags that override the configuration.
    pub overrides: CliOverrides,
    /// Extra remappings (`[ctx:]prefix=target`).
    pub remappings: Vec<String>,
}

/// Why an audit could not run at all (exit code 2 territory).
#[derive(Debug)]
pub enum AuditError {
    Load(LoadError),
    Config(ConfigError),
}

impl std::fmt::Display for AuditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditError::Load(e) => write!(f, "{e}"),
            AuditError::Config(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for AuditError {}

/// Wall time of each phase, for `--timings` and the benchmarks.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub load: Duration,
    pub analyse: Duration,
    pub detect: Duration,
    pub report: Duration,
}

/// The outcome of one audit.
pub struct AuditOutcome {
    pub report: AuditReport,
    pub config: Config,
    /// Findings silenced by inline suppressions (kept for `--show-suppressed`).
    pub suppressed: Vec<Finding>,
    /// Syntax errors in files whose findings are reported: the analysis of
    /// those files is incomplete, which the CLI signals with exit code 2.
    pub syntax_errors_in_scope: usize,
    pub timings: Timings,
}

/// Runs the whole pipeline. `on_progress` receives short phase messages
/// (`"parsing"`, `"analysing"`, ...) for progress displays.
pub fn audit(
    request: &AuditRequest,
    on_progress: &mut dyn FnMut(&str),
) -> Result<AuditOutcome, AuditError> {
    let mut timings = Timings::default();

    on_progress("loading and parsing sources");
    let started = Instant::now();
    let options = LoadOptions {
        remappings: request.remappings.clone(),
        ..LoadOptions::default()
    };
    let project = load_project(&request.inputs, &options).map_err(AuditError::Load)?;
    timings.load = started.elapsed();

    let mut config = match &request.config_file {
        Some(path) => Config::load(path),
        None => Config::for_root(&project.root),
    }
    .map_err(AuditError::Config)?;
    config
        .merge_cli(request.overrides.clone())
        .map_err(AuditError::Config)?;
    config
        .check_detector_ids(&bulwark_detectors::registry::ids())
        .map_err(AuditError::Config)?;

    on_progress("building the semantic model and IR");
    let started = Instant::now();
    let model = bulwark_sema::analyze(&project);
    let ir = bulwark_ir::ProjectIr::new(&model);
    timings.analyse = started.elapsed();

    on_progress("running detectors");
    let started = Instant::now();
    let enabled: Vec<&'static str> = bulwark_detectors::registry::ids()
        .into_iter()
        .filter(|id| config.is_detector_enabled(id))
        .collect();
    let cx = bulwark_detectors::AnalysisContext::new(&project, &model, &ir);
    let selection = bulwark_detectors::Selection::only(enabled.iter().copied());
    let findings = bulwark_detectors::run_detectors(&cx, &selection);
    timings.detect = started.elapsed();

    on_progress("triaging findings");
    let started = Instant::now();
    let files = file_infos(&project, &model, &config);
    let errors = input_errors(&project);
    let syntax_errors_in_scope = count_syntax_errors_in_scope(&project, &files);
    let outcome = triage(findings, &files, &config);
    let rules = rules_for(&enabled, &outcome.reported);
    let report = AuditReport {
        tool: ToolInfo::default(),
        root: display_root(&request.inputs, &project.root),
        root_uri: root_uri(&project.root),
        generated_at: None,
        files,
        findings: outcome.reported,
        errors,
        rules,
    };
    timings.report = started.elapsed();

    Ok(AuditOutcome {
        report,
        config,
        suppressed: outcome.suppressed,
        syntax_errors_in_scope,
        timings,
    })
}

/// One `FileInfo` per loaded file, in-scope flag decided by the configuration.
fn file_infos(
    project: &Project,
    model: &bulwark_sema::Model<'_>,
    config: &Config,
) -> Vec<FileInfo> {
    project
        .files
        .iter()
        .map(|file| {
            let contracts = model
                .contracts()
                .iter()
                .filter(|c| c.file == file.id)
                .map(|c| model.decl(c.decl).name.clone())
                .collect();
            let in_scope = !file.is_dependency && bulwark_report::in_scope(config, &file.rel_path);
            FileInfo::new(file.rel_path.clone(), file.source.clone())
                .with_contracts(contracts)
                .with_in_scope(in_scope)
        })
        .collect()
}

/// Syntax errors and loading problems (missing imports...), located.
fn input_errors(project: &Project) -> Vec<InputError> {
    let mut errors = Vec::new();
    for file in &project.files {
        for diagnostic in file.parsed.diagnostics.iter().filter(|d| d.is_error()) {
            let at = file
                .line_index
                .line_col(&file.source, diagnostic.span.start as usize);
            errors.push(InputError {
                file: Some(file.rel_path.clone()),
                line: Some(at.line),
                column: Some(at.col),
                message: format!("syntax error: {}", diagnostic.message),
            });
        }
    }
    for diagnostic in &project.diagnostics {
        let (file, line, column) = match diagnostic.file.and_then(|f| project.files.get(f.index()))
        {
            Some(file) => {
                let at = diagnostic.span.map_or(0, |s| s.start as usize);
                let lc = file.line_index.line_col(&file.source, at);
                (Some(file.rel_path.clone()), Some(lc.line), Some(lc.col))
            }
            None => (None, None, None),
        };
        errors.push(InputError {
            file,
            line,
            column,
            message: diagnostic.message.clone(),
        });
    }
    errors
}

fn count_syntax_errors_in_scope(project: &Project, files: &[FileInfo]) -> usize {
    project
        .files
        .iter()
        .zip(files)
        .filter(|(_, info)| info.in_scope)
        .map(|(file, _)| {
            file.parsed
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .count()
        })
        .sum()
}

/// Metadata of the detectors that ran plus of any rule a finding names
/// (e.g. the `unused-suppression` pseudo-detector).
fn rules_for(enabled: &[&str], findings: &[Finding]) -> Vec<RuleMeta> {
    let mut rules: Vec<RuleMeta> = enabled
        .iter()
        .filter_map(|id| bulwark_detectors::registry::rule(id).cloned())
        .collect();
    for finding in findings {
        if rules.iter().all(|r| r.id != finding.detector) {
            if finding.detector == bulwark_report::UNUSED_SUPPRESSION_ID {
                rules.push(bulwark_report::unused_suppression_rule());
            }
        }
    }
    rules
}

fn display_root(inputs: &[PathBuf], root: &Path) -> String {
    match inputs {
        [single] => single.display().to_string(),
        _ => root.display().to_string(),
    }
}

fn root_uri(root: &Path) -> Option<String> {
    let absolute = std::fs::canonicalize(root).ok()?;
    Some(bulwark_report::render::sarif::directory_uri(&absolute))
}
