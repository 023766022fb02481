//! Human-readable terminal output in the style of rustc's diagnostics:
//!
//! ```text
//! high[reentrancy-eth]: `Vault.withdraw` writes `balances` after sending ETH
//!   --> src/Vault.sol:14:9
//!    |
//! 14 |         (bool ok, ) = msg.sender.call{value: amount}("");
//!    |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//!    |
//!   ::: src/Vault.sol:16:9
//!    |
//! 16 |         balances[msg.sender] = 0;
//!    |         ------------------------ state written after the call
//!    = Reentrancy with ETH transfer · confidence: high · SWC-107
//!    = help: `bulwark explain reentrancy-eth` shows the exploit scenario and the fix
//! ```
//!
//! Colour is opt-in ([`RenderOptions::colour`]); the CLI enables it for a TTY.

use std::fmt::Write;

use super::snippet::{excerpt, widest_number, Row};
use super::RenderOptions;
use crate::model::{Finding, Location, Severity};
use crate::report::{AuditReport, InputError};

/// Tabs are expanded so that carets line up with the code above them.
const TAB_WIDTH: usize = 4;

/// ANSI styles; every piece of styled text goes through [`Painter::paint`]
/// so that plain output contains no escape codes at all.
#[derive(Clone, Copy)]
enum Style {
    Bold,
    Gutter,
    Related,
    Severity(Severity),
    Error,
    Warning,
}

