//! The parts of `bulwark audit --format json` output the scoring reads
//! (schema in `shared/GUIDE.md` §4). Parsing is lenient about fields the
//! scoring does not need, so that schema additions do not break the bench.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditOutput {
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Analysis errors Bulwark reported while still producing a report.
    #[serde(default)]
    pub errors: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Finding {
    #[serde(default)]
    pub detector: String,
    #[serde(default)]
    pub severity: String,
    /// `["SWC-107"]`.
    #[serde(default)]
    pub swc: Vec<String>,
    /// Dataset categories named directly (for weaknesses without an SWC
    /// id, such as `short_addresses`).
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub locations: Vec<Location>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Location {
    #[serde(default)]
    pub file: Option<String>,
    pub start_line: u32,
    pub end_line: u32,
}

impl Finding {
    /// `medium`, `high` or `critical`.
    pub fn is_medium_or_higher(&self) -> bool {
        matches!(
            self.severity.to_ascii_lowercase().as_str(),
            "medium" | "high" | "critical"
        )
    }
}

pub fn parse(json: &str) -> Result<AuditOutput, String> {
    serde_json::from_str(json).map_err(|e| format!("output is not Bulwark's JSON report: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_guide_schema_and_ignores_extra_fields() {
        let json = r#"{
            "schema_version": "1", "tool": {"name": "bulwark", "version": "0.1.0"},
            "files_analysed": 1, "errors": [],
            "findings": [{
                "detector": "reentrancy-eth", "title": "Reentrancy", "severity": "high",
                "confidence": "medium", "swc": ["SWC-107"], "message": "m",
                "locations": [{"file": "a.sol", "start_line": 3, "end_line": 4,
                               "start_column": 1, "end_column": 2, "contract": "C", "function": "f"}],
                "fingerprint": "x"
            }]
        }"#;
        let out = parse(json).unwrap();
        assert_eq!(out.findings.len(), 1);
        let finding = &out.findings[0];
        assert_eq!(finding.swc, ["SWC-107"]);
        assert!(finding.categories.is_empty());
        assert_eq!(
            (
                finding.locations[0].start_line,
                finding.locations[0].end_line
            ),
            (3, 4)
        );
        assert!(finding.is_medium_or_higher());
    }

    #[test]
    fn rejects_other_output() {
        assert!(parse("error: no such command").is_err());
    }
}
