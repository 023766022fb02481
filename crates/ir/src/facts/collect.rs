//! Walks the expressions of one CFG node and records its [`NodeFacts`].
//!
//! Expressions are visited in a *mode*: `Read` (the value is used) or
//! `Write` (the expression is an assignment target, `delete` operand,
//! `++` operand or `push`/`pop` receiver). In write mode the walk goes down
//! to the root variable of `x.f[i].g` and records a write of `x`, while the
//! index expressions met on the way are reads.

use std::collections::HashMap;

use bulwark_sema::{Builtin, DeclId, DeclKind, FileId, Model, Res};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, Parameter, UnaryOp};
use bulwark_syntax::yul::YulAccessSuffix;

use super::calls::{classify_call, peel_options, CallOptions, CallSite, CallSiteKind, ResultUse};
use super::storage::{is_storage_state_var, StorageAliases, StorageRoot};
use super::{AccessHow, EnvRead, LocalDef, NodeFacts, StateAccess};
use crate::cfg::{AsmCallKind, CfgNode, NodeKind};
use crate::walk::{call_args, unparen};

pub(crate) struct Ctx<'m, 'p> {
    pub model: &'m Model<'p>,
    pub file: FileId,
    pub aliases: &'m StorageAliases,
    /// Parameters (and return parameters) of the function, defined at entry.
    pub entry_params: Vec<DeclId>,
}

/// Computes the facts of one node.
pub(crate) fn collect_node_facts(ctx: &Ctx<'_, '_>, node: &CfgNode<'_>) -> NodeFacts {
    let mut c = Collector {
        ctx,
        facts: NodeFacts::default(),
        result_uses: HashMap::new(),
    };
    c.node(node);
    c.facts
}

struct Collector<'c, 'm, 'p> {
    ctx: &'c Ctx<'m, 'p>,
    facts: NodeFacts,
    result_uses: HashMap<bulwark_syntax::ast::NodeId, ResultUse>,
}

