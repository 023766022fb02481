//! Inline suppressions in `suppressions/Guarded.sol`: next-line, same-line
//! and region forms, a stale one, and one naming the wrong detector.

use crate::common::{bulwark, bulwark_in, finding_sites, scratch_copy, sites};
use serde_json::Value;

fn audit_guarded(detectors: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "audit",
        "suppressions",
        "--format",
        "json",
        "--detectors",
        detectors,
    ];
    args.extend_from_slice(extra);
    bulwark(&args).json()
}

#[test]
fn every_suppression_form_silences_its_finding_and_stale_ones_are_reported() {
    let report = audit_guarded("tx-origin,unprotected-selfdestruct,unused-suppression", &[]);
    assert_eq!(
        finding_sites(&report),
        sites(&[
            // Lines 12, 17, 23 and 27 are suppressed; these are not.
            ("unprotected-selfdestruct", "Guarded.sol", 42),
            ("tx-origin", "Guarded.sol", 37),
            ("tx-origin", "Guarded.sol", 47),
            // Above `fee = 3;`, which holds no tx.origin finding.
            ("unused-suppression", "Guarded.sol", 32),
            // Names the wrong detector for the line below it.
            ("unused-suppression", "Guarded.sol", 46),
        ])
    );
    let stale = &report["findings"][3];
    assert_eq!(stale["severity"], "informational");
    assert_eq!(
        stale["message"],
        "`bulwark-disable-next-line tx-origin` suppresses no finding; remove it"
    );
}

#[test]
fn unused_suppressions_are_reported_when_every_detector_runs() {
    let run = bulwark(&["audit", "suppressions", "--format", "json"]);
    let found = finding_sites(&run.json());
    for line in [32, 46] {
        let site = (
            "unused-suppression".to_string(),
            "Guarded.sol".to_string(),
            line,
        );
        assert!(found.contains(&site), "{site:?} missing from {found:?}");
    }
}

#[test]
fn the_unused_suppression_report_can_be_turned_off() {
    let report = audit_guarded(
        "tx-origin,unprotected-selfdestruct,unused-suppression",
        &["--exclude-detectors", "unused-suppression"],
    );
    assert_eq!(
        finding_sites(&report),
        sites(&[
            ("unprotected-selfdestruct", "Guarded.sol", 42),
            ("tx-origin", "Guarded.sol", 37),
            ("tx-origin", "Guarded.sol", 47),
        ])
    );
}

#[test]
fn suppressions_of_a_detector_that_did_not_run_are_not_called_unused() {
    let report = audit_guarded("tx-origin,unused-suppression", &[]);
    assert_eq!(
        finding_sites(&report),
        sites(&[
            ("tx-origin", "Guarded.sol", 37),
            ("tx-origin", "Guarded.sol", 47),
            ("unused-suppression", "Guarded.sol", 32),
        ])
    );
}

#[test]
fn suppressing_the_last_high_finding_makes_the_run_pass() {
    let (_dir, project) = scratch_copy("suppressions");
    let args = [
        "audit",
        "--detectors",
        "unprotected-selfdestruct",
        "--format",
        "json",
    ];
    let run = bulwark_in(&project, &args);
    run.assert_code(1);
    assert_eq!(
        finding_sites(&run.json()),
        sites(&[("unprotected-selfdestruct", "Guarded.sol", 42)])
    );

    let file = project.join("Guarded.sol");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "    function reportedSelfdestruct() external {\n        selfdestruct(payable(msg.sender));",
        "    function reportedSelfdestruct() external {\n        selfdestruct(payable(msg.sender)); // bulwark-disable-line",
    );
    std::fs::write(&file, text).unwrap();
    let run = bulwark_in(&project, &args);
    run.assert_code(0);
    assert_eq!(finding_sites(&run.json()), sites(&[]));
}

#[test]
fn a_misspelt_id_in_a_suppression_comment_is_warned_about() {
    let (_dir, project) = scratch_copy("suppressions");
    let file = project.join("Guarded.sol");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "// bulwark-disable-line tx-origin",
        "// bulwark-disable-line tx-orign",
    );
    std::fs::write(&file, text).unwrap();
    let run = bulwark_in(
        &project,
        &["audit", "--detectors", "tx-origin", "--format", "json"],
    );
    assert!(
        run.stderr.contains(
            "warning: Guarded.sol:17:51: suppression comment names unknown detector `tx-orign`, so it silences nothing; did you mean `tx-origin`?"
        ),
        "{}",
        run.stderr
    );
    // And the finding it meant to silence is reported.
    let found = finding_sites(&run.json());
    assert!(
        found.contains(&("tx-origin".to_string(), "Guarded.sol".to_string(), 17)),
        "{found:?}"
    );
}
