//! Readable, Solidity-like text for values and calls (terminal output and
//! comments in proofs of concept).

use alloy_dyn_abi::DynSolValue;
use revm::primitives::{Address, U256};

use crate::campaign::Call;
use crate::revert::hex;
use crate::world::World;

/// Solidity-literal-like text for a value.
pub fn value(v: &DynSolValue) -> String {
    match v {
        DynSolValue::Bool(b) => b.to_string(),
        DynSolValue::Uint(n, _) => number(*n),
        DynSolValue::Int(n, _) => n.to_string(),
        DynSolValue::Address(a) => a.to_checksum(None),
        DynSolValue::FixedBytes(w, n) => format!("0x{}", hex(&w[..*n])),
        DynSolValue::Bytes(b) => format!("hex\"{}\"", hex(b)),
        DynSolValue::String(s) => string_literal(s),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) => {
            format!(
                "[{}]",
                items.iter().map(value).collect::<Vec<_>>().join(", ")
            )
        }
        DynSolValue::Tuple(items) => {
            format!(
                "({})",
                items.iter().map(value).collect::<Vec<_>>().join(", ")
            )
        }
        other => format!("{other:?}"),
    }
}

/// Decimal, except for large powers-of-two-ish values where hex reads
/// better (`type(uint256).max` style values).
pub fn number(n: U256) -> String {
    if n > U256::from(u64::MAX) && n.count_ones() > 200 {
        format!("{n:#x}")
    } else {
        n.to_string()
    }
}

/// A Solidity string literal (only printable ASCII kept as is).
pub fn string_literal(s: &str) -> String {
    let mut out = String::from("\"");
    for b in s.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// Short form of an address for the terminal (`0x…10000`).
pub fn short_address(a: Address) -> String {
    let full = a.to_checksum(None);
    let trimmed = full[2..].trim_start_matches('0');
    if trimmed.len() <= 8 {
        format!("0x{}", if trimmed.is_empty() { "0" } else { trimmed })
    } else {
        full
    }
}

/// `Vault.deposit{value: 5}(1, 0x10000) from 0x20000 (+3600 s, +300 blocks)`
pub fn call(world: &World, c: &Call) -> String {
    let t = &world.targets[c.target];
    let f = &t.functions[c.func];
    let args: Vec<String> = c.args.iter().map(value).collect();
    let value_part = if f.payable && !c.value.is_zero() {
        format!("{{value: {}}}", number(c.value))
    } else {
        String::new()
    };
    let mut text = format!(
        "{}.{}{}({}) from {}",
        t.name,
        f.function.name,
        value_part,
        args.join(", "),
        short_address(c.sender)
    );
    if c.warp > 0 || c.roll > 0 {
        text.push_str(&format!(" (after +{} s, +{} blocks)", c.warp, c.roll));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use revm::primitives::I256;

    #[test]
    fn values_look_like_solidity() {
        assert_eq!(value(&DynSolValue::Uint(U256::from(42), 256)), "42");
        assert_eq!(
            value(&DynSolValue::Int(I256::try_from(-3).unwrap(), 8)),
            "-3"
        );
        assert_eq!(value(&DynSolValue::String("a\"b".into())), "\"a\\\"b\"");
        assert_eq!(value(&DynSolValue::Bytes(vec![1, 0xab])), "hex\"01ab\"");
        assert_eq!(number(U256::MAX), format!("{:#x}", U256::MAX));
        let a: Address = "0x0000000000000000000000000000000000010000"
            .parse()
            .unwrap();
        assert_eq!(short_address(a), "0x10000");
    }
}
