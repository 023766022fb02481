//! The finding model shared by the detectors, the fuzzer and every renderer.
//!
//! The serialised field names are a public contract (`docs/json-schema.md`):
//! external tooling reads them, so renaming a field is a schema change.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::source::SourceText;

/// How bad a finding is, from `Critical` (worst) to `Optimization`.
///
/// `Ord` sorts the most severe first (`Critical < High`), which is the
/// order reports list findings in; use [`Severity::rank`] or
/// [`Severity::is_at_least`] when "at least as severe" is meant, which
/// reads less surprisingly than comparing enums.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Informational,
    Optimization,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 6] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
        Severity::Optimization,
    ];

    /// The lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Informational => "informational",
            Severity::Optimization => "optimization",
        }
    }

    /// Capitalised name for prose ("High").
    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "Critical",
            Severity::High => "High",
            Severity::Medium => "Medium",
            Severity::Low => "Low",
            Severity::Informational => "Informational",
            Severity::Optimization => "Optimization",
        }
    }

    /// Larger means more severe (`Critical` = 5, `Optimization` = 0).
    pub fn rank(self) -> u8 {
        match self {
            Severity::Critical => 5,
            Severity::High => 4,
            Severity::Medium => 3,
            Severity::Low => 2,
            Severity::Informational => 1,
            Severity::Optimization => 0,
        }
    }

    /// True when `self` is as severe as `threshold` or worse.
    pub fn is_at_least(self, threshold: Severity) -> bool {
        self.rank() >= threshold.rank()
    }

    /// The one-letter prefix audit reports use for finding ids (H-1, M-2, G-1).
    pub fn id_prefix(self) -> &'static str {
        match self {
            Severity::Critical => "C",
            Severity::High => "H",
            Severity::Medium => "M",
            Severity::Low => "L",
            Severity::Informational => "I",
            Severity::Optimization => "G",
        }
    }
}

/// Sorting puts the most severe first.
impl Ord for Severity {
    fn cmp(&self, other: &Self) -> Ordering {
        other.rank().cmp(&self.rank())
    }
}

impl PartialOrd for Severity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error returned when a string names no severity or confidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseLevelError {
    /// What kind of value was expected ("severity", "confidence").
    pub kind: &'static str,
    /// The rejected input.
    pub input: String,
    /// The accepted spellings.
    pub allowed: &'static [&'static str],
}

impl fmt::Display for ParseLevelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} `{}`, expected one of: {}",
            self.kind,
            self.input,
            self.allowed.join(", ")
        )
    }
}

impl std::error::Error for ParseLevelError {}

const SEVERITY_NAMES: &[&str] = &[
    "critical",
    "high",
    "medium",
    "low",
    "informational",
    "optimization",
];

impl FromStr for Severity {
    type Err = ParseLevelError;

    /// Case-insensitive; `info` and `gas` are accepted as common shorthands.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "critical" => Ok(Severity::Critical),
            "high" => Ok(Severity::High),
            "medium" => Ok(Severity::Medium),
            "low" => Ok(Severity::Low),
            "informational" | "info" => Ok(Severity::Informational),
            "optimization" | "optimisation" | "gas" => Ok(Severity::Optimization),
            _ => Err(ParseLevelError {
                kind: "severity",
                input: s.to_string(),
                allowed: SEVERITY_NAMES,
            }),
        }
    }
}

/// How sure the detector is that the finding is a true positive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Confidence {
    High,
    Medium,
    Low,
}

const CONFIDENCE_NAMES: &[&str] = &["high", "medium", "low"];

impl Confidence {
    pub const ALL: [Confidence; 3] = [Confidence::High, Confidence::Medium, Confidence::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Confidence::High => "High",
            Confidence::Medium => "Medium",
            Confidence::Low => "Low",
        }
    }

    /// Larger means more confident.
    pub fn rank(self) -> u8 {
        match self {
            Confidence::High => 2,
            Confidence::Medium => 1,
            Confidence::Low => 0,
        }
    }
}

/// Sorting puts the most confident first.
impl Ord for Confidence {
    fn cmp(&self, other: &Self) -> Ordering {
        other.rank().cmp(&self.rank())
    }
}

impl PartialOrd for Confidence {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Confidence {
    type Err = ParseLevelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "high" => Ok(Confidence::High),
            "medium" => Ok(Confidence::Medium),
            "low" => Ok(Confidence::Low),
            _ => Err(ParseLevelError {
                kind: "confidence",
                input: s.to_string(),
                allowed: CONFIDENCE_NAMES,
            }),
        }
    }
}

