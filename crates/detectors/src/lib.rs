//! bulwark-detectors: one module per detector, the registry that lists
//! them, the driver that runs them, and the documentation users read
//! through `bulwark explain`.
//!
//! - [`run_detectors`] / [`audit_project`]: the entry points for the CLI
//!   and the server, with a [`Selection`] of detectors;
//! - [`detector::Detector`]: the trait a detector implements, and
//!   [`detector::AnalysisContext`], what it sees (project, semantic model,
//!   IR);
//! - [`finding`]: locations and findings built the same way by every
//!   detector;
//! - [`analysis`]: questions several detectors ask of the IR (who may
//!   call a function, who may write a variable, constant values);
//! - [`meta::DetectorMeta`]: a detector's static metadata and docs;
//! - [`registry`]: the table of all detectors;
//! - [`docs_page`]: Markdown pages generated from the metadata (the
//!   checked-in copies live in `docs/detectors/`).
//!
//! Detectors are specified by annotated fixture contracts in
//! `tests/fixtures/<id>/` (see the README there).

pub mod analysis;
pub mod detector;
pub mod detectors;
pub mod docs_page;
pub mod finding;
pub mod meta;
pub mod registry;
mod run;

pub use detector::{AnalysisContext, Detector};
pub use finding::FindingBuilder;
pub use meta::DetectorMeta;
pub use registry::{Registration, REGISTRY};
pub use run::{audit_project, in_dependency, run_detectors, Selection};
