//! `arbitrary-send-eth`: ether sent to an address the caller chooses, from
//! a function any caller can run.
//!
//! # Facts used
//! - Value-carrying transfers: `transfer`, `send`, `call` with value
//!   (all syntaxes), `selfdestruct` is left to its own detector.
//! - Taint of the destination: from parameters, `msg.data`, or a storage
//!   variable written by some unprotected function from caller input
//!   (inter-procedural, through storage). `msg.sender`, `tx.origin`,
//!   constants, immutables and storage written only by the constructor or
//!   by protected functions are not caller-chosen.
//! - Access control on the sending path (same notion as
//!   `unprotected-selfdestruct`).
//! - Binding conditions: a dominating `require(dest == x)` with `x` not
//!   caller-chosen makes the destination fixed.
//! - Provenance of the amount: sent value equal to a per-caller ledger
//!   entry (`m[msg.sender]`) that the function reduces or clears before or
//!   after the transfer, or derived from `msg.value` of the same call, is
//!   the caller's own money; so is a caller-chosen amount that the function
//!   debits from `m[msg.sender]` without wrapping (checked arithmetic, or a
//!   dominating check comparing the entry with the amount); an entry keyed by the destination itself
//!   (`owed[to]`) and cleared by the function is the destination's own
//!   money.
//! - A constant zero amount moves no ether.
//! - A dominating check of `tx.origin` against state restricts the caller
//!   (weakly): that weakness is `tx-origin`'s finding, not this one's.
//! - One finding per open destination variable: every payment to a
//!   `beneficiary` anyone can set has that one root cause, so the other
//!   payments become related locations.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::{CallSiteKind, LowLevelOp};
use bulwark_ir::taint::Source;
use bulwark_ir::walk::unparen;
use bulwark_ir::{FunctionIr, Taint};
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, DeclId, DeclKind};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::access::{origin_checked, Access};
use crate::analysis::conditions::{equality, is_guard, passing_clauses, tested, Literal};
use crate::analysis::constant::const_value;
use crate::analysis::destination::{chosen_by_caller, Chosen};
use crate::analysis::expr::{decl_of, mentions_builtin, root_state_var, strip_conversions};
use crate::analysis::provenance::{origins, Origin};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "arbitrary-send-eth",
    title: "Ether sent to an arbitrary address",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-105"],
    applies_to: "all versions",
    summary: "A function that anyone can call sends the contract's ether to an address the \
caller chooses, so anyone can withdraw funds that are not theirs.",
    what: r#"Reports `transfer`, `send` and value-carrying `call`s in functions with no access check
on `msg.sender`, when the destination is chosen by the caller: a parameter, or a storage
variable that some unprotected function lets any caller set.

Not reported: payments to `msg.sender`; destinations that are constants, immutables, or
storage only the deployer or an authorised role can set; destinations that a dominating
`require` binds to such a value (`require(winner == champion)`); and payments of the
caller's own money — an amount taken from the caller's ledger entry that the function
debits (a "withdraw to" function), a caller-chosen amount by which the function debits the
caller's entry and that cannot wrap (`require(balances[msg.sender] >= amount);
balances[msg.sender] -= amount; to.transfer(amount)`, or checked 0.8 arithmetic), an amount owed to the destination itself that the function
clears (`uint owed = rewards[to]; rewards[to] = 0; to.transfer(owed)`), a refund out of the
caller's own `msg.value`, and a constant zero amount. A function that authorises its caller
with `tx.origin` is left to `tx-origin`. Several payments to the same open destination
variable are one finding (one root cause: the open setter), the others related. Sending
an arbitrary *amount* to the caller is an access-control problem of its own and is not in
this detector's scope."#,
    why: r#"A function that pays out to a caller-supplied address is a withdrawal for anyone who
finds it. The usual causes are a forgotten `onlyOwner` on a payout or rescue function, a
check that validates the arguments instead of the caller, or a beneficiary setter left
open so that a correctly restricted payout goes to whoever set it last."#,
    exploit: r#"```solidity
