//! `unprotected-initializer`: an initializer with neither a one-shot lock
//! nor an access check, so that anyone can run it again and reset the
//! owner (or whatever else it sets up).
//!
//! # Facts used
//! - Writes of critical state (authorities, payees, call targets) reachable
//!   from the function with no sender check on the way, storing values the
//!   caller chooses ([`open_critical_writes`]).
//! - The absence of a one-shot lock: no check on storage that the call
//!   itself writes ([`crate::analysis::one_shot`]).
//! - The function's name (`init…`, `…_init`) as the evidence that it was
//!   meant to run once: without a lock, behaviour alone cannot tell a
//!   forgotten initializer lock from a setter that forgot its access check
//!   (the latter is `unprotected-critical-setter`).

use std::collections::BTreeMap;

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::DeclId;

use crate::analysis::access::Access;
use crate::analysis::critical_state::CriticalState;
use crate::analysis::critical_writes::{open_critical_writes, Chooser, CriticalWrite};
use crate::analysis::entry_paths::Protection;
use crate::analysis::initializers::{initializer_lock, InitializerLock};
use crate::analysis::locations::header_span;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unprotected-initializer",
    title: "Initializer callable again by anyone",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-105"],
    applies_to: "all versions",
    summary: "An initializer sets up the owner or other critical state but has no lock and no \
access check, so any caller can run it again and take the contract over.",
    what: r#"Reports a public or external function named like an initializer (`initialize`, `init`,
`initWallet`, `__Module_init`) that stores caller-chosen values into critical state — an
address or set compared with `msg.sender` in access checks, a payee, a contract that is
called — without a sender check on the way and without a one-shot lock.

A one-shot lock is recognised by behaviour: a check that reverts, not about `msg.sender`,
on storage the same call writes (`require(!initialized); initialized = true;`,
`require(owner == address(0))`, OpenZeppelin's `initializer` modifier including its
namespaced-storage form). Initializers *with* a lock are the subject of
`missing-disable-initializers` and `destructible-implementation`.

The name is used as evidence only: it is what says the function was meant to run once.
The same write in a function with another name is reported by
`unprotected-critical-setter`."#,
    why: r#"An initializer replaces the constructor in upgradeable implementations, clones and
libraries. Without a lock it is not an initializer but an open door: whoever calls it last
becomes the owner, resets the signers or the thresholds, and then uses every privileged
function. The first Parity multisig hack (July 2017, about 150,000 ether) was an
`initWallet` that any caller could reach again through the wallet's fallback."#,
    exploit: r#"```solidity
function initialize(address _owner, address _treasury) external {
    owner = _owner;
    treasury = _treasury;
}
function sweep() external {
    require(msg.sender == owner);
    payable(treasury).transfer(address(this).balance);
}
```
1. The protocol deploys the contract and calls `initialize(team, teamTreasury)`.
2. Users deposit ether.
3. The attacker calls `initialize(attacker, attacker)` and then `sweep()`."#,
    fix: r#"Lock the initializer so it runs once, and run it in the deployment transaction (or
disable it in the implementation's constructor):
```solidity
bool private initialized;
function initialize(address _owner) external {
    require(!initialized, "already initialized");
    initialized = true;
    owner = _owner;
}
```
With OpenZeppelin, inherit `Initializable` and mark the function `initializer`."#,
    references: &[
        "https://swcregistry.io/docs/SWC-105",
        "https://blog.openzeppelin.com/on-the-parity-wallet-multisig-hack-405a8c12e8f7",
        "https://docs.openzeppelin.com/upgrades-plugins/writing-upgradeable#initializers",
    ],
};

pub struct UnprotectedInitializer;

impl Detector for UnprotectedInitializer {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        let critical = CriticalState::compute(cx);
        let mut by_entry: BTreeMap<DeclId, Vec<CriticalWrite>> = BTreeMap::new();
        for w in open_critical_writes(cx, &access, &critical, Protection::AnySenderCheck) {
            if w.chooser == Chooser::Nobody || w.keyed_by_caller {
                continue;
            }
            by_entry.entry(w.path.entry).or_default().push(w);
        }
        for (entry, writes) in by_entry {
            if initializer_lock(cx, entry) != Some(InitializerLock::None) {
                continue;
            }
            let mut names: Vec<&str> = writes
                .iter()
                .map(|w| cx.model.decl(w.var).name.as_str())
                .collect();
            names.sort();
            names.dedup();
            let first = writes[0];
            let roles = critical
                .uses(first.var)
                .iter()
                .min_by_key(|u| (u.role, u.function == entry))
                .copied();
            let role_text = roles
                .map(|u| {
                    format!(
                        " (`{}` {} in `{}`)",
                        cx.model.decl(first.var).name,
                        u.role.describe(),
                        cx.qualified_name(u.function)
                    )
                })
                .unwrap_or_default();
            let message = format!(
                "`{}` sets {}{role_text} from its caller's input, and neither a lock nor a \
`msg.sender` check stops a second call: any caller can run it again and take these over",
                cx.qualified_name(entry),
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            let mut finding = FindingBuilder::new(
                &META,
                message,
                cx.location_in(entry, header_span(cx, entry)),
            );
            if let Some(wf) = cx.ir.function_ir(first.writer) {
                finding = finding.related(
                    cx.location_in(first.writer, wf.cfg.node(first.node).span),
                    format!("`{}` written here", cx.model.decl(first.var).name),
                );
            }
            if let Some(u) = roles {
                if let Some(uf) = cx.ir.function_ir(u.function) {
                    finding = finding.related(
                        cx.location_in(u.function, uf.cfg.node(u.node).span),
                        format!("`{}` {}", cx.model.decl(first.var).name, u.role.describe()),
                    );
                }
            }
            out.push(finding.build());
        }
    }
}
