//! End-to-end tests of `bulwark fuzz` and `bulwark compilers`: the real
//! binary on the harnesses in `tests/fixtures/fuzz/` — exit codes, the
//! `--prefix` of property functions, every report format through
//! `--format`/`--output`, proofs of concept in `--poc-dir`, budgets and
//! usage errors.
//!
//! The compiler is the repository's pinned solc-js (`npm ci --prefix
//! tools/solcjs`), found through `BULWARK_SOLCJS_DIRS`; the cache is a
//! scratch directory, so nothing is downloaded and `~/.cache` is untouched.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    #[track_caller]
    fn assert_code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code, expected,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Runs `bulwark` in `dir` with a scratch compiler cache `cache`.
fn bulwark_with_cache(dir: &Path, cache: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("BULWARK_CACHE_DIR", cache)
        .env("BULWARK_SOLCJS_DIRS", repository().join("tools/solcjs"))
        .output()
        .expect("the bulwark binary runs");
    Run {
        code: out.status.code().expect("bulwark exited normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// `bulwark fuzz FIXTURE` with a small fixed budget plus `extra` flags, run
/// from the fixtures folder.
fn fuzz(fixture: &str, extra: &[&str]) -> Run {
    let cache = scratch();
    let mut args = vec![
        "fuzz",
        fixture,
        "--workers",
        "1",
        "--seed",
        "3",
        "--runs",
        "400",
        "--seq-len",
        "10",
    ];
    args.extend_from_slice(extra);
    bulwark_with_cache(&fixtures(), cache.path(), &args)
}

#[test]
fn a_broken_property_exits_1_and_shows_the_shrunk_sequence() {
    let run = fuzz("Limits.sol", &["--prefix", "prop_"]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("FAILED  prop_total_below_25"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("passed  prop_total_even_or_odd"),
        "{}",
        run.stdout
    );
    // Three calls of at most 10 reach 25; shrinking keeps exactly three.
    let calls: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains(". Limits."))
        .collect();
    assert_eq!(calls.len(), 3, "{}", run.stdout);
    assert!(calls.iter().all(|c| c.contains("Limits.add(")), "{calls:?}");
    // ...and the simplest amounts: they sum to exactly 25.
    let sum: u64 = calls
        .iter()
        .map(|c| {
            let inner = c.split("add(").nth(1).unwrap().split(')').next().unwrap();
            inner.parse::<u64>().unwrap()
        })
        .sum();
    assert_eq!(sum, 25, "{calls:?}");
    // Not a terminal: no live status line.
    assert!(!run.stderr.contains("\x1b[2K"), "{}", run.stderr);
    assert!(run.stderr.contains("seed 3"), "{}", run.stderr);
}

#[test]
fn the_default_prefix_does_not_see_custom_properties() {
    let run = fuzz("Limits.sol", &[]);
    run.assert_code(2);
    assert!(run.stderr.contains("no harness found"), "{}", run.stderr);
    assert!(run.stderr.contains("echidna_"), "{}", run.stderr);
}

#[test]
fn properties_that_hold_exit_0() {
    let run = fuzz("Holds.sol", &[]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("passed  echidna_level_below_100"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("no property broken"), "{}", run.stdout);
}

#[test]
fn compile_errors_exit_2_with_file_and_line() {
    let run = fuzz("Broken.sol", &[]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("Broken.sol:6:16: error:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("compilation failed"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    for (flags, message) in [
        (&["--time", "5x"][..], "bad duration"),
        (&["--workers", "0"][..], "--workers"),
        (&["--format", "yaml"][..], "yaml"),
        (&["--sender", "nobody"][..], "not an address"),
        (&["--contract", "Nope"][..], "Nope"),
    ] {
        let run = fuzz("Holds.sol", flags);
        run.assert_code(2);
        assert!(run.stderr.contains(message), "{flags:?}: {}", run.stderr);
    }
}

#[test]
fn json_report_to_a_file_matches_the_report_schema() {
    let out = scratch();
    let file = out.path().join("fuzz.json");
    let run = fuzz(
        "Limits.sol",
        &[
            "--prefix",
            "prop_",
            "--format",
            "json",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    run.assert_code(1);
    assert!(run.stdout.is_empty(), "the report went to the file");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            repository().join("crates/report/schema/bulwark-report-1.0.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report:#}");
    let f = &findings[0];
    assert_eq!(f["detector"], "fuzz-property-broken");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["locations"][0]["file"], "Limits.sol");
    assert_eq!(f["locations"][0]["start_line"], 14);
    assert_eq!(f["locations"][0]["function"], "prop_total_below_25");
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("Shrunk sequence of 3 call(s)"),
        "{message}"
    );
    // The human summary still goes to stderr.
    assert!(run.stderr.contains("FAILED  prop_total_below_25"));
}

#[test]
fn sarif_and_markdown_reports() {
    let run = fuzz("Limits.sol", &["--prefix", "prop_", "--format", "sarif"]);
    run.assert_code(1);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "fuzz-property-broken");
    assert_eq!(result["level"], "error");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 14);

    let run = fuzz("Limits.sol", &["--prefix", "prop_", "--format", "markdown"]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("Fuzzing property broken"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Limits.sol"), "{}", run.stdout);
}

#[test]
fn poc_dir_gets_a_foundry_test_named_in_the_report() {
    let out = scratch();
    let poc_dir = out.path().join("poc");
    let run = fuzz(
        "Limits.sol",
        &[
            "--prefix",
            "prop_",
            "--poc-dir",
            poc_dir.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    run.assert_code(1);
    let files: Vec<PathBuf> = std::fs::read_dir(&poc_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().to_string();
    assert_eq!(name, "Limits_prop_total_below_25.t.sol");
    let poc = std::fs::read_to_string(&files[0]).unwrap();
    assert!(poc.contains("interface BulwarkVm"), "{poc}");
    assert_eq!(poc.matches("harness.add(").count(), 3, "{poc}");
    assert!(
        poc.contains("require(harness.prop_total_below_25(), \"prop_total_below_25 is false\");"),
        "{poc}"
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("Proof of concept:"), "{message}");
    assert!(message.contains(&name), "{message}");
}

#[test]
fn a_time_budget_ends_the_campaign() {
    let cache = scratch();
    let started = std::time::Instant::now();
    let run = bulwark_with_cache(
        &fixtures(),
        cache.path(),
        &[
            "fuzz",
            "Holds.sol",
            "--workers",
            "2",
            "--time",
            "2s",
            "--quiet",
        ],
    );
    run.assert_code(0);
    assert!(run.stderr.contains("2 worker(s)"), "{}", run.stderr);
    // Compilation (solc-js in node) comes on top of the 2 s; the bound only
    // catches a budget that is not enforced.
    assert!(started.elapsed().as_secs() < 120);
    let summary = run.stdout.lines().next().unwrap_or_default();
    let seconds: f64 = summary
        .split(", ")
        .nth(1)
        .and_then(|s| s.split('s').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no duration in `{summary}`"));
    assert!((1.9..10.0).contains(&seconds), "{summary}");
}

#[test]
fn compilers_list_and_install_use_the_cache() {
    let cache = scratch();
    // A solc-js package already in the cache: `install` finds it without
    // asking npm, and `list` shows it next to the pinned tools/solcjs ones.
    let pkg = cache.path().join("solc/0.8.99/node_modules/solc");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("package.json"),
        r#"{"name":"solc","version":"0.8.99"}"#,
    )
    .unwrap();
    let run = bulwark_with_cache(
        &fixtures(),
        cache.path(),
        &["compilers", "install", "0.8.99"],
    );
    run.assert_code(0);
    assert!(run.stdout.contains("solc-js 0.8.99"), "{}", run.stdout);
    let run = bulwark_with_cache(&fixtures(), cache.path(), &["compilers", "list"]);
    run.assert_code(0);
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(first.contains("0.8.99"), "newest first: {}", run.stdout);
    assert!(run.stdout.contains("solc-js 0.8.26"), "{}", run.stdout);
    let run = bulwark_with_cache(&fixtures(), cache.path(), &["compilers", "install", "x.y"]);
    run.assert_code(2);
}
