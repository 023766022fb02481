//! `outdated-compiler`: the pragma only admits compilers of a series
//! older than 0.8, which no longer receives fixes.
//!
//! # Facts used
//! - The releases the file's pragma admits, or the compiler the project's
//!   configuration pins ([`crate::analysis::pragma::admitted`]): the
//!   finding needs the *newest* of them to be older than 0.8.0, so a
//!   library pragma such as `>=0.5.0` that also admits current compilers
//!   is left alone.
//! - One finding per distinct pragma text (or configured compiler), in the
//!   first project source file carrying it, the other files related.

use bulwark_report::{classify_path, PathKind};
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{FileId, Version};
use bulwark_syntax::Span;

use crate::analysis::pragma::{admitted, solidity_pragma};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "outdated-compiler",
    title: "Outdated compiler series",
    severity: Severity::Informational,
    confidence: Confidence::High,
    swc: &["SWC-102"],
    applies_to: "0.4.x–0.7.x",
    summary: "The pragma only admits compilers older than 0.8.0, a series that no longer \
receives fixes and lacks checked arithmetic.",
    what: r#"Reports the `pragma solidity` of a file when even the newest release it admits is older
than 0.8.0 (`^0.4.24`, `=0.7.6`, `>=0.5.0 <0.8.0`), or when the project's configuration pins
such a compiler.

Files sharing the same pragma are reported once, at the first project source file, with the
others as related locations.
A pragma that also admits a current compiler (`>=0.5.0`, common in libraries) is not
reported: users can build it with a maintained release. Which admitted releases carry which
bug, and whether the code triggers it, is the `known-compiler-bug` detector's business."#,
    why: r#"Bug fixes only go into the current series: code pinned to 0.4–0.7 keeps every
compiler bug found since, and misses the protections added later — checked arithmetic
(0.8.0), the stricter rules on visibility, constructors and shadowing (0.5.0, 0.6.0). Readers
used to modern Solidity also assume those protections where they are absent."#,
    exploit: r#"```solidity
pragma solidity ^0.6.12;
contract Rewards {
    mapping(address => uint256) public points;
    function spend(uint256 amount) external {
        points[msg.sender] -= amount;    // wraps below zero in 0.6
    }
}
```
1. A contributor reads `spend` as if it were 0.8 code, where the subtraction reverts.
2. An account with no points calls `spend(1)`: its balance wraps to 2**256 - 1."#,
    fix: r#"Port the code to a current 0.8 release and pin it (remove `SafeMath` where checked
arithmetic replaces it, review `unchecked` blocks):
```solidity
pragma solidity 0.8.24;
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-102",
        "https://docs.soliditylang.org/en/latest/080-breaking-changes.html",
        "https://docs.soliditylang.org/en/latest/bugs.html",
    ],
};

pub struct OutdatedCompiler;

impl Detector for OutdatedCompiler {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        // One finding per distinct pragma (or configured compiler): the
        // advice is the same for every file carrying it, so a project
        // pinned to `^0.7.6` gets one finding, not one per file. The
        // finding sits in the first project source file (dependencies,
        // then tests and mocks, come last: the default scope hides them),
        // with the other files as related locations.
        let mut groups: Vec<PragmaGroup> = Vec::new();
        let mut files: Vec<&bulwark_sema::SourceFile> = cx.project.files.iter().collect();
        files.sort_by_key(|f| {
            let kind = classify_path(&f.rel_path);
            (
                f.is_dependency,
                kind != PathKind::Source,
                f.rel_path.clone(),
            )
        });
        for file in files {
            let Some(range) = admitted(file) else {
                continue;
            };
            if range.highest >= FIRST_CURRENT {
                continue;
            }
            let Some(pragma) = solidity_pragma(file) else {
                continue;
            };
            let newest = range.highest;
            let how = if range.configured {
                format!("the configured compiler {newest}")
            } else {
                format!(
                    "`pragma solidity {}` only admits {}",
                    pragma.value,
                    range.describe()
                )
            };
            let message = format!(
                "{how}: the 0.{} series no longer receives fixes and lacks checked arithmetic \
(0.8.0); move to a current 0.8 release",
                newest.minor
            );
            match groups.iter_mut().find(|(key, _, _)| *key == how) {
                Some((_, _, at)) => at.push((file.id, pragma.span)),
                None => groups.push((how, message, vec![(file.id, pragma.span)])),
            }
        }
        for (_, message, at) in groups {
            let others = at.len() - 1;
            let message = match others {
                0 => message,
                1 => format!("{message} (1 other file has the same pragma)"),
                n => format!("{message} ({n} other files have the same pragma)"),
            };
            let (first, rest) = at.split_first().expect("a group has a file");
            let mut finding = FindingBuilder::new(&META, message, cx.location(first.0, first.1));
            for &(file, span) in rest.iter().take(MAX_RELATED) {
                finding = finding.related(cx.location(file, span), "same pragma");
            }
            out.push(finding.build());
        }
    }
}

/// Files sharing one outdated pragma: (what is outdated, the message, where
/// each file states it).
type PragmaGroup = (String, String, Vec<(FileId, Span)>);

/// Files listed as related locations of one finding, at most.
const MAX_RELATED: usize = 20;

/// The first release of the maintained series.
const FIRST_CURRENT: Version = Version::new(0, 8, 0);
