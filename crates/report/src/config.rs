//! `bulwark.toml`: which files to analyse, which detectors to run, how to
//! rate their findings and when CI should fail.
//!
//! ```toml
//! include = ["src/**"]              # default: everything under the root
//! exclude = ["src/legacy"]          # a pattern also matches everything below a folder
//! fail-on = "medium"                # a severity, or "none"; default "high"
//! report-dependencies = false       # lib/, node_modules/, dependencies/
//! report-tests = false              # tests, mocks and scripts
//!
//! [detectors]
//! enable = ["reentrancy-eth"]       # if given, only these run
//! disable = ["timestamp"]
//!
//! [detectors.severity]              # per-detector severity overrides
//! tx-origin = "low"
//! ```
//!
//! Globs are relative to the analysed root and use `/`; `*` stays within one
//! folder, `**` crosses folders. Unknown keys and bad values are errors that
//! name the file, line and column and list what is allowed.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use crate::classify::{classify_path, PathKind};
use crate::model::{Finding, ParseLevelError, Severity};
use crate::source::SourceText;

/// The file name looked up at the analysed root.
pub const CONFIG_FILE_NAME: &str = "bulwark.toml";

/// The least severity that makes `bulwark audit` exit with 1, or `Never`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Never,
    AtLeast(Severity),
}

impl Default for FailOn {
    /// CI fails on high and critical findings unless told otherwise.
    fn default() -> FailOn {
        FailOn::AtLeast(Severity::High)
    }
}

impl fmt::Display for FailOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailOn::Never => f.write_str("none"),
            FailOn::AtLeast(severity) => write!(f, "{severity}"),
        }
    }
}

impl FromStr for FailOn {
    type Err = ParseLevelError;

    /// `none` or a severity name (the CLI's `--fail-on` uses this too).
    fn from_str(s: &str) -> Result<FailOn, ParseLevelError> {
        if s.trim().eq_ignore_ascii_case("none") {
            return Ok(FailOn::Never);
        }
        s.parse().map(FailOn::AtLeast).map_err(|_| ParseLevelError {
            kind: "fail-on value",
            input: s.to_string(),
            allowed: &[
                "none",
                "critical",
                "high",
                "medium",
                "low",
                "informational",
                "optimization",
            ],
        })
    }
}

