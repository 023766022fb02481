//! Types of expressions and declarations, displayed like solc's `typeString`.
//!
//! Types refer to user declarations by [`DeclId`], so they are cheap to
//! compare; their text needs the model for names
//! ([`crate::Model::type_string`]).

use num_rational::BigRational;

use crate::builtins::Builtin;
use crate::decl::DeclId;
use crate::project::FileId;

/// Where a reference-type value lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataLocation {
    /// A storage reference bound to a state variable (solc `storage ref`).
    StorageRef,
    /// A local storage variable, which may point anywhere in storage
    /// (solc `storage pointer`).
    StoragePointer,
    Memory,
    Calldata,
    /// Transient storage (0.8.27+ `transient` state variables).
    Transient,
}

impl DataLocation {
    pub fn is_storage(self) -> bool {
        matches!(
            self,
            DataLocation::StorageRef | DataLocation::StoragePointer
        )
    }

    /// solc's suffix: `storage ref`, `storage pointer`, `memory`, `calldata`.
    pub fn as_str(self) -> &'static str {
        match self {
            DataLocation::StorageRef => "storage ref",
            DataLocation::StoragePointer => "storage pointer",
            DataLocation::Memory => "memory",
            DataLocation::Calldata => "calldata",
            DataLocation::Transient => "transient",
        }
    }
}

/// Effective state mutability (legacy `constant` functions are `View`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mutability {
    Pure,
    View,
    NonPayable,
    Payable,
}

impl Mutability {
    pub fn as_str(self) -> &'static str {
        match self {
            Mutability::Pure => "pure",
            Mutability::View => "view",
            Mutability::NonPayable => "nonpayable",
            Mutability::Payable => "payable",
        }
    }
}

/// The magic objects and the result of `type(T)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Magic {
    Msg,
    Block,
    Tx,
    Abi,
    /// `type(T)`: displays as `type(<T>)`.
    Meta(Box<Type>),
}

/// How a value of function type is called; decides what a call does
/// (jump, message call, delegatecall, built-in).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    /// Internal function (jump).
    Internal,
    /// External function of a contract (message call).
    External,
    /// Public/external library function called from outside (delegatecall).
    DelegateCall,
    /// `C.f` naming a function as a declaration (0.8: `I.f.selector`).
    Declaration,
    /// `address.call`, `.delegatecall`, `.staticcall`, `.callcode`,
    /// `.send`, `.transfer` and other built-in functions.
    Builtin(Builtin),
    /// An event (as the callee of `emit`).
    Event,
    /// A custom error (as the callee of `revert`).
    Error,
    /// `new C` (contract creation).
    Creation,
    /// `new T[](n)`, `new bytes(n)`.
    ObjectCreation,
    /// The constructor-like `S(...)` of a struct is typed as `type(struct S)`,
    /// so this kind is only for legacy `f.value(x)` / `f.gas(x)`.
    SetOption,
}

/// The type of a function value or declaration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FunctionType {
    pub kind: FunctionKind,
    pub params: Vec<Type>,
    pub returns: Vec<Type>,
    pub mutability: Mutability,
    /// The declaration this value denotes, when known.
    pub decl: Option<DeclId>,
    /// Bound by `using ... for` (first parameter is the receiver), or a
    /// legacy `.value()`/`.gas()` already applied.
    pub bound: bool,
}

/// A type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Address {
        payable: bool,
    },
    Int {
        signed: bool,
        bits: u16,
    },
    /// `bytes1` .. `bytes32`.
    FixedBytes(u8),
    Fixed {
        signed: bool,
        bits: u16,
        decimals: u8,
    },
    /// A number literal or a constant expression of them:
    /// `int_const 42`, `rational_const 1 / 2`.
    Rational(Box<BigRational>),
    /// A string literal: `literal_string "abc"`.
    StringLiteral(Box<[u8]>),
    Bytes(DataLocation),
    String(DataLocation),
    /// `T[]` (`len: None`) or `T[n]`.
    Array {
        base: Box<Type>,
        len: Option<u64>,
        loc: DataLocation,
    },
    /// `x[a:b]` on calldata arrays: `bytes calldata slice`.
    ArraySlice(Box<Type>),
    /// Always in storage.
    Mapping {
        key: Box<Type>,
        value: Box<Type>,
    },
    Struct {
        decl: DeclId,
        loc: DataLocation,
    },
    Enum(DeclId),
    /// User-defined value type.
    Udvt(DeclId),
    /// A value of contract, interface or library type (`contract C`).
    Contract(DeclId),
    /// `super` inside contract `C`: `contract super C`.
    Super(DeclId),
    Function(Box<FunctionType>),
    /// `tuple(uint256,bool)`; `None` components are omitted ones (`(a, , b)`).
    Tuple(Vec<Option<Type>>),
    /// A type used as a value: `type(contract C)`, `type(uint256)`,
    /// `type(struct S storage pointer)`.
    TypeType(Box<Type>),
    /// A modifier name: `modifier (uint256)`.
    Modifier(DeclId),
    /// An import alias: `module "path"`.
    Module(FileId),
    Magic(Magic),
    /// The value of a custom error, `E(args)` (what `revert`/`require`
    /// take): `error`.
    Error,
    /// Could not be determined (broken code or unsupported construct).
    Unknown,
}

impl Type {
    pub const UINT256: Type = Type::Int {
        signed: false,
        bits: 256,
    };

    pub fn uint(bits: u16) -> Type {
        Type::Int {
            signed: false,
            bits,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Type::Unknown)
    }

    /// The data location of reference types (`None` for value types and
    /// mappings).
    pub fn location(&self) -> Option<DataLocation> {
        match self {
            Type::Bytes(l) | Type::String(l) => Some(*l),
            Type::Array { loc, .. } | Type::Struct { loc, .. } => Some(*loc),
            _ => None,
        }
    }

    /// Reference types (arrays, structs, `bytes`, `string`, mappings) have
    /// a data location and are copied or aliased on assignment.
    pub fn is_reference(&self) -> bool {
        matches!(
            self,
            Type::Bytes(_)
                | Type::String(_)
                | Type::Array { .. }
                | Type::Struct { .. }
                | Type::Mapping { .. }
                | Type::ArraySlice(_)
        )
    }

    pub fn as_function(&self) -> Option<&FunctionType> {
        match self {
            Type::Function(f) => Some(f),
            _ => None,
        }
    }
}
