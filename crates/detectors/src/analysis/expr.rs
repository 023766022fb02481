//! Small expression questions answered through the semantic model.

use bulwark_ir::walk::{call_args, unparen, walk_expr};
use bulwark_sema::{Builtin, CallKind, DeclId, DeclKind, FileId, Res};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

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

/// The parts of `a && b && c` (a condition that must hold as a whole),
/// parentheses peeled.
pub fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match &unparen(e).kind {
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } => {
            let mut out = conjuncts(lhs);
            out.extend(conjuncts(rhs));
            out
        }
        _ => vec![unparen(e)],
    }
}

/// This contract's own balance: `this.balance`, `address(this).balance`, or
/// `t.balanceOf(account)` where `account` passes `names_this` (detectors
/// differ on how far inside the argument they look for `this`).
pub fn is_own_balance(
    cx: &AnalysisContext<'_>,
    file: FileId,
    e: &Expr,
    names_this: impl Fn(&Expr) -> bool,
) -> bool {
    let e = strip_conversions(cx, file, e);
    match &e.kind {
        ExprKind::Member { base, member } => {
            (builtin_of(cx, file, e) == Some(Builtin::AddressBalance) || member.name == "balance")
                && is_this(cx, file, base)
        }
        ExprKind::Call { callee, args } => {
            let ExprKind::Member { member, .. } = &unparen(callee).kind else {
                return false;
            };
            let args = call_args(args);
            member.name == "balanceOf" && args.len() == 1 && names_this(args[0])
        }
        _ => false,
    }
}
