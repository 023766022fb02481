//! The comparable facts about a Solidity project.
//!
//! Both sides of the differential test produce a [`Facts`]: one extracted from
//! solc's AST JSON ([`crate::extract`]), one from Bulwark's semantic model
//! ([`crate::bulwark`]). The model deliberately knows nothing about either
//! implementation: every fact is keyed by a byte range in a source file, so
//! the two sides meet on the source text itself.
//!
//! Conventions both producers must follow:
//! - [`SourceRange::file`] is the source unit name: the path relative to the
//!   project root with `/` separators (`v0_8/imports_08.sol`), or the
//!   remapped import path for files reached through a remapping, as solc
//!   names them.
//! - Byte offsets are UTF-8 byte offsets into the file, `end` exclusive.
//! - A declaration is identified by the range of its *name* (the identifier
//!   after `function`, `contract`, the variable's type, …); see [`DeclLoc`].
//!   An expression or a reference is identified by the range of the whole
//!   expression as solc reports it (`a.b.c` for a member access, `f(x)` for a
//!   call, `(a)` for a parenthesised expression).

use serde::{Deserialize, Serialize};

/// A byte range `[start, end)` in one source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourceRange {
    pub file: String,
    pub start: u32,
    pub end: u32,
}

impl SourceRange {
    pub fn new(file: impl Into<String>, start: u32, end: u32) -> Self {
        SourceRange {
            file: file.into(),
            start,
            end,
        }
    }
}

impl std::fmt::Display for SourceRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}..{}", self.file, self.start, self.end)
    }
}

/// Everything the comparator looks at for one project (or one set of files).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// Contracts, interfaces and libraries.
    pub contracts: Vec<Contract>,
    /// Declarations at file level: free functions, constants, structs, enums,
    /// errors, events and user-defined value types.
    pub file_items: Vec<FileItem>,
    /// Every resolved name use: identifiers, member accesses, type names and
    /// paths, and Solidity names used inside inline assembly.
    pub references: Vec<Reference>,
    /// The type of every typed expression and of every named variable
    /// declaration.
    pub expression_types: Vec<ExprType>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    /// Source unit name of the file that declares it.
    pub file: String,
    pub name: String,
    pub kind: ContractKind,
    /// The contract cannot be deployed on its own: declared `abstract`
    /// (0.6+) or, before 0.6, some function (own or inherited) has no body.
    /// Always false for interfaces and libraries.
    pub is_abstract: bool,
    /// C3 linearization by contract name, most derived first and the
    /// contract itself included (solc's `linearizedBaseContracts`).
    pub linearization: Vec<String>,
    /// Members declared in this contract's body (not inherited ones).
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractKind {
    Contract,
    Interface,
    Library,
}

/// A declaration that sits directly in a file rather than in a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileItem {
    pub file: String,
    pub item: Item,
}

/// A member of a contract or a file-level declaration.
///
/// Functions other than [`FunctionKind::Function`] and [`FunctionKind::Free`]
/// (constructors, fallbacks, `receive`) carry an empty name, whatever the
/// source spelling (a 0.4 constructor named after its contract included).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum Item {
    Function {
        name: String,
        kind: FunctionKind,
        /// The effective visibility: the default applies when the source
        /// omits it (public for 0.4 functions).
        visibility: Visibility,
    },
    Modifier {
        name: String,
    },
    /// A state variable, or a constant at file level.
    StateVariable {
        name: String,
        visibility: Visibility,
        mutability: Mutability,
    },
    Event {
        name: String,
    },
    Error {
        name: String,
    },
    Struct {
        name: String,
    },
    Enum {
        name: String,
    },
    /// A user-defined value type (`type T is uint256;`).
    ValueType {
        name: String,
    },
}

impl Item {
    pub fn name(&self) -> &str {
        match self {
            Item::Function { name, .. }
            | Item::Modifier { name }
            | Item::StateVariable { name, .. }
            | Item::Event { name }
            | Item::Error { name }
            | Item::Struct { name }
            | Item::Enum { name }
            | Item::ValueType { name } => name,
        }
    }

    /// The structural category the comparator reports this item under.
    pub fn category(&self) -> &'static str {
        match self {
            Item::Function { .. } => "functions",
            Item::Modifier { .. } => "modifiers",
            Item::StateVariable { .. } => "state variables",
            Item::Event { .. } => "events",
            Item::Error { .. } => "errors",
            Item::Struct { .. } => "structs",
            Item::Enum { .. } => "enums",
            Item::ValueType { .. } => "value types",
        }
    }
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Item::Function {
                name,
                kind,
                visibility,
            } => write!(f, "function {name:?} ({kind:?}, {visibility:?})"),
            Item::StateVariable {
                name,
                visibility,
                mutability,
            } => write!(f, "variable {name} ({visibility:?}, {mutability:?})"),
            other => write!(f, "{} {}", other.category(), other.name()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionKind {
    Function,
    Constructor,
    Fallback,
    Receive,
    /// A function declared at file level (0.7.1+).
    Free,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Public,
    External,
    Internal,
    Private,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mutability {
    Mutable,
    Constant,
    Immutable,
    Transient,
}

/// One resolved use of a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The whole referencing expression: `x`, `a.b`, `L.S` (a type path),
    /// `x_slot` / `x.slot` inside assembly.
    pub at: SourceRange,
    pub kind: RefKind,
    pub target: Target,
}

/// The syntactic form of a reference. The comparator matches references by
/// range and target only; the kind groups the report (solc's side decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    /// A plain identifier in an expression (solc `Identifier`; before 0.8
    /// also modifier names in modifier invocations).
    Identifier,
    /// `expr.member` resolving to a declaration (solc `MemberAccess`).
    Member,
    /// A type name or path: `UserDefinedTypeName`, `IdentifierPath` (0.8:
    /// base contracts, modifier invocations, `using` library names, …).
    Path,
    /// A Solidity name used inside inline assembly.
    Assembly,
}

