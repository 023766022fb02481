//! Error-tolerant recursive-descent parser for Solidity 0.4.11–0.8.x.
//!
//! Layout: this module holds the token cursor, diagnostics, checkpoints and
//! recovery; `items` parses file-level items and contract members, `types`
//! type names and parameter lists, `stmt` statements, `expr` expressions
//! (precedence climbing), `literal` literal decoding, `docs` NatSpec.
//!
//! Error handling: parse functions return `PResult`; an `Err` means a
//! diagnostic has already been recorded and the caller must resynchronise
//! (the statement, member and item loops do, with `recover_*`). Every loop
//! checks that it consumed at least one token per iteration, and nesting is
//! bounded by [`MAX_DEPTH`], so no input can hang the parser or overflow
//! its stack.

mod docs;
mod expr;
mod items;
mod literal;
mod stmt;
mod types;

use std::collections::VecDeque;

use crate::ast::{Ident, NodeId, SourceUnit};
use crate::comment::Comment;
use crate::diagnostic::Diagnostic;
use crate::lexer::{Keyword, Lexer, Token, TokenKind};
use crate::span::Span;

/// Everything parsing one file produces. Always complete: syntax errors are
/// in `diagnostics`, and the unit holds whatever could be recovered.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub unit: SourceUnit,
    /// Lexer, parser and inline-assembly diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Every comment (including those inside assembly), in source order.
    pub comments: Vec<Comment>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
}

/// Parses one Solidity source file. Never panics, always terminates.
pub fn parse(source: &str) -> Parsed {
    let mut parser = Parser::new(source);
    let items = parser.source_items();
    let node_count = parser.next_id;
    let Parser {
        lexer,
        mut diagnostics,
        ..
    } = parser;
    diagnostics.extend(lexer.diagnostics);
    // Restarting the lexer (after a pragma or an assembly block) can lex
    // the same stretch twice when lookahead had already gone past it.
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    diagnostics.dedup();
    let mut comments = lexer.comments;
    comments.sort_by_key(|c| c.span.start);
    comments.dedup();
    Parsed {
        unit: SourceUnit {
            span: Span::new(0, source.len()),
            items,
            node_count,
        },
        diagnostics,
        comments,
    }
}

/// Deepest recursion (nested expressions, statements, type names) the
/// parser accepts. The deepest function body in the shared corpora nests 39
/// levels; the bound keeps pathological input from exhausting the stack
/// (about 100 levels fit in 1 MB even in unoptimised builds).
const MAX_DEPTH: u32 = 100;

/// Deepest tree the parser builds, counting the links of chains that loops
/// build (`a + b + ...`, `a.b.c`, `f()()`, `else if`) as well as recursion:
/// every consumer walks and drops the tree recursively, so its depth must be
/// bounded too, not only the parser's own recursion.
const MAX_AST_DEPTH: u32 = 512;

/// Diagnostics kept per file from the parser (the lexer has its own cap):
/// garbage input is not worth one error per token.
const MAX_DIAGNOSTICS: usize = 500;

/// Marker: a diagnostic was recorded and the caller must resynchronise.
#[derive(Debug)]
pub(crate) struct ParseError;

pub(crate) type PResult<T> = Result<T, ParseError>;

pub(crate) struct Parser<'a> {
    src: &'a str,
    lexer: Lexer<'a>,
    /// The current token.
    tok: Token,
    /// Tokens already lexed after `tok`.
    ahead: VecDeque<Token>,
    /// End of the previously consumed token (start of the gap before `tok`).
    prev_end: usize,
    /// Incremented by every `bump`, so loops can prove progress.
    bumps: u64,
    diagnostics: Vec<Diagnostic>,
    next_id: u32,
    depth: u32,
    /// Depth of the tree being built (recursion plus chain links).
    ast_depth: u32,
    /// `**` is right-associative from 0.7 on; older compilers parsed it
    /// left-associative. Set from the `pragma solidity` seen in the file.
    pow_right_assoc: bool,
    /// Name of the contract being parsed, to recognise legacy constructors.
    contract_name: Option<String>,
}

