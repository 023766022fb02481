//! Where an `address` value comes out `address payable`: address literals
//! and `address(x)` conversions, whose rules changed with 0.5 (two
//! address types) and again with 0.8 (both plain, `payable(x)` to convert).

use sha3::{Digest, Keccak256};

use super::Analyzer;
use crate::decl::DeclId;
use crate::ty::{Mutability, Type};
use crate::version::Version;

/// 0.5 to 0.7: address literals and `address(x)` of an integer, a fixed
/// bytes value, a literal or a contract able to receive ether are
/// `address payable`. Before 0.5 there is one address type, from 0.8 on
/// these are plain `address`.
fn conversions_may_be_payable(v: Version) -> bool {
    v.is_05() && !v.is_08()
}

/// The type of a number literal written with exactly 40 hex digits when
/// it is an address literal: its EIP-55 checksum must hold (solc reads a
/// wrong checksum as a plain number, with a warning before 0.5 and an
/// error after).
pub(crate) fn address_literal_type(text: &str, v: Version) -> Option<Type> {
    let hex = text.strip_prefix("0x")?;
    let valid =
        hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()) && has_valid_checksum(hex);
    valid.then_some(Type::Address {
        payable: conversions_may_be_payable(v),
    })
}

/// EIP-55: a letter is upper case exactly when the matching nibble of the
/// Keccak-256 hash of the lower-case address is 8 or more. Digits only
/// always pass; all-lower or all-upper letters fail (no checksum given).
fn has_valid_checksum(hex: &str) -> bool {
    let lower = hex.to_ascii_lowercase();
    let hash = Keccak256::digest(lower.as_bytes());
    hex.bytes().enumerate().all(|(i, b)| {
        if !b.is_ascii_alphabetic() {
            return true;
        }
        let byte = hash[i / 2];
        let nibble = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
        b.is_ascii_uppercase() == (nibble >= 8)
    })
}

impl Analyzer<'_> {
    /// The result of `address(x)` (`payable` when the target type says so,
    /// or by the 0.5–0.7 rules for `x`'s type).
    pub(crate) fn address_conversion(
        &self,
        target_payable: bool,
        arg: Option<&Type>,
        v: Version,
    ) -> Type {
        let from_arg = conversions_may_be_payable(v)
            && match arg {
                Some(Type::Rational(_) | Type::Int { .. } | Type::FixedBytes(_)) => true,
                Some(Type::Contract(c)) => self.receives_ether(*c, v),
                _ => false,
            };
        Type::Address {
            payable: target_payable || from_arg,
        }
    }

    /// `abi.decode(data, (address))` decodes `address payable` from 0.5 on
    /// (0.8 included, unlike conversions; `address[]` stays plain).
    pub(crate) fn decoded_address(&self, t: Type, v: Version) -> Type {
        match t {
            Type::Address { .. } if v.is_05() => Type::Address { payable: true },
            t => t,
        }
    }

    /// A contract with a receive function (0.6+) or a payable fallback,
    /// its own or inherited.
    fn receives_ether(&self, c: DeclId, v: Version) -> bool {
        let Some(info) = self.model.contract(c) else {
            return false;
        };
        let payable_fallback = info
            .fallback
            .and_then(|f| self.model.function(f))
            .is_some_and(|f| f.mutability == Mutability::Payable);
        payable_fallback || (v.is_06() && info.receive.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eip55_checksums() {
        // The examples of EIP-55, and the one solc suggests in its warning.
        for good in [
            "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
            "dCad3a6d3569DF655070DEd06cb7A1b2Ccd1D3AF",
            "0000000000000000000000000000000000000000",
            "000000000000000000000000000000000000dEaD",
        ] {
            assert!(has_valid_checksum(good), "{good}");
        }
        for bad in [
            "dcad3a6d3569df655070ded06cb7a1b2ccd1d3af",
            "DCAD3A6D3569DF655070DED06CB7A1B2CCD1D3AF",
            "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
        ] {
            assert!(!has_valid_checksum(bad), "{bad}");
        }
    }

    #[test]
    fn address_literals_by_version() {
        let good = "0xdCad3a6d3569DF655070DEd06cb7A1b2Ccd1D3AF";
        let plain = Some(Type::Address { payable: false });
        assert_eq!(address_literal_type(good, Version::new(0, 4, 24)), plain);
        assert_eq!(
            address_literal_type(good, Version::new(0, 7, 6)),
            Some(Type::Address { payable: true })
        );
        assert_eq!(address_literal_type(good, Version::new(0, 8, 0)), plain);
        assert_eq!(
            address_literal_type(&good.to_lowercase(), Version::new(0, 4, 24)),
            None
        );
        assert_eq!(address_literal_type("0x1234", Version::new(0, 8, 0)), None);
        assert_eq!(
            address_literal_type(
                "0x00dcad3a6d3569df655070ded06cb7a1b2ccd1d3af",
                Version::new(0, 8, 0)
            ),
            None
        );
    }
}
