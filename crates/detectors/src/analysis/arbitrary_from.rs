//! Token pulls from an account the caller names: `transferFrom(from, ...)`
//! where `from` is chosen by whoever calls the function and nothing ties
//! it to `msg.sender`. Shared by `arbitrary-send-erc20` (a plain pull,
//! which steals any allowance given to the contract) and
//! `arbitrary-send-erc20-permit` (a pull preceded by `permit(from, ...)`,
//! safe only while every token checks the signature).
//!
//! `from` is tied to the caller when a statement that dominates the pull
//! (a check, an allowance update, a helper or modifier that can revert)
//! involves both `from` and `msg.sender`: `require(from == msg.sender)`,
//! `allowance[from][msg.sender] -= amount`, `_spendAllowance(from,
//! _msgSender(), amount)`.

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::{AccessHow, CallSite, CallSiteKind};
use bulwark_ir::taint::Source;
use bulwark_ir::walk::walk_expr;
use bulwark_ir::FunctionIr;
use bulwark_sema::{Builtin, DeclId, ModifierTarget};
use bulwark_syntax::ast::Expr;

use crate::analysis::access::Access;
use crate::analysis::critical_writes::{index_keys, stored_value};
use crate::analysis::destination::{chosen_by_caller, Chosen};
use crate::analysis::expr::is_this;
use crate::analysis::token_calls::pull_call;
use crate::analysis::values::{depends_on, mentioned_decls};
use crate::detector::AnalysisContext;

/// One pull of tokens from a caller-chosen account.
pub struct ArbitraryPull<'p> {
    pub function: DeclId,
    pub node: NodeIx,
    pub call: &'p CallSite,
    pub from: &'p Expr,
    pub operation: String,
    pub chosen: Chosen,
    /// A `permit(from, ...)` call before the pull, when there is one.
    pub permit: Option<&'p CallSite>,
}

/// Every pull of the project from an account its caller chooses.
pub fn arbitrary_pulls<'a>(cx: &AnalysisContext<'a>) -> Vec<ArbitraryPull<'a>> {
    let access = Access::new(cx);
    let mut out = Vec::new();
    for f in cx.ir.functions() {
        if f.ast.body.is_none() {
            continue;
        }
        for (node, call) in f.calls() {
            let Some(pull) = pull_call(cx, f, call) else {
                continue;
            };
            let Some(chosen) =
                chosen_by_caller(cx, &access, f, node, pull.from, &|t| t.has(Source::Param))
            else {
                continue;
            };
            if access.open_entry(f.decl, node).is_none() {
                continue;
            }
            let anchors: Vec<DeclId> = mentioned_decls(cx, f, pull.from);
            if anchors.is_empty() || tied_to_sender(cx, f, node, &anchors) {
                continue;
            }
            let permit = permit_before(cx, f, node, &anchors);
            // `permit(holder, this, ...)` then a pull credited to `holder`
            // alone: the holder signed for exactly this deposit, and
            // whoever submits it only moves the holder's tokens into the
            // holder's own account.
            if permit.is_some() && credited_back_to_from(cx, f, call, pull.from, &anchors) {
                continue;
            }
            out.push(ArbitraryPull {
                function: f.decl,
                node,
                call,
                from: pull.from,
                operation: pull.operation,
                chosen,
                permit,
            });
        }
    }
    out
}

/// Whether the pull moves tokens into this contract and every account
/// whose entry is credited with the amount is keyed by `from` itself
/// (`deposits[holder] += amount`); totals kept in whole variables are not
/// accounts.
fn credited_back_to_from(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    call: &CallSite,
    from: &Expr,
    anchors: &[DeclId],
) -> bool {
    let Some(i) = call.args.iter().position(|&a| a == from.id) else {
        return false;
    };
    let arg = |k: usize| call.args.get(k).and_then(|&a| f.expr(a));
    let (Some(to), Some(amount)) = (arg(i + 1), arg(i + 2)) else {
        return false;
    };
    if !is_this(cx, f.file, to) {
        return false;
    }
    let amount_roots = mentioned_decls(cx, f, amount);
    if amount_roots.is_empty() {
        return false;
    }
    let mut credited = false;
    for (at, w) in f.state_writes() {
        if w.how != AccessHow::Element {
            continue;
        }
        let Some(value) = stored_value(f, at, w) else {
            continue;
        };
        if !amount_roots
            .iter()
            .any(|&r| depends_on(cx, f, at, value, r))
        {
            continue;
        }
        let to_from = index_keys(f, at, w)
            .into_iter()
            .any(|k| anchors.iter().any(|&a| depends_on(cx, f, at, k, a)));
        if !to_from {
            return false;
        }
        credited = true;
    }
    credited
}