function setBeneficiary(address payable next) external { beneficiary = next; }
function release() external { beneficiary.transfer(address(this).balance); }
```
1. The attacker calls `setBeneficiary(attacker)`.
2. The attacker calls `release()`; the treasury's whole balance goes to the attacker.
Both calls can sit in one transaction from an attacker contract, so nobody can react in
between."#,
    fix: r#"Restrict who can pay out, or who can set the destination, to an authority fixed at
deployment; or pay only the caller, out of a balance the contract owes them:
```solidity
function setBeneficiary(address payable next) external onlyOwner { beneficiary = next; }
```
For user withdrawals, debit the caller's own balance before sending it."#,
    references: &[
        "https://swcregistry.io/docs/SWC-105",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#functions-that-send-ether-to-arbitrary-destinations",
    ],
};

pub struct ArbitrarySendEth;

impl Detector for ArbitrarySendEth {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        let taint = cx.ir.taint();
        // Open destination variable → index of its finding in `out`.
        let mut by_open_var: std::collections::HashMap<DeclId, usize> =
            std::collections::HashMap::new();
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                let CallSiteKind::LowLevel {
                    op, target, value, ..
                } = call.kind
                else {
                    continue;
                };
                let sends = match op {
                    LowLevelOp::Transfer | LowLevelOp::Send => true,
                    LowLevelOp::Call | LowLevelOp::CallCode => value.is_some(),
                    _ => false,
                };
                let (Some(target_expr), true) = (f.expr(target), sends) else {
                    continue;
                };
                let Some(entry) = access.open_entry(f.decl, node) else {
                    continue;
                };
                let stored = |t: Taint| {
                    t.has(Source::Param) || t.has(Source::MsgData) || t.has(Source::StoredInput)
                };
                let Some(chosen) = chosen_by_caller(cx, &access, f, node, target_expr, &stored)
                else {
                    continue;
                };
                let open_write = match chosen {
                    Chosen::OpenState { var, writer, node } => Some((var, (writer, node))),
                    Chosen::Argument => None,
                };
                if bound_by_check(cx, f, node, target_expr) || origin_checked(cx, f, node) {
                    continue;
                }
                let zero = value
                    .and_then(|v| f.expr(v))
                    .is_some_and(|v| const_value(cx, f.file, v) == Some(0.0));
                if zero {
                    continue;
                }
                // The caller's own money: a refund out of msg.value, or a
                // ledger entry of the caller that this function debits.
                if let Some(amount) = value.and_then(|v| f.expr(v)) {
                    let t = taint.expr(cx.ir, f.decl, amount.id);
                    if !t.has(Source::Param)
                        && !t.has(Source::StoredInput)
                        && uses_msg_value(cx, f, node, amount, 0)
                    {
                        continue;
                    }
                    let payee = decl_of(cx, f.file, strip_conversions(cx, f.file, target_expr));
                    if let Some(ledger) = caller_ledger(cx, f, node, amount, payee, 0) {
                        if f.state_writes().any(|(_, w)| w.var == ledger) {
                            continue;
                        }
                    }
                    if debits_caller_by(cx, f, node, amount) {
                        continue;
                    }
                }
                let target_text = cx.snippet(f.file, target_expr.span, 40);
                let amount_text = value
                    .and_then(|v| f.expr(v))
                    .map(|a| cx.snippet(f.file, a.span, 40))
                    .unwrap_or_else(|| "ether".to_string());
                let who = match open_write {
                    Some((var, (writer, _))) => format!(
                        "`{}`, which any caller can set through `{}`",
                        cx.model.decl(var).name,
                        cx.qualified_name(writer)
                    ),
                    None => format!("`{target_text}`, chosen by the caller"),
                };
                let through = if entry == f.decl {
                    String::new()
                } else {
                    format!(" (reached through `{}`)", cx.qualified_name(entry))
                };
                let message = format!(
                    "`{}` sends `{amount_text}` with `{}` to {who}, and nothing restricts who calls it{through}",
                    cx.qualified_name(f.decl),
                    op.name(),
                );
                if let Some((var, _)) = open_write {
                    if let Some(&first) = by_open_var.get(&var) {
                        let related = cx.location_in(f.decl, call.span).with_label(format!(
                            "`{}` also pays `{}` here",
                            cx.qualified_name(f.decl),
                            cx.model.decl(var).name
                        ));
                        out[first].locations.push(related);
                        continue;
                    }
                    by_open_var.insert(var, out.len());
                }
                let mut finding =
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span));
                if let Some((var, (writer, wnode))) = open_write {
                    if let Some(w) = cx.ir.function_ir(writer) {
                        finding = finding.related(
                            cx.location_in(writer, w.cfg.node(wnode).span),
                            format!("`{}` set without an access check", cx.model.decl(var).name),
                        );
                    }
                }
                out.push(finding.build());
            }
        }
    }
}

/// Whether a guard dominating `node` requires the destination to equal a
/// value the caller does not choose (`require(winner == champion)`).
fn bound_by_check(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    target: &Expr,
) -> bool {
    let Some(target_decl) = decl_of(cx, f.file, strip_conversions(cx, f.file, target)) else {
        return false;
    };
    f.cfg.nodes().any(|(g, _)| {
        g != node
            && is_guard(f, g)
            && f.cfg.dominates(g, node)
            && tested(f, g).into_iter().any(|cond| {
                let clauses = passing_clauses(f, g, cond);
                !clauses.is_empty()
                    && clauses
                        .iter()
                        .all(|clause| clause.iter().any(|atom| binds(cx, f, g, atom, target_decl)))
            })
    })
}

/// `x == y` where one side is `target` and the other is not chosen by
/// the caller.
fn binds(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    at: NodeIx,
    literal: &Literal<'_>,
    target: DeclId,
) -> bool {
    let Some((lhs, rhs)) = equality(literal) else {
        return false;
    };
    let is_target =
        |e: &Expr| decl_of(cx, f.file, strip_conversions(cx, f.file, e)) == Some(target);
    let fixed = |e: &Expr| {
        origins(cx, f, at, e)
            .iter()
            .all(|o| !matches!(o, Origin::Param(_) | Origin::CallData | Origin::Other))
    };
    (is_target(lhs) && fixed(rhs)) || (is_target(rhs) && fixed(lhs))
}

/// The state variable `m` when `expr` is (a local holding) `m[msg.sender]`,
/// the caller's entry of a ledger, or `m[payee]`, the entry of the
/// destination itself.
fn caller_ledger(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    payee: Option<DeclId>,
    depth: u32,
) -> Option<DeclId> {
    if depth > 4 {
        return None;
    }
    let e = strip_conversions(cx, f.file, unparen(expr));
    match &e.kind {
        ExprKind::Index {
            base,
            index: Some(index),
        } if mentions_builtin(cx, f.file, index, &[Builtin::MsgSender])
            || (payee.is_some()
                && decl_of(cx, f.file, strip_conversions(cx, f.file, index)) == payee) =>
        {
            root_state_var(cx, f.file, base)
        }
        ExprKind::Ident(_) => {
            let d = decl_of(cx, f.file, e)?;
            if cx.model.decl(d).kind != DeclKind::LocalVar {
                return None;
            }
            let defs = f.reaching_defs().reaching(node, d);
            let [def] = defs.as_slice() else { return None };
            let value = f
                .facts(*def)
                .defs
                .iter()
                .find(|x| x.var == d)
                .and_then(|x| x.value)
                .and_then(|v| f.expr(v))?;
            caller_ledger(cx, f, *def, value, payee, depth + 1)
        }
        _ => None,
    }
}

/// Whether the function debits the caller's own ledger entry by exactly
/// the amount it sends (`balances[msg.sender] -= amount; to.transfer(amount)`,
/// a "withdraw to" with a caller-chosen amount), on every path to the send
/// or after it, and the debit cannot wrap: checked arithmetic, or a
/// dominating check that compares the entry with the amount
/// (`require(balances[msg.sender] >= amount)`). The caller moves their own
/// money; an unchecked wrapping debit is `integer-overflow`'s finding.
fn debits_caller_by(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    amount: &Expr,
) -> bool {
    let Some(amount_decl) = decl_of(cx, f.file, strip_conversions(cx, f.file, unparen(amount)))
    else {
        return false;
    };
    if !matches!(
        cx.model.decl(amount_decl).kind,
        DeclKind::LocalVar | DeclKind::Param
    ) {
        return false;
    }
    let mentions = |e: &Expr, d: DeclId| {
        let mut found = false;
        bulwark_ir::walk::walk_expr(e, &mut |x| {
            found |= decl_of(cx, f.file, x) == Some(d);
        });
        found
    };
    let checked = cx
        .project
        .file(f.file)
        .version
        .effective
        .has_checked_arithmetic();
    f.cfg.nodes().any(|(d, n)| {
        let on_path = f.cfg.dominates(d, node) || (d != node && f.cfg.reaches(node, d));
        if !on_path {
            return false;
        }
        let mut ledger = None;
        for root in n.exprs() {
            bulwark_ir::walk::walk_expr(root, &mut |e| {
                if let ExprKind::Assign {
                    op: Some(bulwark_syntax::ast::BinaryOp::Sub),
                    lhs,
                    rhs,
                } = &e.kind
                {
                    let same_amount =
                        decl_of(cx, f.file, strip_conversions(cx, f.file, unparen(rhs)))
                            == Some(amount_decl);
                    if same_amount {
                        if let Some(l) = caller_ledger(cx, f, d, lhs, None, 0) {
                            ledger = Some(l);
                        }
                    }
                }
            });
        }
        let Some(ledger) = ledger else {
            return false;
        };
        if checked && !n.unchecked {
            return true;
        }
        // Pre-0.8 (or unchecked): a check of the entry against the amount
        // before the debit.
        f.cfg.nodes().any(|(g, _)| {
            g != d
                && is_guard(f, g)
                && f.cfg.dominates(g, d)
                && f.facts(g).state_reads.iter().any(|r| r.var == ledger)
                && tested(f, g).into_iter().any(|c| mentions(c, amount_decl))
        })
    })
}

/// Whether `expr` reads this call's `msg.value`, directly or through
/// locals (not through storage, where it would be someone else's).
fn uses_msg_value(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    depth: u32,
) -> bool {
    if mentions_builtin(cx, f.file, expr, &[Builtin::MsgValue]) {
        return true;
    }
    if depth > 4 {
        return false;
    }
    let mut locals = Vec::new();
    bulwark_ir::walk::walk_expr(expr, &mut |e| {
        if let Some(d) = decl_of(cx, f.file, e) {
            if cx.model.decl(d).kind == DeclKind::LocalVar {
                locals.push(d);
            }
        }
    });
    locals.into_iter().any(|d| {
        f.reaching_defs().reaching(node, d).into_iter().any(|def| {
            f.facts(def)
                .defs
                .iter()
                .filter(|x| x.var == d)
                .filter_map(|x| x.value.and_then(|v| f.expr(v)))
                .any(|v| uses_msg_value(cx, f, def, v, depth + 1))
        })
    })
}
