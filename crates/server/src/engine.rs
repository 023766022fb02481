//! The analysis behind an audit, seen through one trait so the service does
//! not care how findings are produced.
//!
//! The job runner calls [`AuditEngine::run`] on a blocking thread with the
//! upload unpacked into a scratch directory. Nothing in that directory is
//! ever executed: an engine reads source files, nothing more.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use bulwark_report::{CliOverrides, FailOn, FileInfo, Finding, InputError, RuleMeta};
use serde::{Deserialize, Serialize};

/// What the user asked for when starting an audit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditOptions {
    /// Run only these detectors; empty means every enabled detector.
    #[serde(default)]
    pub detectors: Vec<String>,
    /// Severity at or above which the audit's gate fails (`none` disables).
    #[serde(default = "default_fail_on")]
    pub fail_on: String,
}

impl Default for AuditOptions {
    fn default() -> AuditOptions {
        AuditOptions::default_gate()
    }
}

fn default_fail_on() -> String {
    FailOn::default().to_string()
}

impl AuditOptions {
    /// No detector filter and the default gate (`high`).
    pub fn default_gate() -> AuditOptions {
        AuditOptions {
            detectors: Vec::new(),
            fail_on: default_fail_on(),
        }
    }

    pub fn fail_on(&self) -> FailOn {
        self.fail_on.parse().unwrap_or_default()
    }
}

/// Everything an engine found in one project.
#[derive(Clone, Debug, Default)]
pub struct AuditOutput {
    /// Analysed files with their text (for snippets, scope and reports).
    pub files: Vec<FileInfo>,
    /// Findings; fingerprints may be left empty, the service assigns them.
    pub findings: Vec<Finding>,
    /// Files that could not be read or parsed, and other input problems.
    pub errors: Vec<InputError>,
    /// Metadata of the detectors that ran (explanations and fixes).
    pub rules: Vec<RuleMeta>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// The cancel flag was seen; partial results are discarded.
    Cancelled,
    /// The analysis could not complete; retried with backoff.
    Failed(String),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Cancelled => f.write_str("cancelled"),
            EngineError::Failed(msg) => f.write_str(msg),
        }
    }
}

/// Runs the analysis of one unpacked project.
///
/// Called on a blocking thread (the analysis is CPU-bound). Implementations
/// report progress in `0.0..=1.0` through `progress` and check `cancel`
/// between units of work, returning [`EngineError::Cancelled`] once it is set.
pub trait AuditEngine: Send + Sync + 'static {
    fn run(
        &self,
        dir: &Path,
        options: &AuditOptions,
        progress: &dyn Fn(f32),
        cancel: &AtomicBool,
    ) -> Result<AuditOutput, EngineError>;

    /// Ids of the detectors this engine knows, to validate `detectors` in a
    /// request; `None` accepts any id.
    fn detector_ids(&self) -> Option<Vec<String>> {
        None
    }
}

/// The engine shipped in the `bulwark` binary: the static-analysis pipeline
/// of `bulwark audit` (`bulwark_engine::audit`: load the project, semantic
/// model, IR, detectors, triage), so the service and the CLI report the
/// same findings for the same sources.
#[derive(Clone, Debug, Default)]
pub struct PipelineEngine;

/// Rough share of the work done when the pipeline enters each phase.
fn phase_progress(phase: &str) -> f32 {
    if phase.starts_with("loading") {
        0.05
    } else if phase.starts_with("building") {
        0.3
    } else if phase.starts_with("running") {
        0.6
    } else {
        0.9
    }
}