/// Saved parser state for speculative parsing.
struct Checkpoint {
    lexer_pos: usize,
    tok: Token,
    ahead: VecDeque<Token>,
    prev_end: usize,
    comments: usize,
    lexer_diagnostics: usize,
    diagnostics: usize,
    next_id: u32,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Parser<'a> {
        let mut lexer = Lexer::new(src);
        let tok = lexer.next_token();
        Parser {
            src,
            lexer,
            tok,
            ahead: VecDeque::new(),
            prev_end: 0,
            bumps: 0,
            diagnostics: Vec::new(),
            next_id: 0,
            depth: 0,
            ast_depth: 0,
            pow_right_assoc: true,
            contract_name: None,
        }
    }

    // -- ids and spans ------------------------------------------------------

    fn id(&mut self) -> NodeId {
        let id = NodeId(self.next_id);
        self.next_id += 1;
        id
    }

    /// Span from `start` to the end of the last consumed token.
    fn span_from(&self, start: usize) -> Span {
        Span::new(start, self.prev_end.max(start))
    }

    fn start(&self) -> usize {
        self.tok.span.start as usize
    }

    fn text(&self, tok: Token) -> &'a str {
        tok.span.text(self.src)
    }

    // -- cursor ---------------------------------------------------------------

    fn bump(&mut self) -> Token {
        let tok = self.tok;
        if tok.kind != TokenKind::Eof {
            self.prev_end = tok.span.end as usize;
            self.tok = match self.ahead.pop_front() {
                Some(t) => t,
                None => self.lexer.next_token(),
            };
        }
        self.bumps += 1;
        tok
    }

    /// The `n`-th token after the current one (`peek(1)` is the next).
    fn peek(&mut self, n: usize) -> Token {
        debug_assert!(n >= 1);
        while self.ahead.len() < n {
            let t = match self.ahead.back() {
                Some(t) if t.kind == TokenKind::Eof => *t,
                _ if self.tok.kind == TokenKind::Eof => self.tok,
                _ => self.lexer.next_token(),
            };
            self.ahead.push_back(t);
        }
        self.ahead[n - 1]
    }

    fn at(&self, kind: TokenKind) -> bool {
        self.tok.kind == kind
    }

    fn at_kw(&self, kw: Keyword) -> bool {
        self.tok.kind == TokenKind::Keyword(kw)
    }

    /// Is the current token the identifier `word` (a contextual keyword)?
    fn at_word(&self, word: &str) -> bool {
        self.tok.kind == TokenKind::Ident && self.text(self.tok) == word
    }

    fn peek_is_word(&mut self, n: usize, word: &str) -> bool {
        let t = self.peek(n);
        t.kind == TokenKind::Ident && self.text(t) == word
    }

    fn eat(&mut self, kind: TokenKind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn eat_kw(&mut self, kw: Keyword) -> bool {
        self.eat(TokenKind::Keyword(kw))
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if self.at_word(word) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Consumes `kind` or records `expected <kind> <context>, found <tok>`.
    fn expect(&mut self, kind: TokenKind, context: &str) -> PResult<Token> {
        if self.at(kind) {
            return Ok(self.bump());
        }
        if kind == TokenKind::Semi && self.newline_before_current() {
            // A `;` forgotten at the end of a line: report it right after
            // the previous token, and carry on as if it were there so that
            // neither this statement nor the next line is lost.
            let message = format!("expected ';' {context}, found {}", self.found());
            let at = Span::new(self.prev_end, self.prev_end);
            self.error_at(at, message);
            return Ok(Token {
                kind: TokenKind::Semi,
                span: at,
            });
        }
        Err(self.error_expected(kind.describe(), context))
    }

    /// Is there a line break between the previous token and the current one?
    fn newline_before_current(&self) -> bool {
        let gap = self
            .src
            .as_bytes()
            .get(self.prev_end..self.tok.span.start as usize)
            .unwrap_or(&[]);
        gap.contains(&b'\n')
    }

    /// An identifier (contextual keywords included).
    fn ident(&mut self, context: &str) -> PResult<Ident> {
        if self.at(TokenKind::Ident) {
            let tok = self.bump();
            Ok(self.make_ident(tok))
        } else {
            Err(self.error_expected("identifier", context))
        }
    }

    /// An identifier, or a keyword / type name used as a name where the
    /// grammar allows any word (after `.`, e.g. `f.address`, `x.length`).
    fn ident_or_keyword(&mut self, context: &str) -> PResult<Ident> {
        match self.tok.kind {
            TokenKind::Ident | TokenKind::Keyword(_) | TokenKind::ElementaryType(_) => {
                let tok = self.bump();
                Ok(self.make_ident(tok))
            }
            _ => Err(self.error_expected("identifier", context)),
        }
    }

    fn make_ident(&self, tok: Token) -> Ident {
        Ident {
            name: self.text(tok).to_string(),
            span: tok.span,
        }
    }

    // -- nesting guard --------------------------------------------------------

    /// Runs `f` one recursion level deeper, or fails past the bounds.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH || self.ast_depth >= MAX_AST_DEPTH {
            return Err(self.too_deep());
        }
        self.depth += 1;
        self.ast_depth += 1;
        let result = f(self);
        self.depth -= 1;
        self.ast_depth -= 1;
        result
    }

    /// Runs a loop that builds a chain of nodes, each link counted by
    /// [`Parser::link`]; the tree depth is restored afterwards.
    fn chain<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let saved = self.ast_depth;
        let result = f(self);
        self.ast_depth = saved;
        result
    }

    /// Accounts for one more level of a chain built by a loop.
    fn link(&mut self) -> PResult<()> {
        if self.ast_depth >= MAX_AST_DEPTH {
            return Err(self.too_deep());
        }
        self.ast_depth += 1;
        Ok(())
    }

    fn too_deep(&mut self) -> ParseError {
        let span = self.tok.span;
        self.error_at(
            span,
            "nesting too deep: the parser gives up on this construct",
        );
        ParseError
    }

    // -- diagnostics ----------------------------------------------------------

    /// Describes the current token for "found ..." messages.
    fn found(&self) -> String {
        let text = self.text(self.tok);
        match self.tok.kind {
            TokenKind::Ident => format!("identifier '{text}'"),
            TokenKind::Keyword(_) => format!("keyword '{text}'"),
            TokenKind::ElementaryType(_) => format!("type '{text}'"),
            TokenKind::Number => format!("number '{}'", truncate(text)),
            TokenKind::String | TokenKind::HexString | TokenKind::UnicodeString => {
                "string literal".to_string()
            }
            TokenKind::Unknown => format!("invalid character {text:?}"),
            kind => kind.describe().to_string(),
        }
    }

    /// Records `expected <what> <context>, found <current token>`.
    fn error_expected(&mut self, what: &str, context: &str) -> ParseError {
        let message = if context.is_empty() {
            format!("expected {what}, found {}", self.found())
        } else {
            format!("expected {what} {context}, found {}", self.found())
        };
        let span = self.tok.span;
        self.error_at(span, message);
        ParseError
    }

    fn error_at(&mut self, span: Span, message: impl Into<String>) {
        // One error per position: recovery often re-reports the same spot.
        if self
            .diagnostics
            .last()
            .is_some_and(|d| d.span.start == span.start)
        {
            return;
        }
        // Garbage input would otherwise yield one error per token.
        if self.diagnostics.len() >= MAX_DIAGNOSTICS {
            return;
        }
        self.diagnostics.push(Diagnostic::error(span, message));
    }

    // -- speculation ----------------------------------------------------------

    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            lexer_pos: self.lexer.pos(),
            tok: self.tok,
            ahead: self.ahead.clone(),
            prev_end: self.prev_end,
            comments: self.lexer.comments.len(),
            lexer_diagnostics: self.lexer.diagnostics.len(),
            diagnostics: self.diagnostics.len(),
            next_id: self.next_id,
        }
    }

    fn restore(&mut self, cp: Checkpoint) {
        self.lexer.reset(cp.lexer_pos);
        self.tok = cp.tok;
        self.ahead = cp.ahead;
        self.prev_end = cp.prev_end;
        self.lexer.comments.truncate(cp.comments);
        self.lexer.diagnostics.truncate(cp.lexer_diagnostics);
        self.diagnostics.truncate(cp.diagnostics);
        self.next_id = cp.next_id;
    }

    /// Drops the current token and lookahead and continues lexing at `pos`
    /// (used after an assembly block parsed by the Yul parser).
    fn resume_at(&mut self, pos: usize) {
        self.prev_end = pos;
        self.ahead.clear();
        self.lexer.reset(pos);
        self.tok = self.lexer.next_token();
        self.bumps += 1;
    }

    // -- recovery -------------------------------------------------------------

    /// Expression-level resynchronisation: skips the rest of a broken
    /// expression, over balanced `(...)` and `[...]`, and stops before the
    /// first token of `stops` found at nesting depth 0 (returns `true`), or
    /// before a boundary no expression crosses (returns `false`): `;`, a
    /// brace, a closing bracket of an enclosing construct, a keyword that
    /// starts a member, or the end of the file. Braces count as
    /// boundaries because inside an expression they only open call options
    /// or named arguments, while a stray one almost always ends a block.
    fn skip_expr_tail(&mut self, stops: &[TokenKind]) -> bool {
        let mut depth = 0u32;
        loop {
            let kind = self.tok.kind;
            if depth == 0 && stops.contains(&kind) {
                return true;
            }
            match kind {
                TokenKind::Eof | TokenKind::Semi | TokenKind::LBrace | TokenKind::RBrace => {
                    return false
                }
                TokenKind::LParen | TokenKind::LBracket => depth += 1,
                TokenKind::RParen | TokenKind::RBracket => {
                    if depth == 0 {
                        return false;
                    }
                    depth -= 1;
                }
                _ if self.at_member_start_keyword() => return false,
                _ => {}
            }
            self.bump();
        }
    }

    /// Consumes the bracket `close` that ends a construct inside an
    /// expression (argument list, index, tuple, inline array). When
    /// something else is there, reports it and skips to the bracket, so
    /// that `f(a b)` is still a call of `f`; fails only when the bracket
    /// is not found before the end of the statement.
    fn expect_closing(&mut self, close: TokenKind, context: &str) -> PResult<()> {
        if self.eat(close) {
            return Ok(());
        }
        let error = self.error_expected(close.describe(), context);
        if self.skip_expr_tail(&[close]) {
            self.bump();
            Ok(())
        } else {
            Err(error)
        }
    }

    /// Skips to the end of the broken statement: past the next `;` at brace
    /// depth 0, or up to (not past) the `}` closing the enclosing block or a
    /// keyword that can only start a new member.
    fn recover_stmt(&mut self) {
        let mut depth = 0u32;
        loop {
            let kind = self.tok.kind;
            match kind {
                TokenKind::Eof => return,
                TokenKind::Semi if depth == 0 => {
                    self.bump();
                    return;
                }
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace if depth == 0 => return,
                TokenKind::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        self.bump();
                        // `if (x) { ... }` style statements end with a block.
                        return;
                    }
                }
                _ if depth == 0 && self.at_member_start_keyword() => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// Skips a broken contract member: past the next `;` or balanced
    /// `{...}` at depth 0, stopping before a token that starts a member or
    /// the `}` closing the contract.
    fn recover_member(&mut self) {
        let mut depth = 0u32;
        loop {
            let kind = self.tok.kind;
            match kind {
                TokenKind::Eof => return,
                TokenKind::Semi if depth == 0 => {
                    self.bump();
                    return;
                }
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace if depth == 0 => return,
                TokenKind::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                }
                _ if depth == 0 && self.at_member_start() => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// Skips a broken file-level item up to the next item keyword at depth 0.
    fn recover_item(&mut self) {
        let mut depth = 0u32;
        loop {
            let kind = self.tok.kind;
            match kind {
                TokenKind::Eof => return,
                TokenKind::Semi if depth == 0 => {
                    self.bump();
                    return;
                }
                TokenKind::LBrace => depth += 1,
                TokenKind::RBrace if depth == 0 => {}
                TokenKind::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                }
                _ if depth == 0 && self.at_item_start() => return,
                _ => {}
            }
            self.bump();
        }
    }

    /// Keywords that cannot appear inside a function body (as opposed to
    /// `function (uint) f` local variables, which are followed by `(`).
    fn at_member_start_keyword(&mut self) -> bool {
        match self.tok.kind {
            TokenKind::Keyword(
                Keyword::Modifier
                | Keyword::Event
                | Keyword::Struct
                | Keyword::Enum
                | Keyword::Contract
                | Keyword::Interface
                | Keyword::Library
                | Keyword::Pragma
                | Keyword::Import
                | Keyword::Using,
            ) => true,
            TokenKind::Keyword(Keyword::Function) => self.peek(1).kind == TokenKind::Ident,
            _ => false,
        }
    }

    fn at_member_start(&mut self) -> bool {
        if self.at_member_start_keyword() || self.at_kw(Keyword::Function) {
            return true;
        }
        if self.tok.kind == TokenKind::Ident {
            let word = self.text(self.tok);
            let next = self.peek(1).kind;
            return match word {
                "constructor" | "fallback" | "receive" => next == TokenKind::LParen,
                "error" => next == TokenKind::Ident && self.peek(2).kind == TokenKind::LParen,
                _ => false,
            };
        }
        false
    }

    fn at_item_start(&mut self) -> bool {
        match self.tok.kind {
            TokenKind::Keyword(
                Keyword::Contract
                | Keyword::Interface
                | Keyword::Library
                | Keyword::Pragma
                | Keyword::Import
                | Keyword::Function
                | Keyword::Struct
                | Keyword::Enum
                | Keyword::Event
                | Keyword::Using,
            ) => true,
            TokenKind::Ident => {
                self.at_word("abstract")
                    && self.peek(1).kind == TokenKind::Keyword(Keyword::Contract)
            }
            _ => false,
        }
    }
}

fn truncate(text: &str) -> &str {
    match text.char_indices().nth(40) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}
