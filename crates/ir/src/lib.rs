//! bulwark-ir: the intermediate representation detectors stand on.
//!
//! Start from [`ProjectIr::new`] with a semantic [`bulwark_sema::Model`]:
//!
//! - [`ProjectIr::function_ir`] gives a function's or modifier's
//!   [`FunctionIr`]: its [`cfg::Cfg`] (statement-level nodes, revert exit
//!   distinct from the normal exit) and per-node [`facts::NodeFacts`]
//!   (locals defined/used, state read/written, environment reads, calls
//!   classified).
//! - [`dataflow`] is the generic worklist solver, with reaching
//!   definitions ([`FunctionIr::reaching_defs`]).
//! - [`ProjectIr::taint`] answers "is this expression influenced by
//!   `msg.sender` / a block value / a parameter / an external call result".
//! - [`ProjectIr::call_graph`] and [`ProjectIr::access`] give call edges
//!   (with virtual dispatch per most-derived contract) and state read/write
//!   sets, direct and transitive.
//! - [`ProjectIr::guards`] recognises access-control checks and
//!   reentrancy locks by behaviour.
//!
//! See ARCHITECTURE.md for how the crate fits in the pipeline.

pub mod access;
pub mod callgraph;
pub mod cfg;
pub mod dataflow;
pub mod facts;
pub mod function;
pub mod guards;
pub mod printers;
pub mod project;
pub mod taint;
pub mod walk;

pub use access::AccessSet;
pub use callgraph::{CallEdge, CallEdgeKind, CallGraph};
pub use function::{FunctionIr, Termination};
pub use guards::{FunctionGuards, MutexLock, SenderCheck};
pub use project::ProjectIr;
pub use taint::{Source, Taint, TaintAnalysis};

#[cfg(test)]
mod project_tests;
#[cfg(test)]
pub(crate) mod testutil;
