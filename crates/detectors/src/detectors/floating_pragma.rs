//! `floating-pragma`: a `pragma solidity` that admits several compiler
//! releases, in a file that defines a deployable contract.
//!
//! # Facts used
//! - The file's parsed version requirement: it is floating when more than
//!   one known release satisfies it (`^0.8.0`, `>=0.7.0 <0.9.0`);
//!   `0.8.20` or `=0.8.20` pins one.
//! - The file's contracts: files holding only interfaces, libraries and
//!   abstract contracts are meant to be compiled by their users' compiler
//!   and are left out (OpenZeppelin writes `^0.8.20` in its libraries on
//!   purpose).
//! - The project's configured compiler (`foundry.toml`'s `solc`): when it
//!   pins one release, the range of the pragma does not decide the build.

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, FileId};
use bulwark_syntax::ast::ContractKind;

use crate::analysis::pragma::{admitted, solidity_pragma};

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "floating-pragma",
    title: "Floating compiler version",
    severity: Severity::Informational,
    confidence: Confidence::High,
    swc: &["SWC-103"],
    applies_to: "all versions",
    summary: "The pragma accepts several compiler versions, so the deployed bytecode depends on \
whichever compiler happens to build it.",
    what: r#"Reports a `pragma solidity` directive that more than one released compiler satisfies
(`^0.8.0`, `>=0.7.0 <0.9.0`, `>0.8.4`) in a file defining at least one deployable contract.
Files made only of interfaces, libraries and abstract contracts are not reported: they are
meant to be built by their users' compilers, and a range is the right pragma for them
(OpenZeppelin's `^0.8.20`). Nor are files of a project whose configuration pins the compiler
(`solc = "0.8.24"` in `foundry.toml`): that setting, not the pragma, decides the build."#,
    why: r#"Tests and audits happen with one compiler; deployment may happen with another — a
newer one with different optimiser behaviour, or an older one with known bugs that the
range still admits. Pinning the version makes the audited bytecode the deployed bytecode."#,
    exploit: r#"```solidity
pragma solidity ^0.8.0;
contract Vault { /* audited with 0.8.20 */ }
```
1. The team audits and tests with 0.8.20.
2. A deployment pipeline on another machine builds with 0.8.13, which the pragma allows and
   which has an optimiser bug that removes a storage write before a conditional
   `return` in inline assembly.
3. The deployed vault behaves differently from the audited one."#,
    fix: r#"Pin the version the code was tested and audited with:
```solidity
pragma solidity 0.8.20;
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-103",
        "https://docs.soliditylang.org/en/latest/layout-of-source-files.html#version-pragma",
    ],
};

pub struct FloatingPragma;

impl Detector for FloatingPragma {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for file in &cx.project.files {
            // A compiler pinned by the project's configuration decides the
            // build whatever the pragma admits.
            let Some(range) = admitted(file).filter(|r| !r.is_pinned()) else {
                continue;
            };
            let Some(contract) = deployable_contract(cx, file.id) else {
                continue;
            };
            let Some(pragma) = solidity_pragma(file) else {
                continue;
            };
            let message = format!(
                "`pragma solidity {}` lets any compiler from {} to {} build the deployable \
contract `{}`: pin the version it was tested and audited with",
                pragma.value,
                range.lowest,
                range.highest,
                cx.model.decl(contract).name
            );
            out.push(
                FindingBuilder::new(&META, message, cx.location(file.id, pragma.span)).build(),
            );
        }
    }
}

/// The first contract of `file` that gets deployed as it is: neither an
/// interface nor a library nor abstract (the model's `is_abstract` also
/// covers pre-0.6 contracts left abstract by an unimplemented function).
fn deployable_contract(cx: &AnalysisContext<'_>, file: FileId) -> Option<DeclId> {
    cx.model
        .contracts()
        .iter()
        .find(|c| c.file == file && c.kind == ContractKind::Contract && !c.is_abstract)
        .map(|c| c.decl)
}
