//! `unbounded-array-dos`: a storage array that any caller can lengthen
//! without limit is iterated or cleared in one transaction.
//!
//! # Facts used
//! - State variables of dynamic array type and every statement that
//!   lengthens them (`push`, legacy `length++`, `length += n`,
//!   `length = n` with a caller-chosen `n`), from [`crate::analysis::arrays`].
//! - Access control on those statements ([`Access::open_entry`]): growth
//!   reachable by any caller is what makes the length attacker-chosen. A
//!   growth behind a `tx.origin` check against state
//!   ([`origin_checked`]) is restricted, weakly: that weakness is
//!   `tx-origin`'s finding.
//! - Caps: a condition comparing the array's length by order that decides
//!   whether the growth runs (`require(list.length < MAX)`).
//! - The operations whose gas grows with the length, in state-changing
//!   functions: loops whose condition depends on the array (through locals
//!   too), `delete arr`, `arr = new T[](0)` and other whole-array
//!   assignments, legacy `arr.length = 0`. Loops also bounded by a constant
//!   or by a caller-chosen range (pagination) are left out.

use std::collections::HashMap;

use bulwark_ir::cfg::{ConditionOrigin, NodeIx, NodeKind};
use bulwark_ir::taint::Source;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Mutability};
use bulwark_syntax::ast::{Expr, ExprKind, UnaryOp};

use crate::analysis::access::{origin_checked, Access};
use crate::analysis::arrays::{
    is_cap, is_dynamic_state_array, length_comparisons, length_of, length_sites, names_var,
    LengthChange, LengthSite,
};
use crate::analysis::conditions::atoms;
use crate::analysis::constant::const_value;
use crate::analysis::values::{local_of, sources};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unbounded-array-dos",
    title: "Unbounded operation over a caller-grown array",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-128"],
    applies_to: "all versions",
    summary:
        "A loop or a whole-array clear runs over a storage array that any caller can lengthen \
without limit; once it is long enough the operation needs more gas than a block holds and the \
function can never succeed again.",
    what: r#"Reports, in state-changing functions, a loop whose condition depends on a dynamic storage
array (`for (i = 0; i < payees.length; i++)`, also through a local copy of the length) and
statements that clear a whole storage array (`delete list`, `list = new address[](0)`, legacy
`list.length = 0`), when some function that any caller can reach lengthens the same array
(`push`, legacy `length++`/`length += n`, `length = n` with a caller-chosen `n`) with no cap
on its length.

Not reported: arrays only the owner (or the constructor) can grow, or whose growth checks
`tx.origin` against a stored account (a weak restriction: `tx-origin`'s finding, not
"any caller"); growth behind a length cap
(`require(list.length < MAX_MEMBERS)`); loops also bounded by a constant or by a range the
caller passes (pagination); `view` and `pure` functions, which are read off-chain."#,
    why: r#"Every iteration costs gas, and clearing a storage array writes every one of its slots.
When anyone can add elements, an attacker (or simply success) makes the array long enough that
the loop or the clear exceeds the block gas limit. From then on the function always runs out of
gas: payouts stop, rounds never reset, and the funds they would release stay locked. SWC-128
(DoS with block gas limit)."#,
    exploit: r#"```solidity
function register() external payable {
    require(msg.value == FEE);
    players.push(msg.sender);          // no limit on players
}
function reset() external {
    delete players;                    // writes every slot of players
}
```
1. The attacker calls `register` from many accounts (or a contract in a loop) until `players`
   holds tens of thousands of entries.
2. `reset` now needs more gas than a block allows; every call reverts.
3. The game can never start a new round, and the fees collected stay in the contract."#,
    fix: r#"Cap the array's length, or avoid whole-array work in one transaction: let each user
withdraw their own share (pull payments), process the array in caller-chosen batches, or
replace the array with a mapping plus a counter that a reset can bump:
```solidity
require(players.length < MAX_PLAYERS, "full");
players.push(msg.sender);
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-128",
        "https://consensys.github.io/smart-contract-best-practices/attacks/denial-of-service/",
    ],
};

pub struct UnboundedArrayDos;

