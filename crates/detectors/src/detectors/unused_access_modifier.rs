//! `unused-access-modifier`: a contract declares a modifier that checks the
//! caller against a stored role but applies it nowhere, while an open
//! function is the only writer of some contract-wide setting — most likely
//! the function that was meant to carry it.
//!
//! # Facts used
//! - Modifiers of a deployable (non-abstract) contract whose body checks
//!   `msg.sender` against a state variable (IR guards, recognised by
//!   behaviour), applied by no function of the project (nor overridden by
//!   one that is). Abstract bases declare modifiers for derived contracts
//!   that may live elsewhere.
//! - Functions of the same contract: externally callable, state-changing,
//!   with no sender check of their own (IR guards), that write a scalar
//!   state variable (not a mapping or array entry) that no other open
//!   function of the contract writes — a setting only this function
//!   changes (`rewardRate`, `periodFinish`), including through its
//!   modifiers and helpers.

use std::collections::HashSet;

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, ModifierTarget, Mutability, Type};
use bulwark_syntax::ast::FunctionKind;

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unused-access-modifier",
    title: "Access modifier declared but never applied",
    severity: Severity::Medium,
    confidence: Confidence::Low,
    swc: &["SWC-105"],
    applies_to: "all versions",
    summary: "A modifier restricts callers to a stored role (`onlyDistributor`), but no function \
uses it, and an unrestricted function is the only one that changes a contract-wide setting: \
that function was most likely meant to carry the modifier.",
    what: r#"Reports, for a modifier that checks `msg.sender` against a state variable and that no
function applies, each function of the same contract that
- is public or external and changes state,
- makes no sender check of its own (directly, through modifiers or helpers), and
- is the only open function of the contract that writes some scalar state variable (a rate,
  a period end, a fee), through its modifiers and helpers too.

Modifiers of abstract contracts are left out: they are declared for derived contracts, which
may live outside the project. The confidence is low: the detector knows that a restriction is missing from the contract, not
which function the author meant to restrict; it points at functions that alone change a
setting. Per-user state (mapping and array entries) does not make a function a candidate."#,
    why: r#"A declared but unused access modifier is the trace of a forgotten restriction. The
usual victim is an administrative entry point that looks like an ordinary function —
`notifyRewardAmount` in a Synthetix-style staking contract, `setPrice`, `sync` — which anyone
can then call to reset a reward period, dilute the rate or change a parameter. SWC-105
(unprotected ether withdrawal) and the wider missing-access-control class."#,
    exploit: r#"```solidity
modifier onlyDistributor() { require(msg.sender == rewardsDistributor); _; }

function notifyRewardAmount(uint256 reward) external updateReward(address(0)) {
    rewardRate = reward / rewardsDuration;
    periodFinish = block.timestamp + rewardsDuration;
}
```
1. Anyone calls `notifyRewardAmount(0)` in the middle of a reward period.
2. The remaining rewards are spread over a new full period at a lower rate, again and again:
   stakers' rewards are delayed indefinitely."#,
    fix: r#"Apply the modifier to the function that needs it, or delete the modifier if the function
is meant to be open:
```solidity
function notifyRewardAmount(uint256 reward) external onlyDistributor updateReward(address(0)) { ... }
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-105",
        "https://github.com/Synthetixio/synthetix/blob/develop/contracts/StakingRewards.sol",
    ],
};

pub struct UnusedAccessModifier;

impl Detector for UnusedAccessModifier {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let mut used: HashSet<DeclId> = HashSet::new();
        for info in cx.model.functions() {
            for m in &info.modifiers {
                if let ModifierTarget::Modifier(d) = m.target {
                    used.insert(d);
                    if let Some(mi) = cx.model.function(d) {
                        used.extend(mi.overrides.iter().copied());
                    }
                }
            }
        }
        let guards = cx.ir.guards();
        for m in cx.model.functions() {
            if !m.is_modifier() || !m.has_body() || used.contains(&m.decl) {
                continue;
            }
            let Some(contract) = m.contract else {
                continue;
            };
            // An abstract base declares modifiers for contracts that derive
            // from it, which may live outside the project.
            if cx.model.contract(contract).is_none_or(|c| {
                c.is_abstract || c.kind != bulwark_syntax::ast::ContractKind::Contract
            }) {
                continue;
            }
            let checks = guards.of(cx.ir, m.decl).sender_checks;
            if !checks.iter().any(|c| !c.state_vars.is_empty()) {
                continue;
            }
            // Open functions of the contract and what each writes.
            let open: Vec<(DeclId, Vec<DeclId>)> = cx
                .model
                .functions()
                .iter()
                .filter(|g| {
                    g.contract == Some(contract)
                        && g.is_externally_callable()
                        && !g.is_modifier()
                        && g.kind == FunctionKind::Function
                        && !matches!(g.mutability, Mutability::View | Mutability::Pure)
                        && g.has_body()
                        && guards.of(cx.ir, g.decl).sender_checks.is_empty()
                })
                .map(|g| {
                    let writes = cx
                        .ir
                        .access()
                        .transitive(cx.ir, Some(contract), g.decl)
                        .writes
                        .iter()
                        .copied()
                        .filter(|&v| {
                            cx.model.state_var(v).is_some_and(|s| {
                                !matches!(s.ty, Type::Mapping { .. } | Type::Array { .. })
                                    && s.contract == Some(contract)
                            })
                        })
                        .collect();
                    (g.decl, writes)
                })
                .collect();
            for (g, writes) in &open {
                let Some(&only) = writes
                    .iter()
                    .find(|v| open.iter().all(|(h, hw)| h == g || !hw.contains(v)))
                else {
                    continue;
                };
                let Some(ginfo) = cx.model.function(*g) else {
                    continue;
                };
                let span = ginfo.ast.name.as_ref().map_or(ginfo.ast.span, |n| n.span);
                let message = format!(
                    "`{}` is the only open function that changes `{}`, and the modifier `{}`, which \
checks the caller, is applied nowhere: if `{}` was meant to be restricted, add the modifier",
                    cx.qualified_name(*g),
                    cx.model.decl(only).name,
                    cx.model.decl(m.decl).name,
                    cx.function_name(*g),
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(*g, span))
                        .related(
                            cx.location_in(
                                m.decl,
                                m.ast.name.as_ref().map_or(m.ast.span, |n| n.span),
                            ),
                            "the unused access modifier",
                        )
                        .build(),
                );
            }
        }
    }
}
