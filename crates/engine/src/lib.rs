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
    classify_path, triage, AuditReport, CliOverrides, Config, ConfigError, FileInfo, Finding,
    InputError, PathKind, RuleMeta, ToolInfo,
};
use bulwark_sema::{load_project, LoadError, LoadOptions, Project, ProjectKind, Remapping};

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
    /// Read nothing outside the input directory, which is the project root
    /// (see [`LoadOptions::confine_to_root`]): for untrusted uploads.
    pub confine_to_root: bool,
}

/// Why an audit could not run at all (exit code 2 territory).
#[derive(Debug)]
pub enum AuditError {
    Load(LoadError),
    /// An input file that is not a `.sol` file: parsing it as Solidity would
    /// only produce a confusing syntax error.
    NotSolidity(PathBuf),
    /// A Foundry/Hardhat root whose configured source folder is missing
    /// (loading alone would only say "No such file or directory" about a
    /// root that does exist).
    MissingSourceFolder {
        root: PathBuf,
        /// Which folder is missing and what to do about it.
        explanation: String,
    },
    Config(ConfigError),
}

impl std::fmt::Display for AuditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditError::Load(e) => write!(f, "{e}"),
            AuditError::NotSolidity(path) => write!(
                f,
                "{}: not a Solidity file (pass `.sol` files, a directory or a Foundry/Hardhat project root)",
                path.display()
            ),
            AuditError::MissingSourceFolder { root, explanation } => {
                write!(f, "{}: {explanation}", root.display())
            }
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
    /// Input errors (syntax errors, unresolved imports, unreadable files)
    /// in files whose findings are reported: the analysis of those files is
    /// incomplete, which the CLI signals with exit code 2.
    pub input_errors_in_scope: usize,
    /// Suppression comments in audited files that name no known detector:
    /// a typo there silences nothing, which the CLI warns about.
    pub unknown_suppression_ids: Vec<UnknownSuppressionId>,
    pub timings: Timings,
}

/// One detector id in a `bulwark-disable...` comment that names no detector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSuppressionId {
    /// Relative to the analysed root.
    pub file: String,
    /// 1-based position of the comment.
    pub line: u32,
    pub column: u32,
    pub id: String,
}

/// Runs the whole pipeline. `on_progress` receives short phase messages
/// (`"parsing"`, `"analysing"`, ...) for progress displays.
pub fn audit(
    request: &AuditRequest,
    on_progress: &mut dyn FnMut(&str),
) -> Result<AuditOutcome, AuditError> {
    let mut timings = Timings::default();

    check_inputs(request)?;

    on_progress("loading and parsing sources");
    let started = Instant::now();
    let options = LoadOptions {
        remappings: request.remappings.clone(),
        confine_to_root: request.confine_to_root,
        ..LoadOptions::default()
    };
    let mut project = load_project(&request.inputs, &options).map_err(explain_load_error)?;

    // The configuration lives at the project root, which only loading finds.
    let mut config = match &request.config_file {
        Some(path) => Config::load(path),
        None => Config::for_root(&project.root),
    }
    .map_err(AuditError::Config)?;
    config
        .merge_cli(request.overrides.clone())
        .map_err(AuditError::Config)?;
    config
        .check_detector_ids(&known_detector_ids())
        .map_err(AuditError::Config)?;

    // A Foundry root means its `src` folder; tests and scripts live beside
    // it and are only loaded when their findings are wanted.
    if config.report_tests {
        let extra = foundry_test_dirs(&project, &request.inputs);
        if !extra.is_empty() {
            let inputs: Vec<PathBuf> = request.inputs.iter().cloned().chain(extra).collect();
            project = load_project(&inputs, &options).map_err(explain_load_error)?;
        }
    }
    timings.load = started.elapsed();

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
    let warnings = semantic_warnings(&project, &model);
    let input_errors_in_scope = count_input_errors_in_scope(&project, &files);
    let outcome = triage(findings, &files, &config);
    let unknown_suppression_ids = unknown_suppression_ids(&files);
    let rules = rules_for(&enabled, &outcome.reported);
    let report = AuditReport {
        tool: ToolInfo::default(),
        root: display_root(&request.inputs, &project.root),
        root_uri: root_uri(&project.root),
        generated_at: None,
        files,
        findings: outcome.reported,
        errors,
        warnings,
        rules,
    };
    timings.report = started.elapsed();

    Ok(AuditOutcome {
        report,
        config,
        suppressed: outcome.suppressed,
        input_errors_in_scope,
        unknown_suppression_ids,
        timings,
    })
}

/// Every id the configuration may name: the registered detectors plus the
/// `unused-suppression` pseudo-detector (which can be disabled like any
/// other).
pub fn known_detector_ids() -> Vec<&'static str> {
    let mut ids = bulwark_detectors::registry::ids();
    ids.push(bulwark_report::UNUSED_SUPPRESSION_ID);
    ids
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
            let in_scope = config.is_included(&file.rel_path) && is_reported(file, config);
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

