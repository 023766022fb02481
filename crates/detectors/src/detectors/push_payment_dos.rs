//! `push-payment-dos`: a payment that reverts on failure goes to an
//! address any caller can make their own, so a receiver that refuses
//! ether blocks the function for everyone.
//!
//! # Facts used
//! - Ether transfers whose failure reverts the transaction (`transfer`,
//!   `require(to.send(x))`, a required `call{value:}` status), from
//!   [`crate::analysis::payments`].
//! - The recipient: a scalar state variable (or a field of one), through
//!   locals and conversions — not an element of a list (see
//!   `call-in-loop-dos`).
//! - Who writes that variable: some write reachable by any caller stores
//!   `msg.sender` into it ([`Access::open_write_matching`] with taint from
//!   `msg.sender`).
//! - Payments to a recipient the same call has just set (the caller paying
//!   themselves) are left out.
//! - Per-item roles: outside loops, a field of one entry of a state
//!   mapping or array (`lots[id].leader`, through a storage pointer too)
//!   that an open function sets to `msg.sender` (assigned field by field),
//!   unless a check of the caller against that field guards the payment.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::taint::Source;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::DeclId;
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::access::Access;
use crate::analysis::expr::{is_element, root_state_var};
use crate::analysis::payments::{failure_reverts, recipient};
use crate::analysis::values::sources;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "push-payment-dos",
    title: "Push payment a reverting receiver can block",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-113"],
    applies_to: "all versions",
    summary: "Ether is pushed to an address that any caller can make their own, and a failed \
payment reverts the whole call: a contract that refuses ether takes that place and blocks the \
function for everyone.",
    what: r#"Reports an ether payment whose failure reverts the transaction — `transfer`,
`require(x.send(v))`, a `call{value: v}` whose status is required — when the recipient is an
address kept in a state variable (`highestBidder`, `king`, `lastInvestor`) that some function
any caller can reach sets to `msg.sender`.

Not reported: payments whose failure is tolerated (an unchecked or handled `send`, credited to
a withdrawable balance instead); recipients only the owner or the constructor sets; payments
to the address the same call has just stored (the caller paying themselves — a copy of the
previous holder taken before the call stores the caller is still reported); payments to list
elements, which `call-in-loop-dos` covers."#,
    why: r#"The typical case is an auction or a "king of the hill" game that refunds the previous
leader when someone outbids them. If the leader is a contract whose fallback reverts (or uses
more than the 2300 gas `transfer` forwards), the refund always fails, every new bid reverts, and
the attacker stays leader forever — winning the auction at their price, or freezing the game
and its pot. SWC-113 (DoS with failed call)."#,
    exploit: r#"```solidity
function bid() external payable {
    require(msg.value > highestBid);
    payable(highestBidder).transfer(highestBid);   // refund the previous leader
    highestBidder = msg.sender;
    highestBid = msg.value;
}
```
1. The attacker bids through a contract whose `receive` function reverts.
2. Every later `bid` tries to refund that contract, the transfer fails and the bid reverts.
3. The auction ends with the attacker's bid, however low."#,
    fix: r#"Do not push ether to addresses others control: record what is owed and let each
recipient withdraw it (pull payments).
```solidity
pendingReturns[highestBidder] += highestBid;
highestBidder = msg.sender;
highestBid = msg.value;
// and: function withdraw() { uint a = pendingReturns[msg.sender]; pendingReturns[msg.sender] = 0; payable(msg.sender).transfer(a); }
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-113",
        "https://docs.soliditylang.org/en/latest/common-patterns.html#withdrawal-from-contracts",
    ],
};

pub struct PushPaymentDos;

impl Detector for PushPaymentDos {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                if !call.kind.sends_eth() || !failure_reverts(cx, f, node, call) {
                    continue;
                }
                let Some(to) = recipient(f, call) else {
                    continue;
                };
                let vars: Vec<(NodeIx, DeclId)> = sources(cx, f, node, to)
                    .into_iter()
                    .filter_map(|(n, e)| scalar_state_var(cx, f.file, e).map(|v| (n, v)))
                    .collect();
                if vars.is_empty() && f.cfg.node(node).loop_depth == 0 {
                    if let Some(finding) = entry_role_payment(cx, &access, f, node, call, to) {
                        out.push(finding);
                    }
                    continue;
                }
                for (read, var) in vars {
                    // Set by this very call before the paid address is
                    // read: the caller pays themselves. (A copy taken
                    // before the write is the previous holder.)
                    let set_before = f
                        .state_writes()
                        .any(|(w, a)| a.var == var && w != read && f.cfg.dominates(w, read));
                    // Only the holder of the role may call: they would
                    // block nobody but themselves.
                    let holder_only = cx
                        .ir
                        .guards()
                        .of(cx.ir, f.decl)
                        .sender_checks
                        .iter()
                        .any(|c| c.state_vars.contains(&var));
                    if set_before || holder_only {
                        continue;
                    }
                    let Some((writer, wnode)) =
                        access.open_write_matching(var, |t| t.has(Source::MsgSender))
                    else {
                        continue;
                    };
                    let name = &cx.model.decl(var).name;
                    let op = cx.snippet(f.file, call.span, 60);
                    let message = format!(
                        "`{op}` in `{}` pays `{name}`, which any caller can set to themselves through \
`{}`, and a failed payment reverts the call: a contract that rejects ether in that role blocks \
`{}` for everyone; credit the amount for withdrawal instead",
                        cx.qualified_name(f.decl),
                        cx.qualified_name(writer),
                        cx.function_name(f.decl),
                    );
                    let mut finding =
                        FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span));
                    if let Some(w) = cx.ir.function_ir(writer) {
                        finding = finding.related(
                            cx.location_in(writer, w.cfg.node(wnode).span),
                            format!("`{name}` set to the caller"),
                        );
                    }
                    out.push(finding.build());
                    break;
                }
            }
        }
    }
}

