//! `divide-before-multiply`: an integer division whose result is then
//! multiplied, so the remainder the division dropped is multiplied too.
//!
//! # Facts used
//! - Multiplications (`*`, `*=`) whose operand is a division, directly,
//!   through conversions, or through a local assigned a division
//!   (reaching definitions).
//! - Constant folding: divisions of two constants are exact enough for
//!   the compiler and are not reported.
//! - Deliberate integer division: rounding down to a multiple
//!   (`x / unit * unit`), rounding up (`(x + d - 1) / d`), sizes from
//!   array lengths, quotients whose remainder the function computes, and
//!   fixed-point quotients whose dividend was scaled up by a large
//!   constant first (`a * 2**32 / b`, `a * 1e18 / b`): the scale keeps
//!   the precision the division would otherwise drop. Likewise fixed-point
//!   products normalised by their scale (`a * price / 1e18`), and products
//!   divided or shifted down afterwards by a scale at least as large as the
//!   multiplier (`(q * 1e18) >> 112`).
//! - Severity: when divisor and multiplier are both constants and the most
//!   that can be lost, `(divisor - 1) * multiplier` base units, is under
//!   10,000, the finding is low (dust).
//! - Remainders carried over: when what the product pays is subtracted
//!   from the state variable that was divided (`per = pool / n; paid =
//!   per * share; pool -= paid`), the dropped remainder stays in the pool
//!   for the next round; not reported.

use std::collections::HashSet;

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::Builtin;
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::constant::{const_value, is_constant};
use crate::analysis::expr::mentions_builtin;
use crate::analysis::expr::strip_conversions;
use crate::analysis::values::{definitions, depends_on, local_of, same_value, sources};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "divide-before-multiply",
    title: "Division before multiplication",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "An integer division is performed before a multiplication, so the remainder it \
drops is multiplied as well and the result loses precision.",
    what: r#"Reports a multiplication (`*` or `*=`) one of whose operands is the result of an
integer division: written in the same expression (`a / b * c`), through a conversion, or
through a local variable assigned the division earlier in the function.

