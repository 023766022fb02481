//! `missing-disable-initializers`: a deployable contract whose one-shot
//! initializer nobody runs or disables at deployment, so the first caller
//! of the deployed instance initialises it (the implementation behind a
//! proxy, or a contract deployed and initialised in two transactions).
//!
//! # Facts used
//! - One-shot locks ([`crate::analysis::one_shot`]): a check on storage
//!   that the same call writes (OpenZeppelin's `initializer` included, in
//!   both its state-variable and its namespaced-storage forms).
//! - Whether the initializer stores values the caller chooses.
//! - Whether any constructor of the contract's linearization writes the
//!   lock (`_disableInitializers()`, or calling the initializer).
//! - Contracts where the attacker's new authority reaches `selfdestruct`
//!   or `delegatecall` are left to `destructible-implementation`.

use bulwark_report::{Confidence, Finding, Severity};

use crate::analysis::critical_state::CriticalState;
use crate::analysis::initializers::unlocked_initializers;
use crate::analysis::locations::header_span;
use crate::detector::{AnalysisContext, Detector};
use crate::detectors::destructible_implementation::destructive_path;
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "missing-disable-initializers",
    title: "Initializer left open on the deployed contract",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-105"],
    applies_to: "all versions",
    summary: "A deployable contract relies on a one-shot initializer, but its constructor neither \
runs nor disables it, so whoever calls it first on the deployed instance becomes its owner.",
    what: r#"Reports a non-abstract contract with a public initializer — a function locked to run
once (`initializer` modifier, `require(!initialized)`), storing values its caller picks —
when no constructor in the contract's inheritance chain writes the lock: no
`_disableInitializers()`, no call of the initializer, no `initialized = true`.

This is the normal state of an implementation contract written for a proxy that forgot
`_disableInitializers()`, and of a contract meant to be deployed, then initialised in a
second transaction. When the authority the initializer grants can reach `selfdestruct` or
`delegatecall`, the contract is reported by `destructible-implementation` instead (high
severity). The primary location is the constructor (where the fix goes), or the contract
name when it has none."#,
    why: r#"On an implementation behind a proxy, the proxy's storage is initialised, the
implementation's own storage is not. Anyone can call `initialize` on the implementation and
become its owner. What that gives them depends on the code: at best nothing, at worst the
right to upgrade or destroy the code every proxy runs (the 2021 UUPS vulnerability in
OpenZeppelin 4.1–4.3.1, the 2017 Parity library freeze). For a contract initialised in a
separate transaction, an attacker watching the mempool initialises it first."#,
    exploit: r#"```solidity
contract Vault is Initializable, OwnableUpgradeable {
    function initialize(address admin) external initializer { __Ownable_init(admin); }
    // no constructor
}
```
1. The team deploys `Vault` as the implementation and a proxy pointing at it, and
   initialises the proxy.
2. The attacker calls `initialize(attacker)` directly on the implementation address.
3. The attacker now owns the implementation: any owner-only path that reaches a
   `delegatecall` or `selfdestruct`, or that a future upgrade adds, is theirs."#,
    fix: r#"Disable initializers in the implementation's constructor:
```solidity
/// @custom:oz-upgrades-unsafe-allow constructor
constructor() {
    _disableInitializers();
}
```
For contracts deployed without a proxy, initialise in the constructor or in the same
transaction as the deployment (a factory)."#,
    references: &[
        "https://docs.openzeppelin.com/contracts/5.x/api/proxy#Initializable-_disableInitializers--",
        "https://github.com/OpenZeppelin/openzeppelin-contracts/security/advisories/GHSA-5vp3-v4hc-gx76",
        "https://swcregistry.io/docs/SWC-105",
    ],
};

pub struct MissingDisableInitializers;

impl Detector for MissingDisableInitializers {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let critical = CriticalState::compute(cx);
        for contract in cx.model.contracts() {
            for u in unlocked_initializers(cx, &critical, contract.decl) {
                if destructive_path(cx, &u).is_some() {
                    continue;
                }
                let own_constructor = contract.constructor;
                let primary = match own_constructor {
                    Some(ctor) => cx.location_in(ctor, header_span(cx, ctor)),
                    None => cx.location_in_contract(
                        contract.decl,
                        contract.file,
                        header_span(cx, contract.decl),
                    ),
                };
                let where_ = if own_constructor.is_some() {
                    "its constructor neither runs nor disables it"
                } else {
                    "it has no constructor that runs or disables it"
                };
                let message = format!(
                    "`{}` is initialised by `{}`, which runs once but for whoever calls it first, \
and {where_}: anyone can initialise the deployed `{}` (add `_disableInitializers()` or set `{}` \
in the constructor)",
                    contract.ast.name.name,
                    cx.qualified_name(u.initializer),
                    contract.ast.name.name,
                    cx.model.decl(u.lock.key.decl()).name,
                );
                let mut finding = FindingBuilder::new(&META, message, primary).related(
                    cx.location_in(u.initializer, header_span(cx, u.initializer)),
                    "initializer callable by anyone once",
                );
                if let Some(lf) = cx.ir.function_ir(u.lock.function) {
                    finding = finding.related(
                        cx.location_in(u.lock.function, lf.cfg.node(u.lock.node).span),
                        "one-shot lock",
                    );
                }
                out.push(finding.build());
            }
        }
    }
}
