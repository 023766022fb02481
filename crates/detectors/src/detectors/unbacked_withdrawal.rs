//! `unbacked-withdrawal`: ether paid to the caller is not limited by what
//! the contract's ledger owes them.
//!
//! # Facts used
//! - Ether payments to `msg.sender` (recipient tainted by `msg.sender`).
//! - Per-account ledgers: state mappings indexed by `msg.sender` whose
//!   entry is (through locals) the amount paid, or is compared with it.
//! - Two shapes of the same mistake:
//!   - *no debit*: the payment is the caller's ledger entry and nothing the
//!     function runs (through internal calls and modifiers) writes that
//!     ledger or any other state keyed by the caller, so the same balance
//!     pays out again on every call;
//!   - *inverted check*: the only guard relating the amount to the caller's
//!     entry lets it pass when the amount is *at least* the entry
//!     (`require(amount >= balances[msg.sender])`), so any amount above
//!     the balance is paid.
//! - Reachability by any caller ([`Access::open_entry`]).

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::taint::Source;
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Type};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::access::Access;
use crate::analysis::conditions::{is_guard, passing_clauses, tested};
use crate::analysis::expr::root_state_var;
use crate::analysis::payments::recipient;
use crate::analysis::values::{mentioned_decls, sources};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unbacked-withdrawal",
    title: "Withdrawal not limited by the caller's balance",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-105"],
    applies_to: "all versions",
    summary: "Anyone can take more ether than the contract's ledger credits them with: the \
balance paid out is never debited, or the check on the amount is the wrong way round.",
    what: r#"Reports an ether payment to `msg.sender` in a function any caller can reach when
- the amount is the caller's entry of a ledger (`balances[msg.sender]`) and the function
  writes neither that ledger nor any other state keyed by the caller, so the same credit pays
  out on every call; or
- the guard relating the amount to the caller's entry accepts amounts *at least* as large as
  the entry (`require(amount >= balances[msg.sender])`, `if (amount < balance) revert`).

Not reported: withdrawals that zero or reduce the entry (before or after the payment — the
ordering is `reentrancy-eth`'s concern), one-shot claims recorded in another mapping keyed by
the caller, and payments to other addresses."#,
    why: r#"A wallet, bank or refund contract promises each user at most what they deposited. A
refund that forgets to debit the balance can be called again and again until the contract is
empty; a comparison written the wrong way round lets anyone with a zero balance withdraw any
amount up to the contract's balance (before 0.8 the following `balances[msg.sender] -= amount`
silently wraps). Either way the contract's funds belong to whoever calls first. SWC-105
(unprotected ether withdrawal)."#,
    exploit: r#"```solidity
function refund() public {
    msg.sender.transfer(balances[msg.sender]);    // balance never set to zero
}
function withdraw(uint256 amount) public {
    require(amount >= balances[msg.sender]);      // wrong way round
    msg.sender.transfer(amount);
    balances[msg.sender] -= amount;
}
```
1. The attacker deposits 1 ether and calls `refund` ten times: 10 ether out.
2. Or, with nothing deposited, calls `withdraw(address(wallet).balance)`: the check passes
   because the amount is at least their (zero) balance."#,
    fix: r#"Check that the amount does not exceed the balance and debit it before paying:
```solidity
require(amount <= balances[msg.sender], "insufficient balance");
balances[msg.sender] -= amount;
payable(msg.sender).transfer(amount);
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-105",
        "https://docs.soliditylang.org/en/latest/common-patterns.html#withdrawal-from-contracts",
    ],
};

pub struct UnbackedWithdrawal;

impl Detector for UnbackedWithdrawal {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        let taint = cx.ir.taint();
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                if !call.kind.sends_eth() {
                    continue;
                }
                let (Some(to), Some(amount)) = (recipient(f, call), payment_value(f, call)) else {
                    continue;
                };
                if !taint.expr(cx.ir, f.decl, to.id).has(Source::MsgSender) {
                    continue;
                }
                let op = cx.snippet(f.file, call.span, 60);
                // Shape 1: pays the caller's entry and never debits it.
                if let Some(ledger) = callers_entry(cx, f, node, amount) {
                    if !writes_callers_state(cx, f, ledger)
                        && access.open_entry(f.decl, node).is_some()
                    {
                        let name = &cx.model.decl(ledger).name;
                        let message = format!(
                            "`{op}` in `{}` pays the caller their `{name}` entry but nothing debits it: \
the same balance can be withdrawn again on every call until the contract is empty",
                            cx.qualified_name(f.decl)
                        );
                        out.push(
                            FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span))
                                .build(),
                        );
                    }
                    continue;
                }
                // Shape 2: the guard on the amount is the wrong way round.
                if let Some((guard, ledger)) = inverted_check(cx, f, node, amount) {
                    if access.open_entry(f.decl, node).is_none() {
                        continue;
                    }
                    let name = &cx.model.decl(ledger).name;
                    let text = cx.snippet(f.file, f.cfg.node(guard).span, 80);
                    let message = format!(
                        "`{text}` in `{}` lets the withdrawal through when the amount is at least the \
caller's `{name}` entry, not at most: anyone can withdraw more than they hold; compare with `<=`",
                        cx.qualified_name(f.decl)
                    );
                    out.push(
                        FindingBuilder::new(
                            &META,
                            message,
                            cx.location_in(f.decl, f.cfg.node(guard).span),
                        )
                        .related(cx.location_in(f.decl, call.span), "the payment")
                        .build(),
                    );
                }
            }
        }
    }
}

