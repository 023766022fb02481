//! Inline suppressions written as comments in the analysed sources.
//!
//! ```solidity
//! // bulwark-disable-next-line reentrancy-eth, unchecked-call -- guarded by the lock
//! (bool ok, ) = to.call{value: amount}("");
//! x = tx.origin; // bulwark-disable-line tx-origin
//! // bulwark-disable timestamp
//! ...                                   // every timestamp finding here is suppressed
//! // bulwark-enable timestamp
//! ```
//!
//! - `bulwark-disable-next-line` applies to the next line holding code
//!   (blank and comment-only lines are skipped, so several directives can
//!   be stacked above one statement).
//! - `bulwark-disable-line` applies to the line the comment starts on.
//! - `bulwark-disable` opens a region up to the matching `bulwark-enable`
//!   (or the end of the file); `bulwark-enable` with no id closes every open
//!   region.
//! - No id means every detector. Ids are separated by commas or spaces; text
//!   after ` -- ` is a free-form justification.
//!
//! A finding is matched by its primary location's first line (for
//! `disable-line`, its last line too, so a trailing comment after a
//! multi-line statement works). Directives are only recognised inside
//! comments: a string that merely contains the text is ignored. Every
//! directive id that suppressed nothing is reported as unused, so stale
//! suppressions do not silently hide future findings.

use std::fmt;

use crate::lexical::{lines_with_code, segments, SegmentKind};
use crate::model::{Confidence, Finding, Location, RuleDocs, RuleMeta, Severity};
use crate::source::SourceText;

/// The four directive forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DirectiveKind {
    DisableNextLine,
    DisableLine,
    Disable,
    Enable,
}

impl DirectiveKind {
    pub fn keyword(self) -> &'static str {
        match self {
            DirectiveKind::DisableNextLine => "bulwark-disable-next-line",
            DirectiveKind::DisableLine => "bulwark-disable-line",
            DirectiveKind::Disable => "bulwark-disable",
            DirectiveKind::Enable => "bulwark-enable",
        }
    }
}

/// One suppression comment as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub kind: DirectiveKind,
    /// 1-based line and column where the comment starts.
    pub line: u32,
    pub column: u32,
    /// Where the comment ends (exclusive column; the line differs from
    /// `line` only for block comments).
    pub end_line: u32,
    pub end_column: u32,
    /// Detector ids; empty means every detector.
    pub ids: Vec<String>,
    /// Text after ` -- `, if any.
    pub reason: Option<String>,
}

/// Finds every suppression directive in the comments of `source`.
pub fn parse_directives(source: &str) -> Vec<Directive> {
    let text = SourceText::new(source);
    segments(source)
        .into_iter()
        .filter(|seg| seg.is_comment())
        .filter_map(|seg| {
            let body = comment_body(&source[seg.range.clone()], seg.kind);
            let (kind, rest) = split_keyword(body)?;
            let (line, column) = text.line_col(seg.range.start);
            let (end_line, end_column) = text.end_line_col(seg.range.start, seg.range.end);
            let (ids_text, reason) = match rest.find(" --") {
                Some(at) => (&rest[..at], Some(rest[at + 3..].trim().to_string())),
                None => (rest, None),
            };
            let ids = ids_text
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|id| !id.is_empty())
                .map(str::to_string)
                .collect();
            Some(Directive {
                kind,
                line,
                column,
                end_line,
                end_column,
                ids,
                reason: reason.filter(|r| !r.is_empty()),
            })
        })
        .collect()
}

/// The comment's text without its delimiters and leading decoration.
fn comment_body(comment: &str, kind: SegmentKind) -> &str {
    let inner = match kind {
        SegmentKind::LineComment => comment.trim_start_matches('/'),
        _ => {
            let inner = comment.strip_prefix("/*").unwrap_or(comment);
            let inner = inner.strip_suffix("*/").unwrap_or(inner);
            inner.trim_start_matches('*')
        }
    };
    inner.trim()
}

/// Recognises the keyword at the start of a comment body. The keyword must
/// be followed by whitespace, a comma or the end, so `bulwark-disabled`
/// is not a directive.
fn split_keyword(body: &str) -> Option<(DirectiveKind, &str)> {
    // Longest keywords first: `bulwark-disable` is a prefix of the others.
    const KINDS: [DirectiveKind; 4] = [
        DirectiveKind::DisableNextLine,
        DirectiveKind::DisableLine,
        DirectiveKind::Disable,
        DirectiveKind::Enable,
    ];
    KINDS.into_iter().find_map(|kind| {
        let rest = body.strip_prefix(kind.keyword())?;
        let ends_cleanly = rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace());
        ends_cleanly.then_some((kind, rest))
    })
}

/// What a suppression directive that matched no finding looked like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnusedSuppression {
    pub file: String,
    /// Where the directive's comment starts and ends (exclusive column).
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub kind: DirectiveKind,
    /// The id that matched nothing; `None` for a directive naming no id.
    pub detector: Option<String>,
}

