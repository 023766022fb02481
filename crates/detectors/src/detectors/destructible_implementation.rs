//! `destructible-implementation`: a contract meant to be initialised
//! (an implementation behind proxies, a shared wallet library) that anyone
//! can initialise on its own address, after which the new owner reaches a
//! `selfdestruct` or a `delegatecall` to code of their choice.
//!
//! # Facts used
//! - Unlocked initializers ([`unlocked_initializers`]): one-shot locked,
//!   storing caller input, and not run or disabled by any constructor.
//! - Statements reachable (in the contract, through internal calls and
//!   modifiers) from its entry points: `selfdestruct`/`suicide`, and
//!   `delegatecall`/`callcode` in Solidity or assembly whose target is not
//!   fixed (not `address(this)`, a constant or an immutable).
//! - The statement must be reachable without a *sound* sender check
//!   ([`Access`]): an authority the initializer writes is not sound, an
//!   immutable set at deployment is.
//! - A check comparing `address(this)` with a stored address on the way
//!   (`onlyProxy`, `notDelegated`) means the statement cannot run on the
//!   implementation itself, so the contract is not reported.

use bulwark_ir::cfg::{AsmCallKind, NodeIx};
use bulwark_ir::facts::{CallSiteKind, LowLevelOp};
use bulwark_ir::walk::unparen;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::DeclId;
use bulwark_syntax::ast::{BinaryOp, ExprKind, FunctionKind};

use crate::analysis::access::Access;
use crate::analysis::conditions::{atoms, is_guard, tested};
use crate::analysis::critical_state::CriticalState;
use crate::analysis::initializers::{unlocked_initializers, UnlockedInitializer};
use crate::analysis::locations::header_span;
use crate::analysis::provenance::{origins, Origin};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "destructible-implementation",
    title: "Implementation can be initialised and destroyed by anyone",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-106", "SWC-112"],
    applies_to: "all versions",
    summary: "Anyone can initialise this contract on its own address and then reach a \
`selfdestruct` or a `delegatecall` of their choice, destroying the code that proxies or \
wallets delegate to.",
    what: r#"Reports a deployable contract with a one-shot initializer that no constructor runs or
disables (see `missing-disable-initializers`), when one of its functions can reach
`selfdestruct`/`suicide`, or a `delegatecall`/`callcode` to an address that is not fixed
(not `address(this)`, a constant or an immutable), in Solidity or inline assembly.

Such a contract is, by its shape, code that others delegate to: a proxy implementation or a
shared library of wallets. Taking it over through its initializer gives the attacker
whatever authority the initializer sets, and with it the destructive statement. A check
that compares `address(this)` with a stored address on the way (OpenZeppelin's
`onlyProxy`/`notDelegated`) prevents the statement from running on the implementation
itself, so such paths are not reported.

The primary location is the destructive statement; the related locations are the
initializer anyone can call and the entry point that reaches the statement."#,
    why: r#"Proxies and wallets that `delegatecall` into destroyed code keep running, but every
call now succeeds without doing anything, and the funds they hold are frozen for good. In
November 2017 a user initialised the Parity multisig library (`initWallet`), became its
owner and called `kill`: 587 wallets holding about 513,000 ether were frozen. In 2021 the
same pattern was found in OpenZeppelin's UUPS implementation contracts, where
`upgradeToAndCall` on an uninitialised implementation could `delegatecall` into a
`selfdestruct`."#,
    exploit: r#"```solidity