/// The semantic model's diagnostics, as warnings (they never change the
/// exit code): the analysis went on, but saw less.
///
/// Base contracts not found, failed linearizations, imported symbols not
/// found and rejected inline assembly are listed one by one. Names used in
/// code that resolve to nothing are counted, one line per file, as are
/// type names in a file that misses an import (directly or through the
/// files it imports): a missing dependency makes thousands of those, and
/// the import error already says what to fix.
pub fn semantic_warnings(project: &Project, model: &bulwark_sema::Model<'_>) -> Vec<InputError> {
    use bulwark_sema::DiagnosticKind;

    // Files that miss an import, then the files that import them.
    let files = &project.files;
    let mut incomplete: Vec<bool> = files
        .iter()
        .map(|f| f.imports.iter().any(|i| i.target.is_none()))
        .collect();
    loop {
        let mut changed = false;
        for file in files {
            if !incomplete[file.id.index()]
                && file
                    .imports
                    .iter()
                    .any(|i| i.target.is_some_and(|t| incomplete[t.index()]))
            {
                incomplete[file.id.index()] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    struct Group {
        count: usize,
        first: (String, u32, u32),
        at: usize,
    }
    let mut single = Vec::new();
    let mut groups: Vec<Option<Group>> = files.iter().map(|_| None).collect();
    for d in model.diagnostics() {
        let Some(file) = d.file.and_then(|f| files.get(f.index())) else {
            single.push((
                usize::MAX,
                0,
                InputError {
                    file: None,
                    line: None,
                    column: None,
                    message: d.message.clone(),
                },
            ));
            continue;
        };
        let at = d.span.map_or(0, |s| s.start as usize);
        let lc = file.line_index.line_col(&file.source, at);
        let grouped = match d.kind {
            DiagnosticKind::IdentifierNotFound => true,
            DiagnosticKind::TypeNotFound => incomplete[file.id.index()],
            _ => false,
        };
        if grouped {
            let name = d
                .span
                .and_then(|s| file.source.get(s.start as usize..s.end as usize))
                .unwrap_or("?")
                .to_string();
            let group = groups[file.id.index()].get_or_insert(Group {
                count: 0,
                first: (name.clone(), lc.line, lc.col),
                at,
            });
            group.count += 1;
            if at < group.at {
                group.first = (name, lc.line, lc.col);
                group.at = at;
            }
        } else {
            single.push((
                file.id.index(),
                at,
                InputError {
                    file: Some(file.rel_path.clone()),
                    line: Some(lc.line),
                    column: Some(lc.col),
                    message: d.message.clone(),
                },
            ));
        }
    }
    for (index, group) in groups.into_iter().enumerate() {
        let Some(Group {
            count,
            first: (name, line, col),
            at,
        }) = group
        else {
            continue;
        };
        let file = &files[index];
        let because = if incomplete[index] {
            "; a missing import probably explains them"
        } else {
            ""
        };
        let message = format!(
            "{count} name{} unresolved (first: `{name}` at {line}:{col}){because}",
            if count == 1 { "" } else { "s" }
        );
        single.push((
            index,
            at,
            InputError {
                file: Some(file.rel_path.clone()),
                line: Some(line),
                column: Some(col),
                message,
            },
        ));
    }
    single.sort_by_key(|(file, at, _)| (*file, *at));
    single.into_iter().map(|(_, _, w)| w).collect()
}

/// Whether findings in `file` are reported, by what kind of file it is.
/// Files reached only through imports are dependencies even when their
/// path looks like the project's own (`@scope/pkg/...` from a
/// `node_modules` above the root, or a sibling of the one file audited).
fn is_reported(file: &bulwark_sema::SourceFile, config: &Config) -> bool {
    match classify_path(&file.rel_path) {
        PathKind::Source if file.is_dependency => config.report_dependencies,
        _ => config.should_report(&file.rel_path),
    }
}

/// Syntax errors, unresolved imports and unreadable files in the files
/// whose findings are reported (problems in dependencies are listed but do
/// not fail the run: the user cannot fix them).
fn count_input_errors_in_scope(project: &Project, files: &[FileInfo]) -> usize {
    let syntax: usize = project
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
        .sum();
    let loading = project
        .diagnostics
        .iter()
        .filter(|d| d.severity == bulwark_sema::Severity::Error)
        .filter(|d| d.file.is_some_and(|id| files[id.index()].in_scope))
        .count();
    syntax + loading
}

/// Detector ids named by suppression comments of the audited files that
/// are not detectors (only audited files: their comments are the ones
/// triage reads).
fn unknown_suppression_ids(files: &[FileInfo]) -> Vec<UnknownSuppressionId> {
    let known = known_detector_ids();
    let mut unknown = Vec::new();
    for file in files.iter().filter(|f| f.in_scope) {
        // Cheap pre-check: most files hold no directive at all.
        if !file.source.contains("bulwark-") {
            continue;
        }
        let suppressions =
            bulwark_report::suppress::FileSuppressions::new(&file.path, &file.source);
        for (directive, id) in suppressions.unknown_ids(&known) {
            unknown.push(UnknownSuppressionId {
                file: file.path.clone(),
                line: directive.line,
                column: directive.column,
                id: id.to_string(),
            });
        }
    }
    unknown
}

/// Usage errors that loading would otherwise turn into something obscure:
/// an explicit non-Solidity file (parsed, it yields a meaningless syntax
/// error) and a malformed `--remap` (silently ignored).
fn check_inputs(request: &AuditRequest) -> Result<(), AuditError> {
    for input in &request.inputs {
        let is_sol = input.extension().is_some_and(|ext| ext == "sol");
        if input.is_file() && !is_sol {
            return Err(AuditError::NotSolidity(input.clone()));
        }
    }
    for text in &request.remappings {
        if Remapping::parse(text).is_none() {
            return Err(AuditError::Config(ConfigError {
                file: None,
                line: None,
                column: None,
                message: format!(
                    "invalid --remap `{text}`: expected `[context:]prefix=target`, e.g. `@openzeppelin/=lib/openzeppelin-contracts/`"
                ),
            }));
        }
    }
    Ok(())
}

/// Turns "No such file or directory" about an existing project root into
/// what is actually missing: its source folder.
fn explain_load_error(error: LoadError) -> AuditError {
    if let LoadError::Io { path, error: io } = &error {
        if io.kind() == std::io::ErrorKind::NotFound && path.is_dir() {
            if let Some(explanation) = missing_source_folder(path) {
                return AuditError::MissingSourceFolder {
                    root: path.clone(),
                    explanation,
                };
            }
        }
    }
    AuditError::Load(error)
}

/// Explains which source folder of the project rooted at `root` is
/// missing and what to do, when that is the problem.
fn missing_source_folder(root: &Path) -> Option<String> {
    let audit_it = format!(
        "audit the folder that holds the contracts: `bulwark audit {}/<folder>`",
        root.display()
    );
    let foundry = root.join("foundry.toml");
    if foundry.is_file() {
        return match foundry_profile(&foundry) {
            Ok(profile) => {
                let src = profile
                    .as_ref()
                    .and_then(|p| p.get("src"))
                    .and_then(|v| v.as_str())
                    .unwrap_or("src")
                    .to_string();
                (!root.join(&src).is_dir()).then(|| {
                    format!("the Foundry source folder `{src}` does not exist; set `src` in foundry.toml, or {audit_it}")
                })
            }
            Err(e) => Some(format!(
                "foundry.toml is not valid TOML ({e}), so Foundry's default source folder `src` was looked for and does not exist; fix foundry.toml, or {audit_it}"
            )),
        };
    }
    let hardhat = ["js", "ts", "cjs", "mjs"]
        .iter()
        .any(|ext| root.join(format!("hardhat.config.{ext}")).is_file());
    (hardhat && !root.join("contracts").is_dir()).then(|| {
        format!("the Hardhat source folder `contracts` does not exist (Bulwark reads a Hardhat project's sources from there); {audit_it}")
    })
}

/// `[profile.default]` of a `foundry.toml`, `Ok(None)` when it has none.
fn foundry_profile(path: &Path) -> Result<Option<toml::Table>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| e.message().trim_end().to_string())?;
    Ok(table
        .get("profile")
        .and_then(|p| p.get("default"))
        .and_then(|d| d.as_table())
        .cloned())
}

/// The test and script folders of a Foundry project whose root is one of
/// `inputs` (from `foundry.toml`'s `test`/`script`, default `test` and
/// `script`), when they exist.
fn foundry_test_dirs(project: &Project, inputs: &[PathBuf]) -> Vec<PathBuf> {
    if project.layout.kind != ProjectKind::Foundry {
        return Vec::new();
    }
    let root_is_input = inputs
        .iter()
        .any(|input| std::fs::canonicalize(input).is_ok_and(|p| p == project.root));
    if !root_is_input {
        return Vec::new();
    }
    let profile = foundry_profile(&project.root.join("foundry.toml"))
        .ok()
        .flatten();
    ["test", "script"]
        .into_iter()
        .map(|key| {
            profile
                .as_ref()
                .and_then(|p| p.get(key))
                .and_then(|v| v.as_str())
                .unwrap_or(key)
        })
        .map(|dir| project.root.join(dir))
        .filter(|dir| dir.is_dir())
        .collect()
}

/// Metadata of the detectors that ran plus of any rule a finding names
/// (e.g. the `unused-suppression` pseudo-detector).
fn rules_for(enabled: &[&str], findings: &[Finding]) -> Vec<RuleMeta> {
    let mut rules: Vec<RuleMeta> = enabled
        .iter()
        .filter_map(|id| bulwark_detectors::registry::rule(id).cloned())
        .collect();
    for finding in findings {
        if rules.iter().all(|r| r.id != finding.detector)
            && finding.detector == bulwark_report::UNUSED_SUPPRESSION_ID
        {
            rules.push(bulwark_report::unused_suppression_rule());
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
