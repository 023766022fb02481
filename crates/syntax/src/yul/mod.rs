//! Inline assembly (Yul and the pre-0.5 "old-style" assembly dialect).
//!
//! Entry point: [`parse_block`], called by the Solidity parser when it meets
//! the `{` of an `assembly` statement. The Yul parser lexes the source itself
//! from that offset (Yul's lexical rules differ: dotted identifiers, `:=`,
//! old-style `=:` and labels) and returns the offset just past the matching
//! `}` so the Solidity lexer can resume there.
//!
//! Modules: [`ast`] (the tree), `lexer` and `parser` (private), [`visit`]
//! (visitor and walk helpers), `references` (names used but not declared
//! in the block), [`builtins`] (EVM opcode names).

pub mod ast;
pub mod builtins;
mod lexer;
mod parser;
mod references;
pub mod visit;

#[cfg(test)]
mod tests;

pub use ast::*;
pub use builtins::is_evm_builtin;
pub use references::{YulAccess, YulReference};
pub use visit::{walk_block, walk_expression, walk_statement, YulNode, YulVisitor};

use crate::{Diagnostic, Span};

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
/// Never panics: if `open_brace` is not the offset of a `{`, the result is
/// an empty block at that offset with a diagnostic and `end == open_brace`
/// (clamped to the source length), so the caller resumes where it was.
pub fn parse_block(source: &str, open_brace: usize) -> YulParse {
    if source.as_bytes().get(open_brace) != Some(&b'{') {
        let at = open_brace.min(source.len());
        return YulParse {
            block: YulBlock {
                span: Span::new(at, at),
                statements: Vec::new(),
            },
            end: at,
            diagnostics: vec![Diagnostic::error(
                Span::new(at, at),
                "expected '{' to open the assembly block",
            )],
        };
    }
    let mut diagnostics = Vec::new();
    let lexed = lexer::lex_block(source, open_brace, &mut diagnostics);
    let mut parser = parser::Parser::new(source, lexed.tokens, diagnostics);
    let block = parser.block();
    YulParse {
        block,
        end: lexed.end,
        diagnostics: parser.diagnostics,
    }
}
