//! `bulwark.toml` parsing, error positions and command-line overrides.

use std::path::Path;

use bulwark_report::{CliOverrides, Config, ConfigError, FailOn, Severity};

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::from_toml_str(text, Path::new("proj/bulwark.toml"))
}

fn error(text: &str) -> ConfigError {
    parse(text).expect_err("the config should be rejected")
}

const FULL: &str = r#"
include = ["src/**"]
exclude = ["src/legacy"]
fail-on = "medium"
report-dependencies = true
report-tests = false

[detectors]
enable = ["reentrancy-eth", "tx-origin", "timestamp"]
disable = ["timestamp"]

[detectors.severity]
tx-origin = "low"
"#;

#[test]
fn a_full_file_parses_into_the_settings() {
    let config = parse(FULL).unwrap();
    assert_eq!(config.fail_on, FailOn::AtLeast(Severity::Medium));
    assert!(config.report_dependencies);
    assert!(!config.report_tests);
    assert!(config.is_detector_enabled("reentrancy-eth"));
    assert!(
        !config.is_detector_enabled("timestamp"),
        "disable wins over enable"
    );
    assert!(
        !config.is_detector_enabled("weak-prng"),
        "enable is an allow-list"
    );
    assert_eq!(
        config.severity_for("tx-origin", Severity::Medium),
        Severity::Low
    );
    assert_eq!(
        config.severity_for("weak-prng", Severity::High),
        Severity::High
    );
    assert!(config.is_included("src/Vault.sol"));
    assert!(!config.is_included("src/legacy/Old.sol"));
    assert!(!config.is_included("test/Vault.t.sol"));
}

#[test]
fn defaults_fail_on_high_and_report_only_own_sources() {
    let config = Config::default();
    assert_eq!(config.fail_on, FailOn::AtLeast(Severity::High));
    assert!(config.is_detector_enabled("anything"));
    assert!(config.is_included("any/path.sol"));
    assert!(config.should_report("src/Vault.sol"));
    assert!(!config.should_report("lib/forge-std/src/Test.sol"));
    assert!(!config.should_report("test/Vault.t.sol"));
    assert!(!config.should_report("src/mocks/Token.sol"));
    assert!(!config.should_report("script/Deploy.s.sol"));
}

#[test]
fn report_flags_opt_into_dependencies_and_tests() {
    let config = parse("report-dependencies = true\nreport-tests = true").unwrap();
    assert!(config.should_report("node_modules/x/A.sol"));
    assert!(config.should_report("test/A.t.sol"));
    assert!(config.should_report("src/MockToken.sol"));
}

