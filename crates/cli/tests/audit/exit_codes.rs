//! The CI contract: 0 when nothing reaches `--fail-on`, 1 when something
//! does, whatever the format, with severity overrides applied first.

use crate::common::{audit_json, bulwark, finding_sites, sites};

#[test]
fn a_medium_finding_passes_the_default_high_threshold() {
    let (run, report) = audit_json("single-file/Wallet.sol", &[]);
    run.assert_code(0);
    assert_eq!(
        finding_sites(&report),
        sites(&[("tx-origin", "Wallet.sol", 9)])
    );
    assert_eq!(report["findings"][0]["severity"], "medium");
}

#[test]
fn fail_on_medium_makes_the_same_finding_fail() {
    let (run, _) = audit_json("single-file/Wallet.sol", &["--fail-on", "medium"]);
    run.assert_code(1);
}

#[test]
fn a_high_finding_fails_by_default_and_fail_on_none_never_fails() {
    let (run, report) = audit_json("foundry-project", &[]);
    run.assert_code(1);
    assert_eq!(report["findings"][0]["severity"], "high");
    audit_json("foundry-project", &["--fail-on", "none"])
        .0
        .assert_code(0);
    audit_json("foundry-project", &["--fail-on", "critical"])
        .0
        .assert_code(0);
}

#[test]
fn the_terminal_format_has_the_same_exit_codes() {
    let run = bulwark(&["audit", "foundry-project", "--detectors", "tx-origin"]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("summary: 1 finding (1 medium) in "),
        "{}",
        run.stdout
    );
    bulwark(&[
        "audit",
        "foundry-project",
        "--detectors",
        "unprotected-selfdestruct",
    ])
    .assert_code(1);
}

#[test]
fn a_severity_override_on_the_command_line_changes_the_exit_code() {
    let (run, report) = audit_json("single-file/Wallet.sol", &["--severity", "tx-origin=high"]);
    run.assert_code(1);
    assert_eq!(report["findings"][0]["severity"], "high");

    let (run, report) = audit_json(
        "foundry-project",
        &["--severity", "unprotected-selfdestruct=low"],
    );
    run.assert_code(0);
    let severities: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    // Reordered: the overridden finding now sorts after the medium one.
    assert_eq!(severities, ["medium", "low"]);
}

#[test]
fn a_clean_project_exits_zero_with_an_empty_report() {
    let (run, report) = audit_json(
        "foundry-project",
        &["--exclude", "src/Treasury.sol", "--fail-on", "optimization"],
    );
    run.assert_code(0);
    assert_eq!(finding_sites(&report), sites(&[]));
}