// Serialise as the lower-case names and parse through `FromStr`, so that the
// JSON format, the config file and the CLI accept exactly the same spellings
// and a bad value in `bulwark.toml` gets the "expected one of" message.
macro_rules! serde_via_str {
    ($ty:ty) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

serde_via_str!(Severity);
serde_via_str!(Confidence);

/// A region of one source file.
///
/// Lines are 1-based and inclusive. Columns are 1-based and count Unicode
/// scalar values; `end_column` is exclusive (the column just after the last
/// character), which is also SARIF's convention, so a one-character span on
/// column 5 has `start_column = 5, end_column = 6`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Path relative to the analysed root, with `/` separators.
    pub file: String,
    pub start_line: u32,
    pub end_line: u32,
    pub start_column: u32,
    pub end_column: u32,
    /// Name of the enclosing contract, library or interface, if any.
    pub contract: Option<String>,
    /// Name of the enclosing function or modifier, if any (`constructor`,
    /// `fallback` and `receive` for the special functions).
    pub function: Option<String>,
    /// What this location shows, for related locations ("state written
    /// after the call"). Omitted from JSON when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl Location {
    /// A location from explicit line/column numbers (see the type docs for
    /// the conventions).
    pub fn new(
        file: impl Into<String>,
        start_line: u32,
        start_column: u32,
        end_line: u32,
        end_column: u32,
    ) -> Location {
        Location {
            file: normalise_path(&file.into()),
            start_line,
            end_line,
            start_column,
            end_column,
            contract: None,
            function: None,
            label: None,
        }
    }

    /// A location covering the byte range `range` of `source` (the text of
    /// `file`). Offsets past the end are clamped; a range that ends just
    /// after a newline is shortened so the location does not spill onto the
    /// next line.
    pub fn from_byte_range(
        file: impl Into<String>,
        source: &str,
        range: std::ops::Range<usize>,
    ) -> Location {
        let text = SourceText::new(source);
        let (start, end) = text.clamp_range(range);
        let (start_line, start_column) = text.line_col(start);
        let (end_line, end_column) = text.end_line_col(start, end);
        Location::new(file, start_line, start_column, end_line, end_column)
    }

    pub fn with_contract(mut self, contract: impl Into<String>) -> Location {
        self.contract = Some(contract.into());
        self
    }

    pub fn with_function(mut self, function: impl Into<String>) -> Location {
        self.function = Some(function.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Location {
        self.label = Some(label.into());
        self
    }

    /// True when `line` lies within the location's lines.
    pub fn contains_line(&self, line: u32) -> bool {
        self.start_line <= line && line <= self.end_line
    }

    /// `Contract.function`, `Contract`, `function` or `None`.
    pub fn qualified_scope(&self) -> Option<String> {
        match (&self.contract, &self.function) {
            (Some(c), Some(f)) => Some(format!("{c}.{f}")),
            (Some(c), None) => Some(c.clone()),
            (None, Some(f)) => Some(f.clone()),
            (None, None) => None,
        }
    }
}

/// Paths in findings always use `/`, whatever the platform, so fingerprints
/// and outputs are identical on every machine.
pub fn normalise_path(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    slashed
        .strip_prefix("./")
        .map(str::to_string)
        .unwrap_or(slashed)
}

/// One problem found in the analysed code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Kebab-case detector id (`reentrancy-eth`).
    pub detector: String,
    /// The detector's title (the same for every instance).
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    /// SWC registry ids (`SWC-107`); empty when none applies.
    pub swc: Vec<String>,
    /// Extra classification tags (for example a DASP category with no SWC id).
    #[serde(default)]
    pub categories: Vec<String>,
    /// What is wrong in this instance: names the function, call or variable.
    pub message: String,
    /// First = the primary (vulnerable) statement; the rest are related.
    pub locations: Vec<Location>,
    /// Stable identity across unrelated edits; see [`crate::fingerprint`].
    /// Empty until [`crate::fingerprint::assign_fingerprints`] has run.
    #[serde(default)]
    pub fingerprint: String,
}

impl Finding {
    /// A finding carrying the rule's id, title, severity, confidence and SWC
    /// ids, so detectors only supply what is specific to the instance.
    pub fn from_rule(rule: &RuleMeta, message: impl Into<String>, primary: Location) -> Finding {
        Finding {
            detector: rule.id.clone(),
            title: rule.title.clone(),
            severity: rule.severity,
            confidence: rule.confidence,
            swc: rule.swc.clone(),
            categories: Vec::new(),
            message: message.into(),
            locations: vec![primary],
            fingerprint: String::new(),
        }
    }

    /// Appends a related location.
    pub fn with_related(mut self, location: Location) -> Finding {
        self.locations.push(location);
        self
    }

    pub fn with_categories(mut self, categories: Vec<String>) -> Finding {
        self.categories = categories;
        self
    }

    /// The primary location, if the finding has any location at all.
    pub fn primary(&self) -> Option<&Location> {
        self.locations.first()
    }

    /// Related locations (all but the primary).
    pub fn related(&self) -> &[Location] {
        self.locations.get(1..).unwrap_or(&[])
    }
}

/// The order every renderer uses: most severe first, then by file and
/// position, then by detector. Makes output independent of the order in
/// which detectors ran.
pub fn canonical_order(a: &Finding, b: &Finding) -> Ordering {
    let position = |f: &Finding| {
        f.primary()
            .map(|l| (l.file.clone(), l.start_line, l.start_column))
            .unwrap_or_default()
    };
    a.severity
        .cmp(&b.severity)
        .then_with(|| position(a).cmp(&position(b)))
        .then_with(|| a.detector.cmp(&b.detector))
        .then_with(|| a.confidence.cmp(&b.confidence))
        .then_with(|| a.message.cmp(&b.message))
        .then_with(|| a.fingerprint.cmp(&b.fingerprint))
}

/// Static metadata of one detector: what SARIF rules, `bulwark explain` and
/// the audit reports show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub swc: Vec<String>,
    /// One or two sentences: what the detector reports.
    pub summary: String,
    pub docs: RuleDocs,
}

