//! Recursive-descent parser from the token list of one assembly block to
//! the [`YulBlock`](super::ast::YulBlock) tree. This module holds the token
//! cursor and the error recovery; `statement` and `expression` hold the
//! grammar.
//!
//! Error tolerance: every error is reported once, as "expected X, found Y",
//! and the parser resynchronises at the next plausible statement start (a
//! statement keyword, a `{`, an identifier or literal beginning a line, or
//! the closing `}` of the current block). Progress is guaranteed in every
//! loop by consuming at least one token per iteration or leaving the loop,
//! and nesting depth is capped so adversarial input cannot overflow the
//! stack.

mod expression;
mod statement;

use super::lexer::{Token, TokenKind};
use crate::{Diagnostic, Span};

/// Deepest nesting of blocks and calls the parser descends into; deeper
/// constructs are skipped with a diagnostic. Real code stays far below.
const MAX_DEPTH: u32 = 128;

pub(crate) struct Parser<'s> {
    source: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    /// End offset of the last consumed token (for node spans).
    prev_end: u32,
    depth: u32,
    /// Set when an error left the current statement half-consumed; the
    /// enclosing block loop then skips to a statement boundary.
    needs_sync: bool,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<'s> Parser<'s> {
    /// `tokens` must end with `}` or [`TokenKind::Eof`] (as `lex_block` guarantees).
    pub(crate) fn new(
        source: &'s str,
        tokens: Vec<Token>,
        diagnostics: Vec<Diagnostic>,
    ) -> Parser<'s> {
        Parser {
            source,
            prev_end: tokens.first().map_or(0, |t| t.start),
            tokens,
            pos: 0,
            depth: 0,
            needs_sync: false,
            diagnostics,
        }
    }

    // ---- token cursor -------------------------------------------------

    fn peek(&self) -> Token {
        match self.tokens.get(self.pos) {
            Some(&t) => t,
            // Past the final `}`: behave like a zero-width end of input.
            None => {
                let end = self.tokens.last().map_or(0, |t| t.end);
                Token {
                    kind: TokenKind::Eof,
                    start: end,
                    end,
                    line_break_before: false,
                }
            }
        }
    }

    fn kind(&self) -> TokenKind {
        self.peek().kind
    }

    fn nth_kind(&self, n: usize) -> TokenKind {
        self.tokens
            .get(self.pos + n)
            .map_or(TokenKind::Eof, |t| t.kind)
    }

    fn at(&self, kind: TokenKind) -> bool {
        self.kind() == kind
    }

    fn at_block_end(&self) -> bool {
        matches!(self.kind(), TokenKind::RBrace | TokenKind::Eof)
    }

    /// Consumes the current token (never moves past the end).
    fn bump(&mut self) -> Token {
        let token = self.peek();
        if token.kind != TokenKind::Eof {
            self.pos += 1;
            self.prev_end = token.end;
        }
        token
    }

    fn eat(&mut self, kind: TokenKind) -> Option<Token> {
        if self.at(kind) {
            Some(self.bump())
        } else {
            None
        }
    }

    fn text(&self, token: Token) -> &'s str {
        token.span().text(self.source)
    }

    /// Span from `start` to the end of the last consumed token.
    fn span_from(&self, start: u32) -> Span {
        Span {
            start,
            end: self.prev_end.max(start),
        }
    }

    // ---- diagnostics and recovery -------------------------------------

    /// How the current token reads in "found ..." messages.
    fn describe_current(&self) -> String {
        let token = self.peek();
        match token.kind {
            TokenKind::Eof => "end of file".to_string(),
            _ => {
                let text = self.text(token);
                let shown: String = text.chars().take(24).collect();
                let ellipsis = if shown.len() < text.len() { "..." } else { "" };
                format!("'{shown}{ellipsis}'")
            }
        }
    }

    /// Reports "expected {what}, found {current}" at the current token.
    fn error_expected(&mut self, what: &str) {
        let token = self.peek();
        // At end of input the lexer already reported the unclosed block;
        // one message is enough.
        if token.kind == TokenKind::Eof {
            self.needs_sync = true;
            return;
        }
        let message = format!("expected {what}, found {}", self.describe_current());
        self.diagnostics
            .push(Diagnostic::error(token.span(), message));
        self.needs_sync = true;
    }

    fn expect(&mut self, kind: TokenKind, what: &str) -> Option<Token> {
        let token = self.eat(kind);
        if token.is_none() {
            self.error_expected(what);
        }
        token
    }

    /// Consumes a balanced `open ... close` group starting at the current
    /// `open` token. Stops at the end of input, and a parenthesised group
    /// also stops before any brace.
    fn skip_balanced(&mut self, open: TokenKind, close: TokenKind) {
        let mut depth = 0usize;
        loop {
            let kind = self.kind();
            if kind == TokenKind::Eof {
                return;
            }
            if open != TokenKind::LBrace && matches!(kind, TokenKind::LBrace | TokenKind::RBrace) {
                // Braces inside parentheses belong to the block structure,
                // which must stay balanced: leave them to the block parser.
                self.needs_sync = true;
                return;
            }
            self.bump();
            if kind == open {
                depth += 1;
            } else if kind == close {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return;
                }
            }
        }
    }

    /// Skips tokens up to the next statement boundary of the current block:
    /// a statement keyword, a `{` (parsing a stray block keeps its contents
    /// visible to the analyses), a token that can start a statement at the
    /// beginning of a line, or the block's `}`.
    fn synchronize(&mut self) {
        loop {
            let token = self.peek();
            match token.kind {
                TokenKind::Eof | TokenKind::RBrace | TokenKind::LBrace => return,
                kind if kind.starts_statement_keyword() => return,
                TokenKind::Ident if token.line_break_before => return,
                kind if kind.is_literal() && token.line_break_before => return,
                TokenKind::LParen => self.skip_balanced(TokenKind::LParen, TokenKind::RParen),
                _ => {
                    self.bump();
                }
            }
        }
    }

    /// Skips the rest of an argument list after an error, consuming the
    /// closing `)`; stops before anything that must belong to an outer
    /// construct (a brace or a statement keyword).
    fn recover_in_arguments(&mut self) {
        let mut depth = 0usize;
        loop {
            match self.kind() {
                TokenKind::Eof | TokenKind::LBrace | TokenKind::RBrace => return,
                kind if kind.starts_statement_keyword() => return,
                TokenKind::LParen => {
                    depth += 1;
                    self.bump();
                }
                TokenKind::RParen => {
                    self.bump();
                    if depth == 0 {
                        // Back in step: the enclosing statement can go on.
                        self.needs_sync = false;
                        return;
                    }
                    depth -= 1;
                }
                _ => {
                    self.bump();
                }
            }
        }
    }

    fn enter(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            let token = self.peek();
            self.diagnostics.push(Diagnostic::error(
                token.span(),
                format!(
                    "assembly nested more than {MAX_DEPTH} levels deep: the construct is skipped"
                ),
            ));
            self.needs_sync = true;
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }
}
