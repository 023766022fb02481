//! The JSON output matches the schema published in
//! `crates/report/schema/` (documented in `docs/json-schema.md`) and reads
//! back into the finding model.

mod common;

use bulwark_report::render::json;
use bulwark_report::Finding;
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("../schema/bulwark-report-1.0.schema.json")).unwrap();
    jsonschema::validator_for(&schema).expect("the report schema compiles")
}

#[test]
fn output_matches_the_published_schema() {
    let output: Value = serde_json::from_str(&json::render(&common::sample_report())).unwrap();
    let errors: Vec<String> = validator()
        .iter_errors(&output)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_schema_rejects_extra_top_level_keys_and_bad_severities() {
    let mut output = json::to_value(&common::sample_report());
    output["extra"] = Value::from(1);
    assert!(!validator().is_valid(&output));
    let mut output = json::to_value(&common::sample_report());
    output["findings"][0]["severity"] = Value::from("severe");
    assert!(!validator().is_valid(&output));
}

#[test]
fn top_level_keys_are_exactly_the_guides_and_in_its_order() {
    let text = json::render(&common::sample_report());
    let positions: Vec<usize> = [
        "\"schema_version\"",
        "\"tool\"",
        "\"files_analysed\"",
        "\"errors\"",
        "\"findings\"",
    ]
    .iter()
    .map(|key| text.find(key).unwrap())
    .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "keys out of order"
    );
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value.as_object().unwrap().len(), 5);
    assert_eq!(value["schema_version"], json::JSON_SCHEMA_VERSION);
}

#[test]
fn findings_read_back_into_the_model() {
    let report = common::sample_report();
    let value = json::to_value(&report);
    let findings: Vec<Finding> = serde_json::from_value(value["findings"].clone()).unwrap();
    let mut expected: Vec<Finding> = report.sorted_findings().into_iter().cloned().collect();
    expected.sort_by(bulwark_report::canonical_order);
    assert_eq!(findings, expected);
}
