//! `costly-loop`: storage touched on every iteration of a loop where a
//! local would do.
//!
//! # Facts used
//! - Natural loops of the CFG: a header with a `Back` edge, and the nodes
//!   on a path from the header back to it. A statement runs on every
//!   iteration when it dominates every edge back to the header (or is the
//!   loop condition).
//! - State reads and writes of those statements: whole, mutable,
//!   value-type state variables (an `SLOAD`/`SSTORE` each time), and
//!   `.length` of a storage array in the loop condition.
//! - Calls inside the loop: when an external or low-level call, or an
//!   internal call that reads or writes the variable, runs in the loop,
//!   caching would change what the callee (or a re-entering caller)
//!   sees, so the variable is left alone. An array whose length the loop
//!   changes (`push`, `pop`, assignment) is left alone too.

use std::collections::HashSet;

use bulwark_ir::cfg::{ConditionOrigin, EdgeKind, NodeIx, NodeKind};
use bulwark_ir::facts::{AccessHow, CallSiteKind};
use bulwark_ir::walk::walk_expr;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DataLocation, DeclId, Type, VarMutability};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::expr::root_state_var;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "costly-loop",
    title: "Storage accessed on every loop iteration",
    severity: Severity::Optimization,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "A loop reads or writes a state variable, or the length of a storage array, on \
every iteration, paying for storage each time where a local variable would do.",
    what: r#"Reports, once per loop and variable:
- a whole value-type state variable written on every iteration (`total += amounts[i]`): each
  write is an `SSTORE`;
- one read on every iteration without a write in the loop (`fee` in `amounts[i] * fee`): each
  read is an `SLOAD`;
- `.length` of a storage array in the loop condition (`i < holders.length`), when the loop does
  not change the array's length.

