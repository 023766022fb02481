//! bulwark-report: the finding model, fingerprints, suppressions,
//! configuration and every output format of `bulwark audit`.
//!
//! This crate depends on no other Bulwark crate: the detectors and the
//! fuzzer build [`Finding`]s with it, and the CLI turns them into output.
//!
//! A typical audit pipeline (the CLI's job) is:
//! 1. [`Config::for_root`] + [`Config::merge_cli`], then
//!    [`Config::check_detector_ids`];
//! 2. run the enabled detectors ([`Config::is_detector_enabled`]);
//! 3. [`assign_fingerprints`] over all findings;
//! 4. keep findings in files that [`Config::should_report`];
//! 5. [`apply_suppressions`], turning unused ones into findings with
//!    [`UnusedSuppression::to_finding`];
//! 6. [`Config::apply_severity_overrides`];
//! 7. build an [`AuditReport`] and [`render`] it;
//! 8. exit with [`exit_code`] (or [`EXIT_ERROR`] on input errors).

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
