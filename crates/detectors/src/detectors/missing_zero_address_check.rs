//! `missing-zero-address-check`: a critical address set from an argument
//! without rejecting `address(0)`.
//!
//! # Facts used
//! - Critical variables by use ([`CriticalState`]): owners and other
//!   authorities, payees, contracts that are called.
//! - Writes of such a variable in an externally callable function (or a
//!   helper it calls with its argument) whose stored value is, through
//!   locals and conversions, exactly a parameter.
//! - Comparisons of that parameter with zero in the function
//!   (`require(a != address(0))`, `if (a == address(0)) revert`).
//! - Constructors are left out: a wrong deployment shows at once and is
//!   redeployed.

use std::collections::HashSet;

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::DeclId;
use bulwark_syntax::ast::ExprKind;

use crate::analysis::access::Access;
use crate::analysis::critical_state::{is_identity, CriticalState, Role};
use crate::analysis::critical_writes::{open_critical_writes, Chooser};
use crate::analysis::entry_paths::Protection;
use crate::analysis::provenance::{origins, Origin};
use crate::analysis::values::{depends_on, is_zero, tested_comparisons};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "missing-zero-address-check",
    title: "Critical address set without a zero check",
    severity: Severity::Low,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "A function sets an owner, a payee or a called contract from its argument without \
rejecting `address(0)`, so one mistaken call loses the role or the funds for good.",
    what: r#"Reports a write of a critical address — compared with `msg.sender` in access checks,
receiving funds, or called — in a public or external function (or a helper it passes its
argument to), when the stored value is exactly a parameter and the function never compares
that parameter with zero.

Guarded setters are reported too: the check protects against the authorised caller's
mistakes, not against attackers. Constructors are not reported. Whether `address(0)` is
a deliberate "renounce" value is for the reader to judge (the confidence is medium)."#,
    why: r#"An empty field in a script or a front end, a failed lookup or a typo in a
deployment file sends `address(0)`. Written to an owner, it locks every privileged function
forever; to a fee recipient, it burns the fees; to an oracle or a token address, it makes
every call revert or silently do nothing."#,
    exploit: r#"```solidity
function setTreasury(address next) external onlyOwner {
    treasury = next;                   // no zero check
}
function sweep() external { payable(treasury).transfer(address(this).balance); }
```
1. A deployment script reads the new treasury from an environment variable that is not
   set and calls `setTreasury(address(0))`.
2. The next `sweep()` (callable by anyone) burns the whole balance."#,
    fix: r#"Reject zero explicitly (and emit an event):
```solidity
function setTreasury(address next) external onlyOwner {
    require(next != address(0), "zero treasury");
    emit TreasuryChanged(treasury, next);
    treasury = next;
}
```"#,
    references: &[
        "https://github.com/crytic/slither/wiki/Detector-Documentation#missing-zero-address-validation",
        "https://docs.openzeppelin.com/contracts/5.x/api/access#Ownable-transferOwnership-address-",
    ],
};

pub struct MissingZeroAddressCheck;

impl Detector for MissingZeroAddressCheck {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        let critical = CriticalState::compute(cx);
        let mut reported: HashSet<(DeclId, DeclId)> = HashSet::new();
        for w in open_critical_writes(cx, &access, &critical, Protection::None) {
            let var = w.var;
            // The entry point's caller picks the address (not a helper
            // called with a constant, as `renounceOwnership` does).
            if w.element
                || w.chooser != Chooser::Argument
                || !cx.model.state_var(var).is_some_and(|s| is_identity(&s.ty))
            {
                continue;
            }
            let roles = critical.roles(var);
            if !roles.iter().any(|r| *r != Role::Switch) {
                continue;
            }
            let (Some(writer), Some(entry)) =
                (cx.ir.function_ir(w.writer), cx.ir.function_ir(w.path.entry))
            else {
                continue;
            };
            let Some(write) = writer
                .facts(w.node)
                .state_writes
                .iter()
                .find(|a| a.var == var)
            else {
                continue;
            };
            let Some(value) = write.value.and_then(|v| writer.expr(v)) else {
                continue;
            };
            // The stored value is a parameter of the writer.
            let from = origins(cx, writer, w.node, value);
            let [Origin::Param(i)] = from.as_slice() else {
                continue;
            };
            let Some(&param) = cx.model.function(w.writer).and_then(|f| f.params.get(*i)) else {
                continue;
            };
            // A zero check in the writer on the parameter, or in the entry
            // point on anything the stored value comes from.
            let checked_in = |f: &bulwark_ir::FunctionIr<'_>, p: DeclId| {
                tested_comparisons(f).into_iter().any(|(at, atom)| {
                    let ExprKind::Binary { lhs, rhs, .. } = &atom.kind else {
                        return false;
                    };
                    (depends_on(cx, f, at, lhs, p) && is_zero(cx, f, rhs))
                        || (depends_on(cx, f, at, rhs, p) && is_zero(cx, f, lhs))
                })
            };
            let entry_params = cx
                .model
                .function(w.path.entry)
                .map(|f| f.params.clone())
                .unwrap_or_default();
            if checked_in(writer, param) || entry_params.iter().any(|&p| checked_in(entry, p)) {
                continue;
            }
            if !reported.insert((var, w.path.entry)) {
                continue;
            }
            let name = &cx.model.decl(var).name;
            let message = format!(
                "`{}` sets `{name}` from `{}` without rejecting `address(0)`; `{name}` {}",
                cx.qualified_name(w.path.entry),
                cx.model.decl(param).name,
                roles
                    .iter()
                    .find(|r| **r != Role::Switch)
                    .map(|r| r.describe())
                    .unwrap_or_default(),
            );
            out.push(
                FindingBuilder::new(
                    &META,
                    message,
                    cx.location_in(w.writer, writer.cfg.node(w.node).span),
                )
                .build(),
            );
        }
    }
}