struct Painter {
    colour: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if !self.colour || text.is_empty() {
            return text.to_string();
        }
        let code = match style {
            Style::Bold => "1",
            Style::Gutter | Style::Related => "1;34",
            Style::Error => "1;31",
            Style::Warning => "1;33",
            Style::Severity(severity) => match severity {
                Severity::Critical => "1;35",
                Severity::High => "1;31",
                Severity::Medium => "1;33",
                Severity::Low => "1;36",
                Severity::Informational => "1;32",
                Severity::Optimization => "1;32",
            },
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

/// Renders the findings, input errors and a closing summary.
pub fn render(report: &AuditReport, options: RenderOptions) -> String {
    let painter = Painter {
        colour: options.colour,
    };
    let mut out = String::new();
    for error in &report.errors {
        write_error(&mut out, &painter, Style::Error, "error", error);
    }
    for warning in &report.warnings {
        write_error(&mut out, &painter, Style::Warning, "warning", warning);
    }
    for finding in report.sorted_findings() {
        write_finding(&mut out, &painter, report, finding);
    }
    write_summary(&mut out, &painter, report);
    out
}

fn write_error(out: &mut String, painter: &Painter, style: Style, label: &str, error: &InputError) {
    let _ = writeln!(
        out,
        "{}{}",
        painter.paint(style, label),
        painter.paint(Style::Bold, &format!(": {}", error.message))
    );
    if let Some(file) = &error.file {
        let position = match (error.line, error.column) {
            (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            (Some(line), None) => format!("{file}:{line}"),
            _ => file.clone(),
        };
        let _ = writeln!(out, "  {} {position}", painter.paint(Style::Gutter, "-->"));
    }
    out.push('\n');
}

fn write_finding(out: &mut String, painter: &Painter, report: &AuditReport, finding: &Finding) {
    let severity = Style::Severity(finding.severity);
    let _ = writeln!(
        out,
        "{}{}",
        painter.paint(
            severity,
            &format!("{}[{}]", finding.severity, finding.detector)
        ),
        painter.paint(Style::Bold, &format!(": {}", finding.message))
    );

    // Every location's excerpt, so the gutter can be sized once.
    let excerpts: Vec<(&Location, Option<Vec<Row<'_>>>)> = finding
        .locations
        .iter()
        .map(|loc| (loc, excerpt(report, loc, 0)))
        .collect();
    let widest = excerpts
        .iter()
        .filter_map(|(_, rows)| rows.as_deref().map(widest_number))
        .max()
        .unwrap_or(0);
    let gutter_width = widest.to_string().len();
    let blank_gutter = " ".repeat(gutter_width);
    let bar = painter.paint(Style::Gutter, "|");

    for (index, (location, rows)) in excerpts.iter().enumerate() {
        let is_primary = index == 0;
        let arrow = if is_primary { "-->" } else { ":::" };
        if !is_primary && rows.is_some() {
            let _ = writeln!(out, "{blank_gutter} {bar}");
        }
        let _ = writeln!(
            out,
            "{blank_gutter}{} {}:{}:{}",
            painter.paint(Style::Gutter, arrow),
            location.file,
            location.start_line,
            location.start_column
        );
        let Some(rows) = rows else { continue };
        let _ = writeln!(out, "{blank_gutter} {bar}");
        let (marker, marker_style) = if is_primary {
            ('^', severity)
        } else {
            ('-', Style::Related)
        };
        let last_highlighted = rows
            .iter()
            .rposition(|row| matches!(row, Row::Line(line) if line.highlight.is_some()));
        for (row_index, row) in rows.iter().enumerate() {
            let Row::Line(line) = row else {
                let _ = writeln!(out, "{}", painter.paint(Style::Gutter, "..."));
                continue;
            };
            let number = format!("{:>gutter_width$}", line.number);
            let (shown, columns) = expand_tabs(line.text);
            let _ = writeln!(
                out,
                "{} {bar} {}",
                painter.paint(Style::Gutter, &number),
                shown.trim_end()
            );
            if let Some((start, end)) = line.highlight {
                let from = columns[start.min(columns.len() - 1)];
                let to = columns[end.min(columns.len() - 1)].max(from + 1);
                let underline = marker.to_string().repeat(to - from);
                let label = match &location.label {
                    Some(label) if Some(row_index) == last_highlighted => format!(" {label}"),
                    _ => String::new(),
                };
                let _ = writeln!(
                    out,
                    "{blank_gutter} {bar} {}{}",
                    " ".repeat(from),
                    painter.paint(marker_style, &format!("{underline}{label}"))
                );
            }
        }
    }

    let mut facts = vec![
        finding.title.clone(),
        format!("confidence: {}", finding.confidence),
    ];
    facts.extend(finding.swc.iter().cloned());
    facts.extend(finding.categories.iter().cloned());
    let _ = writeln!(
        out,
        "{blank_gutter} {} {}",
        painter.paint(Style::Gutter, "="),
        facts.join(" · ")
    );
    let _ = writeln!(
        out,
        "{blank_gutter} {} {}: `bulwark explain {}` shows the exploit scenario and the fix",
        painter.paint(Style::Gutter, "="),
        painter.paint(Style::Bold, "help"),
        finding.detector
    );
    out.push('\n');
}

/// The line with tabs expanded, and for each character index (plus one past
/// the end) the display column it starts at.
fn expand_tabs(text: &str) -> (String, Vec<usize>) {
    let mut shown = String::with_capacity(text.len());
    let mut columns = Vec::with_capacity(text.len() + 1);
    let mut column = 0;
    for ch in text.chars() {
        columns.push(column);
        if ch == '\t' {
            let width = TAB_WIDTH - column % TAB_WIDTH;
            shown.push_str(&" ".repeat(width));
            column += width;
        } else {
            shown.push(ch);
            column += 1;
        }
    }
    columns.push(column);
    (shown, columns)
}

fn write_summary(out: &mut String, painter: &Painter, report: &AuditReport) {
    let total = report.findings.len();
    let files = report.files.len();
    let files_text = format!("{files} file{}", plural(files));
    let mut line = if total == 0 {
        format!("no findings in {files_text}")
    } else {
        let parts: Vec<String> = report
            .counts_by_severity()
            .into_iter()
            .filter(|&(_, count)| count > 0)
            .map(|(severity, count)| {
                painter.paint(Style::Severity(severity), &format!("{count} {severity}"))
            })
            .collect();
        format!(
            "{total} finding{} ({}) in {files_text}",
            plural(total),
            parts.join(", ")
        )
    };
    if !report.errors.is_empty() {
        let errors = report.errors.len();
        let _ = write!(line, "; {errors} input error{}", plural(errors));
    }
    if !report.warnings.is_empty() {
        let warnings = report.warnings.len();
        let _ = write!(line, "; {warnings} warning{}", plural(warnings));
    }
    let _ = writeln!(out, "{}: {line}", painter.paint(Style::Bold, "summary"));
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_expand_to_the_next_stop_and_columns_follow() {
        let (shown, columns) = expand_tabs("\tx\ty");
        assert_eq!(shown, "    x   y");
        assert_eq!(columns, vec![0, 4, 5, 8, 9]);
    }
}
