//! SARIF 2.1.0, the format GitHub code scanning and most CI dashboards read.
//!
//! One run; `tool.driver.rules` carries every detector's documentation
//! (GitHub shows `help.markdown` next to the alert) and `partialFingerprints`
//! carries our line-independent fingerprint so alerts are tracked across
//! commits. Paths are relative to the `%SRCROOT%` base id. Input errors
//! and warnings (unresolved names) become `toolExecutionNotifications` of
//! the run's invocation, with level `error` and `warning`.

use serde_json::{json, Map, Value};

use crate::fingerprint::FINGERPRINT_KEY;
use crate::model::{Finding, Location, RuleDocs, RuleMeta, Severity};
use crate::report::AuditReport;

pub const SARIF_VERSION: &str = "2.1.0";
pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

/// SARIF's three result levels; critical and high block, medium warns.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Informational | Severity::Optimization => "note",
    }
}

/// GitHub's `security-severity` score, which it maps back to
/// critical (>= 9.0), high (>= 7.0), medium (>= 4.0) and low; not given for
/// findings that are not security issues.
fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("2.0"),
        Severity::Informational | Severity::Optimization => None,
    }
}

/// The rules array: every rule in the report, then a minimal rule for any
/// finding whose detector has no metadata (so every `ruleIndex` resolves).
fn collect_rules(report: &AuditReport) -> Vec<RuleMeta> {
    let mut rules = report.rules.clone();
    for finding in report.sorted_findings() {
        if !rules.iter().any(|r| r.id == finding.detector) {
            rules.push(RuleMeta {
                id: finding.detector.clone(),
                title: finding.title.clone(),
                severity: finding.severity,
                confidence: finding.confidence,
                swc: finding.swc.clone(),
                summary: finding.title.clone(),
                docs: RuleDocs::default(),
            });
        }
    }
    rules
}

/// `reentrancy-eth` → `ReentrancyEth` (SARIF's `name` is an identifier-like
/// display name, distinct from the stable `id`).
fn pascal_case(id: &str) -> String {
    id.split(['-', '_'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn help_text(rule: &RuleMeta) -> String {
    let docs = &rule.docs;
    let mut sections = Vec::new();
    for (heading, body) in [
        ("What it does", &docs.what),
        ("Why it matters", &docs.why),
        ("Exploit scenario", &docs.exploit),
        ("Recommendation", &docs.fix),
    ] {
        if !body.is_empty() {
            sections.push(format!("{heading}: {body}"));
        }
    }
    if !docs.references.is_empty() {
        sections.push(format!("References: {}", docs.references.join(", ")));
    }
    if sections.is_empty() {
        rule.summary.clone()
    } else {
        sections.join("\n\n")
    }
}

fn help_markdown(rule: &RuleMeta) -> String {
    let docs = &rule.docs;
    let mut sections = Vec::new();
    for (heading, body) in [
        ("What it does", &docs.what),
        ("Why it matters", &docs.why),
        ("Exploit scenario", &docs.exploit),
        ("Recommendation", &docs.fix),
    ] {
        if !body.is_empty() {
            sections.push(format!("### {heading}\n\n{body}"));
        }
    }
    if !docs.references.is_empty() {
        let list: Vec<String> = docs.references.iter().map(|r| format!("- {r}")).collect();
        sections.push(format!("### References\n\n{}", list.join("\n")));
    }
    if sections.is_empty() {
        rule.summary.clone()
    } else {
        sections.join("\n\n")
    }
}

fn rule_json(rule: &RuleMeta) -> Value {
    let mut tags: Vec<String> = vec!["security".to_string(), "solidity".to_string()];
    tags.extend(rule.swc.iter().cloned());
    let mut properties = Map::new();
    properties.insert("tags".into(), json!(tags));
    properties.insert("severity".into(), json!(rule.severity.as_str()));
    properties.insert("confidence".into(), json!(rule.confidence.as_str()));
    properties.insert("precision".into(), json!(rule.confidence.as_str()));
    properties.insert("swc".into(), json!(rule.swc));
    if let Some(score) = security_severity(rule.severity) {
        properties.insert("security-severity".into(), json!(score));
    }
    json!({
        "id": rule.id,
        "name": pascal_case(&rule.id),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": if rule.summary.is_empty() { &rule.title } else { &rule.summary } },
        "help": { "text": help_text(rule), "markdown": help_markdown(rule) },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": properties,
    })
}

/// Percent-encodes what may not appear raw in a relative URI path.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn physical_location(location: &Location) -> Value {
    json!({
        "artifactLocation": { "uri": uri_path(&location.file), "uriBaseId": SRCROOT },
        "region": {
            "startLine": location.start_line.max(1),
            "startColumn": location.start_column.max(1),
            "endLine": location.end_line.max(location.start_line).max(1),
            "endColumn": location.end_column.max(1),
        },
    })
}

fn logical_locations(location: &Location) -> Option<Value> {
    let name = location.qualified_scope()?;
    let kind = if location.function.is_some() {
        "function"
    } else {
        "type"
    };
    Some(json!([{ "fullyQualifiedName": name, "kind": kind }]))
}

fn result_json(finding: &Finding, rule_index: usize) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(finding.detector));
    result.insert("ruleIndex".into(), json!(rule_index));
    result.insert("level".into(), json!(level(finding.severity)));
    result.insert("message".into(), json!({ "text": finding.message }));
    if let Some(primary) = finding.primary() {
        let mut location = Map::new();
        location.insert("physicalLocation".into(), physical_location(primary));
        if let Some(logical) = logical_locations(primary) {
            location.insert("logicalLocations".into(), logical);
        }
        result.insert("locations".into(), json!([location]));
    }
    let related: Vec<Value> = finding
        .related()
        .iter()
        .enumerate()
        .map(|(index, location)| {
            let text = location
                .label
                .clone()
                .unwrap_or_else(|| "related location".to_string());
            json!({
                "id": index + 1,
                "physicalLocation": physical_location(location),
                "message": { "text": text },
            })
        })
        .collect();
    if !related.is_empty() {
        result.insert("relatedLocations".into(), json!(related));
    }
    if !finding.fingerprint.is_empty() {
        result.insert(
            "partialFingerprints".into(),
            json!({ FINGERPRINT_KEY: finding.fingerprint }),
        );
    }
    let mut properties = json!({
        "severity": finding.severity.as_str(),
        "confidence": finding.confidence.as_str(),
        "swc": finding.swc,
    });
    if !finding.categories.is_empty() {
        properties["categories"] = json!(finding.categories);
    }
    result.insert("properties".into(), properties);
    Value::Object(result)
}

