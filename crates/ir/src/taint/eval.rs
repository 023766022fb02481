//! Evaluation of an expression's taint in a given local state.

use bulwark_sema::{DeclId, DeclKind, Res};
use bulwark_syntax::ast::{Expr, ExprKind};

use super::{FunctionTaint, Source, Taint, TaintAnalysis};
use crate::cfg::NodeIx;
use crate::facts::{CallSite, CallSiteKind};
use crate::function::FunctionIr;
use crate::project::ProjectIr;
use crate::walk::{call_args, unparen};

pub(crate) struct Evaluator<'r, 'm, 'p> {
    ir: &'r ProjectIr<'m, 'p>,
    analysis: &'r TaintAnalysis,
    f: &'r FunctionIr<'p>,
    ft: &'r FunctionTaint,
    /// When set, the state to evaluate in (during the data-flow transfer);
    /// otherwise the solved state before the node.
    state: Option<&'r [Taint]>,
}

impl<'r, 'm, 'p> Evaluator<'r, 'm, 'p> {
    pub fn new(
        ir: &'r ProjectIr<'m, 'p>,
        analysis: &'r TaintAnalysis,
        f: &'r FunctionIr<'p>,
        ft: &'r FunctionTaint,
    ) -> Self {
        Evaluator {
            ir,
            analysis,
            f,
            ft,
            state: None,
        }
    }

    pub fn with_state(
        ir: &'r ProjectIr<'m, 'p>,
        analysis: &'r TaintAnalysis,
        f: &'r FunctionIr<'p>,
        ft: &'r FunctionTaint,
        state: &'r [Taint],
    ) -> Self {
        Evaluator {
            ir,
            analysis,
            f,
            ft,
            state: Some(state),
        }
    }

    fn local(&self, var: DeclId, node: NodeIx) -> Taint {
        let Some(slot) = self.ft.slot(var) else {
            return Taint::EMPTY;
        };
        let state = match self.state {
            Some(s) => s,
            None => match self.ft.before.get(node.index()) {
                Some(s) => s.as_slice(),
                None => return Taint::EMPTY,
            },
        };
        state.get(slot).copied().unwrap_or_default()
    }

    /// The taint of local `var` before `node` (in the solved state).
    pub fn var_before(&self, var: DeclId, node: NodeIx) -> Taint {
        self.local(var, node)
    }

    /// Taint of `e`, evaluated at `node`.
    pub fn eval(&self, e: &Expr, node: NodeIx) -> Taint {
        let mut t = Taint::EMPTY;
        self.eval_into(e, node, &mut t);
        t
    }

    /// Taint of `e` in the transfer state (the node is the one that owns
    /// `e`).
    pub fn eval_here(&self, e: &Expr) -> Taint {
        let node = self.f.node_of_expr(e.id).unwrap_or(self.f.cfg.entry);
        self.eval(e, node)
    }

    /// Union of the taint of every expression `node` evaluates.
    pub fn eval_node(&self, node: NodeIx) -> Taint {
        let mut t = Taint::EMPTY;
        for root in self.f.cfg.node(node).exprs() {
            self.eval_into(root, node, &mut t);
        }
        t
    }

    pub fn eval_node_here(&self, node: NodeIx) -> Taint {
        self.eval_node(node)
    }

    /// An assembly block: everything it reads flows into everything it
    /// writes.
    pub fn eval_assembly(&self, node: NodeIx) -> Taint {
        let facts = self.f.facts(node);
        let mut t = Taint::EMPTY;
        for &u in &facts.uses {
            t.join(self.local(u, node));
        }
        for r in &facts.state_reads {
            t.join(self.analysis.state_var(r.var));
        }
        for r in &facts.env_reads {
            if let Some(s) = Source::of_builtin(r.builtin) {
                t.join(Taint::of(s));
            }
        }
        if facts.has_external_call() {
            t.join(Taint::of(Source::ExternalCall));
        }
        t
    }

