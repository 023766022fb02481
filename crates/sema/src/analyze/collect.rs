//! First pass: one [`Decl`] per declaration of every file, the
//! `NodeId → DeclId` table, and empty typed views for contracts, functions
//! and state variables (completed by later passes).

use bulwark_syntax::ast::*;
use bulwark_syntax::Span;

use crate::decl::{Decl, DeclAst, DeclId, DeclKind};
use crate::model::{ContractInfo, FunctionInfo, Model, OwnMembers, StateVarInfo, VarMutability};
use crate::project::FileId;
use crate::ty::{Mutability, Type};

const NO_VIEW: u32 = u32::MAX;

pub(crate) struct Collector<'m, 'p> {
    pub model: &'m mut Model<'p>,
    file: FileId,
}

pub(crate) fn run<'p>(model: &mut Model<'p>) {
    let project = model.project;
    for file in &project.files {
        let mut c = Collector {
            model: &mut *model,
            file: file.id,
        };
        for item in &file.parsed.unit.items {
            c.source_item(item);
        }
    }
}

impl<'m, 'p> Collector<'m, 'p> {
    fn add(
        &mut self,
        kind: DeclKind,
        name: Option<&'p Ident>,
        node: NodeId,
        span: Span,
        container: Option<DeclId>,
        ast: DeclAst<'p>,
    ) -> DeclId {
        let id = DeclId(self.model.decls.len() as u32);
        self.model.decls.push(Decl {
            kind,
            name: name.map(|n| n.name.clone()).unwrap_or_default(),
            file: self.file,
            node,
            span,
            name_span: name.map_or(span, |n| n.span),
            container,
            ast,
        });
        self.model.names.push(name.map_or("", |n| n.name.as_str()));
        self.model.view_index.push(NO_VIEW);
        self.model.decl_types.push(Type::Unknown);
        if let Some(slot) = self.model.decl_of[self.file.index()].get_mut(node.index()) {
            *slot = Some(id);
        }
        id
    }

    fn source_item(&mut self, item: &'p SourceItem) {
        match item {
            SourceItem::Pragma(_) => {}
            SourceItem::Import(i) => {
                let alias = match &i.kind {
                    ImportKind::Plain { alias } => alias.as_ref(),
                    ImportKind::Glob { alias } => Some(alias),
                    ImportKind::Symbols(_) => None,
                };
                if let Some(alias) = alias {
                    self.add(
                        DeclKind::ImportAlias,
                        Some(alias),
                        i.id,
                        i.span,
                        None,
                        DeclAst::Import(i),
                    );
                }
            }
            SourceItem::Contract(c) => self.contract(c),
            SourceItem::Function(f) => {
                self.function(f, None);
            }
            SourceItem::Variable(v) => {
                self.state_var(v, None);
            }
            SourceItem::Struct(s) => {
                self.struct_def(s, None);
            }
            SourceItem::Enum(e) => {
                self.enum_def(e, None);
            }
            SourceItem::Event(e) => {
                self.event(e, None);
            }
            SourceItem::Error(e) => {
                self.error(e, None);
            }
            SourceItem::UserValueType(u) => {
                self.udvt(u, None);
            }
            SourceItem::Using(_) => {}
        }
    }

    fn contract(&mut self, c: &'p ContractDefinition) {
        let id = self.add(
            DeclKind::Contract,
            Some(&c.name),
            c.id,
            c.span,
            None,
            DeclAst::Contract(c),
        );
        let mut own = OwnMembers::default();
        for member in &c.members {
            match member {
                ContractMember::Function(f) => {
                    let d = self.function(f, Some(id));
                    if f.kind == FunctionKind::Modifier {
                        own.modifiers.push(d);
                    } else {
                        own.functions.push(d);
                    }
                }
                ContractMember::StateVariable(v) => {
                    own.state_vars.push(self.state_var(v, Some(id)))
                }
                ContractMember::Struct(s) => own.structs.push(self.struct_def(s, Some(id))),
                ContractMember::Enum(e) => own.enums.push(self.enum_def(e, Some(id))),
                ContractMember::Event(e) => own.events.push(self.event(e, Some(id))),
                ContractMember::Error(e) => own.errors.push(self.error(e, Some(id))),
                ContractMember::UserValueType(u) => own.udvts.push(self.udvt(u, Some(id))),
                ContractMember::Using(_) => {}
            }
        }
        self.model.view_index[id.index()] = self.model.contracts.len() as u32;
        self.model.contracts.push(ContractInfo {
            decl: id,
            file: self.file,
            ast: c,
            kind: c.kind,
            is_abstract: c.is_abstract,
            bases: Vec::new(),
            linearization: vec![id],
            own,
            functions: Vec::new(),
            modifiers: Vec::new(),
            state_vars: Vec::new(),
            events: Vec::new(),
            errors: Vec::new(),
            constructor: None,
            fallback: None,
            receive: None,
        });
    }

