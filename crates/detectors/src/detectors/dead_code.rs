//! `dead-code`: statements no path reaches, and internal or private
//! functions nothing calls.
//!
//! # Facts used
//! - The CFG: dead statements keep their nodes but are unreachable from
//!   the entry (after `return`, `revert`, `throw`, an always-reverting
//!   helper, an infinite loop). The first statement of each dead run is
//!   reported.
//! - The call graph's edges into a function, and every resolution of the
//!   model (a function used as a value — `f = _helper`, a callback
//!   argument, `using for` — counts as used).
//! - Who may still call a function from outside the project: `internal`
//!   functions of abstract contracts, of contracts others inherit from
//!   (in the project or not: only leaves are judged), and of libraries
//!   are API for other code. Only `private` functions and `internal`
//!   functions of deployable contracts no contract inherits from are
//!   judged. Overrides are called through their base.

use std::collections::HashSet;

use bulwark_ir::cfg::NodeKind;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, DeclKind};
use bulwark_syntax::ast::{ContractKind, FunctionKind, Visibility};

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "dead-code",
    title: "Dead code",
    severity: Severity::Informational,
    confidence: Confidence::High,
    swc: &["SWC-135"],
    applies_to: "all versions",
    summary: "A statement that no execution reaches, or an internal or private function that \
nothing calls.",
    what: r#"Reports:
- the first statement of each run of statements no path reaches — after a `return`,
  `revert`, `throw`, a call of a helper that always reverts, or a loop that never exits;
- a `private` function that nothing calls or refers to;
- an `internal` function of a deployable contract that no other contract inherits from, that
  nothing calls or refers to (medium confidence).

`internal` functions of libraries, abstract contracts and contracts other contracts inherit
from are left alone: they are API for code Bulwark may not see. Functions overriding a base
function are called through the base and are not reported."#,
    why: r#"Dead code is either a leftover, which costs reviewers time and deployment gas, or a
sign that the author meant something to run that never does: a check placed after a `return`,
a fee helper that was never wired in."#,
    exploit: r#"```solidity
function withdraw(uint256 amount) external {
    balances[msg.sender] -= amount;
    payable(msg.sender).transfer(amount);
    return;
    emit Withdrawn(msg.sender, amount);   // never runs: indexers miss every withdrawal
}
```
1. Off-chain accounting relies on `Withdrawn` events.
2. No withdrawal is ever logged; the accounting drifts from the contract's balances."#,
    fix: r#"Delete the dead statements and functions, or move the statement where it was meant
to run:
```solidity
emit Withdrawn(msg.sender, amount);
return;
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-135",
        "https://docs.soliditylang.org/en/latest/control-structures.html",
    ],
};

pub struct DeadCode;

impl Detector for DeadCode {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        report_unreachable_statements(cx, out);
        report_uncalled_functions(cx, out);
    }
}

fn report_unreachable_statements(cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
    for f in cx.ir.functions() {
        let live = f.cfg.reachable_from(f.cfg.entry);
        for (ix, n) in f.cfg.nodes() {
            if live[ix.index()] || n.stmt.is_none() || !is_statement(&n.kind) {
                continue;
            }
            // Only the head of a dead run: a node some dead statement
            // flows into is reported through that statement.
            let dead_pred = f
                .cfg
                .preds(ix)
                .iter()
                .any(|p| !live[p.index()] && f.cfg.node(*p).stmt.is_some());
            if dead_pred {
                continue;
            }
            let message = format!(
                "`{}` can never run this statement: `{}`",
                cx.qualified_name(f.decl),
                cx.snippet(f.file, n.span, 60)
            );
            out.push(FindingBuilder::new(&META, message, cx.location_in(f.decl, n.span)).build());
        }
    }
}

/// Nodes that stand for a statement of the source.
fn is_statement(kind: &NodeKind<'_>) -> bool {
    matches!(
        kind,
        NodeKind::VarDecl(_)
            | NodeKind::Expr(_)
            | NodeKind::Condition { .. }
            | NodeKind::Return(_)
            | NodeKind::Throw
            | NodeKind::Revert { .. }
            | NodeKind::Emit { .. }
            | NodeKind::Try(_)
            | NodeKind::Assembly(_)
    )
}

fn report_uncalled_functions(cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
    let referenced = referenced_decls(cx);
    let graph = cx.ir.call_graph();
    let inherited: HashSet<DeclId> = cx
        .model
        .contracts()
        .iter()
        .flat_map(|c| c.linearization.iter().skip(1).copied())
        .collect();
    for info in cx.model.functions() {
        let Some(contract) = info.contract.and_then(|c| cx.model.contract(c)) else {
            continue;
        };
        // An `override` specifier marks an override even when the base
        // it overrides did not resolve (an import Bulwark could not find).
        let overrides = !info.overrides.is_empty() || info.ast.overrides.is_some();
        if info.kind != FunctionKind::Function || !info.has_body() || overrides {
            continue;
        }
        let confidence = match info.visibility {
            Visibility::Private => Confidence::High,
            Visibility::Internal
                if contract.kind == ContractKind::Contract
                    && !contract.is_abstract
                    && !inherited.contains(&contract.decl) =>
            {
                Confidence::Medium
            }
            _ => continue,
        };
        if referenced.contains(&info.decl) || graph.edges_into(info.decl).next().is_some() {
            continue;
        }
        let decl = cx.model.decl(info.decl);
        let message = format!(
            "{} function `{}` is never called: remove it, or call it where it was meant to run",
            if info.visibility == Visibility::Private {
                "private"
            } else {
                "internal"
            },
            cx.qualified_name(info.decl)
        );
        out.push(
            FindingBuilder::new(&META, message, cx.location_in(info.decl, decl.name_span))
                .confidence(confidence)
                .build(),
        );
    }
}

/// Functions some identifier or member access of the project resolves to
/// (calls, and uses as values).
fn referenced_decls(cx: &AnalysisContext<'_>) -> HashSet<DeclId> {
    let mut referenced = HashSet::new();
    for file in &cx.project.files {
        for (_, _, res) in cx.model.resolutions(file.id) {
            if let Some(d) = res.decl() {
                if cx.model.decl(d).kind == DeclKind::Function {
                    referenced.insert(d);
                }
            }
        }
    }
    referenced
}
