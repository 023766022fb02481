//! From the path the user gave to a project root and the files to compile:
//! a file compiles alone (root: the nearest directory with foundry.toml, or
//! its own directory); a directory compiles only the files that can hold the
//! harness (plus their imports), so unrelated files with other pragmas do
//! not get in the way.

use std::path::{Path, PathBuf};

use crate::compiler::strip_comments;
use crate::harness::INVARIANT_PREFIX;

/// Directories never searched for harnesses.
const SKIPPED_DIRS: [&str; 6] = ["lib", "node_modules", "out", "cache", "target", "broadcast"];

#[derive(Debug, Clone)]
pub struct ProjectFiles {
    pub root: PathBuf,
    pub entries: Vec<PathBuf>,
}

pub fn discover(
    path: &Path,
    contract: Option<&str>,
    prefix: &str,
    skip: &[PathBuf],
) -> Result<ProjectFiles, String> {
    let path = path
        .canonicalize()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if path.is_file() {
        let root = path
            .ancestors()
            .skip(1)
            .take(6)
            .find(|d| d.join("foundry.toml").is_file())
            .or_else(|| path.parent())
            .unwrap_or(Path::new("/"))
            .to_path_buf();
        return Ok(ProjectFiles {
            root,
            entries: vec![path],
        });
    }
    let mut files = Vec::new();
    collect_sol_files(&path, skip, &mut files);
    files.sort();
    let entries: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| {
            let Ok(text) = std::fs::read_to_string(f) else {
                return false;
            };
            let clean = strip_comments(&text);
            match contract {
                Some(name) => declares_contract(&clean, name),
                None => {
                    clean.contains(&format!("function {prefix}"))
                        || clean.contains(&format!("function {INVARIANT_PREFIX}"))
                }
            }
        })
        .collect();
    if entries.is_empty() {
        return Err(match contract {
            Some(name) => format!("no Solidity file under {} declares contract `{name}`", path.display()),
            None => format!(
                "no Solidity file under {} has `{prefix}*` or `{INVARIANT_PREFIX}*` functions; pass --contract NAME or a file",
                path.display()
            ),
        });
    }
    Ok(ProjectFiles {
        root: path,
        entries,
    })
}

fn declares_contract(text: &str, name: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].trim_end();
        let after = bytes.get(at + name.len()).copied().unwrap_or(b' ');
        (before.ends_with("contract") || before.ends_with("abstract contract"))
            && !(after.is_ascii_alphanumeric() || after == b'_')
    })
}

fn collect_sol_files(dir: &Path, skip: &[PathBuf], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            let skipped = name.starts_with('.')
                || SKIPPED_DIRS.contains(&name.as_str())
                || skip
                    .iter()
                    .any(|s| s.canonicalize().ok().as_deref() == Some(p.as_path()));
            if !skipped {
                collect_sol_files(&p, skip, out);
            }
        } else if name.ends_with(".sol") {
            out.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_contract_declarations() {
        assert!(declares_contract("contract Foo is Bar {}", "Foo"));
        assert!(!declares_contract("contract FooBar {}", "Foo"));
        assert!(!declares_contract("Foo x;", "Foo"));
    }
}