    fn call_site(&self, node: NodeIx, e: &Expr) -> Option<&'r CallSite> {
        let facts = self.f.facts(node);
        facts.calls.iter().find(|c| c.expr == e.id)
    }

    fn eval_into(&self, e: &Expr, node: NodeIx, out: &mut Taint) {
        let model = self.ir.model();
        let file = self.f.file;
        match &e.kind {
            ExprKind::Ident(_) => match model.resolution(file, e.id) {
                Some(Res::Decl(d)) => self.decl(*d, node, out),
                Some(Res::Builtin(b)) => {
                    if let Some(s) = Source::of_builtin(*b) {
                        out.join(Taint::of(s));
                    }
                }
                _ => {}
            },
            ExprKind::Member { base, .. } => match model.resolution(file, e.id) {
                Some(Res::Builtin(b)) if Source::of_builtin(*b).is_some() => {
                    out.join(Taint::of(Source::of_builtin(*b).expect("checked")));
                }
                Some(Res::Decl(d)) if model.decl(*d).kind == DeclKind::StateVar => {
                    out.join(self.analysis.state_var(*d));
                }
                _ => {
                    // Facts recorded an environment read for spellings the
                    // model could not resolve.
                    if let Some(r) = self.f.facts(node).env_reads.iter().find(|r| r.expr == e.id) {
                        if let Some(s) = Source::of_builtin(r.builtin) {
                            out.join(Taint::of(s));
                        }
                        return;
                    }
                    self.eval_into(base, node, out)
                }
            },
            ExprKind::Call { callee, args } => self.call(e, callee, args, node, out),
            ExprKind::Assign { rhs, .. } => self.eval_into(rhs, node, out),
            ExprKind::Literal(_)
            | ExprKind::New(_)
            | ExprKind::TypeOf(_)
            | ExprKind::ElementaryType(_)
            | ExprKind::Error => {}
            _ => {
                let mut children = Vec::new();
                crate::facts::collect::direct_children(e, &mut children);
                for c in children {
                    self.eval_into(c, node, out);
                }
            }
        }
    }

    fn decl(&self, d: DeclId, node: NodeIx, out: &mut Taint) {
        let model = self.ir.model();
        match model.decl(d).kind {
            DeclKind::StateVar => {
                out.join(self.analysis.state_var(d));
            }
            DeclKind::LocalVar | DeclKind::Param | DeclKind::ReturnParam => {
                out.join(self.local(d, node));
            }
            _ => {}
        }
    }

    fn call(
        &self,
        e: &Expr,
        callee: &Expr,
        args: &bulwark_syntax::ast::CallArgs,
        node: NodeIx,
        out: &mut Taint,
    ) {
        let arg_exprs = call_args(args);
        let site = self.call_site(node, e);
        let union_args = |out: &mut Taint| {
            for a in &arg_exprs {
                self.eval_into(a, node, out);
            }
        };
        let Some(site) = site else {
            // A legacy option setter (`.value(v)`) or an unrecorded call:
            // data flows from everything in it.
            self.eval_into(callee, node, out);
            union_args(out);
            return;
        };
        match &site.kind {
            CallSiteKind::Internal { function, .. } => {
                let taints: Vec<Taint> = arg_exprs.iter().map(|a| self.eval(a, node)).collect();
                out.join(self.apply_summary(*function, &taints));
            }
            CallSiteKind::BoundInternal { function, .. }
            | CallSiteKind::Library {
                function,
                bound: true,
            } => {
                let receiver = match &unparen(callee).kind {
                    ExprKind::Member { base, .. } => self.eval(base, node),
                    ExprKind::CallOptions { callee: inner, .. } => match &unparen(inner).kind {
                        ExprKind::Member { base, .. } => self.eval(base, node),
                        _ => Taint::EMPTY,
                    },
                    _ => Taint::EMPTY,
                };
                let mut taints = vec![receiver];
                taints.extend(arg_exprs.iter().map(|a| self.eval(a, node)));
                out.join(self.apply_summary(*function, &taints));
            }
            CallSiteKind::Library { function, .. } => {
                let taints: Vec<Taint> = arg_exprs.iter().map(|a| self.eval(a, node)).collect();
                out.join(self.apply_summary(*function, &taints));
            }
            CallSiteKind::External { .. } | CallSiteKind::LowLevel { .. } => {
                out.join(Taint::of(Source::ExternalCall));
            }
            CallSiteKind::Builtin(b) => {
                if let Some(s) = Source::of_builtin(*b) {
                    out.join(Taint::of(s));
                }
                // `x.concat(..)`, `abi.encode(..)`: the receiver of a
                // member built-in carries data too (not for `abi`).
                if let ExprKind::Member { base, .. } = &unparen(callee).kind {
                    self.eval_into(base, node, out);
                }
                union_args(out);
            }
            CallSiteKind::Event(_)
            | CallSiteKind::CustomError(_)
            | CallSiteKind::SelfDestruct { .. }
            | CallSiteKind::Create { .. }
            | CallSiteKind::Assembly(_) => {}
            CallSiteKind::Conversion | CallSiteKind::InternalPointer | CallSiteKind::Unresolved => {
                if let ExprKind::Member { base, .. } = &unparen(callee).kind {
                    self.eval_into(base, node, out);
                }
                union_args(out);
            }
        }
    }

    /// The taint of a call's result from the argument taints, through the
    /// callee's summary (joined with every override's). A callee without
    /// body passes all arguments through.
    fn apply_summary(&self, function: DeclId, args: &[Taint]) -> Taint {
        let mut out = Taint::EMPTY;
        let mut any_body = false;
        let candidates =
            std::iter::once(function).chain(self.ir.overriders(function).iter().copied());
        for c in candidates {
            let has_body = self
                .ir
                .function_info(c)
                .is_some_and(|i| i.ast.body.is_some());
            if !has_body {
                continue;
            }
            any_body = true;
            let s = self.analysis.summary(c);
            out.join(s.intrinsic);
            for (i, t) in args.iter().enumerate() {
                if s.param_mask & (1 << i.min(63)) != 0 {
                    out.join(*t);
                }
            }
        }
        if !any_body {
            for t in args {
                out.join(*t);
            }
        }
        out
    }
}
