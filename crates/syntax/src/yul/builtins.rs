//! Names of the EVM dialect's built-in functions and old-style opcodes.
//!
//! The parser treats builtin and user-defined calls alike; this list lets
//! later passes (and [`super::YulBlock::external_references`]) tell an
//! opcode written without parentheses in old-style assembly (`x := gas`)
//! from a reference to a Solidity variable.

/// Sorted for binary search. Covers every EVM version Solidity targeted,
/// including names removed since (`suicide`, `sha3`, `difficulty`,
/// `jump`) and the object-level builtins (`datasize`, `memoryguard`).
const BUILTINS: &[&str] = &[
    "add",
    "addmod",
    "address",
    "and",
    "balance",
    "basefee",
    "blobbasefee",
    "blobhash",
    "blockhash",
    "byte",
    "call",
    "callcode",
    "calldatacopy",
    "calldataload",
    "calldatasize",
    "caller",
    "callvalue",
    "chainid",
    "codecopy",
    "codesize",
    "coinbase",
    "create",
    "create2",
    "datacopy",
    "dataoffset",
    "datasize",
    "delegatecall",
    "difficulty",
    "div",
    "eq",
    "exp",
    "extcodecopy",
    "extcodehash",
    "extcodesize",
    "gas",
    "gaslimit",
    "gasprice",
    "gt",
    "invalid",
    "iszero",
    "jump",
    "jumpdest",
    "jumpi",
    "keccak256",
    "linkersymbol",
    "loadimmutable",
    "log0",
    "log1",
    "log2",
    "log3",
    "log4",
    "lt",
    "mcopy",
    "memoryguard",
    "mload",
    "mod",
    "msize",
    "mstore",
    "mstore8",
    "mul",
    "mulmod",
    "not",
    "number",
    "or",
    "origin",
    "pc",
    "pop",
    "prevrandao",
    "return",
    "returndatacopy",
    "returndatasize",
    "revert",
    "sar",
    "sdiv",
    "selfbalance",
    "selfdestruct",
    "setimmutable",
    "sgt",
    "sha3",
    "shl",
    "shr",
    "signextend",
    "sload",
    "slt",
    "smod",
    "sstore",
    "staticcall",
    "stop",
    "sub",
    "suicide",
    "timestamp",
    "tload",
    "tstore",
    "xor",
];

/// Whether `name` is an EVM builtin or old-style opcode (including the
/// numbered families `dup1`–`dup16`, `swap1`–`swap16`, `push1`–`push32`
/// and `verbatim_<n>i_<m>o`).
pub fn is_evm_builtin(name: &str) -> bool {
    if BUILTINS.binary_search(&name).is_ok() {
        return true;
    }
    let numbered = |prefix: &str, max: u32| {
        name.strip_prefix(prefix)
            .filter(|n| !n.starts_with('0'))
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| (1..=max).contains(&n))
    };
    numbered("dup", 16)
        || numbered("swap", 16)
        || numbered("push", 32)
        || name.starts_with("verbatim_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(BUILTINS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn recognises_builtins_and_numbered_opcodes() {
        for name in [
            "delegatecall",
            "sstore",
            "shl",
            "returndatacopy",
            "gas",
            "dup16",
            "swap1",
            "push32",
        ] {
            assert!(is_evm_builtin(name), "{name}");
        }
        for name in [
            "owner", "x.slot", "dup17", "dup0", "dup01", "push33", "swap", "mstore9",
        ] {
            assert!(!is_evm_builtin(name), "{name}");
        }
    }
}