"Every iteration" means the statement runs whenever the loop goes round again (it dominates
the loop's back edges) or is the condition. Variables an external call, a low-level call or an
internal call that touches them runs inside the loop are left alone: there, the value in
storage must be current."#,
    why: r#"A storage read costs 2,100 gas the first time and 100 after, a write 2,900 to 20,000;
a local costs 3. In a loop over a hundred entries the difference is hundreds of thousands of
gas per call, paid by every user, and can push a batch over the block gas limit."#,
    exploit: r#"```solidity
for (uint256 i = 0; i < recipients.length; i++) {   // SLOAD of the length each time
    totalPaid += amounts[i];                          // SSTORE each time
}
```
1. A payout over 500 recipients costs about 1.5 million gas more than necessary.
2. Larger batches no longer fit in a block, and the operator has to split them."#,
    fix: r#"Cache in locals and write once:
```solidity
uint256 n = recipients.length;
uint256 paid = totalPaid;
for (uint256 i = 0; i < n; i++) {
    paid += amounts[i];
}
totalPaid = paid;
```"#,
    references: &[
        "https://docs.soliditylang.org/en/latest/internals/layout_in_storage.html",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#costly-operations-inside-a-loop",
    ],
};

pub struct CostlyLoop;

impl Detector for CostlyLoop {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for lp in loops(f) {
                report_loop(cx, f, &lp, out);
            }
        }
    }
}

/// A natural loop: its header and every node on a path from the header
/// back to it.
struct Loop {
    header: NodeIx,
    /// Nodes with an edge back to the header (the ends of iterations).
    latches: Vec<NodeIx>,
    body: Vec<NodeIx>,
}

fn loops(f: &FunctionIr<'_>) -> Vec<Loop> {
    let mut out = Vec::new();
    for (header, _) in f.cfg.nodes() {
        let latches: Vec<NodeIx> =
            f.cfg
                .preds(header)
                .iter()
                .copied()
                .filter(|&p| {
                    f.cfg.node(p).succs().iter().any(|&(s, k)| {
                        s == header && matches!(k, EdgeKind::Back | EdgeKind::Continue)
                    })
                })
                .collect();
        if latches.is_empty() {
            continue;
        }
        let mut body = vec![header];
        let mut seen: HashSet<NodeIx> = HashSet::from([header]);
        let mut work = latches.clone();
        while let Some(n) = work.pop() {
            if !seen.insert(n) {
                continue;
            }
            body.push(n);
            work.extend(f.cfg.preds(n).iter().copied());
        }
        out.push(Loop {
            header,
            latches,
            body,
        });
    }
    out
}

fn report_loop(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, lp: &Loop, out: &mut Vec<Finding>) {
    let blocked = touched_by_calls(cx, f, lp);
    let every_iteration =
        |n: NodeIx| n == lp.header || lp.latches.iter().all(|&l| f.cfg.dominates(n, l));
    let written_in_loop: HashSet<DeclId> = lp
        .body
        .iter()
        .flat_map(|&n| f.facts(n).state_writes.iter().map(|w| w.var))
        .collect();
    // Arrays whose length may change in the loop (element writes do not).
    let resized_in_loop: HashSet<DeclId> = lp
        .body
        .iter()
        .flat_map(|&n| f.facts(n).state_writes.iter())
        .filter(|w| !matches!(w.how, AccessHow::Element))
        .map(|w| w.var)
        .collect();
    let mut body = lp.body.clone();
    body.sort();
    let mut reported: HashSet<DeclId> = HashSet::new();
    let name = cx.qualified_name(f.decl);
    for &n in &body {
        if !every_iteration(n) {
            continue;
        }
        let facts = f.facts(n);
        for w in &facts.state_writes {
            if w.how != AccessHow::Direct || blocked.contains(&w.var) || !is_cacheable(cx, w.var) {
                continue;
            }
            if reported.insert(w.var) {
                let var = &cx.model.decl(w.var).name;
                let message = format!(
                    "`{name}` writes state variable `{var}` on every iteration of the loop: \
accumulate in a local and write `{var}` once after the loop"
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, w.span)).build(),
                );
            }
        }
        for r in &facts.state_reads {
            if r.how != AccessHow::Direct
                || blocked.contains(&r.var)
                || written_in_loop.contains(&r.var)
                || !is_cacheable(cx, r.var)
            {
                continue;
            }
            if reported.insert(r.var) {
                let var = &cx.model.decl(r.var).name;
                let message = format!(
                    "`{name}` reads state variable `{var}` from storage on every iteration of \
the loop, which never changes it: read it into a local before the loop"
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, r.span)).build(),
                );
            }
        }
    }
    // `.length` of a storage array in the condition.
    let header = f.cfg.node(lp.header);
    let NodeKind::Condition { expr, origin } = header.kind else {
        return;
    };
    if !matches!(origin, ConditionOrigin::For | ConditionOrigin::While) {
        return;
    }
    for (array, span) in storage_lengths(cx, f, expr) {
        if blocked.contains(&array) || resized_in_loop.contains(&array) || !reported.insert(array) {
            continue;
        }
        let var = &cx.model.decl(array).name;
        let message = format!(
            "`{name}` reads `{var}.length` from storage in the loop condition, once per \
iteration: read it into a local before the loop"
        );
        out.push(FindingBuilder::new(&META, message, cx.location_in(f.decl, span)).build());
    }
}

/// State variables the calls inside the loop may read or write (every
/// variable, as far as this detector cares, for external and low-level
/// calls: a re-entering caller would see the cached value's stale copy).
fn touched_by_calls(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, lp: &Loop) -> HashSet<DeclId> {
    let mut touched = HashSet::new();
    let all = || -> HashSet<DeclId> { cx.model.state_vars().iter().map(|v| v.decl).collect() };
    for &n in &lp.body {
        for call in &f.facts(n).calls {
            match &call.kind {
                CallSiteKind::External { .. }
                | CallSiteKind::LowLevel { .. }
                | CallSiteKind::Library { .. }
                | CallSiteKind::InternalPointer
                | CallSiteKind::Create { .. }
                | CallSiteKind::Unresolved => return all(),
                CallSiteKind::Internal { function, .. }
                | CallSiteKind::BoundInternal { function, .. } => {
                    let set = cx.ir.access().transitive(cx.ir, f.contract, *function);
                    touched.extend(set.reads.iter().copied());
                    touched.extend(set.writes.iter().copied());
                }
                _ => {}
            }
        }
    }
    touched
}

/// A mutable value-type state variable (one slot read or written whole).
fn is_cacheable(cx: &AnalysisContext<'_>, var: DeclId) -> bool {
    cx.model.state_var(var).is_some_and(|v| {
        v.mutability == VarMutability::Mutable
            && matches!(
                v.ty,
                Type::Bool
                    | Type::Address { .. }
                    | Type::Int { .. }
                    | Type::FixedBytes(_)
                    | Type::Enum(_)
                    | Type::Udvt(_)
                    | Type::Contract(_)
            )
    })
}

/// `x.length` sub-expressions of `cond` where `x` is a storage array rooted
/// at a state variable.
fn storage_lengths(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    cond: &Expr,
) -> Vec<(DeclId, bulwark_syntax::Span)> {
    let mut out = Vec::new();
    walk_expr(cond, &mut |e| {
        let ExprKind::Member { base, member } = &e.kind else {
            return;
        };
        if member.name != "length" {
            return;
        }
        let in_storage = matches!(
            cx.model.type_of(f.file, base.id),
            Some(
                Type::Array {
                    loc: DataLocation::StorageRef | DataLocation::StoragePointer,
                    ..
                } | Type::Bytes(DataLocation::StorageRef | DataLocation::StoragePointer)
            )
        );
        if !in_storage {
            return;
        }
        if let Some(var) = root_state_var(cx, f.file, base) {
            out.push((var, e.span));
        }
    });
    out
}