    fn function(&mut self, f: &'p FunctionDefinition, contract: Option<DeclId>) -> DeclId {
        let kind = if f.kind == FunctionKind::Modifier {
            DeclKind::Modifier
        } else {
            DeclKind::Function
        };
        let id = self.add(
            kind,
            f.name.as_ref(),
            f.id,
            f.span,
            contract,
            DeclAst::Function(f),
        );
        let params = f
            .params
            .iter()
            .map(|p| self.param(p, DeclKind::Param, id))
            .collect();
        let returns = f
            .returns
            .iter()
            .map(|p| self.param(p, DeclKind::ReturnParam, id))
            .collect();
        if let Some(body) = &f.body {
            self.block(body, id);
        }
        self.model.view_index[id.index()] = self.model.functions.len() as u32;
        self.model.functions.push(FunctionInfo {
            decl: id,
            file: self.file,
            contract,
            ast: f,
            kind: f.kind,
            visibility: Visibility::Internal,
            mutability: Mutability::NonPayable,
            is_virtual: f.is_virtual,
            overrides: Vec::new(),
            modifiers: Vec::new(),
            params,
            returns,
        });
        id
    }

    fn param(&mut self, p: &'p Parameter, kind: DeclKind, container: DeclId) -> DeclId {
        self.add(
            kind,
            p.name.as_ref(),
            p.id,
            p.span,
            Some(container),
            DeclAst::Param(p),
        )
    }

    fn state_var(&mut self, v: &'p StateVariable, contract: Option<DeclId>) -> DeclId {
        let id = self.add(
            DeclKind::StateVar,
            Some(&v.name),
            v.id,
            v.span,
            contract,
            DeclAst::StateVar(v),
        );
        let mutability = if v.is_constant {
            VarMutability::Constant
        } else if v.is_immutable {
            VarMutability::Immutable
        } else if v.is_transient {
            VarMutability::Transient
        } else {
            VarMutability::Mutable
        };
        self.model.view_index[id.index()] = self.model.state_vars.len() as u32;
        self.model.state_vars.push(StateVarInfo {
            decl: id,
            file: self.file,
            contract,
            ast: v,
            visibility: v.visibility.unwrap_or(Visibility::Internal),
            mutability,
            ty: Type::Unknown,
        });
        id
    }

    fn struct_def(&mut self, s: &'p StructDefinition, contract: Option<DeclId>) -> DeclId {
        let id = self.add(
            DeclKind::Struct,
            Some(&s.name),
            s.id,
            s.span,
            contract,
            DeclAst::Struct(s),
        );
        for f in &s.fields {
            self.param(f, DeclKind::StructField, id);
        }
        id
    }

    fn enum_def(&mut self, e: &'p EnumDefinition, contract: Option<DeclId>) -> DeclId {
        let id = self.add(
            DeclKind::Enum,
            Some(&e.name),
            e.id,
            e.span,
            contract,
            DeclAst::Enum(e),
        );
        for v in &e.variants {
            self.add(
                DeclKind::EnumVariant,
                Some(&v.name),
                v.id,
                v.name.span,
                Some(id),
                DeclAst::EnumVariant(v),
            );
        }
        id
    }

    fn event(&mut self, e: &'p EventDefinition, contract: Option<DeclId>) -> DeclId {
        let id = self.add(
            DeclKind::Event,
            Some(&e.name),
            e.id,
            e.span,
            contract,
            DeclAst::Event(e),
        );
        for p in &e.params {
            self.param(p, DeclKind::Param, id);
        }
        id
    }

    fn error(&mut self, e: &'p ErrorDefinition, contract: Option<DeclId>) -> DeclId {
        let id = self.add(
            DeclKind::Error,
            Some(&e.name),
            e.id,
            e.span,
            contract,
            DeclAst::Error(e),
        );
        for p in &e.params {
            self.param(p, DeclKind::Param, id);
        }
        id
    }

    fn udvt(&mut self, u: &'p UserValueTypeDefinition, contract: Option<DeclId>) -> DeclId {
        self.add(
            DeclKind::Udvt,
            Some(&u.name),
            u.id,
            u.span,
            contract,
            DeclAst::Udvt(u),
        )
    }

    // --- locals inside bodies ------------------------------------------

    fn block(&mut self, b: &'p Block, f: DeclId) {
        for s in &b.stmts {
            self.stmt(s, f);
        }
    }

    fn stmt(&mut self, s: &'p Stmt, f: DeclId) {
        match &s.kind {
            StmtKind::Block(b) | StmtKind::Unchecked(b) => self.block(b, f),
            StmtKind::VarDecl(v) => {
                for local in v.decls.iter().flatten() {
                    self.add(
                        DeclKind::LocalVar,
                        Some(&local.name),
                        local.id,
                        local.span,
                        Some(f),
                        DeclAst::Local(local),
                    );
                }
            }
            StmtKind::If {
                then_branch,
                else_branch,
                ..
            } => {
                self.stmt(then_branch, f);
                if let Some(e) = else_branch {
                    self.stmt(e, f);
                }
            }
            StmtKind::For { init, body, .. } => {
                if let Some(i) = init {
                    self.stmt(i, f);
                }
                self.stmt(body, f);
            }
            StmtKind::While { body, .. } | StmtKind::DoWhile { body, .. } => self.stmt(body, f),
            StmtKind::Try(t) => {
                for p in &t.returns {
                    self.param(p, DeclKind::Param, f);
                }
                self.block(&t.body, f);
                for c in &t.catches {
                    for p in c.params.iter().flatten() {
                        self.param(p, DeclKind::Param, f);
                    }
                    self.block(&c.body, f);
                }
            }
            _ => {}
        }
    }
}
