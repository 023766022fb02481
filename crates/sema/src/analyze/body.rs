//! Name resolution and typing of code: function and modifier bodies,
//! state variable initializers, modifier and base-constructor arguments,
//! and Solidity names used inside inline assembly.

use bulwark_syntax::ast::*;
use bulwark_syntax::yul::{
    is_evm_builtin, YulAccessSuffix, YulBlock, YulExpression, YulNode, YulStatement,
};
use num_rational::BigRational;
use num_traits::Signed;

use super::address::address_literal_type;
use super::builtin_types::with_location;
use super::constant::{fold_binary, parse_number};
use super::infos::same_params;
use std::borrow::Cow;
use std::ops::Deref;

use bulwark_syntax::Span;
use rayon::prelude::*;

use super::typename::PathRecords;
use super::Analyzer;
use crate::builtins::Builtin;
use crate::decl::{DeclAst, DeclId, DeclKind};
use crate::model::{AsmRef, CallKind, FileTables, SpanFact};
use crate::project::{DiagnosticKind, FileId, ProjectDiagnostic, Severity, SourceFile};
use crate::ty::{DataLocation, FunctionKind as FnKind, FunctionType, Magic, Mutability, Type};
use crate::version::Version;
use crate::Res;

/// Where the code being analysed sits.
struct Cx<'p> {
    file: FileId,
    contract: Option<DeclId>,
    version: Version,
    /// The newest release the file may be compiled with
    /// ([`crate::VersionInfo::newest_compatible`]).
    newest: Version,
    /// Local names in scope, innermost last.
    locals: Vec<(&'p str, DeclId)>,
}

/// Argument information handed to a callee so it can pick an overload.
struct CallHint<'a> {
    args: &'a [Type],
    /// Named arguments (their names), when the call uses `{a: 1}`.
    names: Option<Vec<&'a str>>,
}

/// The body pass over one file. It reads the analyzer's shared state
/// (scopes, member tables, declared types) and writes only this file's
/// side tables, so files are analysed in parallel. Analyzer helpers are
/// reached through `Deref`; the methods that record results are its own.
pub(super) struct BodyPass<'a, 'p> {
    an: &'a Analyzer<'p>,
    tables: &'a mut FileTables,
    /// Types inferred for this file's `var` locals, merged into the model's
    /// declaration types after the pass.
    var_types: Vec<(DeclId, Type)>,
    /// Problems found in this file, appended to the model's diagnostics
    /// after the (parallel) pass in file order.
    diagnostics: Vec<ProjectDiagnostic>,
}

/// What the pass over one file hands back besides its tables: the types
/// inferred for `var` locals and the diagnostics.
type FileOutcome = (Vec<(DeclId, Type)>, Vec<ProjectDiagnostic>);

impl<'p> Deref for BodyPass<'_, 'p> {
    type Target = Analyzer<'p>;

    fn deref(&self) -> &Analyzer<'p> {
        self.an
    }
}

impl<'p> Analyzer<'p> {
    /// Resolves and types the code of every file, files in parallel.
    pub(crate) fn bodies(&mut self) {
        let project = self.model.project;
        let mut tables = std::mem::take(&mut self.model.files);
        let an = &*self;
        let results: Vec<FileOutcome> = tables
            .par_iter_mut()
            .zip(project.files.par_iter())
            .map(|(tables, file)| {
                let mut pass = BodyPass {
                    an,
                    tables,
                    var_types: Vec::new(),
                    diagnostics: Vec::new(),
                };
                pass.file(file);
                // An expression typed twice (e.g. retried with a call hint)
                // is reported once.
                let mut seen = std::collections::HashSet::new();
                pass.diagnostics
                    .retain(|d| seen.insert((d.kind, d.span.map(|s| (s.start, s.end)))));
                (pass.var_types, pass.diagnostics)
            })
            .collect();
        self.model.files = tables;
        for (var_types, diagnostics) in results {
            for (d, t) in var_types {
                self.model.decl_types[d.index()] = t;
            }
            self.model.diagnostics.extend(diagnostics);
        }
    }
}

impl<'a, 'p> BodyPass<'a, 'p> {
    fn file(&mut self, file: &SourceFile) {
        let version = file.version.effective;
        let newest = file.version.newest_compatible();
        for item in &file.parsed.unit.items {
            let mut cx = Cx {
                file: file.id,
                contract: None,
                version,
                newest,
                locals: Vec::new(),
            };
            match item {
                SourceItem::Contract(c) => {
                    cx.contract = self.model.decl_at(file.id, c.id);
                    for spec in &c.bases {
                        if let Some(args) = &spec.args {
                            self.call_args(&mut cx, args);
                        }
                    }
                    if let Some(slot) = &c.layout {
                        self.expr(&mut cx, slot);
                    }
                    for m in &c.members {
                        match m {
                            ContractMember::Using(u) => self.using_exprs(&mut cx, u),
                            ContractMember::Function(f) => self.function_body(&mut cx, f),
                            ContractMember::StateVariable(v) => self.state_var_init(&mut cx, v),
                            ContractMember::Struct(s) => self.params_exprs(&mut cx, &s.fields),
                            ContractMember::Event(e) => self.params_exprs(&mut cx, &e.params),
                            ContractMember::Error(e) => self.params_exprs(&mut cx, &e.params),
                            _ => {}
                        }
                    }
                }
                SourceItem::Function(f) => self.function_body(&mut cx, f),
                SourceItem::Variable(v) => self.state_var_init(&mut cx, v),
                SourceItem::Struct(s) => self.params_exprs(&mut cx, &s.fields),
                SourceItem::Event(e) => self.params_exprs(&mut cx, &e.params),
                SourceItem::Error(e) => self.params_exprs(&mut cx, &e.params),
                SourceItem::Using(u) => self.using_exprs(&mut cx, u),
                _ => {}
            }
        }
    }

    /// The array lengths in a `using ... for T[N]` type.
    fn using_exprs(&mut self, cx: &mut Cx<'p>, u: &UsingDirective) {
        if let Some(t) = &u.ty {
            self.typename_exprs(cx, t);
        }
    }

    // --- recording (this file's tables only) -----------------------------

    fn set_res(&mut self, _file: FileId, node: NodeId, res: Res) {
        if let Some(slot) = self.tables.res.get_mut(node.index()) {
            *slot = Some(res);
        }
    }

