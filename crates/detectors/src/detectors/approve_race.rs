//! `approve-race`: an ERC20-style `approve` overwrites a non-zero
//! allowance, so the spender can spend the old and the new allowance.
//!
//! # Facts used
//! - Allowance tables recognised by shape and use: a state mapping
//!   `address => address => uint` that some function indexes with
//!   `msg.sender` as the *second* key (the spender spending someone
//!   else's allowance), also when `msg.sender` reaches the key through
//!   internal helpers' parameters (`_spendAllowance(owner, _msgSender(),
//!   v)` → `allowance(owner, spender)`).
//! - The overwrite: `table[owner][spender] = value` where `value` is a
//!   parameter of the writing function as passed (not an increment or a
//!   decrement of the current allowance).
//! - Who calls it: the writing function itself when externally callable,
//!   else the externally callable function that passes its own parameter
//!   as the value and `msg.sender` (also through `_msgSender()`) as the
//!   owner, through at most three internal calls (the `_approve` chain).
//! - Mitigation: a condition deciding the write that reads the table
//!   (`require(value == 0 || allowed[msg.sender][spender] == 0)`, or a
//!   compare-and-set against the expected current allowance).

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::taint::Source;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::{CallEdgeKind, FunctionIr};
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, DeclKind, Type};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::conditions::is_guard;
use crate::analysis::expr::decl_of;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "approve-race",
    title: "ERC20 approve overwrites a non-zero allowance",
    severity: Severity::Low,
    confidence: Confidence::Medium,
    swc: &["SWC-114"],
    applies_to: "all versions",
    summary: "`approve` replaces the current allowance with the new one, so a spender watching \
the mempool can spend the old allowance just before the change and the new one after it.",
    what: r#"Reports an `approve`-style function that sets `allowance[msg.sender][spender]` to the
value the caller passes, overwriting whatever was there, when the contract keeps an allowance
table (a spender spends from it with `msg.sender` as the second key). Internal `_approve`
helpers are followed to the public function that passes the caller's value.

Not reported: an `approve` that requires the current allowance (or the new one) to be zero, or
compares the current allowance with an expected value; writes that add to or subtract from
the current allowance (`increaseAllowance`, spending in `transferFrom`)."#,
    why: r#"Changing an allowance from N to M takes one transaction that a spender can see before
it is mined. The spender front-runs it with `transferFrom` for the old N, waits for the change,
and spends the new M as well: N + M instead of M. The ERC-20 standard acknowledges the race
and leaves the mitigation to callers, who rarely know to set the allowance to zero first.
SWC-114 (transaction order dependence)."#,
    exploit: r#"```solidity
function approve(address spender, uint256 value) external returns (bool) {
    allowance[msg.sender][spender] = value;
    return true;
}
```
1. Alice approved Bob for 100 tokens and now sends `approve(bob, 50)` to lower it.
2. Bob sees the pending transaction and front-runs it with `transferFrom(alice, bob, 100)`.
3. Alice's `approve` lands, Bob's allowance is 50 again, and he spends it: 150 tokens in all."#,
    fix: r#"Offer `increaseAllowance`/`decreaseAllowance` (relative changes) and point integrators
to them, or make `approve` refuse to change one non-zero allowance into another:
```solidity
require(value == 0 || allowance[msg.sender][spender] == 0, "set to zero first");
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-114",
        "https://eips.ethereum.org/EIPS/eip-20#approve",
        "https://docs.google.com/document/d/1YLPtQxZu1UAvO9cZ1O2RPXBbT0mooh4DYKjA_jp-RLM/",
    ],
};

pub struct ApproveRace;

