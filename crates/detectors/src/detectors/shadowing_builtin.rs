//! `shadowing-builtin`: a declaration named like a Solidity built-in
//! (`now`, `assert`, `msg`, `ecrecover`, …), hiding it in its scope.
//!
//! # Facts used
//! - Every declaration of the model (state variables, functions,
//!   modifiers, events, locals, parameters, return variables) and its
//!   name: shadowing is a matter of names by definition.
//! - Overrides take their names from their base and are left out (the
//!   base is reported).
//! - The file's compiler: a name is only a built-in in the releases that
//!   have it (`now` before 0.7, `sha3`/`suicide` before 0.5, `blobhash`
//!   from 0.8.24, `gasleft` from 0.4.21, `blockhash` as a global from
//!   0.4.22).

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclKind, Version, VersionInfo};

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "shadowing-builtin",
    title: "Declaration shadows a built-in",
    severity: Severity::Informational,
    confidence: Confidence::High,
    swc: &[],
    applies_to: "all versions",
    summary: "A variable, function or event has the name of a Solidity built-in such as `now`, \
`assert` or `msg`, so code in its scope no longer refers to the built-in.",
    what: r#"Reports declarations named after a global of the language: `now`, `block`, `msg`,
`tx`, `abi`, `this`, `super`, `assert`, `require`, `revert`, `selfdestruct`, `suicide`,
`keccak256`, `sha3`, `sha256`, `ripemd160`, `ecrecover`, `addmod`, `mulmod`, `blockhash`,
`blobhash`, `gasleft` — each only in the compiler releases where it is a built-in (a
variable `now` is fine in 0.7 and later, where `now` no longer exists). Functions overriding
a base function are not reported again, nor are parameters of events, errors and functions
without a body, which nothing can refer to."#,
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
    references: &["https://docs.soliditylang.org/en/latest/units-and-global-variables.html"],
};

/// Names of built-in globals (functions and objects of the language),
/// with the releases that have them: `[since, until)`.
const BUILTIN_NAMES: &[(&str, Version, Version)] = &[
    ("now", ALWAYS, v(7, 0)),
    ("block", ALWAYS, NEVER),
    ("msg", ALWAYS, NEVER),
    ("tx", ALWAYS, NEVER),
    ("abi", v(4, 22), NEVER),
    ("this", ALWAYS, NEVER),
    ("super", ALWAYS, NEVER),
    ("assert", ALWAYS, NEVER),
    ("require", ALWAYS, NEVER),
    ("revert", ALWAYS, NEVER),
    ("selfdestruct", ALWAYS, NEVER),
    ("suicide", ALWAYS, v(5, 0)),
    ("keccak256", ALWAYS, NEVER),
    ("sha3", ALWAYS, v(5, 0)),
    ("sha256", ALWAYS, NEVER),
    ("ripemd160", ALWAYS, NEVER),
    ("ecrecover", ALWAYS, NEVER),
    ("addmod", ALWAYS, NEVER),
    ("mulmod", ALWAYS, NEVER),
    ("blockhash", v(4, 22), NEVER),
    ("blobhash", v(8, 24), NEVER),
    ("gasleft", v(4, 21), NEVER),
];

const fn v(minor: u16, patch: u16) -> Version {
    Version::new(0, minor, patch)
}
const ALWAYS: Version = Version::new(0, 0, 0);
const NEVER: Version = Version::new(1, 0, 0);

/// Whether `name` is a built-in for a file analysed under `info`.
/// Removals follow the effective release (`now` is gone in every 0.7),
/// additions the newest release of its series the pragma admits (code
/// for `^0.8.0` may be built with 0.8.24, where `blobhash` exists).
fn is_builtin(name: &str, info: &VersionInfo) -> bool {
    BUILTIN_NAMES.iter().any(|&(n, since, until)| {
        n == name && info.newest_compatible() >= since && info.effective < until
    })
}

pub struct ShadowingBuiltin;

impl Detector for ShadowingBuiltin {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for (id, decl) in cx.model.decls() {
            if !is_builtin(&decl.name, &cx.project.file(decl.file).version) {
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
            // Parameters of events, errors and bodiless functions open no
            // scope: nothing can refer to them.
            if matches!(decl.kind, DeclKind::Param | DeclKind::ReturnParam) {
                let scoped = decl
                    .container
                    .and_then(|c| cx.model.function(c))
                    .is_some_and(|f| f.has_body());
                if !scoped {
                    continue;
                }
            }
            let message = format!(
                "{what} `{}`{} shadows the built-in `{}`: in its scope the name no longer means \
the built-in",
                decl.name,
                owner_text(cx, id),
                decl.name
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

/// ` of `Contract.function`` for locals and parameters, ` in `Contract``
/// for members, for the message.
fn owner_text(cx: &AnalysisContext<'_>, id: bulwark_sema::DeclId) -> String {
    let decl = cx.model.decl(id);
    match decl.container {
        Some(owner) if cx.model.function(owner).is_some() => {
            format!(" of `{}`", cx.qualified_name(owner))
        }
        Some(owner) if cx.model.decl(owner).kind == DeclKind::Contract => {
            format!(" in `{}`", cx.model.decl(owner).name)
        }
        _ => String::new(),
    }
}
