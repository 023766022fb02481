//! Expressions: precedence climbing over Solidity's operator table.
//!
//! Precedence, loosest first (solc's table): assignment and `?:` (right
//! associative), `||`, `&&`, `==` `!=`, `<` `>` `<=` `>=`, `|`, `^`, `&`,
//! shifts, `+` `-`, `*` `/` `%`, `**`, then prefix operators, then postfix
//! (`++`, `--`, member, index, call, call options). Prefix operators bind
//! tighter than `**`, so `-x ** 2` is `(-x) ** 2`, as in solc.

use super::{PResult, ParseError, Parser};
use crate::ast::{
    BinaryOp, CallArgs, CallArgsKind, ElementaryType, Expr, ExprKind, Literal, NamedArg,
    NumberUnit, StringKind, UnaryOp,
};
use crate::lexer::{AssignOp, Keyword, TokenKind};

/// Loosest binary precedence (`||`).
const MIN_BINARY_PRECEDENCE: u8 = 4;

fn binary_op(kind: TokenKind) -> Option<(BinaryOp, u8)> {
    use TokenKind::*;
    Some(match kind {
        OrOr => (BinaryOp::Or, 4),
        AndAnd => (BinaryOp::And, 5),
        Eq => (BinaryOp::Eq, 6),
        Ne => (BinaryOp::Ne, 6),
        Lt => (BinaryOp::Lt, 7),
        Gt => (BinaryOp::Gt, 7),
        Le => (BinaryOp::Le, 7),
        Ge => (BinaryOp::Ge, 7),
        Pipe => (BinaryOp::BitOr, 8),
        Caret => (BinaryOp::BitXor, 9),
        Amp => (BinaryOp::BitAnd, 10),
        Shl => (BinaryOp::Shl, 11),
        Shr => (BinaryOp::Shr, 11),
        Sar => (BinaryOp::Sar, 11),
        Plus => (BinaryOp::Add, 12),
        Minus => (BinaryOp::Sub, 12),
        Star => (BinaryOp::Mul, 13),
        Slash => (BinaryOp::Div, 13),
        Percent => (BinaryOp::Mod, 13),
        StarStar => (BinaryOp::Pow, 14),
        _ => return None,
    })
}

fn compound_op(op: AssignOp) -> BinaryOp {
    match op {
        AssignOp::Add => BinaryOp::Add,
        AssignOp::Sub => BinaryOp::Sub,
        AssignOp::Mul => BinaryOp::Mul,
        AssignOp::Div => BinaryOp::Div,
        AssignOp::Mod => BinaryOp::Mod,
        AssignOp::BitOr => BinaryOp::BitOr,
        AssignOp::BitAnd => BinaryOp::BitAnd,
        AssignOp::BitXor => BinaryOp::BitXor,
        AssignOp::Shl => BinaryOp::Shl,
        AssignOp::Shr => BinaryOp::Shr,
        AssignOp::Sar => BinaryOp::Sar,
    }
}

fn number_unit(word: &str) -> Option<NumberUnit> {
    Some(match word {
        "wei" => NumberUnit::Wei,
        "gwei" => NumberUnit::Gwei,
        "szabo" => NumberUnit::Szabo,
        "finney" => NumberUnit::Finney,
        "ether" => NumberUnit::Ether,
        "seconds" => NumberUnit::Seconds,
        "minutes" => NumberUnit::Minutes,
        "hours" => NumberUnit::Hours,
        "days" => NumberUnit::Days,
        "weeks" => NumberUnit::Weeks,
        "years" => NumberUnit::Years,
        _ => return None,
    })
}

