//! Small expression questions answered through the semantic model.

use bulwark_ir::walk::{call_args, unparen, walk_expr};
use bulwark_sema::{Builtin, CallKind, DeclId, DeclKind, FileId, Res};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::detector::AnalysisContext;

/// The built-in an identifier or member access resolves to.
pub fn builtin_of(cx: &AnalysisContext<'_>, file: FileId, expr: &Expr) -> Option<Builtin> {
    cx.model.resolution(file, expr.id).and_then(Res::builtin)
}

/// The declaration an identifier or member access resolves to.
pub fn decl_of(cx: &AnalysisContext<'_>, file: FileId, expr: &Expr) -> Option<DeclId> {
    cx.model.resolution(file, expr.id).and_then(Res::decl)
}

/// Whether `expr` or a sub-expression is one of `builtins`.
pub fn mentions_builtin(
    cx: &AnalysisContext<'_>,
    file: FileId,
    expr: &Expr,
    builtins: &[Builtin],
) -> bool {
    let mut found = false;
    walk_expr(expr, &mut |e| {
        if !found && builtin_of(cx, file, e).is_some_and(|b| builtins.contains(&b)) {
            found = true;
        }
    });
    found
}

/// The state variable at the bottom of `x`, `x[i]`, `x.f[j]` (not through
/// calls or locals).
pub fn root_state_var(cx: &AnalysisContext<'_>, file: FileId, expr: &Expr) -> Option<DeclId> {
    let mut e = unparen(expr);
    loop {
        match &e.kind {
            ExprKind::Index { base, .. } => e = unparen(base),
            ExprKind::Member { base, .. } => {
                if let Some(d) = decl_of(cx, file, e) {
                    if cx.model.decl(d).kind == DeclKind::StateVar {
                        return Some(d);
                    }
                }
                e = unparen(base);
            }
            ExprKind::Ident(_) => {
                let d = decl_of(cx, file, e)?;
                return (cx.model.decl(d).kind == DeclKind::StateVar).then_some(d);
            }
            _ => return None,
        }
    }
}

/// Whether `expr` denotes this contract: `this`, or `address(this)`
/// (possibly wrapped in `payable(...)`).
pub fn is_this(cx: &AnalysisContext<'_>, file: FileId, expr: &Expr) -> bool {
    let e = unparen(expr);
    match &e.kind {
        ExprKind::Ident(_) => builtin_of(cx, file, e) == Some(Builtin::This),
        ExprKind::Call { args, .. } => {
            matches!(
                cx.model.call_kind(file, e.id),
                Some(CallKind::Conversion(_))
            ) && matches!(call_args(args).as_slice(), [inner] if is_this(cx, file, inner))
        }
        _ => false,
    }
}

/// Peels conversions (`payable(x)`, `address(x)`, `uint256(x)`) off an
/// expression.
pub fn strip_conversions<'e>(cx: &AnalysisContext<'_>, file: FileId, expr: &'e Expr) -> &'e Expr {
    let mut e = unparen(expr);
    while let ExprKind::Call { args, .. } = &e.kind {
        if !matches!(
            cx.model.call_kind(file, e.id),
            Some(CallKind::Conversion(_))
        ) {
            break;
        }
        match call_args(args).as_slice() {
            [inner] => e = unparen(inner),
            _ => break,
        }
    }
    e
}

/// Whether `e` is an element (or a field of an element) of an array or
/// mapping: `list[i]`, `players[i].addr`.
pub fn is_element(e: &Expr) -> bool {
    let mut x = unparen(e);
    loop {
        match &x.kind {
            ExprKind::Index { .. } => return true,
            ExprKind::Member { base, .. } => x = unparen(base),
            _ => return false,
        }
    }
}
