//! `incorrect-shift`: in inline assembly, `shl`/`shr`/`sar` with the
//! operands swapped, shifting a constant by a variable instead of the
//! variable by a constant.
//!
//! # Facts used
//! - The Yul syntax tree of each assembly block of a function body
//!   (calls of the `shl`, `shr` and `sar` built-ins with two arguments).
//! - The operands' shape: Yul's `shl(shift, value)` takes the shift amount
//!   first. A non-literal shift amount with a decimal literal value that
//!   is a typical shift amount (a multiple of 8 up to 256) is the
//!   `shl(x, 8)`-for-`x << 8` mistake. `shl(x, 1)` (a power of two) and
//!   masks such as `shl(x, 0xff)` or `shl(x, 255)` are deliberate.

use bulwark_ir::cfg::NodeKind;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_syntax::yul::{YulExpression, YulLiteralKind, YulNode};

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "incorrect-shift",
    title: "Shift operands swapped in assembly",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "0.4.21 and later (bitwise shift opcodes)",
    summary: "An assembly shift has its operands in the wrong order: Yul's `shl(a, b)` shifts \
`b` by `a` bits, and here a variable shifts a constant.",
    what: r#"Reports `shl`, `shr` or `sar` in inline assembly whose first argument (the shift
amount) is not a literal while the second (the value shifted) is a decimal literal that
reads like a shift amount: a multiple of 8 up to 256. `shl(x, 8)` computes `8 << x`, while
the author almost certainly meant `x << 8`, written `shl(8, x)`.

Powers of two built as `shl(x, 1)` and masks (`shl(x, 0xff)`, `shl(x, 255)`) are
deliberate and not reported."#,
    why: r#"In Solidity `x << 8` puts the value first; in Yul the shift amount comes first
(`shl(8, x)`), the reverse of the EVM's stack order that many authors remember from other
assembly dialects. Swapped operands give a value that has nothing to do with the intended
one — a storage slot, a packed field, an amount — without any error."#,
    exploit: r#"```solidity
function pack(uint128 amount, uint64 expiry) internal pure returns (uint256 packed) {
    assembly {
        packed := or(shl(amount, 64), expiry)   // meant shl(64, amount)
    }
}
```
1. `shl(amount, 64)` is `64 << amount`: zero for any `amount >= 250`, otherwise a power of
   two times 64, never the amount.
2. A vault that stores positions this way records every deposit as (almost) nothing, or
   as a huge value for small amounts, and pays out accordingly."#,
    fix: r#"Put the shift amount first:
```solidity
packed := or(shl(64, amount), expiry)
```"#,
    references: &[
        "https://docs.soliditylang.org/en/latest/yul.html#evm-dialect",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#incorrect-shift-in-assembly",
    ],
};

pub struct IncorrectShift;

impl Detector for IncorrectShift {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (_, n) in f.cfg.nodes() {
                let NodeKind::Assembly(stmt) = n.kind else {
                    continue;
                };
                stmt.block.walk(|node| {
                    let YulNode::Expression(YulExpression::Call(call)) = node else {
                        return;
                    };
                    let op = call.name.name.as_str();
                    if !matches!(op, "shl" | "shr" | "sar") {
                        return;
                    }
                    let [amount, value] = call.arguments.as_slice() else {
                        return;
                    };
                    let YulExpression::Literal(lit) = value else {
                        return;
                    };
                    let shift_like = lit.kind == YulLiteralKind::Decimal
                        && lit
                            .numeric_value()
                            .is_some_and(|v| (8..=256).contains(&v) && v % 8 == 0);
                    if !shift_like || matches!(amount, YulExpression::Literal(_)) {
                        return;
                    }
                    let amount_text = cx.snippet(f.file, amount.span(), 30);
                    let message = format!(
                        "`{}` computes `{op}({amount_text}, {})`, which shifts the constant {} by \
`{amount_text}` bits; Yul takes the shift amount first, so `{op}({}, {amount_text})` was probably meant",
                        cx.qualified_name(f.decl),
                        lit.raw,
                        lit.raw,
                        lit.raw,
                    );
                    out.push(
                        FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span))
                            .build(),
                    );
                });
            }
        }
    }
}
