//! How an outsider reaches a statement: the externally callable function
//! they call and the statement *in that function* that leads there (the
//! statement itself, or the call of the internal helper that holds it).
//!
//! [`crate::analysis::access::Access::open_entry`] answers "is there such a
//! function"; detectors that report on the entry point need the step in
//! it too, so that the primary location is the line an auditor would
//! change (the unguarded call of `_setOwner`, not the assignment inside a
//! helper that guarded paths share). Which checks count as protection is
//! the caller's choice ([`Protection`]): detectors that report the root
//! cause of a broken authority elsewhere treat any sender check as
//! protection, so one bug is not reported twice.

use std::collections::HashSet;

use bulwark_ir::cfg::{EdgeKind, NodeIx, NodeKind};
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::taint::{Source, Taint};
use bulwark_ir::walk::unparen;
use bulwark_ir::{CallEdgeKind, FunctionIr};
use bulwark_sema::DeclId;
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::access::Access;
use crate::analysis::conditions::{atoms, is_guard, tested};
use crate::detector::AnalysisContext;

/// What counts as protecting a statement from outsiders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protection {
    /// A sender check on a sound authority (one outsiders cannot rewrite).
    Sound,
    /// Any sender check, sound or not.
    AnySenderCheck,
    /// Nothing: every path from an entry point counts (for questions about
    /// what authorised callers may do by mistake).
    None,
}

/// One way in: `entry` is externally callable and its node `entry_node`
/// reaches the statement without passing a protecting check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryPath {
    pub entry: DeclId,
    pub entry_node: NodeIx,
}

/// Finds an unprotected way from an entry point to `node` of `function`
/// (through internal calls and modifier applications), preferring the
/// shortest one found depth-first. `None` when every path is protected or
/// the statement only runs at construction.
pub fn open_path(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    protection: Protection,
    function: DeclId,
    node: NodeIx,
) -> Option<EntryPath> {
    let mut seen = HashSet::new();
    search(cx, access, protection, function, node, &mut seen)
}

fn search(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    protection: Protection,
    function: DeclId,
    node: NodeIx,
    seen: &mut HashSet<(DeclId, NodeIx)>,
) -> Option<EntryPath> {
    if !seen.insert((function, node)) || is_protected(cx, access, protection, function, node) {
        return None;
    }
    if access.is_entry_point(function) {
        return Some(EntryPath {
            entry: function,
            entry_node: node,
        });
    }
    let callers: Vec<(DeclId, NodeIx)> = cx
        .ir
        .call_graph()
        .edges_into(function)
        .filter(|e| {
            matches!(
                e.kind,
                CallEdgeKind::Internal
                    | CallEdgeKind::Super
                    | CallEdgeKind::Library
                    | CallEdgeKind::Modifier
            )
        })
        .filter_map(|e| Some((e.caller, e.node?)))
        .collect();
    callers
        .into_iter()
        .find_map(|(caller, at)| search(cx, access, protection, caller, at, seen))
}

fn is_protected(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    protection: Protection,
    function: DeclId,
    node: NodeIx,
) -> bool {
    // A modifier that does not resolve (a missing import) may well be the
    // access check: assume it is rather than report on a guess.
    let unresolved_modifier = cx.model.function(function).is_some_and(|f| {
        f.modifiers
            .iter()
            .any(|m| m.target == bulwark_sema::ModifierTarget::Unresolved)
    });
    if protection == Protection::None {
        return false;
    }
    if unresolved_modifier {
        return true;
    }
    match protection {
        Protection::None => false,
        Protection::Sound => access.node_is_guarded(function, node),
        Protection::AnySenderCheck => {
            cx.ir.guards().node_is_sender_guarded(cx.ir, function, node)
                || identity_checked(cx, function, node)
        }
    }
}

/// Whether `node` of `function` only runs after `msg.sender` was compared
/// with a value the caller does not choose — in the function, in a modifier
/// applied to it, or in a helper that always checks. This covers what the
/// IR's sender checks leave out because no state is read: self-calls
/// (`msg.sender == address(this)`, governance executors), factories
/// returned by pure functions.
fn identity_checked(cx: &AnalysisContext<'_>, function: DeclId, node: NodeIx) -> bool {
    let Some(f) = cx.ir.function_ir(function) else {
        return false;
    };
    let dominating = f.cfg.nodes().any(|(g, _)| {
        g != node
            && f.cfg.dominates(g, node)
            && (checks_identity(cx, f, g, 0) || branch_on_identity(cx, f, g, node))
    });
    dominating
        || cx
            .ir
            .call_graph()
            .edges_from(function)
            .iter()
            .filter(|e| e.kind == CallEdgeKind::Modifier)
            .filter_map(|e| e.callee.and_then(|m| cx.ir.function_ir(m)))
            .any(|m| {
                let placeholders: Vec<NodeIx> = m
                    .cfg
                    .nodes()
                    .filter(|(_, n)| matches!(n.kind, NodeKind::Placeholder))
                    .map(|(ix, _)| ix)
                    .collect();
                !placeholders.is_empty()
                    && placeholders.iter().all(|&p| {
                        m.cfg.nodes().any(|(g, _)| {
                            g != p && m.cfg.dominates(g, p) && checks_identity(cx, m, g, 0)
                        })
                    })
            })
}

