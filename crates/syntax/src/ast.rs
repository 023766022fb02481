//! The Solidity abstract syntax tree.
//!
//! An owned tree (`Vec`/`Box`), one node type per syntactic construct, every
//! node carrying its byte [`Span`]. Declarations, statements, expressions,
//! type names and identifier paths also carry a [`NodeId`], unique within one
//! source unit and assigned densely from 0 by the parser, so that later passes
//! (name resolution, typing, IR) keep their results in side tables keyed by
//! `NodeId` (a `Vec` indexed by `id.index()` sized by
//! [`SourceUnit::node_count`] works).
//!
//! The tree records what was written, not what it means: a legacy
//! constructor named after its contract is a `FunctionKind::Constructor` with
//! `legacy_syntax` set and its name kept; a missing visibility stays `None`
//! (the default depends on the compiler version, which sema decides);
//! `.call.value(x).gas(y)(...)` is plain member accesses and calls.

use crate::span::Span;
use crate::yul::YulBlock;

/// Identity of an AST node within one source unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

impl NodeId {
    /// Placeholder for nodes built outside the parser (tests, synthesis).
    pub const DUMMY: NodeId = NodeId(u32::MAX);

    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A name as written, e.g. `owner`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A dotted name referring to a declaration: `A`, `A.B`, `Lib.S`.
/// Used by user-defined type names, inheritance specifiers, modifier
/// invocations, override lists and `using` directives. Resolution of the
/// whole path is keyed by `id`.
#[derive(Clone, Debug, PartialEq)]
pub struct IdentPath {
    pub id: NodeId,
    pub span: Span,
    /// Never empty.
    pub segments: Vec<Ident>,
}

impl IdentPath {
    /// The last segment (the name of the referenced declaration).
    pub fn last(&self) -> &Ident {
        self.segments
            .last()
            .expect("IdentPath has at least one segment")
    }
}

/// NatSpec attached to a declaration: the `///` lines or `/** */` block that
/// immediately precede it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocComment {
    /// Covers all the doc comments, from the first to the last.
    pub span: Span,
    /// Comment text with the `///`, `/**`, `*/` markers and leading `*` of
    /// block lines removed; lines joined with `\n`.
    pub text: String,
}

// ---------------------------------------------------------------------------
// Source unit and top-level items
// ---------------------------------------------------------------------------

/// One parsed `.sol` file.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceUnit {
    pub span: Span,
    pub items: Vec<SourceItem>,
    /// Number of `NodeId`s handed out: every id in this unit is `< node_count`.
    pub node_count: u32,
}

impl SourceUnit {
    pub fn pragmas(&self) -> impl Iterator<Item = &PragmaDirective> {
        self.items.iter().filter_map(|i| match i {
            SourceItem::Pragma(p) => Some(p),
            _ => None,
        })
    }

    pub fn imports(&self) -> impl Iterator<Item = &ImportDirective> {
        self.items.iter().filter_map(|i| match i {
            SourceItem::Import(d) => Some(d),
            _ => None,
        })
    }

    pub fn contracts(&self) -> impl Iterator<Item = &ContractDefinition> {
        self.items.iter().filter_map(|i| match i {
            SourceItem::Contract(c) => Some(c),
            _ => None,
        })
    }
}

/// Something that may appear at file level.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceItem {
    Pragma(PragmaDirective),
    Import(ImportDirective),
    Contract(ContractDefinition),
    /// Free function (0.7.1+).
    Function(FunctionDefinition),
    /// File-level constant (0.7.4+).
    Variable(StateVariable),
    Struct(StructDefinition),
    Enum(EnumDefinition),
    /// File-level event (0.8.22+).
    Event(EventDefinition),
    /// File-level error (0.8.4+).
    Error(ErrorDefinition),
    UserValueType(UserValueTypeDefinition),
    /// File-level `using ... for ... global` (0.8.13+).
    Using(UsingDirective),
}