#[test]
fn unknown_top_level_key_names_line_column_and_allowed_keys() {
    let err = error("include = []\nfail_on = \"high\"\n");
    assert_eq!((err.line, err.column), (Some(2), Some(1)));
    assert!(
        err.message.contains("unknown field `fail_on`"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("`fail-on`"),
        "should list the allowed keys: {}",
        err.message
    );
    assert!(
        err.to_string().starts_with("proj/bulwark.toml:2:1: "),
        "{err}"
    );
}

#[test]
fn unknown_key_in_detectors_table_is_located() {
    let err = error("[detectors]\nenable = []\nskip = [\"x\"]\n");
    assert_eq!(err.line, Some(3));
    assert!(
        err.message.contains("unknown field `skip`"),
        "{}",
        err.message
    );
    assert!(err.message.contains("`disable`"), "{}", err.message);
}

#[test]
fn bad_severity_override_names_the_allowed_values() {
    let err = error("[detectors.severity]\ntx-origin = \"severe\"\n");
    assert_eq!((err.line, err.column), (Some(2), Some(13)));
    assert!(
        err.message.contains("unknown severity `severe`"),
        "{}",
        err.message
    );
    assert!(err
        .message
        .contains("critical, high, medium, low, informational, optimization"));
}

#[test]
fn bad_fail_on_names_none_as_an_option() {
    let err = error("\n\nfail-on = \"always\"");
    assert_eq!((err.line, err.column), (Some(3), Some(11)));
    assert!(
        err.message.contains("expected one of: none, critical"),
        "{}",
        err.message
    );
}

#[test]
fn wrong_value_types_and_syntax_errors_are_located() {
    let err = error("report-tests = \"yes\"");
    assert_eq!(err.line, Some(1));
    assert!(
        err.message.contains("bool") || err.message.contains("boolean"),
        "{}",
        err.message
    );
    let err = error("include = [\"a\",\n  \"b\"\nexclude = []");
    assert!(err.line.is_some(), "syntax errors carry a line: {err}");
}

#[test]
fn invalid_glob_is_located_at_the_pattern() {
    let err = error("exclude = [\"ok/**\", \"bad/[x\"]");
    assert_eq!((err.line, err.column), (Some(1), Some(21)));
    assert!(
        err.message.contains("invalid glob `bad/[x` in `exclude`"),
        "{}",
        err.message
    );
}

#[test]
fn unknown_detector_ids_are_reported_at_their_position() {
    let config =
        parse("[detectors]\ndisable = [\n  \"reentrancy-eth\",\n  \"reentrancy-ehh\",\n]\n")
            .unwrap();
    let err = config
        .check_detector_ids(&["reentrancy-eth", "tx-origin"])
        .unwrap_err();
    assert_eq!((err.line, err.column), (Some(4), Some(3)));
    assert!(err.message.contains("unknown detector `reentrancy-ehh`"));
    assert!(err.message.contains("bulwark detectors"));

    let config = parse("[detectors.severity]\ntx-origin = \"low\"\nnope = \"low\"\n").unwrap();
    let err = config.check_detector_ids(&["tx-origin"]).unwrap_err();
    assert_eq!(err.line, Some(3));
    assert!(config.check_detector_ids(&["tx-origin", "nope"]).is_ok());
}

#[test]
fn command_line_flags_override_the_file() {
    let mut config = parse(FULL).unwrap();
    config
        .merge_cli(CliOverrides {
            include: vec!["contracts/**".into()],
            exclude: vec!["contracts/vendor".into()],
            enable: vec!["timestamp".into()],
            disable: vec!["reentrancy-eth".into()],
            severity_overrides: vec![("tx-origin".into(), Severity::High)],
            fail_on: Some(FailOn::Never),
            report_dependencies: Some(false),
            report_tests: Some(true),
        })
        .unwrap();
    assert!(config.is_included("contracts/A.sol"));
    assert!(
        !config.is_included("src/Vault.sol"),
        "CLI include replaces the file's"
    );
    assert!(!config.is_included("contracts/vendor/B.sol"));
    assert!(!config.is_included("src/legacy/Old.sol"));
    assert!(
        config.is_detector_enabled("timestamp"),
        "an explicit --enable wins over the file's disable"
    );
    assert!(
        !config.is_detector_enabled("tx-origin"),
        "CLI enable replaces the allow-list"
    );
    assert!(!config.is_detector_enabled("reentrancy-eth"));
    assert_eq!(
        config.severity_for("tx-origin", Severity::Low),
        Severity::High
    );
    assert_eq!(config.fail_on, FailOn::Never);
    assert!(!config.should_report("lib/x/A.sol"));
    assert!(config.should_report("test/A.t.sol"));
}

#[test]
fn invalid_command_line_glob_says_it_came_from_the_command_line() {
    let mut config = Config::default();
    let err = config
        .merge_cli(CliOverrides {
            exclude: vec!["a/{b".into()],
            ..CliOverrides::default()
        })
        .unwrap_err();
    assert_eq!(err.file, None);
    assert!(
        err.to_string()
            .starts_with("command line: invalid glob `a/{b` in `--exclude`"),
        "{err}"
    );
}

#[test]
fn loading_a_missing_file_is_an_error_naming_it_and_for_root_falls_back_to_defaults() {
    let err = Config::load(Path::new("/nonexistent/bulwark.toml")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/bulwark.toml: cannot read"),
        "{err}"
    );
    let config = Config::for_root(Path::new("/nonexistent")).unwrap();
    assert_eq!(config.fail_on, FailOn::default());
}

#[test]
fn severity_overrides_rewrite_findings() {
    let config = parse("[detectors.severity]\ntx-origin = \"informational\"").unwrap();
    let mut findings = vec![bulwark_report::Finding {
        detector: "tx-origin".into(),
        title: "t".into(),
        severity: Severity::Medium,
        confidence: bulwark_report::Confidence::High,
        swc: vec![],
        categories: vec![],
        message: "m".into(),
        locations: vec![],
        fingerprint: String::new(),
    }];
    config.apply_severity_overrides(&mut findings);
    assert_eq!(findings[0].severity, Severity::Informational);
}