impl Collector<'_, '_, '_> {
    fn model(&self) -> &Model<'_> {
        self.ctx.model
    }

    fn node(&mut self, node: &CfgNode<'_>) {
        match node.kind {
            NodeKind::Entry => {
                for &p in &self.ctx.entry_params {
                    self.def(p, true, None);
                }
            }
            NodeKind::VarDecl(d) => {
                if let Some(init) = &d.init {
                    let locals: Vec<DeclId> = d
                        .decls
                        .iter()
                        .flatten()
                        .filter_map(|l| self.ctx.model.decl_at(self.ctx.file, l.id))
                        .collect();
                    self.mark_result_uses(init, ResultUse::Assigned(locals));
                    self.read(init, AccessHow::Direct);
                }
                let components = d.init.as_ref().and_then(|init| match &init.kind {
                    ExprKind::Tuple(items) if d.is_tuple && items.len() == d.decls.len() => {
                        Some(items.iter().map(|i| i.as_ref().map(|e| e.id)).collect())
                    }
                    _ => None,
                });
                let components: Vec<Option<_>> = components.unwrap_or_default();
                for (i, local) in d.decls.iter().enumerate() {
                    let Some(local) = local else { continue };
                    let Some(var) = self.ctx.model.decl_at(self.ctx.file, local.id) else {
                        continue;
                    };
                    let value = if d.decls.len() == 1 && !d.is_tuple {
                        d.init.as_ref().map(|e| e.id)
                    } else {
                        components.get(i).copied().flatten()
                    };
                    self.def(var, true, value);
                }
            }
            NodeKind::Expr(e) => {
                self.mark_result_uses(e, ResultUse::Ignored);
                self.read(e, AccessHow::Direct);
            }
            NodeKind::Condition { expr, .. } => {
                self.mark_result_uses(expr, ResultUse::Checked);
                self.read(expr, AccessHow::Direct);
            }
            NodeKind::Return(Some(e)) => {
                self.mark_result_uses(e, ResultUse::Checked);
                self.read(e, AccessHow::Direct);
            }
            NodeKind::Invocation(inv) => {
                if let Some(args) = &inv.args {
                    for a in call_args(args) {
                        self.mark_result_uses(a, ResultUse::Used);
                        self.read(a, AccessHow::Direct);
                    }
                }
            }
            NodeKind::Emit { event, args } | NodeKind::Revert { error: event, args } => {
                let arg_exprs = call_args(args);
                for a in &arg_exprs {
                    self.mark_result_uses(a, ResultUse::Used);
                    self.read(a, AccessHow::Direct);
                }
                let target = self
                    .model()
                    .resolution(self.ctx.file, event.id)
                    .and_then(Res::decl);
                let kind = match node.kind {
                    NodeKind::Emit { .. } => CallSiteKind::Event(target),
                    _ => CallSiteKind::CustomError(target),
                };
                self.facts.calls.push(CallSite {
                    expr: event.id,
                    span: node.span,
                    kind,
                    args: arg_exprs.iter().map(|a| a.id).collect(),
                    result: ResultUse::Ignored,
                    checked: false,
                    asserted_arg: None,
                });
            }
            NodeKind::Try(t) => {
                // The try/catch itself handles failure.
                self.mark_result_uses(&t.expr, ResultUse::Checked);
                self.read(&t.expr, AccessHow::Direct);
            }
            NodeKind::TrySuccess(t) => self.define_params(&t.returns),
            NodeKind::Catch(clause) => {
                if let Some(params) = &clause.params {
                    self.define_params(params);
                }
            }
            NodeKind::Assembly(_) => self.assembly(node),
            NodeKind::Exit
            | NodeKind::RevertExit
            | NodeKind::LoopStart
            | NodeKind::Return(None)
            | NodeKind::Throw
            | NodeKind::Placeholder => {}
        }
        self.facts.uses.dedup();
    }

    fn define_params(&mut self, params: &[Parameter]) {
        for p in params {
            if let Some(var) = self.ctx.model.decl_at(self.ctx.file, p.id) {
                self.def(var, true, None);
            }
        }
    }

    // --- recording --------------------------------------------------------

    fn def(&mut self, var: DeclId, strong: bool, value: Option<bulwark_syntax::ast::NodeId>) {
        self.facts.defs.push(LocalDef { var, strong, value });
    }

    fn use_local(&mut self, var: DeclId) {
        if !self.facts.uses.contains(&var) {
            self.facts.uses.push(var);
        }
    }

    fn state_read(&mut self, var: DeclId, e: &Expr, how: AccessHow) {
        self.facts.state_reads.push(StateAccess {
            var,
            expr: e.id,
            span: e.span,
            how,
            value: None,
        });
    }

    fn state_write(
        &mut self,
        var: DeclId,
        e: &Expr,
        how: AccessHow,
        value: Option<bulwark_syntax::ast::NodeId>,
    ) {
        self.facts.state_writes.push(StateAccess {
            var,
            expr: e.id,
            span: e.span,
            how,
            value,
        });
    }

    fn pointer_access(
        &mut self,
        pointer: DeclId,
        e: &Expr,
        write: bool,
        value: Option<bulwark_syntax::ast::NodeId>,
    ) {
        let roots = self.ctx.aliases.roots_of(pointer).to_vec();
        for root in roots {
            match (root, write) {
                (StorageRoot::State(v), true) => {
                    self.state_write(v, e, AccessHow::Pointer(pointer), value)
                }
                (StorageRoot::State(v), false) => {
                    self.state_read(v, e, AccessHow::Pointer(pointer))
                }
                (StorageRoot::Param(i), true) => push_unique(&mut self.facts.param_writes, i),
                (StorageRoot::Param(i), false) => push_unique(&mut self.facts.param_reads, i),
            }
        }
    }

    // --- result uses ------------------------------------------------------

    /// Records how the value of each call under `e` is used, `e` itself
    /// being used as `use_`.
    fn mark_result_uses(&mut self, e: &Expr, use_: ResultUse) {
        let e = unparen(e);
        match &e.kind {
            ExprKind::Call { callee, args } => {
                self.result_uses.entry(e.id).or_insert(use_);
                let is_check = matches!(
                    self.model().call_kind(self.ctx.file, e.id),
                    Some(bulwark_sema::CallKind::Builtin(
                        Builtin::Require | Builtin::Assert
                    ))
                ) || matches!(&unparen(callee).kind, ExprKind::Ident(i) if (i.name == "require" || i.name == "assert") && self.model().call_kind(self.ctx.file, e.id).is_none());
                for (i, a) in call_args(args).into_iter().enumerate() {
                    let u = if is_check && i == 0 {
                        ResultUse::Checked
                    } else {
                        ResultUse::Used
                    };
                    self.mark_result_uses(a, u);
                }
                self.mark_result_uses(callee, ResultUse::Used);
            }
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => self.mark_result_uses(operand, checked_or_used(&use_)),
            ExprKind::Binary { op, lhs, rhs } => {
                let u = match op {
                    BinaryOp::And | BinaryOp::Or | BinaryOp::Eq | BinaryOp::Ne => {
                        checked_or_used(&use_)
                    }
                    _ => ResultUse::Used,
                };
                self.mark_result_uses(lhs, u.clone());
                self.mark_result_uses(rhs, u);
            }
            ExprKind::Conditional {
                cond,
                then_expr,
                else_expr,
            } => {
                self.mark_result_uses(cond, ResultUse::Checked);
                self.mark_result_uses(then_expr, use_.clone());
                self.mark_result_uses(else_expr, use_);
            }
            ExprKind::Assign { op, lhs, rhs } => {
                let target = if op.is_some() {
                    ResultUse::Used
                } else {
                    self.assignment_target_use(lhs)
                };
                self.mark_result_uses(rhs, target);
                self.mark_result_uses(lhs, ResultUse::Used);
            }
            _ => {
                let mut children = Vec::new();
                direct_children(e, &mut children);
                for ch in children {
                    self.mark_result_uses(ch, ResultUse::Used);
                }
            }
        }
    }

    /// What assigning to `lhs` makes of the assigned value.
    fn assignment_target_use(&self, lhs: &Expr) -> ResultUse {
        let mut locals = Vec::new();
        let mut state = false;
        let targets: Vec<&Expr> = match &unparen(lhs).kind {
            ExprKind::Tuple(items) => items.iter().flatten().collect(),
            _ => vec![lhs],
        };
        for t in targets {
            match self.root_decl(t) {
                Some(d) if is_storage_state_var(self.model(), d) => state = true,
                Some(d) if is_local_kind(self.model().decl(d).kind) => {
                    if self.ctx.aliases.is_pointer(d)
                        && !matches!(unparen(t).kind, ExprKind::Ident(_))
                    {
                        state = true;
                    } else {
                        locals.push(d);
                    }
                }
                _ => {}
            }
        }
        if !locals.is_empty() {
            ResultUse::Assigned(locals)
        } else if state {
            ResultUse::StoredInState
        } else {
            ResultUse::Used
        }
    }

    /// The variable at the bottom of `x.f[i]`.
    fn root_decl(&self, e: &Expr) -> Option<DeclId> {
        let e = unparen(e);
        if let Some(d) = self
            .model()
            .resolution(self.ctx.file, e.id)
            .and_then(Res::decl)
        {
            let kind = self.model().decl(d).kind;
            if kind == DeclKind::StateVar || is_local_kind(kind) {
                return Some(d);
            }
        }
        match &e.kind {
            ExprKind::Member { base, .. } | ExprKind::Index { base, .. } => self.root_decl(base),
            _ => None,
        }
    }

    // --- expressions ------------------------------------------------------

    fn read(&mut self, e: &Expr, how: AccessHow) {
        let model = self.ctx.model;
        let file = self.ctx.file;
        match &e.kind {
            ExprKind::Ident(ident) => match model.resolution(file, e.id) {
                Some(Res::Decl(d)) => self.read_decl(*d, e, how),
                Some(Res::Builtin(b)) => self.env(*b, e),
                Some(Res::Overloaded(_)) => {}
                None => {
                    if ident.name == "now" {
                        self.env(Builtin::Now, e);
                    }
                }
            },
            ExprKind::Member { base, member } => match model.resolution(file, e.id) {
                Some(Res::Builtin(b)) if b.is_environment_value() => self.env(*b, e),
                Some(Res::Decl(d)) if model.decl(*d).kind == DeclKind::StateVar => {
                    self.read_decl(*d, e, how)
                }
                None if env_member(base, &member.name).is_some() => {
                    let b = env_member(base, &member.name).expect("checked");
                    self.env(b, e)
                }
                _ => {
                    if let Some((pointer, field)) = self.unrooted_field(e, base) {
                        self.facts.field_reads.push(StateAccess {
                            var: field,
                            expr: e.id,
                            span: e.span,
                            how: AccessHow::Pointer(pointer),
                            value: None,
                        });
                    }
                    self.read(base, AccessHow::Element)
                }
            },
            ExprKind::Index { base, index } => {
                self.read(base, AccessHow::Element);
                if let Some(i) = index {
                    self.read(i, AccessHow::Direct);
                }
            }
            ExprKind::Call { callee, args } => self.call(e, callee, args),
            ExprKind::Assign { op, lhs, rhs } => {
                self.read(rhs, AccessHow::Direct);
                let lhs_u = unparen(lhs);
                if let (ExprKind::Tuple(items), ExprKind::Tuple(values), None) =
                    (&lhs_u.kind, &unparen(rhs).kind, op)
                {
                    if items.len() == values.len() {
                        for (item, value) in items.iter().zip(values) {
                            if let Some(item) = item {
                                let strong = is_plain_ident(item);
                                self.write(
                                    item,
                                    strong,
                                    false,
                                    AccessHow::Direct,
                                    value.as_ref().map(|v| v.id),
                                );
                            }
                        }
                        return;
                    }
                }
                let strong = op.is_none() && is_plain_ident(lhs_u);
                let value = if op.is_none() { Some(rhs.id) } else { None };
                self.write(lhs, strong, op.is_some(), AccessHow::Direct, value);
            }
            ExprKind::Unary { op, operand } => match op {
                UnaryOp::Delete => self.write(
                    operand,
                    is_plain_ident(unparen(operand)),
                    false,
                    AccessHow::Delete,
                    None,
                ),
                UnaryOp::PreInc | UnaryOp::PostInc | UnaryOp::PreDec | UnaryOp::PostDec => {
                    let target = unparen(operand);
                    // Legacy `x.length++` / `x.length--` grows or shrinks `x`.
                    if let ExprKind::Member { base, member } = &target.kind {
                        if member.name == "length" && self.is_array_length(target) {
                            let how = if matches!(op, UnaryOp::PreInc | UnaryOp::PostInc) {
                                AccessHow::Push
                            } else {
                                AccessHow::Pop
                            };
                            self.write(base, false, true, how, None);
                            return;
                        }
                    }
                    self.write(
                        operand,
                        is_plain_ident(target),
                        true,
                        AccessHow::Direct,
                        None,
                    )
                }
                _ => self.read(operand, AccessHow::Direct),
            },
            ExprKind::Tuple(items) => {
                for i in items.iter().flatten() {
                    self.read(i, how);
                }
            }
            _ => {
                let mut children = Vec::new();
                direct_children(e, &mut children);
                for ch in children {
                    self.read(ch, AccessHow::Direct);
                }
            }
        }
    }

    /// For `p.f` where `p` is a storage pointer the IR cannot tie to a
    /// state variable (ERC-7201 namespaced storage set in assembly, or
    /// returned by a helper): the pointer and the field `f`.
    fn unrooted_field(&self, member: &Expr, base: &Expr) -> Option<(DeclId, DeclId)> {
        let base = unparen(base);
        if !matches!(base.kind, ExprKind::Ident(_)) {
            return None;
        }
        let model = self.ctx.model;
        let pointer = model
            .resolution(self.ctx.file, base.id)
            .and_then(Res::decl)?;
        if !self.ctx.aliases.is_pointer(pointer) || !self.ctx.aliases.roots_of(pointer).is_empty() {
            return None;
        }
        let field = model
            .resolution(self.ctx.file, member.id)
            .and_then(Res::decl)?;
        (model.decl(field).kind == DeclKind::StructField).then_some((pointer, field))
    }

    fn is_array_length(&self, member: &Expr) -> bool {
        match self.model().resolution(self.ctx.file, member.id) {
            Some(r) => r.builtin() == Some(Builtin::ArrayLength),
            None => true,
        }
    }

    fn read_decl(&mut self, d: DeclId, e: &Expr, how: AccessHow) {
        let kind = self.model().decl(d).kind;
        if kind == DeclKind::StateVar {
            if is_storage_state_var(self.model(), d) {
                self.state_read(d, e, how);
            }
        } else if is_local_kind(kind) {
            self.use_local(d);
            if self.ctx.aliases.is_pointer(d) {
                self.pointer_access(d, e, false, None);
            }
        }
    }

    fn env(&mut self, b: Builtin, e: &Expr) {
        if b.is_environment_value() {
            self.facts.env_reads.push(EnvRead {
                builtin: b,
                expr: e.id,
                span: e.span,
            });
        }
    }

    fn write(
        &mut self,
        e: &Expr,
        strong: bool,
        also_read: bool,
        how: AccessHow,
        value: Option<bulwark_syntax::ast::NodeId>,
    ) {
        let model = self.ctx.model;
        let file = self.ctx.file;
        let e_u = unparen(e);
        if let Some(d) = model.resolution(file, e_u.id).and_then(Res::decl) {
            let kind = model.decl(d).kind;
            if kind == DeclKind::StateVar {
                if is_storage_state_var(model, d) {
                    if also_read {
                        self.state_read(d, e_u, how);
                    }
                    self.state_write(d, e_u, how, value);
                }
                return;
            }
            if is_local_kind(kind) {
                if self.ctx.aliases.is_pointer(d) && !strong {
                    // Writing through the pointer, not re-pointing it.
                    self.use_local(d);
                    if also_read {
                        self.pointer_access(d, e_u, false, None);
                    }
                    self.pointer_access(d, e_u, true, value);
                } else {
                    if also_read || !strong {
                        self.use_local(d);
                    }
                    self.def(d, strong, value);
                }
                return;
            }
        }
        let element = if how == AccessHow::Direct {
            AccessHow::Element
        } else {
            how
        };
        match &e_u.kind {
            ExprKind::Member { base, member } => {
                if let Some((pointer, field)) = self.unrooted_field(e_u, base) {
                    let access = StateAccess {
                        var: field,
                        expr: e_u.id,
                        span: e_u.span,
                        how: AccessHow::Pointer(pointer),
                        value,
                    };
                    if also_read {
                        self.facts.field_reads.push(StateAccess {
                            value: None,
                            ..access.clone()
                        });
                    }
                    self.facts.field_writes.push(access);
                }
                if member.name == "length" && self.is_array_length(e_u) && how == AccessHow::Direct
                {
                    // Legacy `x.length = n` resizes `x`.
                    self.write(base, false, also_read, AccessHow::Element, None);
                } else {
                    self.write(base, false, also_read, element, value);
                }
            }
            ExprKind::Index { base, index } => {
                if let Some(i) = index {
                    self.read(i, AccessHow::Direct);
                }
                self.write(base, false, also_read, element, value);
            }
            ExprKind::Tuple(items) => {
                for i in items.iter().flatten() {
                    self.write(i, is_plain_ident(unparen(i)), also_read, how, None);
                }
            }
            _ => self.read(e_u, AccessHow::Direct),
        }
    }

    fn call(&mut self, e: &Expr, callee: &Expr, args: &bulwark_syntax::ast::CallArgs) {
        let model = self.ctx.model;
        let file = self.ctx.file;
        let mut opts = CallOptions::default();
        let mut option_exprs = Vec::new();
        let real = peel_options(model, file, callee, &mut opts, &mut option_exprs);
        for o in option_exprs {
            self.read(o, AccessHow::Direct);
        }
        let kind = classify_call(model, file, e, real, args, &opts);
        // The callee: the receiver of a member call is read (or written,
        // for `push`/`pop`); a function-pointer variable is used.
        match (&kind, &unparen(real).kind) {
            (
                CallSiteKind::Builtin(b @ (Builtin::ArrayPush | Builtin::ArrayPop)),
                ExprKind::Member { base, .. },
            ) => {
                let how = if *b == Builtin::ArrayPush {
                    AccessHow::Push
                } else {
                    AccessHow::Pop
                };
                let value = call_args(args).first().map(|a| a.id);
                self.write(base, false, false, how, value);
            }
            (_, ExprKind::Member { base, .. }) => self.read(base, AccessHow::Direct),
            (_, ExprKind::Ident(_)) => self.read(real, AccessHow::Direct),
            _ => {}
        }
        let arg_exprs = call_args(args);
        for a in &arg_exprs {
            self.read(a, AccessHow::Direct);
        }
        if let CallSiteKind::SelfDestruct { .. } = kind {
            // Nothing more: the beneficiary was read as an argument.
        }
        let result = self
            .result_uses
            .get(&e.id)
            .cloned()
            .unwrap_or(ResultUse::Used);
        let checked = result == ResultUse::Checked;
        let asserted_arg = match kind {
            CallSiteKind::Internal { function, .. } => {
                crate::assert_helper::asserted_param(model, function)
            }
            _ => None,
        };
        self.facts.calls.push(CallSite {
            expr: e.id,
            span: e.span,
            kind,
            args: arg_exprs.iter().map(|a| a.id).collect(),
            result,
            checked,
            asserted_arg,
        });
    }

    // --- assembly -----------------------------------------------------------

    fn assembly(&mut self, node: &CfgNode<'_>) {
        let Some(summary) = node.asm.as_deref() else {
            return;
        };
        let Some(stmt) = node.stmt else { return };
        let model = self.ctx.model;
        let file = self.ctx.file;
        let writes_storage = summary.has(AsmCallKind::SStore) || summary.has(AsmCallKind::TStore);
        let reads_storage = summary.has(AsmCallKind::SLoad) || summary.has(AsmCallKind::TLoad);
        for r in model.assembly_refs(file, stmt) {
            let written = summary.refs.iter().any(|s| s.span == r.span && s.written);
            let decl = model.decl(r.decl);
            let access = StateAccess {
                var: r.decl,
                expr: stmt,
                span: r.span,
                how: AccessHow::Assembly,
                value: None,
            };
            if decl.kind == DeclKind::StateVar {
                if !is_storage_state_var(model, r.decl) {
                    continue;
                }
                if reads_storage || r.suffix.is_none() {
                    self.facts.state_reads.push(access.clone());
                }
                if writes_storage || written {
                    self.facts.state_writes.push(access);
                }
            } else if is_local_kind(decl.kind) {
                let is_slot = matches!(
                    r.suffix,
                    Some(YulAccessSuffix::Slot | YulAccessSuffix::Offset)
                );
                if written {
                    self.def(r.decl, true, None);
                } else {
                    self.use_local(r.decl);
                }
                if is_slot && !written && self.ctx.aliases.is_pointer(r.decl) {
                    for root in self.ctx.aliases.roots_of(r.decl).to_vec() {
                        if let StorageRoot::State(v) = root {
                            let a = StateAccess {
                                var: v,
                                ..access.clone()
                            };
                            if reads_storage {
                                self.facts.state_reads.push(a.clone());
                            }
                            if writes_storage {
                                self.facts.state_writes.push(a);
                            }
                        }
                    }
                }
            }
        }
        for call in &summary.calls {
            let env = match call.kind {
                AsmCallKind::Caller => Some(Builtin::MsgSender),
                AsmCallKind::Origin => Some(Builtin::TxOrigin),
                AsmCallKind::CallValue => Some(Builtin::MsgValue),
                AsmCallKind::Timestamp => Some(Builtin::BlockTimestamp),
                AsmCallKind::Number => Some(Builtin::BlockNumber),
                AsmCallKind::BlockHash => Some(Builtin::Blockhash),
                AsmCallKind::Coinbase => Some(Builtin::BlockCoinbase),
                AsmCallKind::Prevrandao => Some(Builtin::BlockPrevrandao),
                _ => None,
            };
            if let Some(b) = env {
                self.facts.env_reads.push(EnvRead {
                    builtin: b,
                    expr: stmt,
                    span: call.span,
                });
            }
            if matches!(
                call.kind,
                AsmCallKind::Call
                    | AsmCallKind::CallCode
                    | AsmCallKind::DelegateCall
                    | AsmCallKind::StaticCall
                    | AsmCallKind::Create
                    | AsmCallKind::Create2
                    | AsmCallKind::SelfDestruct
                    | AsmCallKind::Log
            ) {
                self.facts.calls.push(CallSite {
                    expr: stmt,
                    span: call.span,
                    kind: CallSiteKind::Assembly(call.kind),
                    args: Vec::new(),
                    result: ResultUse::Used,
                    checked: false,
                    asserted_arg: None,
                });
            }
        }
    }
}