impl SourceItem {
    pub fn span(&self) -> Span {
        match self {
            SourceItem::Pragma(x) => x.span,
            SourceItem::Import(x) => x.span,
            SourceItem::Contract(x) => x.span,
            SourceItem::Function(x) => x.span,
            SourceItem::Variable(x) => x.span,
            SourceItem::Struct(x) => x.span,
            SourceItem::Enum(x) => x.span,
            SourceItem::Event(x) => x.span,
            SourceItem::Error(x) => x.span,
            SourceItem::UserValueType(x) => x.span,
            SourceItem::Using(x) => x.span,
        }
    }
}

/// `pragma <name> <value>;`
#[derive(Clone, Debug, PartialEq)]
pub struct PragmaDirective {
    pub span: Span,
    pub kind: PragmaKind,
    /// `solidity`, `experimental`, `abicoder`, ...
    pub name: Ident,
    /// Raw text between the name and the `;`, trimmed: `^0.8.0`,
    /// `>=0.4.22 <0.6.0`, `ABIEncoderV2`, `v2`, `"SMTChecker"`.
    pub value: String,
    pub value_span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PragmaKind {
    /// `pragma solidity <version requirement>;`
    Solidity,
    /// `pragma experimental <feature>;`
    Experimental,
    /// `pragma abicoder v1|v2;`
    Abicoder,
    Other,
}

/// `import ...;` in any of its forms.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportDirective {
    pub id: NodeId,
    pub span: Span,
    /// The path string as written (escapes decoded), e.g. `./IERC20.sol`.
    pub path: String,
    pub path_span: Span,
    pub kind: ImportKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ImportKind {
    /// `import "x";` or `import "x" as X;`
    Plain { alias: Option<Ident> },
    /// `import * as X from "x";`
    Glob { alias: Ident },
    /// `import {a as b, c} from "x";`
    Symbols(Vec<ImportSymbol>),
}

/// One `a` or `a as b` inside `import {...}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportSymbol {
    pub span: Span,
    pub name: Ident,
    pub alias: Option<Ident>,
}

// ---------------------------------------------------------------------------
// Contracts and their members
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContractKind {
    Contract,
    Interface,
    Library,
}

/// `[abstract] contract|interface|library Name [is A, B(1)] [layout at X] { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct ContractDefinition {
    pub id: NodeId,
    pub span: Span,
    pub kind: ContractKind,
    pub is_abstract: bool,
    pub name: Ident,
    pub bases: Vec<InheritanceSpecifier>,
    /// `layout at <expr>` (0.8.29+).
    pub layout: Option<Expr>,
    pub members: Vec<ContractMember>,
    pub docs: Option<DocComment>,
}

impl ContractDefinition {
    pub fn functions(&self) -> impl Iterator<Item = &FunctionDefinition> {
        self.members.iter().filter_map(|m| match m {
            ContractMember::Function(f) => Some(f),
            _ => None,
        })
    }

    pub fn state_variables(&self) -> impl Iterator<Item = &StateVariable> {
        self.members.iter().filter_map(|m| match m {
            ContractMember::StateVariable(v) => Some(v),
            _ => None,
        })
    }
}

