//! `array-length-storage-write`: before 0.6 a caller can make a storage
//! array's length huge (underflowing `length--`, or setting `length`),
//! then write any storage slot through an index they choose.
//!
//! # Facts used
//! - The file's effective compiler version: `length` is writable before
//!   0.6.0.
//! - Length changes from [`crate::analysis::arrays`]: legacy `length--` /
//!   `length -= n` with no check that the array holds enough elements (a
//!   tautology such as `0 <= arr.length` does not count), and `length = n`
//!   with `n` chosen by the caller; reachable by any caller.
//! - Element writes of the same array (`arr[i] = v`, `arr[i].f = v`) with a
//!   caller-influenced index, reachable by any caller.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::AccessHow;
use bulwark_ir::taint::Source;
use bulwark_ir::walk::walk_expr;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Version};
use bulwark_syntax::ast::ExprKind;

use crate::analysis::access::Access;
use crate::analysis::arrays::{
    is_nonempty_check, length_comparisons, length_sites, names_var, LengthChange, LengthSite,
};
use crate::analysis::critical_writes::index_keys;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "array-length-storage-write",
    title: "Arbitrary storage write through an array length",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-124"],
    applies_to: "before 0.6.0 (where an array's `length` is writable)",
    summary: "Any caller can give a storage array an enormous length and then write an element \
at an index of their choice, which lands on any storage slot — the owner included.",
    what: r#"Reports, in files compiled before 0.6.0, a write of an element of a dynamic storage
array at a caller-influenced index (`codes[idx] = c`) when any caller can also blow up that
array's length: a `length--` (or `length -= n`) with no real check that the array is
non-empty — it underflows to 2^256 - 1 — or `length = n` with `n` they choose. The related
locations show the length change and any check that fails to prevent it.

Not reported: 0.6.0 and later (`length` is read-only and `pop()` reverts on an empty array);
decrements behind `require(arr.length > 0)`; length changes only the owner can make."#,
    why: r#"Elements of a dynamic array live at `keccak256(slot) + index`. With the length at
2^256 - 1 every index passes the bounds check, and since the addition wraps, a suitable index
reaches any storage slot of the contract: the attacker overwrites `owner` (or a balance) and
takes the contract over. SWC-124 (write to arbitrary storage location)."#,
    exploit: r#"```solidity
function popCode() public { require(0 <= codes.length); codes.length--; }
function setCode(uint idx, uint c) public { require(idx < codes.length); codes[idx] = c; }
```
1. The attacker calls `popCode()` on the empty array: the length wraps to 2^256 - 1.
2. They compute `idx = 2^256 - uint(keccak256(slotOf(codes))) + slotOf(owner)`.
3. `setCode(idx, uint(attacker))` passes the bounds check and overwrites `owner`."#,
    fix: r#"Use `pop()` and `push()` (checked), compile with 0.6.0 or later, or check the length
before shrinking it and never let callers set it:
```solidity
require(codes.length > 0);
codes.length--;
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-124",
        "https://capturetheether.com/challenges/math/mapping/",
    ],
};

pub struct ArrayLengthStorageWrite;

impl Detector for ArrayLengthStorageWrite {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        let taint = cx.ir.taint();
        // Arrays whose length any caller can blow up, with the statement.
        let mut blown: Vec<LengthSite> = Vec::new();
        for f in cx.ir.functions() {
            if cx.project.file(f.file).version.effective >= Version::new(0, 6, 0) {
                continue;
            }
            for site in length_sites(cx, f) {
                let dangerous = match site.change {
                    LengthChange::SetByCaller => true,
                    LengthChange::Shrink => {
                        !length_comparisons(cx, f, site.node, site.var)
                            .iter()
                            .any(|&(_, cmp)| is_nonempty_check(cx, f.file, cmp, site.var))
                            && !element_accessed_before(cx, f, site.node, site.var)
                    }
                    LengthChange::Grow => false,
                };
                if dangerous
                    && !blown.iter().any(|b| b.var == site.var)
                    && access.open_entry(f.decl, site.node).is_some()
                {
                    blown.push(site);
                }
            }
        }
        if blown.is_empty() {
            return;
        }
        for f in cx.ir.functions() {
            for (node, w) in f.state_writes() {
                if w.how != AccessHow::Element {
                    continue;
                }
                let Some(site) = blown.iter().find(|b| b.var == w.var) else {
                    continue;
                };
                let chosen_index = index_keys(f, node, w).first().is_some_and(|k| {
                    taint
                        .expr(cx.ir, f.decl, k.id)
                        .has_any(&[Source::Param, Source::StoredInput])
                });
                if !chosen_index || access.open_entry(f.decl, node).is_none() {
                    continue;
                }
                let name = &cx.model.decl(w.var).name;
                let how = match site.change {
                    LengthChange::SetByCaller => "set to a value they choose",
                    _ => "decremented below zero, wrapping to 2^256 - 1",
                };
                let message = format!(
                    "`{}` writes `{name}` at an index the caller chooses, and any caller can make the \
length of `{name}` huge through `{}` ({how}): the index then reaches any storage slot, such as \
the owner",
                    cx.qualified_name(f.decl),
                    cx.qualified_name(site.function),
                );
                let span = f.cfg.node(node).span;
                let mut finding = FindingBuilder::new(&META, message, cx.location_in(f.decl, span))
                    .related(
                        cx.location_in(site.function, site.span),
                        format!("length of `{name}` changed by any caller"),
                    );
                if let Some(g) = cx.ir.function_ir(site.function) {
                    for (check, _) in length_comparisons(cx, g, site.node, site.var) {
                        finding = finding.related(
                            cx.location_in(site.function, g.cfg.node(check).span),
                            "this check does not keep the length in range",
                        );
                    }
                }
                out.push(finding.build());
            }
        }
    }
}

/// Whether an element of `var` is read or written on every path to
/// `node`: the bounds check of that access reverts on an empty array, so
/// the decrement cannot underflow.
fn element_accessed_before(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    var: DeclId,
) -> bool {
    f.cfg.nodes().any(|(d, n)| {
        d != node
            && f.cfg.dominates(d, node)
            && n.exprs().any(|root| {
                let mut hit = false;
                walk_expr(root, &mut |e| {
                    if let ExprKind::Index { base, .. } = &e.kind {
                        hit |= names_var(cx, f.file, base, var);
                    }
                });
                hit
            })
    })
}
