//! Running `bulwark audit --format json <file>` over many files in parallel.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::findings::{self, AuditOutput};

/// How to run Bulwark.
#[derive(Debug, Clone)]
pub struct Runner {
    pub bulwark: PathBuf,
    /// The working directory; file arguments are relative to it.
    pub dataset_root: PathBuf,
    pub jobs: usize,
    pub timeout: Duration,
}

/// The result of one run: the report, or why there is none.
pub type RunResult = Result<AuditOutput, String>;

impl Runner {
    /// Run every file (paths relative to the dataset root), `jobs` at a
    /// time; results come back in the order of `files`.
    pub fn run_all(&self, files: &[String]) -> Vec<RunResult> {
        let next = Mutex::new(0usize);
        let results: Mutex<Vec<Option<RunResult>>> = Mutex::new(vec![None; files.len()]);
        std::thread::scope(|scope| {
            for _ in 0..self.jobs.max(1) {
                scope.spawn(|| loop {
                    let index = {
                        let mut next = next.lock().expect("index lock");
                        let index = *next;
                        *next += 1;
                        index
                    };
                    let Some(file) = files.get(index) else {
                        break;
                    };
                    let result = self.run_one(file);
                    results.lock().expect("results lock")[index] = Some(result);
                });
            }
        });
        results
            .into_inner()
            .expect("results lock")
            .into_iter()
            .map(|r| r.expect("every file was run"))
            .collect()
    }

    fn run_one(&self, file: &str) -> RunResult {
        let child = Command::new(&self.bulwark)
            .args(["audit", "--format", "json", file])
            .current_dir(&self.dataset_root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.bulwark.display()))?;
        let (status, stdout, stderr) = wait_with_timeout(child, self.timeout)?;
        // `bulwark audit` exits 1 when a finding reaches --fail-on and 2 when
        // its report lists input errors (or on usage errors, without a
        // report): a report on stdout is used whatever the status.
        let status_text = || match status.code() {
            Some(code) => format!("exit status {code}"),
            None => "killed by a signal".to_string(),
        };
        match status.code() {
            Some(0..=2) if stdout.trim().is_empty() => Err(format!(
                "{}, no report: {}",
                status_text(),
                first_lines(&stderr, 3)
            )),
            Some(0..=2) => findings::parse(&stdout).map_err(|e| {
                format!(
                    "{}: {}; stderr: {}",
                    status_text(),
                    e,
                    first_lines(&stderr, 3)
                )
            }),
            _ => Err(format!("{}: {}", status_text(), first_lines(&stderr, 3))),
        }
    }
}

/// Wait for `child`, reading its output meanwhile (a full pipe would block
/// it); kill it after `timeout`.
fn wait_with_timeout(
    mut child: Child,
    timeout: Duration,
) -> Result<(ExitStatus, String, String), String> {
    let mut stdout = child.stdout.take().expect("stdout was piped");
    let mut stderr = child.stderr.take().expect("stderr was piped");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                // Only this child, which we started.
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {} s", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for bulwark: {e}")),
        }
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok((status, stdout, stderr))
}

fn first_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .collect();
    if lines.is_empty() {
        "(no error output)".to_string()
    } else {
        lines.join(" | ")
    }
}

/// The default Bulwark binary: the release build, else the debug build.
pub fn default_bulwark(workspace_root: &Path) -> Option<PathBuf> {
    ["release", "debug"]
        .iter()
        .map(|profile| workspace_root.join("target").join(profile).join("bulwark"))
        .find(|path| path.is_file())
}
