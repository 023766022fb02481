//! Every `--format` on a real audit of the Foundry fixture: JSON against
//! its published schema, SARIF against the OASIS 2.1.0 schema, and the
//! human formats carrying scope, summary and each finding's fix.

use std::path::Path;

use serde_json::Value;

use crate::common::{bulwark, fixture, Run, FIXTURE_DETECTORS};

fn audit_foundry(format: &str) -> Run {
    let run = bulwark(&[
        "audit",
        "foundry-project",
        "--format",
        format,
        "--detectors",
        FIXTURE_DETECTORS,
    ]);
    run.assert_code(1);
    run
}

fn repository_file(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every violation of `schema` by `instance`, one per line.
fn schema_violations(schema: &str, instance: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(schema).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn json_output_matches_the_documented_schema() {
    let report = audit_foundry("json").json();
    let schema = repository_file("crates/report/schema/bulwark-report-1.0.schema.json");
    let violations = schema_violations(&schema, &report);
    assert!(violations.is_empty(), "{}", violations.join("\n"));

    assert_eq!(report["schema_version"], "1.0");
    assert_eq!(report["tool"]["name"], "bulwark");
    let finding = &report["findings"][0];
    assert_eq!(finding["detector"], "unprotected-selfdestruct");
    assert_eq!(finding["title"], "Unprotected selfdestruct");
    assert_eq!(finding["confidence"], "high");
    assert_eq!(finding["swc"], serde_json::json!(["SWC-106"]));
    assert_eq!(
        finding["locations"][0],
        serde_json::json!({
            "file": "src/Treasury.sol",
            "start_line": 16, "end_line": 16,
            "start_column": 9, "end_column": 42,
            "contract": "Treasury", "function": "shutdown"
        })
    );
    let fingerprint = finding["fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 32);
    assert!(fingerprint
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
}

#[test]
fn the_json_schema_check_rejects_a_report_that_breaks_it() {
    // Guards the test above against a schema that accepts anything.
    let mut report = audit_foundry("json").json();
    report["findings"][0]["severity"] = Value::from("catastrophic");
    let schema = repository_file("crates/report/schema/bulwark-report-1.0.schema.json");
    assert!(!schema_violations(&schema, &report).is_empty());
}

#[test]
fn sarif_output_is_valid_and_carries_fingerprints_and_rule_help() {
    let sarif = audit_foundry("sarif").json();
    let schema = repository_file("crates/report/tests/data/sarif-schema-2.1.0.json");
    let violations = schema_violations(&schema, &sarif);
    assert!(violations.is_empty(), "{}", violations.join("\n"));

    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    let json = audit_foundry("json").json();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["detector"]);
        // The same fingerprint as the JSON report, under a versioned key,
        // so GitHub code scanning follows the alert across commits.
        assert_eq!(
            result["partialFingerprints"]["bulwark/v1"],
            finding["fingerprint"]
        );
        let physical = &result["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "src/Treasury.sol");
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(
            physical["region"]["startLine"],
            finding["locations"][0]["start_line"]
        );
    }
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[1]["level"], "warning");

    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in results {
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], result["ruleId"]);
        let help = rule["help"]["markdown"].as_str().unwrap();
        assert!(help.contains("Exploit scenario"), "{help}");
    }
    let srcroot = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        srcroot.starts_with("file://") && srcroot.ends_with("/foundry-project/"),
        "{srcroot}"
    );
}