/// The long-form documentation of a detector (ruff's and Slither's sections).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleDocs {
    /// What it detects.
    pub what: String,
    /// Why it matters.
    pub why: String,
    /// A concrete exploit scenario.
    pub exploit: String,
    /// The recommended fix.
    pub fix: String,
    /// URLs or citations.
    pub references: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_parses_case_insensitively_and_rejects_unknown_names() {
        assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
        assert_eq!("info".parse::<Severity>(), Ok(Severity::Informational));
        let err = "hgh".parse::<Severity>().unwrap_err();
        assert!(err.to_string().contains("unknown severity `hgh`"));
        assert!(err.to_string().contains("critical, high"));
    }

    #[test]
    fn severity_sorts_most_severe_first_and_compares_by_threshold() {
        let mut all = vec![Severity::Low, Severity::Critical, Severity::Optimization];
        all.sort();
        assert_eq!(
            all,
            vec![Severity::Critical, Severity::Low, Severity::Optimization]
        );
        assert!(Severity::Critical.is_at_least(Severity::High));
        assert!(Severity::High.is_at_least(Severity::High));
        assert!(!Severity::Medium.is_at_least(Severity::High));
    }

    #[test]
    fn severity_round_trips_through_json_as_lower_case() {
        let json = serde_json::to_string(&Severity::Informational).unwrap();
        assert_eq!(json, "\"informational\"");
        let back: Severity = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Severity::Informational);
        assert!(serde_json::from_str::<Confidence>("\"sure\"").is_err());
    }

    #[test]
    fn location_from_byte_range_uses_one_based_exclusive_end_column() {
        let src = "contract A {\n    function f() {}\n}\n";
        let start = src.find("function").unwrap();
        let end = start + "function f() {}".len();
        let loc = Location::from_byte_range("./src/A.sol", src, start..end);
        assert_eq!(loc.file, "src/A.sol");
        assert_eq!((loc.start_line, loc.start_column), (2, 5));
        assert_eq!((loc.end_line, loc.end_column), (2, 20));
    }

    #[test]
    fn location_ending_after_newline_stays_on_its_line() {
        let src = "a;\nb;\n";
        let loc = Location::from_byte_range("x.sol", src, 0..3);
        assert_eq!((loc.start_line, loc.end_line), (1, 1));
        assert_eq!(loc.end_column, 3);
    }

    #[test]
    fn location_json_omits_absent_label_but_keeps_null_scope() {
        let loc = Location::new("a.sol", 1, 1, 1, 2);
        let json = serde_json::to_value(&loc).unwrap();
        assert!(json.get("label").is_none());
        assert!(json["contract"].is_null());
        assert_eq!(json["start_line"], 1);
    }
}
