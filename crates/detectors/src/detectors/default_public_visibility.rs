//! `default-public-visibility`: before Solidity 0.5 a function written
//! without a visibility specifier is public; reported when such a function
//! looks meant to be internal and changes state for any caller.
//!
//! # Facts used
//! - The file's effective compiler version (the default changed in 0.5).
//! - The visibility as written (`None`) against the effective one.
//! - What the call can do ([`exposure`]) and whether anything on the way
//!   checks `msg.sender`.
//! - Evidence that the function was not meant as an entry point: other
//!   functions of the contract call it after a check that calling it
//!   directly skips (a helper), or it rewrites critical state (a variable
//!   some sender check compares the caller with, or a contract the code
//!   calls) or destroys the contract. A function that
//!   only runs the contract's business for its caller (`deposit`,
//!   `withdraw`, `transfer`) is an entry point by design: being public is
//!   what its author wanted, so it is not reported.

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_syntax::ast::{ContractKind, FunctionKind};

use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::CallEdgeKind;
use bulwark_sema::DeclId;

use crate::analysis::conditions::is_guard;
use crate::analysis::critical_state::{CriticalState, Role};
use crate::analysis::exposure::{exposure, name_list};
use crate::analysis::locations::header_span;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "default-public-visibility",
    title: "Function public by default",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-100"],
    applies_to: "before 0.5.0",
    summary: "A function without a visibility specifier is public under this compiler; it looks \
meant to be internal (other functions call it after a check, or it rewrites critical state) \
and it changes state for any caller without checking who calls.",
    what: r#"Reports, in files compiled with Solidity before 0.5.0, a contract function written
without `public`, `external`, `internal` or `private` when calling it writes state
(directly or through helpers), sends ether, self-destructs or delegatecalls, and no check
on `msg.sender` stands on the way.

The function must also look meant to be internal: another function of the contract calls
it after a check that a direct call skips (a helper such as `sendWinnings`, paid after an
owner check, or `initMultiowned`, run behind a one-shot check), or it rewrites critical state
(an owner or admin compared with `msg.sender`, a contract the code calls) or self-destructs.
A fallback that forwards to `deposit()` checks nothing first, so `deposit()` stays an entry
point; a function that records its caller as the next payee (`lastInvestor = msg.sender`)
is a game's rule, not a forgotten helper. Functions that are entry points by design — `deposit`,
`withdraw`, `transfer`, which run the contract's business for their caller and are called by
nothing else — are not reported: writing `public` would change nothing.

Functions without visibility that only read state, and ones behind an access check (a
reverting check or an `if (msg.sender == owner)` gate), are not reported either: being public
is then harmless, even if unintended. Constructors and fallback functions are not concerned.
From 0.5.0 on the compiler rejects a missing visibility."#,
    why: r#"Before 0.5.0 the default visibility was `public`. Helpers written without a specifier
— often meant as internal, such as `sendWinnings` or `initWallet` — became entry points
that anyone could call, skipping the checks of the functions that were supposed to call
them. The first Parity multisig hack started from such a function."#,
    exploit: r#"```solidity
