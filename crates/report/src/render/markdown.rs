//! The audit report as Markdown (GitHub-flavoured): scope, a summary by
//! severity, then every finding with its snippet, explanation, exploit
//! scenario and fix.
//!
//! Messages and rule documentation are written by detectors in a light
//! Markdown style (backticks for code). Everything that comes from the
//! analysed project (paths, source text, names) is escaped or fenced, so a
//! contract cannot inject HTML or break a table.

use std::fmt::Write;

use super::prose::markdown_passthrough;
use super::snippet::{excerpt, widest_number, Row};
use crate::model::{Finding, Location};
use crate::report::AuditReport;

/// Lines of context shown around a finding's primary location.
const CONTEXT_LINES: u32 = 2;

pub fn render(report: &AuditReport) -> String {
    let mut out = String::new();
    write_header(&mut out, report);
    write_scope(&mut out, report);
    write_summary(&mut out, report);
    write_errors(&mut out, report);
    write_findings(&mut out, report);
    out
}

fn write_header(out: &mut String, report: &AuditReport) {
    let tool = &report.tool;
    let _ = writeln!(out, "# Bulwark audit report\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Project | {} |", cell(&code_span(&report.root)));
    let _ = writeln!(
        out,
        "| Tool | {} |",
        cell(&text(&format!("{} {}", tool.name, tool.version)))
    );
    if let Some(when) = &report.generated_at {
        let _ = writeln!(out, "| Generated | {} |", cell(&text(when)));
    }
    out.push('\n');
}

fn write_scope(out: &mut String, report: &AuditReport) {
    let _ = writeln!(out, "## Scope\n");
    let files = report.scope_files();
    let context = report.files.len() - files.len();
    let context_note = if context == 0 {
        String::new()
    } else {
        format!(
            "{context} more file{} (dependencies, tests, mocks or scripts) {} analysed for context but not audited.\n\n",
            if context == 1 { "" } else { "s" },
            if context == 1 { "was" } else { "were" }
        )
    };
    if files.is_empty() {
        let _ = write!(out, "No source files are in scope.\n\n{context_note}");
        return;
    }
    let _ = writeln!(
        out,
        "| File | Kind | Contracts | nSLOC | Compiler |\n|---|---|---|---:|---|"
    );
    for file in &files {
        let contracts: Vec<String> = file.contracts.iter().map(|c| code_span(c)).collect();
        let versions: Vec<String> = file
            .compiler_versions
            .iter()
            .map(|v| code_span(v))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&code_span(&file.path)),
            file.kind,
            cell(&contracts.join(", ")),
            file.nsloc,
            cell(&versions.join(", "))
        );
    }
    let count = files.len();
    let _ = writeln!(
        out,
        "| **Total: {count} file{}** | | | **{}** | |\n",
        if count == 1 { "" } else { "s" },
        report.scope_nsloc()
    );
    out.push_str(&context_note);
}

fn write_summary(out: &mut String, report: &AuditReport) {
    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(out, "| Severity | Findings |\n|---|---:|");
    for (severity, count) in report.counts_by_severity() {
        let _ = writeln!(out, "| {} | {count} |", severity.label());
    }
    let _ = writeln!(out, "| **Total** | **{}** |\n", report.findings.len());
}

