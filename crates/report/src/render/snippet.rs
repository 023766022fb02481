//! Source excerpts around a location, shared by the terminal, Markdown and
//! HTML renderers.

use crate::model::Location;
use crate::report::AuditReport;
use crate::source::SourceText;

/// Spans longer than this are shown as their first and last lines around a
/// gap, so a finding on a whole function does not print the function.
const MAX_SPAN_LINES: u32 = 6;
const HEAD_LINES: u32 = 3;
const TAIL_LINES: u32 = 2;

/// One displayed source line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetLine<'a> {
    pub number: u32,
    pub text: &'a str,
    /// Covered characters as 0-based `[start, end)` character indices, or
    /// `None` for context lines outside the location.
    pub highlight: Option<(usize, usize)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row<'a> {
    Line(SnippetLine<'a>),
    /// Lines left out of a long span.
    Gap,
}

/// The lines of `location` plus `context` lines before and after, or
/// `None` when the file's text is not in the report or the location lies
/// outside it.
pub fn excerpt<'a>(
    report: &'a AuditReport,
    location: &Location,
    context: u32,
) -> Option<Vec<Row<'a>>> {
    let file = report.file(&location.file)?;
    let text = SourceText::new(&file.source);
    let last_line = text.line_count() as u32;
    if location.start_line == 0 || location.start_line > last_line {
        return None;
    }
    let start = location.start_line;
    let end = location.end_line.clamp(start, last_line);

    let mut numbers: Vec<Option<u32>> = Vec::new();
    let first_shown = start.saturating_sub(context).max(1);
    numbers.extend((first_shown..start).map(Some));
    if end - start + 1 > MAX_SPAN_LINES {
        numbers.extend((start..start + HEAD_LINES).map(Some));
        numbers.push(None);
        numbers.extend((end + 1 - TAIL_LINES..=end).map(Some));
    } else {
        numbers.extend((start..=end).map(Some));
    }
    numbers.extend((end + 1..=(end + context).min(last_line)).map(Some));

    let rows = numbers
        .into_iter()
        .map(|number| match number {
            None => Row::Gap,
            Some(number) => {
                let line = text.line(number).unwrap_or("");
                let highlight = (start..=end)
                    .contains(&number)
                    .then(|| covered_chars(line, number, location));
                Row::Line(SnippetLine {
                    number,
                    text: line,
                    highlight,
                })
            }
        })
        .collect();
    Some(rows)
}

/// Character range of `line` (number `number`) that `location` covers.
/// Continuation lines start at their first non-blank character; an empty
/// range is widened to one character so it stays visible.
fn covered_chars(line: &str, number: u32, location: &Location) -> (usize, usize) {
    let length = line.chars().count();
    let start = if number == location.start_line {
        (location.start_column.max(1) - 1) as usize
    } else {
        line.chars().take_while(|c| c.is_whitespace()).count()
    };
    let end = if number == location.end_line {
        (location.end_column.max(1) - 1) as usize
    } else {
        length
    };
    let start = start.min(length);
    let end = end.min(length).max(start + 1);
    (start, end)
}

/// The last line number a set of rows shows (to size a gutter).
pub fn widest_number(rows: &[Row<'_>]) -> u32 {
    rows.iter()
        .filter_map(|row| match row {
            Row::Line(line) => Some(line.number),
            Row::Gap => None,
        })
        .max()
        .unwrap_or(0)
}
