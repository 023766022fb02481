//! bulwark-detectors: one module per detector, the registry that lists
//! them, and the documentation users read through `bulwark explain`.
//!
//! - [`meta::DetectorMeta`]: a detector's static metadata and docs;
//! - [`detector::Detector`]: the trait a detector implements, and
//!   [`detector::AnalysisContext`], the integration point for the semantic
//!   model and the IR;
//! - [`registry`]: the table of all detectors;
//! - [`docs_page`]: Markdown pages generated from the metadata (the
//!   checked-in copies live in `docs/detectors/`).
//!
//! Detectors are specified by annotated fixture contracts in
//! `tests/fixtures/<id>/` (see the README there).

pub mod detector;
pub mod detectors;
pub mod docs_page;
pub mod meta;
pub mod registry;

pub use detector::{AnalysisContext, Detector};
pub use meta::DetectorMeta;
pub use registry::{Registration, REGISTRY};
