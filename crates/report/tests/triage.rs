//! The audit pipeline from raw detector output to reported findings.

use std::path::Path;

use bulwark_report::{
    in_scope, triage, Confidence, Config, FileInfo, Finding, Location, Severity,
    UNUSED_SUPPRESSION_ID,
};

const OWN: &str = "\
contract A {
    function f() external {
        // bulwark-disable-next-line tx-origin
        require(tx.origin == owner);
        require(tx.origin == owner);
        // bulwark-disable-next-line timestamp
        x = 1;
        // bulwark-disable-next-line weak-prng
        y = 2;
    }
}
";

fn finding(detector: &str, file: &str, source: &str, line: u32) -> Finding {
    let text = source.lines().nth(line as usize - 1).unwrap();
    let indent = text.len() - text.trim_start().len();
    Finding {
        detector: detector.into(),
        title: detector.into(),
        severity: Severity::Medium,
        confidence: Confidence::High,
        swc: vec![],
        categories: vec![],
        message: format!("{detector} in {file}"),
        locations: vec![
            Location::new(file, line, indent as u32 + 1, line, text.len() as u32 + 1)
                .with_contract("A")
                .with_function("f"),
        ],
        fingerprint: String::new(),
    }
}

/// The files as the engine builds them: scope decided by the configuration.
fn files(config: &Config) -> Vec<FileInfo> {
    ["src/A.sol", "lib/dep/B.sol", "test/A.t.sol"]
        .into_iter()
        .map(|path| FileInfo::new(path, OWN).with_in_scope(in_scope(config, path)))
        .collect()
}

fn config(text: &str) -> Config {
    Config::from_toml_str(text, Path::new("bulwark.toml")).unwrap()
}

fn raw_findings() -> Vec<Finding> {
    vec![
        finding("tx-origin", "src/A.sol", OWN, 4),
        finding("tx-origin", "src/A.sol", OWN, 5),
        finding("tx-origin", "lib/dep/B.sol", OWN, 5),
        finding("tx-origin", "test/A.t.sol", OWN, 5),
    ]
}

#[test]
fn scope_suppressions_unused_and_overrides_are_applied_in_order() {
    let config = config(
        "[detectors]\ndisable = [\"weak-prng\"]\n[detectors.severity]\ntx-origin = \"high\"\n",
    );
    let result = triage(raw_findings(), &files(&config), &config);

    assert_eq!(
        result.out_of_scope.len(),
        2,
        "dependency and test findings are hidden"
    );
    assert_eq!(result.suppressed.len(), 1);
    assert_eq!(result.suppressed[0].locations[0].start_line, 4);

    let reported: Vec<(String, u32, Severity)> = result
        .reported
        .iter()
        .map(|f| (f.detector.clone(), f.locations[0].start_line, f.severity))
        .collect();
    // The timestamp directive is unused; the weak-prng one names a disabled
    // detector, so it is not blamed for matching nothing.
    assert_eq!(
        reported,
        vec![
            ("tx-origin".to_string(), 5, Severity::High),
            (
                UNUSED_SUPPRESSION_ID.to_string(),
                6,
                Severity::Informational
            ),
        ]
    );
    assert!(result.reported.iter().all(|f| f.fingerprint.len() == 32));
}

#[test]
fn hiding_a_twin_does_not_change_the_fingerprint_of_the_other() {
    // Both tx-origin statements in A.f are identical; suppressing the first
    // must leave the second with the fingerprint it has when nothing is
    // suppressed.
    let suppressed = triage(
        raw_findings(),
        &files(&Config::default()),
        &Config::default(),
    );
    let own_without_comment = OWN.replace(
        "        // bulwark-disable-next-line tx-origin\n",
        "        // (no suppression here)\n",
    );
    let files_plain = vec![FileInfo::new("src/A.sol", own_without_comment.as_str())];
    let plain = triage(
        vec![
            finding("tx-origin", "src/A.sol", &own_without_comment, 4),
            finding("tx-origin", "src/A.sol", &own_without_comment, 5),
        ],
        &files_plain,
        &Config::default(),
    );
    let second = |findings: &[Finding]| {
        findings
            .iter()
            .find(|f| f.detector == "tx-origin" && f.locations[0].start_line == 5)
            .unwrap()
            .fingerprint
            .clone()
    };
    assert_eq!(second(&suppressed.reported), second(&plain.reported));
}

#[test]
fn configuration_can_bring_dependencies_and_tests_into_scope() {
    let config = config("report-dependencies = true\nreport-tests = true\n[detectors]\ndisable = [\"unused-suppression\"]");
    let result = triage(raw_findings(), &files(&config), &config);
    assert!(result.out_of_scope.is_empty());
    // The line-4 finding in A.sol is suppressed, the three line-5 findings
    // are reported, and there are no
    // unused-suppression findings because that pseudo-detector is off.
    assert_eq!(result.suppressed.len(), 1);
    assert_eq!(result.reported.len(), 3);
    assert!(!result.unused_suppressions.is_empty());
}

#[test]
fn excluded_paths_are_out_of_scope() {
    let config = config("exclude = [\"src\"]");
    let result = triage(raw_findings(), &files(&config), &config);
    assert!(result.reported.is_empty());
    assert_eq!(result.out_of_scope.len(), 4);
}

#[test]
fn the_callers_scope_decision_wins_over_path_rules() {
    // The engine knows more than path names (Foundry `libs = ["modules"]`):
    // a file it marks out of scope stays out even though its path looks
    // like the project's own source.
    let config = Config::default();
    let mut files = files(&config);
    files[0].in_scope = false;
    let result = triage(raw_findings(), &files, &config);
    assert!(result.reported.is_empty());
    assert!(
        result.suppressed.is_empty(),
        "suppressions of out-of-scope files are not applied"
    );
    assert!(result.unused_suppressions.is_empty());
    assert_eq!(result.out_of_scope.len(), 4);
}
