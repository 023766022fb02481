//! Recursive-descent parser from the token list of one assembly block to
//! the [`YulBlock`] tree.
//!
//! Error tolerance: every error is reported once, as "expected X, found Y",
//! and the parser resynchronises at the next plausible statement start (a
//! statement keyword, a token on a new line, or the closing `}` of the
//! current block). Progress is guaranteed in every loop by consuming at least
//! one token per iteration or leaving the loop, and nesting depth is capped
//! so adversarial input cannot overflow the stack.

use super::ast::*;
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

    // ---- blocks and statements ------------------------------------------

    /// `{ statements }`. Without a `{`, reports it and returns an empty
    /// block at the current position without consuming anything.
    pub(crate) fn block(&mut self) -> YulBlock {
        let start = self.peek().start;
        if !self.at(TokenKind::LBrace) {
            self.error_expected("'{'");
            return YulBlock {
                span: Span { start, end: start },
                statements: Vec::new(),
            };
        }
        if !self.enter() {
            self.skip_balanced(TokenKind::LBrace, TokenKind::RBrace);
            return YulBlock {
                span: self.span_from(start),
                statements: Vec::new(),
            };
        }
        self.bump();
        // Inside a fresh `{` the parser is back in step with the text.
        self.needs_sync = false;
        let mut statements = Vec::new();
        while !self.at_block_end() {
            let before = self.pos;
            if let Some(statement) = self.statement() {
                statements.push(statement);
            }
            if std::mem::take(&mut self.needs_sync) {
                self.synchronize();
            }
            if self.pos == before {
                // Defensive: statement() always consumes on error paths, but
                // a loop without progress must be impossible.
                self.error_expected("a statement");
                self.bump();
            }
        }
        // At end of input the lexer has reported the unclosed block.
        self.eat(TokenKind::RBrace);
        self.leave();
        YulBlock {
            span: self.span_from(start),
            statements,
        }
    }

    fn statement(&mut self) -> Option<YulStatement> {
        let token = self.peek();
        let statement = match token.kind {
            TokenKind::LBrace => YulStatement::Block(self.block()),
            TokenKind::Let => YulStatement::VariableDeclaration(self.variable_declaration()),
            TokenKind::If => YulStatement::If(self.if_statement()),
            TokenKind::Switch => YulStatement::Switch(self.switch_statement()),
            TokenKind::For => YulStatement::For(self.for_loop()),
            TokenKind::Function => YulStatement::FunctionDefinition(self.function_definition()),
            TokenKind::Break => YulStatement::Break(self.bump().span()),
            TokenKind::Continue => YulStatement::Continue(self.bump().span()),
            TokenKind::Leave => YulStatement::Leave(self.bump().span()),
            TokenKind::EqColon => YulStatement::StackAssignment(self.stack_assignment()),
            TokenKind::Ident => match self.nth_kind(1) {
                TokenKind::LParen => YulStatement::Expression(self.expression()),
                TokenKind::Comma | TokenKind::ColonEq => {
                    YulStatement::Assignment(self.assignment())
                }
                TokenKind::Colon => YulStatement::Label(self.label()),
                _ => YulStatement::Instruction(self.identifier_at_cursor()),
            },
            kind if kind.is_literal() => {
                YulStatement::Expression(YulExpression::Literal(self.literal()))
            }
            TokenKind::Case | TokenKind::Default => {
                self.error_expected("a statement ('case' and 'default' belong inside 'switch')");
                self.bump();
                return None;
            }
            _ => {
                self.error_expected("a statement");
                self.bump();
                return None;
            }
        };
        Some(statement)
    }

    fn variable_declaration(&mut self) -> YulVariableDeclaration {
        let start = self.bump().start; // `let`
        let mut names = Vec::new();
        if let Some(name) = self.typed_name() {
            names.push(name);
            while self.eat(TokenKind::Comma).is_some() {
                match self.typed_name() {
                    Some(name) => names.push(name),
                    None => break,
                }
            }
        }
        let value = if self.eat(TokenKind::ColonEq).is_some() {
            Some(self.expression())
        } else {
            None
        };
        YulVariableDeclaration {
            span: self.span_from(start),
            names,
            value,
        }
    }

    fn assignment(&mut self) -> YulAssignment {
        let start = self.peek().start;
        let mut targets = vec![self.identifier_at_cursor()];
        while self.eat(TokenKind::Comma).is_some() {
            match self.expect(TokenKind::Ident, "a variable name after ','") {
                Some(token) => targets.push(self.identifier(token)),
                None => break,
            }
        }
        let value = if self.expect(TokenKind::ColonEq, "':='").is_some() {
            self.expression()
        } else {
            YulExpression::Error(Span {
                start: self.prev_end,
                end: self.prev_end,
            })
        };
        YulAssignment {
            span: self.span_from(start),
            targets,
            value,
        }
    }

    fn label(&mut self) -> YulLabel {
        let name = self.identifier_at_cursor();
        self.bump(); // `:`
        YulLabel {
            span: self.span_from(name.span.start),
            name,
        }
    }

    fn stack_assignment(&mut self) -> YulStackAssignment {
        let start = self.bump().start; // `=:`
        let target = match self.expect(TokenKind::Ident, "a variable name after '=:'") {
            Some(token) => self.identifier(token),
            None => YulIdentifier {
                span: Span {
                    start: self.prev_end,
                    end: self.prev_end,
                },
                name: String::new(),
            },
        };
        YulStackAssignment {
            span: self.span_from(start),
            target,
        }
    }

    fn if_statement(&mut self) -> YulIf {
        let start = self.bump().start; // `if`
        let condition = self.expression();
        let body = self.block();
        YulIf {
            span: self.span_from(start),
            condition,
            body,
        }
    }

    fn switch_statement(&mut self) -> YulSwitch {
        let start = self.bump().start; // `switch`
        let expression = self.expression();
        let mut cases: Vec<YulSwitchCase> = Vec::new();
        loop {
            let case_start = self.peek().start;
            let value = match self.kind() {
                TokenKind::Case => {
                    self.bump();
                    if cases.iter().any(|c| c.value.is_none()) {
                        self.diagnostics.push(Diagnostic::error(
                            Span::new(case_start as usize, self.prev_end as usize),
                            "'case' after 'default': the default case must come last",
                        ));
                    }
                    if self.peek().kind.is_literal() {
                        Some(self.literal())
                    } else {
                        self.error_expected("a literal after 'case'");
                        None
                    }
                }
                TokenKind::Default => {
                    self.bump();
                    if cases.iter().any(|c| c.value.is_none()) {
                        self.diagnostics.push(Diagnostic::error(
                            Span::new(case_start as usize, self.prev_end as usize),
                            "second 'default' case in one 'switch'",
                        ));
                    }
                    None
                }
                _ => break,
            };
            let body = self.block();
            cases.push(YulSwitchCase {
                span: self.span_from(case_start),
                value,
                body,
            });
        }
        if cases.is_empty() {
            self.error_expected("'case' or 'default' after the switch expression");
        }
        YulSwitch {
            span: self.span_from(start),
            expression,
            cases,
        }
    }

    fn for_loop(&mut self) -> YulFor {
        let start = self.bump().start; // `for`
        let init = self.block();
        let condition = self.expression();
        let post = self.block();
        let body = self.block();
        YulFor {
            span: self.span_from(start),
            init,
            condition,
            post,
            body,
        }
    }

    fn function_definition(&mut self) -> YulFunctionDefinition {
        let start = self.bump().start; // `function`
        let name = match self.expect(TokenKind::Ident, "a function name") {
            Some(token) => self.identifier(token),
            None => YulIdentifier {
                span: Span {
                    start: self.prev_end,
                    end: self.prev_end,
                },
                name: String::new(),
            },
        };
        let mut params = Vec::new();
        let has_params = self
            .expect(TokenKind::LParen, "'(' after the function name")
            .is_some()
            && self.eat(TokenKind::RParen).is_none();
        if has_params {
            self.typed_name_list(&mut params);
            if self
                .expect(TokenKind::RParen, "',' or ')' in the parameter list")
                .is_none()
            {
                self.recover_in_arguments();
            }
        }
        let mut returns = Vec::new();
        if self.eat(TokenKind::Arrow).is_some() {
            self.typed_name_list(&mut returns);
        }
        let body = self.block();
        YulFunctionDefinition {
            span: self.span_from(start),
            name,
            params,
            returns,
            body,
        }
    }

    /// `name (',' name)*` with at least one name.
    fn typed_name_list(&mut self, names: &mut Vec<YulTypedName>) {
        loop {
            match self.typed_name() {
                Some(name) => names.push(name),
                None => return,
            }
            if self.eat(TokenKind::Comma).is_none() {
                return;
            }
        }
    }

    /// `name` or `name:type`; reports and returns `None` without a name.
    fn typed_name(&mut self) -> Option<YulTypedName> {
        let token = self.expect(TokenKind::Ident, "a variable name")?;
        let name = self.identifier(token);
        let ty = self.optional_type();
        Some(YulTypedName {
            span: self.span_from(name.span.start),
            name,
            ty,
        })
    }

    /// `:type` after a name or literal, as in typed Yul (`x:u256`, `1:u256`).
    fn optional_type(&mut self) -> Option<YulIdentifier> {
        if self.at(TokenKind::Colon) && self.nth_kind(1) == TokenKind::Ident {
            self.bump();
            let token = self.bump();
            Some(self.identifier(token))
        } else {
            None
        }
    }

    // ---- expressions ----------------------------------------------------

    fn expression(&mut self) -> YulExpression {
        let token = self.peek();
        match token.kind {
            TokenKind::Ident => {
                self.bump();
                let name = self.identifier(token);
                if self.at(TokenKind::LParen) {
                    YulExpression::Call(self.call_arguments(name))
                } else {
                    YulExpression::Identifier(name)
                }
            }
            kind if kind.is_literal() => YulExpression::Literal(self.literal()),
            _ => {
                self.error_expected("an expression");
                YulExpression::Error(Span {
                    start: token.start,
                    end: token.start,
                })
            }
        }
    }

    /// Parses `( args )` after the already consumed callee `name`.
    fn call_arguments(&mut self, name: YulIdentifier) -> YulFunctionCall {
        let start = name.span.start;
        let mut arguments = Vec::new();
        if !self.enter() {
            self.skip_balanced(TokenKind::LParen, TokenKind::RParen);
            return YulFunctionCall {
                span: self.span_from(start),
                name,
                arguments,
            };
        }
        self.bump(); // `(`
        if self.eat(TokenKind::RParen).is_none() {
            loop {
                let argument = self.expression();
                let failed = matches!(argument, YulExpression::Error(_));
                arguments.push(argument);
                if failed {
                    // Already reported; don't add "expected ',' or ')'".
                    self.recover_in_arguments();
                    break;
                }
                if self.eat(TokenKind::Comma).is_some() {
                    continue;
                }
                if self.eat(TokenKind::RParen).is_none() {
                    self.error_expected("',' or ')' in the argument list");
                    self.recover_in_arguments();
                }
                break;
            }
        }
        self.leave();
        YulFunctionCall {
            span: self.span_from(start),
            name,
            arguments,
        }
    }

    /// A literal at the cursor (the caller checked the token kind), with
    /// an optional `:type` written directly after it.
    fn literal(&mut self) -> YulLiteral {
        let token = self.bump();
        let kind = match token.kind {
            TokenKind::DecimalNumber => YulLiteralKind::Decimal,
            TokenKind::HexNumber => YulLiteralKind::HexNumber,
            TokenKind::String => YulLiteralKind::String,
            TokenKind::HexString => YulLiteralKind::HexString,
            _ => YulLiteralKind::Bool,
        };
        // Only an adjacent `:` makes a typed literal; `0x40 x:` with spaces
        // is a literal followed by an old-style label.
        let ty = if self.peek().start == token.end {
            self.optional_type()
        } else {
            None
        };
        YulLiteral {
            span: self.span_from(token.start),
            kind,
            raw: self.text(token).to_string(),
            ty,
        }
    }

    fn identifier_at_cursor(&mut self) -> YulIdentifier {
        let token = self.bump();
        self.identifier(token)
    }

    fn identifier(&self, token: Token) -> YulIdentifier {
        YulIdentifier {
            span: token.span(),
            name: self.text(token).to_string(),
        }
    }
}
