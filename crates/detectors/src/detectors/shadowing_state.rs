//! `shadowing-state`: a state variable declared again, with the same name,
//! in a derived contract (allowed before Solidity 0.6).
//!
//! # Facts used
//! - Each contract's own state variables and its C3 linearization.
//! - The file's effective compiler version: from 0.6 redeclaring an
//!   inherited state variable is a compile error.
//! - Constants on both sides are values, not storage, and are left out.

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::VarMutability;

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "shadowing-state",
    title: "State variable shadows an inherited one",
    severity: Severity::Medium,
    confidence: Confidence::High,
    swc: &["SWC-119"],
    applies_to: "before 0.6.0 (a compile error since)",
    summary: "A contract declares a state variable with the same name as one of its base \
contracts, so the two name different storage and each contract's code uses its own.",
    what: r#"Reports a state variable of a contract compiled before 0.6.0 whose name is also the
name of a state variable of a base contract. The derived declaration does not replace the
base one: both exist, in different storage slots; the base contract's functions keep using
theirs and the derived contract's functions use the new one.

Constants (on either side) are not storage and are not reported."#,
    why: r#"The author usually means to *set* the inherited variable (a different owner, a
different fee), and the base contract's checks and payouts silently keep using the old,
often unset, value: access checks against an `owner` that is `address(0)` or the deployer
of a template, payouts to an unset wallet, limits that never apply."#,
    exploit: r#"```solidity
contract Owned {
    address owner;
    modifier onlyOwner() { require(msg.sender == owner); _; }
    function setOwner(address o) public onlyOwner { owner = o; }
}
contract Vault is Owned {
    address owner = 0x1234...;          // meant to configure Owned.owner
    function withdraw() public onlyOwner { msg.sender.transfer(this.balance); }
}
```
1. `Owned.owner` is never set: it is `address(0)`, and `Vault.owner` is a second variable
   that `onlyOwner` does not read.
2. The intended owner cannot withdraw — the funds are locked (or, with a base setter left
   unprotected, anyone can set `Owned.owner` and withdraw)."#,
    fix: r#"Remove the redeclaration and set the inherited variable, in the constructor:
```solidity
contract Vault is Owned {
    constructor() public { owner = msg.sender; }
}
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-119",
        "https://docs.soliditylang.org/en/v0.6.0/060-breaking-changes.html",
    ],
};

pub struct ShadowingState;

impl Detector for ShadowingState {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for contract in cx.model.contracts() {
            if cx.project.file(contract.file).version.effective.is_06() {
                continue;
            }
            for &own in &contract.own.state_vars {
                let Some(mine) = cx.model.state_var(own) else {
                    continue;
                };
                if mine.mutability == VarMutability::Constant {
                    continue;
                }
                let name = &cx.model.decl(own).name;
                let shadowed = contract.linearization.iter().skip(1).find_map(|&base| {
                    let b = cx.model.contract(base)?;
                    b.own.state_vars.iter().copied().find(|&v| {
                        cx.model.decl(v).name == *name
                            && cx
                                .model
                                .state_var(v)
                                .is_some_and(|s| s.mutability != VarMutability::Constant)
                    })
                });
                let Some(base_var) = shadowed else {
                    continue;
                };
                let base_contract = cx
                    .model
                    .enclosing_contract(base_var)
                    .map(|c| cx.model.decl(c).name.clone())
                    .unwrap_or_default();
                let message = format!(
                    "`{}.{name}` redeclares `{base_contract}.{name}`: they are two variables in \
different storage slots, and `{base_contract}`'s code keeps reading its own",
                    contract.ast.name.name
                );
                let base_decl = cx.model.decl(base_var);
                out.push(
                    FindingBuilder::new(
                        &META,
                        message,
                        cx.location_in_contract(
                            contract.decl,
                            contract.file,
                            cx.model.decl(own).name_span,
                        ),
                    )
                    .related(
                        cx.location(base_decl.file, base_decl.name_span),
                        "shadowed variable",
                    )
                    .build(),
                );
            }
        }
    }
}
