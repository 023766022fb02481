//! `unprotected-selfdestruct`: `selfdestruct` (or `suicide`) reachable by
//! any caller.
//!
//! # Facts used
//! - Resolution of `selfdestruct` and the pre-0.5 alias `suicide` to the
//!   built-in (a user function of the same name is not it).
//! - The call graph from every externally callable function (constructors
//!   excluded) to the statement, through internal functions and modifiers.
//! - Access control by behaviour on each such path: a dominating condition
//!   that reverts unless `msg.sender` equals a storage/immutable address or
//!   is a member of a storage set (`admins[msg.sender]`). Conditions on the
//!   arguments, on time or on balances are not access control.
//! - For each authority variable: every function that writes it, and
//!   whether that writer is itself constructor-only or protected by the
//!   same authority (the check is worthless if anyone can write the owner).

use bulwark_ir::facts::CallSiteKind;
use bulwark_report::{Confidence, Finding, Severity};

use crate::analysis::access::Access;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unprotected-selfdestruct",
    title: "Unprotected selfdestruct",
    severity: Severity::High,
    confidence: Confidence::High,
    swc: &["SWC-106"],
    applies_to: "all versions (`suicide` before 0.5.0)",
    summary: "Any caller can reach `selfdestruct`, sending the contract's whole ether balance \
where the call says and, for contracts created in the same transaction or before the Cancun \
upgrade, deleting its code.",
    what: r#"Reports `selfdestruct(...)` and its pre-0.5 alias `suicide(...)` when some externally
callable function reaches it — directly or through internal functions — without passing an
access check on `msg.sender`.

An access check is a condition that reverts unless `msg.sender` is a privileged address held
in storage (or an immutable), or a member of a privileged set, *and* that address or set can
only be changed by the constructor or by someone who already holds the privilege. A check
on the arguments (`to != address(0)`), on time, or on an owner variable that any caller can
overwrite does not protect the statement. The primary location is the `selfdestruct`; the
related location is the unprotected entry point (or the open write of the owner)."#,
    why: r#"`selfdestruct` transfers the contract's entire balance to the given address, bypassing
every accounting rule, and (before the Cancun upgrade, or for contracts created in the same
transaction since EIP-6780) removes the code so that every later call silently succeeds
without doing anything. In November 2017 an unprotected initialiser let a user take
ownership of the Parity multisig library and call its `kill`, freezing about 513,000 ether
in every wallet that depended on it."#,
    exploit: r#"```solidity
function emergencyExit(address payable to) external {
    require(to != address(0));
    selfdestruct(to);
}
```
1. The attacker calls `emergencyExit(attacker)`.
2. The non-zero check passes; the escrow's whole balance moves to the attacker.
3. Depositors, sellers and the arbiter are left with nothing, and (pre-Cancun) the escrow's
   code is gone, so later deposits to it are lost for good."#,
    fix: r#"Restrict the function to an authority that only the deployer can set, or remove
`selfdestruct` altogether (it is deprecated since 0.8.18 and, after EIP-6780, no longer
deletes code):
```solidity
function close() external {
    require(msg.sender == owner, "not owner"); // owner set in the constructor
    selfdestruct(payable(owner));
}
```
Also protect every function that can change `owner`."#,
    references: &[
        "https://swcregistry.io/docs/SWC-106",
        "https://eips.ethereum.org/EIPS/eip-6780",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#suicidal",
    ],
};

pub struct UnprotectedSelfdestruct;

impl Detector for UnprotectedSelfdestruct {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                if !matches!(call.kind, CallSiteKind::SelfDestruct { .. }) {
                    continue;
                }
                let Some(entry) = access.open_entry(f.decl, node) else {
                    continue;
                };
                let op = cx.snippet(f.file, call.span, 60);
                let entry_name = cx.qualified_name(entry);
                let through = if entry == f.decl {
                    String::new()
                } else {
                    format!(" through `{entry_name}`")
                };
                let guards = cx.ir.guards().of(cx.ir, f.decl);
                // A check that is there but reads an owner anyone can
                // rewrite: name the open write.
                let broken = guards
                    .sender_checks
                    .iter()
                    .filter(|c| !access.check_is_sound(c))
                    .flat_map(|c| c.state_vars.iter().copied())
                    .find_map(|v| access.open_write_of(v).map(|w| (v, w)));
                let message = match broken {
                    Some((var, _)) => format!(
                        "`{op}` in `{}` is reachable by any caller{through}: the check on `msg.sender` \
compares it with `{}`, which any caller can overwrite",
                        cx.qualified_name(f.decl),
                        cx.model.decl(var).name
                    ),
                    None => format!(
                        "`{op}` in `{}` is reachable by any caller{through}: nothing checks `msg.sender` \
on the way, so anyone can destroy the contract and take its ether",
                        cx.qualified_name(f.decl)
                    ),
                };
                let mut finding =
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span));
                if let Some((var, (writer, wnode))) = broken {
                    if let Some(w) = cx.ir.function_ir(writer) {
                        finding = finding.related(
                            cx.location_in(writer, w.cfg.node(wnode).span),
                            format!("`{}` written by any caller", cx.model.decl(var).name),
                        );
                    }
                }
                // The function declaration: where the missing (or broken)
                // restriction belongs.
                let d = cx.model.decl(entry);
                finding = finding.related(
                    cx.location_in(entry, d.name_span),
                    "unprotected entry point",
                );
                out.push(finding.build());
            }
        }
    }
}
