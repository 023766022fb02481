//! From raw detector output to the findings a user sees, in the one order
//! that keeps every step correct:
//!
//! 1. fingerprints over *all* findings first, so that hiding one finding
//!    (out of scope, suppressed) never renumbers the occurrence index of its
//!    twins;
//! 2. drop findings outside the audited scope (dependencies, tests, mocks,
//!    scripts and excluded paths, unless the configuration asks for them);
//! 3. apply inline suppressions of the in-scope files, and report the
//!    suppressions that matched nothing as `unused-suppression` findings;
//! 4. apply severity overrides last, so `fail-on` sees the final severity.

use crate::config::Config;
use crate::fingerprint::assign_fingerprints;
use crate::model::Finding;
use crate::report::FileInfo;
use crate::suppress::{apply_suppressions, UnusedSuppression, UNUSED_SUPPRESSION_ID};

/// Where every finding went.
#[derive(Clone, Debug, Default)]
pub struct Triage {
    /// What to render and to judge `fail-on` by (unused suppressions
    /// included, as informational findings).
    pub reported: Vec<Finding>,
    /// Silenced by an inline `bulwark-disable` comment.
    pub suppressed: Vec<Finding>,
    /// In files outside the audited scope.
    pub out_of_scope: Vec<Finding>,
    /// The suppressions that matched nothing (also in `reported` when the
    /// `unused-suppression` pseudo-detector is enabled).
    pub unused_suppressions: Vec<UnusedSuppression>,
}

/// Whether findings in `path` belong to the audit: the configuration's
/// include/exclude globs and its `report-*` settings both agree.
pub fn in_scope(config: &Config, path: &str) -> bool {
    config.is_included(path) && config.should_report(path)
}

/// Runs the steps in the module docs over the findings of one analysis.
///
/// `files` are all analysed files (their text is needed for fingerprints
/// and suppression comments). Each file's [`FileInfo::in_scope`] decides
/// whether its findings are reported, so set it from [`in_scope`] (and from
/// whatever else the caller knows, such as Foundry's `libs`); findings in a
/// file missing from `files` fall back to [`in_scope`]. Detectors disabled
/// in `config` are assumed not to have run, so suppressions naming them are
/// not called unused.
pub fn triage(mut findings: Vec<Finding>, files: &[FileInfo], config: &Config) -> Triage {
    assign_fingerprints(&mut findings, files);

    let scope_of = |path: &str| {
        files
            .iter()
            .find(|file| file.path == path)
            .map_or_else(|| in_scope(config, path), |file| file.in_scope)
    };
    let (in_scope_findings, out_of_scope): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(|finding| {
            finding
                .primary()
                .is_none_or(|location| scope_of(&location.file))
        });

    let scope_sources = files
        .iter()
        .filter(|file| file.in_scope)
        .map(|file| (file.path.as_str(), file.source.as_str()));
    let outcome = apply_suppressions(in_scope_findings, scope_sources);

    let unused_suppressions: Vec<UnusedSuppression> = outcome
        .unused
        .into_iter()
        .filter(|unused| {
            unused
                .detector
                .as_deref()
                .is_none_or(|id| config.is_detector_enabled(id))
        })
        .collect();

    let mut reported = outcome.kept;
    if config.is_detector_enabled(UNUSED_SUPPRESSION_ID) {
        let mut unused_findings: Vec<Finding> = unused_suppressions
            .iter()
            .map(UnusedSuppression::to_finding)
            .collect();
        assign_fingerprints(&mut unused_findings, files);
        reported.extend(unused_findings);
    }
    config.apply_severity_overrides(&mut reported);

    Triage {
        reported,
        suppressed: outcome.suppressed,
        out_of_scope,
        unused_suppressions,
    }
}
