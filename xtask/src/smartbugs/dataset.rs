//! The labelled dataset: `vulnerabilities.json` and file lists such as
//! `ICSE2020_curated_69.txt`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The 69-file subset used by Durieux et al. (ICSE 2020), when present in
/// the dataset directory.
pub const ICSE_SUBSET_FILE: &str = "ICSE2020_curated_69.txt";

#[derive(Debug, Clone)]
pub struct Dataset {
    pub root: PathBuf,
    /// In `vulnerabilities.json` order.
    pub files: Vec<LabelledFile>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledFile {
    /// Relative to the dataset root, e.g. `dataset/reentrancy/dao.sol`.
    pub path: String,
    pub labels: Vec<Label>,
}

/// One labelled vulnerability: a category and the lines that show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub category: String,
    pub lines: Vec<u32>,
}

#[derive(Deserialize)]
struct RawEntry {
    path: String,
    vulnerabilities: Vec<RawVulnerability>,
}

#[derive(Deserialize)]
struct RawVulnerability {
    lines: Vec<u32>,
    category: String,
}

impl Dataset {
    /// Read `<root>/vulnerabilities.json`.
    pub fn load(root: &Path) -> Result<Dataset, String> {
        let path = root.join("vulnerabilities.json");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "cannot read {}: {e} (is this a SmartBugs dataset directory?)",
                path.display()
            )
        })?;
        let entries: Vec<RawEntry> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let files = entries
            .into_iter()
            .map(|entry| LabelledFile {
                path: normalize_path(&entry.path),
                labels: entry
                    .vulnerabilities
                    .into_iter()
                    .map(|v| Label {
                        category: v.category,
                        lines: v.lines,
                    })
                    .collect(),
            })
            .collect();
        Ok(Dataset {
            root: root.to_path_buf(),
            files,
        })
    }

    pub fn paths(&self) -> BTreeSet<String> {
        self.files.iter().map(|f| f.path.clone()).collect()
    }
}

/// `./dataset/a/b.sol` → `dataset/a/b.sol`.
fn normalize_path(path: &str) -> String {
    path.trim().trim_start_matches("./").to_string()
}

/// Read a file list: one `.sol` path per line, other lines ignored. An
/// entry `old/path.sol [MOVED TO: ./category/file.sol]` means the file now
/// lives in another category folder next to its old one. Every entry must
/// name a file of `dataset`.
pub fn read_file_list(list: &Path, dataset: &Dataset) -> Result<BTreeSet<String>, String> {
    let text = std::fs::read_to_string(list)
        .map_err(|e| format!("cannot read {}: {e}", list.display()))?;
    let known = dataset.paths();
    let mut files = BTreeSet::new();
    for (number, line) in text.lines().enumerate() {
        let Some(path) = list_entry(line) else {
            continue;
        };
        if !known.contains(&path) {
            return Err(format!(
                "{}:{}: {path} is not in {}/vulnerabilities.json",
                list.display(),
                number + 1,
                dataset.root.display()
            ));
        }
        files.insert(path);
    }
    Ok(files)
}

fn list_entry(line: &str) -> Option<String> {
    let line = line.trim();
    if let Some((original, rest)) = line.split_once("[MOVED TO:") {
        let target = normalize_path(rest.trim_end_matches(']'));
        let original = normalize_path(original);
        // The target is relative to the folder holding the category folders.
        let categories_dir = Path::new(&original).parent()?.parent()?;
        let moved = categories_dir.join(target);
        return Some(moved.to_string_lossy().replace('\\', "/"));
    }
    line.ends_with(".sol").then(|| normalize_path(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_entries_skip_prose_and_follow_moves() {
        assert_eq!(list_entry("The research paper used"), None);
        assert_eq!(list_entry(""), None);
        assert_eq!(
            list_entry("./dataset/reentrancy/dao.sol"),
            Some("dataset/reentrancy/dao.sol".into())
        );
        assert_eq!(
            list_entry(
                "./dataset/unchecked_low_level_calls/Fib.sol [MOVED TO: ./access_control/Fib.sol]"
            ),
            Some("dataset/access_control/Fib.sol".into())
        );
    }
}
