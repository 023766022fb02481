//! `msg-value-in-loop`: `msg.value` is credited or spent once per
//! iteration of a loop, although it was paid once.
//!
//! # Facts used
//! - Reads of `msg.value` at nodes inside a loop body (the CFG's loop
//!   depth), outside pure checks (a condition or a `require` that only
//!   tests it).
//! - Internal functions that read `msg.value` themselves, called from
//!   inside a loop (one level).
//! - `delegatecall`s to this contract inside a loop of a payable function
//!   (a payable multicall): every delegated call sees the same
//!   `msg.value`.

use bulwark_ir::cfg::NodeKind;
use bulwark_ir::facts::{CallSiteKind, LowLevelOp};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, DeclId, Mutability};

use crate::analysis::conditions::is_guard;
use crate::analysis::expr::is_this;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "msg-value-in-loop",
    title: "msg.value used inside a loop",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "`msg.value` is the same on every iteration: using it to credit, buy or forward \
inside a loop counts one payment several times.",
    what: r#"Reports a statement inside a loop that uses `msg.value` (other than a pure check of
it), a call made inside a loop to an internal function that uses `msg.value`, and a
`delegatecall` to the contract itself inside a loop of a payable function (a payable
`multicall`, where every delegated call sees the whole `msg.value`).

Not reported: `msg.value` read before or after the loop (`require(msg.value == total)` after
summing the prices), and conditions that only compare it."#,
    why: r#"The ether of a transaction is paid once, but `msg.value` keeps its value for the whole
call. A batch function that credits `msg.value` to each recipient, or a payable multicall whose
sub-calls each deposit `msg.value`, lets the caller pay once and be credited N times, draining
the ether other users deposited. This is how several batch-minting and multicall contracts have
lost funds (e.g. the Opyn ETH put exploit, 2020)."#,
    exploit: r#"```solidity
function depositFor(address[] calldata users) external payable {
    for (uint i = 0; i < users.length; i++) {
        balances[users[i]] += msg.value;
    }
}
```
1. The attacker sends 1 ether with a list of 100 of their own addresses.
2. Each is credited 1 ether: 100 ether of claims backed by 1 ether.
3. They withdraw the other depositors' ether."#,
    fix: r#"Split `msg.value` explicitly and check the total, or track what is left:
```solidity
uint256 each = msg.value / users.length;
for (uint i = 0; i < users.length; i++) balances[users[i]] += each;
```
For multicall, make it non-payable or account for `msg.value` once."#,
    references: &[
        "https://github.com/crytic/slither/wiki/Detector-Documentation#msgvalue-inside-a-loop",
        "https://samczsun.com/two-rights-might-make-a-wrong/",
    ],
};

pub struct MsgValueInLoop;

impl Detector for MsgValueInLoop {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            let payable = cx
                .model
                .function(f.decl)
                .is_some_and(|i| i.mutability == Mutability::Payable);
            for (node, n) in f.cfg.nodes() {
                if n.loop_depth == 0 {
                    continue;
                }
                let facts = f.facts(node);
                let only_checks = matches!(n.kind, NodeKind::Condition { .. })
                    || (is_guard(f, node)
                        && facts.state_writes.is_empty()
                        && facts.defs.is_empty());
                let direct = facts.reads_env(Builtin::MsgValue) && !only_checks;
                let via = facts.calls.iter().find_map(|c| match c.kind {
                    CallSiteKind::Internal { function, .. } if uses_msg_value(cx, function) => {
                        Some(cx.qualified_name(function))
                    }
                    CallSiteKind::LowLevel {
                        op: LowLevelOp::DelegateCall,
                        target,
                        ..
                    } if payable && f.expr(target).is_some_and(|t| is_this(cx, f.file, t)) => {
                        Some("a delegatecall to this contract".to_string())
                    }
                    _ => None,
                });
                if !direct && via.is_none() {
                    continue;
                }
                let how = match via {
                    Some(v) if !direct => format!(" through {}", quote(&v)),
                    _ => String::new(),
                };
                let message = format!(
                    "`{}` uses `msg.value` inside a loop{how}: the ether was paid once but is \
counted on every iteration",
                    cx.qualified_name(f.decl)
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, n.span)).build(),
                );
            }
        }
    }
}

fn quote(name: &str) -> String {
    if name.starts_with('a') && name.contains(' ') {
        name.to_string()
    } else {
        format!("`{name}`")
    }
}

/// Whether `function` reads `msg.value` outside pure checks.
fn uses_msg_value(cx: &AnalysisContext<'_>, function: DeclId) -> bool {
    let Some(g): Option<&FunctionIr<'_>> = cx.ir.function_ir(function) else {
        return false;
    };
    g.cfg.nodes().any(|(node, n)| {
        let facts = g.facts(node);
        facts.reads_env(Builtin::MsgValue)
            && !matches!(n.kind, NodeKind::Condition { .. })
            && !(is_guard(g, node) && facts.state_writes.is_empty() && facts.defs.is_empty())
    })
}
