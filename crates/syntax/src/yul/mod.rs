//! Inline assembly (Yul and the pre-0.5 "old-style" assembly dialect).
//!
//! Entry point: [`parse_block`], called by the Solidity parser when it meets
//! the `{` of an `assembly` statement. The Yul parser lexes the source itself
//! from that offset (Yul's lexical rules differ: dotted identifiers, `:=`,
//! old-style `=:` and labels) and returns the offset just past the matching
//! `}` so the Solidity lexer can resume there.

use crate::{Diagnostic, Span};

/// A `{ ... }` block of Yul statements.
#[derive(Clone, Debug, PartialEq)]
pub struct YulBlock {
    pub span: Span,
    pub statements: Vec<YulStatement>,
}

/// Placeholder until the Yul parser lands: one statement kind only.
#[derive(Clone, Debug, PartialEq)]
pub enum YulStatement {}

/// Result of parsing one inline-assembly block.
#[derive(Clone, Debug, PartialEq)]
pub struct YulParse {
    pub block: YulBlock,
    /// Byte offset just past the closing `}` (or the end of input).
    pub end: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses the Yul block whose `{` is at byte `open_brace` of `source`.
///
/// Temporary implementation: skips to the matching brace (respecting strings
/// and comments) and returns an empty block.
pub fn parse_block(source: &str, open_brace: usize) -> YulParse {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = open_brace;
    let mut diagnostics = Vec::new();
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    i += 1;
                    return YulParse {
                        block: YulBlock {
                            span: Span::new(open_brace, i),
                            statements: Vec::new(),
                        },
                        end: i,
                        diagnostics,
                    };
                }
            }
            b'"' | b'\'' => {
                let q = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != q && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    let end = bytes.len();
    diagnostics.push(Diagnostic::error(
        Span::new(open_brace, open_brace + 1),
        "unclosed assembly block: expected '}'",
    ));
    YulParse {
        block: YulBlock {
            span: Span::new(open_brace, end),
            statements: Vec::new(),
        },
        end,
        diagnostics,
    }
}