    fn set_span(&mut self, _file: FileId, node: NodeId, span: Span) {
        if let Some(slot) = self.tables.spans.get_mut(node.index()) {
            *slot = span;
        }
    }

    fn set_type(&mut self, _file: FileId, node: NodeId, ty: Type) {
        if let Some(slot) = self.tables.types.get_mut(node.index()) {
            *slot = Some(ty);
        }
    }

    fn set_call(&mut self, _file: FileId, node: NodeId, kind: CallKind) {
        if let Some(slot) = self.tables.calls.get_mut(node.index()) {
            *slot = Some(kind);
        }
    }

    fn add_span_fact(&mut self, _file: FileId, span: Span, res: Option<Res>, ty: Option<Type>) {
        self.tables.span_facts.push(SpanFact { span, res, ty });
    }

    /// A declaration's type, seeing the `var` locals typed so far.
    fn decl_type(&self, id: DeclId) -> Type {
        if let Some((_, t)) = self.var_types.iter().rev().find(|(d, _)| *d == id) {
            return t.clone();
        }
        self.an.decl_type(id)
    }

    fn typename(
        &mut self,
        file: FileId,
        contract: Option<DeclId>,
        tn: &TypeName,
        loc: DataLocation,
    ) -> Type {
        let mut records = PathRecords::new();
        let ty = self.an.typename_in(file, contract, tn, loc, &mut records);
        for (node, span, res) in records {
            self.set_span(file, node, span);
            self.set_res(file, node, res);
        }
        ty
    }

    /// Types the array-length expressions inside declared type names.
    fn params_exprs(&mut self, cx: &mut Cx<'p>, params: &[Parameter]) {
        for p in params {
            self.typename_exprs(cx, &p.ty);
        }
    }

    fn typename_exprs(&mut self, cx: &mut Cx<'p>, tn: &TypeName) {
        match &tn.kind {
            TypeNameKind::Array { base, length } => {
                self.typename_exprs(cx, base);
                if let Some(l) = length {
                    self.expr(cx, l);
                }
            }
            TypeNameKind::Mapping { key, value, .. } => {
                self.typename_exprs(cx, key);
                self.typename_exprs(cx, value);
            }
            TypeNameKind::Function(f) => {
                self.params_exprs(cx, &f.params);
                self.params_exprs(cx, &f.returns);
            }
            _ => {}
        }
    }

    fn state_var_init(&mut self, cx: &mut Cx<'p>, v: &StateVariable) {
        self.typename_exprs(cx, &v.ty);
        if let Some(init) = &v.initializer {
            self.expr(cx, init);
        }
    }

    fn function_body(&mut self, cx: &mut Cx<'p>, f: &FunctionDefinition) {
        let Some(id) = self.model.decl_at(cx.file, f.id) else {
            return;
        };
        cx.locals.clear();
        self.params_exprs(cx, &f.params);
        self.params_exprs(cx, &f.returns);
        for p in f.params.iter().chain(&f.returns) {
            self.push_local(cx, p.id);
        }
        if !cx.version.block_scoped_locals() {
            // Before 0.5 a local is visible in the whole function.
            // The collector puts a function's parameters and locals right
            // after it in the arena, so a scan stops at the first other one.
            let after = id.index() + 1;
            for (i, decl) in self.model.decls[after..].iter().enumerate() {
                if decl.container != Some(id) {
                    break;
                }
                if decl.kind == DeclKind::LocalVar {
                    let d = DeclId((after + i) as u32);
                    cx.locals.push((self.model.names[d.index()], d));
                }
            }
        }
        for m in &f.modifiers {
            if let Some(args) = &m.args {
                self.call_args(cx, args);
            }
        }
        if let Some(body) = &f.body {
            self.block(cx, body);
        }
        cx.locals.clear();
    }

    /// Brings the parameter or local declared by `node` into scope
    /// (unnamed ones cannot be referred to).
    fn push_local(&mut self, cx: &mut Cx<'p>, node: NodeId) {
        if let Some(d) = self.model.decl_at(cx.file, node) {
            let name = self.model.names[d.index()];
            if !name.is_empty() {
                cx.locals.push((name, d));
            }
        }
    }

    // --- statements ------------------------------------------------------

    fn block(&mut self, cx: &mut Cx<'p>, b: &Block) {
        let mark = cx.locals.len();
        for s in &b.stmts {
            self.stmt(cx, s);
        }
        if cx.version.block_scoped_locals() {
            cx.locals.truncate(mark);
        }
    }

