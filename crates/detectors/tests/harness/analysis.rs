//! The one place where the fixture harness calls the analysis.

use std::path::Path;

use bulwark_detectors::{audit_project, Selection};
use bulwark_sema::{LoadOptions, Project};

use super::compare::Reported;

/// Analyses one fixture file as a single-file project with every runnable
/// detector and returns each finding's detector id and primary line.
/// Syntax errors fail the fixture: a fixture the parser cannot read
/// would otherwise pass by reporting nothing.
/// The caller prefixes errors with the fixture's path.
pub fn analyse_fixture(path: &Path, source: &str) -> Result<Vec<Reported>, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "fixture.sol".to_string());
    let project = Project::from_sources(&[(name.as_str(), source)], &LoadOptions::default());
    let syntax_errors: Vec<String> = project
        .files
        .iter()
        .flat_map(|f| f.parsed.diagnostics.iter().map(|d| format!("{d:?}")))
        .collect();
    if !syntax_errors.is_empty() {
        return Err(format!("syntax errors: {}", syntax_errors.join("; ")));
    }
    let findings = audit_project(&project, &Selection::all());
    Ok(findings
        .into_iter()
        .filter_map(|f| {
            let line = f.primary()?.start_line;
            Some(Reported {
                detector: f.detector,
                line,
                message: f.message,
            })
        })
        .collect())
}
