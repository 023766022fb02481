//! The SARIF output must validate against the OASIS SARIF 2.1.0 schema
//! (vendored in `tests/data`, see its README), and carry what GitHub code
//! scanning needs: rules with help text and `partialFingerprints`.

mod common;

use bulwark_report::render::sarif;
use bulwark_report::{AuditReport, ToolInfo};
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

fn assert_valid(log: &Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF output violates the schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sample_report_is_valid_sarif() {
    assert_valid(&sarif::to_value(&common::sample_report()));
}

#[test]
fn empty_report_without_root_uri_is_valid_sarif() {
    let report = AuditReport {
        tool: ToolInfo::bulwark("0.0.0-test"),
        root: ".".to_string(),
        ..AuditReport::default()
    };
    assert_valid(&sarif::to_value(&report));
}

#[test]
fn the_validator_rejects_a_broken_log() {
    // Guards the test above against a validator that accepts anything.
    let mut log = sarif::to_value(&common::sample_report());
    log["runs"][0]["results"][0]["level"] = Value::from("catastrophic");
    assert!(!validator().is_valid(&log));
    let mut log = sarif::to_value(&common::sample_report());
    log["version"] = Value::from("2.0.0");
    assert!(!validator().is_valid(&log));
}

#[test]
fn results_carry_rule_index_fingerprint_and_related_locations() {
    let report = common::sample_report();
    let log = sarif::to_value(&report);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), report.findings.len());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex must point at ruleId"
        );
        let fingerprint = result["partialFingerprints"]["bulwark/v1"]
            .as_str()
            .unwrap();
        assert_eq!(fingerprint.len(), 32);
    }
    let reentrancy = results
        .iter()
        .find(|r| r["ruleId"] == "reentrancy-eth")
        .unwrap();
    assert_eq!(reentrancy["level"], "error");
    let related = &reentrancy["relatedLocations"][0];
    assert_eq!(related["message"]["text"], "state written after the call");
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 18);
    assert_eq!(
        reentrancy["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
        "%SRCROOT%"
    );
}

#[test]
fn rules_carry_help_tags_and_default_level() {
    let log = sarif::to_value(&common::sample_report());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let reentrancy = rules.iter().find(|r| r["id"] == "reentrancy-eth").unwrap();
    assert_eq!(reentrancy["name"], "ReentrancyEth");
    assert_eq!(reentrancy["defaultConfiguration"]["level"], "error");
    assert_eq!(reentrancy["properties"]["security-severity"], "8.0");
    let tags = reentrancy["properties"]["tags"].as_array().unwrap();
    assert!(tags.contains(&Value::from("SWC-107")));
    let help = reentrancy["help"]["markdown"].as_str().unwrap();
    assert!(help.contains("### Exploit scenario"));
    assert!(help.contains("The attacker's `receive()`"));
    // A finding whose detector has no metadata still gets a rule.
    assert!(rules.iter().any(|r| r["id"] == "weak-prng"));
    let medium = rules.iter().find(|r| r["id"] == "tx-origin").unwrap();
    assert_eq!(medium["defaultConfiguration"]["level"], "warning");
}

#[test]
fn warnings_are_valid_warning_notifications_after_the_errors() {
    let mut report = common::sample_report();
    report.warnings = vec![
        bulwark_report::InputError {
            file: Some("src/Vault.sol".to_string()),
            line: Some(4),
            column: Some(19),
            message: "base contract `Missing` of `Vault` not found".to_string(),
        },
        bulwark_report::InputError {
            file: None,
            line: None,
            column: None,
            message: "3 references unresolved".to_string(),
        },
    ];
    let log = sarif::to_value(&report);
    assert_valid(&log);
    let invocation = &log["runs"][0]["invocations"][0];
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    let levels: Vec<&str> = notifications
        .iter()
        .map(|n| n["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "warning", "warning"]);
    let first = &notifications[1];
    assert_eq!(
        first["message"]["text"],
        "base contract `Missing` of `Vault` not found"
    );
    let region = &first["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(4), Some(19))
    );
    assert!(notifications[2].get("locations").is_none());
    // Warnings alone do not make the run unsuccessful.
    report.errors.clear();
    let log = sarif::to_value(&report);
    assert_valid(&log);
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}