impl Detector for ApproveRace {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let tables: Vec<DeclId> = cx
            .model
            .state_vars()
            .iter()
            .map(|v| v.decl)
            .filter(|&v| is_allowance_shape(&cx.model.state_var(v).unwrap().ty))
            .filter(|&v| spent_by_sender(cx, v))
            .collect();
        if tables.is_empty() {
            return;
        }
        for f in cx.ir.functions() {
            for (node, n) in f.cfg.nodes() {
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        let ExprKind::Assign { op: None, lhs, rhs } = &e.kind else {
                            return;
                        };
                        let Some((table, owner, _spender)) = two_level_entry(cx, f, lhs) else {
                            return;
                        };
                        if !tables.contains(&table) || guarded_by_table(f, node, table) {
                            return;
                        }
                        let Some(value_param) = param_index(cx, f, rhs) else {
                            return;
                        };
                        let owner_param = param_index(cx, f, owner);
                        let name = &cx.model.decl(table).name;
                        let snippet = cx.snippet(f.file, n.span, 70);
                        let report = |entry: DeclId, at: bulwark_report::Location| {
                            let message = format!(
                                "`{}` sets the allowance in `{name}` to the caller's new value \
(`{snippet}`), overwriting the current one: a spender who sees the change coming can spend the \
old allowance first and the new one after; require a zero allowance first or offer \
increase/decrease functions",
                                cx.qualified_name(entry)
                            );
                            let decl = cx.model.decl(entry);
                            FindingBuilder::new(&META, message, at)
                                .related(cx.location_in(entry, decl.name_span), "approve function")
                                .build()
                        };
                        let externally = cx
                            .model
                            .function(f.decl)
                            .is_some_and(|i| i.is_externally_callable());
                        if externally {
                            let owner_is_sender = cx
                                .ir
                                .taint()
                                .expr(cx.ir, f.decl, owner.id)
                                .has(Source::MsgSender);
                            if owner_is_sender {
                                out.push(report(f.decl, cx.location_in(f.decl, n.span)));
                            }
                            return;
                        }
                        let Some(owner_param) = owner_param else {
                            return;
                        };
                        if let Some((entry, at)) =
                            entry_call(cx, f.decl, owner_param, value_param, table, 0)
                        {
                            let g = cx.ir.function_ir(entry).unwrap();
                            out.push(report(entry, cx.location_in(entry, g.cfg.node(at).span)));
                        }
                    });
                }
            }
        }
    }
}

/// `mapping(address => mapping(address => uint))`.
fn is_allowance_shape(ty: &Type) -> bool {
    match ty {
        Type::Mapping { key, value } => {
            matches!(**key, Type::Address { .. })
                && matches!(&**value, Type::Mapping { key, value }
                    if matches!(**key, Type::Address { .. }) && matches!(**value, Type::Int { signed: false, .. }))
        }
        _ => false,
    }
}

/// `table[a][b]`: the table and the two keys.
fn two_level_entry<'e>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    e: &'e Expr,
) -> Option<(DeclId, &'e Expr, &'e Expr)> {
    let ExprKind::Index {
        base,
        index: Some(second),
    } = &unparen(e).kind
    else {
        return None;
    };
    let ExprKind::Index {
        base: table,
        index: Some(first),
    } = &unparen(base).kind
    else {
        return None;
    };
    let d = decl_of(cx, f.file, unparen(table))?;
    (cx.model.decl(d).kind == DeclKind::StateVar).then_some((d, first, second))
}

/// Whether some function reads or writes `table[x][msg.sender]`: a spender
/// using an allowance someone else granted. The spender may arrive as a
/// helper's parameter (OpenZeppelin: `transferFrom` passes `_msgSender()`
/// to `_spendAllowance(owner, spender, ...)`, which reads `allowance(owner,
/// spender)`), followed through at most three internal calls.
fn spent_by_sender(cx: &AnalysisContext<'_>, table: DeclId) -> bool {
    let taint = cx.ir.taint();
    cx.ir.functions().any(|f| {
        f.cfg.nodes().any(|(_, n)| {
            n.exprs().any(|root| {
                let mut found = false;
                walk_expr(root, &mut |e| {
                    if found {
                        return;
                    }
                    if let Some((t, first, second)) = two_level_entry(cx, f, e) {
                        if t != table || taint.expr(cx.ir, f.decl, first.id).has(Source::MsgSender)
                        {
                            return;
                        }
                        found = taint.expr(cx.ir, f.decl, second.id).has(Source::MsgSender)
                            || param_index(cx, f, second)
                                .is_some_and(|j| sender_passed_as(cx, f.decl, j, 0));
                    }
                });
                found
            })
        })
    })
}

