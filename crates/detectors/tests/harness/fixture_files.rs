//! Discovery of fixture files: `tests/fixtures/<detector-id>/*.sol`.

use std::path::{Path, PathBuf};

/// One fixture file and the detector its folder is named after.
#[derive(Clone, Debug)]
pub struct FixtureFile {
    pub folder_detector: String,
    pub path: PathBuf,
    /// Path relative to the crate, for messages.
    pub display: String,
}

pub fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every fixture folder name, sorted.
pub fn folders() -> Vec<String> {
    let root = fixtures_root();
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()))
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every `.sol` file in every fixture folder, sorted by path.
pub fn all() -> Vec<FixtureFile> {
    let root = fixtures_root();
    let mut files = Vec::new();
    for folder in folders() {
        let dir = root.join(&folder);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "sol"))
            .collect();
        paths.sort();
        files.extend(paths.into_iter().map(|path| FixtureFile {
            display: format!(
                "tests/fixtures/{folder}/{}",
                path.file_name().unwrap().to_string_lossy()
            ),
            folder_detector: folder.clone(),
            path,
        }));
    }
    files
}
