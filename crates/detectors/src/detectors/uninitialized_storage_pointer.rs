//! `uninitialized-storage-pointer`: a local struct or array that points at
//! storage slot 0 because it was never assigned (before 0.5.0).
//!
//! # Facts used
//! - The effective compiler version (the construct is a compile error
//!   from 0.5.0).
//! - Local variable declarations with their resolved type and data
//!   location: struct, array or mapping types whose location is `storage`,
//!   either written or implied (pre-0.5 locals of reference type without a
//!   location default to storage).
//! - Definite assignment over the CFG: whether every path from the
//!   declaration to each use (member access, index, `push`, assignment
//!   through it) assigns the pointer first.

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Res, Type};
use bulwark_syntax::ast::{DataLocation, ExprKind, LocalVariable};

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "uninitialized-storage-pointer",
    title: "Uninitialised storage pointer",
    severity: Severity::High,
    confidence: Confidence::High,
    swc: &["SWC-109"],
    applies_to: "before 0.5.0 (a compile error from 0.5.0 on)",
    summary: "A local struct or array variable is a storage pointer that was never assigned, so \
it points at storage slot 0 and writing through it overwrites the contract's first state \
variables.",
    what: r#"Reports the declaration of a local variable of struct or array type that is a storage
reference — declared `storage`, or with no location at all, which before 0.5.0 means
storage — and is used before it is assigned on some path.

Not reported: `memory` locals; storage pointers initialised at the declaration
(`Entry storage e = entries[i];`, or the pre-0.5 `Entry e = entries[i];`); pointers assigned
on every path before their first use; locals of value types."#,
    why: r#"An unassigned storage pointer refers to slot 0. Writing its first member writes slot 0,
its second member slot 1, and so on, overwriting whatever state variables live there —
typically the owner, a lock flag or a counter. Pushing to an unassigned array pointer
increments slot 0 as if it were the array's length. Honeypot contracts of 2017 and 2018
used exactly this to make a harmless-looking write flip a lock or reset the owner."#,
    exploit: r#"```solidity
address public moderator;          // slot 0
bool public open;                  // slot 0 (packed)
function sign(bytes32 message) public {
    Entry draft;                   // points at slot 0
    draft.author = msg.sender;     // overwrites `moderator`
    draft.message = message;       // overwrites slot 1
    entries.push(draft);
}
```
Any caller of `sign` becomes the moderator, because `draft.author` shares slot 0 with
`moderator`."#,
    fix: r#"Declare the local as `memory` when it is a fresh value, or point it at real storage:
```solidity
Entry memory draft = Entry(msg.sender, message);
entries.push(draft);
```
Compiling with 0.5.0 or later turns the mistake into a compile error."#,
    references: &[
        "https://swcregistry.io/docs/SWC-109",
        "https://docs.soliditylang.org/en/latest/050-breaking-changes.html",
    ],
};

pub struct UninitializedStoragePointer;

impl Detector for UninitializedStoragePointer {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            if !cx
                .project
                .file(f.file)
                .version
                .effective
                .has_legacy_constructors()
            {
                continue;
            }
            for (node, n) in f.cfg.nodes() {
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
                    if !is_storage_reference(cx, var, local) {
                        continue;
                    }
                    let Some(use_node) = use_before_assignment(cx, f, node, var) else {
                        continue;
                    };
                    let name = &local.name.name;
                    let message = format!(
                        "`{name}` in `{}` is a storage pointer that is never assigned before it is used, so it \
points at storage slot 0: writing through it overwrites the contract's first state variables",
                        cx.qualified_name(f.decl)
                    );
                    out.push(
                        FindingBuilder::new(&META, message, cx.location_in(f.decl, n.span))
                            .related(
                                cx.location_in(f.decl, f.cfg.node(use_node).span),
                                format!("`{name}` used while unassigned"),
                            )
                            .build(),
                    );
                }
            }
        }
    }
}

/// A struct or array local that refers to storage: declared `storage`, or
/// (before 0.5) declared without a location.
fn is_storage_reference(cx: &AnalysisContext<'_>, var: DeclId, local: &LocalVariable) -> bool {
    let ty = cx.model.decl_type(var);
    let reference = matches!(ty, Type::Struct { .. } | Type::Array { .. });
    let storage = match local.location {
        Some(DataLocation::Storage) => true,
        Some(_) => false,
        None => ty.location().is_some_and(|l| l.is_storage()),
    };
    reference && storage
}

/// The first node on some path from the declaration that reads `var`
/// (member access, index, push, passing it on) before any assignment of
/// the whole variable.
fn use_before_assignment(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    decl_node: NodeIx,
    var: DeclId,
) -> Option<NodeIx> {
    let mut seen = vec![false; f.cfg.len()];
    let mut work: Vec<NodeIx> = f.cfg.succs(decl_node).collect();
    while let Some(n) = work.pop() {
        if std::mem::replace(&mut seen[n.index()], true) {
            continue;
        }
        match access(cx, f, n, var) {
            Access::Uses => return Some(n),
            Access::Assigns => continue,
            Access::None => work.extend(f.cfg.succs(n)),
        }
    }
    None
}

enum Access {
    None,
    Uses,
    Assigns,
}

/// How `node` touches `var`: `var = e` (with `e` not reading `var`)
/// assigns it; any other mention uses it.
fn access(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, var: DeclId) -> Access {
    let is_var = |e: &bulwark_syntax::ast::Expr| {
        matches!(e.kind, ExprKind::Ident(_))
            && cx.model.resolution(f.file, e.id) == Some(&Res::Decl(var))
    };
    let mut assigns = false;
    let mut uses = false;
    for root in f.cfg.node(node).exprs() {
        if let ExprKind::Assign { op: None, lhs, rhs } = &unparen(root).kind {
            if is_var(unparen(lhs)) {
                walk_expr(rhs, &mut |e| uses |= is_var(e));
                assigns = true;
                continue;
            }
        }
        walk_expr(root, &mut |e| uses |= is_var(e));
    }
    if uses {
        Access::Uses
    } else if assigns {
        Access::Assigns
    } else {
        Access::None
    }
}
