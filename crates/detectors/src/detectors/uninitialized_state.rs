//! `uninitialized-state`: a state variable that nothing ever writes — no
//! initializer, no constructor, no function, no assembly — yet is used as
//! an authority, a payment destination or a contract to call.
//!
//! # Facts used
//! - Every write of the variable in the project (taint's write table, which
//!   covers direct, element, pointer and assembly writes in every function
//!   and constructor) and its declaration's initializer.
//! - The roles of critical state ([`CriticalState`]): compared with
//!   `msg.sender`, receiving funds, or called. A never-written counter read
//!   as zero is often harmless and is not reported.

use bulwark_report::{Confidence, Finding, Severity};

use crate::analysis::critical_state::{CriticalState, Role};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "uninitialized-state",
    title: "Critical state variable never initialised",
    severity: Severity::High,
    confidence: Confidence::High,
    swc: &[],
    applies_to: "all versions",
    summary: "A state variable used as an owner, a payment destination or a contract to call is \
never assigned anywhere, so it is always zero.",
    what: r#"Reports a state variable that has no initializer and is written by no function,
constructor or assembly block of the project, when it is used:
- as an authority (compared with `msg.sender` in an access check),
- as a destination of ether or tokens, or
- as the address of a contract that is called.

The primary location is the use; the related location is the declaration. Variables only
read as numbers or flags are not reported: zero is often their intended start."#,
    why: r#"An address that is never set is `address(0)`. Payments to it are burned; calls to it
succeed without doing anything (or revert, freezing the function); access checks against it
either lock everyone out or, combined with `ecrecover` or a zero sender elsewhere, let
anyone in. The cause is usually a forgotten constructor line or a setter that was never
written."#,
    exploit: r#"```solidity
address payable public feeWallet;          // never assigned
function buy() external payable {
    uint256 fee = msg.value / 50;
    feeWallet.transfer(fee);               // sends to address(0)
    _mint(msg.sender, msg.value - fee);
}
```
1. Every purchase sends 2% to `address(0)`: the protocol's fee income is burned for as
   long as the contract lives.
2. Nobody can fix it: there is no setter, and the contract is not upgradeable."#,
    fix: r#"Assign the variable in the constructor (and make it `immutable` if it never changes),
or add a protected setter:
```solidity
address payable public immutable feeWallet;
constructor(address payable wallet) { require(wallet != address(0)); feeWallet = wallet; }
```"#,
    references: &[
        "https://github.com/crytic/slither/wiki/Detector-Documentation#uninitialized-state-variables",
    ],
};

pub struct UninitializedState;

impl Detector for UninitializedState {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let critical = CriticalState::compute(cx);
        let taint = cx.ir.taint();
        for var in critical.vars() {
            let Some(info) = cx.model.state_var(var) else {
                continue;
            };
            if info.ast.initializer.is_some() || !taint.writes_of(var).is_empty() {
                continue;
            }
            // Variables of abstract contracts and libraries may be set by
            // contracts outside the project.
            let Some(contract) = info.contract else {
                continue;
            };
            let deployable = cx
                .model
                .contracts()
                .iter()
                .filter(|c| c.state_vars.contains(&var))
                .any(|c| !c.is_abstract && c.kind == bulwark_syntax::ast::ContractKind::Contract);
            if !deployable {
                continue;
            }
            let Some(use_) = critical
                .uses(var)
                .iter()
                .filter(|u| u.role != Role::Switch)
                .min_by_key(|u| u.role)
                .copied()
            else {
                continue;
            };
            let Some(uf) = cx.ir.function_ir(use_.function) else {
                continue;
            };
            let name = &cx.model.decl(var).name;
            let message = format!(
                "`{}` is never assigned (no initializer, constructor, function or assembly writes \
it), so it is always zero, yet `{name}` {} in `{}`",
                cx.model.decl(var).name,
                use_.role.describe(),
                cx.qualified_name(use_.function)
            );
            out.push(
                FindingBuilder::new(
                    &META,
                    message,
                    cx.location_in(use_.function, uf.cfg.node(use_.node).span),
                )
                .related(
                    cx.location_in_contract(contract, info.file, cx.model.decl(var).name_span),
                    "declared without a value",
                )
                .build(),
            );
        }
    }
}