contract WalletLibrary {
    function initWallet(address[] memory owners) public onlyUninitialized { ... }
    function kill(address payable to) external onlyOwners { selfdestruct(to); }
}
```
1. Every wallet delegates its logic to the single deployed `WalletLibrary`.
2. The attacker calls `initWallet([attacker])` on the library's own address: the lock
   only checks the library's storage, which nobody initialised.
3. The attacker calls `kill(attacker)`: the library's code is gone and every wallet that
   delegates to it is frozen."#,
    fix: r#"Disable initialisation of the implementation in its constructor, and keep
destructive operations out of code that others delegate to:
```solidity
constructor() {
    _disableInitializers();
}
```
For UUPS, use OpenZeppelin 4.3.2 or later, whose upgrade functions are `onlyProxy`."#,
    references: &[
        "https://swcregistry.io/docs/SWC-106",
        "https://github.com/openethereum/parity-ethereum/issues/6995",
        "https://github.com/OpenZeppelin/openzeppelin-contracts/security/advisories/GHSA-5vp3-v4hc-gx76",
    ],
};

/// A destructive statement reachable in a contract with an unlocked
/// initializer.
#[derive(Clone, Copy, Debug)]
pub struct Destructive {
    pub entry: DeclId,
    pub function: DeclId,
    pub node: NodeIx,
    pub span: bulwark_syntax::Span,
    pub selfdestruct: bool,
}

pub struct DestructibleImplementation;

impl Detector for DestructibleImplementation {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let critical = CriticalState::compute(cx);
        for contract in cx.model.contracts() {
            for u in unlocked_initializers(cx, &critical, contract.decl) {
                let Some(d) = destructive_path(cx, &u) else {
                    continue;
                };
                let what = if d.selfdestruct {
                    "destroy it"
                } else {
                    "make it delegatecall into code of their choice"
                };
                let message = format!(
                    "anyone can call `{}` on the deployed `{}` itself (no constructor runs or \
disables it), and then use `{}` to {what}: every proxy or wallet running this code would be \
bricked",
                    cx.qualified_name(u.initializer),
                    contract.ast.name.name,
                    cx.qualified_name(d.entry),
                );
                let finding =
                    FindingBuilder::new(&META, message, cx.location_in(d.function, d.span))
                        .related(
                            cx.location_in(u.initializer, header_span(cx, u.initializer)),
                            "initializer anyone can call on the implementation",
                        )
                        .related(
                            cx.location_in(d.entry, header_span(cx, d.entry)),
                            "entry point reaching the destructive statement",
                        );
                out.push(finding.build());
            }
        }
    }
}

/// The first destructive statement reachable from an entry point of the
/// contract without an `address(this)` check on the way.
pub fn destructive_path(cx: &AnalysisContext<'_>, u: &UnlockedInitializer) -> Option<Destructive> {
    let contract = cx.model.contract(u.contract)?;
    let graph = cx.ir.call_graph();
    // Whoever initialises the contract holds every authority it sets; a
    // statement is within their reach when no *sound* check (one on an
    // authority fixed at deployment) protects it.
    let access = Access::new(cx);
    for &entry in &contract.functions {
        let Some(info) = cx.model.function(entry) else {
            continue;
        };
        let callable = match info.kind {
            FunctionKind::Fallback | FunctionKind::Receive => true,
            FunctionKind::Function => info.is_externally_callable(),
            FunctionKind::Constructor | FunctionKind::Modifier => false,
        };
        if !info.has_body() || !callable {
            continue;
        }
        let reach = graph.reachable_in(cx.ir, Some(u.contract), entry);
        if reach.iter().any(|&g| checks_own_address(cx, g)) {
            continue;
        }
        for g in reach {
            let Some(f) = cx.ir.function_ir(g) else {
                continue;
            };
            for (node, call) in f.calls() {
                let selfdestruct = match &call.kind {
                    CallSiteKind::SelfDestruct { .. }
                    | CallSiteKind::Assembly(AsmCallKind::SelfDestruct) => true,
                    CallSiteKind::LowLevel {
                        op: LowLevelOp::DelegateCall | LowLevelOp::CallCode,
                        target,
                        ..
                    } => {
                        let fixed = f.expr(*target).is_some_and(|t| {
                            origins(cx, f, node, t)
                                .iter()
                                .all(|o| matches!(o, Origin::This | Origin::Fixed))
                        });
                        if fixed {
                            continue;
                        }
                        false
                    }
                    CallSiteKind::Assembly(AsmCallKind::DelegateCall | AsmCallKind::CallCode) => {
                        false
                    }
                    _ => continue,
                };
                if access.open_entry(g, node).is_none() {
                    continue;
                }
                return Some(Destructive {
                    entry,
                    function: g,
                    node,
                    span: call.span,
                    selfdestruct,
                });
            }
        }
    }
    None
}

/// Whether `function` holds a reverting check comparing `address(this)`
/// (or `this`) with something: the code refuses to run on the
/// implementation's own address (or insists on it).
fn checks_own_address(cx: &AnalysisContext<'_>, function: DeclId) -> bool {
    let Some(f) = cx.ir.function_ir(function) else {
        return false;
    };
    f.cfg.nodes().any(|(node, _)| {
        is_guard(f, node)
            && tested(f, node).into_iter().any(|cond| {
                let mut parts = Vec::new();
                atoms(cond, &mut parts);
                parts.into_iter().any(|atom| match &unparen(atom).kind {
                    ExprKind::Binary {
                        op: BinaryOp::Eq | BinaryOp::Ne,
                        lhs,
                        rhs,
                    } => [lhs, rhs].iter().any(|side| {
                        origins(cx, f, node, side)
                            .iter()
                            .any(|o| matches!(o, Origin::This))
                    }),
                    _ => false,
                })
            })
    })
}