#[test]
fn markdown_report_has_scope_summary_and_each_fix() {
    let markdown = audit_foundry("markdown").stdout;
    for piece in [
        "# Bulwark audit report",
        "## Scope",
        "| `src/Treasury.sol` | source | `Treasury` |",
        "`^0.8.20`",
        "## Summary",
        "| High | 1 |",
        "| Medium | 1 |",
        "| **Total** | **2** |",
        "### [H-1] Unprotected selfdestruct",
        "### [M-1] Authorisation through tx.origin",
        "> 16 |         selfdestruct(payable(msg.sender));",
        "`Treasury.setLimit` decides who may proceed with `tx.origin`",
    ] {
        assert!(
            markdown.contains(piece),
            "markdown lacks {piece:?}:\n{markdown}"
        );
    }
    for section in ["#### Exploit scenario", "#### Recommendation"] {
        assert_eq!(
            markdown.matches(section).count(),
            2,
            "one {section} per finding"
        );
    }
}

#[test]
fn html_report_is_self_contained_with_scope_summary_and_each_fix() {
    let html = audit_foundry("html").stdout;
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "{}",
        &html[..80.min(html.len())]
    );
    for piece in [
        "<h2>Scope",
        "src/Treasury.sol",
        "<h2>Summary",
        "Unprotected selfdestruct",
    ] {
        assert!(html.contains(piece), "html lacks {piece:?}");
    }
    assert_eq!(html.matches("<h4>Recommendation").count(), 2);
    assert_eq!(html.matches("<h4>Exploit scenario").count(), 2);
    // Self-contained: nothing fetched from elsewhere.
    for external in ["<script src", "<link rel=\"stylesheet\" href", "src=\"http"] {
        assert!(!html.contains(external), "html loads {external:?}");
    }
}

#[test]
fn terminal_output_is_plain_without_a_tty_and_ends_with_a_summary() {
    let text = audit_foundry("terminal").stdout;
    assert!(!text.contains('\u{1b}'), "no escape codes when not a TTY");
    assert!(
        text.starts_with("high[unprotected-selfdestruct]: "),
        "{text}"
    );
    assert!(text.contains("  --> src/Treasury.sol:16:9\n"), "{text}");
    assert!(
        text.contains("16 |         selfdestruct(payable(msg.sender));"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("summary: 2 findings (1 high, 1 medium) in 3 files"),
        "{text}"
    );

    let coloured = bulwark(&[
        "audit",
        "foundry-project",
        "--detectors",
        "tx-origin",
        "--color",
        "always",
    ]);
    assert!(
        coloured.stdout.contains("\u{1b}["),
        "--color always colours"
    );
}

#[test]
fn output_writes_the_same_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulwark.sarif");
    let run = bulwark(&[
        "audit",
        "foundry-project",
        "--format",
        "sarif",
        "--detectors",
        FIXTURE_DETECTORS,
        "--output",
        path.to_str().unwrap(),
    ]);
    run.assert_code(1);
    assert_eq!(run.stdout, "", "the report goes to the file only");
    assert!(
        run.stderr
            .contains("wrote sarif report with 2 finding(s) to "),
        "{}",
        run.stderr
    );
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, audit_foundry("sarif").stdout);
}

#[test]
fn machine_formats_keep_stdout_parseable_when_inputs_have_errors() {
    let run = bulwark(&[
        "audit",
        fixture("foundry-project/src/Treasury.sol")
            .to_str()
            .unwrap(),
        "--remap",
        "@dep/=nowhere/",
        "--format",
        "json",
    ]);
    // Findings at the threshold decide the code (1) even with input errors.
    run.assert_code(1);
    let report = run.json();
    assert_eq!(report["errors"][0]["file"], "src/Treasury.sol");
    assert!(
        run.stderr
            .contains("error: src/Treasury.sol:4:21: import \"@dep/Owned.sol\" not found"),
        "{}",
        run.stderr
    );
    // Below the threshold, the incomplete analysis is what the code says.
    let run = bulwark(&[
        "audit",
        fixture("foundry-project/src/Treasury.sol")
            .to_str()
            .unwrap(),
        "--remap",
        "@dep/=nowhere/",
        "--format",
        "json",
        "--fail-on",
        "none",
    ]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("error: 1 input error(s) in audited files"),
        "{}",
        run.stderr
    );
}
