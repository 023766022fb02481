//! Human-readable revert reasons.

use alloy_dyn_abi::{DynSolType, DynSolValue};
use revm::primitives::U256;

const ERROR_SELECTOR: [u8; 4] = [0x08, 0xc3, 0x79, 0xa0];

/// `Panic(0x01)`: a failed `assert`.
pub fn is_assert_panic(output: &[u8]) -> bool {
    panic_code(output) == Some(U256::from(1))
}

pub fn panic_code(output: &[u8]) -> Option<U256> {
    if output.len() == 36 && output[..4] == crate::evm::PANIC_SELECTOR {
        Some(U256::from_be_slice(&output[4..]))
    } else {
        None
    }
}

fn panic_meaning(code: U256) -> &'static str {
    match code.saturating_to::<u64>() {
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "invalid storage byte array",
        0x31 => "pop on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to an uninitialised function",
        _ => "panic",
    }
}

/// Describes revert data: `Error(string)` text, panic meaning, or hex.
pub fn describe(output: &[u8]) -> String {
    if output.is_empty() {
        return "reverted without a reason".to_string();
    }
    if let Some(code) = panic_code(output) {
        return format!("panic 0x{code:02x} ({})", panic_meaning(code));
    }
    if output.len() >= 4 && output[..4] == ERROR_SELECTOR {
        if let Ok(DynSolValue::String(s)) = DynSolType::String.abi_decode(&output[4..]) {
            return format!("reverted: {s}");
        }
    }
    format!("reverted with 0x{}", hex(output))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_errors_and_panics() {
        let mut panic = crate::evm::PANIC_SELECTOR.to_vec();
        panic.extend([0u8; 31]);
        panic.push(1);
        assert!(is_assert_panic(&panic));
        assert_eq!(describe(&panic), "panic 0x01 (assertion failed)");
        let mut err = ERROR_SELECTOR.to_vec();
        err.extend(DynSolValue::String("nope".into()).abi_encode());
        assert_eq!(describe(&err), "reverted: nope");
        assert_eq!(describe(&[]), "reverted without a reason");
    }
}
