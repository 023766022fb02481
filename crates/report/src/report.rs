//! The single input every renderer takes: what was analysed, what was found
//! and the detector documentation needed to explain it.

use serde::{Deserialize, Serialize};

use crate::classify::{classify_path, PathKind};
use crate::fingerprint::SourceLookup;
use crate::lexical::{segments, SegmentKind};
use crate::model::{canonical_order, normalise_path, Finding, RuleMeta, Severity};
use crate::nsloc::nsloc;

/// Name and version of the tool that produced the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

impl ToolInfo {
    /// `bulwark` at the given version (pass the CLI's `CARGO_PKG_VERSION`).
    pub fn bulwark(version: impl Into<String>) -> ToolInfo {
        ToolInfo {
            name: "bulwark".to_string(),
            version: version.into(),
        }
    }
}

/// Bulwark at this crate's version (the workspace shares one version).
impl Default for ToolInfo {
    fn default() -> ToolInfo {
        ToolInfo::bulwark(env!("CARGO_PKG_VERSION"))
    }
}

/// One analysed source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileInfo {
    /// Relative to the analysed root, `/`-separated.
    pub path: String,
    /// Full text, used for snippets and fingerprints.
    pub source: String,
    pub nsloc: usize,
    /// Contracts, libraries and interfaces declared in the file.
    pub contracts: Vec<String>,
    /// The `pragma solidity` constraints as written (`^0.8.20`).
    pub compiler_versions: Vec<String>,
    pub kind: PathKind,
    /// Whether the file is part of the audited scope (its findings are
    /// reported). Defaults to "is the project's own source"; the CLI sets it
    /// from [`crate::Config::should_report`] and [`crate::Config::is_included`].
    /// Files out of scope are still analysed (imports) and counted.
    pub in_scope: bool,
}

impl FileInfo {
    /// Fills in nSLOC, the kind of file and the pragma constraints from the
    /// text; the caller adds the contract names (the semantic layer knows
    /// them better than a text scan).
    pub fn new(path: impl Into<String>, source: impl Into<String>) -> FileInfo {
        let path = normalise_path(&path.into());
        let source = source.into();
        let kind = classify_path(&path);
        FileInfo {
            nsloc: nsloc(&source),
            compiler_versions: pragma_solidity_versions(&source),
            kind,
            in_scope: kind == PathKind::Source,
            contracts: Vec::new(),
            path,
            source,
        }
    }

    pub fn with_contracts(mut self, contracts: Vec<String>) -> FileInfo {
        self.contracts = contracts;
        self
    }

    pub fn with_in_scope(mut self, in_scope: bool) -> FileInfo {
        self.in_scope = in_scope;
        self
    }
}

/// The version constraints of every `pragma solidity ...;` outside comments,
/// with whitespace collapsed (`>=0.8.0 <0.9.0`).
pub fn pragma_solidity_versions(source: &str) -> Vec<String> {
    let mut versions = Vec::new();
    for segment in segments(source) {
        if segment.kind != SegmentKind::Code {
            continue;
        }
        let code = &source[segment.range];
        let mut rest = code;
        while let Some(at) = rest.find("pragma") {
            let after = &rest[at + "pragma".len()..];
            let starts_word = rest[..at]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric() && c != '_');
            let trimmed = after.trim_start();
            if starts_word && trimmed.starts_with("solidity") && after.len() > trimmed.len() {
                let constraint = &trimmed["solidity".len()..];
                let end = constraint.find(';').unwrap_or(constraint.len());
                let text = constraint[..end]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if !text.is_empty() {
                    versions.push(text);
                }
            }
            rest = after;
        }
    }
    versions
}

impl SourceLookup for [FileInfo] {
    fn source_of(&self, file: &str) -> Option<&str> {
        self.iter()
            .find(|f| f.path == file)
            .map(|f| f.source.as_str())
    }
}

impl SourceLookup for Vec<FileInfo> {
    fn source_of(&self, file: &str) -> Option<&str> {
        self.as_slice().source_of(file)
    }
}

/// A file the analysis could not read or parse, or another input problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    /// Relative to the root when the problem is inside the project.
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// What is wrong and what to do about it.
    pub message: String,
}

/// Everything a renderer needs.
#[derive(Clone, Debug, Default)]
pub struct AuditReport {
    pub tool: ToolInfo,
    /// The analysed root as the user named it (shown in reports).
    pub root: String,
    /// Absolute `file://` URI of the root with a trailing `/`, for SARIF's
    /// `%SRCROOT%`; `None` leaves the base unresolved (still valid SARIF).
    pub root_uri: Option<String>,
    /// Shown in the Markdown/HTML header when set; never taken from the
    /// clock here, so output stays reproducible.
    pub generated_at: Option<String>,
    pub files: Vec<FileInfo>,
    pub findings: Vec<Finding>,
    pub errors: Vec<InputError>,
    /// Problems that did not stop the analysis but made it see less: names,
    /// base contracts and types the semantic model could not resolve.
    /// Shown by the terminal and SARIF renderers; never change the exit code.
    pub warnings: Vec<InputError>,
    /// Metadata of every detector that ran (or at least of every detector
    /// with a finding); renderers fall back to the finding's own fields.
    pub rules: Vec<RuleMeta>,
}

impl AuditReport {
    pub fn rule(&self, id: &str) -> Option<&RuleMeta> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn file(&self, path: &str) -> Option<&FileInfo> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Findings in the order every renderer shows them.
    pub fn sorted_findings(&self) -> Vec<&Finding> {
        let mut sorted: Vec<&Finding> = self.findings.iter().collect();
        sorted.sort_by(|a, b| canonical_order(a, b));
        sorted
    }

    /// Number of findings per severity, most severe first, zeros included.
    pub fn counts_by_severity(&self) -> Vec<(Severity, usize)> {
        Severity::ALL
            .iter()
            .map(|&s| (s, self.findings.iter().filter(|f| f.severity == s).count()))
            .collect()
    }

    /// The audited files (what the reports' scope table lists).
    pub fn scope_files(&self) -> Vec<&FileInfo> {
        self.files.iter().filter(|f| f.in_scope).collect()
    }

    /// nSLOC of the audited files.
    pub fn scope_nsloc(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.in_scope)
            .map(|f| f.nsloc)
            .sum()
    }

    /// Findings numbered the way audit reports cite them (`H-1`, `M-2`,
    /// `G-1`), in canonical order.
    pub fn numbered_findings(&self) -> Vec<(String, &Finding)> {
        let mut next = [0usize; 6];
        self.sorted_findings()
            .into_iter()
            .map(|finding| {
                let slot = &mut next[5 - finding.severity.rank() as usize];
                *slot += 1;
                (
                    format!("{}-{}", finding.severity.id_prefix(), slot),
                    finding,
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_versions_are_read_from_code_only() {
        let src = "// pragma solidity 0.4.0;\npragma solidity  >=0.8.0   <0.9.0;\npragma abicoder v2;\npragma solidity ^0.8.20;";
        assert_eq!(
            pragma_solidity_versions(src),
            vec![">=0.8.0 <0.9.0", "^0.8.20"]
        );
    }

    #[test]
    fn file_info_derives_size_kind_and_versions() {
        let info = FileInfo::new(
            "./test/A.t.sol",
            "pragma solidity 0.8.1;\n\n// c\ncontract A {}\n",
        );
        assert_eq!(info.path, "test/A.t.sol");
        assert_eq!(info.nsloc, 2);
        assert_eq!(info.kind, PathKind::Test);
        assert_eq!(info.compiler_versions, vec!["0.8.1"]);
    }
}