fn notifications(report: &AuditReport) -> Vec<Value> {
    let errors = report.errors.iter().map(|e| ("error", e));
    let warnings = report.warnings.iter().map(|w| ("warning", w));
    errors
        .chain(warnings)
        .map(|(level, error)| {
            let mut notification = json!({
                "level": level,
                "message": { "text": error.message },
            });
            if let Some(file) = &error.file {
                let mut physical = json!({
                    "artifactLocation": { "uri": uri_path(file), "uriBaseId": SRCROOT },
                });
                if let Some(line) = error.line {
                    let mut region = json!({ "startLine": line.max(1) });
                    if let Some(column) = error.column {
                        region["startColumn"] = json!(column.max(1));
                    }
                    physical["region"] = region;
                }
                notification["locations"] = json!([{ "physicalLocation": physical }]);
            }
            notification
        })
        .collect()
}

/// The SARIF log as a JSON value.
pub fn to_value(report: &AuditReport) -> Value {
    let rules = collect_rules(report);
    let results: Vec<Value> = report
        .sorted_findings()
        .into_iter()
        .map(|finding| {
            let index = rules
                .iter()
                .position(|r| r.id == finding.detector)
                .expect("collect_rules adds a rule for every detector");
            result_json(finding, index)
        })
        .collect();
    let tool = &report.tool;
    let root = match &report.root_uri {
        Some(uri) => json!({ "uri": uri }),
        None => {
            json!({ "description": { "text": format!("The analysed project root ({})", report.root) } })
        }
    };
    json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {
                "driver": {
                    "name": tool.name,
                    "version": tool.version,
                    "semanticVersion": tool.version,
                    "rules": rules.iter().map(rule_json).collect::<Vec<_>>(),
                },
            },
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": notifications(report),
            }],
            "originalUriBaseIds": { SRCROOT: root },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// Pretty-printed SARIF with a trailing newline.
pub fn render(report: &AuditReport) -> String {
    let mut text =
        serde_json::to_string_pretty(&to_value(report)).expect("a JSON value always prints");
    text.push('\n');
    text
}

/// Turns an absolute directory path into the `file://` URI SARIF expects
/// for `%SRCROOT%` (with a trailing slash). Use it to fill
/// [`AuditReport::root_uri`].
pub fn directory_uri(absolute: &std::path::Path) -> String {
    let text = absolute.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        // Windows drive paths (`C:/x`) need the extra slash: `file:///C:/x`.
        uri.push('/');
    }
    uri.push_str(&uri_path(&text));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_pascal_case_names() {
        assert_eq!(pascal_case("reentrancy-eth"), "ReentrancyEth");
        assert_eq!(pascal_case("tx-origin"), "TxOrigin");
    }

    #[test]
    fn uris_escape_spaces_and_keep_slashes() {
        assert_eq!(uri_path("src/My Vault.sol"), "src/My%20Vault.sol");
        assert_eq!(
            directory_uri(std::path::Path::new("/home/a b")),
            "file:///home/a%20b/"
        );
    }
}
