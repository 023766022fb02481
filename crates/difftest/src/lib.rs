//! Differential testing of Bulwark's Solidity frontend against solc.
//!
//! solc (through solc-js, `tools/solcjs`) compiles a project; its AST JSON is
//! reduced to [`Facts`] — structure, linearizations, resolved references and
//! expression types, all keyed by source byte ranges. Bulwark's semantic
//! model is reduced to the same [`Facts`] by [`bulwark::bulwark_facts`], and
//! [`compare::compare`] measures how far the two agree.
//!
//! - `tests/against_solc.rs` runs this on the fixtures in `fixtures/`;
//! - `cargo xtask difftest-corpus <dir>` runs it on any directory.

// The hand-written ASTs in the unit tests nest deeper than `json!` expands by
// default.
#![cfg_attr(test, recursion_limit = "512")]

pub mod bulwark;
pub mod compare;
pub mod extract;
pub mod facts;
pub mod normalize;
pub mod pragma;
pub mod project;
pub mod report;
pub mod solcjs;

pub use compare::{compare, Comparison, Thresholds};
pub use facts::Facts;
pub use project::{solc_facts, Project, SolcRun};
pub use solcjs::SolcJs;

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/difftest sits two levels below the workspace root")
        .to_path_buf()
}