fn checked_or_used(u: &ResultUse) -> ResultUse {
    if *u == ResultUse::Checked {
        ResultUse::Checked
    } else {
        ResultUse::Used
    }
}

pub(crate) fn is_local_kind(kind: DeclKind) -> bool {
    matches!(
        kind,
        DeclKind::LocalVar | DeclKind::Param | DeclKind::ReturnParam
    )
}

fn is_plain_ident(e: &Expr) -> bool {
    matches!(unparen(e).kind, ExprKind::Ident(_))
}

fn push_unique(v: &mut Vec<u16>, i: u16) {
    if !v.contains(&i) {
        v.push(i);
    }
}

/// The environment member `msg.sender`, `block.timestamp`, ... spelled
/// out, for when the model has no resolution.
fn env_member(base: &Expr, member: &str) -> Option<Builtin> {
    let ExprKind::Ident(obj) = &unparen(base).kind else {
        return None;
    };
    Some(match (obj.name.as_str(), member) {
        ("msg", "sender") => Builtin::MsgSender,
        ("msg", "value") => Builtin::MsgValue,
        ("msg", "data") => Builtin::MsgData,
        ("msg", "sig") => Builtin::MsgSig,
        ("msg", "gas") => Builtin::MsgGas,
        ("tx", "origin") => Builtin::TxOrigin,
        ("tx", "gasprice") => Builtin::TxGasprice,
        ("block", "timestamp") => Builtin::BlockTimestamp,
        ("block", "number") => Builtin::BlockNumber,
        ("block", "difficulty") => Builtin::BlockDifficulty,
        ("block", "prevrandao") => Builtin::BlockPrevrandao,
        ("block", "coinbase") => Builtin::BlockCoinbase,
        ("block", "gaslimit") => Builtin::BlockGaslimit,
        ("block", "basefee") => Builtin::BlockBasefee,
        ("block", "chainid") => Builtin::BlockChainid,
        _ => return None,
    })
}

