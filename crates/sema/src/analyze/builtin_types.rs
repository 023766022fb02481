//! Types of the built-in globals and members, per compiler version.

use super::Analyzer;
use crate::builtins::Builtin;
use crate::decl::DeclId;
use crate::ty::{DataLocation, FunctionKind, FunctionType, Magic, Mutability, Type};
use crate::version::Version;

fn func(b: Builtin, params: Vec<Type>, returns: Vec<Type>, m: Mutability) -> Type {
    Type::Function(Box::new(FunctionType {
        kind: FunctionKind::Builtin(b),
        params,
        returns,
        mutability: m,
        decl: None,
        bound: false,
    }))
}

fn bytes_mem() -> Type {
    Type::Bytes(DataLocation::Memory)
}

fn string_mem() -> Type {
    Type::String(DataLocation::Memory)
}

/// `msg.sender`/`tx.origin`: `address` in 0.4 and 0.8+, `address payable`
/// in between.
fn sender_type(v: Version) -> Type {
    Type::Address {
        payable: v.is_05() && !v.is_08(),
    }
}

impl Analyzer<'_> {
    /// A global name (`msg`, `require`, `now`, `this`, …) in `contract`
    /// under version `v`; `args` is the argument count when the name is
    /// called (to pick the `require`/`revert` overload). `newest` is the
    /// newest release the file may be compiled with: what it added within
    /// `v`'s series is available too (see [`available`]).
    pub(crate) fn global_builtin(
        &self,
        name: &str,
        v: Version,
        newest: Version,
        contract: Option<DeclId>,
        args: Option<&[Type]>,
    ) -> Option<(Builtin, Type)> {
        use Builtin::*;
        use Mutability::*;
        let b = match name {
            "msg" => Msg,
            "block" => Block,
            "tx" => Tx,
            "abi" => Abi,
            "now" => Now,
            "blockhash" => Blockhash,
            "blobhash" => Blobhash,
            "gasleft" => Gasleft,
            "keccak256" => Keccak256,
            "sha3" => Sha3,
            "sha256" => Sha256,
            "ripemd160" => Ripemd160,
            "ecrecover" => Ecrecover,
            "addmod" => Addmod,
            "mulmod" => Mulmod,
            "selfdestruct" => Selfdestruct,
            "suicide" => Suicide,
            "require" => Require,
            "assert" => Assert,
            "revert" => Revert,
            "this" => This,
            "super" => Super,
            _ => return None,
        };
        if !available(b, v, newest) {
            return None;
        }
        let u256 = Type::UINT256;
        let hash_params = if v.is_05() { vec![bytes_mem()] } else { vec![] };
        let n = args.map_or(1, <[Type]>::len);
        let ty = match b {
            Msg => Type::Magic(Magic::Msg),
            Block => Type::Magic(Magic::Block),
            Tx => Type::Magic(Magic::Tx),
            Abi => Type::Magic(Magic::Abi),
            Now => u256,
            Blockhash | Blobhash => func(b, vec![u256], vec![Type::FixedBytes(32)], View),
            Gasleft => func(b, vec![], vec![u256], View),
            Keccak256 | Sha3 | Sha256 => func(b, hash_params, vec![Type::FixedBytes(32)], Pure),
            Ripemd160 => func(b, hash_params, vec![Type::FixedBytes(20)], Pure),
            Ecrecover => func(
                b,
                vec![
                    Type::FixedBytes(32),
                    Type::uint(8),
                    Type::FixedBytes(32),
                    Type::FixedBytes(32),
                ],
                vec![Type::Address { payable: false }],
                Pure,
            ),
            Addmod | Mulmod => func(
                b,
                vec![u256.clone(), u256.clone(), u256.clone()],
                vec![u256],
                Pure,
            ),
            Selfdestruct | Suicide => func(
                b,
                vec![Type::Address { payable: v.is_05() }],
                vec![],
                NonPayable,
            ),
            Require => {
                let mut params = vec![Type::Bool];
                if n >= 2 {
                    let second = match args.and_then(|a| a.get(1)) {
                        // 0.8.26+: `require(cond, CustomError(...))`.
                        Some(Type::Error) => Type::Error,
                        _ => string_mem(),
                    };
                    params.push(second);
                }
                func(b, params, vec![], Pure)
            }
            Assert => func(b, vec![Type::Bool], vec![], Pure),
            Revert => {
                let params = if n >= 1 { vec![string_mem()] } else { vec![] };
                func(b, params, vec![], Pure)
            }
            This => match contract {
                Some(c) => Type::Contract(c),
                None => Type::Unknown,
            },
            // 0.8 displays `super` as a type: `type(contract super C)`.
            Super => match contract {
                Some(c) if v.is_08() => Type::TypeType(Box::new(Type::Super(c))),
                Some(c) => Type::Super(c),
                None => Type::Unknown,
            },
            _ => return None,
        };
        Some((b, ty))
    }

    /// Built-in members of magic objects, addresses, arrays, function
    /// values, `type(T)` and value types.
    pub(crate) fn builtin_member(
        &self,
        base: &Type,
        name: &str,
        v: Version,
        newest: Version,
    ) -> Option<(Builtin, Type)> {
        use Builtin::*;
        use Mutability::*;
        let u256 = Type::UINT256;
        let found = match base {
            Type::Magic(Magic::Msg) => match name {
                "sender" => (MsgSender, sender_type(v)),
                "value" => (MsgValue, u256),
                "data" => (MsgData, Type::Bytes(DataLocation::Calldata)),
                "sig" => (MsgSig, Type::FixedBytes(4)),
                "gas" => (MsgGas, u256),
                _ => return None,
            },
            Type::Magic(Magic::Tx) => match name {
                "origin" => (TxOrigin, sender_type(v)),
                "gasprice" => (TxGasprice, u256),
                _ => return None,
            },
            Type::Magic(Magic::Block) => match name {
                "timestamp" => (BlockTimestamp, u256),
                "number" => (BlockNumber, u256),
                "difficulty" => (BlockDifficulty, u256),
                "prevrandao" => (BlockPrevrandao, u256),
                "gaslimit" => (BlockGaslimit, u256),
                "basefee" => (BlockBasefee, u256),
                "blobbasefee" => (BlockBlobbasefee, u256),
                "chainid" => (BlockChainid, u256),
                "coinbase" => (BlockCoinbase, Type::Address { payable: v.is_05() }),
                "blockhash" => (
                    BlockBlockhash,
                    func(BlockBlockhash, vec![u256], vec![Type::FixedBytes(32)], View),
                ),
                _ => return None,
            },
            Type::Magic(Magic::Abi) => {
                let b = match name {
                    "encode" => AbiEncode,
                    "encodePacked" => AbiEncodePacked,
                    "encodeWithSelector" => AbiEncodeWithSelector,
                    "encodeWithSignature" => AbiEncodeWithSignature,
                    "encodeCall" => AbiEncodeCall,
                    "decode" => AbiDecode,
                    _ => return None,
                };
                let params = match b {
                    AbiEncodeWithSelector => vec![Type::FixedBytes(4)],
                    AbiEncodeWithSignature => vec![string_mem()],
                    _ => vec![],
                };
                let returns = if b == AbiDecode {
                    vec![]
                } else {
                    vec![bytes_mem()]
                };
                (b, func(b, params, returns, Pure))
            }
            Type::Magic(Magic::Meta(t)) => match name {
                "min" => (TypeMin, (**t).clone()),
                "max" => (TypeMax, (**t).clone()),
                "name" => (TypeName, string_mem()),
                "creationCode" => (TypeCreationCode, bytes_mem()),
                "runtimeCode" => (TypeRuntimeCode, bytes_mem()),
                "interfaceId" => (TypeInterfaceId, Type::FixedBytes(4)),
                _ => return None,
            },
            Type::Address { .. } => return self.address_member(name, v, newest),
            Type::Contract(_) if !v.is_05() => return self.address_member(name, v, newest),
            Type::Array {
                base: elem, loc, ..
            } => match name {
                "length" => (ArrayLength, u256),
                "push" if loc.is_storage() => (ArrayPush, push_type(base, elem, v)),
                "pop" if loc.is_storage() => (ArrayPop, pop_type(base, v)),
                _ => return None,
            },
            Type::Bytes(loc) => match name {
                "length" => (ArrayLength, u256),
                "push" if loc.is_storage() => (ArrayPush, push_type(base, &Type::FixedBytes(1), v)),
                "pop" if loc.is_storage() => (ArrayPop, pop_type(base, v)),
                _ => return None,
            },
            Type::ArraySlice(_) if name == "length" => (ArrayLength, u256),
            Type::FixedBytes(_) if name == "length" => (ArrayLength, Type::uint(8)),
            Type::String(_) if name == "length" && !v.is_05() => return None,
            Type::TypeType(t) => match (&**t, name) {
                (Type::Bytes(_), "concat") => (
                    BytesConcat,
                    func(BytesConcat, vec![], vec![bytes_mem()], Pure),
                ),
                (Type::String(_), "concat") => (
                    StringConcat,
                    func(StringConcat, vec![], vec![string_mem()], Pure),
                ),
                (Type::Udvt(d), "wrap") => (
                    Wrap,
                    func(
                        Wrap,
                        vec![self.udvt_underlying(*d)],
                        vec![Type::Udvt(*d)],
                        Pure,
                    ),
                ),
                (Type::Udvt(d), "unwrap") => (
                    Unwrap,
                    func(
                        Unwrap,
                        vec![Type::Udvt(*d)],
                        vec![self.udvt_underlying(*d)],
                        Pure,
                    ),
                ),
                _ => return None,
            },
            Type::Function(f) => match (f.kind, name) {
                (FunctionKind::Event, "selector") => (Selector, Type::FixedBytes(32)),
                (
                    FunctionKind::External | FunctionKind::Declaration | FunctionKind::Error,
                    "selector",
                ) => (Selector, Type::FixedBytes(4)),
                (FunctionKind::External, "address") => {
                    (FunctionAddress, Type::Address { payable: false })
                }
                (
                    FunctionKind::External | FunctionKind::Creation | FunctionKind::Builtin(_),
                    "value" | "gas",
                ) if !v.is_07() => {
                    let b = if name == "value" {
                        FunctionValue
                    } else {
                        FunctionGas
                    };
                    let mut inner = (**f).clone();
                    inner.bound = true;
                    if name == "value" {
                        inner.mutability = Payable;
                    }
                    (
                        b,
                        Type::Function(Box::new(FunctionType {
                            kind: FunctionKind::SetOption,
                            params: vec![u256],
                            returns: vec![Type::Function(Box::new(inner))],
                            mutability: if v.is_05() { Pure } else { NonPayable },
                            decl: None,
                            bound: false,
                        })),
                    )
                }
                _ => return None,
            },
            _ => return None,
        };
        available(found.0, v, newest).then_some(found)
    }

    fn address_member(&self, name: &str, v: Version, newest: Version) -> Option<(Builtin, Type)> {
        use Builtin::*;
        use Mutability::*;
        let call_ret = if v.call_returns_tuple() {
            vec![Type::Bool, bytes_mem()]
        } else {
            vec![Type::Bool]
        };
        let call_params = if v.is_05() { vec![bytes_mem()] } else { vec![] };
        let found = match name {
            "balance" => (AddressBalance, Type::UINT256),
            "code" => (AddressCode, bytes_mem()),
            "codehash" => (AddressCodehash, Type::FixedBytes(32)),
            "transfer" => (
                AddressTransfer,
                func(AddressTransfer, vec![Type::UINT256], vec![], NonPayable),
            ),
            "send" => (
                AddressSend,
                func(
                    AddressSend,
                    vec![Type::UINT256],
                    vec![Type::Bool],
                    NonPayable,
                ),
            ),
            "call" => (
                AddressCall,
                func(AddressCall, call_params, call_ret, Payable),
            ),
            "callcode" => (
                AddressCallcode,
                func(AddressCallcode, call_params, call_ret, Payable),
            ),
            "delegatecall" => (
                AddressDelegatecall,
                func(AddressDelegatecall, call_params, call_ret, NonPayable),
            ),
            "staticcall" => (
                AddressStaticcall,
                func(AddressStaticcall, call_params, call_ret, View),
            ),
            _ => return None,
        };
        available(found.0, v, newest).then_some(found)
    }
}

