//! Bulwark's semantic model of Solidity (0.4.11–0.8.x), without a compiler.
//!
//! Pipeline:
//! 1. [`load_project`] reads the inputs (a file, a directory, a Foundry or
//!    Hardhat project), follows imports through remappings and
//!    `node_modules`, parses every file in parallel and decides each file's
//!    effective compiler [`Version`].
//! 2. [`analyze`] builds the [`Model`]: one arena of declarations
//!    ([`Decl`], [`DeclId`]), typed views ([`ContractInfo`] with its C3
//!    linearization, [`FunctionInfo`], [`StateVarInfo`]), and side tables
//!    queried by `(FileId, NodeId)`: [`Model::resolution`] (what a name
//!    refers to), [`Model::type_of`] (expression types, displayed like
//!    solc's `typeString` by [`Model::type_string`]) and
//!    [`Model::call_kind`].
//!
//! Why side tables instead of annotating the AST: the AST is owned by the
//! project and immutable; tables keyed by the parser's dense `NodeId`s are
//! a `Vec` lookup, and the model can borrow the AST (`&'p` references) for
//! consumers that need the syntax.
//!
//! Invariant: never panics on broken input. Whatever cannot be resolved or
//! typed is absent from the tables (or [`Type::Unknown`]) and, where it
//! matters, reported in [`Model::diagnostics`].

mod analyze;
pub mod builtins;
pub mod decl;
mod dispatch;
mod display;
pub mod layout;
pub mod model;
pub mod project;
pub mod ty;
pub mod version;

pub use builtins::Builtin;
pub use decl::{Decl, DeclAst, DeclId, DeclKind};
pub use layout::{StorageEntry, StorageLayout};
pub use model::{
    AsmRef, BaseSpec, CallKind, ContractInfo, FunctionInfo, Model, ModifierTarget, ModifierUse,
    OwnMembers, Res, SpanFact, StateVarInfo, VarMutability,
};
pub use project::{
    load_project, DiagnosticKind, FileId, LoadError, LoadOptions, Project, ProjectDiagnostic,
    ProjectKind, ProjectLayout, Remapping, ResolvedImport, Severity, SourceFile,
};
pub use ty::{DataLocation, FunctionKind, FunctionType, Magic, Mutability, Type};
pub use version::{Version, VersionInfo, VersionReq, VersionSource};

/// Builds the semantic model of a loaded project.
pub fn analyze(project: &Project) -> Model<'_> {
    analyze::analyze(project)
}
