//! Safe unpacking of uploaded `.tar.gz` and `.zip` archives.
//!
//! An upload is hostile until proven otherwise. Unpacking happens in memory
//! first and every rule is checked before a byte reaches the disk:
//! - paths must be relative, with no `..`, no root, no drive prefix and no
//!   NUL; they are re-joined from their checked components;
//! - symbolic links, hard links and special files are skipped, never
//!   created, so nothing can point outside the tree;
//! - the number of files, each file's size and the total uncompressed size
//!   are capped, counting the bytes actually produced by the decompressor
//!   (headers lie in archive bombs).
//!
//! Nothing unpacked is ever executed: the files are only read by the engine.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use crate::config::Limits;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveFormat {
    TarGz,
    Zip,
}

impl ArchiveFormat {
    /// Recognises the format from the first bytes, whatever the client
    /// claims in `Content-Type`.
    pub fn sniff(bytes: &[u8]) -> Option<ArchiveFormat> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            Some(ArchiveFormat::TarGz)
        } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            Some(ArchiveFormat::Zip)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ArchiveFormat::TarGz => "tar.gz",
            ArchiveFormat::Zip => "zip",
        }
    }
}

/// Why an archive was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveError {
    /// Neither gzip nor zip.
    UnknownFormat,
    /// Corrupt, hostile or over a limit; the message names the entry.
    Rejected(String),
}

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArchiveError::UnknownFormat => {
                f.write_str("not a .tar.gz or .zip archive (checked from its first bytes)")
            }
            ArchiveError::Rejected(msg) => f.write_str(msg),
        }
    }
}

/// A checked archive: regular files only, keyed by their safe relative path.
#[derive(Debug, Default)]
pub struct UnpackedTree {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Entries deliberately not unpacked (links, devices), for the summary.
    pub skipped: Vec<String>,
    pub total_bytes: u64,
}

fn rejected(msg: impl Into<String>) -> ArchiveError {
    ArchiveError::Rejected(msg.into())
}

/// Checks one entry name and returns it normalised (`a/b.sol`), or `None`
/// for names that denote the root itself (`./`).
pub fn safe_relative_path(raw: &[u8]) -> Result<Option<String>, ArchiveError> {
    let name =
        std::str::from_utf8(raw).map_err(|_| rejected("an entry name is not valid UTF-8"))?;
    if name.contains('\0') {
        return Err(rejected(format!(
            "entry `{}` contains a NUL byte",
            name.escape_debug()
        )));
    }
    if name.starts_with('/') || name.starts_with('\\') {
        return Err(rejected(format!("entry `{name}` has an absolute path")));
    }
    if name.len() > 1024 {
        return Err(rejected("an entry name is longer than 1024 bytes"));
    }
    let mut parts = Vec::new();
    for part in name.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                return Err(rejected(format!(
                    "entry `{name}` escapes the archive root (`..`)"
                )))
            }
            p if p.len() >= 2 && p.as_bytes()[1] == b':' && parts.is_empty() => {
                return Err(rejected(format!("entry `{name}` has a drive prefix")))
            }
            p => parts.push(p),
        }
    }
    if parts.len() > 64 {
        return Err(rejected(format!(
            "entry `{name}` is nested more than 64 levels deep"
        )));
    }
    Ok((!parts.is_empty()).then(|| parts.join("/")))
}

/// Counts entries and bytes against the limits while unpacking.
struct Budget<'a> {
    limits: &'a Limits,
    tree: UnpackedTree,
}

