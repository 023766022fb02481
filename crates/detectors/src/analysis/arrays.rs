//! Dynamic storage arrays and the statements that change their length:
//! `push`, legacy `length++`, `length += n` and `length = n` (before
//! 0.6), and the caps that bound them.
//!
//! The IR records `push`/`length++` as [`AccessHow::Push`] but folds a
//! legacy `x.length = n` into an element write of `x`; the detectors that
//! care about lengths (unbounded growth, arbitrary storage writes through
//! a huge length) find those statements here.

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::AccessHow;
use bulwark_ir::taint::Source;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_sema::{Builtin, DeclId, FileId, Type};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use bulwark_syntax::Span;

use crate::analysis::conditions::{atoms, tested};
use crate::analysis::constant::const_value;
use crate::analysis::expr::{builtin_of, decl_of, root_state_var};
use crate::analysis::values::{local_of, sources};
use crate::detector::AnalysisContext;

/// Whether `var` is a state variable of dynamic array type (`T[]`,
/// `bytes` excluded: its length is bounded by what fits in calldata).
pub fn is_dynamic_state_array(cx: &AnalysisContext<'_>, var: DeclId) -> bool {
    cx.model
        .state_var(var)
        .is_some_and(|v| matches!(v.ty, Type::Array { len: None, .. }))
}

/// The array variable of `x.length` when `x` is a state array (or an
/// element or member of one).
pub fn length_of(cx: &AnalysisContext<'_>, file: FileId, e: &Expr) -> Option<DeclId> {
    let e = unparen(e);
    let ExprKind::Member { base, member } = &e.kind else {
        return None;
    };
    if member.name != "length" || builtin_of(cx, file, e) != Some(Builtin::ArrayLength) {
        return None;
    }
    root_state_var(cx, file, base)
}

/// Whether `e` names `var` itself (`arr`, `this.arr` is not an lvalue):
/// not an element or member of it.
pub fn names_var(cx: &AnalysisContext<'_>, file: FileId, e: &Expr, var: DeclId) -> bool {
    let e = unparen(e);
    matches!(e.kind, ExprKind::Ident(_) | ExprKind::Member { .. })
        && decl_of(cx, file, e) == Some(var)
}

/// How a statement changes an array's length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthChange {
    /// `push(..)`, `length++`, `length += n`.
    Grow,
    /// `length = n` with `n` chosen by the caller.
    SetByCaller,
    /// `length--`, `length -= n`: underflows when the array is empty
    /// (before 0.6, where `length` is writable).
    Shrink,
}

/// A statement changing the length of a state array.
#[derive(Clone, Copy, Debug)]
pub struct LengthSite {
    pub var: DeclId,
    pub function: DeclId,
    pub node: NodeIx,
    pub span: Span,
    pub change: LengthChange,
}

/// Every statement of `f` that changes the length of a dynamic state
/// array.
pub fn length_sites(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) -> Vec<LengthSite> {
    let mut out = Vec::new();
    let taint = cx.ir.taint();
    for (node, n) in f.cfg.nodes() {
        let facts = f.facts(node);
        for w in &facts.state_writes {
            if w.how == AccessHow::Push && is_dynamic_state_array(cx, w.var) {
                out.push(LengthSite {
                    var: w.var,
                    function: f.decl,
                    node,
                    span: n.span,
                    change: LengthChange::Grow,
                });
            }
            if w.how == AccessHow::Pop {
                // `length--` is a Pop too, but `pop()` checks for an empty
                // array: only the legacy decrement underflows.
                let mut legacy = false;
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        if let ExprKind::Unary {
                            op: UnaryOp::PreDec | UnaryOp::PostDec,
                            operand,
                        } = &e.kind
                        {
                            legacy |= length_of(cx, f.file, operand) == Some(w.var);
                        }
                    });
                }
                if legacy && is_dynamic_state_array(cx, w.var) {
                    out.push(LengthSite {
                        var: w.var,
                        function: f.decl,
                        node,
                        span: n.span,
                        change: LengthChange::Shrink,
                    });
                }
            }
        }
        for root in n.exprs() {
            walk_expr(root, &mut |e| {
                let ExprKind::Assign { op, lhs, rhs } = &e.kind else {
                    return;
                };
                let Some(var) = length_of(cx, f.file, lhs) else {
                    return;
                };
                if !is_dynamic_state_array(cx, var) {
                    return;
                }
                let change = match op {
                    Some(BinaryOp::Add) => LengthChange::Grow,
                    Some(BinaryOp::Sub) => LengthChange::Shrink,
                    None if taint
                        .expr(cx.ir, f.decl, rhs.id)
                        .has_any(&[Source::Param, Source::StoredInput]) =>
                    {
                        LengthChange::SetByCaller
                    }
                    _ => return,
                };
                out.push(LengthSite {
                    var,
                    function: f.decl,
                    node,
                    span: n.span,
                    change,
                });
            });
        }
    }
    out
}

