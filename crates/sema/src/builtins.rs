//! Built-in globals and members, with the compiler versions that have them.
//!
//! Detectors care about *which* built-in an expression is (`tx.origin`,
//! `block.timestamp`, `delegatecall`, …) independently of spelling, so every
//! one the language offers has a variant here; name resolution records it
//! as [`crate::Res::Builtin`].

use crate::version::Version;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Builtin {
    // --- global objects and functions ---------------------------------
    /// The `msg` object.
    Msg,
    /// The `block` object.
    Block,
    /// The `tx` object.
    Tx,
    /// The `abi` object (0.4.22+).
    Abi,
    /// `now` (< 0.7), an alias of `block.timestamp`.
    Now,
    /// Global `blockhash(n)` (0.4.22+).
    Blockhash,
    /// `blobhash(i)` (0.8.24+).
    Blobhash,
    /// `gasleft()` (0.4.21+).
    Gasleft,
    Keccak256,
    /// `sha3` (< 0.5), an alias of `keccak256`.
    Sha3,
    Sha256,
    Ripemd160,
    Ecrecover,
    Addmod,
    Mulmod,
    Selfdestruct,
    /// `suicide` (< 0.5), an alias of `selfdestruct`.
    Suicide,
    Require,
    Assert,
    Revert,
    This,
    Super,
    /// The `type` in `type(T)` (0.5.3+), a built-in function in solc's AST.
    TypeOf,

    // --- msg / tx / block members --------------------------------------
    MsgSender,
    MsgValue,
    MsgData,
    MsgSig,
    /// `msg.gas` (< 0.5).
    MsgGas,
    TxOrigin,
    TxGasprice,
    BlockTimestamp,
    BlockNumber,
    /// `block.difficulty` (meaning prevrandao after the merge).
    BlockDifficulty,
    /// `block.prevrandao` (0.8.18+).
    BlockPrevrandao,
    BlockCoinbase,
    BlockGaslimit,
    /// `block.basefee` (0.8.7+).
    BlockBasefee,
    /// `block.blobbasefee` (0.8.24+).
    BlockBlobbasefee,
    /// `block.chainid` (0.8.0+).
    BlockChainid,
    /// `block.blockhash(n)` (< 0.5).
    BlockBlockhash,

    // --- abi members ---------------------------------------------------
    AbiEncode,
    AbiEncodePacked,
    AbiEncodeWithSelector,
    AbiEncodeWithSignature,
    /// `abi.encodeCall` (0.8.11+).
    AbiEncodeCall,
    /// `abi.decode` (0.5+).
    AbiDecode,

    // --- address members -----------------------------------------------
    AddressBalance,
    /// `a.code` (0.8.0+).
    AddressCode,
    /// `a.codehash` (0.8.0+).
    AddressCodehash,
    AddressTransfer,
    AddressSend,
    AddressCall,
    AddressDelegatecall,
    /// `a.callcode` (< 0.5).
    AddressCallcode,
    /// `a.staticcall` (0.5+).
    AddressStaticcall,

    // --- arrays and bytes/string ---------------------------------------
    ArrayPush,
    ArrayPop,
    ArrayLength,
    /// `bytes.concat` (0.8.4+).
    BytesConcat,
    /// `string.concat` (0.8.12+).
    StringConcat,

    // --- type(T) members (0.6+) ----------------------------------------
    /// `type(I).min` (0.6.8+).
    TypeMin,
    TypeMax,
    /// `type(C).name`.
    TypeName,
    TypeCreationCode,
    TypeRuntimeCode,
    /// `type(I).interfaceId` (0.6.7+).
    TypeInterfaceId,

    // --- function, error, event and value-type members -----------------
    /// `f.selector` of an external function, error (0.8.4+) or event (0.8.15+).
    Selector,
    /// `f.address` of an external function (0.6+).
    FunctionAddress,
    /// Legacy call option `f.value(x)` (< 0.7).
    FunctionValue,
    /// Legacy call option `f.gas(x)` (< 0.7).
    FunctionGas,
    /// `T.wrap(x)` of a user-defined value type (0.8.8+).
    Wrap,
    /// `T.unwrap(x)`.
    Unwrap,
}

