//! Driving `tools/solcjs/ast.js`: one node process per compiler version.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use crate::pragma::Version;

/// The solc-js installation under `tools/solcjs`.
#[derive(Debug, Clone)]
pub struct SolcJs {
    dir: PathBuf,
    versions: Vec<Version>,
}

#[derive(Debug)]
pub enum SolcJsError {
    /// `node_modules` is missing or lacks a version listed in package.json.
    NotInstalled(String),
    /// node could not be started.
    Node(String),
    /// ast.js failed as a whole (bad request, compiler failed to load).
    Script {
        version: Version,
        status: Option<i32>,
        stderr: String,
    },
    /// ast.js printed something that is not its response format.
    BadResponse { version: Version, detail: String },
}

impl fmt::Display for SolcJsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SolcJsError::NotInstalled(msg) | SolcJsError::Node(msg) => f.write_str(msg),
            SolcJsError::Script {
                version,
                status,
                stderr,
            } => write!(
                f,
                "tools/solcjs/ast.js for solc {version} failed (exit status {status:?}): {}",
                stderr.trim()
            ),
            SolcJsError::BadResponse { version, detail } => {
                write!(
                    f,
                    "unreadable output of ast.js for solc {version}: {detail}"
                )
            }
        }
    }
}

impl std::error::Error for SolcJsError {}

/// What to compile with one compiler version.
#[derive(Debug, Clone, Serialize)]
pub struct CompileRequest {
    #[serde(serialize_with = "serialize_version")]
    pub version: Version,
    /// Source unit names are paths relative to this directory.
    pub root: PathBuf,
    /// Further directories in which imports are looked up.
    pub include_paths: Vec<PathBuf>,
    /// solc remappings (`prefix=target`).
    pub remappings: Vec<String>,
    /// Each inner list is compiled together, as one standard-JSON input.
    pub units: Vec<Vec<String>>,
    /// Retry a failing multi-file unit file by file.
    pub split_on_error: bool,
}

fn serialize_version<S: serde::Serializer>(v: &Version, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

#[derive(Debug, Clone, Deserialize)]
pub struct CompileResponse {
    pub long_version: String,
    pub units: Vec<UnitOutput>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UnitOutput {
    pub files: Vec<String>,
    /// solc reported no error (warnings allowed).
    pub ok: bool,
    pub errors: Vec<SolcMessage>,
    /// Per source unit name: solc's file index and compact AST.
    pub sources: BTreeMap<String, SourceOutput>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SolcMessage {
    pub severity: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub message: String,
    pub file: Option<String>,
    pub formatted: String,
}

impl SolcMessage {
    pub fn is_error(&self) -> bool {
        self.severity == "error"
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct SourceOutput {
    pub id: u32,
    pub ast: serde_json::Value,
}

impl SolcJs {
    /// The installation in `<workspace>/tools/solcjs`.
    pub fn in_workspace(workspace_root: &Path) -> Result<SolcJs, SolcJsError> {
        SolcJs::at(&workspace_root.join("tools").join("solcjs"))
    }

    /// The installation in `dir` (holding package.json, ast.js, node_modules).
    pub fn at(dir: &Path) -> Result<SolcJs, SolcJsError> {
        let manifest_path = dir.join("package.json");
        let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| {
            SolcJsError::NotInstalled(format!("cannot read {}: {e}", manifest_path.display()))
        })?;
        let versions = versions_in_manifest(&manifest)
            .map_err(|e| SolcJsError::NotInstalled(format!("{}: {e}", manifest_path.display())))?;
        let missing: Vec<String> = versions
            .iter()
            .filter(|v| !dir.join("node_modules").join(format!("solc-{v}")).is_dir())
            .map(Version::to_string)
            .collect();
        if !missing.is_empty() {
            return Err(SolcJsError::NotInstalled(format!(
                "solc-js {} not installed in {}; run `npm ci --prefix tools/solcjs` from the workspace root",
                missing.join(", "),
                dir.join("node_modules").display()
            )));
        }
        Ok(SolcJs {
            dir: dir.to_path_buf(),
            versions,
        })
    }

    /// Installed compiler versions, ascending.
    pub fn versions(&self) -> &[Version] {
        &self.versions
    }

    /// Run ast.js once for `request`.
    pub fn compile(&self, request: &CompileRequest) -> Result<CompileResponse, SolcJsError> {
        let script = self.dir.join("ast.js");
        let mut child = Command::new("node")
            .arg(&script)
            .arg("--stdin")
            // The 0.4 compilers are asm.js builds that newer V8 warns about.
            .env("NODE_NO_WARNINGS", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                SolcJsError::Node(format!(
                    "cannot run `node {}`: {e}; install Node.js (20+) to run the differential tests",
                    script.display()
                ))
            })?;
        let body = serde_json::to_vec(request).expect("a compile request always serializes");
        {
            let mut stdin = child.stdin.take().expect("stdin was piped");
            stdin
                .write_all(&body)
                .map_err(|e| SolcJsError::Node(format!("writing to node: {e}")))?;
        }
        let output = child
            .wait_with_output()
            .map_err(|e| SolcJsError::Node(format!("waiting for node: {e}")))?;
        // Exit status 1 only means some unit had compile errors; the
        // response still describes every unit.
        let status = output.status.code();
        if !matches!(status, Some(0) | Some(1)) || output.stdout.is_empty() {
            return Err(SolcJsError::Script {
                version: request.version,
                status,
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        serde_json::from_slice(&output.stdout).map_err(|e| SolcJsError::BadResponse {
            version: request.version,
            detail: e.to_string(),
        })
    }
}

/// The versions of the `solc-X.Y.Z` aliases in a package.json.
fn versions_in_manifest(manifest: &str) -> Result<Vec<Version>, String> {
    let json: serde_json::Value =
        serde_json::from_str(manifest).map_err(|e| format!("not JSON: {e}"))?;
    let deps = json
        .get("dependencies")
        .and_then(serde_json::Value::as_object)
        .ok_or("no \"dependencies\" object")?;
    let mut versions: Vec<Version> = deps
        .keys()
        .filter_map(|name| name.strip_prefix("solc-"))
        .filter_map(Version::parse)
        .collect();
    versions.sort();
    if versions.is_empty() {
        return Err("no solc-X.Y.Z dependency".into());
    }
    Ok(versions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_versions_are_sorted() {
        let manifest = r#"{"dependencies": {"solc-0.8.37": "npm:solc@0.8.37", "solc-0.4.26": "npm:solc@0.4.26", "left-pad": "1"}}"#;
        assert_eq!(
            versions_in_manifest(manifest).unwrap(),
            vec![Version::new(0, 4, 26), Version::new(0, 8, 37)]
        );
    }

    #[test]
    fn missing_node_modules_names_the_fix() {
        let dir = std::env::temp_dir().join(format!("difftest-solcjs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("package.json"),
            r#"{"dependencies": {"solc-0.8.37": "npm:solc@0.8.37"}}"#,
        )
        .unwrap();
        let err = SolcJs::at(&dir).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("npm ci --prefix tools/solcjs"), "{err}");
    }
}
