//! `uninitialized-local`: a local variable read before anything was
//! assigned to it.
//!
//! # Facts used
//! - Local declarations without an initial value (`address winner;`).
//! - Every definition of the local in the body (assignments, tuple
//!   destructuring, `++`/`+=`, assembly) and the uses reached by the
//!   declaration alone (reaching definitions).
//! - Two shapes are reported: a local that is *never* assigned but read
//!   (its declaration was meant to be filled), and an address local that
//!   some path leaves unassigned before it receives ether or is called,
//!   with no check against zero in the function.
//! - Named return variables are deliberately zero-initialised and are not
//!   concerned; neither are accumulators (`total += x`).

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Type};
use bulwark_syntax::ast::ExprKind;

use crate::analysis::values::{depends_on, is_zero, tested_comparisons};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "uninitialized-local",
    title: "Local variable used before assignment",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "A local variable is read while it still holds its default zero value, because no \
assignment reaches the read.",
    what: r#"Reports a local variable declared without a value when either:
- it is never assigned anywhere in the function but is read (the declaration was meant to
  be filled: a forgotten assignment, a typo in a name), or
- it is an address, some path reaches a statement that sends it ether or calls it without
  assigning it first, and the function never compares it with zero.

Accumulators (`total += x`), locals filled by tuple destructuring or assembly, and named
return variables are not reported."#,
    why: r#"Locals start at zero. A forgotten assignment does not fail to compile: the code runs
with `0` or `address(0)`. Payments to a winner that was never found go to `address(0)`; a
price that was never read is zero, so a collateral check passes; a loop bound that was
never set skips the loop."#,
    exploit: r#"```solidity
function settle() external {
    address payable winner;
    for (uint256 i = 0; i < bids.length; i++) {
        if (bids[i].amount > best) { best = bids[i].amount; winner = bids[i].bidder; }
    }
    winner.transfer(address(this).balance);
}
```
1. An attacker arranges for no bid to beat `best` (for example by placing the first bid
   that sets `best` through another function).
2. `settle()` sends the whole balance to `address(0)`, burning every bidder's deposit."#,
    fix: r#"Assign the variable on every path, and check it before use:
```solidity
require(winner != address(0), "no winner");
winner.transfer(address(this).balance);
```"#,
    references: &[
        "https://docs.soliditylang.org/en/latest/control-structures.html#default-value",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#uninitialized-local-variables",
    ],
};

pub struct UninitializedLocal;

impl Detector for UninitializedLocal {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (decl_node, n) in f.cfg.nodes() {
                let NodeKind::VarDecl(stmt) = n.kind else {
                    continue;
                };
                if stmt.init.is_some() {
                    continue;
                }
                for local in stmt.decls.iter().flatten() {
                    let Some(var) = cx.model.decl_at(f.file, local.id) else {
                        continue;
                    };
                    if cx.model.decl_type(var).is_reference() {
                        continue;
                    }
                    if let Some(finding) = check_local(cx, f, decl_node, var) {
                        out.push(finding);
                    }
                }
            }
        }
    }
}

fn check_local(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    decl_node: NodeIx,
    var: DeclId,
) -> Option<Finding> {
    let assigned = f
        .cfg
        .nodes()
        .any(|(n, _)| n != decl_node && f.facts(n).defines(var));
    let uses: Vec<NodeIx> = f
        .reaching_defs()
        .uses_of(f.all_facts(), decl_node, var)
        .into_iter()
        .filter(|&n| n != decl_node)
        .collect();
    let name = &cx.model.decl(var).name;
    if !assigned {
        let first = *uses.first()?;
        let message = format!(
            "`{}` reads `{name}`, which is declared without a value and never assigned: it is \
always zero",
            cx.qualified_name(f.decl)
        );
        return Some(
            FindingBuilder::new(
                &META,
                message,
                cx.location_in(f.decl, f.cfg.node(first).span),
            )
            .related(
                cx.location_in(f.decl, f.cfg.node(decl_node).span),
                "declared here",
            )
            .build(),
        );
    }
    if !matches!(
        cx.model.decl_type(var),
        Type::Address { .. } | Type::Contract(_)
    ) {
        return None;
    }
    // An address some path leaves unassigned, then pays or calls.
    let risky = uses.into_iter().find(|&n| pays_or_calls(cx, f, n, var))?;
    let zero_checked = tested_comparisons(f).into_iter().any(|(at, atom)| {
        let ExprKind::Binary { lhs, rhs, .. } = &atom.kind else {
            return false;
        };
        (depends_on(cx, f, at, lhs, var) && is_zero(cx, f, rhs))
            || (depends_on(cx, f, at, rhs, var) && is_zero(cx, f, lhs))
    });
    if zero_checked {
        return None;
    }
    let message = format!(
        "`{}` uses `{name}` as a destination or call target, but some path reaches that use \
without assigning it: the call then goes to `address(0)`",
        cx.qualified_name(f.decl)
    );
    Some(
        FindingBuilder::new(
            &META,
            message,
            cx.location_in(f.decl, f.cfg.node(risky).span),
        )
        .related(
            cx.location_in(f.decl, f.cfg.node(decl_node).span),
            "declared without a value",
        )
        .build(),
    )
}

/// Whether `node` sends ether to `var` or calls it.
fn pays_or_calls(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, var: DeclId) -> bool {
    f.facts(node).calls.iter().any(|c| {
        let target = match &c.kind {
            CallSiteKind::LowLevel { target, .. } => Some(*target),
            CallSiteKind::External {
                receiver: Some(r), ..
            } => Some(*r),
            CallSiteKind::SelfDestruct { beneficiary } => *beneficiary,
            _ => None,
        };
        target
            .and_then(|t| f.expr(t))
            .is_some_and(|t| depends_on(cx, f, node, t, var))
    })
}