impl Budget<'_> {
    fn add(&mut self, path: String, reader: &mut dyn Read) -> Result<(), ArchiveError> {
        if self.tree.files.len() >= self.limits.max_archive_files
            && !self.tree.files.contains_key(&path)
        {
            return Err(rejected(format!(
                "the archive holds more than {} files",
                self.limits.max_archive_files
            )));
        }
        let mut bytes = Vec::new();
        let cap = self.limits.max_file_bytes + 1;
        reader
            .take(cap)
            .read_to_end(&mut bytes)
            .map_err(|e| rejected(format!("entry `{path}` cannot be decompressed: {e}")))?;
        if bytes.len() as u64 >= cap {
            return Err(rejected(format!(
                "entry `{path}` is larger than {} bytes uncompressed",
                self.limits.max_file_bytes
            )));
        }
        self.tree.total_bytes += bytes.len() as u64;
        if self.tree.total_bytes > self.limits.max_uncompressed_bytes {
            return Err(rejected(format!(
                "the archive is larger than {} bytes uncompressed",
                self.limits.max_uncompressed_bytes
            )));
        }
        if let Some(old) = self.tree.files.insert(path, bytes) {
            self.tree.total_bytes -= old.len() as u64;
        }
        Ok(())
    }

    /// A file may not also be a directory of another entry (`a` and `a/b`),
    /// which would make the tree impossible to write.
    fn finish(self) -> Result<UnpackedTree, ArchiveError> {
        for path in self.tree.files.keys() {
            let mut prefix = path.as_str();
            while let Some(cut) = prefix.rfind('/') {
                prefix = &prefix[..cut];
                if self.tree.files.contains_key(prefix) {
                    return Err(rejected(format!(
                        "entry `{prefix}` is both a file and a directory"
                    )));
                }
            }
        }
        Ok(self.tree)
    }
}

