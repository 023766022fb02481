//! Runs one solc (native binary or solc-js through node) on a standard-JSON
//! input and returns its standard-JSON output.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use super::version::Version;

/// The JavaScript bridge between standard JSON on stdin/stdout and solc-js.
pub const SOLCJS_WRAPPER: &str = include_str!("bulwark-solc.js");

/// A compiler ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Solc {
    /// A `solc` executable.
    Native { path: PathBuf, version: Version },
    /// A solc-js npm package directory, run through `node` and the wrapper.
    SolcJs {
        package_dir: PathBuf,
        version: Version,
    },
}

impl Solc {
    pub fn version(&self) -> Version {
        match self {
            Solc::Native { version, .. } | Solc::SolcJs { version, .. } => *version,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Solc::Native { path, version } => {
                format!("solc {version} (native, {})", path.display())
            }
            Solc::SolcJs {
                package_dir,
                version,
            } => format!("solc-js {version} ({})", package_dir.display()),
        }
    }

    /// Compiles; `scratch` is a directory where the solc-js wrapper may be
    /// written.
    pub fn compile_standard_json(&self, input: &str, scratch: &Path) -> Result<String, String> {
        let mut cmd = match self {
            Solc::Native { path, .. } => {
                let mut c = Command::new(path);
                c.arg("--standard-json");
                c
            }
            Solc::SolcJs { package_dir, .. } => {
                let wrapper = ensure_wrapper(scratch)?;
                let mut c = Command::new("node");
                c.arg(wrapper).arg(package_dir).arg("--standard-json");
                c
            }
        };
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.describe()))?;
        // Write stdin from a thread: solc may fill stdout before reading all
        // of a large input.
        let mut stdin = child.stdin.take().expect("piped stdin");
        let input_owned = input.to_string();
        let writer = std::thread::spawn(move || stdin.write_all(input_owned.as_bytes()));
        let out = child
            .wait_with_output()
            .map_err(|e| format!("{} failed: {e}", self.describe()))?;
        let _ = writer.join();
        if !out.status.success() && out.stdout.is_empty() {
            return Err(format!(
                "{} exited with {}: {}",
                self.describe(),
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        String::from_utf8(out.stdout)
            .map_err(|_| format!("{} printed invalid UTF-8", self.describe()))
    }
}

/// Writes the solc-js wrapper into `dir` (once) and returns its path.
pub fn ensure_wrapper(dir: &Path) -> Result<PathBuf, String> {
    let path = dir.join("bulwark-solc.js");
    let current = std::fs::read_to_string(&path).ok();
    if current.as_deref() != Some(SOLCJS_WRAPPER) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        // Write to a temporary name first: parallel runs must never see a
        // half-written script. The name is unique per call, not only per
        // process: the threads of one process (the tests of one test
        // binary share a cache) would otherwise truncate and rename each
        // other's file.
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let tmp = dir.join(format!(
            "bulwark-solc.js.{}-{}.tmp",
            std::process::id(),
            WRITES.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&tmp, SOLCJS_WRAPPER).map_err(|e| format!("{}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(path)
}

/// The version a `solc` executable reports, if it runs.
pub fn native_version(path: &Path) -> Option<Version> {
    let out = Command::new(path).arg("--version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    Version::find_in(&String::from_utf8_lossy(&out.stdout))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every test of a test binary shares one compiler cache, so on a fresh
    /// machine several threads of one process write the wrapper at once:
    /// none may fail, and none may run a half-written script.
    #[test]
    fn threads_of_one_process_write_the_wrapper_at_once() {
        let base =
            std::env::temp_dir().join(format!("bulwark-wrapper-race-{}", std::process::id()));
        for round in 0..40 {
            let dir = base.join(round.to_string());
            let start = std::sync::Barrier::new(8);
            let outcomes: Vec<Result<String, String>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..8)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            let path = ensure_wrapper(&dir)?;
                            std::fs::read_to_string(&path).map_err(|e| e.to_string())
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for outcome in outcomes {
                assert_eq!(
                    outcome.as_deref(),
                    Ok(SOLCJS_WRAPPER),
                    "round {round}: a thread saw an error or a partial script"
                );
            }
        }
        std::fs::remove_dir_all(&base).unwrap();
    }
}
