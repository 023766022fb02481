//! The fixture harness: annotation parsing, comparison of expected and
//! reported findings, and the single call into the analysis.
//!
//! Lives under `tests/harness/` (a directory module) so Cargo does not build
//! it as a test crate of its own.

pub mod analysis;
pub mod annotations;
pub mod compare;
pub mod fixture_files;