/// `Base` or `Base(args)` after `is`.
#[derive(Clone, Debug, PartialEq)]
pub struct InheritanceSpecifier {
    pub id: NodeId,
    pub span: Span,
    pub base: IdentPath,
    /// Constructor arguments, `None` when no parentheses were written.
    pub args: Option<CallArgs>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ContractMember {
    /// Functions, constructors, fallback/receive functions and modifiers.
    Function(FunctionDefinition),
    StateVariable(StateVariable),
    Struct(StructDefinition),
    Enum(EnumDefinition),
    Event(EventDefinition),
    Error(ErrorDefinition),
    UserValueType(UserValueTypeDefinition),
    Using(UsingDirective),
}

impl ContractMember {
    pub fn span(&self) -> Span {
        match self {
            ContractMember::Function(x) => x.span,
            ContractMember::StateVariable(x) => x.span,
            ContractMember::Struct(x) => x.span,
            ContractMember::Enum(x) => x.span,
            ContractMember::Event(x) => x.span,
            ContractMember::Error(x) => x.span,
            ContractMember::UserValueType(x) => x.span,
            ContractMember::Using(x) => x.span,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FunctionKind {
    Function,
    Constructor,
    Fallback,
    Receive,
    Modifier,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Visibility {
    Public,
    Private,
    Internal,
    External,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateMutability {
    Pure,
    View,
    Payable,
    /// Legacy (< 0.5) `constant` on a function, meaning `view`.
    Constant,
}

/// A function, constructor, fallback, receive function or modifier.
///
/// Legacy forms: `function() payable { }` is `kind: Fallback`, `name: None`,
/// `legacy_syntax: true`; `function Token()` inside `contract Token` is
/// `kind: Constructor`, `name: Some(Token)`, `legacy_syntax: true`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDefinition {
    pub id: NodeId,
    pub span: Span,
    pub kind: FunctionKind,
    /// `None` for `constructor`, `fallback`, `receive` and `function()`.
    pub name: Option<Ident>,
    /// The old spelling of a constructor or fallback function.
    pub legacy_syntax: bool,
    pub params: Vec<Parameter>,
    /// `returns (...)`; empty when absent.
    pub returns: Vec<Parameter>,
    /// As written; `None` when omitted.
    pub visibility: Option<Visibility>,
    /// As written; `None` means non-payable.
    pub mutability: Option<StateMutability>,
    pub is_virtual: bool,
    pub overrides: Option<OverrideSpecifier>,
    /// Modifier invocations and base-constructor calls, in source order
    /// (the parser cannot tell them apart: `Base(1)` on a constructor).
    pub modifiers: Vec<ModifierInvocation>,
    /// `None` for a declaration without body (`;`).
    pub body: Option<Block>,
    pub docs: Option<DocComment>,
}

/// `override` or `override(A, B)`.
#[derive(Clone, Debug, PartialEq)]
pub struct OverrideSpecifier {
    pub span: Span,
    pub bases: Vec<IdentPath>,
}

/// `onlyOwner`, `onlyRole(ADMIN)`, or a base constructor call `Base(x)`.
#[derive(Clone, Debug, PartialEq)]
pub struct ModifierInvocation {
    pub id: NodeId,
    pub span: Span,
    pub name: IdentPath,
    /// `None` when written without parentheses.
    pub args: Option<CallArgs>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataLocation {
    Memory,
    Storage,
    Calldata,
}

/// A typed, optionally named declaration in a parameter list, a return list,
/// an event/error/function-type parameter list, a catch clause or a struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub id: NodeId,
    pub span: Span,
    pub ty: TypeName,
    pub location: Option<DataLocation>,
    /// Event parameters only.
    pub indexed: bool,
    pub name: Option<Ident>,
}

/// A state variable, or a file-level constant.
#[derive(Clone, Debug, PartialEq)]
pub struct StateVariable {
    pub id: NodeId,
    pub span: Span,
    pub ty: TypeName,
    pub name: Ident,
    pub visibility: Option<Visibility>,
    pub is_constant: bool,
    pub is_immutable: bool,
    /// `transient` data location (0.8.27+).
    pub is_transient: bool,
    pub overrides: Option<OverrideSpecifier>,
    pub initializer: Option<Expr>,
    pub docs: Option<DocComment>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructDefinition {
    pub id: NodeId,
    pub span: Span,
    pub name: Ident,
    /// Members, as parameters without location.
    pub fields: Vec<Parameter>,
    pub docs: Option<DocComment>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDefinition {
    pub id: NodeId,
    pub span: Span,
    pub name: Ident,
    pub variants: Vec<EnumVariant>,
    pub docs: Option<DocComment>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumVariant {
    pub id: NodeId,
    pub name: Ident,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventDefinition {
    pub id: NodeId,
    pub span: Span,
    pub name: Ident,
    pub params: Vec<Parameter>,
    pub is_anonymous: bool,
    pub docs: Option<DocComment>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ErrorDefinition {
    pub id: NodeId,
    pub span: Span,
    pub name: Ident,
    pub params: Vec<Parameter>,
    pub docs: Option<DocComment>,
}

/// `type Price is uint128;` (0.8.8+).
#[derive(Clone, Debug, PartialEq)]
pub struct UserValueTypeDefinition {
    pub id: NodeId,
    pub span: Span,
    pub name: Ident,
    pub underlying: TypeName,
    pub docs: Option<DocComment>,
}

/// `using L for T;`, `using L for *;`, `using {f, g as +} for T global;`
#[derive(Clone, Debug, PartialEq)]
pub struct UsingDirective {
    pub id: NodeId,
    pub span: Span,
    pub target: UsingTarget,
    /// `None` for `for *`.
    pub ty: Option<TypeName>,
    pub is_global: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum UsingTarget {
    /// `using Lib for ...`
    Library(IdentPath),
    /// `using {f, L.g as +} for ...`
    Functions(Vec<UsingFunction>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct UsingFunction {
    pub span: Span,
    pub path: IdentPath,
    /// `as <op>` binding a user-defined operator (0.8.19+).
    pub operator: Option<UserOperator>,
}

/// Operators that `using {f as <op>} for T global` may bind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UserOperator {
    BitAnd,
    BitOr,
    BitXor,
    BitNot,
    Add,
    /// `-`: unary or binary depending on the bound function's arity.
    Sub,
    Mul,
    Div,
    Mod,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

// ---------------------------------------------------------------------------
// Type names
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
pub struct TypeName {
    pub id: NodeId,
    pub span: Span,
    pub kind: TypeNameKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeNameKind {
    Elementary(ElementaryType),
    /// A contract, struct, enum or UDVT name; resolution keyed by the path's id.
    UserDefined(IdentPath),
    /// `T[]` or `T[len]`.
    Array {
        base: Box<TypeName>,
        length: Option<Box<Expr>>,
    },
    /// `mapping(K [name] => V [name])`.
    Mapping {
        key: Box<TypeName>,
        key_name: Option<Ident>,
        value: Box<TypeName>,
        value_name: Option<Ident>,
    },
    Function(Box<FunctionTypeName>),
}

/// `function (uint) external view returns (bool)`
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionTypeName {
    pub params: Vec<Parameter>,
    pub returns: Vec<Parameter>,
    pub visibility: Option<Visibility>,
    pub mutability: Option<StateMutability>,
}

/// A built-in value type keyword. `int`/`uint` are normalised to 256 bits,
/// `byte` to `bytes1`, `fixed`/`ufixed` to 128x18; the span keeps the spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElementaryType {
    Address {
        payable: bool,
    },
    Bool,
    String,
    /// Dynamic `bytes`.
    Bytes,
    /// `bytes1` .. `bytes32` (and legacy `byte`).
    FixedBytes(u8),
    /// `int8` .. `int256`, the number of bits.
    Int(u16),
    Uint(u16),
    /// `fixedMxN`: total bits and decimals.
    Fixed(u16, u8),
    Ufixed(u16, u8),
}

// ---------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub id: NodeId,
    pub span: Span,
    pub stmts: Vec<Stmt>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub id: NodeId,
    pub span: Span,
    pub kind: StmtKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Block(Block),
    /// `unchecked { ... }` (0.8+).
    Unchecked(Block),
    /// `T x = e;`, `(a, , b) = e;` with types, legacy `var x = e;` /
    /// `var (a, b) = e;`.
    VarDecl(VarDeclStmt),
    Expr(Expr),
    If {
        cond: Expr,
        then_branch: Box<Stmt>,
        else_branch: Option<Box<Stmt>>,
    },
    For {
        init: Option<Box<Stmt>>,
        cond: Option<Expr>,
        update: Option<Expr>,
        body: Box<Stmt>,
    },
    While {
        cond: Expr,
        body: Box<Stmt>,
    },
    DoWhile {
        body: Box<Stmt>,
        cond: Expr,
    },
    Continue,
    Break,
    Return(Option<Expr>),
    /// Legacy (< 0.5) `throw;`.
    Throw,
    /// `emit Event(args);` — `event` is the callee expression (`E` or `I.E`).
    Emit {
        event: Expr,
        args: CallArgs,
    },
    /// `revert Err(args);` (0.8.4+). A plain `revert(...)` call is an
    /// expression statement.
    Revert {
        error: Expr,
        args: CallArgs,
    },
    Try(TryStmt),
    Assembly(AssemblyStmt),
    /// `_;` in a modifier body.
    Placeholder,
}

/// A local variable declaration statement.
#[derive(Clone, Debug, PartialEq)]
pub struct VarDeclStmt {
    /// One entry for `T x`; for the tuple form one entry per slot, `None`
    /// for an empty slot as in `(a, , b)`.
    pub decls: Vec<Option<LocalVariable>>,
    /// Written with parentheses (`(uint a, uint b) = ...`, `var (a, b) = ...`).
    pub is_tuple: bool,
    pub init: Option<Expr>,
}

/// A local variable. `ty` is `None` only for legacy `var`.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalVariable {
    pub id: NodeId,
    pub span: Span,
    pub ty: Option<TypeName>,
    pub location: Option<DataLocation>,
    pub name: Ident,
}

/// `try <expr> [returns (...)] { ... } catch ... { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct TryStmt {
    /// The external call or `new` expression (including call options).
    pub expr: Expr,
    pub returns: Vec<Parameter>,
    pub body: Block,
    pub catches: Vec<CatchClause>,
}

/// `catch Error(string memory r) {}`, `catch Panic(uint c) {}`,
/// `catch (bytes memory data) {}`, `catch {}`.
#[derive(Clone, Debug, PartialEq)]
pub struct CatchClause {
    pub id: NodeId,
    pub span: Span,
    /// `Error`, `Panic`, ... ; `None` for the bare and `(bytes)` forms.
    pub name: Option<Ident>,
    /// `None` for `catch {}`; `Some` (possibly empty) when parentheses were written.
    pub params: Option<Vec<Parameter>>,
    pub body: Block,
}

/// `assembly ["evmasm"] [("memory-safe", ...)] { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct AssemblyStmt {
    /// The dialect string, e.g. `evmasm`.
    pub dialect: Option<String>,
    /// Flags such as `memory-safe`.
    pub flags: Vec<String>,
    pub block: YulBlock,
}

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub id: NodeId,
    pub span: Span,
    pub kind: ExprKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    Ident(Ident),
    /// `base.member`
    Member {
        base: Box<Expr>,
        member: Ident,
    },
    /// `base[index]`; `index` is `None` for `T[]` used as a type expression
    /// (`abi.decode(d, (uint[]))`, `new uint[](n)` is `New` + call).
    Index {
        base: Box<Expr>,
        index: Option<Box<Expr>>,
    },
    /// `base[start:end]` (calldata slices).
    Slice {
        base: Box<Expr>,
        start: Option<Box<Expr>>,
        end: Option<Box<Expr>>,
    },
    /// `callee(args)`; the callee may be an elementary type (`uint256(x)`,
    /// `payable(x)`, `address(this)`), an identifier, a member access,
    /// `new T`, or a call-options expression.
    Call {
        callee: Box<Expr>,
        args: CallArgs,
    },
    /// `callee{value: v, gas: g}` (0.6.2+); usually the callee of a `Call`.
    CallOptions {
        callee: Box<Expr>,
        options: Vec<NamedArg>,
    },
    /// `new T` (usually the callee of a `Call`). Boxed to keep `Expr` small.
    New(Box<TypeName>),
    /// `type(T)` (0.6+), followed by a member access such as `.max`.
    TypeOf(Box<TypeName>),
    /// An elementary type used as an expression: the callee of a conversion
    /// (`uint8(x)`, `payable(a)`) or a type argument (`abi.decode(d, (uint))`).
    ElementaryType(ElementaryType),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `lhs = rhs` (`op: None`) or compound `lhs op= rhs`.
    Assign {
        op: Option<BinaryOp>,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `cond ? then_expr : else_expr`
    Conditional {
        cond: Box<Expr>,
        then_expr: Box<Expr>,
        else_expr: Box<Expr>,
    },
    /// `(a, b)`, `(a, , c)`, `()`; a parenthesised single expression `(a)`
    /// is a one-element tuple here, as in solc's AST.
    Tuple(Vec<Option<Expr>>),
    /// `[a, b, c]`
    Array(Vec<Expr>),
    /// Reserved for a placeholder where a syntax error made an expression
    /// unreadable. The parser currently drops the whole broken statement
    /// instead, so trees from `parse` do not contain it; passes should
    /// still treat it as "unknown" rather than panic.
    Error,
}

/// Arguments of a call, event emission or base-constructor call.
#[derive(Clone, Debug, PartialEq)]
pub struct CallArgs {
    /// From `(` to `)` inclusive.
    pub span: Span,
    pub kind: CallArgsKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CallArgsKind {
    Positional(Vec<Expr>),
    /// `f({a: 1, b: 2})`
    Named(Vec<NamedArg>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct NamedArg {
    pub span: Span,
    pub name: Ident,
    pub value: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `!`
    Not,
    /// `~`
    BitNot,
    /// `-x`
    Neg,
    /// Legacy `+x` (< 0.5).
    Plus,
    PreInc,
    PreDec,
    PostInc,
    PostDec,
    Delete,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Pow,
    Mul,
    Div,
    Mod,
    Add,
    Sub,
    Shl,
    /// `>>`
    Shr,
    /// `>>>` (reserved; parsed so old code fails in sema, not here)
    Sar,
    BitAnd,
    BitXor,
    BitOr,
    Lt,
    Gt,
    Le,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Pow => "**",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Shl => "<<",
            BinaryOp::Shr => ">>",
            BinaryOp::Sar => ">>>",
            BinaryOp::BitAnd => "&",
            BinaryOp::BitXor => "^",
            BinaryOp::BitOr => "|",
            BinaryOp::Lt => "<",
            BinaryOp::Gt => ">",
            BinaryOp::Le => "<=",
            BinaryOp::Ge => ">=",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Bool(bool),
    /// Decimal, scientific (`1e18`, `2.5e3`) or hex (`0xff`) number, as
    /// written minus `_` separators, with an optional unit (`1 ether`).
    Number {
        value: String,
        unit: Option<NumberUnit>,
    },
    /// One or more adjacent string literals of the same kind, concatenated.
    String {
        kind: StringKind,
        /// Decoded bytes (escapes resolved; hex strings decoded to bytes).
        value: Vec<u8>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StringKind {
    /// `"..."` / `'...'`
    Plain,
    /// `hex"..."`
    Hex,
    /// `unicode"..."`
    Unicode,
}

/// Sub-denomination suffix of a number literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberUnit {
    Wei,
    Gwei,
    Szabo,
    Finney,
    Ether,
    Seconds,
    Minutes,
    Hours,
    Days,
    Weeks,
    Years,
}

impl NumberUnit {
    /// The multiplier this unit applies (1 for `wei` and `seconds`).
    pub fn multiplier(self) -> u128 {
        match self {
            NumberUnit::Wei | NumberUnit::Seconds => 1,
            NumberUnit::Gwei => 1_000_000_000,
            NumberUnit::Szabo => 1_000_000_000_000,
            NumberUnit::Finney => 1_000_000_000_000_000,
            NumberUnit::Ether => 1_000_000_000_000_000_000,
            NumberUnit::Minutes => 60,
            NumberUnit::Hours => 3_600,
            NumberUnit::Days => 86_400,
            NumberUnit::Weeks => 604_800,
            NumberUnit::Years => 31_536_000,
        }
    }
}
