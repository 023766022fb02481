//! Values of constant expressions: literals with units (`30 seconds`),
//! `constant` state variables (`ROUND_GAP`), and arithmetic on them.
//!
//! The semantic model already folds literal arithmetic into
//! `Type::Rational`; this adds what it leaves typed as `uint256` — reads of
//! constant state variables — and conversions (`uint256(60)`). Values are
//! `f64`: detectors compare them with thresholds (seconds in a window,
//! "is this operand a constant") where the precision of a `BigRational`
//! buys nothing.

use bulwark_sema::{CallKind, FileId, Res, Type, VarMutability};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use num_traits::ToPrimitive;

use crate::detector::AnalysisContext;

/// How deep constant definitions may refer to each other.
const MAX_DEPTH: u32 = 8;

/// The value of `expr` (in `file`) when it is a compile-time constant.
pub fn const_value(cx: &AnalysisContext<'_>, file: FileId, expr: &Expr) -> Option<f64> {
    value_at_depth(cx, file, expr, 0)
}

/// Whether `expr` is a compile-time constant.
pub fn is_constant(cx: &AnalysisContext<'_>, file: FileId, expr: &Expr) -> bool {
    const_value(cx, file, expr).is_some()
}

fn value_at_depth(cx: &AnalysisContext<'_>, file: FileId, expr: &Expr, depth: u32) -> Option<f64> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(Type::Rational(r)) = cx.model.type_of(file, expr.id) {
        return r.to_f64();
    }
    match &expr.kind {
        ExprKind::Tuple(items) if items.len() == 1 => {
            value_at_depth(cx, file, items[0].as_ref()?, depth)
        }
        ExprKind::Ident(_) | ExprKind::Member { .. } => {
            let Some(Res::Decl(d)) = cx.model.resolution(file, expr.id) else {
                return None;
            };
            let var = cx.model.state_var(*d)?;
            if var.mutability != VarMutability::Constant {
                return None;
            }
            let init = var.ast.initializer.as_ref()?;
            value_at_depth(cx, var.file, init, depth + 1)
        }
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => value_at_depth(cx, file, operand, depth).map(|v| -v),
        ExprKind::Binary { op, lhs, rhs } => {
            let a = value_at_depth(cx, file, lhs, depth)?;
            let b = value_at_depth(cx, file, rhs, depth)?;
            fold(*op, a, b)
        }
        ExprKind::Call { args, .. } => match cx.model.call_kind(file, expr.id) {
            Some(CallKind::Conversion(_)) => {
                let args = bulwark_ir::walk::call_args(args);
                match args.as_slice() {
                    [only] => value_at_depth(cx, file, only, depth),
                    _ => None,
                }
            }
            _ => None,
        },
        _ => None,
    }
}

fn fold(op: BinaryOp, a: f64, b: f64) -> Option<f64> {
    Some(match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div if b != 0.0 => (a / b).trunc(),
        BinaryOp::Mod if b != 0.0 => a % b,
        BinaryOp::Pow => a.powf(b),
        _ => return None,
    })
}