Not reported: divisions of two constants (folded by the compiler); rounding down to a
multiple, where the multiplier is the divisor itself (`amount / lot * lot`); rounding up
(`(x + d - 1) / d * k`); sizes computed from array or byte lengths, which are counts rather
than amounts; and quotients whose remainder the function also computes (`a - b * (a / b)`,
as in Euclid's algorithm), which are integer quotients on purpose; and fixed-point quotients
whose dividend was first multiplied by a large constant (at least 2**16: `a * 2**32 / total`,
`a * 1e18 / total`), where the scale keeps the precision and is divided out later;
fixed-point products normalised by their scale (`collateral * price / 1e18`, two variable
factors over a constant of at least 2**16), whose quotient is rounded to one base unit of
the result; and products that are themselves divided or shifted down by a constant scale at
least as large as the multiplier (`((delta / elapsed) * 1e18) >> 112`: a UQ112x112 average
taken to 18 decimals), where the multiplied rounding error is divided out again. When the
divisor and the multiplier are both constants and the loss is at most `(divisor - 1) *
multiplier` < 10,000 base units (`x * 5 / 100 * 2`), the finding is reported as low: dust."#,
    why: r#"Solidity divisions round toward zero. Dividing first throws away up to `b - 1`
units, and the multiplication then scales that error by `c`: fees computed as
`amount / 10_000 * bps` are zero for every amount under 10,000, and rewards computed as
`elapsed / period * rate` pay nothing for partial periods. Users lose funds to rounding, or
an attacker splits an operation into small pieces that each round to zero fees."#,
    exploit: r#"```solidity
function fee(uint256 amount) public view returns (uint256) {
    return amount / 10_000 * feeBps;   // 30 bps
}
```
1. The attacker swaps 9,999 units at a time: `9_999 / 10_000 == 0`, so every swap pays no fee.
2. Repeated in a loop (or in one multicall), they trade any volume fee-free, at the expense
   of liquidity providers."#,
    fix: r#"Multiply first, then divide (with a full-precision helper such as `mulDiv` when the
product could overflow):
```solidity
return amount * feeBps / 10_000;
```"#,
    references: &[
        "https://docs.soliditylang.org/en/latest/types.html#division",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#divide-before-multiply",
    ],
};

pub struct DivideBeforeMultiply;

impl Detector for DivideBeforeMultiply {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            let mut reported = HashSet::new();
            for (node, n) in f.cfg.nodes() {
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        let (product, operands): (&Expr, Vec<&Expr>) = match &e.kind {
                            ExprKind::Binary {
                                op: BinaryOp::Mul,
                                lhs,
                                rhs,
                            } => (e, vec![lhs, rhs]),
                            ExprKind::Assign {
                                op: Some(BinaryOp::Mul),
                                lhs,
                                rhs,
                            } => (e, vec![lhs, rhs]),
                            _ => return,
                        };
                        for (i, operand) in operands.iter().enumerate() {
                            let other = operands[1 - i];
                            let Some(division) = division_in(cx, f, node, operand) else {
                                continue;
                            };
                            let ExprKind::Binary { rhs: divisor, .. } = &division.kind else {
                                continue;
                            };
                            if is_constant(cx, f.file, division)
                                || same_value(cx, f, divisor, other)
                                || deliberate(cx, f, node, division)
                                || scaled_down_after(cx, f, root, product, other)
                                || remainder_carried_over(cx, f, node, division, product)
                                || !reported.insert(product.id)
                            {
                                continue;
                            }
                            let message = format!(
                                "`{}` multiplies the result of `{}`: the remainder the division \
dropped is multiplied by `{}` too; multiply first, then divide",
                                cx.qualified_name(f.decl),
                                cx.snippet(f.file, division.span, 40),
                                cx.snippet(f.file, other.span, 30),
                            );
                            let mut finding = FindingBuilder::new(
                                &META,
                                message,
                                cx.location_in(f.decl, product.span),
                            );
                            if division.span.start < product.span.start
                                || division.span.end > product.span.end
                            {
                                finding = finding
                                    .related(cx.location_in(f.decl, division.span), "the division");
                            }
                            let mut finding = finding.build();
                            if dust_only(cx, f, divisor, other) {
                                finding.severity = Severity::Low;
                            }
                            out.push(finding);
                        }
                    });
                }
            }
        }
    }
}

/// The division an operand holds: `a / b` itself (conversions and
/// parentheses aside), or a local assigned one.
fn division_in<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    node: NodeIx,
    operand: &'p Expr,
) -> Option<&'p Expr> {
    let e = strip_conversions(cx, f.file, unparen(operand));
    if is_division(e) {
        return Some(e);
    }
    let local = local_of(cx, f, e)?;
    definitions(f, node, local)
        .into_iter()
        .map(|(_, value)| strip_conversions(cx, f.file, unparen(value)))
        .find(|v| is_division(v))
}

fn is_division(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Binary {
            op: BinaryOp::Div,
            ..
        }
    )
}

/// Integer divisions meant as such: rounding up (`(x + d - 1) / d`),
/// sizes (`data.length / 3`: lengths are counts, not amounts), and
/// quotients whose remainder the function computes (`a - b * (a / b)`,
/// Euclid's algorithm).
fn deliberate(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, division: &Expr) -> bool {
    let ExprKind::Binary {
        lhs: dividend,
        rhs: divisor,
        ..
    } = &division.kind
    else {
        return false;
    };
    let rounds_up = match &unparen(dividend).kind {
        ExprKind::Binary {
            op: BinaryOp::Add,
            rhs: bump,
            ..
        } => match (
            const_value(cx, f.file, bump),
            const_value(cx, f.file, divisor),
        ) {
            (Some(c), Some(d)) => c == d - 1.0,
            _ => false,
        },
        _ => false,
    };
    rounds_up
        || scaled_up(cx, f, dividend)
        || fixed_point_product(cx, f, dividend, divisor)
        || sources(cx, f, node, dividend)
            .into_iter()
            .any(|(_, leaf)| mentions_builtin(cx, f.file, leaf, &[Builtin::ArrayLength]))
        || computes_remainder(cx, f, dividend, divisor)
}

/// Whether what the product pays out is subtracted from the dividend's
/// variable (`per = pool / n; paid = per * share; pool -= paid;`): the
/// remainder the division dropped stays in `pool` for the next round,
/// so nothing is lost (pro-rata distributions).
fn remainder_carried_over(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    division: &Expr,
    product: &Expr,
) -> bool {
    let ExprKind::Binary { lhs: dividend, .. } = &division.kind else {
        return false;
    };
    // The dividend must be a variable that outlives the call.
    let Some(pool) = crate::analysis::expr::root_state_var(cx, f.file, dividend) else {
        return false;
    };
    // The product, or the locals it is stored in.
    let paid: Vec<bulwark_sema::DeclId> = f
        .facts(node)
        .defs
        .iter()
        .filter(|d| {
            d.value.and_then(|v| f.expr(v)).is_some_and(|v| {
                v.span.start <= product.span.start && product.span.end <= v.span.end
            })
        })
        .map(|d| d.var)
        .collect();
    let is_paid = |at: NodeIx, e: &Expr| {
        let mut direct = false;
        walk_expr(e, &mut |x| direct |= x.id == product.id);
        direct || paid.iter().any(|&l| depends_on(cx, f, at, e, l))
    };
    f.cfg.nodes().any(|(at, n)| {
        let mut found = false;
        for root in n.exprs() {
            walk_expr(root, &mut |e| {
                let ExprKind::Assign { op, lhs, rhs } = &e.kind else {
                    return;
                };
                if crate::analysis::expr::root_state_var(cx, f.file, lhs) != Some(pool)
                    || !same_value(cx, f, lhs, dividend)
                {
                    return;
                }
                found |= match op {
                    Some(BinaryOp::Sub) => is_paid(at, rhs),
                    None => matches!(
                        &unparen(rhs).kind,
                        ExprKind::Binary { op: BinaryOp::Sub, lhs: kept, rhs: taken }
                            if same_value(cx, f, kept, dividend) && is_paid(at, taken)
                    ),
                    _ => false,
                };
            });
        }
        found
    })
}

/// Below this many base units, a loss is dust whatever the token.
const DUST: f64 = 10_000.0;

/// Whether the divisor and the multiplier are constants small enough that
/// the loss — at most `(divisor - 1) * multiplier` base units — is dust
/// (`x * 5 / 100 * 2` loses under 200 units): reported as low.
fn dust_only(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    divisor: &Expr,
    multiplier: &Expr,
) -> bool {
    match (
        const_value(cx, f.file, divisor),
        const_value(cx, f.file, multiplier),
    ) {
        (Some(d), Some(m)) => (d - 1.0).max(0.0) * m.abs() < DUST,
        _ => false,
    }
}

/// Scales below this are ordinary factors (`x * 5 / 100`), not fixed-point
/// precision (`x * 2**32 / total`, `x * 1e18 / total`).
const MIN_SCALE: f64 = 65536.0;

/// Whether `dividend` is a product with a large constant: the author scaled
/// the value up so that the division keeps its precision (fixed point).
fn scaled_up(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, dividend: &Expr) -> bool {
    match &unparen(dividend).kind {
        ExprKind::Binary {
            op: BinaryOp::Mul,
            lhs,
            rhs,
        } => [lhs, rhs].into_iter().any(|side| {
            const_value(cx, f.file, side).is_some_and(|v| v >= MIN_SCALE) || scaled_up(cx, f, side)
        }),
        _ => false,
    }
}

/// Whether `f` computes `a - b * q` (or `a - q * b`) for the dividend `a`
/// and divisor `b` of a quotient: the quotient is used as an exact
/// integer quotient on purpose.
/// A fixed-point multiplication normalised by its scale: `a * price / 1e18`,
/// `x * ratioX96 / 2**96`, with two non-constant factors and a constant
/// divisor of at least [`MIN_SCALE`]. The quotient is `a` times a
/// fractional factor, rounded to `a`'s own base unit: the dropped
/// remainder is less than one unit of the result, the precision the
/// representation has anyway, not a coarse quotient like `amount / 10_000`.
fn fixed_point_product(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    dividend: &Expr,
    divisor: &Expr,
) -> bool {
    let ExprKind::Binary {
        op: BinaryOp::Mul,
        lhs,
        rhs,
    } = &strip_conversions(cx, f.file, unparen(dividend)).kind
    else {
        return false;
    };
    const_value(cx, f.file, divisor).is_some_and(|d| d >= MIN_SCALE)
        && !is_constant(cx, f.file, lhs)
        && !is_constant(cx, f.file, rhs)
}

/// Whether `product` (in the expression tree `root`) is itself divided,
/// or shifted right, by a constant scale at least as large as the
/// constant `multiplier`: `(q * 1e18) >> 112` takes a fixed-point
/// quotient `q` (UQ112x112) to another scale. The quotient's rounding
/// error, multiplied by `multiplier`, is divided out again and stays
/// under one unit of the result.
fn scaled_down_after(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    root: &Expr,
    product: &Expr,
    multiplier: &Expr,
) -> bool {
    let Some(m) = const_value(cx, f.file, multiplier) else {
        return false;
    };
    let mut found = false;
    walk_expr(root, &mut |e| {
        let ExprKind::Binary { op, lhs, rhs } = &e.kind else {
            return;
        };
        if strip_conversions(cx, f.file, unparen(lhs)).id != product.id {
            return;
        }
        let scale = match (op, const_value(cx, f.file, rhs)) {
            (BinaryOp::Div, Some(s)) => s,
            (BinaryOp::Shr, Some(k)) if (0.0..=255.0).contains(&k) => 2f64.powf(k),
            _ => return,
        };
        found |= scale >= m.abs() && scale >= MIN_SCALE;
    });
    found
}

fn computes_remainder(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    dividend: &Expr,
    divisor: &Expr,
) -> bool {
    let mut found = false;
    for (_, n) in f.cfg.nodes() {
        for root in n.exprs() {
            walk_expr(root, &mut |e| {
                if let ExprKind::Binary {
                    op: BinaryOp::Sub,
                    lhs,
                    rhs,
                } = &e.kind
                {
                    if let ExprKind::Binary {
                        op: BinaryOp::Mul,
                        lhs: x,
                        rhs: y,
                    } = &unparen(rhs).kind
                    {
                        found |= same_value(cx, f, lhs, dividend)
                            && (same_value(cx, f, x, divisor) || same_value(cx, f, y, divisor));
                    }
                }
            });
        }
    }
    found
}