function withdraw() public {
    require(block.timestamp > unlockTime);
    sendTo(msg.sender, balances[msg.sender]);
}
function sendTo(address to, uint256 amount) {   // no visibility: public
    to.transfer(amount);
}
```
1. The attacker calls `sendTo(attacker, this.balance)` directly.
2. The contract's whole balance moves to the attacker; the time lock and the balance check
   of `withdraw` never ran."#,
    fix: r#"Always write the visibility, and make helpers `internal` or `private`:
```solidity
function sendTo(address to, uint256 amount) internal {
    to.transfer(amount);
}
```
Compiling with 0.5.0 or later makes a missing visibility an error."#,
    references: &[
        "https://swcregistry.io/docs/SWC-100",
        "https://docs.soliditylang.org/en/v0.5.0/050-breaking-changes.html#explicitness-requirements",
    ],
};

pub struct DefaultPublicVisibility;

impl Detector for DefaultPublicVisibility {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let mut critical: Option<(CriticalState, Vec<DeclId>)> = None;
        for info in cx.model.functions() {
            let version = cx.project.file(info.file).version.effective;
            let in_contract = info
                .contract
                .and_then(|c| cx.model.contract(c))
                .is_some_and(|c| c.kind == ContractKind::Contract);
            if !version.default_function_visibility_public()
                || info.kind != FunctionKind::Function
                || !in_contract
                || !info.has_body()
                || info.ast.visibility.is_some()
            {
                continue;
            }
            let exposed = exposure(cx, info.decl);
            if !exposed.is_sensitive() || exposed.checks_caller {
                continue;
            }
            let (critical, authorities) =
                critical.get_or_insert_with(|| (CriticalState::compute(cx), authorities(cx)));
            let Some(intent) =
                meant_internal(cx, critical, authorities, info.decl, &exposed.writes)
            else {
                continue;
            };
            let effect = match (exposed.writes.is_empty(), exposed.moves_funds_or_code) {
                (false, true) => format!(
                    "writes {} and moves ether or code",
                    name_list(cx, &exposed.writes, 3)
                ),
                (false, false) => format!("writes {}", name_list(cx, &exposed.writes, 3)),
                _ => "moves ether or code".to_string(),
            };
            let message = format!(
                "`{}` has no visibility specifier, so under Solidity {version} it is public: any \
caller can run it, and it {effect} without checking `msg.sender`; it looks meant to be \
internal ({intent}): declare it `internal` or `private`",
                cx.qualified_name(info.decl)
            );
            out.push(
                FindingBuilder::new(
                    &META,
                    message,
                    cx.location_in(info.decl, header_span(cx, info.decl)),
                )
                .build(),
            );
        }
    }
}

/// Why `function` looks meant to be internal, if it does: the functions
/// of its contract that call it, or the critical state it rewrites, or
/// its `selfdestruct`.
fn meant_internal(
    cx: &AnalysisContext<'_>,
    critical: &CriticalState,
    authorities: &[DeclId],
    function: DeclId,
    writes: &[DeclId],
) -> Option<String> {
    // Helpers: called by functions that check something (the caller, a
    // one-shot flag, a deadline) before the call, which calling the helper
    // directly skips. A fallback forwarding to `deposit()` or an
    // `approveAndCall` calling `approve` checks nothing first: the callee
    // is an entry point shared with them.
    let mut callers: Vec<DeclId> = cx
        .ir
        .call_graph()
        .edges_into(function)
        .filter(|e| {
            matches!(e.kind, CallEdgeKind::Internal | CallEdgeKind::Super)
                && e.caller != function
                && e.node.is_some_and(|at| checked_before(cx, e.caller, at))
        })
        .map(|e| e.caller)
        .collect();
    callers.sort();
    callers.dedup();
    if !callers.is_empty() {
        let names: Vec<String> = callers
            .iter()
            .take(2)
            .map(|&c| format!("`{}`", cx.function_name(c)))
            .collect();
        return Some(format!("called after a check by {}", names.join(", ")));
    }
    let rewritten: Vec<DeclId> = writes
        .iter()
        .copied()
        .filter(|&v| {
            authorities.contains(&v)
                || [Role::Authority, Role::Dependency]
                    .into_iter()
                    .any(|r| critical.has_role(v, r))
        })
        .collect();
    if !rewritten.is_empty() {
        return Some(format!(
            "it rewrites the critical {}",
            name_list(cx, &rewritten, 3)
        ));
    }
    let destroys = cx
        .ir
        .call_graph()
        .reachable_in(
            cx.ir,
            cx.model.function(function).and_then(|f| f.contract),
            function,
        )
        .into_iter()
        .filter_map(|g| cx.ir.function_ir(g))
        .any(|f| {
            f.calls().any(|(_, c)| {
                matches!(
                    c.kind,
                    CallSiteKind::SelfDestruct { .. }
                        | CallSiteKind::Assembly(bulwark_ir::cfg::AsmCallKind::SelfDestruct)
                )
            })
        });
    destroys.then(|| "it destroys the contract".to_string())
}

/// Every state variable some sender check compares the caller with (in a
/// reverting check, a gate or a checking helper): whoever rewrites one
/// decides who passes that check.
fn authorities(cx: &AnalysisContext<'_>) -> Vec<DeclId> {
    let mut out: Vec<DeclId> = cx
        .ir
        .functions()
        .flat_map(|f| cx.ir.guards().of(cx.ir, f.decl).sender_checks)
        .flat_map(|c| c.state_vars)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a reverting check stands before `node` of `caller`: in its body
/// (dominating the node) or in a modifier applied to it (before its `_`).
fn checked_before(cx: &AnalysisContext<'_>, caller: DeclId, node: bulwark_ir::cfg::NodeIx) -> bool {
    let Some(f) = cx.ir.function_ir(caller) else {
        return false;
    };
    let in_body = f
        .cfg
        .nodes()
        .any(|(g, _)| g != node && f.cfg.dominates(g, node) && is_guard(f, g));
    in_body
        || cx
            .ir
            .call_graph()
            .edges_from(caller)
            .iter()
            .filter(|e| e.kind == CallEdgeKind::Modifier)
            .filter_map(|e| e.callee.and_then(|m| cx.ir.function_ir(m)))
            .any(|m| {
                m.cfg
                    .nodes()
                    .filter(|(_, n)| matches!(n.kind, bulwark_ir::cfg::NodeKind::Placeholder))
                    .any(|(p, _)| {
                        m.cfg
                            .nodes()
                            .any(|(g, _)| g != p && m.cfg.dominates(g, p) && is_guard(m, g))
                    })
            })
}
