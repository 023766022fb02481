//! `bulwark.toml`: found at the project root or given with `--config`,
//! overridden by flags, and every mistake in it reported at its line.

use crate::common::{audit_json, bulwark, bulwark_in, finding_sites, scratch_copy, sites};

#[test]
fn config_file_sets_threshold_detectors_and_severities() {
    // strict.toml: fail-on medium, selfdestruct off, tx-origin rated critical.
    let run = bulwark(&[
        "audit",
        "foundry-project",
        "--config",
        "configs/strict.toml",
        "--format",
        "json",
    ]);
    run.assert_code(1);
    let report = run.json();
    // Code-quality findings (informational/optimization) are not what this
    // configuration is about.
    let rated: Vec<_> = finding_sites(&report)
        .into_iter()
        .zip(report["findings"].as_array().unwrap())
        .filter(|(_, f)| {
            !matches!(
                f["severity"].as_str(),
                Some("informational" | "optimization")
            )
        })
        .map(|(site, _)| site)
        .collect();
    assert_eq!(rated, sites(&[("tx-origin", "src/Treasury.sol", 11)]));
    assert_eq!(report["findings"][0]["severity"], "critical");
}

#[test]
fn flags_override_the_config_file() {
    let run = bulwark(&[
        "audit",
        "foundry-project",
        "--config",
        "configs/strict.toml",
        "--format",
        "json",
        "--fail-on",
        "none",
        "--severity",
        "tx-origin=low",
        "--detectors",
        "unprotected-selfdestruct,tx-origin",
    ]);
    run.assert_code(0);
    let report = run.json();
    // --detectors re-enables what the file disabled.
    assert_eq!(
        finding_sites(&report),
        sites(&[
            ("unprotected-selfdestruct", "src/Treasury.sol", 16),
            ("tx-origin", "src/Treasury.sol", 11),
        ])
    );
    assert_eq!(report["findings"][1]["severity"], "low");
}

#[test]
fn bulwark_toml_at_the_root_is_picked_up() {
    let (_dir, project) = scratch_copy("foundry-project");
    std::fs::write(
        project.join("bulwark.toml"),
        "fail-on = \"medium\"\n[detectors]\nenable = [\"tx-origin\"]\n",
    )
    .unwrap();
    let run = bulwark_in(&project, &["audit", "--format", "json"]);
    run.assert_code(1);
    assert_eq!(
        finding_sites(&run.json()),
        sites(&[("tx-origin", "src/Treasury.sol", 11)])
    );
}

/// Exit 2 and an error that starts with `file:line:col:`.
#[track_caller]
fn assert_config_error(config: &str, located_message: &str) {
    let run = bulwark(&["audit", "foundry-project", "--config", config]);
    run.assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .starts_with(&format!("error: {config}:{located_message}")),
        "stderr:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("docs/audit.md"),
        "the error points at the reference: {}",
        run.stderr
    );
}

#[test]
fn an_unknown_key_is_reported_at_its_line_with_the_allowed_keys() {
    assert_config_error(
        "configs/unknown-key.toml",
        "3:1: unknown field `fail_on`, expected one of `include`, `exclude`, `fail-on`",
    );
}

#[test]
fn an_unknown_detector_id_in_the_file_is_reported_at_its_line() {
    assert_config_error(
        "configs/unknown-detector.toml",
        "4:25: unknown detector `reentrancy`; run `bulwark detectors`",
    );
}

#[test]
fn a_bad_value_is_reported_at_its_line_with_the_allowed_values() {
    assert_config_error(
        "configs/bad-severity.toml",
        "2:13: unknown severity `urgent`, expected one of: critical, high, medium",
    );
}

#[test]
fn broken_toml_is_reported_at_its_line() {
    assert_config_error("configs/broken-syntax.toml", "2:1: ");
}

#[test]
fn a_missing_config_file_is_an_error() {
    let run = bulwark(&[
        "audit",
        "foundry-project",
        "--config",
        "configs/absent.toml",
    ]);
    run.assert_code(2);
    assert!(
        run.stderr
            .starts_with("error: configs/absent.toml: cannot read the configuration file"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_fixture_detectors_and_the_default_run_agree_on_the_example() {
    // Without --detectors every ready detector runs; the two fixture
    // findings must still be there (other detectors may add more).
    let run = bulwark(&["audit", "foundry-project", "--format", "json"]);
    let all = finding_sites(&run.json());
    let (_, report) = audit_json("foundry-project", &[]);
    for site in finding_sites(&report) {
        assert!(all.contains(&site), "{site:?} missing from {all:?}");
    }
}