impl fmt::Display for UnusedSuppression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match &self.detector {
            Some(id) => format!("`{} {id}`", self.kind.keyword()),
            None => format!("`{}`", self.kind.keyword()),
        };
        if self.kind == DirectiveKind::Enable {
            write!(f, "{target} closes no open `bulwark-disable` region")
        } else {
            write!(f, "{target} suppresses no finding; remove it")
        }
    }
}

/// Id of the pseudo-detector under which unused suppressions are reported.
pub const UNUSED_SUPPRESSION_ID: &str = "unused-suppression";

/// Rule metadata for [`UNUSED_SUPPRESSION_ID`], so SARIF output and
/// `bulwark explain` can describe it like any detector.
pub fn unused_suppression_rule() -> RuleMeta {
    RuleMeta {
        id: UNUSED_SUPPRESSION_ID.to_string(),
        title: "Unused suppression comment".to_string(),
        severity: Severity::Informational,
        confidence: Confidence::High,
        swc: Vec::new(),
        summary: "A `bulwark-disable` comment that no longer suppresses any finding.".to_string(),
        docs: RuleDocs {
            what: "Reports suppression comments (`bulwark-disable-next-line`, `bulwark-disable-line`, `bulwark-disable`/`bulwark-enable`) naming a detector that reported nothing there, and `bulwark-enable` comments that close no region.".to_string(),
            why: "A stale suppression silently hides the next real finding of that detector on that line.".to_string(),
            exploit: "A function is refactored; the old `bulwark-disable-next-line reentrancy-eth` now sits above a new external call that really is re-entrant, and the finding never reaches review.".to_string(),
            fix: "Delete the comment, or move it to the statement it was meant for.".to_string(),
            references: Vec::new(),
        },
    }
}

impl UnusedSuppression {
    /// The unused suppression as an informational finding, so that every
    /// output format reports it with its file and line.
    pub fn to_finding(&self) -> Finding {
        let rule = unused_suppression_rule();
        let primary = Location::new(
            &self.file,
            self.line,
            self.column,
            self.end_line,
            self.end_column,
        );
        Finding::from_rule(&rule, self.to_string(), primary)
    }
}

/// One (directive, id) pair with the lines it covers.
struct Rule {
    directive: usize,
    id: Option<String>,
    first_line: u32,
    last_line: u32,
    used: bool,
}

/// Every suppression of one file, resolved to line ranges.
pub struct FileSuppressions {
    file: String,
    directives: Vec<Directive>,
    rules: Vec<Rule>,
    stray_enables: Vec<(usize, Option<String>)>,
}

impl FileSuppressions {
    /// Parses `source` (the text of `file`) and resolves every directive to
    /// the lines it covers.
    pub fn new(file: &str, source: &str) -> FileSuppressions {
        let directives = parse_directives(source);
        let code_lines = lines_with_code(source);
        let last_line = SourceText::new(source).line_count().max(1) as u32;
        let mut rules = Vec::new();
        let mut stray_enables = Vec::new();
        // Open regions: (directive index, id, start line).
        let mut open: Vec<(usize, Option<String>, u32)> = Vec::new();

        let ids_of = |d: &Directive| -> Vec<Option<String>> {
            if d.ids.is_empty() {
                vec![None]
            } else {
                d.ids.iter().cloned().map(Some).collect()
            }
        };

        for (index, directive) in directives.iter().enumerate() {
            match directive.kind {
                DirectiveKind::DisableLine | DirectiveKind::DisableNextLine => {
                    let target = if directive.kind == DirectiveKind::DisableLine {
                        directive.line
                    } else {
                        next_code_line(&code_lines, directive.end_line)
                            .unwrap_or(directive.end_line + 1)
                    };
                    for id in ids_of(directive) {
                        rules.push(Rule {
                            directive: index,
                            id,
                            first_line: target,
                            last_line: target,
                            used: false,
                        });
                    }
                }
                DirectiveKind::Disable => {
                    for id in ids_of(directive) {
                        open.push((index, id, directive.line));
                    }
                }
                DirectiveKind::Enable => {
                    let mut close = |wanted: &Option<String>| {
                        let before = open.len();
                        open.retain(|(opener, id, start)| {
                            let matches = wanted.is_none() || id == wanted;
                            if matches {
                                rules.push(Rule {
                                    directive: *opener,
                                    id: id.clone(),
                                    first_line: *start,
                                    last_line: directive.line,
                                    used: false,
                                });
                            }
                            !matches
                        });
                        open.len() < before
                    };
                    for id in ids_of(directive) {
                        if !close(&id) {
                            stray_enables.push((index, id));
                        }
                    }
                }
            }
        }
        for (opener, id, start) in open {
            rules.push(Rule {
                directive: opener,
                id,
                first_line: start,
                last_line: last_line.max(start),
                used: false,
            });
        }
        FileSuppressions {
            file: file.to_string(),
            directives,
            rules,
            stray_enables,
        }
    }

    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    /// True (and the matching directives are marked used) when `finding`'s
    /// primary location is covered by a suppression for its detector.
    pub fn suppresses(&mut self, finding: &Finding) -> bool {
        let Some(primary) = finding.primary() else {
            return false;
        };
        if primary.file != self.file {
            return false;
        }
        let mut suppressed = false;
        for rule in &mut self.rules {
            let id_matches = rule.id.as_deref().is_none_or(|id| id == finding.detector);
            if !id_matches {
                continue;
            }
            let kind = self.directives[rule.directive].kind;
            let line_matches = match kind {
                DirectiveKind::DisableLine => {
                    rule.first_line == primary.start_line || rule.first_line == primary.end_line
                }
                _ => (rule.first_line..=rule.last_line).contains(&primary.start_line),
            };
            if line_matches {
                // Mark every matching rule used, not just the first, so that
                // overlapping suppressions are not reported as unused.
                rule.used = true;
                suppressed = true;
            }
        }
        suppressed
    }

