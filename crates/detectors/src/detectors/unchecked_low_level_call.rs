//! `unchecked-low-level-call`: the success flag of `call`, `delegatecall`,
//! `staticcall`, `callcode` or `send` is dropped.
//!
//! # Facts used
//! - Resolved member calls on `address` values: `call`, `delegatecall`,
//!   `staticcall`, `callcode`, `send`, including the pre-0.5
//!   `.call.value(v).gas(g)(...)` chains and 0.6+ `{value: v, gas: g}`
//!   options (so `transfer`, which reverts itself, is told apart).
//! - Def-use of the call's boolean result: discarded as an expression
//!   statement, bound to a local (or tuple component) that is never read,
//!   or read. A read counts as a check when the value reaches a condition
//!   (`require`, `assert`, `if`, `throw`/`revert` branch), a `return`, or
//!   is passed to another function; storing it only to overwrite it does
//!   not. With `(bool ok, bytes memory data) = t.call(d)`, the success
//!   flag itself must be checked: returning or checking `data` alone
//!   (`return data;`) leaves a failed call unnoticed.
//! - One finding per function: a function that ignores the result of
//!   several calls (a payout routine sending to five parties) has one
//!   failure-handling mistake; the first call is the primary location and
//!   the others are related locations.

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::{CallSiteKind, LowLevelOp, ResultUse};
use bulwark_ir::walk::walk_expr;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, DeclKind, Type};
use bulwark_syntax::ast::Expr;

use crate::analysis::conditions::tested;

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unchecked-low-level-call",
    title: "Unchecked low-level call or send",
    severity: Severity::Medium,
    confidence: Confidence::High,
    swc: &["SWC-104"],
    applies_to: "all versions",
    summary: "A low-level call or `send` reports failure only through its return value, and \
this code never looks at it: the transaction carries on as if the call had succeeded.",
    what: r#"Reports `call`, `delegatecall`, `staticcall`, `callcode` and `send` whose boolean result is
discarded (the call is an expression statement) or stored in a variable that is never read.

A result counts as checked when it reaches a condition (`require`, `assert`, `if` with a
`revert`/`throw` or any other handling such as recording a debt), is returned to the caller,
or is passed on to another function. `transfer` and high-level calls revert on failure by
themselves and are not reported. A function with several unchecked calls gets one finding:
the first call is the primary location, the others are listed as related locations."#,
    why: r#"Unlike high-level calls, low-level calls do not bubble up a revert: they return `false`
and let the caller continue. A payment to a contract that rejects ether, runs out of gas in
its fallback, or a call to an address with no code that reverts, leaves the caller believing
the transfer happened. Balances are zeroed for money that never left, payroll loops skip
employees silently, and token "rescues" report success for tokens that returned `false`."#,
    exploit: r#"```solidity
function withdraw() external {
    uint256 amount = credit[msg.sender];
    credit[msg.sender] = 0;
    payable(msg.sender).send(amount);     // result ignored
}
```
In a "king of the hill" game, the previous king is paid with an unchecked `send` before the
crown changes hands. A king that is a contract without a payable fallback makes every
`send` fail; the game still crowns the new king and keeps the previous king's payout, so
the contract accumulates ether owed to players who are never paid. Conversely, in the
pattern above a user whose fallback temporarily reverts loses their whole credit."#,
    fix: r#"Check the result and decide what failure means:
```solidity
(bool ok, ) = payable(msg.sender).call{value: amount}("");
require(ok, "payment failed");
```
or record the debt for a later pull-payment withdrawal. For ERC20 tokens use a wrapper that
also checks the returned data (OpenZeppelin's `SafeERC20`)."#,
    references: &[
        "https://swcregistry.io/docs/SWC-104",
        "https://docs.soliditylang.org/en/latest/units-and-global-variables.html#members-of-address-types",
        "https://docs.soliditylang.org/en/latest/security-considerations.html#sending-and-receiving-ether",
    ],
};

pub struct UncheckedLowLevelCall;

impl Detector for UncheckedLowLevelCall {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            // The index of this function's finding in `out`, once made.
            let mut first: Option<usize> = None;
            let mut calls: Vec<_> = f.calls().collect();
            calls.sort_by_key(|(_, c)| c.span.start);
            for (node, call) in calls {
                let CallSiteKind::LowLevel { op, .. } = call.kind else {
                    continue;
                };
                if op == LowLevelOp::Transfer {
                    continue;
                }
                let how = match &call.result {
                    ResultUse::Ignored => "discards its result",
                    ResultUse::Assigned(_) if !call.checked => {
                        "stores its result in a variable that is never checked"
                    }
                    ResultUse::Assigned(locals) if !success_flag_checked(cx, f, node, locals) => {
                        "reads the returned data but never checks the success flag"
                    }
                    _ => continue,
                };
                let text = cx.snippet(f.file, call.span, 60);
                if let Some(i) = first {
                    let related = cx
                        .location_in(f.decl, call.span)
                        .with_label(format!("`{text}` {how} too"));
                    out[i].locations.push(related);
                    out[i].message = more_calls(&out[i].message, out[i].locations.len() - 1);
                    continue;
                }
                first = Some(out.len());
                let message = format!(
                    "`{}` calls `{text}` and {how}: if the `{}` fails, execution continues as if it had succeeded",
                    cx.qualified_name(f.decl),
                    op.name()
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span)).build(),
                );
            }
        }
    }
}

/// Whether the success flag among the locals a call's results are
/// assigned to is checked later. The IR marks a call checked when any of
/// its result locals is read by a check or returned; for `(bool ok, bytes
/// memory data) = t.call(d)` that includes returning `data` with `ok`
/// never looked at. The flag is the `bool` local (`(, bytes memory data)`
/// drops it); it is checked when a later node reading it tests a
/// condition that mentions it, returns it, or hands it to an internal call.
fn success_flag_checked(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    locals: &[DeclId],
) -> bool {
    let flag = locals.iter().copied().find(|&l| {
        matches!(
            cx.model.decl(l).kind,
            DeclKind::LocalVar | DeclKind::ReturnParam
        ) && *cx.model.decl_type(l) == Type::Bool
    });
    let Some(flag) = flag else {
        return false;
    };
    if cx.model.decl(flag).kind == DeclKind::ReturnParam {
        return true;
    }
    let mentions = |e: &Expr| {
        let mut found = false;
        walk_expr(e, &mut |x| {
            found |= cx.model.resolution(f.file, x.id).and_then(|r| r.decl()) == Some(flag);
        });
        found
    };
    f.reaching_defs()
        .uses_of(f.all_facts(), node, flag)
        .into_iter()
        .any(|n| match f.cfg.node(n).kind {
            NodeKind::Return(_) => true,
            _ => {
                tested(f, n).into_iter().any(mentions)
                    || f.facts(n).calls.iter().any(|c| {
                        matches!(
                            c.kind,
                            CallSiteKind::Internal { .. }
                                | CallSiteKind::BoundInternal { .. }
                                | CallSiteKind::Library { .. }
                        ) && c.args.iter().filter_map(|&a| f.expr(a)).any(mentions)
                    })
            }
        })
}

/// The message of a function's finding, with the count of the other
/// unchecked calls it lists (replacing an earlier count).
fn more_calls(message: &str, others: usize) -> String {
    let base = message
        .split(" (and ")
        .next()
        .unwrap_or(message)
        .trim_end_matches('.');
    let plural = if others == 1 { "call" } else { "calls" };
    format!("{base} (and {others} more unchecked {plural} in the same function, listed as related locations)")
}
