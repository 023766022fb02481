//! Writes of critical state (see [`crate::analysis::critical_state`]) that
//! an outsider can reach, and whether the outsider chooses what is stored.
//!
//! Shared by the access-control detectors: an unprotected setter, an
//! initializer anyone can run again, an implementation anyone can
//! initialise all start from "this entry point stores a value the caller
//! picked into a variable that decides who may act or where money goes".

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::{AccessHow, CallSiteKind, StateAccess};
use bulwark_ir::taint::{Source, Taint};
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::{CallEdgeKind, FunctionIr};
use bulwark_sema::{Builtin, DeclId};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::access::Access;
use crate::analysis::conditions::is_guard;
use crate::analysis::critical_state::CriticalState;
use crate::analysis::entry_paths::{open_path, EntryPath, Protection};
use crate::analysis::expr::mentions_builtin;
use crate::detector::AnalysisContext;

/// Who picks the value a write stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chooser {
    /// A parameter of the entry point (or calldata): any value.
    Argument,
    /// The caller's own address (`owner = msg.sender`).
    CallerItself,
    /// Not the caller (a constant, state, a computation).
    Nobody,
}

/// One reachable write of a critical variable.
#[derive(Clone, Copy, Debug)]
pub struct CriticalWrite {
    pub var: DeclId,
    /// The function holding the write and the writing statement.
    pub writer: DeclId,
    pub node: NodeIx,
    pub path: EntryPath,
    pub chooser: Chooser,
    /// The write targets an element keyed by `msg.sender` (the caller's
    /// own entry of a set: registration, approvals).
    pub keyed_by_caller: bool,
    /// The write targets an element, a field or an entry rather than the
    /// whole variable.
    pub element: bool,
}

/// Every write of a critical variable (constructors excluded) that an
/// externally callable function reaches without a check `protection`
/// accepts.
pub fn open_critical_writes(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    critical: &CriticalState,
    protection: Protection,
) -> Vec<CriticalWrite> {
    let taint = cx.ir.taint();
    let mut out = Vec::new();
    for var in critical.vars() {
        for w in taint.writes_of(var) {
            // Constructors are no entry point: `open_path` finds none for
            // writes that only run at deployment.
            let Some(path) = open_path(cx, access, protection, w.function, w.node) else {
                continue;
            };
            let Some(f) = cx.ir.function_ir(w.function) else {
                continue;
            };
            let Some(write) = f.facts(w.node).state_writes.iter().find(|a| a.var == var) else {
                continue;
            };
            let keys = index_keys(f, w.node, write);
            let keyed_by_caller = keys
                .iter()
                .any(|k| mentions_builtin(cx, f.file, k, &[Builtin::MsgSender]));
            let mut stored = w.taint;
            if write.how != AccessHow::Direct {
                for k in &keys {
                    stored.join(taint.expr(cx.ir, f.decl, k.id));
                }
            }
            let chooser = chooser_of(cx, &path, w.function, stored);
            out.push(CriticalWrite {
                var,
                writer: w.function,
                node: w.node,
                path,
                chooser,
                keyed_by_caller,
                element: write.how != AccessHow::Direct,
            });
        }
    }
    out
}

/// Classifies the taint of a stored value (in the writer's terms) from the
/// entry point's side: a writer's parameter counts only when the entry
/// point passes something the caller chose.
fn chooser_of(
    cx: &AnalysisContext<'_>,
    path: &EntryPath,
    writer_decl: DeclId,
    stored: Taint,
) -> Chooser {
    if stored.has(Source::MsgData) {
        return Chooser::Argument;
    }
    if stored.has(Source::Param) {
        if writer_decl == path.entry {
            return Chooser::Argument;
        }
        // Through a helper: what does the entry point pass at the call?
        let passed = entry_call_args_taint(cx, path);
        if passed.has(Source::Param) || passed.has(Source::MsgData) {
            return Chooser::Argument;
        }
        if passed.has(Source::MsgSender) {
            return Chooser::CallerItself;
        }
    }
    if stored.has(Source::MsgSender) {
        return Chooser::CallerItself;
    }
    Chooser::Nobody
}

