//! The one place where the fixture harness calls the analysis.

use std::path::Path;

use super::compare::Reported;

/// Analyses one fixture file as a single-file project with every runnable
/// detector and returns each finding's detector id and primary line.
///
/// There is no analysis entry point yet: the semantic model (`bulwark-sema`)
/// and the IR (`bulwark-ir`) that detectors read are still being written,
/// and no detector is implemented. Once they exist this function loads the
/// file, builds a `bulwark_detectors::AnalysisContext`, runs
/// `bulwark_detectors::registry::runnable()` and maps each
/// `bulwark_report::Finding` to `Reported { detector, line:
/// primary().start_line, message }`. Until then it refuses rather than
/// pretending the analysis found nothing.
/// The caller prefixes errors with the fixture's path.
pub fn analyse_fixture(_path: &Path, _source: &str) -> Result<Vec<Reported>, String> {
    Err("no analysis entry point yet (waits for the semantic model and the IR)".to_string())
}