/// The amount of ether a payment sends.
fn payment_value<'p>(f: &FunctionIr<'p>, call: &bulwark_ir::facts::CallSite) -> Option<&'p Expr> {
    match call.kind {
        bulwark_ir::facts::CallSiteKind::LowLevel { value: Some(v), .. }
        | bulwark_ir::facts::CallSiteKind::External { value: Some(v), .. } => f.expr(v),
        _ => None,
    }
}

/// The ledger (a state mapping keyed by addresses) whose `msg.sender`
/// entry `e` is, through locals.
fn callers_entry(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
) -> Option<DeclId> {
    let taint = cx.ir.taint();
    let values = sources(cx, f, node, e);
    // A sum or a computed amount is not the entry itself.
    let [(_, v)] = values.as_slice() else {
        return None;
    };
    let ExprKind::Index {
        base,
        index: Some(key),
    } = &unparen(v).kind
    else {
        return None;
    };
    let ledger = root_state_var(cx, f.file, base)?;
    let is_mapping = matches!(
        cx.model.state_var(ledger).map(|s| &s.ty),
        Some(Type::Mapping { .. })
    );
    (is_mapping && taint.expr(cx.ir, f.decl, key.id).has(Source::MsgSender)).then_some(ledger)
}

/// Whether the function (with what it calls) writes `ledger`, or any state
/// indexed by the caller (a `claimed[msg.sender] = true` flag).
fn writes_callers_state(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, ledger: DeclId) -> bool {
    let contract = f.contract;
    if cx
        .ir
        .access()
        .transitive(cx.ir, contract, f.decl)
        .writes
        .contains(&ledger)
    {
        return true;
    }
    let taint = cx.ir.taint();
    cx.ir
        .call_graph()
        .reachable_in(cx.ir, contract, f.decl)
        .into_iter()
        .filter_map(|g| cx.ir.function_ir(g))
        .any(|g| {
            g.state_writes().any(|(n, w)| {
                crate::analysis::critical_writes::index_keys(g, n, w)
                    .iter()
                    .any(|k| taint.expr(cx.ir, g.decl, k.id).has(Source::MsgSender))
            })
        })
}

/// A guard on the way to the payment that requires the paid amount to be
/// at least the caller's ledger entry, with the ledger.
fn inverted_check(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    pay: NodeIx,
    amount: &Expr,
) -> Option<(NodeIx, DeclId)> {
    let amount_decls = mentioned_decls(cx, f, amount);
    if amount_decls.is_empty() {
        return None;
    }
    let mut found = None;
    for (g, _) in f.cfg.nodes() {
        if g == pay || !f.cfg.dominates(g, pay) || !is_guard(f, g) {
            continue;
        }
        for cond in tested(f, g) {
            for clause in passing_clauses(f, g, cond) {
                for lit in clause {
                    let ExprKind::Binary { op, lhs, rhs } = &unparen(lit.atom).kind else {
                        continue;
                    };
                    // Normalise to `amount OP entry` holding.
                    let is_amount = |e: &Expr| {
                        mentioned_decls(cx, f, e)
                            .iter()
                            .any(|d| amount_decls.contains(d))
                    };
                    let (op, entry) = if is_amount(lhs) {
                        (*op, rhs.as_ref())
                    } else if is_amount(rhs) {
                        (flip(*op)?, lhs.as_ref())
                    } else {
                        continue;
                    };
                    let op = if lit.holds { op } else { negate(op)? };
                    let Some(ledger) = callers_entry(cx, f, g, entry) else {
                        continue;
                    };
                    match op {
                        BinaryOp::Ge | BinaryOp::Gt => found = found.or(Some((g, ledger))),
                        // A correct bound anywhere on the way: not inverted.
                        BinaryOp::Le | BinaryOp::Lt => return None,
                        _ => {}
                    }
                }
            }
        }
    }
    found
}

/// `a OP b` as `b OP' a`.
fn flip(op: BinaryOp) -> Option<BinaryOp> {
    Some(match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        BinaryOp::Eq | BinaryOp::Ne => op,
        _ => return None,
    })
}

/// `!(a OP b)` as `a OP' b`.
fn negate(op: BinaryOp) -> Option<BinaryOp> {
    Some(match op {
        BinaryOp::Lt => BinaryOp::Ge,
        BinaryOp::Le => BinaryOp::Gt,
        BinaryOp::Gt => BinaryOp::Le,
        BinaryOp::Ge => BinaryOp::Lt,
        BinaryOp::Eq => BinaryOp::Ne,
        BinaryOp::Ne => BinaryOp::Eq,
        _ => return None,
    })
}
