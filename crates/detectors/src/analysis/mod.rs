//! Questions several detectors ask of the semantic model and the IR, kept
//! in one place so that they answer them alike:
//!
//! - [`access`]: can an arbitrary caller reach a statement, and is an
//!   access check worth anything (can anyone rewrite the owner it reads)?
//! - [`constant`]: the value of a constant expression (`30 seconds`,
//!   `ROUND_GAP`), for detectors that measure windows and bounds;
//! - [`expr`]: small expression helpers (built-ins, operands, spans).
//!
//! Some of this is generic IR material (the authority-soundness check, the
//! entry-point search); it lives here until the IR offers it, and each
//! such helper says so.

pub mod access;
pub mod arbitrary_from;
pub mod arrays;
pub mod compiler_bugs;
pub mod conditions;
pub mod constant;
pub mod critical_state;
pub mod critical_writes;
pub mod debits;
pub mod delegate_targets;
pub mod destination;
pub mod entry_paths;
pub mod explicit_slots;
pub mod exposure;
pub mod expr;
pub mod initializers;
pub mod locations;
pub mod one_shot;
pub mod payments;
pub mod pragma;
pub mod provenance;
pub mod randomness;
pub mod reentrancy;
pub mod signatures;
pub mod state_writers;
pub mod swaps;
pub mod token_calls;
pub mod tuple_results;
pub mod values;