/// Whether some internal call of `callee` passes `msg.sender` (or a value
/// derived from it) as its parameter `param`, directly or through callers
/// that pass their own parameter along.
fn sender_passed_as(cx: &AnalysisContext<'_>, callee: DeclId, param: usize, depth: u32) -> bool {
    if depth > 3 {
        return false;
    }
    let taint = cx.ir.taint();
    cx.ir
        .call_graph()
        .edges_into(callee)
        .filter(|e| matches!(e.kind, CallEdgeKind::Internal | CallEdgeKind::Super))
        .any(|e| {
            let (Some(node), Some(expr), Some(g)) = (e.node, e.expr, cx.ir.function_ir(e.caller))
            else {
                return false;
            };
            let Some(site) = g.facts(node).calls.iter().find(|c| c.expr == expr) else {
                return false;
            };
            let Some(arg) = site.args.get(param).and_then(|&a| g.expr(a)) else {
                return false;
            };
            taint.expr(cx.ir, e.caller, arg.id).has(Source::MsgSender)
                || param_index(cx, g, arg)
                    .is_some_and(|j| sender_passed_as(cx, e.caller, j, depth + 1))
        })
}

/// Whether a condition deciding whether `node` runs reads `table`.
fn guarded_by_table(f: &FunctionIr<'_>, node: NodeIx, table: DeclId) -> bool {
    f.cfg.nodes().any(|(d, _)| {
        d != node && f.cfg.dominates(d, node) && is_guard(f, d) && f.facts(d).reads_state(table)
    })
}

/// The index of the parameter of `f` that `e` names as it is.
fn param_index(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> Option<usize> {
    let e = unparen(e);
    if !matches!(e.kind, ExprKind::Ident(_)) {
        return None;
    }
    let d = decl_of(cx, f.file, e)?;
    cx.model
        .function(f.decl)?
        .params
        .iter()
        .position(|&p| p == d)
}

/// The externally callable function (and its call node) that calls
/// `callee` — directly or through internal helpers that pass their own
/// parameters along — with `msg.sender` as the owner and its own parameter
/// as the value, without a condition reading the table first.
fn entry_call(
    cx: &AnalysisContext<'_>,
    callee: DeclId,
    owner_param: usize,
    value_param: usize,
    table: DeclId,
    depth: u32,
) -> Option<(DeclId, NodeIx)> {
    if depth > 3 {
        return None;
    }
    let taint = cx.ir.taint();
    let edges: Vec<(DeclId, NodeIx)> = cx
        .ir
        .call_graph()
        .edges_into(callee)
        .filter(|e| matches!(e.kind, CallEdgeKind::Internal | CallEdgeKind::Super))
        .filter_map(|e| Some((e.caller, e.node?)))
        .collect();
    for (caller, node) in edges {
        let Some(g) = cx.ir.function_ir(caller) else {
            continue;
        };
        let Some(site) = g.facts(node).calls.iter().find(|c| {
            c.kind.callee().is_some_and(|d| {
                d == callee
                    || cx.ir.overriders(d).contains(&callee)
                    || cx.ir.overriders(callee).contains(&d)
            })
        }) else {
            continue;
        };
        let (Some(&owner), Some(&value)) = (site.args.get(owner_param), site.args.get(value_param))
        else {
            continue;
        };
        if guarded_by_table(g, node, table) {
            continue;
        }
        let externally = cx
            .model
            .function(caller)
            .is_some_and(|i| i.is_externally_callable());
        let (Some(owner_e), Some(value_e)) = (g.expr(owner), g.expr(value)) else {
            continue;
        };
        if externally {
            if taint.expr(cx.ir, caller, owner).has(Source::MsgSender)
                && param_index(cx, g, value_e).is_some()
            {
                return Some((caller, node));
            }
            continue;
        }
        if let (Some(o), Some(v)) = (param_index(cx, g, owner_e), param_index(cx, g, value_e)) {
            if let Some(found) = entry_call(cx, caller, o, v, table, depth + 1) {
                return Some(found);
            }
        }
    }
    None
}
