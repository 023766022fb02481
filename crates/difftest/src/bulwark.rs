//! Bulwark's side of the differential test: the one function that turns
//! Bulwark's semantic model into [`Facts`].
//!
//! # Wiring it (for the `bulwark-sema` owner)
//!
//! Add `bulwark-sema` (and `bulwark-syntax` if needed) to this crate's
//! `[dependencies]`, load `project` the way `bulwark` itself would — root
//! `project.root`, the files `project.files`, remappings
//! `project.remappings`, extra import roots `project.include_paths` — and
//! fill a [`Facts`] for exactly the files in `project.files`:
//!
//! - [`Facts::contracts`]: one [`crate::facts::Contract`] per contract,
//!   interface and library of those files, with its C3 linearization by name
//!   (most derived first, itself included) and its own members
//!   ([`crate::facts::Item`]). Effective visibility, not the written one.
//!   Constructors, fallbacks and `receive` have an empty name.
//! - [`Facts::file_items`]: file-level functions (kind `Free`), constants
//!   (`StateVariable`, visibility internal, mutability constant), structs,
//!   enums, errors, events and value types.
//! - [`Facts::references`]: every resolved name use, keyed by the range of
//!   the whole use (`x`, `a.b`, `L.S`, `x.slot` in assembly), pointing at
//!   the declaration's *name* range (see [`crate::facts::DeclLoc`]) or
//!   at a built-in by its written name. Unresolved uses are simply absent.
//! - [`Facts::expression_types`]: every typed expression's type in solc's
//!   `typeString` notation, keyed by the expression's range, plus each named
//!   variable declaration's type keyed by its name range
//!   ([`crate::facts::ExprKind::Declaration`]).
//!
//! Ranges use source unit names (paths relative to `project.root`, `/`
//! separators) and UTF-8 byte offsets. Then remove the `#[ignore]` from
//! `tests/against_solc.rs::bulwark_matches_solc_on_fixtures` and run
//! `cargo test -p bulwark-difftest -- --nocapture` to see the report.

use std::fmt;

use crate::facts::Facts;
use crate::project::Project;

#[derive(Debug)]
pub enum BulwarkFactsError {
    /// The semantic model is not connected to the differential test yet.
    NotWired,
    /// Bulwark could not analyse the project.
    Failed(String),
}

impl fmt::Display for BulwarkFactsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BulwarkFactsError::NotWired => f.write_str(
                "bulwark_facts() is not wired to bulwark-sema yet (see crates/difftest/src/bulwark.rs)",
            ),
            BulwarkFactsError::Failed(why) => write!(f, "bulwark could not analyse the project: {why}"),
        }
    }
}

impl std::error::Error for BulwarkFactsError {}

/// Bulwark's facts about `project`, to compare with solc's.
pub fn bulwark_facts(project: &Project) -> Result<Facts, BulwarkFactsError> {
    let _ = project;
    Err(BulwarkFactsError::NotWired)
}
