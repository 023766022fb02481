//! Type names, identifier paths and parameter lists.

use super::{PResult, ParseError, Parser};
use crate::ast::{
    DataLocation, ElementaryType, FunctionTypeName, IdentPath, Parameter, StateMutability,
    TypeName, TypeNameKind, Visibility,
};
use crate::lexer::{Keyword, TokenKind};

/// Which extra attributes a parameter list accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ParamContext {
    /// Functions, returns, errors, catch clauses, function types.
    Function,
    /// Event parameters may be `indexed`.
    Event,
}

impl Parser<'_> {
    /// Can the current token begin a type name?
    pub(super) fn at_type_start(&self) -> bool {
        matches!(
            self.tok.kind,
            TokenKind::Ident
                | TokenKind::ElementaryType(_)
                | TokenKind::Keyword(Keyword::Mapping | Keyword::Function)
        )
    }

    /// A full type name, array suffixes included.
    pub(super) fn type_name(&mut self, context: &str) -> PResult<TypeName> {
        self.nested(|p| p.type_name_inner(context))
    }

    fn type_name_inner(&mut self, context: &str) -> PResult<TypeName> {
        let start = self.start();
        let kind = match self.tok.kind {
            TokenKind::ElementaryType(ty) => {
                self.bump();
                TypeNameKind::Elementary(self.payable_suffix(ty))
            }
            TokenKind::Ident => TypeNameKind::UserDefined(self.ident_path("in type name")?),
            TokenKind::Keyword(Keyword::Mapping) => self.mapping_type()?,
            TokenKind::Keyword(Keyword::Function) => {
                TypeNameKind::Function(Box::new(self.function_type()?))
            }
            _ => return Err(self.error_expected("type name", context)),
        };
        let base = TypeName {
            id: self.id(),
            span: self.span_from(start),
            kind,
        };
        self.chain(|p| p.array_suffixes(base))
    }

    /// `address` followed by `payable` is `address payable`.
    pub(super) fn payable_suffix(&mut self, ty: ElementaryType) -> ElementaryType {
        if ty == (ElementaryType::Address { payable: false }) && self.eat_kw(Keyword::Payable) {
            ElementaryType::Address { payable: true }
        } else {
            ty
        }
    }

    /// Wraps `base` in `[]` / `[len]` suffixes (call within
    /// [`Parser::chain`]).
    fn array_suffixes(&mut self, mut base: TypeName) -> PResult<TypeName> {
        while self.at(TokenKind::LBracket) {
            self.link()?;
            let start = base.span.start as usize;
            self.bump();
            let length = if self.at(TokenKind::RBracket) {
                None
            } else {
                Some(Box::new(self.expr()?))
            };
            self.expect(TokenKind::RBracket, "to close array length")?;
            base = TypeName {
                id: self.id(),
                span: self.span_from(start),
                kind: TypeNameKind::Array {
                    base: Box::new(base),
                    length,
                },
            };
        }
        Ok(base)
    }

    /// `mapping(K [name] => V [name])`
    fn mapping_type(&mut self) -> PResult<TypeNameKind> {
        self.bump();
        self.expect(TokenKind::LParen, "after 'mapping'")?;
        let key = self.type_name("as mapping key")?;
        let key_name = if self.at(TokenKind::Ident) {
            Some(self.ident("")?)
        } else {
            None
        };
        self.expect(TokenKind::FatArrow, "after mapping key type")?;
        let value = self.type_name("as mapping value")?;
        let value_name = if self.at(TokenKind::Ident) {
            Some(self.ident("")?)
        } else {
            None
        };
        self.expect(TokenKind::RParen, "to close mapping type")?;
        Ok(TypeNameKind::Mapping {
            key: Box::new(key),
            key_name,
            value: Box::new(value),
            value_name,
        })
    }

    /// `function (params) [internal|external] [pure|view|payable] [returns (...)]`
    fn function_type(&mut self) -> PResult<FunctionTypeName> {
        self.bump();
        let params = self.parameter_list(ParamContext::Function)?;
        let mut visibility = None;
        let mut mutability = None;
        loop {
            match self.tok.kind {
                // A second visibility belongs to the variable of this type
                // (`function() external public f;`), as in solc.
                TokenKind::Keyword(Keyword::Internal) if visibility.is_none() => {
                    self.bump();
                    visibility = Some(Visibility::Internal);
                }
                TokenKind::Keyword(Keyword::External) if visibility.is_none() => {
                    self.bump();
                    visibility = Some(Visibility::External);
                }
                TokenKind::Keyword(Keyword::Pure) => {
                    self.bump();
                    mutability = Some(StateMutability::Pure);
                }
                TokenKind::Keyword(Keyword::View) => {
                    self.bump();
                    mutability = Some(StateMutability::View);
                }
                TokenKind::Keyword(Keyword::Payable) => {
                    self.bump();
                    mutability = Some(StateMutability::Payable);
                }
                _ => break,
            }
        }
        let returns = if self.eat_kw(Keyword::Returns) {
            self.parameter_list(ParamContext::Function)?
        } else {
            Vec::new()
        };
        Ok(FunctionTypeName {
            params,
            returns,
            visibility,
            mutability,
        })
    }

    /// `A`, `A.B`, `A.B.C`
    pub(super) fn ident_path(&mut self, context: &str) -> PResult<IdentPath> {
        let start = self.start();
        let mut segments = vec![self.ident(context)?];
        while self.at(TokenKind::Dot) && self.peek(1).kind == TokenKind::Ident {
            self.bump();
            segments.push(self.ident("after '.'")?);
        }
        Ok(IdentPath {
            id: self.id(),
            span: self.span_from(start),
            segments,
        })
    }

    pub(super) fn data_location(&mut self) -> Option<DataLocation> {
        let location = match self.tok.kind {
            TokenKind::Keyword(Keyword::Memory) => DataLocation::Memory,
            TokenKind::Keyword(Keyword::Storage) => DataLocation::Storage,
            TokenKind::Ident if self.at_word("calldata") => DataLocation::Calldata,
            _ => return None,
        };
        self.bump();
        Some(location)
    }

    /// `( [param {, param}] )`. A broken parameter is reported and the list
    /// skipped to its `)`, so the enclosing function survives.
    pub(super) fn parameter_list(&mut self, context: ParamContext) -> PResult<Vec<Parameter>> {
        self.expect(TokenKind::LParen, "to open parameter list")?;
        let mut params = Vec::new();
        if self.eat(TokenKind::RParen) {
            return Ok(params);
        }
        loop {
            match self.parameter(context) {
                Ok(p) => params.push(p),
                Err(ParseError) => {
                    self.skip_to_close_paren();
                    return Ok(params);
                }
            }
            if self.eat(TokenKind::Comma) {
                continue;
            }
            if self.eat(TokenKind::RParen) {
                return Ok(params);
            }
            self.error_expected("',' or ')'", "in parameter list");
            self.skip_to_close_paren();
            return Ok(params);
        }
    }

    /// Skips past the `)` closing the current list, stopping before `{` or
    /// `;` so that a following body is not swallowed.
    fn skip_to_close_paren(&mut self) {
        let mut depth = 0u32;
        loop {
            match self.tok.kind {
                TokenKind::Eof | TokenKind::LBrace | TokenKind::RBrace | TokenKind::Semi => return,
                TokenKind::LParen => depth += 1,
                TokenKind::RParen if depth == 0 => {
                    self.bump();
                    return;
                }
                TokenKind::RParen => depth -= 1,
                _ => {}
            }
            self.bump();
        }
    }

    fn parameter(&mut self, context: ParamContext) -> PResult<Parameter> {
        let start = self.start();
        let ty = self.type_name("in parameter list")?;
        let mut location = None;
        let mut indexed = false;
        loop {
            if let Some(loc) = self.data_location() {
                location = Some(loc);
            } else if context == ParamContext::Event && self.eat_kw(Keyword::Indexed) {
                indexed = true;
            } else {
                break;
            }
        }
        let name = if self.at(TokenKind::Ident) {
            Some(self.ident("")?)
        } else {
            None
        };
        Ok(Parameter {
            id: self.id(),
            span: self.span_from(start),
            ty,
            location,
            indexed,
            name,
        })
    }
}
