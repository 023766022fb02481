//! `power-precedence`: `**` combined with unary minus or with itself in a
//! way that does not compute what the formula says.
//!
//! # Facts used
//! - The parsed tree, which follows the compiler's precedence for the
//!   file's version: unary minus binds tighter than `**` (`-x ** 2` is
//!   `(-x) ** 2`), and `**` is left-associative in old compilers
//!   (`a ** b ** c` is `(a ** b) ** c`).
//! - Whether the operand was parenthesised (an explicit `(-x) ** 2` or
//!   `(a ** b) ** c` says what the author wants).
//! - The exponent's value: for an odd constant exponent `(-x) ** n`
//!   equals `-(x ** n)`, so only even or unknown exponents are reported.

use bulwark_ir::walk::walk_expr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

use crate::analysis::constant::const_value;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "power-precedence",
    title: "Exponentiation precedence mistake",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions (`a ** b ** c` before the compiler made `**` right-associative)",
    summary: "An unparenthesised `-x ** n` or `a ** b ** c` does not compute the formula it \
looks like: unary minus binds tighter than `**`, and old compilers evaluate `**` from the left.",
    what: r#"Reports, without parentheses on the inner operation:
- `-x ** n` where the compiler computes `(-x) ** n` and the exponent is even or unknown
  (for an odd constant exponent both readings agree);
- `a ** b ** c` in files whose compiler evaluates it as `(a ** b) ** c` (before `**`
  became right-associative), where mathematics reads `a ** (b ** c)`.

Expressions with explicit parentheses are the author's choice and are not reported."#,
    why: r#"In mathematics `-x²` is `-(x²)` and `2^3^2` is `2^9`. Solidity parses `-x ** 2` as
`(-x) ** 2`, always positive, and old compilers parse `2 ** 3 ** 2` as `(2 ** 3) ** 2 = 64`
instead of 512. A formula copied from a paper — a curve, an interest model, a penalty —
silently computes something else: a penalty becomes a bonus, a scaling factor is off by
orders of magnitude."#,
    exploit: r#"```solidity
function penalty(int256 deviation) public pure returns (int256) {
    return -deviation ** 2 / 1e18;   // meant -(deviation ** 2): always a penalty
}
```
1. The pricing curve is supposed to charge traders who push the price away from its peg.
2. `(-deviation) ** 2` is positive: every large deviation earns a *rebate*, and a trader
   who pushes the price far from the peg is paid for it."#,
    fix: r#"Write the parentheses you mean:
```solidity
return -(deviation ** 2) / 1e18;
```"#,
    references: &[
        "https://docs.soliditylang.org/en/latest/cheatsheet.html#order-of-precedence-of-operators",
        "https://docs.soliditylang.org/en/latest/080-breaking-changes.html",
    ],
};

pub struct PowerPrecedence;

impl Detector for PowerPrecedence {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (_, n) in f.cfg.nodes() {
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        let Some(problem) = misread_power(cx, f.file, e) else {
                            return;
                        };
                        let message = format!(
                            "`{}` writes `{}`, which {problem}; add parentheses",
                            cx.qualified_name(f.decl),
                            cx.snippet(f.file, e.span, 40)
                        );
                        out.push(
                            FindingBuilder::new(&META, message, cx.location_in(f.decl, e.span))
                                .build(),
                        );
                    });
                }
            }
        }
    }
}

/// What `e` computes when it is a misleading power expression. The tree
/// keeps parentheses as one-element tuples, so a direct child tells that
/// none were written.
fn misread_power(
    cx: &AnalysisContext<'_>,
    file: bulwark_sema::FileId,
    e: &Expr,
) -> Option<&'static str> {
    let ExprKind::Binary {
        op: BinaryOp::Pow,
        lhs,
        rhs,
    } = &e.kind
    else {
        return None;
    };
    match &lhs.kind {
        ExprKind::Unary {
            op: UnaryOp::Neg, ..
        } => {
            let odd = const_value(cx, file, rhs).is_some_and(|v| v % 2.0 == 1.0);
            (!odd).then_some("the compiler evaluates as `(-x) ** n`, not `-(x ** n)`")
        }
        ExprKind::Binary {
            op: BinaryOp::Pow, ..
        } => Some("this compiler evaluates from the left, as `(a ** b) ** c`"),
        _ => None,
    }
}
