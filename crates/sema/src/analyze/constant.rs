//! Compile-time constants: number literals, and the constant expressions
//! array lengths are written with (`uint[N * 2]` with `N` a constant).

use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, Literal, NumberUnit, UnaryOp};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Pow, Signed, ToPrimitive, Zero};

use super::Analyzer;
use crate::decl::{DeclAst, DeclId};
use crate::project::FileId;

/// The value of a number literal (`1e18`, `0xff`, `2.5 ether`).
pub(crate) fn parse_number(text: &str, unit: Option<NumberUnit>) -> Option<BigRational> {
    let mult = unit.map_or(1, NumberUnit::multiplier);
    // Nearly every literal is a plain integer that fits in 128 bits; the
    // general path (string rewriting, big-number parsing, rational
    // multiplication) costs thousands of instructions per literal.
    if let Some(v) = small_integer(text).and_then(|v| v.checked_mul(mult)) {
        return Some(BigRational::from_integer(BigInt::from(v)));
    }
    let text = text.replace('_', "");
    let value = if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        BigRational::from_integer(BigInt::parse_bytes(hex.as_bytes(), 16)?)
    } else {
        let (mantissa, exp) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i64>().ok()?),
            None => (text.as_str(), 0),
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = format!("{int_part}{frac_part}");
        let digits = if digits.is_empty() {
            "0".to_string()
        } else {
            digits
        };
        let num = BigInt::parse_bytes(digits.as_bytes(), 10)?;
        let exp = exp - frac_part.len() as i64;
        if exp.unsigned_abs() > 4096 {
            return None;
        }
        let scale = BigInt::from(10u32).pow(exp.unsigned_abs() as u32);
        if exp >= 0 {
            BigRational::from_integer(num * scale)
        } else {
            BigRational::new(num, scale)
        }
    };
    if mult == 1 {
        return Some(value);
    }
    Some(value * BigRational::from_integer(BigInt::from(mult)))
}

/// A decimal or hex integer literal without separators, exponent or
/// fraction, when it fits in a `u128`.
fn small_integer(text: &str) -> Option<u128> {
    let (digits, radix) = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None => (text, 10),
    };
    // `from_str_radix` would accept a leading sign; literals have none.
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(digits, radix).ok()
}

/// Folds a binary operation on two constants as solc does; `None` when
/// the result is not a constant (fractional shift, huge power, division by
/// zero, comparison).
pub(crate) fn fold_binary(op: BinaryOp, a: &BigRational, b: &BigRational) -> Option<BigRational> {
    let int = |x: &BigRational| x.is_integer().then(|| x.to_integer());
    Some(match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div => {
            if b.is_zero() {
                return None;
            }
            a / b
        }
        BinaryOp::Mod => {
            let (x, y) = (int(a)?, int(b)?);
            if y.is_zero() {
                return None;
            }
            BigRational::from_integer(x % y)
        }
        BinaryOp::Pow => {
            let e = int(b)?;
            let e_small = e.abs().to_u32().filter(|&e| e <= 4096)?;
            let base_bits = a.numer().bits().max(a.denom().bits());
            if base_bits.saturating_mul(e_small as u64) > 4096 {
                return None;
            }
            let p = Pow::pow(a, e_small);
            if e.is_negative() {
                if p.is_zero() {
                    return None;
                }
                p.recip()
            } else {
                p
            }
        }
        BinaryOp::Shl => {
            let s = int(b)?.to_u32().filter(|&s| s <= 4096)?;
            BigRational::from_integer(int(a)? << s)
        }
        BinaryOp::Shr | BinaryOp::Sar => {
            let s = int(b)?.to_u32().filter(|&s| s <= 4096)?;
            // Arithmetic shift rounds towards negative infinity.
            let x = int(a)?;
            let d = BigInt::one() << s;
            BigRational::from_integer(num_integer::Integer::div_floor(&x, &d))
        }
        BinaryOp::BitAnd => BigRational::from_integer(int(a)? & int(b)?),
        BinaryOp::BitOr => BigRational::from_integer(int(a)? | int(b)?),
        BinaryOp::BitXor => BigRational::from_integer(int(a)? ^ int(b)?),
        _ => return None,
    })
}

