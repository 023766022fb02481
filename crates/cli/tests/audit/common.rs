//! Running the real `bulwark` binary on the fixture projects and reading
//! what it printed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The fixture project (or file) `name` under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// What one run of `bulwark` produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from_output(output: Output) -> Run {
        Run {
            // `None` means killed by a signal, which no test expects.
            code: output.status.code().expect("bulwark exited normally"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Standard output parsed as JSON (for `--format json|sarif`).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Panics with both streams when the exit code is not `expected`.
    #[track_caller]
    pub fn assert_code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code, expected,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Runs `bulwark` with `args` in `dir`, with colour and progress off (the
/// tests read plain text, and stderr is not a terminal anyway).
pub fn bulwark_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the bulwark binary runs");
    Run::from_output(output)
}

/// Runs `bulwark` with `args` from the fixtures folder, so that fixture
/// names can be passed as relative paths.
pub fn bulwark(args: &[&str]) -> Run {
    bulwark_in(&fixture(""), args)
}

/// `(detector, file, line)` of every finding in a JSON report, in report
/// order (most severe first, then by file and line).
pub fn finding_sites(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .expect("`findings` is an array")
        .iter()
        .map(|finding| {
            let primary = &finding["locations"][0];
            (
                finding["detector"].as_str().unwrap().to_string(),
                primary["file"].as_str().unwrap().to_string(),
                primary["start_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Builds the expected value of [`finding_sites`] from literals.
pub fn sites(expected: &[(&str, &str, u64)]) -> Vec<(String, String, u64)> {
    expected
        .iter()
        .map(|(detector, file, line)| (detector.to_string(), file.to_string(), *line))
        .collect()
}

/// The two detectors every fixture is written for. Tests select them
/// explicitly so that detectors added later cannot change the expected
/// findings; `bulwark_detectors_lists_the_fixture_detectors_as_ready`
/// guards that both run.
pub const FIXTURE_DETECTORS: &str = "tx-origin,unprotected-selfdestruct";

/// Audits `target` (relative to the fixtures) as JSON with the fixture
/// detectors and `extra` flags; returns the run and its parsed report.
pub fn audit_json(target: &str, extra: &[&str]) -> (Run, Value) {
    let mut args = vec![
        "audit",
        target,
        "--format",
        "json",
        "--detectors",
        FIXTURE_DETECTORS,
    ];
    args.extend_from_slice(extra);
    let run = bulwark(&args);
    let report = run.json();
    (run, report)
}

/// Copies the directory `from` (recursively) into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A scratch copy of fixture project `name`; the directory is removed when
/// the returned guard is dropped.
pub fn scratch_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join(name);
    copy_dir(&fixture(name), &project);
    (dir, project)
}
