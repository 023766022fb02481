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
//!
//! # Example: a detector's view
//!
//! ```
//! use bulwark_ir::facts::{CallSiteKind, LowLevelOp};
//! use bulwark_ir::{ProjectIr, Source};
//! use bulwark_sema::{analyze, LoadOptions, Project};
//!
//! let src = "pragma solidity ^0.8.0;
//! contract Vault {
//!     mapping(address => uint) balances;
//!     function withdraw() external {
//!         uint amount = balances[msg.sender];
//!         (bool ok, ) = msg.sender.call{value: amount}(\"\");
//!         require(ok);
//!         balances[msg.sender] = 0;
//!     }
//! }";
//! let project = Project::from_sources(&[("v.sol", src)], &LoadOptions::default());
//! let model = analyze(&project);
//! let ir = ProjectIr::new(&model);
//! let withdraw = model.functions().iter().find(|f| model.decl(f.decl).name == "withdraw").unwrap();
//! let f = ir.function_ir(withdraw.decl).unwrap();
//!
//! // The low-level call: its target is msg.sender, it sends value, its
//! // result is checked.
//! let (call_node, call) = f
//!     .calls()
//!     .find(|(_, c)| matches!(c.kind, CallSiteKind::LowLevel { op: LowLevelOp::Call, .. }))
//!     .unwrap();
//! let CallSiteKind::LowLevel { target, .. } = call.kind else { unreachable!() };
//! assert!(ir.is_influenced_by(withdraw.decl, target, Source::MsgSender));
//! assert!(call.kind.sends_eth() && call.checked);
//!
//! // A state write after the call (what a reentrancy detector looks for).
//! let late_write = f.state_writes().find(|(n, _)| f.cfg.reaches(call_node, *n) && *n != call_node);
//! assert!(late_write.is_some());
//! // No lock and no sender check protect it.
//! let guards = ir.function_guards(withdraw.decl);
//! assert!(guards.mutexes.is_empty() && !guards.sender_restricted);
//! ```

pub mod access;
pub mod assert_helper;
pub mod callgraph;
pub mod cfg;
pub mod dataflow;
mod declmap;
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