impl Builtin {
    /// The name as written in source (the member name for members).
    pub fn name(self) -> &'static str {
        use Builtin::*;
        match self {
            Msg => "msg",
            Block => "block",
            Tx => "tx",
            Abi => "abi",
            Now => "now",
            Blockhash | BlockBlockhash => "blockhash",
            Blobhash => "blobhash",
            Gasleft => "gasleft",
            Keccak256 => "keccak256",
            Sha3 => "sha3",
            Sha256 => "sha256",
            Ripemd160 => "ripemd160",
            Ecrecover => "ecrecover",
            Addmod => "addmod",
            Mulmod => "mulmod",
            Selfdestruct => "selfdestruct",
            Suicide => "suicide",
            Require => "require",
            Assert => "assert",
            Revert => "revert",
            This => "this",
            Super => "super",
            TypeOf => "type",
            MsgSender => "sender",
            MsgValue => "value",
            MsgData => "data",
            MsgSig => "sig",
            MsgGas => "gas",
            TxOrigin => "origin",
            TxGasprice => "gasprice",
            BlockTimestamp => "timestamp",
            BlockNumber => "number",
            BlockDifficulty => "difficulty",
            BlockPrevrandao => "prevrandao",
            BlockCoinbase => "coinbase",
            BlockGaslimit => "gaslimit",
            BlockBasefee => "basefee",
            BlockBlobbasefee => "blobbasefee",
            BlockChainid => "chainid",
            AbiEncode => "encode",
            AbiEncodePacked => "encodePacked",
            AbiEncodeWithSelector => "encodeWithSelector",
            AbiEncodeWithSignature => "encodeWithSignature",
            AbiEncodeCall => "encodeCall",
            AbiDecode => "decode",
            AddressBalance => "balance",
            AddressCode => "code",
            AddressCodehash => "codehash",
            AddressTransfer => "transfer",
            AddressSend => "send",
            AddressCall => "call",
            AddressDelegatecall => "delegatecall",
            AddressCallcode => "callcode",
            AddressStaticcall => "staticcall",
            ArrayPush => "push",
            ArrayPop => "pop",
            ArrayLength => "length",
            BytesConcat | StringConcat => "concat",
            TypeMin => "min",
            TypeMax => "max",
            TypeName => "name",
            TypeCreationCode => "creationCode",
            TypeRuntimeCode => "runtimeCode",
            TypeInterfaceId => "interfaceId",
            Selector => "selector",
            FunctionAddress => "address",
            FunctionValue => "value",
            FunctionGas => "gas",
            Wrap => "wrap",
            Unwrap => "unwrap",
        }
    }

    /// Whether compilers of version `v` know this built-in.
    pub fn available_in(self, v: Version) -> bool {
        use Builtin::*;
        let at_least = |minor, patch| v >= Version::new(0, minor, patch);
        match self {
            Now => !at_least(7, 0),
            Sha3 | Suicide | MsgGas | BlockBlockhash | AddressCallcode => !at_least(5, 0),
            Abi
            | AbiEncode
            | AbiEncodePacked
            | AbiEncodeWithSelector
            | AbiEncodeWithSignature
            | Blockhash => at_least(4, 22),
            Gasleft => at_least(4, 21),
            AbiDecode | AddressStaticcall => at_least(5, 0),
            AbiEncodeCall => at_least(8, 11),
            Blobhash | BlockBlobbasefee => at_least(8, 24),
            BlockPrevrandao => at_least(8, 18),
            BlockBasefee => at_least(8, 7),
            BlockChainid | AddressCode | AddressCodehash => at_least(8, 0),
            BytesConcat => at_least(8, 4),
            StringConcat => at_least(8, 12),
            TypeName | TypeCreationCode | TypeRuntimeCode => at_least(6, 0),
            TypeInterfaceId => at_least(6, 7),
            TypeMin | TypeMax => at_least(6, 8),
            FunctionAddress => at_least(6, 0),
            FunctionValue | FunctionGas => !at_least(7, 0),
            Wrap | Unwrap => at_least(8, 8),
            _ => true,
        }
    }

    /// Reads of these depend on the block or transaction, not on state or
    /// arguments: useful to taint analyses.
    pub fn is_environment_value(self) -> bool {
        use Builtin::*;
        matches!(
            self,
            Now | MsgSender
                | MsgValue
                | MsgData
                | MsgSig
                | MsgGas
                | TxOrigin
                | TxGasprice
                | BlockTimestamp
                | BlockNumber
                | BlockDifficulty
                | BlockPrevrandao
                | BlockCoinbase
                | BlockGaslimit
                | BlockBasefee
                | BlockBlobbasefee
                | BlockChainid
                | Blockhash
                | BlockBlockhash
                | Blobhash
                | Gasleft
        )
    }

    /// Low-level calls on an address (they do not revert on failure, except
    /// `transfer`).
    pub fn is_low_level_call(self) -> bool {
        use Builtin::*;
        matches!(
            self,
            AddressCall | AddressDelegatecall | AddressCallcode | AddressStaticcall | AddressSend
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_follows_versions() {
        let v04 = Version::new(0, 4, 24);
        let v08 = Version::new(0, 8, 20);
        assert!(Builtin::Now.available_in(v04) && !Builtin::Now.available_in(v08));
        assert!(Builtin::Sha3.available_in(v04) && !Builtin::Sha3.available_in(v08));
        assert!(!Builtin::BlockChainid.available_in(v04));
        assert!(Builtin::BlockPrevrandao.available_in(v08));
        assert!(!Builtin::BlockPrevrandao.available_in(Version::new(0, 8, 17)));
        assert_eq!(Builtin::BlockBlockhash.name(), "blockhash");
    }
}
