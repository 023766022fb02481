//! Pre-order walks over Solidity expressions and statements.
//!
//! Iterative where it matters would be nicer, but the parser bounds nesting
//! (`MAX_DEPTH`), so plain recursion cannot overflow on parsed input.

use bulwark_syntax::ast::{CallArgs, CallArgsKind, Expr, ExprKind, Stmt, StmtKind};

/// Calls `f` on `expr` and every sub-expression, parents before children,
/// children in source order. Type names are not entered (`new T[](n)`'s
/// length is an argument of the call, so it is visited).
pub fn walk_expr<'a>(expr: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    f(expr);
    match &expr.kind {
        ExprKind::Literal(_)
        | ExprKind::Ident(_)
        | ExprKind::New(_)
        | ExprKind::TypeOf(_)
        | ExprKind::ElementaryType(_)
        | ExprKind::Error => {}
        ExprKind::Member { base, .. } => walk_expr(base, f),
        ExprKind::Index { base, index } => {
            walk_expr(base, f);
            if let Some(i) = index {
                walk_expr(i, f);
            }
        }
        ExprKind::Slice { base, start, end } => {
            walk_expr(base, f);
            for e in [start, end].into_iter().flatten() {
                walk_expr(e, f);
            }
        }
        ExprKind::Call { callee, args } => {
            walk_expr(callee, f);
            for a in call_args(args) {
                walk_expr(a, f);
            }
        }
        ExprKind::CallOptions { callee, options } => {
            walk_expr(callee, f);
            for o in options {
                walk_expr(&o.value, f);
            }
        }
        ExprKind::Unary { operand, .. } => walk_expr(operand, f),
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Assign { lhs, rhs, .. } => {
            walk_expr(lhs, f);
            walk_expr(rhs, f);
        }
        ExprKind::Conditional {
            cond,
            then_expr,
            else_expr,
        } => {
            walk_expr(cond, f);
            walk_expr(then_expr, f);
            walk_expr(else_expr, f);
        }
        ExprKind::Tuple(items) => {
            for e in items.iter().flatten() {
                walk_expr(e, f);
            }
        }
        ExprKind::Array(items) => {
            for e in items {
                walk_expr(e, f);
            }
        }
    }
}

/// The argument expressions of a call, positional or named, in source order.
pub fn call_args(args: &CallArgs) -> Vec<&Expr> {
    match &args.kind {
        CallArgsKind::Positional(v) => v.iter().collect(),
        CallArgsKind::Named(v) => v.iter().map(|n| &n.value).collect(),
    }
}

/// Strips one-element parentheses: `((x))` is `x`.
pub fn unparen(mut expr: &Expr) -> &Expr {
    while let ExprKind::Tuple(items) = &expr.kind {
        match items.as_slice() {
            [Some(inner)] => expr = inner,
            _ => break,
        }
    }
    expr
}

/// Calls `f` on every statement nested in `stmt` (itself included),
/// pre-order.
pub fn walk_stmt<'a>(stmt: &'a Stmt, f: &mut dyn FnMut(&'a Stmt)) {
    f(stmt);
    match &stmt.kind {
        StmtKind::Block(b) | StmtKind::Unchecked(b) => {
            for s in &b.stmts {
                walk_stmt(s, f);
            }
        }
        StmtKind::If {
            then_branch,
            else_branch,
            ..
        } => {
            walk_stmt(then_branch, f);
            if let Some(e) = else_branch {
                walk_stmt(e, f);
            }
        }
        StmtKind::For { init, body, .. } => {
            if let Some(i) = init {
                walk_stmt(i, f);
            }
            walk_stmt(body, f);
        }
        StmtKind::While { body, .. } | StmtKind::DoWhile { body, .. } => walk_stmt(body, f),
        StmtKind::Try(t) => {
            for s in &t.body.stmts {
                walk_stmt(s, f);
            }
            for c in &t.catches {
                for s in &c.body.stmts {
                    walk_stmt(s, f);
                }
            }
        }
        _ => {}
    }
}