/// Whether code written for `v` may use `b`: available in `v`, or added
/// later in the same series up to `newest` (code using it compiles only
/// with such a release; what changes between series follows `v`).
fn available(b: Builtin, v: Version, newest: Version) -> bool {
    b.available_in(v) || b.available_in(newest)
}

/// 0.8 shows `push`/`pop` bound to the array: the receiver, as a storage
/// pointer, is their first parameter.
fn array_receiver(array: &Type, v: Version) -> Vec<Type> {
    if v.is_08() {
        vec![with_location(array, DataLocation::StoragePointer)]
    } else {
        Vec::new()
    }
}

/// `array.push(elem)`: returns the new length before 0.6, nothing after
/// (the argument-less `push()` is adjusted by the caller).
fn push_type(array: &Type, elem: &Type, v: Version) -> Type {
    let elem = match elem.location() {
        Some(_) => with_location(elem, DataLocation::StorageRef),
        None => elem.clone(),
    };
    let mut params = array_receiver(array, v);
    params.push(elem);
    let returns = if v.is_06() {
        vec![]
    } else {
        vec![Type::UINT256]
    };
    let mut t = func(Builtin::ArrayPush, params, returns, Mutability::NonPayable);
    if let Type::Function(f) = &mut t {
        f.bound = v.is_08();
    }
    t
}

fn pop_type(array: &Type, v: Version) -> Type {
    let mut t = func(
        Builtin::ArrayPop,
        array_receiver(array, v),
        vec![],
        Mutability::NonPayable,
    );
    if let Type::Function(f) = &mut t {
        f.bound = v.is_08();
    }
    t
}

fn element_location(loc: DataLocation) -> DataLocation {
    if loc == DataLocation::StoragePointer {
        DataLocation::StorageRef
    } else {
        loc
    }
}

/// `t` moved to location `loc` (reference types only; nested element
/// types follow).
pub(crate) fn with_location(t: &Type, loc: DataLocation) -> Type {
    match t {
        Type::Bytes(_) => Type::Bytes(loc),
        Type::String(_) => Type::String(loc),
        Type::Struct { decl, .. } => Type::Struct { decl: *decl, loc },
        Type::Array { base, len, .. } => Type::Array {
            // Elements of a storage pointer are storage references.
            base: Box::new(with_location(base, element_location(loc))),
            len: *len,
            loc,
        },
        other => other.clone(),
    }
}