/// Whether `node` compares the caller with something the caller does not
/// choose: a reverting check, a call of a helper that always makes one,
/// or a branch on such a comparison.
pub fn checks_caller_identity(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx) -> bool {
    if checks_identity(cx, f, node, 0) {
        return true;
    }
    let NodeKind::Condition { expr, .. } = f.cfg.node(node).kind else {
        return false;
    };
    match &unparen(expr).kind {
        ExprKind::Binary {
            op: BinaryOp::Eq | BinaryOp::Ne,
            lhs,
            rhs,
        } => is_identity_comparison(cx, f, lhs, rhs),
        _ => false,
    }
}

/// Whether `g` is an `if` on `msg.sender == X` (or `!=`) with `X` not
/// chosen by the caller, and `node` sits in the branch where the two are
/// equal: the dispatch of a transparent proxy (`if (msg.sender ==
/// admin) { upgrade } else { delegate }`).
fn branch_on_identity(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    g: NodeIx,
    node: NodeIx,
) -> bool {
    let NodeKind::Condition { expr, .. } = f.cfg.node(g).kind else {
        return false;
    };
    let ExprKind::Binary { op, lhs, rhs } = &unparen(expr).kind else {
        return false;
    };
    let equal_edge = match op {
        BinaryOp::Eq => EdgeKind::True,
        BinaryOp::Ne => EdgeKind::False,
        _ => return false,
    };
    if !is_identity_comparison(cx, f, lhs, rhs) {
        return false;
    }
    f.cfg
        .node(g)
        .succs()
        .iter()
        .any(|&(s, kind)| kind == equal_edge && f.cfg.dominates(s, node))
}

/// One side depends on `msg.sender`, the other on nothing the caller
/// chooses.
fn is_identity_comparison(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    lhs: &Expr,
    rhs: &Expr,
) -> bool {
    let taint = cx.ir.taint();
    let t = |e: &Expr| taint.expr(cx.ir, f.decl, e.id);
    let caller_free = |x: Taint| {
        // `msg.sender == tx.origin` only tells an account from a contract;
        // it lets everyone through.
        !x.has(Source::MsgSender)
            && !x.has(Source::Param)
            && !x.has(Source::MsgData)
            && !x.has(Source::TxOrigin)
    };
    (t(lhs).has(Source::MsgSender) && caller_free(t(rhs)))
        || (t(rhs).has(Source::MsgSender) && caller_free(t(lhs)))
}

/// Whether `node` is a guard comparing the caller with a value the caller
/// does not choose, or calls a helper that makes such a check on every
/// path.
fn checks_identity(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, depth: u32) -> bool {
    if is_guard(f, node) {
        let found = tested(f, node).into_iter().any(|cond| {
            let mut parts = Vec::new();
            atoms(cond, &mut parts);
            parts.into_iter().any(|atom| {
                let ExprKind::Binary {
                    op: BinaryOp::Eq | BinaryOp::Ne,
                    lhs,
                    rhs,
                } = &unparen(atom).kind
                else {
                    return false;
                };
                is_identity_comparison(cx, f, lhs, rhs)
            })
        });
        if found {
            return true;
        }
    }
    if depth >= 2 {
        return false;
    }
    f.facts(node).calls.iter().any(|c| {
        let CallSiteKind::Internal { function, .. } = c.kind else {
            return false;
        };
        let callee = match f.contract {
            Some(contract) => cx.ir.dispatch(contract, function),
            None => function,
        };
        cx.ir.function_ir(callee).is_some_and(|g| {
            g.cfg.nodes().any(|(n, _)| {
                g.cfg.dominates(n, g.cfg.exit) && checks_identity(cx, g, n, depth + 1)
            })
        })
    })
}

/// Whether any externally callable function reaches `node` of `function`
/// unprotected.
pub fn is_open(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    protection: Protection,
    function: DeclId,
    node: NodeIx,
) -> bool {
    open_path(cx, access, protection, function, node).is_some()
}

/// `function` and the internal functions calling it, transitively (at
/// most 32): where the context of an internal helper is decided.
pub fn internal_callers_and_self(cx: &AnalysisContext<'_>, function: DeclId) -> Vec<DeclId> {
    let mut out = vec![function];
    let mut i = 0;
    while i < out.len() && out.len() < 32 {
        for e in cx.ir.call_graph().edges_into(out[i]) {
            if matches!(
                e.kind,
                CallEdgeKind::Internal | CallEdgeKind::Super | CallEdgeKind::Library
            ) && !out.contains(&e.caller)
            {
                out.push(e.caller);
            }
        }
        i += 1;
    }
    out
}
