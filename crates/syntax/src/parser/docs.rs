//! NatSpec: attaching the doc comments that precede a declaration.

use super::Parser;
use crate::ast::DocComment;
use crate::comment::CommentKind;
use crate::span::Span;

impl Parser<'_> {
    /// The doc comments between the previous token and the current one
    /// (which starts a declaration), joined. Call before consuming the
    /// declaration's first token.
    pub(super) fn take_docs(&self) -> Option<DocComment> {
        let gap_start = self.prev_end as u32;
        let gap_end = self.tok.span.start;
        let comments = &self.lexer.comments;
        // Comments are recorded in order; those after the current token
        // (lexed by lookahead) are skipped.
        let mut end = comments.len();
        while end > 0 && comments[end - 1].span.start >= gap_end {
            end -= 1;
        }
        let mut begin = end;
        while begin > 0 && comments[begin - 1].span.start >= gap_start {
            begin -= 1;
        }
        let docs: Vec<_> = comments[begin..end].iter().filter(|c| c.is_doc).collect();
        let first = docs.first()?;
        let last = docs.last()?;
        let mut text = String::new();
        for comment in &docs {
            let raw = comment.span.text(self.src);
            let body = match comment.kind {
                CommentKind::Line => raw.strip_prefix("///").unwrap_or(raw).to_string(),
                CommentKind::Block => strip_block(raw),
            };
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(body.trim());
        }
        Some(DocComment {
            span: Span {
                start: first.span.start,
                end: last.span.end,
            },
            text,
        })
    }
}

/// `/** a\n * b\n */` -> `a\nb`
fn strip_block(raw: &str) -> String {
    let inner = raw.strip_prefix("/**").unwrap_or(raw);
    let inner = inner.strip_suffix("*/").unwrap_or(inner);
    let lines: Vec<&str> = inner
        .lines()
        .map(|line| {
            let line = line.trim_start();
            line.strip_prefix('*').unwrap_or(line).trim()
        })
        .collect();
    lines.join("\n").trim().to_string()
}
