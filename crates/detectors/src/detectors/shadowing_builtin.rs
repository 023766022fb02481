//! `shadowing-builtin`: a declaration named like a Solidity built-in
//! (`now`, `assert`, `msg`, `ecrecover`, …), hiding it in its scope.
//!
//! # Facts used
//! - Every declaration of the model (state variables, functions,
//!   modifiers, events, locals, parameters, return variables) and its
//!   name: shadowing is a matter of names by definition.
//! - Overrides take their names from their base and are left out (the
//!   base is reported).

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::DeclKind;

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "shadowing-builtin",
    title: "Declaration shadows a built-in",
    severity: Severity::Low,
    confidence: Confidence::High,
    swc: &["SWC-119"],
    applies_to: "all versions",
    summary: "A variable, function or event has the name of a Solidity built-in such as `now`, \
`assert` or `msg`, so code in its scope no longer refers to the built-in.",
    what: r#"Reports declarations named after a global of the language: `now`, `block`, `msg`,
`tx`, `abi`, `this`, `super`, `assert`, `require`, `revert`, `selfdestruct`, `suicide`,
`keccak256`, `sha3`, `sha256`, `ripemd160`, `ecrecover`, `addmod`, `mulmod`, `blockhash`,
`blobhash`, `gasleft`. Functions overriding a base function are not reported again."#,
    why: r#"Inside the scope of such a declaration, the name means the declaration: a local
`now` is not the block timestamp, a function `assert` may not revert, a parameter `msg` hides
`msg.sender`. Readers — and later maintainers — will assume the built-in."#,
    exploit: r#"```solidity
function require(bool condition) internal pure {}   // shadows the built-in
function withdraw(uint256 amount) external {
    require(balances[msg.sender] >= amount);       // calls the no-op above
    payable(msg.sender).transfer(amount);
}
```
1. A contributor "simplifies" error handling by declaring a local `require` helper that
   forgot to revert.
2. Every `require` in the contract now checks nothing: anyone can withdraw any amount."#,
    fix: r#"Rename the declaration:
```solidity
uint256 currentTime = block.timestamp;   // instead of `uint256 now = ...`
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-119",
        "https://docs.soliditylang.org/en/latest/units-and-global-variables.html",
    ],
};

/// Names of built-in globals (functions and objects of the language).
const BUILTIN_NAMES: &[&str] = &[
    "now", "block", "msg", "tx", "abi", "this", "super", "assert", "require", "revert",
    "selfdestruct", "suicide", "keccak256", "sha3", "sha256", "ripemd160", "ecrecover", "addmod",
    "mulmod", "blockhash", "blobhash", "gasleft",
];

pub struct ShadowingBuiltin;

impl Detector for ShadowingBuiltin {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for (id, decl) in cx.model.decls() {
            if !BUILTIN_NAMES.contains(&decl.name.as_str()) {
                continue;
            }
            let what = match decl.kind {
                DeclKind::StateVar => "state variable",
                DeclKind::Function => "function",
                DeclKind::Modifier => "modifier",
                DeclKind::Event => "event",
                DeclKind::LocalVar => "local variable",
                DeclKind::Param => "parameter",
                DeclKind::ReturnParam => "return variable",
                _ => continue,
            };
            if cx
                .model
                .function(id)
                .is_some_and(|f| !f.overrides.is_empty())
            {
                continue;
            }
            let message = format!(
                "{what} `{}` shadows the built-in `{}`: in its scope the name no longer means the \
built-in",
                decl.name, decl.name
            );
            let location = match decl.kind {
                DeclKind::LocalVar | DeclKind::Param | DeclKind::ReturnParam => {
                    match cx.model.decl(id).container {
                        Some(owner) if cx.model.function(owner).is_some() => {
                            cx.location_in(owner, decl.name_span)
                        }
                        _ => cx.location(decl.file, decl.name_span),
                    }
                }
                _ => match cx.model.enclosing_contract(id) {
                    Some(c) => cx.location_in_contract(c, decl.file, decl.name_span),
                    None => cx.location(decl.file, decl.name_span),
                },
            };
            out.push(FindingBuilder::new(&META, message, location).build());
        }
    }
}