impl RefKind {
    pub const ALL: [RefKind; 4] = [
        RefKind::Identifier,
        RefKind::Member,
        RefKind::Path,
        RefKind::Assembly,
    ];
}

/// What a reference resolves to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "target", rename_all = "snake_case")]
pub enum Target {
    Declaration(DeclLoc),
    /// A built-in (`msg`, `require`, `now`, `this`, `super`, …), by the name
    /// as written at the use site.
    Builtin {
        name: String,
    },
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Declaration(decl) => write!(f, "{} declared at {}", decl.name, decl.at),
            Target::Builtin { name } => write!(f, "builtin {name}"),
        }
    }
}

/// Where a declaration is: its name and the range of that name. For an
/// import alias (`import "x.sol" as M;`) the name is the alias.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DeclLoc {
    pub name: String,
    pub at: SourceRange,
}

/// The type of one expression or named variable declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExprType {
    /// The whole expression, or the name of a variable declaration.
    pub at: SourceRange,
    /// What kind of node this is. The comparator only reads it from solc's
    /// side (to group mismatches); Bulwark may fill it with its best guess.
    pub kind: ExprKind,
    /// The type in solc's `typeString` notation (`uint256`,
    /// `mapping(address => uint256)`, `struct S storage ref`,
    /// `function (uint256) pure returns (bool)`, …).
    pub type_string: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExprKind {
    Identifier,
    MemberAccess,
    Call,
    CallOptions,
    Binary,
    Unary,
    Assignment,
    Literal,
    Index,
    IndexRange,
    Tuple,
    Conditional,
    New,
    /// An elementary type used as an expression (`uint256` in `uint256(x)`).
    TypeExpression,
    /// The declared type of a named variable (state variable, local,
    /// parameter, struct member), keyed by the name's range.
    Declaration,
    Other,
}

impl Facts {
    /// Sort every list into a canonical order and drop exact duplicates, so
    /// that two `Facts` built in different traversal orders compare equal.
    pub fn canonicalize(&mut self) {
        self.contracts
            .sort_by(|a, b| (&a.file, &a.name).cmp(&(&b.file, &b.name)));
        for contract in &mut self.contracts {
            contract.items.sort();
        }
        self.file_items
            .sort_by(|a, b| (&a.file, &a.item).cmp(&(&b.file, &b.item)));
        self.references
            .sort_by(|a, b| (&a.at, a.kind).cmp(&(&b.at, b.kind)));
        self.references
            .dedup_by(|a, b| a.at == b.at && a.target == b.target);
        self.expression_types
            .sort_by(|a, b| (&a.at, a.kind).cmp(&(&b.at, b.kind)));
        self.expression_types.dedup();
    }

    /// Append the facts of `other`.
    pub fn extend(&mut self, other: Facts) {
        self.contracts.extend(other.contracts);
        self.file_items.extend(other.file_items);
        self.references.extend(other.references);
        self.expression_types.extend(other.expression_types);
    }

    /// The files these facts talk about (by contract, item, reference or
    /// expression location).
    pub fn files(&self) -> std::collections::BTreeSet<&str> {
        let mut files = std::collections::BTreeSet::new();
        files.extend(self.contracts.iter().map(|c| c.file.as_str()));
        files.extend(self.file_items.iter().map(|i| i.file.as_str()));
        files.extend(self.references.iter().map(|r| r.at.file.as_str()));
        files.extend(self.expression_types.iter().map(|e| e.at.file.as_str()));
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(start: u32, decl_start: u32) -> Reference {
        Reference {
            at: SourceRange::new("a.sol", start, start + 1),
            kind: RefKind::Identifier,
            target: Target::Declaration(DeclLoc {
                name: "x".into(),
                at: SourceRange::new("a.sol", decl_start, decl_start + 1),
            }),
        }
    }

    #[test]
    fn canonicalize_sorts_and_drops_duplicate_references() {
        let mut facts = Facts {
            references: vec![reference(9, 1), reference(3, 1), reference(9, 1)],
            ..Facts::default()
        };
        facts.canonicalize();
        let starts: Vec<u32> = facts.references.iter().map(|r| r.at.start).collect();
        assert_eq!(starts, vec![3, 9]);
    }

    #[test]
    fn items_serialize_with_a_tag() {
        let item = Item::Function {
            name: "f".into(),
            kind: FunctionKind::Free,
            visibility: Visibility::Internal,
        };
        let json = serde_json::to_string(&item).unwrap();
        assert_eq!(
            json,
            r#"{"item":"function","name":"f","kind":"free","visibility":"internal"}"#
        );
    }
}
