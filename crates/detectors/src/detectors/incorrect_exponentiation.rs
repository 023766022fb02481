//! `incorrect-exponentiation`: `^` (bitwise xor) written where a power
//! was meant, as in `10 ^ 18`.
//!
//! # Facts used
//! - Binary `^` expressions whose left operand is the decimal literal `2`
//!   or `10` (the bases of powers in contracts: bit widths and decimals),
//!   or whose two operands are both decimal literals. Nobody xors a
//!   decimal ten with a count of decimals; hexadecimal literals (masks)
//!   are left alone.

use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::FileId;
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, Literal};

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "incorrect-exponentiation",
    title: "Bitwise xor used as exponentiation",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "`^` is bitwise xor in Solidity, not a power: `10 ^ 18` is 24, not 10**18.",
    what: r#"Reports `a ^ b` where `a` is the decimal literal `2` or `10`, or where both operands
are decimal literals: the shapes of a power written with the caret of mathematics and
spreadsheets. Xor of hexadecimal masks and of variables is not reported."#,
    why: r#"Solidity's power operator is `**`; `^` is xor. `10 ^ 18` evaluates to 24, so an
amount meant to be scaled by 10^18 is scaled by 24, and `2 ^ 256 - 1` meant as the maximum
integer is 257. Prices, decimals conversions, caps and thresholds built this way are wrong
by orders of magnitude, without any compiler error."#,
    exploit: r#"```solidity
uint256 public constant ONE = 10 ^ 18;                 // 24
function mintFor(uint256 paid) external payable {
    require(msg.value == paid * 1 ether / price);
    _mint(msg.sender, paid * ONE);                     // meant paid * 1e18
}
```
1. `ONE` is 24, so every purchase mints `paid * 24` base units instead of `paid` whole
   tokens.
2. Buyers receive a dust amount for their ether; and in the other direction, a threshold
   such as `amount < 2 ^ 64` meant as 2^64 is `66`, so an overflow check passes values far
   beyond the intended range."#,
    fix: r#"Use `**` (and parentheses where precedence matters), or scientific notation:
```solidity
uint256 public constant MAX_SUPPLY = 1_000_000 * 10 ** 18; // or 1_000_000e18
```"#,
    references: &[
        "https://docs.soliditylang.org/en/latest/types.html#exponentiation",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#incorrect-exponentiation",
    ],
};

pub struct IncorrectExponentiation;

impl Detector for IncorrectExponentiation {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        // Function bodies and state variable initialisers (constants).
        for f in cx.ir.functions() {
            for (_, n) in f.cfg.nodes() {
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        if let Some(message) = xor_as_power(cx, f.file, e) {
                            let message = format!("`{}`: {message}", cx.qualified_name(f.decl));
                            out.push(
                                FindingBuilder::new(&META, message, cx.location_in(f.decl, e.span))
                                    .build(),
                            );
                        }
                    });
                }
            }
        }
        for var in cx.model.state_vars() {
            let (Some(init), Some(contract)) = (var.ast.initializer.as_ref(), var.contract) else {
                continue;
            };
            walk_expr(init, &mut |e| {
                if let Some(message) = xor_as_power(cx, var.file, e) {
                    let message = format!("`{}`: {message}", cx.model.decl(var.decl).name);
                    out.push(
                        FindingBuilder::new(
                            &META,
                            message,
                            cx.location_in_contract(contract, var.file, e.span),
                        )
                        .build(),
                    );
                }
            });
        }
    }
}

/// The message for `a ^ b` when it reads as a power: the base `2` or `10`
/// (alone, or as the last factor of a product, `x * 10 ^ 18`), or two
/// decimal literals.
fn xor_as_power(cx: &AnalysisContext<'_>, file: FileId, e: &Expr) -> Option<String> {
    let ExprKind::Binary {
        op: BinaryOp::BitXor,
        lhs,
        rhs,
    } = &e.kind
    else {
        return None;
    };
    let base = match &unparen(lhs).kind {
        ExprKind::Binary {
            op: BinaryOp::Mul,
            rhs: factor,
            ..
        } => decimal(factor),
        _ => decimal(lhs),
    }?;
    let power_base = base == "2" || base == "10";
    if !power_base && decimal(rhs).is_none() {
        return None;
    }
    let written = cx.snippet(file, e.span, 40);
    Some(format!(
        "`{written}` is bitwise xor, not exponentiation (`^` also binds more loosely than `*`); \
write `{base} ** …`"
    ))
}

/// The digits of a decimal number literal without unit.
fn decimal(e: &Expr) -> Option<&str> {
    match &unparen(e).kind {
        ExprKind::Literal(Literal::Number { value, unit: None })
            if !value.starts_with("0x") && value.chars().all(|c| c.is_ascii_digit()) =>
        {
            Some(value.as_str())
        }
        _ => None,
    }
}
