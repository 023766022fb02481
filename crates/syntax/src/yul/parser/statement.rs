//! Statements and blocks: `{ ... }`, `let`, assignments, `if`, `switch`,
//! `for`, function definitions, and the old-style labels, stack
//! assignments and bare instructions.

use super::Parser;
use crate::yul::ast::*;
use crate::yul::lexer::TokenKind;
use crate::{Diagnostic, Span};

impl Parser<'_> {
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
    pub(super) fn optional_type(&mut self) -> Option<YulIdentifier> {
        if self.at(TokenKind::Colon) && self.nth_kind(1) == TokenKind::Ident {
            self.bump();
            let token = self.bump();
            Some(self.identifier(token))
        } else {
            None
        }
    }
}