/// The comparisons on the length of `var` tested by conditions that
/// decide whether `node` runs (dominating it), with their nodes.
pub fn length_comparisons<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    node: NodeIx,
    var: DeclId,
) -> Vec<(NodeIx, &'p Expr)> {
    let mut out = Vec::new();
    for (d, n) in f.cfg.nodes() {
        if d == node || matches!(n.kind, NodeKind::Entry) || !f.cfg.dominates(d, node) {
            continue;
        }
        for cond in tested(f, d) {
            let mut parts = Vec::new();
            atoms(cond, &mut parts);
            for a in parts {
                if let ExprKind::Binary { lhs, rhs, .. } = &unparen(a).kind {
                    if reads_length(cx, f, d, lhs, var) || reads_length(cx, f, d, rhs, var) {
                        out.push((d, unparen(a)));
                    }
                }
            }
        }
    }
    out
}

/// Whether `e` (evaluated at `node`) reads the length of `var`, directly
/// or through a local holding it (`uint n = list.length; if (n + k > MAX)`).
pub fn reads_length(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    var: DeclId,
) -> bool {
    let mut found = false;
    walk_expr(e, &mut |x| {
        if found {
            return;
        }
        if length_of(cx, f.file, x) == Some(var) {
            found = true;
        } else if local_of(cx, f, x).is_some() {
            found = sources(cx, f, node, x).into_iter().any(|(_, v)| {
                let mut hit = false;
                walk_expr(v, &mut |y| hit |= length_of(cx, f.file, y) == Some(var));
                hit
            });
        }
    });
    found
}

/// Whether a comparison from [`length_comparisons`] caps the length
/// (`len < K`, `len + n <= K`, and the reverted forms `len >= K`): any
/// ordering comparison of the length with something else counts,
/// whichever branch reverts, since the length can then not grow past it
/// unnoticed.
pub fn is_cap(cx: &AnalysisContext<'_>, file: FileId, cmp: &Expr, var: DeclId) -> bool {
    let ExprKind::Binary { op, lhs, rhs } = &unparen(cmp).kind else {
        return false;
    };
    // Both sides reading the length (`a.length < a.length + 1`) bound
    // nothing.
    matches!(
        op,
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
    ) && !(length_of(cx, file, lhs) == Some(var) && length_of(cx, file, rhs) == Some(var))
}

/// Whether a comparison establishes that the array is not empty (`len >
/// 0`, `len != 0`, `0 < len`, `len >= 1`); `0 <= len` always holds and
/// does not.
pub fn is_nonempty_check(cx: &AnalysisContext<'_>, file: FileId, cmp: &Expr, var: DeclId) -> bool {
    let ExprKind::Binary { op, lhs, rhs } = &unparen(cmp).kind else {
        return false;
    };
    let zero = |e: &Expr| const_value(cx, file, e) == Some(0.0);
    let one = |e: &Expr| const_value(cx, file, e) == Some(1.0);
    let len = |e: &Expr| length_of(cx, file, e) == Some(var);
    match op {
        BinaryOp::Gt => len(lhs) && zero(rhs),
        BinaryOp::Lt => zero(lhs) && len(rhs),
        BinaryOp::Ne | BinaryOp::Eq => (len(lhs) && zero(rhs)) || (zero(lhs) && len(rhs)),
        BinaryOp::Ge => len(lhs) && one(rhs),
        BinaryOp::Le => one(lhs) && len(rhs),
        _ => false,
    }
}
