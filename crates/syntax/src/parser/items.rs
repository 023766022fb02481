//! File-level items and contract members.

use super::types::ParamContext;
use super::{PResult, ParseError, Parser};
use crate::ast::{
    ContractDefinition, ContractKind, ContractMember, DocComment, EnumDefinition, EnumVariant,
    ErrorDefinition, EventDefinition, FunctionDefinition, FunctionKind, ImportDirective,
    ImportKind, ImportSymbol, InheritanceSpecifier, ModifierInvocation, OverrideSpecifier,
    PragmaDirective, PragmaKind, SourceItem, StateMutability, StateVariable, StructDefinition,
    UserOperator, UserValueTypeDefinition, UsingDirective, UsingFunction, UsingTarget, Visibility,
};
use crate::lexer::{Keyword, TokenKind};
use crate::span::Span;

impl Parser<'_> {
    pub(super) fn source_items(&mut self) -> Vec<SourceItem> {
        let mut items = Vec::new();
        while !self.at(TokenKind::Eof) {
            let before = self.bumps;
            match self.source_item() {
                Ok(Some(item)) => items.push(item),
                Ok(None) => {}
                Err(ParseError) => self.recover_item(),
            }
            if self.bumps == before {
                self.bump();
            }
        }
        items
    }

    fn source_item(&mut self) -> PResult<Option<SourceItem>> {
        let docs = self.take_docs();
        let kind = self.tok.kind;
        let item = match kind {
            TokenKind::Keyword(Keyword::Pragma) => SourceItem::Pragma(self.pragma()?),
            TokenKind::Keyword(Keyword::Import) => SourceItem::Import(self.import()?),
            TokenKind::Keyword(Keyword::Contract | Keyword::Interface | Keyword::Library) => {
                SourceItem::Contract(self.contract(docs)?)
            }
            TokenKind::Ident
                if self.at_word("abstract")
                    && self.peek(1).kind == TokenKind::Keyword(Keyword::Contract) =>
            {
                SourceItem::Contract(self.contract(docs)?)
            }
            TokenKind::Keyword(Keyword::Function) => {
                SourceItem::Function(self.function(docs, None)?)
            }
            TokenKind::Keyword(Keyword::Struct) => SourceItem::Struct(self.struct_def(docs)?),
            TokenKind::Keyword(Keyword::Enum) => SourceItem::Enum(self.enum_def(docs)?),
            TokenKind::Keyword(Keyword::Event) => SourceItem::Event(self.event_def(docs)?),
            TokenKind::Keyword(Keyword::Using) => SourceItem::Using(self.using()?),
            TokenKind::Semi => {
                self.bump();
                return Ok(None);
            }
            TokenKind::Ident if self.at_error_def() => SourceItem::Error(self.error_def(docs)?),
            TokenKind::Ident if self.at_udvt() => SourceItem::UserValueType(self.udvt(docs)?),
            _ if self.at_type_start() => SourceItem::Variable(self.state_variable(docs)?),
            _ => {
                return Err(self.error_expected(
                    "pragma, import, contract, function or other declaration",
                    "at file level",
                ))
            }
        };
        Ok(Some(item))
    }

    fn at_error_def(&mut self) -> bool {
        self.at_word("error")
            && self.peek(1).kind == TokenKind::Ident
            && self.peek(2).kind == TokenKind::LParen
    }

    fn at_udvt(&mut self) -> bool {
        self.at_word("type")
            && self.peek(1).kind == TokenKind::Ident
            && self.peek(2).kind == TokenKind::Keyword(Keyword::Is)
    }

    /// `pragma <name> <anything up to ;>;` — the value is kept as raw text
    /// because version requirements do not lex as Solidity tokens.
    fn pragma(&mut self) -> PResult<PragmaDirective> {
        let start = self.start();
        self.bump();
        let name_tok = self.tok;
        if !matches!(name_tok.kind, TokenKind::Ident | TokenKind::Keyword(_)) {
            return Err(self.error_expected("pragma name", "after 'pragma'"));
        }
        let name = self.make_ident(name_tok);
        let value_start = name_tok.span.end as usize;
        let rest = &self.src.as_bytes()[value_start..];
        let Some(semi) = rest.iter().position(|&b| b == b';') else {
            // Point at the end of the pragma line rather than end of file.
            let line_end = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(self.src.len(), |i| value_start + i);
            self.error_at(
                Span::new(line_end, line_end),
                "expected ';' after pragma directive, found end of line",
            );
            self.resume_at(line_end);
            return Err(ParseError);
        };
        let raw = &self.src[value_start..value_start + semi];
        let trimmed = raw.trim();
        let lead = raw.len() - raw.trim_start().len();
        let value_span = Span::new(value_start + lead, value_start + lead + trimmed.len());
        self.resume_at(value_start + semi + 1);
        let kind = match name.name.as_str() {
            "solidity" => {
                if let Some(minor) = first_minor_version(trimmed) {
                    self.pow_right_assoc = minor >= 7;
                }
                PragmaKind::Solidity
            }
            "experimental" => PragmaKind::Experimental,
            "abicoder" => PragmaKind::Abicoder,
            _ => PragmaKind::Other,
        };
        Ok(PragmaDirective {
            span: self.span_from(start),
            kind,
            name,
            value: trimmed.to_string(),
            value_span,
        })
    }

    fn import(&mut self) -> PResult<ImportDirective> {
        let start = self.start();
        self.bump();
        let kind;
        let (path, path_span);
        match self.tok.kind {
            TokenKind::String => {
                (path, path_span) = self.import_path()?;
                let alias = if self.eat_kw(Keyword::As) {
                    Some(self.ident("after 'as'")?)
                } else {
                    None
                };
                kind = ImportKind::Plain { alias };
            }
            TokenKind::Star => {
                self.bump();
                self.expect(TokenKind::Keyword(Keyword::As), "after 'import *'")?;
                let alias = self.ident("after 'as'")?;
                self.expect_word("from", "after import alias")?;
                (path, path_span) = self.import_path()?;
                kind = ImportKind::Glob { alias };
            }
            TokenKind::LBrace => {
                self.bump();
                let mut symbols = Vec::new();
                while !self.at(TokenKind::RBrace) {
                    let sym_start = self.start();
                    let name = self.ident("in import list")?;
                    let alias = if self.eat_kw(Keyword::As) {
                        Some(self.ident("after 'as'")?)
                    } else {
                        None
                    };
                    symbols.push(ImportSymbol {
                        span: self.span_from(sym_start),
                        name,
                        alias,
                    });
                    if !self.eat(TokenKind::Comma) {
                        break;
                    }
                }
                self.expect(TokenKind::RBrace, "to close import list")?;
                self.expect_word("from", "after import list")?;
                (path, path_span) = self.import_path()?;
                kind = ImportKind::Symbols(symbols);
            }
            // `import X from "path";` (accepted by old compilers)
            TokenKind::Ident => {
                let alias = self.ident("")?;
                self.expect_word("from", "after imported name")?;
                (path, path_span) = self.import_path()?;
                kind = ImportKind::Glob { alias };
            }
            _ => return Err(self.error_expected("import path or '{'", "after 'import'")),
        }
        self.expect(TokenKind::Semi, "after import directive")?;
        Ok(ImportDirective {
            id: self.id(),
            span: self.span_from(start),
            path,
            path_span,
            kind,
        })
    }

    fn expect_word(&mut self, word: &str, context: &str) -> PResult<()> {
        if self.eat_word(word) {
            Ok(())
        } else {
            Err(self.error_expected(&format!("'{word}'"), context))
        }
    }

    fn import_path(&mut self) -> PResult<(String, Span)> {
        if !self.at(TokenKind::String) {
            return Err(self.error_expected("import path string", ""));
        }
        let tok = self.bump();
        let mut bytes = Vec::new();
        if let Err(message) =
            super::literal::decode_string(self.text(tok), crate::ast::StringKind::Plain, &mut bytes)
        {
            self.error_at(tok.span, message);
        }
        Ok((String::from_utf8_lossy(&bytes).into_owned(), tok.span))
    }

    fn contract(&mut self, docs: Option<DocComment>) -> PResult<ContractDefinition> {
        let start = self.start();
        let is_abstract = self.eat_word("abstract");
        let kind = match self.bump().kind {
            TokenKind::Keyword(Keyword::Interface) => ContractKind::Interface,
            TokenKind::Keyword(Keyword::Library) => ContractKind::Library,
            _ => ContractKind::Contract,
        };
        let name = self.ident("as contract name")?;
        let mut bases = Vec::new();
        let mut layout = None;
        loop {
            if self.eat_kw(Keyword::Is) {
                loop {
                    let spec_start = self.start();
                    let base = self.ident_path("as base contract")?;
                    let args = if self.at(TokenKind::LParen) {
                        Some(self.call_args()?)
                    } else {
                        None
                    };
                    bases.push(InheritanceSpecifier {
                        id: self.id(),
                        span: self.span_from(spec_start),
                        base,
                        args,
                    });
                    if !self.eat(TokenKind::Comma) {
                        break;
                    }
                }
            } else if self.at_word("layout") && self.peek_is_word(1, "at") {
                self.bump();
                self.bump();
                layout = Some(self.expr()?);
            } else {
                break;
            }
        }
        let outer_name = self.contract_name.replace(name.name.clone());
        let members = self.contract_body();
        self.contract_name = outer_name;
        Ok(ContractDefinition {
            id: self.id(),
            span: self.span_from(start),
            kind,
            is_abstract,
            name,
            bases,
            layout,
            members: members?,
            docs,
        })
    }

    fn contract_body(&mut self) -> PResult<Vec<ContractMember>> {
        self.expect(TokenKind::LBrace, "to open contract body")?;
        let mut members = Vec::new();
        loop {
            if self.eat(TokenKind::RBrace) {
                break;
            }
            if self.at(TokenKind::Eof) || self.at_nested_item_start() {
                self.error_expected("'}'", "to close contract body");
                break;
            }
            let before = self.bumps;
            match self.member() {
                Ok(Some(member)) => members.push(member),
                Ok(None) => {}
                Err(ParseError) => self.recover_member(),
            }
            if self.bumps == before {
                self.bump();
            }
        }
        Ok(members)
    }

    /// Items that cannot be contract members: a missing `}` before them.
    fn at_nested_item_start(&mut self) -> bool {
        matches!(
            self.tok.kind,
            TokenKind::Keyword(
                Keyword::Contract
                    | Keyword::Interface
                    | Keyword::Library
                    | Keyword::Pragma
                    | Keyword::Import
            )
        ) || (self.at_word("abstract")
            && self.peek(1).kind == TokenKind::Keyword(Keyword::Contract))
    }

    fn member(&mut self) -> PResult<Option<ContractMember>> {
        let docs = self.take_docs();
        let kind = self.tok.kind;
        let member = match kind {
            TokenKind::Keyword(Keyword::Function) => {
                if self.peek(1).kind == TokenKind::LParen && self.is_function_type_variable() {
                    ContractMember::StateVariable(self.state_variable(docs)?)
                } else {
                    ContractMember::Function(self.function(docs, None)?)
                }
            }
            TokenKind::Keyword(Keyword::Modifier) => {
                ContractMember::Function(self.function(docs, Some(FunctionKind::Modifier))?)
            }
            TokenKind::Ident if self.peek(1).kind == TokenKind::LParen => {
                let special = match self.text(self.tok) {
                    "constructor" => Some(FunctionKind::Constructor),
                    "fallback" => Some(FunctionKind::Fallback),
                    "receive" => Some(FunctionKind::Receive),
                    _ => None,
                };
                match special {
                    Some(kind) => ContractMember::Function(self.function(docs, Some(kind))?),
                    None => return Err(self.error_expected("contract member", "")),
                }
            }
            TokenKind::Keyword(Keyword::Event) => ContractMember::Event(self.event_def(docs)?),
            TokenKind::Keyword(Keyword::Struct) => ContractMember::Struct(self.struct_def(docs)?),
            TokenKind::Keyword(Keyword::Enum) => ContractMember::Enum(self.enum_def(docs)?),
            TokenKind::Keyword(Keyword::Using) => ContractMember::Using(self.using()?),
            TokenKind::Semi => {
                self.bump();
                return Ok(None);
            }
            TokenKind::Ident if self.at_error_def() => ContractMember::Error(self.error_def(docs)?),
            TokenKind::Ident if self.at_udvt() => ContractMember::UserValueType(self.udvt(docs)?),
            _ if self.at_type_start() => ContractMember::StateVariable(self.state_variable(docs)?),
            _ => {
                return Err(self.error_expected(
                    "function, modifier, event, state variable or other member",
                    "in contract body",
                ))
            }
        };
        Ok(Some(member))
    }

    /// At `function (`: a state variable of function type (`function(uint)
    /// internal returns (uint) f;`) rather than a legacy fallback function
    /// (`function() payable { }`)? Decided by speculatively reading a
    /// function type and looking for `name ;` or `name =` after it.
    fn is_function_type_variable(&mut self) -> bool {
        let cp = self.checkpoint();
        let is_var = self.type_name("").is_ok() && {
            while matches!(
                self.tok.kind,
                TokenKind::Keyword(
                    Keyword::Public
                        | Keyword::Private
                        | Keyword::Internal
                        | Keyword::External
                        | Keyword::Constant
                )
            ) || self.at_word("immutable")
            {
                self.bump();
            }
            self.at(TokenKind::Ident)
                && matches!(self.peek(1).kind, TokenKind::Semi | TokenKind::Assign)
        };
        self.restore(cp);
        is_var
    }

    /// Functions, constructors, fallback/receive functions and modifiers.
    /// `special` is the kind announced by a leading contextual keyword or
    /// `modifier`; `None` means the `function` keyword.
    fn function(
        &mut self,
        docs: Option<DocComment>,
        special: Option<FunctionKind>,
    ) -> PResult<FunctionDefinition> {
        let start = self.start();
        self.bump();
        let (kind, name, legacy_syntax) = match special {
            Some(FunctionKind::Modifier) => (
                FunctionKind::Modifier,
                Some(self.ident("as modifier name")?),
                false,
            ),
            Some(kind) => (kind, None, false),
            None => {
                if self.at(TokenKind::LParen) {
                    (FunctionKind::Fallback, None, true)
                } else {
                    // Any word: 0.4 code names functions `receive`, `error`...
                    let name = self.ident_or_keyword("as function name")?;
                    if self.contract_name.as_deref() == Some(name.name.as_str()) {
                        (FunctionKind::Constructor, Some(name), true)
                    } else {
                        (FunctionKind::Function, Some(name), false)
                    }
                }
            }
        };
        let params = if kind == FunctionKind::Modifier && !self.at(TokenKind::LParen) {
            Vec::new()
        } else {
            self.parameter_list(ParamContext::Function)?
        };
        let mut def = FunctionDefinition {
            id: crate::ast::NodeId::DUMMY,
            span: Span::DUMMY,
            kind,
            name,
            legacy_syntax,
            params,
            returns: Vec::new(),
            visibility: None,
            mutability: None,
            is_virtual: false,
            overrides: None,
            modifiers: Vec::new(),
            body: None,
            docs,
        };
        self.function_attributes(&mut def)?;
        if !self.eat(TokenKind::Semi) {
            if self.at(TokenKind::LBrace) {
                def.body = Some(self.block()?);
            } else {
                return Err(self.error_expected("'{' or ';'", "after function header"));
            }
        }
        def.id = self.id();
        def.span = self.span_from(start);
        Ok(def)
    }

    fn function_attributes(&mut self, def: &mut FunctionDefinition) -> PResult<()> {
        loop {
            match self.tok.kind {
                TokenKind::Keyword(
                    kw @ (Keyword::Public
                    | Keyword::Private
                    | Keyword::Internal
                    | Keyword::External),
                ) => {
                    self.bump();
                    def.visibility = Some(visibility(kw));
                }
                TokenKind::Keyword(Keyword::Pure) => {
                    self.bump();
                    def.mutability = Some(StateMutability::Pure);
                }
                TokenKind::Keyword(Keyword::View) => {
                    self.bump();
                    def.mutability = Some(StateMutability::View);
                }
                TokenKind::Keyword(Keyword::Payable) => {
                    self.bump();
                    def.mutability = Some(StateMutability::Payable);
                }
                TokenKind::Keyword(Keyword::Constant) => {
                    self.bump();
                    def.mutability = Some(StateMutability::Constant);
                }
                TokenKind::Keyword(Keyword::Returns) => {
                    self.bump();
                    def.returns = self.parameter_list(ParamContext::Function)?;
                }
                TokenKind::Ident if self.at_word("virtual") => {
                    self.bump();
                    def.is_virtual = true;
                }
                TokenKind::Ident if self.at_word("override") => {
                    def.overrides = Some(self.override_specifier()?);
                }
                TokenKind::Ident => {
                    let start = self.start();
                    let name = self.ident_path("as modifier name")?;
                    let args = if self.at(TokenKind::LParen) {
                        Some(self.call_args()?)
                    } else {
                        None
                    };
                    def.modifiers.push(ModifierInvocation {
                        id: self.id(),
                        span: self.span_from(start),
                        name,
                        args,
                    });
                }
                _ => return Ok(()),
            }
        }
    }

    /// `override` or `override(A, B.C)`
    fn override_specifier(&mut self) -> PResult<OverrideSpecifier> {
        let start = self.start();
        self.bump();
        let mut bases = Vec::new();
        if self.eat(TokenKind::LParen) {
            while !self.at(TokenKind::RParen) {
                bases.push(self.ident_path("in override list")?);
                if !self.eat(TokenKind::Comma) {
                    break;
                }
            }
            self.expect(TokenKind::RParen, "to close override list")?;
        }
        Ok(OverrideSpecifier {
            span: self.span_from(start),
            bases,
        })
    }

    /// `T [attributes] name [= value];` — contract state variables and
    /// file-level constants.
    fn state_variable(&mut self, docs: Option<DocComment>) -> PResult<StateVariable> {
        let start = self.start();
        let ty = self.type_name("in state variable declaration")?;
        let mut var = StateVariable {
            id: crate::ast::NodeId::DUMMY,
            span: Span::DUMMY,
            ty,
            name: crate::ast::Ident {
                name: String::new(),
                span: Span::DUMMY,
            },
            visibility: None,
            is_constant: false,
            is_immutable: false,
            is_transient: false,
            overrides: None,
            initializer: None,
            docs,
        };
        loop {
            // Contextual attributes only count when a name still follows
            // (`uint transient;` declares a variable named `transient`).
            let word_attr = self.tok.kind == TokenKind::Ident
                && !matches!(self.peek(1).kind, TokenKind::Semi | TokenKind::Assign);
            match self.tok.kind {
                TokenKind::Keyword(
                    kw @ (Keyword::Public
                    | Keyword::Private
                    | Keyword::Internal
                    | Keyword::External),
                ) => {
                    self.bump();
                    var.visibility = Some(visibility(kw));
                }
                TokenKind::Keyword(Keyword::Constant) => {
                    self.bump();
                    var.is_constant = true;
                }
                TokenKind::Ident if word_attr && self.at_word("immutable") => {
                    self.bump();
                    var.is_immutable = true;
                }
                TokenKind::Ident if word_attr && self.at_word("transient") => {
                    self.bump();
                    var.is_transient = true;
                }
                TokenKind::Ident if word_attr && self.at_word("override") => {
                    var.overrides = Some(self.override_specifier()?);
                }
                _ => break,
            }
        }
        var.name = self.ident("as state variable name")?;
        if self.eat(TokenKind::Assign) {
            var.initializer = Some(self.expr()?);
        }
        self.expect(TokenKind::Semi, "after state variable declaration")?;
        var.id = self.id();
        var.span = self.span_from(start);
        Ok(var)
    }

    fn struct_def(&mut self, docs: Option<DocComment>) -> PResult<StructDefinition> {
        let start = self.start();
        self.bump();
        let name = self.ident("as struct name")?;
        self.expect(TokenKind::LBrace, "to open struct body")?;
        let mut fields = Vec::new();
        while !self.at(TokenKind::RBrace) && !self.at(TokenKind::Eof) {
            let before = self.bumps;
            match self.struct_field() {
                Ok(field) => fields.push(field),
                Err(ParseError) => self.recover_stmt(),
            }
            if self.bumps == before {
                self.bump();
            }
        }
        self.expect(TokenKind::RBrace, "to close struct body")?;
        Ok(StructDefinition {
            id: self.id(),
            span: self.span_from(start),
            name,
            fields,
            docs,
        })
    }

    fn struct_field(&mut self) -> PResult<crate::ast::Parameter> {
        let start = self.start();
        let ty = self.type_name("as struct member type")?;
        let name = self.ident("as struct member name")?;
        self.expect(TokenKind::Semi, "after struct member")?;
        Ok(crate::ast::Parameter {
            id: self.id(),
            span: self.span_from(start),
            ty,
            location: None,
            indexed: false,
            name: Some(name),
        })
    }

    fn enum_def(&mut self, docs: Option<DocComment>) -> PResult<EnumDefinition> {
        let start = self.start();
        self.bump();
        let name = self.ident("as enum name")?;
        self.expect(TokenKind::LBrace, "to open enum body")?;
        let mut variants = Vec::new();
        while !self.at(TokenKind::RBrace) {
            let name = self.ident("as enum value")?;
            variants.push(EnumVariant {
                id: self.id(),
                name,
            });
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        self.expect(TokenKind::RBrace, "to close enum body")?;
        Ok(EnumDefinition {
            id: self.id(),
            span: self.span_from(start),
            name,
            variants,
            docs,
        })
    }

    fn event_def(&mut self, docs: Option<DocComment>) -> PResult<EventDefinition> {
        let start = self.start();
        self.bump();
        let name = self.ident("as event name")?;
        let params = self.parameter_list(ParamContext::Event)?;
        let is_anonymous = self.eat_kw(Keyword::Anonymous);
        self.expect(TokenKind::Semi, "after event declaration")?;
        Ok(EventDefinition {
            id: self.id(),
            span: self.span_from(start),
            name,
            params,
            is_anonymous,
            docs,
        })
    }

    fn error_def(&mut self, docs: Option<DocComment>) -> PResult<ErrorDefinition> {
        let start = self.start();
        self.bump();
        let name = self.ident("as error name")?;
        let params = self.parameter_list(ParamContext::Function)?;
        self.expect(TokenKind::Semi, "after error declaration")?;
        Ok(ErrorDefinition {
            id: self.id(),
            span: self.span_from(start),
            name,
            params,
            docs,
        })
    }

    /// `type Name is T;`
    fn udvt(&mut self, docs: Option<DocComment>) -> PResult<UserValueTypeDefinition> {
        let start = self.start();
        self.bump();
        let name = self.ident("as type name")?;
        self.expect(
            TokenKind::Keyword(Keyword::Is),
            "after user-defined type name",
        )?;
        let underlying = self.type_name("as underlying type")?;
        self.expect(TokenKind::Semi, "after user-defined value type")?;
        Ok(UserValueTypeDefinition {
            id: self.id(),
            span: self.span_from(start),
            name,
            underlying,
            docs,
        })
    }

    /// `using L for T;`, `using {f, g as +} for T global;`, `for *`.
    fn using(&mut self) -> PResult<UsingDirective> {
        let start = self.start();
        self.bump();
        let target = if self.eat(TokenKind::LBrace) {
            let mut functions = Vec::new();
            while !self.at(TokenKind::RBrace) {
                let fn_start = self.start();
                let path = self.ident_path("in using list")?;
                let operator = if self.eat_kw(Keyword::As) {
                    Some(self.user_operator()?)
                } else {
                    None
                };
                functions.push(UsingFunction {
                    span: self.span_from(fn_start),
                    path,
                    operator,
                });
                if !self.eat(TokenKind::Comma) {
                    break;
                }
            }
            self.expect(TokenKind::RBrace, "to close using list")?;
            UsingTarget::Functions(functions)
        } else {
            UsingTarget::Library(self.ident_path("after 'using'")?)
        };
        self.expect(TokenKind::Keyword(Keyword::For), "in using directive")?;
        let ty = if self.eat(TokenKind::Star) {
            None
        } else {
            Some(self.type_name("after 'for'")?)
        };
        let is_global = self.eat_word("global");
        self.expect(TokenKind::Semi, "after using directive")?;
        Ok(UsingDirective {
            id: self.id(),
            span: self.span_from(start),
            target,
            ty,
            is_global,
        })
    }

    fn user_operator(&mut self) -> PResult<UserOperator> {
        let op = match self.tok.kind {
            TokenKind::Amp => UserOperator::BitAnd,
            TokenKind::Pipe => UserOperator::BitOr,
            TokenKind::Caret => UserOperator::BitXor,
            TokenKind::Tilde => UserOperator::BitNot,
            TokenKind::Plus => UserOperator::Add,
            TokenKind::Minus => UserOperator::Sub,
            TokenKind::Star => UserOperator::Mul,
            TokenKind::Slash => UserOperator::Div,
            TokenKind::Percent => UserOperator::Mod,
            TokenKind::Eq => UserOperator::Eq,
            TokenKind::Ne => UserOperator::Ne,
            TokenKind::Lt => UserOperator::Lt,
            TokenKind::Le => UserOperator::Le,
            TokenKind::Gt => UserOperator::Gt,
            TokenKind::Ge => UserOperator::Ge,
            _ => return Err(self.error_expected("user-definable operator", "after 'as'")),
        };
        self.bump();
        Ok(op)
    }
}

fn visibility(kw: Keyword) -> Visibility {
    match kw {
        Keyword::Public => Visibility::Public,
        Keyword::Private => Visibility::Private,
        Keyword::External => Visibility::External,
        _ => Visibility::Internal,
    }
}

/// The minor version of the first `0.x` in a version requirement
/// (`^0.6.12` -> 6, `>=0.4.22 <0.6.0` -> 4).
fn first_minor_version(requirement: &str) -> Option<u32> {
    let at = requirement.find("0.")?;
    let digits: String = requirement[at + 2..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}
