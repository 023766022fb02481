//! `bulwark detectors` and `bulwark explain`.

use serde_json::Value;

use crate::common::bulwark;

fn detector_list() -> Vec<Value> {
    let run = bulwark(&["detectors", "--json"]);
    run.assert_code(0);
    run.json().as_array().unwrap().clone()
}

#[test]
fn the_fixture_detectors_are_listed_as_implemented() {
    // Every other test relies on these two detectors running.
    let list = detector_list();
    for id in ["tx-origin", "unprotected-selfdestruct"] {
        let entry = list.iter().find(|d| d["id"] == id).unwrap();
        assert_eq!(entry["implemented"], true, "{entry}");
    }
    let table = bulwark(&["detectors"]).stdout;
    let row = table.lines().find(|l| l.starts_with("tx-origin ")).unwrap();
    assert!(row.contains(" ready "), "{row}");
}

#[test]
fn every_listed_detector_is_documented_and_kebab_case() {
    for detector in detector_list() {
        let id = detector["id"].as_str().unwrap();
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{id}"
        );
        let run = bulwark(&["explain", id]);
        run.assert_code(0);
        for section in ["## Exploit scenario", "## Recommended fix"] {
            assert!(
                run.stdout.contains(section),
                "`explain {id}` lacks {section}"
            );
        }
    }
}

#[test]
fn explain_covers_the_unused_suppression_pseudo_detector() {
    // Its findings end with "`bulwark explain unused-suppression` ...".
    let run = bulwark(&["explain", "unused-suppression"]);
    run.assert_code(0);
    assert!(run
        .stdout
        .starts_with("# `unused-suppression`: Unused suppression comment"));
    assert!(run.stdout.contains("## Recommended fix"));
}

#[test]
fn explain_of_an_unknown_id_suggests_the_closest() {
    let run = bulwark(&["explain", "tx-orgin"]);
    run.assert_code(2);
    assert!(run.stderr.contains("no detector named `tx-orgin`"));
    assert!(run.stderr.contains("did you mean `tx-origin`?"));
}

#[test]
fn selecting_a_planned_detector_warns_that_it_reports_nothing() {
    let planned: Vec<String> = detector_list()
        .iter()
        .filter(|d| d["implemented"] == false)
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    // Nothing to check once every detector is implemented.
    let Some(id) = planned.first() else { return };
    let run = bulwark(&["audit", "single-file", "--detectors", id]);
    assert!(
        run.stderr.contains(&format!(
            "warning: detector `{id}` is planned but not implemented yet"
        )),
        "{}",
        run.stderr
    );
}