    /// Directive ids that suppressed nothing, and enables that closed no
    /// region, in source order.
    pub fn unused(&self) -> Vec<UnusedSuppression> {
        let mut out: Vec<UnusedSuppression> = self
            .rules
            .iter()
            .filter(|rule| !rule.used)
            .map(|rule| (rule.directive, rule.id.clone()))
            .chain(self.stray_enables.iter().cloned())
            .map(|(index, id)| {
                let directive = &self.directives[index];
                UnusedSuppression {
                    file: self.file.clone(),
                    line: directive.line,
                    column: directive.column,
                    end_line: directive.end_line,
                    end_column: directive.end_column,
                    kind: directive.kind,
                    detector: id,
                }
            })
            .collect();
        out.sort_by(|a, b| (a.line, a.column, &a.detector).cmp(&(b.line, b.column, &b.detector)));
        out.dedup();
        out
    }

    /// Directive ids not in `known` (a typo suppresses nothing, forever).
    pub fn unknown_ids<'a>(&'a self, known: &[&str]) -> Vec<(&'a Directive, &'a str)> {
        self.directives
            .iter()
            .flat_map(|d| d.ids.iter().map(move |id| (d, id.as_str())))
            .filter(|(_, id)| !known.contains(id))
            .collect()
    }
}

/// The first line after `after` that holds code.
fn next_code_line(code_lines: &[bool], after: u32) -> Option<u32> {
    (after as usize + 1..code_lines.len())
        .find(|&line| code_lines[line])
        .map(|line| line as u32)
}

/// The result of applying every file's suppressions to the findings.
#[derive(Clone, Debug, Default)]
pub struct SuppressionOutcome {
    /// Findings no directive covered.
    pub kept: Vec<Finding>,
    /// Findings a directive covered (for `--show-suppressed`-style output).
    pub suppressed: Vec<Finding>,
    /// Directives that suppressed nothing.
    pub unused: Vec<UnusedSuppression>,
}

/// Applies the suppressions written in `files` (path, source text) to
/// `findings`. Pass every file whose findings are reported, including files
/// with no finding, so that their stale directives are reported as unused.
pub fn apply_suppressions<'a>(
    findings: Vec<Finding>,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> SuppressionOutcome {
    let mut per_file: Vec<FileSuppressions> = files
        .into_iter()
        .map(|(path, source)| FileSuppressions::new(path, source))
        .filter(|s| !s.directives.is_empty())
        .collect();
    let mut outcome = SuppressionOutcome::default();
    for finding in findings {
        let file = finding.primary().map(|l| l.file.as_str());
        let suppressed = per_file
            .iter_mut()
            .find(|s| Some(s.file.as_str()) == file)
            .is_some_and(|s| s.suppresses(&finding));
        if suppressed {
            outcome.suppressed.push(finding);
        } else {
            outcome.kept.push(finding);
        }
    }
    for file in &per_file {
        outcome.unused.extend(file.unused());
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_separated_by_commas_and_spaces_and_the_reason() {
        let d = parse_directives("x; // bulwark-disable-next-line a-b, c  d -- audited in #12\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, DirectiveKind::DisableNextLine);
        assert_eq!(d[0].ids, vec!["a-b", "c", "d"]);
        assert_eq!(d[0].reason.as_deref(), Some("audited in #12"));
        assert_eq!((d[0].line, d[0].column), (1, 4));
    }

    #[test]
    fn recognises_block_comments_and_natspec_style_slashes() {
        let d = parse_directives("/* bulwark-disable-line x */\n/// bulwark-enable\n");
        assert_eq!(d[0].kind, DirectiveKind::DisableLine);
        assert_eq!(d[0].ids, vec!["x"]);
        assert_eq!(d[1].kind, DirectiveKind::Enable);
        assert!(d[1].ids.is_empty());
    }

    #[test]
    fn text_in_strings_and_lookalike_words_are_not_directives() {
        let src = "string s = \"// bulwark-disable-line x\";\n// bulwark-disabled x\n// see bulwark-disable x\n";
        assert!(parse_directives(src).is_empty());
    }
}