impl Analyzer<'_> {
    /// The value of a constant expression, following identifiers to
    /// `constant` variables.
    pub(crate) fn const_value(
        &self,
        file: FileId,
        contract: Option<DeclId>,
        e: &Expr,
    ) -> Option<BigRational> {
        self.const_value_depth(file, contract, e, 0)
    }

    fn const_value_depth(
        &self,
        file: FileId,
        contract: Option<DeclId>,
        e: &Expr,
        depth: u32,
    ) -> Option<BigRational> {
        if depth > 32 {
            return None;
        }
        match &e.kind {
            ExprKind::Literal(Literal::Number { value, unit }) => parse_number(value, *unit),
            ExprKind::Tuple(items) if items.len() == 1 => {
                self.const_value_depth(file, contract, items[0].as_ref()?, depth + 1)
            }
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => Some(-self.const_value_depth(file, contract, operand, depth + 1)?),
            ExprKind::Unary {
                op: UnaryOp::BitNot,
                operand,
            } => {
                let v = self.const_value_depth(file, contract, operand, depth + 1)?;
                v.is_integer()
                    .then(|| BigRational::from_integer(!v.to_integer()))
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let a = self.const_value_depth(file, contract, lhs, depth + 1)?;
                let b = self.const_value_depth(file, contract, rhs, depth + 1)?;
                fold_binary(*op, &a, &b)
            }
            ExprKind::Ident(id) => {
                let ids = self.lookup_scoped(file, contract, &id.name)?;
                let d = *ids.first()?;
                let DeclAst::StateVar(v) = self.model.decl(d).ast else {
                    return None;
                };
                if !v.is_constant {
                    return None;
                }
                let vfile = self.model.decl(d).file;
                let vcontract = self.model.decl(d).container;
                self.const_value_depth(vfile, vcontract, v.initializer.as_ref()?, depth + 1)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn number_literals() {
        assert_eq!(parse_number("1e3", None), Some(r(1000, 1)));
        assert_eq!(parse_number("2.5", None), Some(r(5, 2)));
        assert_eq!(parse_number("0xff", None), Some(r(255, 1)));
        assert_eq!(parse_number("1_000", None), Some(r(1000, 1)));
        assert_eq!(
            parse_number("1", Some(NumberUnit::Ether)),
            Some(r(1_000_000_000_000_000_000, 1))
        );
        assert_eq!(parse_number("1e-1", None), Some(r(1, 10)));
        // Past the 128-bit fast path, and a unit that overflows it.
        let big = parse_number("0x1000000000000000000000000000000000", None).unwrap();
        assert_eq!(big.to_integer(), BigInt::from(1u8) << 132);
        let wei = parse_number("1000000000000000000000", Some(NumberUnit::Ether)).unwrap();
        assert_eq!(wei.to_integer(), BigInt::from(10u8).pow(39u32));
        assert_eq!(parse_number("1e", None), None);
    }

    #[test]
    fn folding() {
        assert_eq!(
            fold_binary(BinaryOp::Pow, &r(2, 1), &r(8, 1)),
            Some(r(256, 1))
        );
        assert_eq!(
            fold_binary(BinaryOp::Div, &r(1, 1), &r(2, 1)),
            Some(r(1, 2))
        );
        assert_eq!(fold_binary(BinaryOp::Div, &r(1, 1), &r(0, 1)), None);
        assert_eq!(
            fold_binary(BinaryOp::Shr, &r(-3, 1), &r(1, 1)),
            Some(r(-2, 1))
        );
        assert_eq!(fold_binary(BinaryOp::Lt, &r(1, 1), &r(2, 1)), None);
    }
}
