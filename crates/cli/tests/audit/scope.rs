//! What is analysed and what is reported: project layouts, remapped and
//! npm imports, and the default silence about dependencies, tests, mocks
//! and scripts (analysed for resolution, reported only when asked).

use crate::common::{
    audit_json, bulwark_in, finding_sites, scratch_copy, sites, FIXTURE_DETECTORS,
};

#[test]
fn foundry_project_reports_only_its_own_sources_by_default() {
    let (run, report) = audit_json("foundry-project", &[]);
    run.assert_code(1);
    assert_eq!(
        finding_sites(&report),
        sites(&[
            ("unprotected-selfdestruct", "src/Treasury.sol", 16),
            ("tx-origin", "src/Treasury.sol", 11),
        ])
    );
    // The remapped `@dep/Owned.sol` import resolved: no input errors, and
    // the library was analysed (Treasury, MockFeed, Owned).
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(report["files_analysed"], 3);
}

#[test]
fn include_dependencies_reports_the_remapped_library() {
    let (_, report) = audit_json("foundry-project", &["--include-dependencies"]);
    assert_eq!(
        finding_sites(&report),
        sites(&[
            ("unprotected-selfdestruct", "src/Treasury.sol", 16),
            ("tx-origin", "lib/dep/src/Owned.sol", 20),
            ("tx-origin", "src/Treasury.sol", 11),
        ])
    );
}

#[test]
fn include_tests_loads_and_reports_tests_scripts_and_mocks() {
    let (_, report) = audit_json("foundry-project", &["--include-tests"]);
    assert_eq!(
        finding_sites(&report),
        sites(&[
            ("unprotected-selfdestruct", "src/Treasury.sol", 16),
            ("unprotected-selfdestruct", "test/Treasury.t.sol", 15),
            ("tx-origin", "script/Deploy.s.sol", 11),
            ("tx-origin", "src/Treasury.sol", 11),
            ("tx-origin", "src/mocks/MockFeed.sol", 10),
        ])
    );
    assert_eq!(report["files_analysed"], 5);
}

#[test]
fn bulwark_toml_report_settings_and_excludes_apply() {
    let (_dir, project) = scratch_copy("foundry-project");
    std::fs::write(
        project.join("bulwark.toml"),
        "report-dependencies = true\nreport-tests = true\nexclude = [\"script\", \"src/mocks/\"]\n",
    )
    .unwrap();
    let run = bulwark_in(
        &project,
        &[
            "audit",
            "--format",
            "json",
            "--detectors",
            FIXTURE_DETECTORS,
        ],
    );
    assert_eq!(
        finding_sites(&run.json()),
        sites(&[
            ("unprotected-selfdestruct", "src/Treasury.sol", 16),
            ("unprotected-selfdestruct", "test/Treasury.t.sol", 15),
            ("tx-origin", "lib/dep/src/Owned.sol", 20),
            ("tx-origin", "src/Treasury.sol", 11),
        ])
    );
}

#[test]
fn include_globs_restrict_the_reported_files() {
    let (_, report) = audit_json(
        "foundry-project",
        &["--include-tests", "--include", "test/**"],
    );
    assert_eq!(
        finding_sites(&report),
        sites(&[("unprotected-selfdestruct", "test/Treasury.t.sol", 15)])
    );
}

#[test]
fn auditing_one_file_of_a_project_reports_that_file_only() {
    let (_, report) = audit_json(
        "foundry-project/src/mocks/MockFeed.sol",
        &["--include-tests"],
    );
    assert_eq!(
        finding_sites(&report),
        sites(&[("tx-origin", "src/mocks/MockFeed.sol", 10)])
    );
    // Paths stay relative to the Foundry root found above the file.
    let (_, report) = audit_json("foundry-project/src/Treasury.sol", &[]);
    assert_eq!(
        finding_sites(&report),
        sites(&[
            ("unprotected-selfdestruct", "src/Treasury.sol", 16),
            ("tx-origin", "src/Treasury.sol", 11),
        ])
    );
}

#[test]
fn hardhat_project_resolves_node_modules_and_hides_them_by_default() {
    let (run, report) = audit_json("hardhat-project", &[]);
    run.assert_code(0);
    assert_eq!(
        finding_sites(&report),
        sites(&[("tx-origin", "contracts/Token.sol", 10)])
    );
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(report["files_analysed"], 3);

    let (run, report) = audit_json(
        "hardhat-project",
        &["--include-dependencies", "--include-tests"],
    );
    run.assert_code(1);
    assert_eq!(
        finding_sites(&report),
        sites(&[
            // npm files keep their import path as name, as solc does.
            (
                "unprotected-selfdestruct",
                "@acme/access/contracts/Guarded.sol",
                9
            ),
            (
                "unprotected-selfdestruct",
                "contracts/mocks/TokenHarness.sol",
                9
            ),
            ("tx-origin", "contracts/Token.sol", 10),
        ])
    );
}
