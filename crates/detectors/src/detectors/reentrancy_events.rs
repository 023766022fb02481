//! `reentrancy-events`: an event emitted after an external call that the
//! callee can re-enter, so nested calls log their events first and the
//! log no longer tells the order in which things happened.
//!
//! # Facts used
//! - External calls that can run foreign code, in the function or its
//!   internal callees, and whether their callee is trusted (an address only
//!   the constructor or an authorised account sets)
//!   ([`crate::analysis::reentrancy::reentrant_calls_at`]).
//! - `emit` nodes (and pre-0.4.21 event calls) reachable from the call that can still complete.
//! - The function's reentrancy locks (IR guards, by behaviour).
//! - Calls reported by `reentrancy-eth`/`reentrancy-no-eth` are left to
//!   them: the state problem includes the event problem.

use std::collections::{BTreeSet, HashSet};

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::{CallSite, CallSiteKind};
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Mutability};
use bulwark_syntax::ast::FunctionKind;

use crate::analysis::access::Access;
use crate::analysis::reentrancy::reentrant_calls_at;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "reentrancy-events",
    title: "Event emitted after a re-enterable external call",
    severity: Severity::Low,
    confidence: Confidence::Medium,
    swc: &["SWC-107"],
    applies_to: "all versions",
    summary: "An event is emitted after a call to an untrusted contract that can call back in; \
events of the nested calls are logged first, so indexers and monitors reading the log see \
the operations in the wrong order.",
    what: r#"Reports an external call that can run foreign code — to an address the caller
influences (a recipient, a hook, a user-supplied contract) or a token transfer, whose
ERC777/ERC721/ERC1155 hooks call the recipient even on a token fixed at deployment — when the
function emits an event after the call and holds no reentrancy lock. Other calls to contracts
fixed at deployment or set only by an authorised account are trusted. The primary location is the call; the related locations are the late
`emit` statements.

Not reported: functions guarded by a lock recognised by behaviour; calls with the 2300-gas
stipend (`transfer`, `send`); calls already reported by `reentrancy-eth` or
`reentrancy-no-eth` (state written after the call is the bigger problem)."#,
    why: r#"Off-chain systems — indexers, bridges' relayers, accounting dashboards, monitoring —
rebuild a contract's history from its events in log order. When a callee re-enters, the inner
operation's event is logged before the outer one's although it started later: a withdrawal
appears before the deposit it spends, or a relayer processes a nested transfer first. No funds
are lost on chain, but anything trusting the log's order can be misled."#,
    exploit: r#"```solidity
function withdraw(uint256 amount) external {
    balances[msg.sender] -= amount;
    (bool ok, ) = msg.sender.call{value: amount}("");  // the caller's receive() re-enters
    require(ok);
    emit Withdrawn(msg.sender, amount);                // logged after the nested call's event
}
```
The attacker's `receive()` calls `withdraw` again: the log shows the second `Withdrawn` before
the first, and an off-chain ledger that applies events in order briefly shows a negative
balance or double-counts."#,
    fix: r#"Emit the event before the external call (checks-effects-interactions covers events too):
```solidity
balances[msg.sender] -= amount;
emit Withdrawn(msg.sender, amount);
(bool ok, ) = msg.sender.call{value: amount}("");
require(ok);
```
or guard the function with a reentrancy lock."#,
    references: &[
        "https://swcregistry.io/docs/SWC-107",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#reentrancy-vulnerabilities-4",
    ],
};

pub struct ReentrancyEvents;

impl Detector for ReentrancyEvents {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let reported: BTreeSet<(u32, u32)> = cx
            .reentrancies()
            .iter()
            .map(|r| (r.call.span.start, r.call.span.end))
            .collect();
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            let Some(info) = cx.model.function(f.decl) else {
                continue;
            };
            if !info.has_body()
                || matches!(
                    info.kind,
                    FunctionKind::Constructor | FunctionKind::Modifier
                )
                || matches!(info.mutability, Mutability::View | Mutability::Pure)
                || !access.is_entry_point(f.decl)
                || !cx.ir.guards().of(cx.ir, f.decl).mutexes.is_empty()
            {
                continue;
            }
            let mut outgoing: Vec<(NodeIx, DeclId, &CallSite)> = Vec::new();
            for (node, _) in f.cfg.nodes() {
                let mut seen = HashSet::new();
                reentrant_calls_at(
                    cx,
                    &access,
                    f,
                    node,
                    &mut seen,
                    0,
                    &mut |holder, call, trusted| {
                        if trusted.is_none() {
                            outgoing.push((node, holder, call));
                        }
                    },
                );
            }
            for (x, holder, call) in outgoing {
                if reported.contains(&(call.span.start, call.span.end)) {
                    continue;
                }
                let emits: Vec<NodeIx> = f
                    .cfg
                    .nodes()
                    .filter(|&(n, node)| {
                        n != x
                            && (matches!(node.kind, NodeKind::Emit { .. })
                                || f.facts(n)
                                    .calls
                                    .iter()
                                    .any(|c| matches!(c.kind, CallSiteKind::Event(_))))
                            && f.cfg.reaches(x, n)
                            && f.cfg.reaches(n, f.cfg.exit)
                    })
                    .map(|(n, _)| n)
                    .collect();
                if emits.is_empty() {
                    continue;
                }
                let file = cx.model.decl(holder).file;
                let text = cx.snippet(file, call.span, 60);
                let events: Vec<String> = emits
                    .iter()
                    .map(|&n| format!("`{}`", cx.snippet(f.file, f.cfg.node(n).span, 50)))
                    .collect();
                let message = format!(
                    "`{}` calls `{text}`, which can re-enter it, and only then {}: events of nested \
calls are logged first, out of order",
                    cx.qualified_name(f.decl),
                    events.join(", "),
                );
                let mut builder =
                    FindingBuilder::new(&META, message, cx.location_in(holder, call.span));
                for &n in &emits {
                    builder = builder.related(
                        cx.location_in(f.decl, f.cfg.node(n).span),
                        "event emitted after the call",
                    );
                }
                out.push(builder.build());
            }
        }
    }
}