impl<'de> Deserialize<'de> for FailOn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FailOn, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A configuration problem, located in the file when it comes from one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The config file; `None` for problems in command-line flags.
    pub file: Option<PathBuf>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => {
                write!(f, "{}:{line}:{column}: {}", file.display(), self.message)
            }
            (Some(file), _, _) => write!(f, "{}: {}", file.display(), self.message),
            (None, _, _) => write!(f, "command line: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Where a configuration came from, kept to point errors found after
/// parsing (such as unknown detector ids) at the right line.
#[derive(Clone, Debug)]
struct Origin {
    path: PathBuf,
    text: String,
}

impl Origin {
    fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> ConfigError {
        let position = span.map(|span| SourceText::new(&self.text).line_col(span.start));
        ConfigError {
            file: Some(self.path.clone()),
            line: position.map(|(line, _)| line),
            column: position.map(|(_, column)| column),
            message: message.into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    fail_on: Option<FailOn>,
    report_dependencies: Option<bool>,
    report_tests: Option<bool>,
    #[serde(default)]
    detectors: RawDetectors,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDetectors {
    enable: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<Severity>>,
}

/// Command-line flags that override `bulwark.toml`.
#[derive(Clone, Debug, Default)]
pub struct CliOverrides {
    /// Replaces the file's `include` when non-empty.
    pub include: Vec<String>,
    /// Added to the file's `exclude`.
    pub exclude: Vec<String>,
    /// Replaces the file's `enable` list when non-empty; these ids are also
    /// removed from `disable` (an explicit request wins).
    pub enable: Vec<String>,
    /// Added to the file's `disable`.
    pub disable: Vec<String>,
    /// Added to (and winning over) the file's severity overrides.
    pub severity_overrides: Vec<(String, Severity)>,
    pub fail_on: Option<FailOn>,
    pub report_dependencies: Option<bool>,
    pub report_tests: Option<bool>,
}

/// The effective configuration of one audit.
#[derive(Clone, Debug)]
pub struct Config {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// `Some(ids)`: only these detectors run.
    pub enable: Option<Vec<String>>,
    pub disable: Vec<String>,
    pub severity_overrides: BTreeMap<String, Severity>,
    pub fail_on: FailOn,
    pub report_dependencies: bool,
    pub report_tests: bool,
    include_set: GlobSet,
    exclude_set: GlobSet,
    origin: Option<Origin>,
    /// Every detector id written in the file, with its byte span.
    id_spans: Vec<(String, Range<usize>)>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            include: Vec::new(),
            exclude: Vec::new(),
            enable: None,
            disable: Vec::new(),
            severity_overrides: BTreeMap::new(),
            fail_on: FailOn::default(),
            report_dependencies: false,
            report_tests: false,
            include_set: GlobSet::empty(),
            exclude_set: GlobSet::empty(),
            origin: None,
            id_spans: Vec::new(),
        }
    }
}

impl Config {
    /// Reads and parses a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|err| ConfigError {
            file: Some(path.to_path_buf()),
            line: None,
            column: None,
            message: format!("cannot read the configuration file: {err}"),
        })?;
        Config::from_toml_str(&text, path)
    }

    /// Loads `<root>/bulwark.toml` if it exists, else the defaults.
    pub fn for_root(root: &Path) -> Result<Config, ConfigError> {
        let path = root.join(CONFIG_FILE_NAME);
        if path.is_file() {
            Config::load(&path)
        } else {
            Ok(Config::default())
        }
    }

    /// Parses config text; `path` is only used in error messages.
    pub fn from_toml_str(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let origin = Origin {
            path: path.to_path_buf(),
            text: text.to_string(),
        };
        let raw: RawConfig = toml::from_str(text)
            .map_err(|err| origin.error(err.span(), err.message().trim_end().to_string()))?;

        let mut id_spans = Vec::new();
        let mut plain = |list: Vec<Spanned<String>>| -> Vec<String> {
            list.into_iter()
                .map(|id| {
                    id_spans.push((id.get_ref().clone(), id.span()));
                    id.into_inner()
                })
                .collect()
        };
        let enable = raw.detectors.enable.map(&mut plain);
        let disable = plain(raw.detectors.disable);
        let mut severity_overrides = BTreeMap::new();
        for (id, severity) in raw.detectors.severity {
            // The key's own span is not kept by the map; the value's line is
            // the same line as the key in any sane file.
            id_spans.push((id.clone(), severity.span()));
            severity_overrides.insert(id, severity.into_inner());
        }

        let include_set = compile_globs(&raw.include, "include", Some(&origin))?;
        let exclude_set = compile_globs(&raw.exclude, "exclude", Some(&origin))?;
        Ok(Config {
            include: raw.include.into_iter().map(Spanned::into_inner).collect(),
            exclude: raw.exclude.into_iter().map(Spanned::into_inner).collect(),
            enable,
            disable,
            severity_overrides,
            fail_on: raw.fail_on.unwrap_or_default(),
            report_dependencies: raw.report_dependencies.unwrap_or(false),
            report_tests: raw.report_tests.unwrap_or(false),
            include_set,
            exclude_set,
            origin: Some(origin),
            id_spans,
        })
    }

    /// Applies command-line flags on top of the file's settings.
    pub fn merge_cli(&mut self, cli: CliOverrides) -> Result<(), ConfigError> {
        if !cli.include.is_empty() {
            self.include = cli.include;
        }
        self.exclude.extend(cli.exclude);
        if !cli.enable.is_empty() {
            self.disable.retain(|id| !cli.enable.contains(id));
            self.enable = Some(cli.enable);
        }
        self.disable.extend(cli.disable);
        self.severity_overrides.extend(cli.severity_overrides);
        if let Some(fail_on) = cli.fail_on {
            self.fail_on = fail_on;
        }
        if let Some(report) = cli.report_dependencies {
            self.report_dependencies = report;
        }
        if let Some(report) = cli.report_tests {
            self.report_tests = report;
        }
        // Recompile: command-line globs carry no span, their errors say so.
        let unspanned = |list: &[String]| -> Vec<Spanned<String>> {
            list.iter().map(|g| Spanned::new(0..0, g.clone())).collect()
        };
        self.include_set = compile_globs(&unspanned(&self.include), "--include", None)?;
        self.exclude_set = compile_globs(&unspanned(&self.exclude), "--exclude", None)?;
        Ok(())
    }

    /// Errors on the first detector id (in the file or the flags) that is
    /// not in `known`; a misspelt id would otherwise silently do nothing.
    pub fn check_detector_ids(&self, known: &[&str]) -> Result<(), ConfigError> {
        let unknown = |id: &str| !known.contains(&id);
        let hint = "run `bulwark detectors` to list the detector ids";
        for (id, span) in &self.id_spans {
            if unknown(id) {
                if let Some(origin) = &self.origin {
                    return Err(origin.error(
                        Some(span.clone()),
                        format!("unknown detector `{id}`; {hint}"),
                    ));
                }
            }
        }
        let all_ids = self
            .enable
            .iter()
            .flatten()
            .chain(&self.disable)
            .chain(self.severity_overrides.keys());
        for id in all_ids {
            if unknown(id) {
                return Err(ConfigError {
                    file: None,
                    line: None,
                    column: None,
                    message: format!("unknown detector `{id}`; {hint}"),
                });
            }
        }
        Ok(())
    }

    /// Whether the detector `id` should run.
    pub fn is_detector_enabled(&self, id: &str) -> bool {
        let enabled = self
            .enable
            .as_ref()
            .is_none_or(|only| only.iter().any(|e| e == id));
        enabled && !self.disable.iter().any(|d| d == id)
    }

    /// The severity findings of `id` get: the override, else `default`.
    pub fn severity_for(&self, id: &str, default: Severity) -> Severity {
        self.severity_overrides.get(id).copied().unwrap_or(default)
    }

    /// Rewrites the severity of findings whose detector has an override.
    pub fn apply_severity_overrides(&self, findings: &mut [Finding]) {
        for finding in findings {
            finding.severity = self.severity_for(&finding.detector, finding.severity);
        }
    }

    /// Whether `path` (relative to the root) passes the include and exclude
    /// globs. A pattern matches a file or any folder above it.
    pub fn is_included(&self, path: &str) -> bool {
        let path = crate::model::normalise_path(path);
        let included = self.include.is_empty() || matches_or_ancestor(&self.include_set, &path);
        included && !matches_or_ancestor(&self.exclude_set, &path)
    }

    /// Whether findings in `path` are reported, given what kind of file it
    /// is ([`classify_path`]) and the `report-*` settings.
    pub fn should_report(&self, path: &str) -> bool {
        match classify_path(path) {
            PathKind::Source => true,
            PathKind::Dependency => self.report_dependencies,
            PathKind::Test | PathKind::Mock | PathKind::Script => self.report_tests,
        }
    }
}