/// The taint of the arguments of the calls the entry point makes at its
/// node on the path.
fn entry_call_args_taint(cx: &AnalysisContext<'_>, path: &EntryPath) -> Taint {
    let taint = cx.ir.taint();
    let mut t = Taint::EMPTY;
    let Some(f) = cx.ir.function_ir(path.entry) else {
        return t;
    };
    if let NodeKind::Invocation(inv) = f.cfg.node(path.entry_node).kind {
        if let Some(args) = &inv.args {
            for a in bulwark_ir::walk::call_args(args) {
                t.join(taint.expr(cx.ir, f.decl, a.id));
            }
        }
        return t;
    }
    for call in &f.facts(path.entry_node).calls {
        if matches!(
            call.kind,
            CallSiteKind::Internal { .. }
                | CallSiteKind::BoundInternal { .. }
                | CallSiteKind::Library { .. }
        ) {
            for &a in &call.args {
                t.join(taint.expr(cx.ir, f.decl, a));
            }
        }
    }
    t
}

/// The index expressions on the way from the write's target down to the
/// variable: `[role]` and `[who]` in `roles[role][who] = true`.
pub fn index_keys<'p>(f: &FunctionIr<'p>, node: NodeIx, write: &StateAccess) -> Vec<&'p Expr> {
    let mut keys = Vec::new();
    for root in f.cfg.node(node).exprs() {
        walk_expr(root, &mut |e| {
            if let ExprKind::Index {
                base,
                index: Some(index),
            } = &e.kind
            {
                if bottoms_at(base, write.expr) {
                    keys.push(index.as_ref());
                }
            }
        });
    }
    keys
}

/// The value a write stores: the assigned expression, or for a compound
/// assignment (`x += v`, where the IR records no single value) its
/// right-hand side.
pub fn stored_value<'p>(f: &FunctionIr<'p>, node: NodeIx, write: &StateAccess) -> Option<&'p Expr> {
    if let Some(v) = write.value.and_then(|v| f.expr(v)) {
        return Some(v);
    }
    let mut found = None;
    for root in f.cfg.node(node).exprs() {
        walk_expr(root, &mut |e| {
            if let ExprKind::Assign { lhs, rhs, .. } = &e.kind {
                if found.is_none() && bottoms_at(lhs, write.expr) {
                    found = Some(rhs.as_ref());
                }
            }
        });
    }
    found
}

/// Whether `e` is `target` under member accesses and indexing.
pub fn bottoms_at(e: &Expr, target: bulwark_syntax::ast::NodeId) -> bool {
    let mut e = unparen(e);
    loop {
        if e.id == target {
            return true;
        }
        match &e.kind {
            ExprKind::Index { base, .. } | ExprKind::Member { base, .. } => e = unparen(base),
            _ => return false,
        }
    }
}

/// Whether `node` of `function` only runs after some precondition: a
/// dominating check that can revert in the function, or a modifier that
/// checks something before its `_`.
pub fn has_precondition(cx: &AnalysisContext<'_>, function: DeclId, node: NodeIx) -> bool {
    let Some(f) = cx.ir.function_ir(function) else {
        return false;
    };
    let own = f
        .cfg
        .nodes()
        .any(|(g, _)| g != node && is_guard(f, g) && f.cfg.dominates(g, node));
    if own {
        return true;
    }
    cx.ir
        .call_graph()
        .edges_from(function)
        .iter()
        .filter(|e| e.kind == CallEdgeKind::Modifier)
        .filter_map(|e| e.callee.and_then(|m| cx.ir.function_ir(m)))
        .any(|m| m.cfg.nodes().any(|(g, _)| is_guard(m, g)))
}
