//! Statements and blocks.

use super::{PResult, ParseError, Parser};
use crate::ast::{
    AssemblyStmt, Block, CatchClause, Expr, ExprKind, LocalVariable, Stmt, StmtKind, TryStmt,
    VarDeclStmt,
};
use crate::lexer::{scan_comments, Keyword, Token, TokenKind};
use crate::span::Span;
use crate::yul;

use super::types::ParamContext;

impl Parser<'_> {
    /// `{ stmt* }`. Broken statements are reported and skipped; a missing
    /// `}` is reported at the next member keyword or end of file.
    pub(super) fn block(&mut self) -> PResult<Block> {
        let start = self.start();
        self.expect(TokenKind::LBrace, "to open block")?;
        let mut stmts = Vec::new();
        loop {
            if self.eat(TokenKind::RBrace) {
                break;
            }
            if self.at(TokenKind::Eof) || self.at_member_start_keyword() {
                self.error_expected("'}'", "to close block");
                break;
            }
            let before = self.bumps;
            match self.stmt() {
                Ok(stmt) => stmts.push(stmt),
                Err(ParseError) => self.recover_stmt(),
            }
            if self.bumps == before {
                self.bump();
            }
        }
        Ok(Block {
            id: self.id(),
            span: self.span_from(start),
            stmts,
        })
    }

    pub(super) fn stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        let kind = self.nested(Self::stmt_kind)?;
        Ok(Stmt {
            id: self.id(),
            span: self.span_from(start),
            kind,
        })
    }

    fn stmt_kind(&mut self) -> PResult<StmtKind> {
        match self.tok.kind {
            TokenKind::LBrace => Ok(StmtKind::Block(self.block()?)),
            TokenKind::Keyword(Keyword::If) => self.if_stmt(),
            TokenKind::Keyword(Keyword::For) => self.for_stmt(),
            TokenKind::Keyword(Keyword::While) => {
                self.bump();
                self.expect(TokenKind::LParen, "after 'while'")?;
                let cond = self.condition("after loop condition")?;
                let body = Box::new(self.stmt()?);
                Ok(StmtKind::While { cond, body })
            }
            TokenKind::Keyword(Keyword::Do) => {
                self.bump();
                let body = Box::new(self.stmt()?);
                self.expect(TokenKind::Keyword(Keyword::While), "after do-while body")?;
                self.expect(TokenKind::LParen, "after 'while'")?;
                let cond = self.condition("after loop condition")?;
                self.expect_semi("after do-while statement")?;
                Ok(StmtKind::DoWhile { body, cond })
            }
            TokenKind::Keyword(Keyword::Continue) => {
                self.bump();
                self.expect_semi("after 'continue'")?;
                Ok(StmtKind::Continue)
            }
            TokenKind::Keyword(Keyword::Break) => {
                self.bump();
                self.expect_semi("after 'break'")?;
                Ok(StmtKind::Break)
            }
            TokenKind::Keyword(Keyword::Return) => {
                let start = self.start();
                self.bump();
                let value = if self.at(TokenKind::Semi) {
                    None
                } else {
                    Some(self.expr_or_error(&[TokenKind::Semi]))
                };
                self.end_stmt(start, "after return statement")?;
                Ok(StmtKind::Return(value))
            }
            TokenKind::Keyword(Keyword::Throw) => {
                self.bump();
                self.expect_semi("after 'throw'")?;
                Ok(StmtKind::Throw)
            }
            TokenKind::Keyword(Keyword::Assembly) => self.assembly(),
            TokenKind::Ident => self.word_stmt(),
            _ => self.simple_stmt_with_semi(),
        }
    }

    /// Statements introduced by contextual keywords, else a simple statement.
    fn word_stmt(&mut self) -> PResult<StmtKind> {
        let word = self.text(self.tok);
        let next = self.peek(1).kind;
        match word {
            "unchecked" if next == TokenKind::LBrace => {
                self.bump();
                Ok(StmtKind::Unchecked(self.block()?))
            }
            "emit" if next == TokenKind::Ident => {
                self.bump();
                let (event, args) = self.event_or_error_call("after 'emit'")?;
                self.expect_semi("after emit statement")?;
                Ok(StmtKind::Emit { event, args })
            }
            "revert" if next == TokenKind::Ident => {
                self.bump();
                let (error, args) = self.event_or_error_call("after 'revert'")?;
                self.expect_semi("after revert statement")?;
                Ok(StmtKind::Revert { error, args })
            }
            "try"
                if matches!(
                    next,
                    TokenKind::Ident
                        | TokenKind::ElementaryType(_)
                        | TokenKind::Keyword(Keyword::New | Keyword::Payable)
                ) =>
            {
                self.try_stmt()
            }
            "_" if next == TokenKind::Semi => {
                self.bump();
                self.bump();
                Ok(StmtKind::Placeholder)
            }
            _ => self.simple_stmt_with_semi(),
        }
    }

    /// `E(args)` / `L.E(args)` after `emit` or `revert`.
    fn event_or_error_call(&mut self, context: &str) -> PResult<(Expr, crate::ast::CallArgs)> {
        let call = self.expr()?;
        match call.kind {
            ExprKind::Call { callee, args } => Ok((*callee, args)),
            _ => {
                self.error_at(
                    call.span,
                    format!("expected a call such as 'Name(...)' {context}"),
                );
                Err(ParseError)
            }
        }
    }

    fn expect_semi(&mut self, context: &str) -> PResult<Token> {
        self.expect(TokenKind::Semi, context)
    }

    /// The `;` ending a statement that began at `start`. When something
    /// else follows, the statement is still kept as parsed (the stray
    /// tokens are reported and skipped up to the `;` or the end of the
    /// block); only a statement of which nothing could be read fails.
    fn end_stmt(&mut self, start: usize, context: &str) -> PResult<()> {
        if self.expect_semi(context).is_ok() {
            return Ok(());
        }
        if self.prev_end <= start {
            return Err(ParseError);
        }
        if self.skip_expr_tail(&[TokenKind::Semi]) {
            self.bump();
        }
        Ok(())
    }

    /// `cond )` after `if (` / `while (`: a broken condition becomes an
    /// `Error` expression and stray tokens before the `)` are skipped, so
    /// the statement and its body are kept.
    fn condition(&mut self, context: &str) -> PResult<Expr> {
        let cond = self.expr_or_error(&[TokenKind::RParen]);
        self.expect_closing(TokenKind::RParen, context)?;
        Ok(cond)
    }

    /// `if (c) s [else if (c) s]* [else s]`. The `else if` arms are read in
    /// a loop and nested afterwards, so long chains do not deepen the
    /// parser's recursion (they still count towards the tree depth).
    fn if_stmt(&mut self) -> PResult<StmtKind> {
        self.chain(|p| {
            // (start of `if`, condition, then-branch) per arm.
            let mut arms = Vec::new();
            let mut last_else = None;
            loop {
                let start = p.start();
                p.bump();
                p.expect(TokenKind::LParen, "after 'if'")?;
                let cond = p.condition("after if condition")?;
                let then_branch = Box::new(p.stmt()?);
                arms.push((start, cond, then_branch));
                if !p.eat_kw(Keyword::Else) {
                    break;
                }
                if !p.at_kw(Keyword::If) {
                    last_else = Some(Box::new(p.stmt()?));
                    break;
                }
                p.link()?;
            }
            let end = p.prev_end;
            let mut else_branch = last_else;
            let (_, cond, then_branch) = arms.remove(0);
            while let Some((start, cond, then_branch)) = arms.pop() {
                else_branch = Some(Box::new(Stmt {
                    id: p.id(),
                    span: Span::new(start, end),
                    kind: StmtKind::If {
                        cond,
                        then_branch,
                        else_branch,
                    },
                }));
            }
            Ok(StmtKind::If {
                cond,
                then_branch,
                else_branch,
            })
        })
    }

    fn for_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        self.expect(TokenKind::LParen, "after 'for'")?;
        let init = if self.eat(TokenKind::Semi) {
            None
        } else {
            let start = self.start();
            let kind = self.simple_stmt()?;
            self.expect_semi("after for-loop initialisation")?;
            Some(Box::new(Stmt {
                id: self.id(),
                span: self.span_from(start),
                kind,
            }))
        };
        let cond = if self.at(TokenKind::Semi) {
            None
        } else {
            Some(self.expr_or_error(&[TokenKind::Semi]))
        };
        self.expect_semi("after for-loop condition")?;
        let update = if self.at(TokenKind::RParen) {
            None
        } else {
            Some(self.expr_or_error(&[TokenKind::RParen]))
        };
        self.expect_closing(TokenKind::RParen, "to close for-loop header")?;
        let body = Box::new(self.stmt()?);
        Ok(StmtKind::For {
            init,
            cond,
            update,
            body,
        })
    }

    fn simple_stmt_with_semi(&mut self) -> PResult<StmtKind> {
        let start = self.start();
        let kind = self.simple_stmt()?;
        let context = match kind {
            StmtKind::VarDecl(_) => "after variable declaration",
            _ => "after expression",
        };
        self.end_stmt(start, context)?;
        Ok(kind)
    }

    /// A variable declaration or an expression (no `;`).
    fn simple_stmt(&mut self) -> PResult<StmtKind> {
        if self.at_kw(Keyword::Var) {
            return self.var_decl_legacy();
        }
        if self.at(TokenKind::LParen) {
            let mut n = 1;
            while self.tok_at(n).kind == TokenKind::Comma {
                n += 1;
            }
            if self.is_decl_at(n) {
                return self.tuple_decl();
            }
        } else if self.is_decl_at(0) {
            let decl = self.local_variable()?;
            let init = if self.eat(TokenKind::Assign) {
                Some(self.expr_or_error(&[TokenKind::Semi]))
            } else {
                None
            };
            return Ok(StmtKind::VarDecl(VarDeclStmt {
                decls: vec![Some(decl)],
                is_tuple: false,
                init,
            }));
        }
        Ok(StmtKind::Expr(self.expr_or_error(&[TokenKind::Semi])))
    }

    /// Token `n` positions from the current one (0 is the current).
    fn tok_at(&mut self, n: usize) -> Token {
        if n == 0 {
            self.tok
        } else {
            self.peek(n)
        }
    }

    /// Does a variable declaration start `n` tokens ahead? A type-like
    /// prefix (`T`, `A.B`, `uint[2][]`, `address payable`, `mapping`,
    /// `function (`) followed by a name or a data location.
    fn is_decl_at(&mut self, mut n: usize) -> bool {
        match self.tok_at(n).kind {
            TokenKind::Keyword(Keyword::Mapping) => return true,
            TokenKind::Keyword(Keyword::Function) => {
                return self.tok_at(n + 1).kind == TokenKind::LParen
            }
            TokenKind::ElementaryType(_) => {
                n += 1;
                if self.tok_at(n).kind == TokenKind::Keyword(Keyword::Payable) {
                    n += 1;
                }
            }
            TokenKind::Ident => {
                n += 1;
                while self.tok_at(n).kind == TokenKind::Dot
                    && self.tok_at(n + 1).kind == TokenKind::Ident
                {
                    n += 2;
                }
            }
            _ => return false,
        }
        while self.tok_at(n).kind == TokenKind::LBracket {
            // Skip a balanced `[...]`.
            let mut depth = 0u32;
            loop {
                match self.tok_at(n).kind {
                    TokenKind::LBracket => depth += 1,
                    TokenKind::RBracket => {
                        depth -= 1;
                        if depth == 0 {
                            n += 1;
                            break;
                        }
                    }
                    TokenKind::Eof | TokenKind::Semi | TokenKind::LBrace | TokenKind::RBrace => {
                        return false
                    }
                    _ => {}
                }
                n += 1;
            }
        }
        matches!(
            self.tok_at(n).kind,
            TokenKind::Ident | TokenKind::Keyword(Keyword::Memory | Keyword::Storage)
        )
    }

    /// `T [location] name`
    fn local_variable(&mut self) -> PResult<LocalVariable> {
        let start = self.start();
        let ty = self.type_name("in variable declaration")?;
        let location = self.data_location();
        let name = self.ident("as variable name")?;
        Ok(LocalVariable {
            id: self.id(),
            span: self.span_from(start),
            ty: Some(ty),
            location,
            name,
        })
    }

    /// `(T a, , U b) = e`
    fn tuple_decl(&mut self) -> PResult<StmtKind> {
        self.bump();
        let mut decls = Vec::new();
        loop {
            if self.at(TokenKind::Comma) || self.at(TokenKind::RParen) {
                decls.push(None);
            } else {
                decls.push(Some(self.local_variable()?));
            }
            if self.eat(TokenKind::Comma) {
                continue;
            }
            self.expect(TokenKind::RParen, "to close tuple declaration")?;
            break;
        }
        let init = if self.eat(TokenKind::Assign) {
            Some(self.expr_or_error(&[TokenKind::Semi]))
        } else {
            None
        };
        Ok(StmtKind::VarDecl(VarDeclStmt {
            decls,
            is_tuple: true,
            init,
        }))
    }

    /// Legacy `var x = e;` / `var (a, , b) = e;`
    fn var_decl_legacy(&mut self) -> PResult<StmtKind> {
        self.bump();
        let mut decls = Vec::new();
        let is_tuple = self.eat(TokenKind::LParen);
        if is_tuple {
            loop {
                if self.at(TokenKind::Comma) || self.at(TokenKind::RParen) {
                    decls.push(None);
                } else {
                    decls.push(Some(self.untyped_local()?));
                }
                if self.eat(TokenKind::Comma) {
                    continue;
                }
                self.expect(TokenKind::RParen, "to close 'var' tuple")?;
                break;
            }
        } else {
            decls.push(Some(self.untyped_local()?));
        }
        let init = if self.eat(TokenKind::Assign) {
            Some(self.expr_or_error(&[TokenKind::Semi]))
        } else {
            None
        };
        Ok(StmtKind::VarDecl(VarDeclStmt {
            decls,
            is_tuple,
            init,
        }))
    }

    fn untyped_local(&mut self) -> PResult<LocalVariable> {
        let start = self.start();
        let name = self.ident("after 'var'")?;
        Ok(LocalVariable {
            id: self.id(),
            span: self.span_from(start),
            ty: None,
            location: None,
            name,
        })
    }

    /// `try expr [returns (...)] { } catch ... { }`
    fn try_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        let expr = self.expr()?;
        let returns = if self.eat_kw(Keyword::Returns) {
            self.parameter_list(ParamContext::Function)?
        } else {
            Vec::new()
        };
        let body = self.block()?;
        let mut catches = Vec::new();
        while self.at_word("catch") {
            let start = self.start();
            self.bump();
            let name = if self.at(TokenKind::Ident) {
                Some(self.ident("")?)
            } else {
                None
            };
            let params = if self.at(TokenKind::LParen) {
                Some(self.parameter_list(ParamContext::Function)?)
            } else {
                None
            };
            let body = self.block()?;
            catches.push(CatchClause {
                id: self.id(),
                span: self.span_from(start),
                name,
                params,
                body,
            });
        }
        if catches.is_empty() {
            self.error_expected("'catch'", "after try block");
        }
        Ok(StmtKind::Try(TryStmt {
            expr,
            returns,
            body,
            catches,
        }))
    }

    /// `assembly ["evmasm"] [("memory-safe")] { ... }`: the block itself is
    /// handed to the Yul parser, and lexing resumes after it.
    fn assembly(&mut self) -> PResult<StmtKind> {
        self.bump();
        let mut dialect = None;
        if self.at(TokenKind::String) {
            let tok = self.bump();
            dialect = Some(self.string_token_value(tok));
        }
        let mut flags = Vec::new();
        if self.eat(TokenKind::LParen) {
            while self.at(TokenKind::String) {
                let tok = self.bump();
                flags.push(self.string_token_value(tok));
                if !self.eat(TokenKind::Comma) {
                    break;
                }
            }
            self.expect(TokenKind::RParen, "to close assembly flags")?;
        }
        if !self.at(TokenKind::LBrace) {
            return Err(self.error_expected("'{'", "after 'assembly'"));
        }
        let open = self.tok.span.start as usize;
        // Anything lexed past the brace by lookahead is Yul, not Solidity.
        // Both lists are in source order, so only their tails can be affected.
        while let Some(c) = self.lexer.comments.last() {
            if (c.span.start as usize) <= open {
                break;
            }
            self.lexer.comments.pop();
        }
        while let Some(d) = self.lexer.diagnostics.last() {
            if (d.span.start as usize) <= open {
                break;
            }
            self.lexer.diagnostics.pop();
        }
        let parsed = yul::parse_block(self.src, open);
        let end = parsed.end.clamp(open + 1, self.src.len());
        self.diagnostics.extend(parsed.diagnostics);
        scan_comments(self.src, open, end, &mut self.lexer.comments);
        self.resume_at(end);
        Ok(StmtKind::Assembly(AssemblyStmt {
            dialect,
            flags,
            block: parsed.block,
        }))
    }

    fn string_token_value(&self, tok: Token) -> String {
        let mut bytes = Vec::new();
        // Malformed escapes in a dialect/flag string are irrelevant here.
        let _ = super::literal::decode_string(
            self.text(tok),
            crate::ast::StringKind::Plain,
            &mut bytes,
        );
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
