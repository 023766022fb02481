//! Expressions: calls, identifiers and literals (with the optional type of
//! typed Yul).

use super::Parser;
use crate::yul::ast::*;
use crate::yul::lexer::{Token, TokenKind};
use crate::Span;

impl Parser<'_> {
    pub(super) fn expression(&mut self) -> YulExpression {
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
    pub(super) fn literal(&mut self) -> YulLiteral {
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

    pub(super) fn identifier_at_cursor(&mut self) -> YulIdentifier {
        let token = self.bump();
        self.identifier(token)
    }

    pub(super) fn identifier(&self, token: Token) -> YulIdentifier {
        YulIdentifier {
            span: token.span(),
            name: self.text(token).to_string(),
        }
    }
}