/// Unpacks `bytes` in memory under `limits`.
pub fn unpack(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(ArchiveFormat, UnpackedTree), ArchiveError> {
    let format = ArchiveFormat::sniff(bytes).ok_or(ArchiveError::UnknownFormat)?;
    let mut budget = Budget {
        limits,
        tree: UnpackedTree::default(),
    };
    match format {
        ArchiveFormat::TarGz => unpack_tar_gz(bytes, &mut budget)?,
        ArchiveFormat::Zip => unpack_zip(bytes, &mut budget)?,
    }
    Ok((format, budget.finish()?))
}

fn unpack_tar_gz(bytes: &[u8], budget: &mut Budget<'_>) -> Result<(), ArchiveError> {
    let gz = flate2::read::GzDecoder::new(bytes);
    let mut archive = tar::Archive::new(gz);
    let entries = archive
        .entries()
        .map_err(|e| rejected(format!("not a readable tar archive: {e}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| rejected(format!("corrupt tar archive: {e}")))?;
        let raw = entry.path_bytes().into_owned();
        let kind = entry.header().entry_type();
        let Some(path) = safe_relative_path(&raw)? else {
            continue;
        };
        if kind.is_file() {
            budget.add(path, &mut entry)?;
        } else if !kind.is_dir() {
            // Links, devices, FIFOs: never created.
            budget.tree.skipped.push(path);
        }
    }
    Ok(())
}

fn unpack_zip(bytes: &[u8], budget: &mut Budget<'_>) -> Result<(), ArchiveError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| rejected(format!("not a readable zip archive: {e}")))?;
    // The central directory is read up front, so a huge entry count is
    // refused before anything is decompressed.
    if archive.len() > budget.limits.max_archive_files.saturating_mul(2) {
        return Err(rejected(format!(
            "the archive holds more than {} files",
            budget.limits.max_archive_files
        )));
    }
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|e| rejected(format!("corrupt zip archive: {e}")))?;
        let raw = entry.name_raw().to_vec();
        let Some(path) = safe_relative_path(&raw)? else {
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        if entry.is_symlink() || !entry.is_file() {
            budget.tree.skipped.push(path);
            continue;
        }
        budget.add(path, &mut entry)?;
    }
    Ok(())
}

/// Writes a checked tree under `root` (which must exist). Paths were
/// validated by [`unpack`]; they are still joined component by component.
pub fn write_tree(root: &Path, tree: &UnpackedTree) -> std::io::Result<()> {
    for (path, bytes) in &tree.files {
        let mut target = root.to_path_buf();
        for part in path.split('/') {
            target.push(part);
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_or_rejected() {
        assert_eq!(
            safe_relative_path(b"./src/A.sol").unwrap().as_deref(),
            Some("src/A.sol")
        );
        assert_eq!(
            safe_relative_path(b"src//B.sol").unwrap().as_deref(),
            Some("src/B.sol")
        );
        assert_eq!(safe_relative_path(b"./").unwrap(), None);
        for bad in [
            &b"../x"[..],
            b"a/../../x",
            b"/etc/passwd",
            b"\\win",
            b"C:/x",
            b"a\\..\\b",
        ] {
            assert!(
                safe_relative_path(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    fn small_limits() -> Limits {
        Limits {
            max_archive_files: 3,
            max_uncompressed_bytes: 64 * 1024,
            max_file_bytes: 32 * 1024,
            ..Limits::default()
        }
    }

    fn zip_with(build: impl FnOnce(&mut zip::ZipWriter<Cursor<Vec<u8>>>)) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        build(&mut writer);
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn zip_links_are_skipped_and_files_kept() {
        use std::io::Write;
        let bytes = zip_with(|w| {
            let options = zip::write::SimpleFileOptions::default();
            w.add_symlink("escape", "/etc/passwd", options).unwrap();
            w.start_file("src/A.sol", options).unwrap();
            w.write_all(b"contract A {}").unwrap();
        });
        let (format, tree) = unpack(&bytes, &small_limits()).unwrap();
        assert_eq!(format, ArchiveFormat::Zip);
        assert_eq!(tree.skipped, vec!["escape".to_string()]);
        assert_eq!(tree.files.keys().collect::<Vec<_>>(), vec!["src/A.sol"]);
    }

    #[test]
    fn zip_bomb_is_refused_while_decompressing() {
        use std::io::Write;
        // 1 MiB of zeros deflates to about a kilobyte.
        let bytes = zip_with(|w| {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            w.start_file("bomb.sol", options).unwrap();
            w.write_all(&vec![0u8; 1024 * 1024]).unwrap();
        });
        assert!(bytes.len() < 16 * 1024);
        let err = unpack(&bytes, &small_limits()).unwrap_err();
        assert!(err.to_string().contains("larger than 32768 bytes"), "{err}");
    }

    #[test]
    fn total_size_and_file_count_are_capped() {
        use std::io::Write;
        let many = zip_with(|w| {
            for i in 0..4 {
                w.start_file(
                    format!("f{i}.sol"),
                    zip::write::SimpleFileOptions::default(),
                )
                .unwrap();
                w.write_all(b"x").unwrap();
            }
        });
        assert!(unpack(&many, &small_limits())
            .unwrap_err()
            .to_string()
            .contains("more than 3 files"));
        let heavy = zip_with(|w| {
            for i in 0..3 {
                w.start_file(
                    format!("f{i}.sol"),
                    zip::write::SimpleFileOptions::default(),
                )
                .unwrap();
                w.write_all(&vec![b'a'; 30 * 1024]).unwrap();
            }
        });
        let err = unpack(&heavy, &small_limits()).unwrap_err();
        assert!(
            err.to_string()
                .contains("larger than 65536 bytes uncompressed"),
            "{err}"
        );
    }

    #[test]
    fn a_file_cannot_also_be_a_directory() {
        use std::io::Write;
        let bytes = zip_with(|w| {
            let options = zip::write::SimpleFileOptions::default();
            w.start_file("a", options).unwrap();
            w.write_all(b"x").unwrap();
            w.start_file("a/b.sol", options).unwrap();
            w.write_all(b"y").unwrap();
        });
        let err = unpack(&bytes, &small_limits()).unwrap_err();
        assert!(
            err.to_string().contains("both a file and a directory"),
            "{err}"
        );
    }

    #[test]
    fn unknown_bytes_are_not_an_archive() {
        assert_eq!(
            unpack(b"hello", &Limits::default()).unwrap_err(),
            ArchiveError::UnknownFormat
        );
    }
}
