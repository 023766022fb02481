//! `exposed-internal-function`: a public or external function whose name
//! marks it as internal (`_mint`, `_setOwner`) and that changes state for
//! any caller.
//!
//! # Facts used
//! - The declared visibility (public/external written explicitly; pre-0.5
//!   functions without visibility are `default-public-visibility`'s).
//! - The leading underscore of the name: the Solidity style convention
//!   for internal and private functions. This detector is about the gap
//!   between what the name promises and what the visibility does, so the
//!   name is the evidence of intent.
//! - What the call can do ([`exposure`]): state written (transitively),
//!   ether sent, `selfdestruct`, `delegatecall`; and whether anything on
//!   the way checks `msg.sender`.
//! - Functions that override a base or interface function take their name
//!   from it and are left out.

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_syntax::ast::{ContractKind, FunctionKind};

use crate::analysis::exposure::{exposure, name_list};
use crate::analysis::locations::header_span;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "exposed-internal-function",
    title: "Internal-looking function is public",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-100"],
    applies_to: "all versions",
    summary: "A function named like an internal helper (`_name`) is public or external, changes \
state, and checks nothing about its caller.",
    what: r#"Reports a `public` or `external` function whose name starts with an underscore — the
convention for `internal` and `private` functions — when calling it writes state variables
(directly or through helpers), sends ether, self-destructs or delegatecalls, and no check on
`msg.sender` stands on the way.

Not reported: functions that override a base or interface function (the name comes from
there), view and pure functions (they write nothing), functions behind an access check, and
pre-0.5 functions written without any visibility (see `default-public-visibility`)."#,
    why: r#"Helpers such as `_mint`, `_setOwner` or `_transfer` skip the checks their public
wrappers perform, because they expect to be called only after those checks. Marking one of
them `public` (a typo, a refactoring, a test hook left in) lets anyone call the helper
directly and skip every check."#,
    exploit: r#"```solidity
function mint(address to, uint256 amount) external onlyOwner { _mint(to, amount); }
function _mint(address to, uint256 amount) public {   // should be internal
    balanceOf[to] += amount;
    totalSupply += amount;
}
```
1. The attacker calls `_mint(attacker, 1e30)` directly.
2. They now hold almost the whole supply and sell it into every pool that lists the
   token."#,
    fix: r#"Make the helper `internal` (or `private`), or, if it must be callable from outside,
give it a name that says so and the same access control as its wrapper:
```solidity
function _mint(address to, uint256 amount) internal {
    balanceOf[to] += amount;
    totalSupply += amount;
}
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-100",
        "https://docs.soliditylang.org/en/latest/style-guide.html#underscore-prefix-for-non-external-functions-and-variables",
    ],
};

pub struct ExposedInternalFunction;

impl Detector for ExposedInternalFunction {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for info in cx.model.functions() {
            let name = &cx.model.decl(info.decl).name;
            let in_contract = info
                .contract
                .and_then(|c| cx.model.contract(c))
                .is_some_and(|c| c.kind == ContractKind::Contract);
            if info.kind != FunctionKind::Function
                || !in_contract
                || !info.has_body()
                || !name.starts_with('_')
                || info.ast.visibility.is_none()
                || !info.is_externally_callable()
                || !info.overrides.is_empty()
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
            let visibility =
                if info.ast.visibility == Some(bulwark_syntax::ast::Visibility::External) {
                    "external"
                } else {
                    "public"
                };
            let message = format!(
                "`{}` is named like an internal helper but is {visibility}: any caller can run it \
directly, and it {effect} without checking `msg.sender`",
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