impl Parser<'_> {
    fn mk(&mut self, start: usize, kind: ExprKind) -> Expr {
        Expr {
            id: self.id(),
            span: self.span_from(start),
            kind,
        }
    }

    /// A full expression (assignment level).
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.nested(Self::expr_inner)
    }

    /// A full expression that cannot fail: when it is broken beyond what
    /// the expression parser repairs itself, the diagnostic is kept and the
    /// expression becomes [`ExprKind::Error`], spanning the tokens skipped
    /// up to the first of `stops` (not consumed) or the end of the
    /// statement. Used where the surrounding construct (an argument list, a
    /// statement) can still be kept.
    pub(super) fn expr_or_error(&mut self, stops: &[TokenKind]) -> Expr {
        let start = self.start();
        match self.expr() {
            Ok(expr) => expr,
            Err(ParseError) => {
                self.skip_expr_tail(stops);
                self.mk(start, ExprKind::Error)
            }
        }
    }

    /// One element of a bracketed list closed by `close`.
    fn list_element(&mut self, close: TokenKind) -> Expr {
        self.expr_or_error(&[TokenKind::Comma, close])
    }

    fn expr_inner(&mut self) -> PResult<Expr> {
        let start = self.start();
        let lhs = self.binary(MIN_BINARY_PRECEDENCE)?;
        self.expr_rest(start, lhs)
    }

    /// Continues an expression whose leading operand `lhs` is already
    /// parsed (also used when a statement turned out not to be a
    /// declaration after reading a type-like prefix).
    pub(super) fn expr_rest(&mut self, start: usize, lhs: Expr) -> PResult<Expr> {
        match self.tok.kind {
            TokenKind::Assign => {
                self.bump();
                let rhs = self.expr()?;
                Ok(self.mk(
                    start,
                    ExprKind::Assign {
                        op: None,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                ))
            }
            TokenKind::AssignOp(op) => {
                self.bump();
                let rhs = self.expr()?;
                Ok(self.mk(
                    start,
                    ExprKind::Assign {
                        op: Some(compound_op(op)),
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                ))
            }
            TokenKind::Question => {
                self.bump();
                let then_expr = self.expr()?;
                self.expect(TokenKind::Colon, "in conditional expression")?;
                let else_expr = self.expr()?;
                Ok(self.mk(
                    start,
                    ExprKind::Conditional {
                        cond: Box::new(lhs),
                        then_expr: Box::new(then_expr),
                        else_expr: Box::new(else_expr),
                    },
                ))
            }
            _ => Ok(lhs),
        }
    }

    fn binary(&mut self, min_precedence: u8) -> PResult<Expr> {
        let start = self.start();
        let lhs = self.unary()?;
        self.binary_rest(start, lhs, min_precedence)
    }

    /// Applies binary operators of at least `min_precedence` to `lhs`.
    pub(super) fn binary_rest(
        &mut self,
        start: usize,
        lhs: Expr,
        min_precedence: u8,
    ) -> PResult<Expr> {
        self.chain(|p| {
            let mut lhs = lhs;
            while let Some((op, precedence)) = binary_op(p.tok.kind) {
                if precedence < min_precedence {
                    break;
                }
                p.link()?;
                p.bump();
                let right_assoc = op == BinaryOp::Pow && p.pow_right_assoc;
                let rhs = if right_assoc {
                    // Right recursion: one level per operator.
                    p.nested(|p| p.binary(precedence))?
                } else {
                    p.binary(precedence + 1)?
                };
                lhs = p.mk(
                    start,
                    ExprKind::Binary {
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                );
            }
            Ok(lhs)
        })
    }

    fn unary(&mut self) -> PResult<Expr> {
        let start = self.start();
        let op = match self.tok.kind {
            TokenKind::Not => Some(UnaryOp::Not),
            TokenKind::Tilde => Some(UnaryOp::BitNot),
            TokenKind::Minus => Some(UnaryOp::Neg),
            TokenKind::Plus => Some(UnaryOp::Plus),
            TokenKind::Inc => Some(UnaryOp::PreInc),
            TokenKind::Dec => Some(UnaryOp::PreDec),
            TokenKind::Keyword(Keyword::Delete) => Some(UnaryOp::Delete),
            _ => None,
        };
        if let Some(op) = op {
            self.bump();
            let operand = self.nested(Self::unary)?;
            return Ok(self.mk(
                start,
                ExprKind::Unary {
                    op,
                    operand: Box::new(operand),
                },
            ));
        }
        let operand = self.primary()?;
        self.chain(|p| {
            let operand = p.postfix_ops(start, operand)?;
            p.postfix_incdec(start, operand)
        })
    }

    fn postfix_incdec(&mut self, start: usize, mut operand: Expr) -> PResult<Expr> {
        loop {
            let op = match self.tok.kind {
                TokenKind::Inc => UnaryOp::PostInc,
                TokenKind::Dec => UnaryOp::PostDec,
                _ => return Ok(operand),
            };
            self.link()?;
            self.bump();
            operand = self.mk(
                start,
                ExprKind::Unary {
                    op,
                    operand: Box::new(operand),
                },
            );
        }
    }

    /// Member access, indexing, slicing, calls and call options. Each link
    /// counts towards the tree depth: call within [`Parser::chain`].
    fn postfix_ops(&mut self, start: usize, mut base: Expr) -> PResult<Expr> {
        loop {
            let kind = self.tok.kind;
            if matches!(
                kind,
                TokenKind::Dot | TokenKind::LBracket | TokenKind::LParen | TokenKind::LBrace
            ) {
                self.link()?;
            }
            base = match kind {
                TokenKind::Dot => {
                    self.bump();
                    let Ok(member) = self.ident_or_keyword("after '.'") else {
                        // `a.` followed by something else: reported; the
                        // access is unknown but the rest goes on.
                        return Ok(self.mk(start, ExprKind::Error));
                    };
                    self.mk(
                        start,
                        ExprKind::Member {
                            base: Box::new(base),
                            member,
                        },
                    )
                }
                TokenKind::LBracket => self.index_or_slice(start, base)?,
                TokenKind::LParen => {
                    let args = self.call_args()?;
                    self.mk(
                        start,
                        ExprKind::Call {
                            callee: Box::new(base),
                            args,
                        },
                    )
                }
                // `{` opens call options only when followed by `name:`;
                // otherwise it is a block (e.g. the body of `try f() {`).
                TokenKind::LBrace
                    if self.peek(1).kind == TokenKind::Ident
                        && self.peek(2).kind == TokenKind::Colon =>
                {
                    self.bump();
                    let options = self.named_args_until_rbrace()?;
                    self.mk(
                        start,
                        ExprKind::CallOptions {
                            callee: Box::new(base),
                            options,
                        },
                    )
                }
                _ => return Ok(base),
            };
        }
    }

    fn index_or_slice(&mut self, start: usize, base: Expr) -> PResult<Expr> {
        self.bump();
        if self.eat(TokenKind::RBracket) {
            return Ok(self.mk(
                start,
                ExprKind::Index {
                    base: Box::new(base),
                    index: None,
                },
            ));
        }
        let first = if self.at(TokenKind::Colon) {
            None
        } else {
            Some(Box::new(
                self.expr_or_error(&[TokenKind::Colon, TokenKind::RBracket]),
            ))
        };
        if self.eat(TokenKind::Colon) {
            let end = if self.at(TokenKind::RBracket) {
                None
            } else {
                Some(Box::new(self.list_element(TokenKind::RBracket)))
            };
            self.expect_closing(TokenKind::RBracket, "to close slice")?;
            return Ok(self.mk(
                start,
                ExprKind::Slice {
                    base: Box::new(base),
                    start: first,
                    end,
                },
            ));
        }
        self.expect_closing(TokenKind::RBracket, "to close index access")?;
        Ok(self.mk(
            start,
            ExprKind::Index {
                base: Box::new(base),
                index: first,
            },
        ))
    }

    /// `(a, b)` or `({name: a, other: b})`
    pub(super) fn call_args(&mut self) -> PResult<CallArgs> {
        let start = self.start();
        self.expect(TokenKind::LParen, "to open argument list")?;
        let kind = if self.at(TokenKind::LBrace) {
            self.bump();
            let named = self.named_args_until_rbrace()?;
            CallArgsKind::Named(named)
        } else {
            let mut args = Vec::new();
            if !self.at(TokenKind::RParen) {
                loop {
                    args.push(self.list_element(TokenKind::RParen));
                    if !self.eat(TokenKind::Comma) {
                        break;
                    }
                }
            }
            CallArgsKind::Positional(args)
        };
        self.expect_closing(TokenKind::RParen, "to close argument list")?;
        Ok(CallArgs {
            span: self.span_from(start),
            kind,
        })
    }

    /// `name: value, ...}` after an opening `{` (consumes the `}`).
    fn named_args_until_rbrace(&mut self) -> PResult<Vec<NamedArg>> {
        let mut args = Vec::new();
        while !self.at(TokenKind::RBrace) {
            let start = self.start();
            let name = self.ident_or_keyword("as argument name")?;
            self.expect(TokenKind::Colon, "after argument name")?;
            let value = self.list_element(TokenKind::RBrace);
            args.push(NamedArg {
                span: self.span_from(start),
                name,
                value,
            });
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        self.expect(TokenKind::RBrace, "to close named arguments")?;
        Ok(args)
    }

    fn primary(&mut self) -> PResult<Expr> {
        let start = self.start();
        match self.tok.kind {
            TokenKind::Number => {
                let tok = self.bump();
                let value = super::literal::number_value(self.text(tok));
                let unit = if self.tok.kind == TokenKind::Ident {
                    number_unit(self.text(self.tok))
                } else {
                    None
                };
                if unit.is_some() {
                    self.bump();
                }
                Ok(self.mk(start, ExprKind::Literal(Literal::Number { value, unit })))
            }
            TokenKind::String | TokenKind::HexString | TokenKind::UnicodeString => {
                Ok(self.string_literal())
            }
            TokenKind::Keyword(Keyword::True) => {
                self.bump();
                Ok(self.mk(start, ExprKind::Literal(Literal::Bool(true))))
            }
            TokenKind::Keyword(Keyword::False) => {
                self.bump();
                Ok(self.mk(start, ExprKind::Literal(Literal::Bool(false))))
            }
            TokenKind::Ident => {
                if self.at_word("type") && self.peek(1).kind == TokenKind::LParen {
                    self.bump();
                    self.bump();
                    let ty = self.type_name("in 'type(...)'")?;
                    self.expect_closing(TokenKind::RParen, "to close 'type('")?;
                    return Ok(self.mk(start, ExprKind::TypeOf(Box::new(ty))));
                }
                let tok = self.bump();
                let ident = self.make_ident(tok);
                Ok(self.mk(start, ExprKind::Ident(ident)))
            }
            TokenKind::ElementaryType(ty) => {
                self.bump();
                Ok(self.mk(start, ExprKind::ElementaryType(ty)))
            }
            // `payable(x)` converts to `address payable`.
            TokenKind::Keyword(Keyword::Payable) => {
                self.bump();
                Ok(self.mk(
                    start,
                    ExprKind::ElementaryType(ElementaryType::Address { payable: true }),
                ))
            }
            TokenKind::Keyword(Keyword::New) => {
                self.bump();
                let ty = self.type_name("after 'new'")?;
                Ok(self.mk(start, ExprKind::New(Box::new(ty))))
            }
            TokenKind::LParen => self.tuple(),
            TokenKind::LBracket => {
                self.bump();
                let mut elements = Vec::new();
                if !self.at(TokenKind::RBracket) {
                    loop {
                        elements.push(self.list_element(TokenKind::RBracket));
                        if !self.eat(TokenKind::Comma) {
                            break;
                        }
                    }
                }
                self.expect_closing(TokenKind::RBracket, "to close inline array")?;
                Ok(self.mk(start, ExprKind::Array(elements)))
            }
            // Nothing here can start an expression: reported, and an empty
            // `Error` stands in for the operand (nothing is consumed), so
            // `x = ;` stays an assignment and `f(a, )` a call.
            _ => {
                self.error_expected("expression", "");
                Ok(self.mk(start, ExprKind::Error))
            }
        }
    }

    /// `()`, `(a)`, `(a, b)`, `(a, , c)`.
    fn tuple(&mut self) -> PResult<Expr> {
        let start = self.start();
        self.bump();
        let mut components = Vec::new();
        if !self.eat(TokenKind::RParen) {
            loop {
                if self.at(TokenKind::Comma) || self.at(TokenKind::RParen) {
                    components.push(None);
                } else {
                    components.push(Some(self.list_element(TokenKind::RParen)));
                }
                if self.eat(TokenKind::Comma) {
                    continue;
                }
                self.expect_closing(TokenKind::RParen, "to close parenthesised expression")?;
                break;
            }
        }
        Ok(self.mk(start, ExprKind::Tuple(components)))
    }

    /// One or more adjacent string literals, concatenated.
    fn string_literal(&mut self) -> Expr {
        let start = self.start();
        let mut value = Vec::new();
        let mut kind = None;
        loop {
            let part_kind = match self.tok.kind {
                TokenKind::String => StringKind::Plain,
                TokenKind::HexString => StringKind::Hex,
                TokenKind::UnicodeString => StringKind::Unicode,
                _ => break,
            };
            let tok = self.bump();
            let text = self.text(tok);
            if let Err(message) = super::literal::decode_string(text, part_kind, &mut value) {
                self.error_at(tok.span, message);
            }
            kind = Some(match (kind, part_kind) {
                (None, k) => k,
                (Some(StringKind::Unicode), _) | (_, StringKind::Unicode) => StringKind::Unicode,
                (Some(k), _) => k,
            });
        }
        let kind = kind.unwrap_or(StringKind::Plain);
        self.mk(start, ExprKind::Literal(Literal::String { kind, value }))
    }
}