/// The immediate sub-expressions of `e`.
pub(crate) fn direct_children<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match &e.kind {
        ExprKind::Literal(_)
        | ExprKind::Ident(_)
        | ExprKind::New(_)
        | ExprKind::TypeOf(_)
        | ExprKind::ElementaryType(_)
        | ExprKind::Error => {}
        ExprKind::Member { base, .. } => out.push(base),
        ExprKind::Index { base, index } => {
            out.push(base);
            out.extend(index.as_deref());
        }
        ExprKind::Slice { base, start, end } => {
            out.push(base);
            out.extend(start.as_deref());
            out.extend(end.as_deref());
        }
        ExprKind::Call { callee, args } => {
            out.push(callee);
            out.extend(call_args(args));
        }
        ExprKind::CallOptions { callee, options } => {
            out.push(callee);
            out.extend(options.iter().map(|o| &o.value));
        }
        ExprKind::Unary { operand, .. } => out.push(operand),
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Assign { lhs, rhs, .. } => {
            out.push(lhs);
            out.push(rhs);
        }
        ExprKind::Conditional {
            cond,
            then_expr,
            else_expr,
        } => {
            out.push(cond);
            out.push(then_expr);
            out.push(else_expr);
        }
        ExprKind::Tuple(items) => out.extend(items.iter().flatten()),
        ExprKind::Array(items) => out.extend(items.iter()),
    }
}
