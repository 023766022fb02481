//! Home-made assertion helpers: an internal function whose whole body
//! reverts unless one of its parameters is true —
//! `function assert(bool x) internal { if (!x) throw; }` (common before
//! 0.4.10, when `assert` was not a built-in, and kept by old SafeMath
//! copies), `function _require(bool ok) internal pure { if (!ok) revert
//! Unauthorized(); }`, `function check(bool c) internal { require(c); }`.
//!
//! A call of such a helper tests its argument exactly like `require` does,
//! so the IR treats it as one: the call statement may revert (a `Revert`
//! edge in the caller's CFG), and the argument is a tested condition
//! ([`crate::facts::CallSite::asserted_arg`]).

use bulwark_sema::{Builtin, CallKind, DeclId, FileId, Model, Res};
use bulwark_syntax::ast::{Expr, ExprKind, Stmt, StmtKind, UnaryOp};

use crate::walk::{call_args, unparen};

/// The index of the parameter `function` asserts, if its body is a single
/// assertion of one of its parameters.
pub fn asserted_param(model: &Model<'_>, function: DeclId) -> Option<usize> {
    let info = model.function(function)?;
    let body = info.ast.body.as_ref()?;
    let [stmt] = body.stmts.as_slice() else {
        return None;
    };
    let file = info.file;
    let param_of = |e: &Expr| -> Option<usize> {
        let e = unparen(e);
        if !matches!(e.kind, ExprKind::Ident(_)) {
            return None;
        }
        let d = model.resolution(file, e.id).and_then(Res::decl)?;
        info.params.iter().position(|&p| p == d)
    };
    match &stmt.kind {
        // `require(x)`, `require(x, "why")`, `assert(x)`.
        StmtKind::Expr(e) => {
            let ExprKind::Call { args, .. } = &unparen(e).kind else {
                return None;
            };
            if !matches!(
                model.call_kind(file, unparen(e).id),
                Some(CallKind::Builtin(Builtin::Require | Builtin::Assert))
            ) {
                return None;
            }
            param_of(call_args(args).first()?)
        }
        // `if (!x) throw;`, `if (!x) revert(...);`, `if (!x) { revert E(); }`.
        StmtKind::If {
            cond,
            then_branch,
            else_branch: None,
        } => {
            let ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } = &unparen(cond).kind
            else {
                return None;
            };
            let i = param_of(operand)?;
            always_reverts(model, file, then_branch).then_some(i)
        }
        _ => None,
    }
}

/// Whether `stmt` is a plain revert: `throw;`, `revert(...)`, `revert
/// E(...)`, or a block of exactly one of them.
fn always_reverts(model: &Model<'_>, file: FileId, stmt: &Stmt) -> bool {
    match &stmt.kind {
        StmtKind::Throw | StmtKind::Revert { .. } => true,
        StmtKind::Block(b) => match b.stmts.as_slice() {
            [only] => always_reverts(model, file, only),
            _ => false,
        },
        StmtKind::Expr(e) => matches!(
            model.call_kind(file, unparen(e).id),
            Some(CallKind::Builtin(Builtin::Revert))
        ),
        _ => false,
    }
}
