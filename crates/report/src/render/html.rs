//! The audit report as one self-contained HTML page: inline CSS, no
//! scripts, no external assets, so it can be mailed or archived as is.
//! Every piece of text is HTML-escaped; backtick spans in messages and rule
//! documentation become `<code>`.

use std::fmt::Write;

use super::prose::{escape_html as escape, inline_html as inline, markdown_to_html};
use super::snippet::{excerpt, Row};
use crate::model::{Finding, Location, Severity};
use crate::report::AuditReport;

const CONTEXT_LINES: u32 = 2;

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}
h1,h2,h3{line-height:1.25}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right}code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}
pre.snippet{tab-size:4;background:#f6f8fa;padding:.6rem 0;overflow-x:auto;border-radius:6px;font-size:.9em}
pre.doc{tab-size:4;background:#f6f8fa;padding:.6rem .8rem;overflow-x:auto;border-radius:6px;font-size:.9em}
pre code{background:none;padding:0;border-radius:0}
pre.snippet .line{display:block;padding:0 .8rem}pre.snippet .hit{background:#fff1c2}pre.snippet .ln{color:#6e7781;user-select:none}
.finding{border:1px solid #d0d7de;border-radius:6px;padding:0 1rem 1rem;margin:1.5rem 0}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;color:#fff;font-size:.85em;font-weight:600}
.sev-critical{background:#8250df}.sev-high{background:#cf222e}.sev-medium{background:#bf8700}.sev-low{background:#0969da}.sev-informational{background:#1a7f37}.sev-optimization{background:#57606a}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
";

pub fn render(report: &AuditReport) -> String {
    let mut out = String::new();
    let tool = &report.tool;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Bulwark audit report: {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(&report.root)
    );
    let _ = writeln!(out, "<h1>Bulwark audit report</h1>");
    let _ = writeln!(out, "<dl class=\"facts\">");
    let _ = writeln!(
        out,
        "<dt>Project</dt><dd><code>{}</code></dd>",
        escape(&report.root)
    );
    let _ = writeln!(
        out,
        "<dt>Tool</dt><dd>{} {}</dd>",
        escape(&tool.name),
        escape(&tool.version)
    );
    if let Some(when) = &report.generated_at {
        let _ = writeln!(out, "<dt>Generated</dt><dd>{}</dd>", escape(when));
    }
    let _ = writeln!(out, "</dl>");
    write_scope(&mut out, report);
    write_summary(&mut out, report);
    write_errors(&mut out, report);
    write_findings(&mut out, report);
    let _ = writeln!(out, "</body>\n</html>");
    out
}

fn write_scope(out: &mut String, report: &AuditReport) {
    let _ = writeln!(out, "<h2>Scope</h2>");
    let files = report.scope_files();
    let context = report.files.len() - files.len();
    let context_note = if context == 0 {
        String::new()
    } else {
        format!(
            "<p>{context} more file{} (dependencies, tests, mocks or scripts) {} analysed for context but not audited.</p>\n",
            if context == 1 { "" } else { "s" },
            if context == 1 { "was" } else { "were" }
        )
    };
    if files.is_empty() {
        let _ = write!(out, "<p>No source files are in scope.</p>\n{context_note}");
        return;
    }
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>File</th><th>Kind</th><th>Contracts</th><th class=\"num\">nSLOC</th><th>Compiler</th></tr></thead>\n<tbody>"
    );
    for file in &files {
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&file.path),
            file.kind,
            code_list(&file.contracts),
            file.nsloc,
            code_list(&file.compiler_versions)
        );
    }
    let count = files.len();
    let _ = writeln!(
        out,
        "</tbody>\n<tfoot><tr><th colspan=\"3\">Total: {count} file{}</th><th class=\"num\">{}</th><th></th></tr></tfoot>\n</table>",
        if count == 1 { "" } else { "s" },
        report.scope_nsloc()
    );
    out.push_str(&context_note);
}

fn code_list(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("<code>{}</code>", escape(item)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_summary(out: &mut String, report: &AuditReport) {
    let _ = writeln!(
        out,
        "<h2>Summary</h2>\n<table>\n<thead><tr><th>Severity</th><th class=\"num\">Findings</th></tr></thead>\n<tbody>"
    );
    for (severity, count) in report.counts_by_severity() {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{count}</td></tr>",
            badge(severity)
        );
    }
    let _ = writeln!(
        out,
        "</tbody>\n<tfoot><tr><th>Total</th><th class=\"num\">{}</th></tr></tfoot>\n</table>",
        report.findings.len()
    );
}

fn write_errors(out: &mut String, report: &AuditReport) {
    if report.errors.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h2>Input errors</h2>\n<ul>");
    for error in &report.errors {
        let position = match (&error.file, error.line, error.column) {
            (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            (Some(file), Some(line), None) => format!("{file}:{line}"),
            (Some(file), None, _) => file.clone(),
            (None, _, _) => String::new(),
        };
        let prefix = if position.is_empty() {
            String::new()
        } else {
            format!("<code>{}</code>: ", escape(&position))
        };
        let _ = writeln!(out, "<li>{prefix}{}</li>", inline(&error.message));
    }
    let _ = writeln!(out, "</ul>");
}

fn write_findings(out: &mut String, report: &AuditReport) {
    let _ = writeln!(out, "<h2>Findings</h2>");
    let numbered = report.numbered_findings();
    if numbered.is_empty() {
        let _ = writeln!(out, "<p>No findings.</p>");
        return;
    }
    for (id, finding) in numbered {
        write_finding(out, report, &id, finding);
    }
}

fn write_finding(out: &mut String, report: &AuditReport, id: &str, finding: &Finding) {
    let _ = writeln!(
        out,
        "<section class=\"finding\" id=\"{}\">",
        escape(&id.to_ascii_lowercase())
    );
    let _ = writeln!(
        out,
        "<h3>[{}] {} {}</h3>",
        escape(id),
        escape(&finding.title),
        badge(finding.severity)
    );
    let _ = writeln!(out, "<dl class=\"facts\">");
    let _ = writeln!(
        out,
        "<dt>Detector</dt><dd><code>{}</code></dd>",
        escape(&finding.detector)
    );
    let _ = writeln!(
        out,
        "<dt>Confidence</dt><dd>{}</dd>",
        finding.confidence.label()
    );
    if !finding.swc.is_empty() {
        let _ = writeln!(
            out,
            "<dt>SWC</dt><dd>{}</dd>",
            escape(&finding.swc.join(", "))
        );
    }
    if !finding.categories.is_empty() {
        let _ = writeln!(
            out,
            "<dt>Categories</dt><dd>{}</dd>",
            escape(&finding.categories.join(", "))
        );
    }
    if let Some(primary) = finding.primary() {
        let _ = writeln!(out, "<dt>Location</dt><dd>{}</dd>", location_html(primary));
    }
    if !finding.fingerprint.is_empty() {
        let _ = writeln!(
            out,
            "<dt>Fingerprint</dt><dd><code>{}</code></dd>",
            escape(&finding.fingerprint)
        );
    }
    let _ = writeln!(out, "</dl>");
    let _ = writeln!(out, "<p>{}</p>", inline(&finding.message));

    if let Some(rows) = finding
        .primary()
        .and_then(|loc| excerpt(report, loc, CONTEXT_LINES))
    {
        write_snippet(out, &rows);
    }
    if !finding.related().is_empty() {
        let _ = writeln!(out, "<h4>Related locations</h4>\n<ul>");
        for location in finding.related() {
            let label = location
                .label
                .as_deref()
                .map(|l| format!(" — {}", inline(l)))
                .unwrap_or_default();
            let _ = writeln!(out, "<li>{}{label}</li>", location_html(location));
        }
        let _ = writeln!(out, "</ul>");
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
                    let _ = write!(out, "<h4>{heading}</h4>\n{}", markdown_to_html(body));
                }
            }
            if !docs.references.is_empty() {
                let _ = writeln!(out, "<h4>References</h4>\n<ul>");
                for reference in &docs.references {
                    let _ = writeln!(out, "<li>{}</li>", reference_html(reference));
                }
                let _ = writeln!(out, "</ul>");
            }
        }
        None => {
            let _ = writeln!(
                out,
                "<p><em>No documentation is available for detector <code>{}</code>.</em></p>",
                escape(&finding.detector)
            );
        }
    }
    let _ = writeln!(out, "</section>");
}

fn badge(severity: Severity) -> String {
    format!(
        "<span class=\"badge sev-{}\">{}</span>",
        severity.as_str(),
        severity.label()
    )
}

fn location_html(location: &Location) -> String {
    let position = format!(
        "{}:{}:{}",
        location.file, location.start_line, location.start_column
    );
    match location.qualified_scope() {
        Some(scope) => format!(
            "<code>{}</code> in <code>{}</code>",
            escape(&position),
            escape(&scope)
        ),
        None => format!("<code>{}</code>", escape(&position)),
    }
}

/// Source lines, each in a block `span`; flagged lines are highlighted.
fn write_snippet(out: &mut String, rows: &[Row<'_>]) {
    let width = super::snippet::widest_number(rows).to_string().len();
    out.push_str("<pre class=\"snippet\"><code>");
    for row in rows {
        match row {
            Row::Gap => {
                let _ = write!(
                    out,
                    "<span class=\"line\"><span class=\"ln\">{:>width$}</span>  …</span>",
                    ""
                );
            }
            Row::Line(line) => {
                let class = if line.highlight.is_some() {
                    "line hit"
                } else {
                    "line"
                };
                let _ = write!(
                    out,
                    "<span class=\"{class}\"><span class=\"ln\">{:>width$}</span>  {}</span>",
                    line.number,
                    escape(line.text.trim_end())
                );
            }
        }
    }
    out.push_str("</code></pre>\n");
}

/// A reference: a link when it is an http(s) URL, escaped text otherwise.
fn reference_html(reference: &str) -> String {
    let is_url = (reference.starts_with("https://") || reference.starts_with("http://"))
        && !reference.contains(char::is_whitespace);
    if is_url {
        let safe = escape(reference);
        format!("<a href=\"{safe}\">{safe}</a>")
    } else {
        inline(reference)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_urls_become_links() {
        assert!(reference_html("https://swcregistry.io/docs/SWC-107").starts_with("<a href="));
        assert!(!reference_html("javascript:alert(1)").contains("<a"));
    }
}
