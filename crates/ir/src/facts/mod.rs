//! Per-node facts in def-use form: which locals a CFG node defines and
//! uses, which state variables it reads and writes (and how), which
//! environment values it reads, and every call it makes, classified.
//!
//! Facts are computed from the semantic model's resolution and call
//! tables; where the model has no answer (broken code) the collector falls
//! back on syntax for the few things that matter most (low-level call
//! members), and otherwise records nothing rather than guessing.

mod calls;
pub(crate) mod collect;
pub(crate) mod storage;
#[cfg(test)]
mod tests;

pub use calls::{CallSite, CallSiteKind, LowLevelOp, ResultUse};
pub use storage::StorageRoot;
pub(crate) use storage::{storage_aliases, value_roots, StorageAliases};

use bulwark_sema::{Builtin, DeclId};
use bulwark_syntax::ast::NodeId;
use bulwark_syntax::Span;

/// A definition of a local variable (parameters and return variables
/// included) at a node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalDef {
    pub var: DeclId,
    /// The whole variable is overwritten (`x = e`, `T x = e`), which kills
    /// earlier definitions; `false` for element writes (`x[i] = e`,
    /// `x.f = e` on a memory value), which do not.
    pub strong: bool,
    /// The value assigned, when it is one expression (`None` for tuple
    /// destructuring slots, `++`, `delete`, assembly and try/catch bindings).
    pub value: Option<NodeId>,
}

/// How a state variable is accessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccessHow {
    /// The variable itself: `x`, `x = e`.
    Direct,
    /// A field, element or mapping entry of it: `x.f`, `x[i]`, `x[i].f = e`.
    Element,
    /// `delete x...`.
    Delete,
    /// `x.push(...)` (also `x.length++` before 0.6).
    Push,
    /// `x.pop()` (also `x.length--`).
    Pop,
    /// Through a local storage pointer aliasing the variable
    /// (`S storage s = x[i]; s.f = e`).
    Pointer(DeclId),
    /// From inline assembly (`sstore(x.slot, v)`, `x := v` on a storage
    /// reference).
    Assembly,
}

/// One read or write of a state variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateAccess {
    pub var: DeclId,
    /// The accessing expression (the identifier or member access naming the
    /// variable or pointer); the assembly statement for assembly accesses.
    pub expr: NodeId,
    pub span: Span,
    pub how: AccessHow,
    /// For writes: the value stored (assigned expression, pushed element),
    /// when there is one.
    pub value: Option<NodeId>,
}

/// A read of a block, transaction or message value (`msg.sender`,
/// `block.timestamp`, `now`, `blockhash(n)`, `tx.origin`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvRead {
    pub builtin: Builtin,
    pub expr: NodeId,
    pub span: Span,
}

/// Everything a CFG node does to data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeFacts {
    /// Local variables (and parameters, return variables) defined here.
    pub defs: Vec<LocalDef>,
    /// Local variables read here, without duplicates, in first-use order.
    pub uses: Vec<DeclId>,
    pub state_reads: Vec<StateAccess>,
    pub state_writes: Vec<StateAccess>,
    pub env_reads: Vec<EnvRead>,
    /// Calls in evaluation order (inner calls of arguments before the
    /// outer call).
    pub calls: Vec<CallSite>,
    /// Indices of the function's storage parameters written through here
    /// (`function f(S storage s) internal { s.x = 1; }`); the caller's
    /// argument decides which state variable that is.
    pub param_writes: Vec<u16>,
    /// Indices of storage parameters read through here.
    pub param_reads: Vec<u16>,
    /// Writes of struct fields through a storage pointer with no known
    /// state variable behind it (ERC-7201 namespaced storage:
    /// `$._initialized = 1` after `$.slot := SLOT`). `var` is the field's
    /// declaration; a field identifies its namespace, since each namespace
    /// has a struct of its own.
    pub field_writes: Vec<StateAccess>,
    /// Reads of such fields.
    pub field_reads: Vec<StateAccess>,
}

impl NodeFacts {
    pub fn reads_state(&self, var: DeclId) -> bool {
        self.state_reads.iter().any(|a| a.var == var)
    }

    pub fn writes_state(&self, var: DeclId) -> bool {
        self.state_writes.iter().any(|a| a.var == var)
    }

    pub fn reads_env(&self, builtin: Builtin) -> bool {
        self.env_reads.iter().any(|r| r.builtin == builtin)
    }

    pub fn defines(&self, var: DeclId) -> bool {
        self.defs.iter().any(|d| d.var == var)
    }

    pub fn uses_local(&self, var: DeclId) -> bool {
        self.uses.contains(&var)
    }

    /// Whether some call here can transfer control to other code
    /// (external or low-level call, contract creation, assembly call).
    pub fn has_external_call(&self) -> bool {
        self.calls.iter().any(|c| c.kind.is_external())
    }
}
