//! Implicit conversions, the "mobile" type of literals and the common type
//! of two operands: what overload resolution and operator typing need.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use super::infos::{same_ignoring_location, same_params};
use super::Analyzer;
use crate::decl::DeclKind;
use crate::ty::{DataLocation, Mutability, Type};

/// A function value may lose guarantees, never gain them: `pure` →
/// `view` → non-payable, and `payable` → non-payable.
fn mutability_converts(from: Mutability, to: Mutability) -> bool {
    from == to
        || matches!(
            (from, to),
            (Mutability::Pure, Mutability::View | Mutability::NonPayable)
                | (
                    Mutability::View | Mutability::Payable,
                    Mutability::NonPayable
                )
        )
}

/// Whether the integer `v` fits in `intN`/`uintN`.
pub(crate) fn fits_int(v: &BigInt, signed: bool, bits: u16) -> bool {
    if signed {
        let half = BigInt::one() << (bits as usize - 1).min(255);
        *v >= -half.clone() && *v < half
    } else {
        !v.is_negative() && v.bits() <= bits as u64
    }
}

/// The smallest integer type holding a constant (solc's mobile type of an
/// `int_const`); `None` for fractions and values over 256 bits.
pub(crate) fn mobile_int(v: &BigRational) -> Option<Type> {
    if !v.is_integer() {
        return None;
    }
    let n = v.to_integer();
    if n.is_negative() {
        let bits = ((-&n - BigInt::one()).bits() + 1).div_ceil(8) * 8;
        (bits <= 256).then(|| Type::Int {
            signed: true,
            bits: bits.max(8) as u16,
        })
    } else {
        let bits = n.bits().div_ceil(8) * 8;
        (bits <= 256).then(|| Type::uint(bits.max(8) as u16))
    }
}

impl Analyzer<'_> {
    /// solc's `isImplicitlyConvertibleTo`, for the cases that matter to
    /// overload resolution and operator typing.
    pub(crate) fn implicitly_convertible(&self, from: &Type, to: &Type) -> bool {
        if from == to {
            return true;
        }
        match (from, to) {
            (Type::Rational(v), Type::Int { signed, bits }) => {
                v.is_integer() && fits_int(&v.to_integer(), *signed, *bits)
            }
            (Type::Rational(v), Type::FixedBytes(n)) => {
                // Only zero and hex literals of the exact size; we do not
                // keep the spelling, so accept values that fit.
                v.is_integer() && !v.is_negative() && v.to_integer().bits() <= *n as u64 * 8
            }
            (Type::Rational(v), Type::Fixed { .. }) => !v.is_zero() || v.is_zero(),
            (Type::Rational(v), Type::Address { .. }) => {
                v.is_integer() && v.to_integer().bits() > 128 && v.to_integer().bits() <= 160
            }
            (
                Type::Int {
                    signed: s1,
                    bits: b1,
                },
                Type::Int {
                    signed: s2,
                    bits: b2,
                },
            ) => (s1 == s2 && b1 <= b2) || (!s1 && *s2 && b1 < b2),
            (Type::FixedBytes(a), Type::FixedBytes(b)) => a <= b,
            (Type::StringLiteral(_), Type::String(_) | Type::Bytes(_)) => true,
            (Type::StringLiteral(s), Type::FixedBytes(n)) => s.len() <= *n as usize,
            (Type::Address { payable: true }, Type::Address { .. }) => true,
            (Type::Contract(c), Type::Address { payable }) => {
                // Before 0.5 contracts convert to address implicitly.
                let v = self
                    .model
                    .project
                    .file(self.model.decl(*c).file)
                    .version
                    .effective;
                !v.is_05() && !payable || !v.is_05()
            }
            (Type::Contract(a), Type::Contract(b)) => self
                .model
                .contract(*a)
                .is_some_and(|c| c.linearization.contains(b)),
            (Type::Bytes(_), Type::Bytes(_)) | (Type::String(_), Type::String(_)) => true,
            (Type::Struct { decl: a, .. }, Type::Struct { decl: b, .. }) => a == b,
            (Type::Array { .. }, Type::Array { .. }) => same_ignoring_location(from, to),
            (Type::Array { .. }, Type::ArraySlice(_))
            | (Type::ArraySlice(_), Type::Array { .. }) => true,
            (Type::Tuple(a), Type::Tuple(b)) => {
                a.len() == b.len()
                    && a.iter().zip(b).all(|(x, y)| match (x, y) {
                        (Some(x), Some(y)) => self.implicitly_convertible(x, y),
                        _ => true,
                    })
            }
            (Type::Function(a), Type::Function(b)) => {
                a.kind == b.kind
                    && same_params(&a.params, &b.params)
                    && same_params(&a.returns, &b.returns)
                    && mutability_converts(a.mutability, b.mutability)
            }
            (Type::Udvt(a), Type::Udvt(b)) => a == b,
            (Type::Enum(a), Type::Enum(b)) => a == b,
            _ => false,
        }
    }

    /// The type a literal takes when it must become a value of its own:
    /// `int_const 5` → `uint8`, `literal_string` → `string memory`.
    pub(crate) fn mobile(&self, t: &Type) -> Type {
        match t {
            Type::Rational(v) => mobile_int(v).unwrap_or_else(|| {
                // Fractions become ufixed/fixed in solc; rarely matters.
                Type::Fixed {
                    signed: v.is_negative(),
                    bits: 128,
                    decimals: 18,
                }
            }),
            Type::StringLiteral(_) => Type::String(DataLocation::Memory),
            Type::Tuple(items) => Type::Tuple(
                items
                    .iter()
                    .map(|i| i.as_ref().map(|t| self.mobile(t)))
                    .collect(),
            ),
            _ => t.clone(),
        }
    }

    /// The type both operands convert to (`None` if neither converts to
    /// the other). As in solc, each is compared with the other's mobile
    /// type: `uint32 + 2**32` is `uint40`, the literal's smallest type.
    pub(crate) fn common_type(&self, a: &Type, b: &Type) -> Option<Type> {
        if let (Type::Rational(_), Type::Rational(_)) = (a, b) {
            return None;
        }
        let (ma, mb) = (self.mobile(a), self.mobile(b));
        if self.implicitly_convertible(b, &ma) {
            Some(ma)
        } else if self.implicitly_convertible(a, &mb) {
            Some(mb)
        } else {
            None
        }
    }

    /// Whether `d` names a library.
    pub(crate) fn is_library(&self, d: crate::decl::DeclId) -> bool {
        self.model.decl(d).kind == DeclKind::Contract
            && self
                .model
                .contract(d)
                .is_some_and(|c| c.kind == bulwark_syntax::ast::ContractKind::Library)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64) -> BigRational {
        BigRational::from_integer(BigInt::from(n))
    }

    #[test]
    fn mobile_types_of_constants() {
        assert_eq!(mobile_int(&r(0)), Some(Type::uint(8)));
        assert_eq!(mobile_int(&r(255)), Some(Type::uint(8)));
        assert_eq!(mobile_int(&r(256)), Some(Type::uint(16)));
        assert_eq!(
            mobile_int(&r(-1)),
            Some(Type::Int {
                signed: true,
                bits: 8
            })
        );
        assert_eq!(
            mobile_int(&r(-129)),
            Some(Type::Int {
                signed: true,
                bits: 16
            })
        );
        assert!(fits_int(&BigInt::from(-128), true, 8));
        assert!(!fits_int(&BigInt::from(128), true, 8));
    }
}