/// The state variable `e` reads when it is a scalar one or a field of one
/// (`leader`, `top.bidder`), not an element of a list or mapping.
fn scalar_state_var(
    cx: &AnalysisContext<'_>,
    file: bulwark_sema::FileId,
    e: &Expr,
) -> Option<DeclId> {
    root_state_var(cx, file, e).filter(|_| !is_element(e))
}

/// A payment to a field of one entry of a state mapping or array
/// (`auctions[id].highestBidder`, through a storage pointer too) — a
/// role per item, such as each auction's leading bidder — when an open
/// function stores `msg.sender` into that field and the paying call does
/// not set it first. Loops over entries are `call-in-loop-dos`'s.
fn entry_role_payment(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &bulwark_ir::FunctionIr<'_>,
    node: bulwark_ir::cfg::NodeIx,
    call: &bulwark_ir::facts::CallSite,
    to: &Expr,
) -> Option<Finding> {
    let (read, field) = sources(cx, f, node, to).into_iter().find_map(|(read, e)| {
        let e = unparen(e);
        let ExprKind::Member { base, .. } = &e.kind else {
            return None;
        };
        let base = unparen(base);
        let on_entry = is_element(base)
            || crate::analysis::values::local_of(cx, f, base)
                .is_some_and(|d| f.is_storage_pointer(d));
        let field = cx.model.resolution(f.file, e.id).and_then(|r| r.decl())?;
        (on_entry && cx.model.decl(field).kind == bulwark_sema::DeclKind::StructField)
            .then_some((read, field))
    })?;
    let taint = cx.ir.taint();
    // Only the holder may call (`require(msg.sender == lot.seller)`, or an
    // `if` on it around the payment): they would block nobody but
    // themselves.
    let mentions_field = |e: &Expr| {
        let mut found = false;
        walk_expr(e, &mut |x| {
            found |= cx.model.resolution(f.file, x.id).and_then(|r| r.decl()) == Some(field);
        });
        found
    };
    let holder_only = f.cfg.nodes().any(|(g, n)| {
        g != node
            && f.cfg.dominates(g, node)
            && (crate::analysis::conditions::is_guard(f, g)
                || matches!(n.kind, bulwark_ir::cfg::NodeKind::Condition { .. }))
            && crate::analysis::conditions::tested(f, g)
                .into_iter()
                .any(|c| {
                    mentions_field(c)
                        && crate::analysis::expr::mentions_builtin(
                            cx,
                            f.file,
                            c,
                            &[bulwark_sema::Builtin::MsgSender],
                        )
                })
    });
    if holder_only {
        return None;
    }
    // The nodes of `g` that store the caller into the field.
    let caller_writes = |g: &bulwark_ir::FunctionIr<'_>| -> Vec<(NodeIx, bulwark_syntax::Span)> {
        let mut found = Vec::new();
        for (n, cfg_node) in g.cfg.nodes() {
            let mut hit = None;
            for root in cfg_node.exprs() {
                walk_expr(root, &mut |e| {
                    if let ExprKind::Assign { op: None, lhs, rhs } = &e.kind {
                        let names_field = cx
                            .model
                            .resolution(g.file, unparen(lhs).id)
                            .and_then(|r| r.decl())
                            == Some(field);
                        if names_field
                            && hit.is_none()
                            && taint.expr(cx.ir, g.decl, rhs.id).has(Source::MsgSender)
                        {
                            hit = Some(e.span);
                        }
                    }
                });
            }
            if let Some(span) = hit {
                found.push((n, span));
            }
        }
        found
    };
    // The paying call makes the caller the holder before it reads the
    // paid address: it pays itself. A copy of the field taken before the
    // write (`prev = lot.leader; lot.leader = msg.sender; pay(prev)`) is
    // the previous holder, and reported.
    if caller_writes(f)
        .into_iter()
        .any(|(w, _)| w != read && f.cfg.dominates(w, read))
    {
        return None;
    }
    // Where an open function makes the caller the field's holder.
    let (writer, wspan) = cx.ir.functions().find_map(|g| {
        caller_writes(g)
            .into_iter()
            .find_map(|(n, span)| access.open_entry(g.decl, n).map(|_| (g.decl, span)))
    })?;
    let name = &cx.model.decl(field).name;
    let op = cx.snippet(f.file, call.span, 60);
    let message = format!(
        "`{op}` in `{}` pays the `{name}` of an entry, which any caller can become through `{}`, and \
a failed payment reverts the call: a contract that rejects ether in that place blocks `{}` for that \
entry; credit the amount for withdrawal instead",
        cx.qualified_name(f.decl),
        cx.qualified_name(writer),
        cx.function_name(f.decl),
    );
    Some(
        FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span))
            .related(
                cx.location_in(writer, wspan),
                format!("`{name}` set to the caller"),
            )
            .build(),
    )
}
