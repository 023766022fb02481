//! `inline-assembly`: an inline assembly block that changes state or
//! transfers control, listed for review.
//!
//! # Facts used
//! - Assembly statements of function and modifier bodies (one CFG node
//!   each) and their summary: the opcodes that matter to a review
//!   (`sstore`, `call`, `delegatecall`, `selfdestruct`, …). Blocks doing
//!   none of them (arithmetic, memory and calldata handling, `extcodesize`,
//!   `chainid`, `staticcall`) are left out: they are the bulk of assembly
//!   in well-written libraries and cannot change state by themselves.

use bulwark_ir::cfg::{AsmCallKind, NodeKind};
use bulwark_report::{Confidence, Finding, Severity};

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "inline-assembly",
    title: "Inline assembly",
    severity: Severity::Informational,
    confidence: Confidence::High,
    swc: &[],
    applies_to: "all versions",
    summary: "The function uses inline assembly, which bypasses the compiler's type and \
memory-safety checks and deserves a line-by-line review.",
    what: r#"Reports each inline assembly block in a function or modifier that writes storage
(`sstore`, `tstore`), makes a state-changing call (`call`, `callcode`, `delegatecall`),
creates a contract or self-destructs, naming those operations so that reviewers can
prioritise.

Blocks that only compute, handle memory or calldata, read storage or the environment, or
make a `staticcall` are not reported: they are the bulk of the assembly of well-written
libraries (OpenZeppelin's `Math`, solmate's `FixedPointMathLib`) and cannot change state on
their own, so listing them would bury the blocks that can."#,
    why: r#"Assembly has no types, no overflow checks and no automatic memory management:
a wrong offset reads another variable, a missing mask leaves dirty bits, an unchecked call
result is ignored. It is often necessary and well written, but it is where reviews must be
most careful."#,
    exploit: r#"```solidity
function setOwner(address next) external onlyOwner {
    assembly { sstore(1, next) }   // slot 1 is `paused`, not `owner`
}
```
1. The layout changed in a refactoring; the hard-coded slot now holds another variable.
2. The owner is never changed, while `paused` receives an address and the contract's
   behaviour changes unexpectedly."#,
    fix: r#"Prefer Solidity where it costs little; keep assembly blocks small, commented and
tested, use `.slot`/`.offset` instead of numeric slots, and mark them
`("memory-safe")` only when they are:
```solidity
assembly { sstore(owner.slot, next) }
```"#,
    references: &[
        "https://docs.soliditylang.org/en/latest/assembly.html",
        "https://docs.soliditylang.org/en/latest/assembly.html#memory-safety",
    ],
};

pub struct InlineAssembly;

impl Detector for InlineAssembly {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (_, n) in f.cfg.nodes() {
                let NodeKind::Assembly(_) = n.kind else {
                    continue;
                };
                let mut ops: Vec<&str> = Vec::new();
                if let Some(summary) = &n.asm {
                    for (kind, name) in [
                        (AsmCallKind::SStore, "sstore"),
                        (AsmCallKind::Call, "call"),
                        (AsmCallKind::CallCode, "callcode"),
                        (AsmCallKind::DelegateCall, "delegatecall"),
                        (AsmCallKind::Create, "create"),
                        (AsmCallKind::Create2, "create2"),
                        (AsmCallKind::SelfDestruct, "selfdestruct"),
                        (AsmCallKind::TStore, "tstore"),
                    ] {
                        if summary.has(kind) {
                            ops.push(name);
                        }
                    }
                }
                if ops.is_empty() {
                    continue;
                }
                let message = format!(
                    "`{}` uses inline assembly that performs {}: review it by hand",
                    cx.qualified_name(f.decl),
                    ops.join(", ")
                );
                let source = &cx.project.file(f.file).source;
                // The first line of the block is enough to point at it.
                let start = n.span.start as usize;
                let end = source[start..n.span.end as usize]
                    .find('\n')
                    .map_or(n.span.end as usize, |i| start + i);
                out.push(
                    FindingBuilder::new(
                        &META,
                        message,
                        cx.location_in(f.decl, bulwark_syntax::Span::new(start, end)),
                    )
                    .build(),
                );
            }
        }
    }
}
