//! `locked-ether`: a contract accepts ether and has no way to send it out.
//!
//! # Facts used
//! - Per deployable contract (not interfaces, not abstract contracts,
//!   not libraries): the linearised set of functions, including inherited
//!   ones, and which are payable (payable functions, `receive`, a payable
//!   `fallback`, the unnamed `function () payable` before 0.6.0).
//! - Whether any function in the linearisation contains an ether exit:
//!   `transfer`, `send`, `call` with value (all syntaxes), `selfdestruct`
//!   / `suicide`, `delegatecall`/`callcode` (the delegate can send), or
//!   inline assembly `call`/`create`/`create2`/`selfdestruct` with
//!   non-zero value. Reachability of the exit is not required (a protected
//!   withdraw counts).
//! - The primary location is the contract declaration; the related
//!   locations are the payable entry points.

use bulwark_ir::cfg::AsmCallKind;
use bulwark_ir::facts::{CallSiteKind, LowLevelOp};
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Mutability};
use bulwark_syntax::ast::{ContractKind, FunctionKind};

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "locked-ether",
    title: "Ether locked in contract",
    severity: Severity::Medium,
    confidence: Confidence::High,
    swc: &[],
    applies_to: "all versions",
    summary: "The contract can receive ether through a payable function, `receive` or a payable \
fallback, but contains no code that can ever send ether out: every wei paid in is lost.",
    what: r#"Reports a deployable contract that has at least one payable entry point (own or
inherited) and no way for ether to leave: no `transfer`, `send`, value-carrying `call`,
`selfdestruct`/`suicide`, `delegatecall`/`callcode` (the delegated code could send ether),
or value-moving inline assembly, anywhere in its inheritance chain.

The primary location is the contract's declaration; related locations are its payable
entry points. Interfaces, abstract contracts and libraries are not reported. There is no
SWC entry for this weakness: SWC-132 (unexpected ether balance) is about contracts that
assume an exact balance, not about ether that cannot leave."#,
    why: r#"Contracts cannot be patched after deployment. If the only way out for ether was
forgotten — a refund that clears the record but never pays, a membership fee with a token
sweep but no ether withdrawal, a base contract that was meant to provide `withdraw` — the
funds are locked for good. Nobody steals them; everybody loses them."#,
    exploit: r#"```solidity
contract Crowdfund {
    mapping(address => uint256) public contributions;
    function contribute() external payable { contributions[msg.sender] += msg.value; }
    function refund() external {
        contributions[msg.sender] = 0;      // forgot to send the money back
    }
}
```
Backers contribute 500 ether. The campaign fails and each backer calls `refund()`: the
records are cleared, the 500 ether stay in the contract, and no function can ever move
them."#,
    fix: r#"Add (and test) a withdrawal path for every payable entry point, or remove `payable`
where no ether is expected:
```solidity
function refund() external {
    uint256 amount = contributions[msg.sender];
    contributions[msg.sender] = 0;
    (bool ok, ) = msg.sender.call{value: amount}("");
    require(ok, "refund failed");
}
```"#,
    references: &[
        "https://github.com/crytic/slither/wiki/Detector-Documentation#contracts-that-lock-ether",
        "https://swcregistry.io/docs/SWC-132",
    ],
};

pub struct LockedEther;

impl Detector for LockedEther {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for contract in cx.model.contracts() {
            if contract.kind != ContractKind::Contract || contract.is_abstract {
                continue;
            }
            let payable: Vec<DeclId> = contract
                .functions
                .iter()
                .copied()
                .chain(contract.fallback)
                .chain(contract.receive)
                .filter(|&d| {
                    cx.model.function(d).is_some_and(|f| {
                        f.mutability == Mutability::Payable
                            && f.kind != FunctionKind::Constructor
                            && (f.is_externally_callable()
                                || matches!(f.kind, FunctionKind::Fallback | FunctionKind::Receive))
                    })
                })
                .fold(Vec::new(), |mut acc, d| {
                    if !acc.contains(&d) {
                        acc.push(d);
                    }
                    acc
                });
            if payable.is_empty() || has_ether_exit(cx, contract.decl, &contract.linearization) {
                continue;
            }
            let decl = cx.model.decl(contract.decl);
            let names: Vec<String> = payable
                .iter()
                .map(|&d| format!("`{}`", cx.function_name(d)))
                .collect();
            let message = format!(
                "`{}` accepts ether through {} but no code in it or its bases can send ether out \
(no transfer, send, call with value, selfdestruct or delegatecall): every wei it receives is locked",
                decl.name,
                names.join(", ")
            );
            let mut finding = FindingBuilder::new(
                &META,
                message,
                cx.location_in_contract(contract.decl, decl.file, decl.name_span),
            );
            for &d in &payable {
                let fd = cx.model.decl(d);
                finding = finding.related(cx.location_in(d, fd.name_span), "payable entry point");
            }
            out.push(finding.build());
        }
    }
}

/// Whether some function or modifier of the contracts in `linearization`
/// can move ether out (or run code that can: delegatecall, library calls).
fn has_ether_exit(cx: &AnalysisContext<'_>, contract: DeclId, linearization: &[DeclId]) -> bool {
    let graph = cx.ir.call_graph();
    linearization.iter().any(|&c| {
        let Some(info) = cx.model.contract(c) else {
            return false;
        };
        info.own
            .functions
            .iter()
            .chain(&info.own.modifiers)
            // Internal library helpers (`Address.sendValue`,
            // `SafeTransferLib.safeTransferETH`) run in this contract.
            .flat_map(|&d| graph.reachable_in(cx.ir, Some(contract), d))
            .filter_map(|d| cx.ir.function_ir(d))
            .any(|f| {
                f.calls().any(|(_, call)| {
                    call.kind.sends_eth()
                        || matches!(
                            call.kind,
                            CallSiteKind::LowLevel {
                                op: LowLevelOp::DelegateCall | LowLevelOp::CallCode,
                                ..
                            } | CallSiteKind::Library { .. }
                                | CallSiteKind::Assembly(
                                    AsmCallKind::DelegateCall
                                        | AsmCallKind::CallCode
                                        | AsmCallKind::Create
                                        | AsmCallKind::Create2
                                        | AsmCallKind::SelfDestruct
                                )
                        )
                })
            })
    })
}
