//! Following values through local variables: the expressions a value was
//! computed from (reaching definitions, conversions, parentheses), and the
//! places where a local is tested.
//!
//! [`crate::analysis::provenance`] answers "where does this come from" in
//! categories; detectors looking for *shapes* (a division feeding a
//! multiplication, a hash feeding `ecrecover`, a result compared with
//! zero) need the expressions themselves.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_sema::{DeclId, DeclKind};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::conditions::{atoms, tested};
use crate::analysis::constant::const_value;
use crate::analysis::expr::{decl_of, strip_conversions};
use crate::detector::AnalysisContext;

/// How many local-to-definition steps a search follows.
const MAX_DEPTH: u32 = 6;

/// The expressions `expr` (evaluated at `node`) is made of, with locals
/// replaced by the values assigned to them on the way (every reaching
/// definition), conversions and parentheses peeled. Locals without a known
/// value (parameters, tuple slots) stay as they are.
pub fn sources<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    node: NodeIx,
    expr: &'p Expr,
) -> Vec<(NodeIx, &'p Expr)> {
    let mut out = Vec::new();
    collect(cx, f, node, expr, 0, &mut out);
    out
}

fn collect<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    node: NodeIx,
    expr: &'p Expr,
    depth: u32,
    out: &mut Vec<(NodeIx, &'p Expr)>,
) {
    let e = strip_conversions(cx, f.file, expr);
    if depth < MAX_DEPTH {
        if let Some(local) = local_of(cx, f, e) {
            let defs = definitions(f, node, local);
            if !defs.is_empty() {
                for (def, value) in defs {
                    collect(cx, f, def, value, depth + 1, out);
                }
                return;
            }
        }
    }
    out.push((node, e));
}

/// The local variable (or named return variable, not a parameter) an
/// identifier names.
pub fn local_of(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> Option<DeclId> {
    if !matches!(e.kind, ExprKind::Ident(_)) {
        return None;
    }
    let d = decl_of(cx, f.file, e)?;
    matches!(
        cx.model.decl(d).kind,
        DeclKind::LocalVar | DeclKind::ReturnParam
    )
    .then_some(d)
}

/// The value assigned to `local` by each definition reaching `node`
/// (definitions without a single value, such as tuple slots, are left
/// out).
pub fn definitions<'p>(f: &FunctionIr<'p>, node: NodeIx, local: DeclId) -> Vec<(NodeIx, &'p Expr)> {
    f.reaching_defs()
        .reaching(node, local)
        .into_iter()
        .filter_map(|def| {
            let value = f
                .facts(def)
                .defs
                .iter()
                .find(|d| d.var == local)
                .and_then(|d| d.value)
                .and_then(|v| f.expr(v))?;
            Some((def, value))
        })
        .collect()
}

/// The declarations `expr` mentions directly (identifiers and member
/// accesses that resolve to a declaration).
pub fn mentioned_decls(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, expr: &Expr) -> Vec<DeclId> {
    let mut out = Vec::new();
    walk_expr(expr, &mut |e| {
        if matches!(e.kind, ExprKind::Ident(_) | ExprKind::Member { .. }) {
            if let Some(d) = decl_of(cx, f.file, e) {
                if !out.contains(&d) {
                    out.push(d);
                }
            }
        }
    });
    out
}

/// Whether `expr` is (a conversion of) the constant zero: `0`,
/// `address(0)`, `bytes32(0)`.
pub fn is_zero(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, expr: &Expr) -> bool {
    const_value(cx, f.file, strip_conversions(cx, f.file, expr)) == Some(0.0)
}

/// Every comparison atom (`==`, `!=`, `<`, `<=`, `>`, `>=`) tested by a
/// condition or `require`/`assert` of `f`, with its node.
pub fn tested_comparisons<'p>(f: &FunctionIr<'p>) -> Vec<(NodeIx, &'p Expr)> {
    let mut out = Vec::new();
    for (node, _) in f.cfg.nodes() {
        for cond in tested(f, node) {
            let mut parts = Vec::new();
            atoms(cond, &mut parts);
            for atom in parts {
                let atom = unparen(atom);
                if let ExprKind::Binary {
                    op:
                        BinaryOp::Eq
                        | BinaryOp::Ne
                        | BinaryOp::Lt
                        | BinaryOp::Le
                        | BinaryOp::Gt
                        | BinaryOp::Ge,
                    ..
                } = atom.kind
                {
                    out.push((node, atom));
                }
            }
        }
    }
    out
}

/// Whether `expr` mentions `decl`, or a local whose value (through
/// definitions reaching `node`) mentions it.
pub fn depends_on(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    decl: DeclId,
) -> bool {
    depends_at_depth(cx, f, node, expr, decl, 0)
}

fn depends_at_depth(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    decl: DeclId,
    depth: u32,
) -> bool {
    let mentioned = mentioned_decls(cx, f, expr);
    if mentioned.contains(&decl) {
        return true;
    }
    if depth >= MAX_DEPTH {
        return false;
    }
    mentioned
        .into_iter()
        .filter(|&d| cx.model.decl(d).kind == DeclKind::LocalVar)
        .any(|local| {
            definitions(f, node, local)
                .into_iter()
                .any(|(def, value)| depends_at_depth(cx, f, def, value, decl, depth + 1))
        })
}

/// Whether two expressions denote the same storage or variable: the same
/// declarations, indexed by the same keys (`owner` and `owner`,
/// `signers[id]` and `signers[id]`), conversions aside.
pub fn same_value(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, a: &Expr, b: &Expr) -> bool {
    let a = strip_conversions(cx, f.file, a);
    let b = strip_conversions(cx, f.file, b);
    match (&a.kind, &b.kind) {
        (ExprKind::Ident(_), ExprKind::Ident(_)) => {
            decl_of(cx, f.file, a).is_some() && decl_of(cx, f.file, a) == decl_of(cx, f.file, b)
        }
        (ExprKind::Member { base: x, .. }, ExprKind::Member { base: y, .. }) => {
            decl_of(cx, f.file, a).is_some()
                && decl_of(cx, f.file, a) == decl_of(cx, f.file, b)
                && same_value(cx, f, x, y)
        }
        (
            ExprKind::Index {
                base: x,
                index: Some(i),
            },
            ExprKind::Index {
                base: y,
                index: Some(j),
            },
        ) => same_value(cx, f, x, y) && same_value(cx, f, i, j),
        _ => match (const_value(cx, f.file, a), const_value(cx, f.file, b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}
