//! Declarations: one arena for every named entity of the project.
//!
//! Why one arena: references (identifiers, member accesses, type names)
//! may point at any kind of declaration, and consumers mostly need "what is
//! this, where is it, what contains it". A single `DeclId` space keeps
//! [`crate::Res`] and the side tables small and uniform; the typed views
//! ([`crate::ContractInfo`], [`crate::FunctionInfo`], [`crate::StateVarInfo`])
//! add what is specific to a kind.

use bulwark_syntax::ast::{
    ContractDefinition, EnumDefinition, EnumVariant, ErrorDefinition, EventDefinition,
    FunctionDefinition, ImportDirective, LocalVariable, NodeId, Parameter, StateVariable,
    StructDefinition, UserValueTypeDefinition,
};
use bulwark_syntax::Span;

use crate::project::FileId;

/// Index of a declaration in [`crate::Model::decls`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeclId(pub u32);

impl DeclId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeclKind {
    /// A contract, interface or library (see [`crate::ContractInfo::kind`]).
    Contract,
    /// A function, constructor, fallback or receive function, in a contract
    /// or at file level.
    Function,
    Modifier,
    /// A state variable, or a constant at file level.
    StateVar,
    /// A local variable (including `var` and tuple declarations).
    LocalVar,
    /// A parameter of a function, modifier, event, error, `try ... returns`
    /// or `catch` clause (the container tells which).
    Param,
    /// A named or unnamed return variable of a function.
    ReturnParam,
    Struct,
    StructField,
    Enum,
    EnumVariant,
    Event,
    Error,
    /// A user-defined value type (`type T is uint256`).
    Udvt,
    /// `import "x" as M;` or `import * as M from "x";`: the alias `M`.
    ImportAlias,
}

/// The AST node a declaration comes from.
#[derive(Clone, Copy, Debug)]
pub enum DeclAst<'p> {
    Contract(&'p ContractDefinition),
    /// Functions and modifiers.
    Function(&'p FunctionDefinition),
    StateVar(&'p StateVariable),
    /// Parameters, return parameters and struct fields.
    Param(&'p Parameter),
    Local(&'p LocalVariable),
    Struct(&'p StructDefinition),
    Enum(&'p EnumDefinition),
    EnumVariant(&'p EnumVariant),
    Event(&'p EventDefinition),
    Error(&'p ErrorDefinition),
    Udvt(&'p UserValueTypeDefinition),
    Import(&'p ImportDirective),
}

/// One declaration.
#[derive(Clone, Debug)]
pub struct Decl<'p> {
    pub kind: DeclKind,
    /// The declared name; empty for constructors, fallback/receive
    /// functions and unnamed parameters.
    pub name: String,
    pub file: FileId,
    /// The declaring node (`FunctionDefinition::id`, `Parameter::id`, …).
    pub node: NodeId,
    /// The whole declaration.
    pub span: Span,
    /// The name as written; the whole declaration when it has no name.
    pub name_span: Span,
    /// The enclosing declaration: contract of a member, function of a
    /// parameter or local, struct of a field, enum of a variant, event or
    /// error of its parameters. `None` at file level.
    pub container: Option<DeclId>,
    pub ast: DeclAst<'p>,
}