impl AuditEngine for PipelineEngine {
    fn run(
        &self,
        dir: &Path,
        options: &AuditOptions,
        progress: &dyn Fn(f32),
        cancel: &AtomicBool,
    ) -> Result<AuditOutput, EngineError> {
        let request = bulwark_engine::AuditRequest {
            inputs: vec![dir.to_path_buf()],
            config_file: None,
            overrides: CliOverrides {
                enable: options.detectors.clone(),
                fail_on: Some(options.fail_on()),
                ..CliOverrides::default()
            },
            remappings: Vec::new(),
            // The upload's foundry.toml and remappings are untrusted: they
            // must not make the analysis read (and quote in findings) files
            // of the server's own file system.
            confine_to_root: true,
        };
        // The pipeline has no cancellation points of its own: it runs in
        // well under a second on real projects, so cancelling between
        // phases (and discarding the result) is enough.
        let mut on_phase = |phase: &str| progress(phase_progress(phase));
        let outcome = bulwark_engine::audit(&request, &mut on_phase)
            .map_err(|e| EngineError::Failed(e.to_string()))?;
        if cancel.load(Ordering::Relaxed) {
            return Err(EngineError::Cancelled);
        }
        let report = outcome.report;
        Ok(confine_to_upload(AuditOutput {
            files: report.files,
            findings: report.findings,
            errors: report.errors,
            rules: report.rules,
        }))
    }

    fn detector_ids(&self) -> Option<Vec<String>> {
        Some(
            bulwark_detectors::registry::ids()
                .into_iter()
                .map(str::to_string)
                .collect(),
        )
    }
}

/// True for a `/`-separated path that stays inside the analysed root.
fn inside_root(path: &str) -> bool {
    crate::archive::safe_relative_path(path.as_bytes())
        .ok()
        .flatten()
        .is_some_and(|normalised| normalised == path)
}

/// Drops every file, finding and error located outside the upload.
///
/// An uploaded `remappings.txt` or `foundry.toml` could map an import to an
/// absolute path or `../..` on the server; the loader would then read that
/// file as a dependency. Whatever it read must not be stored or shown.
pub fn confine_to_upload(mut output: AuditOutput) -> AuditOutput {
    output.files.retain(|f| inside_root(&f.path));
    output
        .findings
        .retain(|f| f.locations.iter().all(|l| inside_root(&l.file)));
    output
        .errors
        .retain(|e| e.file.as_deref().is_none_or(inside_root));
    output
}

/// Every `.sol` file under `dir`, as sorted `/`-separated relative paths.
/// Symbolic links are not followed (uploads never contain any, but a
/// scratch directory is still not trusted).
pub fn solidity_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "sol") {
                if let Ok(rel) = path.strip_prefix(dir) {
                    let parts: Vec<_> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect();
                    out.push(parts.join("/"));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulwark_report::Location;

    #[test]
    fn results_outside_the_upload_are_dropped() {
        let inside = FileInfo::new("src/A.sol", "contract A {}");
        let outside = FileInfo::new("../../etc/Secret.sol", "contract Secret {}");
        let mut absolute = FileInfo::new("x", "");
        absolute.path = "/tmp/secret/Secret.sol".to_string();
        let finding = |file: &str| Finding {
            detector: "d".into(),
            title: "t".into(),
            severity: bulwark_report::Severity::High,
            confidence: bulwark_report::Confidence::High,
            swc: vec![],
            categories: vec![],
            message: "m".into(),
            locations: vec![Location::new(file, 1, 1, 1, 2)],
            fingerprint: String::new(),
        };
        let error = |file: &str| InputError {
            file: Some(file.into()),
            line: None,
            column: None,
            message: "e".into(),
        };
        let output = confine_to_upload(AuditOutput {
            files: vec![inside, outside, absolute],
            findings: vec![finding("src/A.sol"), finding("../../etc/Secret.sol")],
            errors: vec![error("src/A.sol"), error("/tmp/secret/Secret.sol")],
            rules: vec![],
        });
        assert_eq!(output.files.len(), 1);
        assert_eq!(output.files[0].path, "src/A.sol");
        assert_eq!(output.findings.len(), 1);
        assert_eq!(output.errors.len(), 1);
        assert!(inside_root("lib/oz/Token.sol"));
        assert!(!inside_root("a/../b.sol"));
    }
}