fn write_errors(out: &mut String, report: &AuditReport) {
    if report.errors.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Input errors\n");
    for error in &report.errors {
        let position = match (&error.file, error.line, error.column) {
            (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            (Some(file), Some(line), None) => format!("{file}:{line}"),
            (Some(file), None, _) => file.clone(),
            (None, _, _) => String::new(),
        };
        if position.is_empty() {
            let _ = writeln!(out, "- {}", text(&error.message));
        } else {
            let _ = writeln!(out, "- {}: {}", code_span(&position), text(&error.message));
        }
    }
    out.push('\n');
}

fn write_findings(out: &mut String, report: &AuditReport) {
    let _ = writeln!(out, "## Findings\n");
    let numbered = report.numbered_findings();
    if numbered.is_empty() {
        let _ = writeln!(out, "No findings.");
        return;
    }
    for (id, finding) in numbered {
        write_finding(out, report, &id, finding);
    }
}

fn write_finding(out: &mut String, report: &AuditReport, id: &str, finding: &Finding) {
    let _ = writeln!(out, "### [{id}] {}\n", text(&finding.title));
    let _ = writeln!(out, "- **Detector:** {}", code_span(&finding.detector));
    let _ = writeln!(
        out,
        "- **Severity:** {} · **Confidence:** {}",
        finding.severity.label(),
        finding.confidence.label()
    );
    if !finding.swc.is_empty() {
        let _ = writeln!(out, "- **SWC:** {}", text(&finding.swc.join(", ")));
    }
    if !finding.categories.is_empty() {
        let _ = writeln!(
            out,
            "- **Categories:** {}",
            text(&finding.categories.join(", "))
        );
    }
    if let Some(primary) = finding.primary() {
        let _ = writeln!(out, "- **Location:** {}", location_text(primary));
    }
    if !finding.fingerprint.is_empty() {
        let _ = writeln!(
            out,
            "- **Fingerprint:** {}",
            code_span(&finding.fingerprint)
        );
    }
    let _ = writeln!(out, "\n{}\n", text(&finding.message));

    if let Some(rows) = finding
        .primary()
        .and_then(|loc| excerpt(report, loc, CONTEXT_LINES))
    {
        write_code_block(out, &rows);
    }
    if !finding.related().is_empty() {
        let _ = writeln!(out, "**Related locations**\n");
        for location in finding.related() {
            let label = location
                .label
                .as_deref()
                .map(|l| format!(" — {}", text(l)))
                .unwrap_or_default();
            let _ = writeln!(out, "- {}{label}", location_text(location));
        }
        out.push('\n');
    }

    match report.rule(&finding.detector) {
        Some(rule) => {
            let docs = &rule.docs;
            for (heading, body) in [
                ("Why it matters", &docs.why),
                ("Exploit scenario", &docs.exploit),
                ("Recommendation", &docs.fix),
            ] {
                if !body.is_empty() {
                    let _ = writeln!(out, "#### {heading}\n\n{}\n", text(body));
                }
            }
            if !docs.references.is_empty() {
                let _ = writeln!(out, "#### References\n");
                for reference in &docs.references {
                    let _ = writeln!(out, "- {}", text(reference));
                }
                out.push('\n');
            }
        }
        None => {
            let _ = writeln!(
                out,
                "_No documentation is available for detector {}._\n",
                code_span(&finding.detector)
            );
        }
    }
}

/// `` `src/A.sol:14:9` in `Vault.withdraw` ``
fn location_text(location: &Location) -> String {
    let position = format!(
        "{}:{}:{}",
        location.file, location.start_line, location.start_column
    );
    match location.qualified_scope() {
        Some(scope) => format!("{} in {}", code_span(&position), code_span(&scope)),
        None => code_span(&position),
    }
}

/// A fenced block with a line-number gutter; `>` marks the flagged lines.
fn write_code_block(out: &mut String, rows: &[Row<'_>]) {
    let width = widest_number(rows).to_string().len();
    let mut body = String::new();
    for row in rows {
        match row {
            Row::Gap => body.push_str(&format!("  {:>width$} | ...\n", "")),
            Row::Line(line) => {
                let marker = if line.highlight.is_some() { '>' } else { ' ' };
                let shown = format!("{marker} {:>width$} | {}", line.number, line.text);
                let _ = writeln!(body, "{}", shown.trim_end());
            }
        }
    }
    let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
    let _ = writeln!(out, "{fence}solidity\n{body}{fence}\n");
}

fn longest_run(haystack: &str, wanted: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for ch in haystack.chars() {
        if ch == wanted {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

/// Inline code that survives backticks in its content.
fn code_span(content: &str) -> String {
    let fence = "`".repeat(longest_run(content, '`') + 1);
    let pad = if content.starts_with('`') || content.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// Prose from detectors: light Markdown kept, raw HTML neutralised.
fn text(content: &str) -> String {
    markdown_passthrough(content)
}

/// Content placed in a table cell: pipes escaped, newlines flattened.
fn cell(content: &str) -> String {
    content.replace('|', "\\|").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_and_cells_survive_hostile_content() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
