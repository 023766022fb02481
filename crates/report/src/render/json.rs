//! The machine-readable report documented in `docs/json-schema.md`.
//!
//! The top-level object has exactly the keys of the guide's contract:
//! `schema_version`, `tool`, `files_analysed`, `errors` and `findings`.

use serde::Serialize;

use crate::model::Finding;
use crate::report::{AuditReport, InputError, ToolInfo};

/// Version of the JSON format. Bump the minor part for additions that old
/// readers can ignore, the major part for anything else.
pub const JSON_SCHEMA_VERSION: &str = "1.0";

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: &'static str,
    tool: &'a ToolInfo,
    /// Number of source files analysed (dependencies included).
    files_analysed: usize,
    errors: &'a [InputError],
    findings: Vec<&'a Finding>,
}

fn document(report: &AuditReport) -> JsonReport<'_> {
    JsonReport {
        schema_version: JSON_SCHEMA_VERSION,
        tool: &report.tool,
        files_analysed: report.files.len(),
        errors: &report.errors,
        findings: report.sorted_findings(),
    }
}

/// The report as a JSON value (findings in canonical order).
pub fn to_value(report: &AuditReport) -> serde_json::Value {
    serde_json::to_value(document(report)).expect("the report model always serialises")
}

/// Pretty-printed JSON with a trailing newline. Serialised from the typed
/// document (not a `Value`) so keys keep the documented order.
pub fn render(report: &AuditReport) -> String {
    let mut text = serde_json::to_string_pretty(&document(report))
        .expect("the report model always serialises");
    text.push('\n');
    text
}