/// Whether a statement dominating `node` involves both one of `anchors`
/// (the declarations `from` is made of) and the caller.
fn tied_to_sender(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    anchors: &[DeclId],
) -> bool {
    f.cfg.nodes().any(|(d, n)| {
        if d == node || !f.cfg.dominates(d, node) || matches!(n.kind, NodeKind::Emit { .. }) {
            return false;
        }
        let mentions_from = n
            .exprs()
            .any(|root| anchors.iter().any(|&a| depends_on(cx, f, d, root, a)));
        if !mentions_from {
            return false;
        }
        if n.exprs().any(|root| mentions_sender(cx, f, root)) {
            return true;
        }
        // A modifier or helper receiving `from` that checks the caller
        // itself (`onlyApproved(from)`, `_checkOperator(from)`).
        let modifier = match n.kind {
            NodeKind::Invocation(inv) => cx
                .model
                .function(f.decl)
                .and_then(|i| i.modifiers.iter().find(|m| m.node == inv.id))
                .and_then(|m| match m.target {
                    ModifierTarget::Modifier(d) => Some(d),
                    _ => None,
                }),
            _ => None,
        };
        let helpers = f.facts(d).calls.iter().filter_map(|c| match c.kind {
            CallSiteKind::Internal { function, .. }
            | CallSiteKind::BoundInternal { function, .. } => Some(function),
            _ => None,
        });
        modifier
            .into_iter()
            .chain(helpers)
            .any(|g| checks_sender(cx, f.contract, g))
    })
}

/// Whether `expr` has a sub-expression derived from `msg.sender`.
fn mentions_sender(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, expr: &Expr) -> bool {
    let mut found = false;
    walk_expr(expr, &mut |e| {
        if !found && cx.ir.expr_taint(f.decl, e.id).has(Source::MsgSender) {
            found = true;
        }
    });
    found
}

/// Whether `function` (with what it calls) reads `msg.sender` and can
/// revert.
fn checks_sender(cx: &AnalysisContext<'_>, contract: Option<DeclId>, function: DeclId) -> bool {
    let reachable: Vec<&FunctionIr<'_>> = cx
        .ir
        .call_graph()
        .reachable_in(cx.ir, contract, function)
        .into_iter()
        .filter_map(|d| cx.ir.function_ir(d))
        .collect();
    let reads_sender = reachable.iter().any(|g| {
        g.all_facts()
            .iter()
            .any(|n| n.reads_env(Builtin::MsgSender))
    });
    let can_revert = cx
        .ir
        .function_ir(function)
        .is_some_and(|g| g.cfg.reaches(g.cfg.entry, g.cfg.revert_exit));
    reads_sender && can_revert
}

/// A `permit` call on a path before `node` whose owner argument is made of
/// `anchors` too.
fn permit_before<'p>(
    cx: &AnalysisContext<'_>,
    f: &'p FunctionIr<'p>,
    node: NodeIx,
    anchors: &[DeclId],
) -> Option<&'p CallSite> {
    f.calls()
        .filter(|&(n, _)| n != node && f.cfg.reaches(n, node))
        .find(|(n, c)| {
            // `permit(owner, ...)` on the token, or a wrapper taking the
            // token first (`SafeERC20.safePermit(token, owner, ...)`).
            c.kind
                .callee()
                .is_some_and(|d| matches!(cx.model.decl(d).name.as_str(), "permit" | "safePermit"))
                && c.args
                    .iter()
                    .take(2)
                    .filter_map(|&a| f.expr(a))
                    .any(|owner| anchors.iter().any(|&a| depends_on(cx, f, *n, owner, a)))
        })
        .map(|(_, c)| c)
}
