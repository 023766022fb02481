//! bulwark-ir: the intermediate representation detectors stand on.
//!
//! - [`cfg`]: per-function and per-modifier control-flow graphs.
//! - [`walk`]: expression and statement walkers.
//!
//! See ARCHITECTURE.md for how the crate fits in the pipeline.

pub mod cfg;
pub mod walk;
