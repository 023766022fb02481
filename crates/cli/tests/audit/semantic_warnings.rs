//! What the semantic model could not resolve is shown, not silently
//! skipped: base contracts, type names and names in code that name
//! nothing become warnings (terminal and SARIF), grouped where a missing
//! dependency would otherwise print one line per use. Warnings never
//! change the exit code, and clean projects have none.

use serde_json::Value;

use crate::common::{bulwark, Run};

/// A detector that finds nothing in the fixtures, so that only the input
/// problems decide the exit code.
const QUIET: &str = "tx-origin";

fn audit(path: &str, format: &str) -> Run {
    bulwark(&["audit", path, "--format", format, "--detectors", QUIET])
}

/// `(level, file:line:col, message)` of every SARIF notification.
fn notifications(log: &Value) -> Vec<(String, String, String)> {
    log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications are an array")
        .iter()
        .map(|n| {
            let physical = &n["locations"][0]["physicalLocation"];
            let at = format!(
                "{}:{}:{}",
                physical["artifactLocation"]["uri"].as_str().unwrap_or("-"),
                physical["region"]["startLine"],
                physical["region"]["startColumn"],
            );
            (
                n["level"].as_str().unwrap().to_string(),
                at,
                n["message"]["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_missing_import_and_undeclared_names_are_listed_in_the_terminal() {
    let run = audit("unresolved", "terminal");
    // The missing import is an input error in an audited file: exit 2, as
    // before; the warnings add nothing to that.
    run.assert_code(2);
    let expected = "\
error: import \"missing-lib/Escrow.sol\" not found (looked relative to the file, in remappings, include paths, libs and node_modules; add a remapping if it lives elsewhere)
  --> src/Vault.sol:5:22

warning: base contract `Pausable` of `Pool` not found
  --> src/Pool.sol:5:18

warning: type `PoolConfig` not found
  --> src/Pool.sol:6:5

warning: 3 names unresolved (first: `undefinedRate` at 9:16)
  --> src/Pool.sol:9:16

warning: base contract `Escrow` of `Vault` not found
  --> src/Vault.sol:9:28

warning: 2 names unresolved (first: `recordDeposit` at 14:9); a missing import probably explains them
  --> src/Vault.sol:14:9

summary: no findings in 3 files; 1 input error; 5 warnings
";
    assert_eq!(run.stdout, expected, "stderr:\n{}", run.stderr);
}

#[test]
fn warnings_are_sarif_notifications_of_level_warning() {
    let run = audit("unresolved", "sarif");
    run.assert_code(2);
    let log = run.json();
    let found = notifications(&log);
    let levels: Vec<&str> = found.iter().map(|(l, _, _)| l.as_str()).collect();
    assert_eq!(
        levels,
        ["error", "warning", "warning", "warning", "warning", "warning"]
    );
    assert_eq!(
        (found[1].1.as_str(), found[1].2.as_str()),
        (
            "src/Pool.sol:5:18",
            "base contract `Pausable` of `Pool` not found"
        )
    );
    assert_eq!(found[5].1, "src/Vault.sol:14:9");
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

#[test]
fn warnings_alone_do_not_change_the_exit_code() {
    let run = audit("unresolved/src/Pool.sol", "terminal");
    run.assert_code(0);
    assert!(
        run.stdout
            .ends_with("summary: no findings in 1 file; 3 warnings\n"),
        "{}",
        run.stdout
    );
    let run = audit("unresolved/src/Pool.sol", "sarif");
    run.assert_code(0);
    let log = run.json();
    assert_eq!(notifications(&log).len(), 3);
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn clean_fixture_projects_have_no_warnings() {
    for project in ["foundry-project", "hardhat-project", "single-file"] {
        let run = audit(project, "sarif");
        let log = run.json();
        let found = notifications(&log);
        assert!(found.is_empty(), "{project}: {found:#?}");
        let run = audit(project, "terminal");
        assert!(
            !run.stdout.contains("warning"),
            "{project}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn machine_formats_print_warnings_on_stderr_and_keep_the_json_format() {
    let run = audit("unresolved/src/Pool.sol", "json");
    run.assert_code(0);
    assert!(
        run.stderr
            .contains("Pool.sol:5:18: base contract `Pausable` of `Pool` not found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("warning: "), "{}", run.stderr);
    // JSON format 1.x has exactly five top-level keys (docs/json-schema.md).
    let report = run.json();
    assert_eq!(report.as_object().unwrap().len(), 5);
    assert_eq!(report["errors"], serde_json::json!([]));
}