    fn stmt(&mut self, cx: &mut Cx<'p>, s: &Stmt) {
        match &s.kind {
            StmtKind::Block(b) | StmtKind::Unchecked(b) => self.block(cx, b),
            StmtKind::VarDecl(v) => self.var_decl(cx, v),
            StmtKind::Expr(e) => {
                self.expr(cx, e);
            }
            StmtKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.expr(cx, cond);
                self.scoped_stmt(cx, then_branch);
                if let Some(e) = else_branch {
                    self.scoped_stmt(cx, e);
                }
            }
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                let mark = cx.locals.len();
                if let Some(i) = init {
                    self.stmt(cx, i);
                }
                if let Some(c) = cond {
                    self.expr(cx, c);
                }
                if let Some(u) = update {
                    self.expr(cx, u);
                }
                self.scoped_stmt(cx, body);
                if cx.version.block_scoped_locals() {
                    cx.locals.truncate(mark);
                }
            }
            StmtKind::While { cond, body } => {
                self.expr(cx, cond);
                self.scoped_stmt(cx, body);
            }
            StmtKind::DoWhile { body, cond } => {
                self.scoped_stmt(cx, body);
                self.expr(cx, cond);
            }
            StmtKind::Return(Some(e)) => {
                self.expr(cx, e);
            }
            StmtKind::Emit { event, args } | StmtKind::Revert { error: event, args } => {
                let arg_types = self.call_args(cx, args);
                let hint = CallHint {
                    args: &arg_types,
                    names: named_args(args),
                };
                let ct = self.callee(cx, event, Some(&hint));
                let result = match ct {
                    Type::Function(f) if f.returns.len() == 1 => f.returns[0].clone(),
                    Type::Function(_) => Type::Tuple(vec![]),
                    _ => Type::Unknown,
                };
                if !result.is_unknown() {
                    let span = event.span.to(args.span);
                    self.add_span_fact(cx.file, span, None, Some(result));
                }
            }
            StmtKind::Try(t) => {
                self.expr(cx, &t.expr);
                let mark = cx.locals.len();
                self.params_exprs(cx, &t.returns);
                for p in &t.returns {
                    self.push_local(cx, p.id);
                }
                self.block(cx, &t.body);
                cx.locals.truncate(mark);
                for c in &t.catches {
                    let mark = cx.locals.len();
                    for p in c.params.iter().flatten() {
                        self.typename_exprs(cx, &p.ty);
                        self.push_local(cx, p.id);
                    }
                    self.block(cx, &c.body);
                    cx.locals.truncate(mark);
                }
            }
            StmtKind::Assembly(a) => self.assembly(cx, s.id, a),
            StmtKind::Return(None)
            | StmtKind::Continue
            | StmtKind::Break
            | StmtKind::Throw
            | StmtKind::Placeholder => {}
        }
    }

    /// A statement in its own scope (the body of `if`, loops).
    fn scoped_stmt(&mut self, cx: &mut Cx<'p>, s: &Stmt) {
        let mark = cx.locals.len();
        self.stmt(cx, s);
        if cx.version.block_scoped_locals() {
            cx.locals.truncate(mark);
        }
    }

    fn var_decl(&mut self, cx: &mut Cx<'p>, v: &VarDeclStmt) {
        for l in v.decls.iter().flatten() {
            if let Some(t) = &l.ty {
                self.typename_exprs(cx, t);
            }
        }
        let init_ty = v.init.as_ref().map(|e| self.expr(cx, e));
        // `var` locals take the mobile type of their initializer.
        for (i, slot) in v.decls.iter().enumerate() {
            let Some(l) = slot else { continue };
            let Some(d) = self.model.decl_at(cx.file, l.id) else {
                continue;
            };
            if l.ty.is_none() {
                let t = match (&init_ty, v.is_tuple) {
                    (Some(Type::Tuple(items)), _) if v.decls.len() > 1 || v.is_tuple => {
                        items.get(i).cloned().flatten().unwrap_or(Type::Unknown)
                    }
                    (Some(t), _) => t.clone(),
                    (None, _) => Type::Unknown,
                };
                let t = self.mobile(&t);
                self.var_types.push((d, t));
            }
            if cx.version.block_scoped_locals() {
                cx.locals.push((self.model.names[d.index()], d));
            }
        }
    }

    fn assembly(&mut self, cx: &mut Cx<'p>, node: NodeId, a: &AssemblyStmt) {
        let first_diagnostic = self.diagnostics.len();
        let mut refs = Vec::new();
        for ident in a.block.external_references() {
            let ident = ident.ident;
            let whole = self.lookup_value(cx, &ident.name);
            let (decl, suffix) = match whole {
                Some(ids) => (ids.first().copied(), None),
                None => {
                    let split = ident.member_suffix().or_else(|| {
                        (!cx.version.has_dotted_assembly_suffixes())
                            .then(|| ident.legacy_suffix())
                            .flatten()
                    });
                    match split {
                        Some((base, suffix)) => (
                            self.lookup_value(cx, base)
                                .and_then(|ids| ids.first().copied()),
                            Some(suffix),
                        ),
                        None => (None, None),
                    }
                }
            };
            match decl {
                Some(decl) => refs.push(AsmRef {
                    span: ident.span,
                    decl,
                    suffix,
                }),
                // Before 0.5 a bare name may be an old-style instruction or
                // a label; from 0.5 on the Yul parser still accepts it (as
                // an `Instruction` statement or an identifier), but solc
                // rejects it: most often a typo.
                None if cx.version.has_functional_only_assembly() => {
                    self.diagnostics.push(ProjectDiagnostic {
                        severity: Severity::Error,
                        kind: DiagnosticKind::InlineAssembly,
                        file: Some(cx.file),
                        span: Some(ident.span),
                        message: format!(
                            "undeclared identifier `{}` in inline assembly",
                            ident.name
                        ),
                    });
                }
                None => {}
            }
        }
        if cx.version.has_functional_only_assembly() {
            let bare_builtins = cx.version.has_called_builtins_only();
            self.old_style_assembly(cx.file, &a.block, bare_builtins);
        }
        // This block's problems in source order.
        self.diagnostics[first_diagnostic..].sort_by_key(|d| d.span.map(|s| s.start));
        let _ = YulAccessSuffix::Slot;
        self.tables.asm.push((node, refs));
    }

    /// From 0.5 on solc rejects the old-style constructs the Yul parser
    /// still reads for older code: labels, `=:` stack assignments,
    /// instruction statements (`pop`) and calls of undeclared functions;
    /// from 0.6 on (`bare_builtins`) also builtins used as values without
    /// parentheses (`let x := caller`).
    fn old_style_assembly(&mut self, file: FileId, block: &YulBlock, bare_builtins: bool) {
        // Functions the block declares, at any depth: a call to anything
        // else that is not a builtin is a typo (`mstor(0, 1)`). Scoping is
        // not checked, only existence, so a call is never wrongly flagged.
        let mut declared: Vec<&str> = Vec::new();
        block.walk(|node| {
            if let YulNode::Statement(YulStatement::FunctionDefinition(f)) = node {
                declared.push(&f.name.name);
            }
        });
        let mut found: Vec<(Span, String)> = Vec::new();
        block.walk(|node| match node {
            YulNode::Expression(YulExpression::Call(call))
                if !is_evm_builtin(&call.name.name)
                    && !declared.contains(&call.name.name.as_str()) =>
            {
                found.push((
                    call.name.span,
                    format!(
                        "undeclared function `{}` called in inline assembly",
                        call.name.name
                    ),
                ));
            }
            YulNode::Statement(YulStatement::Label(label)) => found.push((
                label.span,
                format!("label `{}` in inline assembly: labels are not allowed from Solidity 0.5 on", label.name.name),
            )),
            YulNode::Statement(YulStatement::StackAssignment(a)) => found.push((
                a.span,
                "stack assignment `=:` in inline assembly: not allowed from Solidity 0.5 on".to_string(),
            )),
            YulNode::Statement(YulStatement::Instruction(ident))
                if is_evm_builtin(&ident.name) =>
            {
                found.push((
                    ident.span,
                    format!(
                        "instruction `{0}` used without parentheses in inline assembly: from Solidity 0.5 on write `{0}(...)`",
                        ident.name
                    ),
                ));
            }
            YulNode::Expression(YulExpression::Identifier(ident))
                if bare_builtins && is_evm_builtin(&ident.name) =>
            {
                found.push((
                    ident.span,
                    format!(
                        "instruction `{0}` used without parentheses in inline assembly: from Solidity 0.6 on write `{0}(...)`",
                        ident.name
                    ),
                ));
            }
            _ => {}
        });
        for (span, message) in found {
            self.diagnostics.push(ProjectDiagnostic {
                severity: Severity::Error,
                kind: DiagnosticKind::InlineAssembly,
                file: Some(file),
                span: Some(span),
                message,
            });
        }
    }

    // --- expressions -------------------------------------------------------

    fn call_args(&mut self, cx: &mut Cx<'p>, args: &CallArgs) -> Vec<Type> {
        match &args.kind {
            CallArgsKind::Positional(list) => list.iter().map(|e| self.expr(cx, e)).collect(),
            CallArgsKind::Named(list) => list.iter().map(|a| self.expr(cx, &a.value)).collect(),
        }
    }

    /// Names visible from the current code: locals, contract members, file
    /// scope.
    fn lookup_value<'c>(&self, cx: &'c Cx<'p>, name: &str) -> Option<&'c [DeclId]>
    where
        'a: 'c,
    {
        if let Some((_, d)) = cx.locals.iter().rev().find(|(n, _)| *n == name) {
            return Some(std::slice::from_ref(d));
        }
        let an: &'a Analyzer<'p> = self.an;
        an.lookup_scoped(cx.file, cx.contract, name)
    }

    fn expr(&mut self, cx: &mut Cx<'p>, e: &Expr) -> Type {
        self.set_span(cx.file, e.id, e.span);
        let ty = self.expr_inner(cx, e, None);
        if !ty.is_unknown() {
            self.set_type(cx.file, e.id, ty.clone());
        }
        ty
    }

    /// Types a callee, choosing among overloads with the argument types.
    fn callee(&mut self, cx: &mut Cx<'p>, e: &Expr, hint: Option<&CallHint>) -> Type {
        self.set_span(cx.file, e.id, e.span);
        let ty = self.expr_inner(cx, e, hint);
        if !ty.is_unknown() {
            self.set_type(cx.file, e.id, ty.clone());
        }
        ty
    }

    fn expr_inner(&mut self, cx: &mut Cx<'p>, e: &Expr, hint: Option<&CallHint>) -> Type {
        match &e.kind {
            ExprKind::Literal(l) => literal_type(l, cx.version),
            ExprKind::Ident(id) => self.ident(cx, e.id, e.span, &id.name, hint),
            ExprKind::Member { base, member } => {
                let bt = self.expr(cx, base);
                self.member(cx, e.id, &bt, &member.name, hint)
            }
            ExprKind::Index { base, index } => {
                let bt = self.expr(cx, base);
                let it = index.as_ref().map(|i| self.expr(cx, i));
                let _ = it;
                self.index_type(cx, &bt, index.as_deref())
            }
            ExprKind::Slice { base, start, end } => {
                let bt = self.expr(cx, base);
                for x in [start, end].into_iter().flatten() {
                    self.expr(cx, x);
                }
                match bt {
                    Type::ArraySlice(_) => bt,
                    t @ (Type::Bytes(_) | Type::Array { .. }) => Type::ArraySlice(Box::new(t)),
                    _ => Type::Unknown,
                }
            }
            ExprKind::Call { callee, args } => self.call(cx, e.id, callee, args),
            ExprKind::CallOptions { callee, options } => {
                for o in options {
                    self.expr(cx, &o.value);
                }
                let t = self.callee(cx, callee, hint);
                match t {
                    Type::Function(mut f) => {
                        if options.iter().any(|o| o.name.name == "value") {
                            f.mutability = Mutability::Payable;
                        }
                        f.bound = true;
                        Type::Function(f)
                    }
                    other => other,
                }
            }
            ExprKind::New(tn) => {
                let t = self.typename(cx.file, cx.contract, tn, DataLocation::Memory);
                self.typename_exprs(cx, tn);
                match t {
                    Type::Contract(c) => {
                        let params = self
                            .model
                            .contract(c)
                            .and_then(|ci| ci.constructor)
                            .map(|k| self.signature_of(k).into_owned())
                            .unwrap_or_default();
                        let payable = self
                            .model
                            .contract(c)
                            .and_then(|ci| ci.constructor)
                            .and_then(|k| self.model.function(k))
                            .is_some_and(|f| f.mutability == Mutability::Payable);
                        Type::Function(Box::new(FunctionType {
                            kind: FnKind::Creation,
                            params,
                            returns: vec![Type::Contract(c)],
                            mutability: if payable {
                                Mutability::Payable
                            } else {
                                Mutability::NonPayable
                            },
                            decl: Some(c),
                            bound: false,
                        }))
                    }
                    Type::Unknown => Type::Unknown,
                    other => Type::Function(Box::new(FunctionType {
                        kind: FnKind::ObjectCreation,
                        params: vec![Type::UINT256],
                        returns: vec![other],
                        mutability: Mutability::Pure,
                        decl: None,
                        bound: false,
                    })),
                }
            }
            ExprKind::TypeOf(tn) => {
                let kw = bulwark_syntax::Span {
                    start: e.span.start,
                    end: e.span.start + 4,
                };
                let f = Type::Function(Box::new(FunctionType {
                    kind: FnKind::Builtin(Builtin::TypeOf),
                    params: vec![],
                    returns: vec![],
                    mutability: Mutability::Pure,
                    decl: None,
                    bound: false,
                }));
                self.add_span_fact(cx.file, kw, Some(Res::Builtin(Builtin::TypeOf)), Some(f));
                let t = self.typename(cx.file, cx.contract, tn, DataLocation::Memory);
                // solc types the argument as an expression: `type(contract C)`.
                let arg_node = match &tn.kind {
                    TypeNameKind::UserDefined(path) => Some((path.id, path.span)),
                    TypeNameKind::Elementary(_) => Some((tn.id, tn.span)),
                    _ => None,
                };
                if let (Some((id, span)), false) = (arg_node, t.is_unknown()) {
                    self.set_span(cx.file, id, span);
                    self.set_type(cx.file, id, Type::TypeType(Box::new(t.clone())));
                }
                Type::Magic(Magic::Meta(Box::new(t)))
            }
            ExprKind::ElementaryType(t) => Type::TypeType(Box::new(super::typename::elementary(
                *t,
                DataLocation::StoragePointer,
            ))),
            ExprKind::Unary { op, operand } => {
                let t = self.expr(cx, operand);
                match op {
                    UnaryOp::Not => Type::Bool,
                    UnaryOp::Delete => Type::Tuple(vec![]),
                    UnaryOp::Neg => match t {
                        Type::Rational(v) => Type::Rational(Box::new(-*v)),
                        t => t,
                    },
                    UnaryOp::BitNot => match t {
                        Type::Rational(v) if v.is_integer() => {
                            Type::Rational(Box::new(BigRational::from_integer(!v.to_integer())))
                        }
                        t => t,
                    },
                    _ => t,
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let l = self.expr(cx, lhs);
                let r = self.expr(cx, rhs);
                self.binary_type(cx, *op, &l, &r)
            }
            ExprKind::Assign { lhs, rhs, .. } => {
                let l = self.expr(cx, lhs);
                self.expr(cx, rhs);
                match &l {
                    Type::Tuple(items) if items.len() != 1 => Type::Tuple(vec![]),
                    _ => l,
                }
            }
            ExprKind::Conditional {
                cond,
                then_expr,
                else_expr,
            } => {
                self.expr(cx, cond);
                let a = self.expr(cx, then_expr);
                let b = self.expr(cx, else_expr);
                let (ma, mb) = (self.mobile(&a), self.mobile(&b));
                if self.implicitly_convertible(&mb, &ma) {
                    ma
                } else if self.implicitly_convertible(&ma, &mb) {
                    mb
                } else {
                    ma
                }
            }
            ExprKind::Tuple(items) => {
                let types: Vec<Option<Type>> = items
                    .iter()
                    .map(|i| i.as_ref().map(|e| self.expr(cx, e)))
                    .collect();
                if types.len() == 1 {
                    types.into_iter().next().flatten().unwrap_or(Type::Unknown)
                } else {
                    Type::Tuple(types)
                }
            }
            ExprKind::Array(items) => {
                let types: Vec<Type> = items.iter().map(|e| self.expr(cx, e)).collect();
                let mut base: Option<Type> = None;
                for t in &types {
                    let m = self.mobile(t);
                    base = Some(match base {
                        None => m,
                        Some(b) => {
                            if self.implicitly_convertible(t, &b) {
                                b
                            } else if self.implicitly_convertible(&b, &m) {
                                m
                            } else {
                                b
                            }
                        }
                    });
                }
                match base {
                    Some(b) => Type::Array {
                        base: Box::new(with_location(&b, DataLocation::Memory)),
                        len: Some(types.len() as u64),
                        loc: DataLocation::Memory,
                    },
                    None => Type::Unknown,
                }
            }
            ExprKind::Error => Type::Unknown,
        }
    }

    fn ident(
        &mut self,
        cx: &mut Cx<'p>,
        node: NodeId,
        span: Span,
        name: &str,
        hint: Option<&CallHint>,
    ) -> Type {
        if let Some(ids) = self.lookup_value(cx, name) {
            let chosen = self.choose(ids, hint, false);
            let res = match chosen {
                Some(d) => Res::Decl(d),
                None => super::scopes::to_res(ids.to_vec()),
            };
            self.set_res(cx.file, node, res);
            return match chosen {
                Some(d) => self.value_type_of_decl(d),
                None => Type::Unknown,
            };
        }
        let args = hint.map(|h| h.args);
        if let Some((b, t)) = self.global_builtin(name, cx.version, cx.newest, cx.contract, args) {
            self.set_res(cx.file, node, Res::Builtin(b));
            return t;
        }
        self.diagnostics.push(ProjectDiagnostic {
            severity: Severity::Warning,
            file: Some(cx.file),
            span: Some(span),
            message: format!("`{name}` not found"),
            kind: DiagnosticKind::IdentifierNotFound,
        });
        Type::Unknown
    }

    /// The type of a name referring to `d` as a value.
    fn value_type_of_decl(&self, d: DeclId) -> Type {
        internal_value(self.decl_type(d))
    }

    /// Picks the declaration among `ids` (overloads) that accepts the call
    /// arguments. Non-function declarations are returned directly.
    fn choose(&self, ids: &[DeclId], hint: Option<&CallHint>, bound: bool) -> Option<DeclId> {
        let first = *ids.first()?;
        if ids.len() == 1 {
            return Some(first);
        }
        let is_callable = |d: DeclId| {
            matches!(
                self.model.decl(d).kind,
                DeclKind::Function | DeclKind::Event | DeclKind::Error
            )
        };
        if !is_callable(first) {
            return Some(first);
        }
        let Some(hint) = hint else {
            // Used as a value: only an override chain (one signature, the
            // most derived first) has an answer.
            let sig = self.signature_of(first);
            let one_signature = ids
                .iter()
                .all(|&d| is_callable(d) && same_params(&self.signature_of(d), &sig));
            return one_signature.then_some(first);
        };
        let skip = usize::from(bound);
        let arity: Vec<DeclId> = ids
            .iter()
            .copied()
            .filter(|&d| is_callable(d))
            .filter(|&d| self.signature_of(d).len() == hint.args.len() + skip)
            .collect();
        let fits: Vec<DeclId> = arity
            .iter()
            .copied()
            .filter(|&d| self.accepts(d, hint, bound))
            .collect();
        let pool = if fits.is_empty() { &arity } else { &fits };
        let d = *pool.first()?;
        // Several fitting candidates: either an override chain (same
        // signature, the first is the most derived) or a genuine ambiguity,
        // where the first declared is the best guess.
        Some(d)
    }

    /// Whether the function (event, error) `d` takes the call's arguments:
    /// as many, each implicitly convertible (unknown types accepted).
    /// `bound`: the receiver of a `using for` call is the first parameter.
    fn accepts(&self, d: DeclId, hint: &CallHint, bound: bool) -> bool {
        let skip = usize::from(bound);
        let sig = self.signature_of(d);
        if sig.len() != hint.args.len() + skip {
            return false;
        }
        let fits = |a: &Type, p: &Type| a.is_unknown() || self.implicitly_convertible(a, p);
        match &hint.names {
            Some(names) => {
                let pnames = self.param_names(d);
                names.iter().zip(hint.args).all(|(n, a)| {
                    pnames
                        .iter()
                        .position(|p| p == n)
                        .and_then(|i| sig.get(i))
                        .is_some_and(|p| fits(a, p))
                })
            }
            None => sig[skip..].iter().zip(hint.args).all(|(p, a)| fits(a, p)),
        }
    }

    fn param_names(&self, d: DeclId) -> Vec<&'p str> {
        let params: &[Parameter] = match self.model.decl(d).ast {
            DeclAst::Function(f) => &f.params,
            DeclAst::Event(e) => &e.params,
            DeclAst::Error(e) => &e.params,
            _ => &[],
        };
        params
            .iter()
            .map(|p| p.name.as_ref().map_or("", |n| n.name.as_str()))
            .collect()
    }

    fn member(
        &mut self,
        cx: &mut Cx<'p>,
        node: NodeId,
        base: &Type,
        name: &str,
        hint: Option<&CallHint>,
    ) -> Type {
        let (res, ty) = self.member_lookup(cx, base, name, hint);
        if let Some(r) = res {
            self.set_res(cx.file, node, r);
        }
        ty
    }

    fn member_lookup(
        &mut self,
        cx: &mut Cx<'p>,
        base: &Type,
        name: &str,
        hint: Option<&CallHint>,
    ) -> (Option<Res>, Type) {
        let an: &'a Analyzer<'p> = self.an;
        let decls: Option<(Cow<'a, [DeclId]>, MemberVia)> = match base {
            Type::Module(f) => an
                .file_scopes
                .get(f.index())
                .and_then(|s| s.get(name))
                .map(|ids| (Cow::Borrowed(ids.as_slice()), MemberVia::Static)),
            Type::TypeType(inner) => match &**inner {
                Type::Contract(c) => an
                    .static_members(*c, name)
                    .map(|ids| (ids, MemberVia::Static)),
                Type::Enum(e) => an
                    .enum_variant(*e, name)
                    .map(|v| (Cow::Owned(vec![v]), MemberVia::Static)),
                Type::Super(c) => self
                    .super_members(cx, *c, name)
                    .map(|ids| (Cow::Owned(ids), MemberVia::Super)),
                _ => None,
            },
            Type::Super(c) => self
                .super_members(cx, *c, name)
                .map(|ids| (Cow::Owned(ids), MemberVia::Super)),
            Type::Contract(c) => an
                .members
                .get(c)
                .and_then(|t| t.get(name))
                .map(|ids| {
                    ids.as_slice()
                        .iter()
                        .copied()
                        .filter(|&d| self.is_external_member(d))
                        .collect::<Vec<_>>()
                })
                .filter(|ids| !ids.is_empty())
                .map(|ids| (Cow::Owned(ids), MemberVia::Instance)),
            Type::Struct { decl, .. } => self
                .struct_field(*decl, name)
                .map(|f| (Cow::Owned(vec![f]), MemberVia::Field)),
            _ => None,
        };
        // A member that cannot take the arguments loses to a `using for`
        // function that can (solc resolves the overload among both).
        let decls = match (decls, hint) {
            (Some((ids, via)), Some(h)) if via == MemberVia::Instance => {
                let fits = ids
                    .iter()
                    .any(|&d| self.model.state_var(d).is_some() || self.accepts(d, h, false));
                if !fits
                    && self
                        .bound_functions(cx.file, cx.contract, base, name)
                        .iter()
                        .any(|&f| self.accepts(f, h, true))
                {
                    None
                } else {
                    Some((ids, via))
                }
            }
            (d, _) => d,
        };
        if let Some((ids, via)) = decls {
            let chosen = self.choose(&ids, hint, false);
            let res = match chosen {
                Some(d) => Res::Decl(d),
                None => super::scopes::to_res(ids.into_owned()),
            };
            let ty = match chosen {
                Some(d) => self.member_decl_type(cx, d, base, via),
                None => Type::Unknown,
            };
            return (Some(res), ty);
        }
        if let Some((b, mut t)) = self.builtin_member(base, name, cx.version, cx.newest) {
            // 0.6+: `push()` without argument returns a reference to the
            // new element (the last parameter otherwise).
            if b == Builtin::ArrayPush
                && cx.version.is_06()
                && hint.is_some_and(|h| h.args.is_empty())
            {
                if let Type::Function(f) = &mut t {
                    f.returns = f.params.pop().into_iter().collect();
                }
            }
            return (Some(Res::Builtin(b)), t);
        }
        // `using ... for`: bound library or free functions.
        let bound = self.bound_functions(cx.file, cx.contract, base, name);
        if !bound.is_empty() {
            let chosen = self.choose(&bound, hint, true);
            return match chosen {
                Some(d) => {
                    let mut t = self.decl_type(d);
                    if let Type::Function(f) = &mut t {
                        f.bound = true;
                        if self.is_external_library_fn(d) {
                            f.kind = FnKind::DelegateCall;
                        }
                    }
                    (Some(Res::Decl(d)), t)
                }
                None => (Some(Res::Overloaded(bound)), Type::Unknown),
            };
        }
        (None, Type::Unknown)
    }

    fn is_external_library_fn(&self, d: DeclId) -> bool {
        let lib = self
            .model
            .decl(d)
            .container
            .is_some_and(|c| self.is_library(c));
        lib && self
            .model
            .function(d)
            .is_some_and(|f| matches!(f.visibility, Visibility::Public | Visibility::External))
    }

    /// Members reachable on a contract instance: public/external functions
    /// and public state variables (their getters).
    fn is_external_member(&self, d: DeclId) -> bool {
        if let Some(f) = self.model.function(d) {
            return matches!(f.visibility, Visibility::Public | Visibility::External);
        }
        if let Some(v) = self.model.state_var(d) {
            return v.visibility == Visibility::Public;
        }
        false
    }

    fn struct_field(&self, s: DeclId, name: &str) -> Option<DeclId> {
        let DeclAst::Struct(def) = self.model.decl(s).ast else {
            return None;
        };
        let file = self.model.decl(s).file;
        let f = def
            .fields
            .iter()
            .find(|f| f.name.as_ref().is_some_and(|n| n.name == name))?;
        self.model.decl_at(file, f.id)
    }

    /// `super.name` in contract `c`: the functions of the bases after `c`
    /// in the linearization of `c`.
    fn super_members(&self, _cx: &Cx<'p>, c: DeclId, name: &str) -> Option<Vec<DeclId>> {
        let lin = &self.model.contract(c)?.linearization;
        let mut out = Vec::new();
        for &b in lin.iter().skip(1) {
            let Some(bc) = self.model.contract(b) else {
                continue;
            };
            for &f in bc.own.functions.iter() {
                if self.model.decl(f).name == name {
                    let sig = self.signature_of(f);
                    if !out
                        .iter()
                        .any(|&o| same_params(&self.signature_of(o), &sig))
                    {
                        out.push(f);
                    }
                }
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// The type of a member declaration accessed through `base`.
    fn member_decl_type(&self, cx: &Cx<'p>, d: DeclId, base: &Type, via: MemberVia) -> Type {
        let decl = self.model.decl(d);
        match via {
            MemberVia::Field => {
                let t = self.decl_type(d);
                match base.location() {
                    Some(loc) if t.location().is_some() => {
                        let loc = if loc == DataLocation::StoragePointer {
                            DataLocation::StorageRef
                        } else {
                            loc
                        };
                        with_location(&t, loc)
                    }
                    _ => t,
                }
            }
            MemberVia::Instance => {
                if let Some(v) = self.model.state_var(d) {
                    return self.getter_type(d, &v.ty);
                }
                let mut t = self.decl_type(d);
                if let Type::Function(f) = &mut t {
                    f.kind = FnKind::External;
                    // Called from outside, calldata parameters are passed
                    // from memory.
                    for p in f.params.iter_mut() {
                        if p.location() == Some(DataLocation::Calldata) {
                            *p = with_location(p, DataLocation::Memory);
                        }
                    }
                }
                t
            }
            MemberVia::Super => internal_value(self.decl_type(d)),
            MemberVia::Static => {
                let mut t = self.decl_type(d);
                if decl.kind == DeclKind::Function {
                    let container = decl.container;
                    let in_lineage = match (cx.contract, container) {
                        (Some(cur), Some(owner)) => self
                            .model
                            .contract(cur)
                            .is_some_and(|c| c.linearization.contains(&owner)),
                        _ => false,
                    };
                    // `Base.f` jumps to a base's internal or public function;
                    // an external one, or one of an unrelated contract, can
                    // only be named (`I.f.selector`).
                    let external = self
                        .model
                        .function(d)
                        .is_some_and(|fi| fi.visibility == Visibility::External);
                    if let Type::Function(f) = &mut t {
                        if container.is_some_and(|c| self.is_library(c)) {
                            if self.is_external_library_fn(d) {
                                f.kind = FnKind::DelegateCall;
                            }
                        } else if container.is_some() && (!in_lineage || external) {
                            f.kind = FnKind::Declaration;
                        }
                    }
                }
                internal_value(t)
            }
        }
    }

    /// The external getter of a public state variable.
    fn getter_type(&self, d: DeclId, ty: &Type) -> Type {
        let mut params = Vec::new();
        let mut cur = ty.clone();
        loop {
            match cur {
                Type::Mapping { key, value } => {
                    params.push(with_location(&key, DataLocation::Memory));
                    cur = *value;
                }
                Type::Array { base, .. } => {
                    params.push(Type::UINT256);
                    cur = *base;
                }
                _ => break,
            }
        }
        let returns = match &cur {
            Type::Struct { decl, .. } => {
                let DeclAst::Struct(def) = self.model.decl(*decl).ast else {
                    return Type::Unknown;
                };
                let file = self.model.decl(*decl).file;
                def.fields
                    .iter()
                    .filter_map(|f| self.model.decl_at(file, f.id))
                    .map(|f| self.decl_type(f))
                    .filter(|t| !matches!(t, Type::Mapping { .. } | Type::Array { .. }))
                    .map(|t| with_location(&t, DataLocation::Memory))
                    .collect()
            }
            t => vec![with_location(t, DataLocation::Memory)],
        };
        Type::Function(Box::new(FunctionType {
            kind: FnKind::External,
            params,
            returns,
            mutability: Mutability::View,
            decl: Some(d),
            bound: false,
        }))
    }

    fn index_type(&mut self, cx: &mut Cx<'p>, base: &Type, index: Option<&Expr>) -> Type {
        match base {
            Type::Array {
                base: elem, loc, ..
            } => {
                let loc = if *loc == DataLocation::StoragePointer {
                    DataLocation::StorageRef
                } else {
                    *loc
                };
                with_location(elem, loc)
            }
            Type::ArraySlice(inner) => self.index_type(cx, inner, index),
            Type::Bytes(_) | Type::FixedBytes(_) => Type::FixedBytes(1),
            Type::Mapping { value, .. } => with_location(value, DataLocation::StorageRef),
            Type::TypeType(inner) => {
                let len = index.and_then(|i| {
                    use num_traits::ToPrimitive;
                    self.const_value(cx.file, cx.contract, i)
                        .filter(|v| v.is_integer())
                        .and_then(|v| v.to_integer().to_u64())
                });
                Type::TypeType(Box::new(Type::Array {
                    base: inner.clone(),
                    len,
                    loc: DataLocation::Memory,
                }))
            }
            _ => Type::Unknown,
        }
    }

    fn binary_type(&self, cx: &Cx<'p>, op: BinaryOp, l: &Type, r: &Type) -> Type {
        use BinaryOp::*;
        let is_cmp = matches!(op, Lt | Gt | Le | Ge | Eq | Ne);
        if matches!(op, And | Or) || is_cmp {
            return Type::Bool;
        }
        if let (Type::Rational(a), Type::Rational(b)) = (l, r) {
            return match fold_binary(op, a, b) {
                Some(v) => Type::Rational(Box::new(v)),
                None => Type::Unknown,
            };
        }
        if matches!(op, Shl | Shr | Sar | Pow) {
            return match l {
                Type::Rational(v) => {
                    if cx.version.is_07() {
                        Type::Int {
                            signed: v.is_negative(),
                            bits: 256,
                        }
                    } else {
                        self.mobile(l)
                    }
                }
                t => t.clone(),
            };
        }
        if l.is_unknown() {
            return self.mobile(r);
        }
        self.common_type(l, r).unwrap_or_else(|| self.mobile(l))
    }

    fn call(&mut self, cx: &mut Cx<'p>, node: NodeId, callee: &Expr, args: &CallArgs) -> Type {
        let arg_types = self.call_args(cx, args);
        let hint = CallHint {
            args: &arg_types,
            names: named_args(args),
        };
        let named = matches!(
            callee.kind,
            ExprKind::Ident(_) | ExprKind::Member { .. } | ExprKind::CallOptions { .. }
        );
        // The callee's type is read back from the table rather than cloned:
        // function types are the costliest to copy.
        self.set_span(cx.file, callee.id, callee.span);
        let ct = self.expr_inner(cx, callee, named.then_some(&hint));
        if !ct.is_unknown() {
            self.set_type(cx.file, callee.id, ct);
        }
        let ct = match self.tables.types.get(callee.id.index()) {
            Some(Some(t)) => t,
            _ => &Type::Unknown,
        };
        let (kind, result) = match ct {
            Type::TypeType(target) => {
                let target = match &**target {
                    Type::Struct { decl, .. } => {
                        let t = Type::Struct {
                            decl: *decl,
                            loc: DataLocation::Memory,
                        };
                        (CallKind::StructConstructor(*decl), t)
                    }
                    t @ (Type::Bytes(_) | Type::String(_) | Type::Array { .. }) => {
                        // A slice converts in the location of its array.
                        let loc = arg_types
                            .first()
                            .and_then(|a| match a {
                                Type::ArraySlice(inner) => inner.location(),
                                a => a.location(),
                            })
                            .map(|l| {
                                if l == DataLocation::StorageRef {
                                    DataLocation::StoragePointer
                                } else {
                                    l
                                }
                            })
                            .unwrap_or(DataLocation::Memory);
                        let t = with_location(t, loc);
                        (CallKind::Conversion(t.clone()), t)
                    }
                    Type::Address { payable } => {
                        let t = self.address_conversion(*payable, arg_types.first(), cx.version);
                        (CallKind::Conversion(t.clone()), t)
                    }
                    t => (CallKind::Conversion(t.clone()), t.clone()),
                };
                target
            }
            Type::Function(f) => {
                let result = match f.kind {
                    FnKind::Builtin(Builtin::AbiDecode) => self.abi_decode_result(args, cx.version),
                    _ => match f.returns.len() {
                        1 => f.returns[0].clone(),
                        _ => Type::Tuple(f.returns.iter().cloned().map(Some).collect()),
                    },
                };
                (self.call_kind(callee, f), result)
            }
            _ => (CallKind::Unknown, Type::Unknown),
        };
        self.set_call(cx.file, node, kind);
        result
    }

    fn abi_decode_result(&self, args: &CallArgs, v: Version) -> Type {
        let CallArgsKind::Positional(list) = &args.kind else {
            return Type::Unknown;
        };
        let Some(types) = list.get(1) else {
            return Type::Unknown;
        };
        let unwrap = |e: &Expr| match self.tables.types.get(e.id.index()).cloned().flatten() {
            Some(Type::TypeType(t)) => match t.location() {
                Some(_) => with_location(&t, DataLocation::Memory),
                None => self.decoded_address(*t, v),
            },
            _ => Type::Unknown,
        };
        match &types.kind {
            ExprKind::Tuple(items) if items.len() != 1 => {
                Type::Tuple(items.iter().map(|i| i.as_ref().map(unwrap)).collect())
            }
            ExprKind::Tuple(items) => items[0].as_ref().map(unwrap).unwrap_or(Type::Unknown),
            _ => unwrap(types),
        }
    }

    fn call_kind(&self, callee: &Expr, f: &FunctionType) -> CallKind {
        let inner = match &callee.kind {
            ExprKind::CallOptions { callee, .. } => callee,
            _ => callee,
        };
        let res = self.tables.res.get(inner.id.index()).cloned().flatten();
        if let Some(Res::Builtin(b)) = res {
            return CallKind::Builtin(b);
        }
        if let FnKind::Builtin(b) = f.kind {
            return CallKind::Builtin(b);
        }
        let decl = res.as_ref().and_then(Res::decl).or(f.decl);
        match f.kind {
            FnKind::Event => return decl.map_or(CallKind::Unknown, CallKind::Event),
            FnKind::Error => return decl.map_or(CallKind::Unknown, CallKind::Error),
            FnKind::Creation => return decl.map_or(CallKind::Unknown, CallKind::NewContract),
            FnKind::ObjectCreation => return CallKind::NewArray,
            FnKind::External => return CallKind::External { function: decl },
            FnKind::DelegateCall => {
                return match decl {
                    Some(d) => CallKind::Library {
                        function: d,
                        bound: f.bound,
                    },
                    None => CallKind::Unknown,
                }
            }
            _ => {}
        }
        match decl {
            Some(d) if self.model.decl(d).kind == DeclKind::Function => {
                if f.bound {
                    CallKind::BoundInternal(d)
                } else {
                    CallKind::Internal(d)
                }
            }
            _ => CallKind::InternalPointer,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MemberVia {
    /// `C.x`, `L.f`, `M.x`, `E.V`.
    Static,
    /// `instance.f`.
    Instance,
    /// `super.f`.
    Super,
    /// `s.field`.
    Field,
}

/// A function used internally (called by jumping) cannot receive ether:
/// solc drops `payable` from the internal function type of a payable
/// public function.
fn internal_value(mut t: Type) -> Type {
    if let Type::Function(f) = &mut t {
        if f.kind == FnKind::Internal && f.mutability == Mutability::Payable {
            f.mutability = Mutability::NonPayable;
        }
    }
    t
}

fn named_args(args: &CallArgs) -> Option<Vec<&str>> {
    match &args.kind {
        CallArgsKind::Named(list) => Some(list.iter().map(|a| a.name.name.as_str()).collect()),
        CallArgsKind::Positional(_) => None,
    }
}

fn literal_type(l: &Literal, v: Version) -> Type {
    match l {
        Literal::Bool(_) => Type::Bool,
        Literal::Number { value, unit } => {
            if let Some(t) = unit
                .is_none()
                .then(|| address_literal_type(value, v))
                .flatten()
            {
                return t;
            }
            match parse_number(value, *unit) {
                Some(v) => Type::Rational(Box::new(v)),
                None => Type::Unknown,
            }
        }
        Literal::String { value, .. } => Type::StringLiteral(value.clone().into_boxed_slice()),
    }
}
