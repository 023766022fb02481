//! `default-public-visibility`: before Solidity 0.5 a function written
//! without a visibility specifier is public; reported when such a function
//! changes state for any caller.
//!
//! # Facts used
//! - The file's effective compiler version (the default changed in 0.5).
//! - The visibility as written (`None`) against the effective one.
//! - What the call can do ([`exposure`]) and whether anything on the way
//!   checks `msg.sender`.

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_syntax::ast::{ContractKind, FunctionKind};

use crate::analysis::exposure::{exposure, name_list};
use crate::analysis::locations::header_span;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "default-public-visibility",
    title: "Function public by default",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-100"],
    applies_to: "before 0.5.0",
    summary: "A function without a visibility specifier is public under this compiler, and it \
changes state for any caller without checking who calls.",
    what: r#"Reports, in files compiled with Solidity before 0.5.0, a contract function written
without `public`, `external`, `internal` or `private` when calling it writes state
(directly or through helpers), sends ether, self-destructs or delegatecalls, and no check
on `msg.sender` stands on the way.

Functions without visibility that only read state, and ones behind an access check, are
not reported: being public is then harmless, even if unintended. Constructors and fallback
functions are not concerned. From 0.5.0 on the compiler rejects a missing visibility."#,
    why: r#"Before 0.5.0 the default visibility was `public`. Helpers written without a specifier
— often meant as internal, such as `sendWinnings` or `initWallet` — became entry points
that anyone could call, skipping the checks of the functions that were supposed to call
them. The first Parity multisig hack started from such a function."#,
    exploit: r#"```solidity
function withdraw() public {
    require(block.timestamp > unlockTime);
    sendTo(msg.sender, balances[msg.sender]);
}
function sendTo(address to, uint256 amount) {   // no visibility: public
    to.transfer(amount);
}
```
1. The attacker calls `sendTo(attacker, this.balance)` directly.
2. The contract's whole balance moves to the attacker; the time lock and the balance check
   of `withdraw` never ran."#,
    fix: r#"Always write the visibility, and make helpers `internal` or `private`:
```solidity
function sendTo(address to, uint256 amount) internal {
    to.transfer(amount);
}
```
Compiling with 0.5.0 or later makes a missing visibility an error."#,
    references: &[
        "https://swcregistry.io/docs/SWC-100",
        "https://docs.soliditylang.org/en/v0.5.0/050-breaking-changes.html#explicitness-requirements",
    ],
};

pub struct DefaultPublicVisibility;

impl Detector for DefaultPublicVisibility {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for info in cx.model.functions() {
            let version = cx.project.file(info.file).version.effective;
            let in_contract = info
                .contract
                .and_then(|c| cx.model.contract(c))
                .is_some_and(|c| c.kind == ContractKind::Contract);
            if !version.default_function_visibility_public()
                || info.kind != FunctionKind::Function
                || !in_contract
                || !info.has_body()
                || info.ast.visibility.is_some()
            {
                continue;
            }
            let exposed = exposure(cx, info.decl);
            if !exposed.is_sensitive() || exposed.checks_caller {
                continue;
            }
            let effect = match (exposed.writes.is_empty(), exposed.moves_funds_or_code) {
                (false, true) => format!(
                    "writes {} and moves ether or code",
                    name_list(cx, &exposed.writes, 3)
                ),
                (false, false) => format!("writes {}", name_list(cx, &exposed.writes, 3)),
                _ => "moves ether or code".to_string(),
            };
            let message = format!(
                "`{}` has no visibility specifier, so under Solidity {version} it is public: any \
caller can run it, and it {effect} without checking `msg.sender`; declare it `internal` or \
`private` if it is a helper",
                cx.qualified_name(info.decl)
            );
            out.push(
                FindingBuilder::new(
                    &META,
                    message,
                    cx.location_in(info.decl, header_span(cx, info.decl)),
                )
                .build(),
            );
        }
    }
}
