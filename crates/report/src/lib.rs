//! bulwark-report: the finding model, fingerprints, suppressions,
//! configuration and every output format of `bulwark audit`.
//!
//! This crate depends on no other Bulwark crate: the detectors and the
//! fuzzer build [`Finding`]s with it, and the CLI turns them into output.
//!
//! A typical audit pipeline (the CLI's job) is:
//! 1. [`Config::for_root`] + [`Config::merge_cli`], then
//!    [`Config::check_detector_ids`] with the registry's ids;
//! 2. load the files, build a [`FileInfo`] per file (setting `in_scope`
//!    from [`in_scope`]), run the enabled detectors
//!    ([`Config::is_detector_enabled`]);
//! 3. [`triage`]: fingerprints, scope filtering, inline suppressions
//!    (unused ones become `unused-suppression` findings) and severity
//!    overrides, in that order;
//! 4. build an [`AuditReport`] from `Triage::reported` and [`render`] it;
//! 5. exit with [`exit_code`] over `Triage::reported` (or [`EXIT_ERROR`]
//!    when there were input errors).

pub mod classify;
pub mod config;
pub mod exit;
pub mod fingerprint;
mod lexical;
pub mod model;
pub mod nsloc;
pub mod render;
pub mod report;
pub mod source;
pub mod suppress;
pub mod triage;

pub use classify::{classify_path, PathKind};
pub use config::{CliOverrides, Config, ConfigError, FailOn, CONFIG_FILE_NAME};
pub use exit::{exit_code, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
pub use fingerprint::{assign_fingerprints, SourceLookup, FINGERPRINT_KEY};
pub use model::{
    canonical_order, Confidence, Finding, Location, ParseLevelError, RuleDocs, RuleMeta, Severity,
};
pub use nsloc::nsloc;
pub use render::{render, OutputFormat, RenderOptions};
pub use report::{AuditReport, FileInfo, InputError, ToolInfo};
pub use suppress::{
    apply_suppressions, unused_suppression_rule, SuppressionOutcome, UnusedSuppression,
    UNUSED_SUPPRESSION_ID,
};
pub use triage::{in_scope, triage, Triage};