impl Detector for UnboundedArrayDos {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        // Array → the first growth statement any caller can reach uncapped.
        let mut open_growth: HashMap<DeclId, LengthSite> = HashMap::new();
        for f in cx.ir.functions() {
            for site in length_sites(cx, f) {
                if !matches!(site.change, LengthChange::Grow | LengthChange::SetByCaller)
                    || open_growth.contains_key(&site.var)
                {
                    continue;
                }
                let capped = length_comparisons(cx, f, site.node, site.var)
                    .iter()
                    .any(|&(_, cmp)| is_cap(cx, f.file, cmp, site.var));
                // A growth behind a `tx.origin` check against state is
                // restricted (weakly: `tx-origin`'s finding), not open.
                if !capped
                    && access.open_entry(f.decl, site.node).is_some()
                    && !origin_checked(cx, f, site.node)
                {
                    open_growth.insert(site.var, site);
                }
            }
        }
        if open_growth.is_empty() {
            return;
        }
        for f in cx.ir.functions() {
            // Read off-chain, or run once on an empty array.
            let read_only = cx.model.function(f.decl).is_some_and(|i| {
                matches!(i.mutability, Mutability::View | Mutability::Pure)
                    || i.kind == bulwark_syntax::ast::FunctionKind::Constructor
            });
            if read_only {
                continue;
            }
            for (node, n) in f.cfg.nodes() {
                for (var, what) in unbounded_operations(cx, f, node) {
                    let Some(growth) = open_growth.get(&var) else {
                        continue;
                    };
                    // The growth statement itself, repeated in a loop, is
                    // not the operation over the whole array.
                    if growth.function == f.decl && growth.node == node {
                        continue;
                    }
                    let name = &cx.model.decl(var).name;
                    let grower = cx.qualified_name(growth.function);
                    let message = format!(
                        "`{}` {what} `{name}`, whose cost grows with its length, and any caller can \
lengthen `{name}` without limit through `{grower}`: once it is long enough this needs more gas \
than a block holds and `{}` always fails",
                        cx.qualified_name(f.decl),
                        cx.function_name(f.decl),
                    );
                    out.push(
                        FindingBuilder::new(&META, message, cx.location_in(f.decl, n.span))
                            .related(
                                cx.location_in(growth.function, growth.span),
                                format!("`{name}` grows here, with no cap"),
                            )
                            .build(),
                    );
                }
            }
        }
    }
}

/// The arrays whose whole length `node` walks: a loop condition depending
/// on the array, or a statement clearing it. With a verb for the message.
fn unbounded_operations(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
) -> Vec<(DeclId, &'static str)> {
    let n = f.cfg.node(node);
    let mut out: Vec<(DeclId, &'static str)> = Vec::new();
    if let NodeKind::Condition { expr, origin } = n.kind {
        if origin != ConditionOrigin::If && !loop_otherwise_bounded(cx, f, expr) {
            for var in iterated_arrays(cx, f, node, expr) {
                out.push((var, "loops over"));
            }
        }
        return out;
    }
    for root in n.exprs() {
        walk_expr(root, &mut |e| match &e.kind {
            ExprKind::Unary {
                op: UnaryOp::Delete,
                operand,
            } => {
                if let Some(var) = whole_array(cx, f, operand) {
                    out.push((var, "deletes"));
                }
            }
            ExprKind::Assign { op: None, lhs, rhs } => {
                if let Some(var) = whole_array(cx, f, lhs) {
                    out.push((var, "overwrites (and so clears)"));
                } else if let Some(var) = length_of(cx, f.file, lhs) {
                    if const_value(cx, f.file, rhs) == Some(0.0) {
                        out.push((var, "truncates"));
                    }
                }
            }
            _ => {}
        });
    }
    out
}

/// The dynamic state array `e` names as a whole.
fn whole_array(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> Option<DeclId> {
    let d = crate::analysis::expr::decl_of(cx, f.file, unparen(e))?;
    (is_dynamic_state_array(cx, d) && names_var(cx, f.file, e, d)).then_some(d)
}

/// The dynamic state arrays a loop condition depends on: through
/// `arr.length` directly or a local computed from it.
fn iterated_arrays(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    cond: &Expr,
) -> Vec<DeclId> {
    let mut out = Vec::new();
    let add_lengths = |e: &Expr, out: &mut Vec<DeclId>| {
        walk_expr(e, &mut |x| {
            if let Some(var) = length_of(cx, f.file, x) {
                if is_dynamic_state_array(cx, var) && !out.contains(&var) {
                    out.push(var);
                }
            }
        });
    };
    add_lengths(cond, &mut out);
    let mut locals = Vec::new();
    walk_expr(cond, &mut |e| {
        if local_of(cx, f, e).is_some() {
            locals.push(e);
        }
    });
    for local in locals {
        for (_, value) in sources(cx, f, node, local) {
            add_lengths(value, &mut out);
        }
    }
    out
}

/// Whether a loop condition also stops at a constant or at a bound the
/// caller chooses (`i < list.length && i < 50`, `i < end` with `end` a
/// parameter): the number of iterations is not the array's length alone.
fn loop_otherwise_bounded(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, cond: &Expr) -> bool {
    let mut parts = Vec::new();
    atoms(cond, &mut parts);
    if parts.len() < 2 {
        return false;
    }
    let taint = cx.ir.taint();
    parts.into_iter().any(|a| {
        let ExprKind::Binary { lhs, rhs, .. } = &unparen(a).kind else {
            return false;
        };
        let mut mentions_length = false;
        walk_expr(a, &mut |x| {
            mentions_length |= length_of(cx, f.file, x).is_some()
        });
        !mentions_length
            && [lhs, rhs].into_iter().any(|side| {
                const_value(cx, f.file, side).is_some()
                    || taint.expr(cx.ir, f.decl, side.id).has(Source::Param)
            })
    })
}
