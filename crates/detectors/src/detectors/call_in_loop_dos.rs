//! `call-in-loop-dos`: a loop pays a list of stored recipients one by one
//! and any single failing payment reverts the whole loop.
//!
//! # Facts used
//! - Ether transfers inside a loop body (the node's loop depth) whose
//!   failure reverts the transaction ([`crate::analysis::payments`]).
//! - The recipient, through locals and conversions: an element of a state
//!   array or mapping (`payees[i]`, `investors[i].addr`), so that it
//!   changes per iteration and was chosen before this call — not by the
//!   caller in the call's arguments (a caller who lists a reverting
//!   address only blocks themselves).
//! - Payments made by an internal helper that the loop calls
//!   (`for (...) payDividend(members[i], x)`): the helper's recipient is
//!   one of its parameters, and the loop passes a stored list element in
//!   that position. Reported at the payment, with the loop's call as a
//!   related location.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::DeclId;
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::expr::{is_element, root_state_var};
use crate::analysis::payments::{failure_reverts, recipient};
use crate::analysis::provenance::{origins, Origin};
use crate::analysis::values::{local_of, sources};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "call-in-loop-dos",
    title: "Payment in a loop that one recipient can block",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-113"],
    applies_to: "all versions",
    summary: "A loop pushes ether to stored recipients one after the other and reverts when a \
payment fails, so a single recipient that rejects ether stops every payment.",
    what: r#"Reports an ether payment inside a loop whose failure reverts the transaction
(`transfer`, `require(x.send(v))`, a required `call{value: v}` status) when the recipient is an
element of a state array or mapping (`refundAddresses[i]`, `shareholders[i].wallet`).

Not reported: payments whose failure is tolerated or recorded for a later retry; recipients
passed by the caller in calldata (the caller can only block their own call); payments to a
single fixed address."#,
    why: r#"One of the recipients may be a contract that reverts when it receives ether — on
purpose, or because its fallback needs more than the 2300 gas `transfer` forwards. Every run
of the loop then reverts at that recipient, and nobody on the list is paid: refunds, dividends
and payouts are frozen until the list changes, which it often cannot. SWC-113 (DoS with failed
call)."#,
    exploit: r#"```solidity
function refundAll() external {
    for (uint i = 0; i < refundAddresses.length; i++) {
        require(refundAddresses[i].send(refunds[refundAddresses[i]]));
    }
}
```
1. The attacker registers for a refund from a contract whose fallback reverts.
2. `refundAll` reaches the attacker's entry, the `send` fails and `require` reverts everything.
3. No one is refunded; the attacker can hold this hostage for as long as they like."#,
    fix: r#"Let recipients withdraw what they are owed (pull payments), or tolerate a failing
payment and record it for a later retry:
```solidity
for (uint i = 0; i < payees.length; i++) {
    owed[payees[i]] += share;           // each payee calls withdraw() later
}
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-113",
        "https://consensys.github.io/smart-contract-best-practices/attacks/denial-of-service/",
    ],
};

pub struct CallInLoopDos;

impl Detector for CallInLoopDos {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                if f.cfg.node(node).loop_depth == 0
                    || !call.kind.sends_eth()
                    || !failure_reverts(cx, f, node, call)
                {
                    continue;
                }
                let Some(to) = recipient(f, call) else {
                    continue;
                };
                let list = stored_list(cx, f, node, to);
                let Some(list) = list else {
                    continue;
                };
                let op = cx.snippet(f.file, call.span, 60);
                let message = format!(
                    "`{op}` in `{}` pays each recipient stored in `{}` inside a loop and reverts if \
one payment fails: a single recipient that rejects ether blocks every payment of the loop",
                    cx.qualified_name(f.decl),
                    cx.model.decl(list).name,
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span)).build(),
                );
            }
            helper_payments_in_loops(cx, f, out);
        }
    }
}

/// Payments in internal helpers that a loop of `f` calls with a stored
/// list element as the recipient.
fn helper_payments_in_loops(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, out: &mut Vec<Finding>) {
    for (node, call) in f.calls() {
        if f.cfg.node(node).loop_depth == 0 {
            continue;
        }
        let CallSiteKind::Internal { function, .. } = call.kind else {
            continue;
        };
        let Some(h) = cx.ir.function_ir(function) else {
            continue;
        };
        for (hn, payment) in h.calls() {
            if !payment.kind.sends_eth() || !failure_reverts(cx, h, hn, payment) {
                continue;
            }
            let Some(to) = recipient(h, payment) else {
                continue;
            };
            let list = origins(cx, h, hn, to).into_iter().find_map(|o| match o {
                Origin::Param(i) => call
                    .args
                    .get(i)
                    .and_then(|&a| f.expr(a))
                    .and_then(|arg| stored_list(cx, f, node, arg)),
                _ => None,
            });
            let Some(list) = list else {
                continue;
            };
            let op = cx.snippet(h.file, payment.span, 60);
            let message = format!(
                "`{op}` in `{}` pays each recipient stored in `{}`, one per iteration of the loop in `{}`, and reverts if one payment fails: a single recipient that rejects ether blocks the whole loop",
                cx.qualified_name(h.decl),
                cx.model.decl(list).name,
                cx.qualified_name(f.decl),
            );
            let finding = FindingBuilder::new(&META, message, cx.location_in(h.decl, payment.span))
                .related(
                    cx.location_in(f.decl, call.span),
                    "called once per recipient",
                )
                .build();
            if !out
                .iter()
                .any(|o| o.locations.first() == finding.locations.first())
            {
                out.push(finding);
            }
        }
    }
}

/// The state array or mapping whose element `e` (evaluated at `node`) is,
/// through locals, conversions and storage pointers (`Holder storage h =
/// holders[i]; h.wallet`).
fn stored_list(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
) -> Option<DeclId> {
    for (at, value) in sources(cx, f, node, e) {
        if is_element(value) {
            if let Some(list) = root_state_var(cx, f.file, value) {
                return Some(list);
            }
        }
        // A field of a local storage pointer: where the pointer points.
        let mut base = unparen(value);
        while let ExprKind::Member { base: inner, .. } = &base.kind {
            base = unparen(inner);
        }
        if !std::ptr::eq(base, unparen(value)) && local_of(cx, f, base).is_some() {
            let found = sources(cx, f, at, base)
                .into_iter()
                .filter(|(_, v)| is_element(v))
                .find_map(|(_, v)| root_state_var(cx, f.file, v));
            if found.is_some() {
                return found;
            }
        }
    }
    None
}
