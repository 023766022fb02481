//! `outdated-compiler`: the pragma allows a compiler older than 0.8.0, or
//! one with known serious code-generation bugs.
//!
//! # Facts used
//! - The lowest release the file's pragma admits (what an old toolchain
//!   may build it with; the effective version of the analysis).
//! - [`KNOWN_BUGS`]: a small table of compiler bugs rated medium or high by
//!   the Solidity team, each with the releases it affects (from the
//!   compiler's published bug list). Several need a specific feature (ABI
//!   coder v2, the optimiser, inline assembly) to matter; the message says
//!   which bugs the allowed version has, not that the code triggers them.

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::Version;
use bulwark_syntax::ast::PragmaKind;

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "outdated-compiler",
    title: "Outdated or buggy compiler version",
    severity: Severity::Informational,
    confidence: Confidence::High,
    swc: &["SWC-102"],
    applies_to: "all versions",
    summary: "The pragma allows a compiler older than 0.8.0, or one with known serious \
code-generation bugs.",
    what: r#"Reports the `pragma solidity` of a file when the lowest release it admits is older
than 0.8.0 (no checked arithmetic, many later safety fixes missing), or is affected by one
of the serious compiler bugs in Bulwark's table (optimiser and ABI re-encoding bugs of
0.5–0.8, such as the keccak caching bug fixed in 0.8.3, the storage write removal bug of
0.8.13–0.8.16, and the head overflow in ABI re-encoding fixed in 0.8.16).

Several of these bugs only matter when a feature is used (ABI coder v2, the optimiser,
inline assembly, immutables); the finding lists them so that a reviewer can check."#,
    why: r#"Compiler bugs produce bytecode that does not do what the source says, and no review
of the source finds them. Old compilers also lack protections the code may silently rely
on when it is read with modern eyes, such as reverting on overflow."#,
    exploit: r#"```solidity
pragma solidity ^0.8.0;     // admits 0.8.0 .. 0.8.2
function digest(bytes memory a) internal pure returns (bytes32 h1, bytes32 h2) {
    assembly {
        h1 := keccak256(add(a, 32), mload(a))
        mstore(add(a, 32), 0)
        h2 := keccak256(add(a, 32), mload(a))
    }
}
```
1. Built with 0.8.2 and the optimiser, the second `keccak256` may be replaced by the cached
   value of the first, although the memory changed (the keccak caching bug).
2. A Merkle proof or a signature check comparing the two hashes accepts what it should
   reject."#,
    fix: r#"Require a recent release without known serious bugs, and pin it:
```solidity
pragma solidity 0.8.24;
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-102",
        "https://docs.soliditylang.org/en/latest/bugs.html",
        "https://soliditylang.org/blog/category/security-alerts/",
    ],
};

/// A compiler bug: its name in the compiler's bug list, the first release
/// it affects (`None`: all earlier releases) and the release that fixed
/// it.
pub struct KnownBug {
    pub name: &'static str,
    pub introduced: Option<Version>,
    pub fixed: Version,
}

const fn v(minor: u16, patch: u16) -> Version {
    Version::new(0, minor, patch)
}

/// Bugs rated medium or high by the Solidity team, by release range.
pub const KNOWN_BUGS: &[KnownBug] = &[
    KnownBug { name: "MissingSideEffectsOnSelectorAccess", introduced: Some(v(6, 2)), fixed: v(8, 21) },
    KnownBug { name: "StorageWriteRemovalBeforeConditionalTermination", introduced: Some(v(8, 13)), fixed: v(8, 17) },
    KnownBug { name: "AbiReencodingHeadOverflowWithStaticArrayCleanup", introduced: Some(v(5, 8)), fixed: v(8, 16) },
    KnownBug { name: "DirtyBytesArrayToStorage", introduced: None, fixed: v(8, 15) },
    KnownBug { name: "InlineAssemblyMemorySideEffects", introduced: Some(v(8, 13)), fixed: v(8, 15) },
    KnownBug { name: "DataLocationChangeInInternalOverride", introduced: Some(v(6, 9)), fixed: v(8, 14) },
    KnownBug { name: "NestedCalldataArrayAbiReencodingSizeValidation", introduced: Some(v(5, 8)), fixed: v(8, 14) },
    KnownBug { name: "SignedImmutables", introduced: Some(v(6, 5)), fixed: v(8, 9) },
    KnownBug { name: "UserDefinedValueTypesBug", introduced: Some(v(8, 8)), fixed: v(8, 9) },
    KnownBug { name: "ABIDecodeTwoDimensionalArrayMemory", introduced: Some(v(4, 16)), fixed: v(8, 4) },
    KnownBug { name: "KeccakCaching", introduced: None, fixed: v(8, 3) },
    KnownBug { name: "EmptyByteArrayCopy", introduced: None, fixed: v(7, 4) },
    KnownBug { name: "DynamicArrayCleanup", introduced: None, fixed: v(7, 3) },
    KnownBug { name: "ImplicitConstructorCallvalueCheck", introduced: Some(v(4, 5)), fixed: v(6, 8) },
    KnownBug { name: "privateCanBeOverridden", introduced: Some(v(3, 0)), fixed: v(5, 17) },
];

/// The known bugs affecting `version`, newest first.
pub fn bugs_of(version: Version) -> Vec<&'static str> {
    KNOWN_BUGS
        .iter()
        .filter(|b| b.introduced.is_none_or(|i| version >= i) && version < b.fixed)
        .map(|b| b.name)
        .collect()
}

pub struct OutdatedCompiler;

impl Detector for OutdatedCompiler {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for file in &cx.project.files {
            let Some(req) = &file.version.requirement else {
                continue;
            };
            let Some(lowest) = req.lowest_known() else {
                continue;
            };
            let bugs = bugs_of(lowest);
            let old = !lowest.is_08();
            if bugs.is_empty() && !old {
                continue;
            }
            let Some(pragma) = file
                .parsed
                .unit
                .pragmas()
                .find(|p| p.kind == PragmaKind::Solidity)
            else {
                continue;
            };
            let mut reasons = Vec::new();
            if old {
                reasons.push("it predates 0.8.0 (no checked arithmetic)".to_string());
            }
            if !bugs.is_empty() {
                let shown: Vec<&str> = bugs.iter().take(4).copied().collect();
                let more = if bugs.len() > 4 {
                    format!(" and {} more", bugs.len() - 4)
                } else {
                    String::new()
                };
                reasons.push(format!(
                    "it has known compiler bugs ({}{more})",
                    shown.join(", ")
                ));
            }
            let message = format!(
                "`pragma solidity {}` admits {lowest}, and {}: require a recent release",
                pragma.value,
                reasons.join("; ")
            );
            out.push(FindingBuilder::new(&META, message, cx.location(file.id, pragma.span)).build());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bug_ranges_follow_the_table() {
        assert!(bugs_of(v(8, 2)).contains(&"KeccakCaching"));
        assert!(!bugs_of(v(8, 3)).contains(&"KeccakCaching"));
        assert!(bugs_of(v(8, 13)).contains(&"StorageWriteRemovalBeforeConditionalTermination"));
        assert!(!bugs_of(v(8, 12)).contains(&"StorageWriteRemovalBeforeConditionalTermination"));
        assert!(bugs_of(v(8, 24)).is_empty());
    }
}