fn matches_or_ancestor(set: &GlobSet, path: &str) -> bool {
    if set.is_match(path) {
        return true;
    }
    path.match_indices('/')
        .any(|(slash, _)| set.is_match(&path[..slash]))
}

fn compile_globs(
    patterns: &[Spanned<String>],
    setting: &str,
    origin: Option<&Origin>,
) -> Result<GlobSet, ConfigError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let cleaned = pattern
            .get_ref()
            .trim_start_matches("./")
            .trim_end_matches('/');
        let glob: Glob = GlobBuilder::new(cleaned)
            .literal_separator(true)
            .build()
            .map_err(|err| {
                let message = format!(
                    "invalid glob `{}` in `{setting}`: {}; globs use `*`, `**`, `?`, `[...]` and `{{a,b}}`",
                    pattern.get_ref(),
                    err.kind()
                );
                match origin {
                    Some(origin) => origin.error(Some(pattern.span()), message),
                    None => ConfigError {
                        file: None,
                        line: None,
                        column: None,
                        message,
                    },
                }
            })?;
        builder.add(glob);
    }
    builder.build().map_err(|err| ConfigError {
        file: origin.map(|o| o.path.clone()),
        line: None,
        column: None,
        message: format!("invalid globs in `{setting}`: {err}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_parses_none_and_severities() {
        assert_eq!("none".parse::<FailOn>(), Ok(FailOn::Never));
        assert_eq!(
            "Medium".parse::<FailOn>(),
            Ok(FailOn::AtLeast(Severity::Medium))
        );
        let err = "sometimes".parse::<FailOn>().unwrap_err().to_string();
        assert!(err.contains("expected one of: none, critical"), "{err}");
    }

    #[test]
    fn globs_match_files_and_folders_without_crossing_separators_with_star() {
        let config = Config::from_toml_str(
            "include = [\"src/*.sol\", \"contracts\"]\nexclude = [\"contracts/legacy/\"]",
            Path::new("bulwark.toml"),
        )
        .unwrap();
        assert!(config.is_included("src/A.sol"));
        assert!(!config.is_included("src/sub/A.sol"));
        assert!(config.is_included("contracts/x/B.sol"));
        assert!(!config.is_included("contracts/legacy/C.sol"));
        assert!(!config.is_included("other/D.sol"));
    }
}
