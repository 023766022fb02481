//! Collects the source units a compilation needs: the entry files plus the
//! transitive closure of their imports, named exactly as solc names them
//! (relative imports are resolved against the importing unit, other imports
//! go through the remappings). Contents are passed inline in the standard
//! JSON input so native solc and solc-js see the same thing and need no
//! file-system access.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::version::VersionReq;

/// A remapping `context:prefix=target` (the context part is accepted and
/// ignored: remappings apply to every unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remapping {
    pub prefix: String,
    pub target: String,
}

impl Remapping {
    pub fn parse(text: &str) -> Option<Remapping> {
        let text = text.trim();
        let (lhs, target) = text.split_once('=')?;
        let prefix = lhs.rsplit_once(':').map_or(lhs, |(_, p)| p);
        if prefix.is_empty() {
            return None;
        }
        Some(Remapping {
            prefix: prefix.to_string(),
            target: target.to_string(),
        })
    }

    pub fn to_solc(&self) -> String {
        format!("{}={}", self.prefix, self.target)
    }
}

/// The source units of one compilation, keyed by unit name.
#[derive(Debug, Clone, Default)]
pub struct SourceSet {
    pub units: BTreeMap<String, String>,
}

impl SourceSet {
    /// The version expression of a source's first `pragma solidity`.
    pub fn pragma_of(text: &str) -> Option<String> {
        solidity_pragmas(text).into_iter().next()
    }

    /// Pragma requirements of every unit (units without a pragma are
    /// unconstrained).
    pub fn version_requirements(&self) -> Result<Vec<(String, VersionReq)>, String> {
        let mut out = Vec::new();
        for (name, text) in &self.units {
            for pragma in solidity_pragmas(text) {
                let req = VersionReq::parse(&pragma).map_err(|e| format!("{name}: {e}"))?;
                out.push((name.clone(), req));
            }
        }
        Ok(out)
    }
}

/// Loads entry files and their imports from `root` (unit names are relative
/// to it) and from the include directories (e.g. `lib/`, `node_modules/`).
pub struct SourceLoader<'a> {
    pub root: &'a Path,
    pub include_dirs: &'a [PathBuf],
    pub remappings: &'a [Remapping],
}

impl SourceLoader<'_> {
    pub fn load(&self, entries: &[PathBuf]) -> Result<SourceSet, String> {
        let mut set = SourceSet::default();
        let mut pending: Vec<String> = Vec::new();
        for entry in entries {
            pending.push(unit_name_for(self.root, entry));
        }
        while let Some(unit) = pending.pop() {
            if set.units.contains_key(&unit) {
                continue;
            }
            let path = self.locate(&unit).ok_or_else(|| {
                format!(
                    "cannot find source `{unit}` (looked in {} and the library directories; add a remapping in foundry.toml or remappings.txt)",
                    self.root.display()
                )
            })?;
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            for import in imports_of(&text) {
                pending.push(self.resolve_import(&unit, &import));
            }
            set.units.insert(unit, text);
        }
        Ok(set)
    }

    /// solc's rule: `./` and `../` are relative to the importing unit;
    /// everything else is remapped (longest prefix wins) and used as is.
    fn resolve_import(&self, from_unit: &str, import: &str) -> String {
        if import.starts_with("./") || import.starts_with("../") {
            let dir = from_unit.rsplit_once('/').map_or("", |(d, _)| d);
            return normalise(&format!("{dir}/{import}"));
        }
        let best = self
            .remappings
            .iter()
            .filter(|r| import.starts_with(&r.prefix))
            .max_by_key(|r| r.prefix.len());
        match best {
            Some(r) => normalise(&format!("{}{}", r.target, &import[r.prefix.len()..])),
            None => normalise(import),
        }
    }

    fn locate(&self, unit: &str) -> Option<PathBuf> {
        let direct = Path::new(unit);
        if direct.is_absolute() && direct.is_file() {
            return Some(direct.to_path_buf());
        }
        std::iter::once(self.root.to_path_buf())
            .chain(self.include_dirs.iter().cloned())
            .map(|dir| dir.join(unit))
            .find(|p| p.is_file())
    }
}

/// The unit name of a file on disk: relative to the root when inside it.
pub fn unit_name_for(root: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(root).unwrap_or(file);
    normalise(&rel.to_string_lossy().replace('\\', "/"))
}

/// Resolves `.` and `..` segments of a slash-separated path.
fn normalise(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Source text with comments replaced by spaces (offsets are preserved, so
/// line numbers computed on the result stay right). String literals are kept.
pub fn strip_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let start = i;
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                let end = (i + 2).min(bytes.len());
                for b in &mut out[start..end] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced, by ASCII spaces: still valid UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// The paths named by `import` directives.
pub fn imports_of(text: &str) -> Vec<String> {
    let clean = strip_comments(text);
    let mut out = Vec::new();
    for stmt in statements_starting_with(&clean, "import") {
        if let Some(path) = first_string_literal(stmt) {
            out.push(path);
        }
    }
    out
}

/// The version expressions of `pragma solidity ...;` directives.
pub fn solidity_pragmas(text: &str) -> Vec<String> {
    let clean = strip_comments(text);
    statements_starting_with(&clean, "pragma")
        .filter_map(|stmt| {
            let rest = stmt["pragma".len()..].trim_start();
            rest.strip_prefix("solidity")
                .map(|v| v.trim().trim_end_matches(';').trim().to_string())
        })
        .collect()
}

/// Statements (up to and including `;`) that start with `keyword` at a word
/// boundary.
fn statements_starting_with<'t>(text: &'t str, keyword: &'t str) -> impl Iterator<Item = &'t str> {
    let bytes = text.as_bytes();
    text.match_indices(keyword).filter_map(move |(at, _)| {
        let before_ok =
            at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let after = bytes.get(at + keyword.len()).copied().unwrap_or(b' ');
        let after_ok = after.is_ascii_whitespace()
            || after == b'"'
            || after == b'\''
            || after == b'{'
            || after == b'*';
        if !(before_ok && after_ok) {
            return None;
        }
        let end = text[at..].find(';').map(|n| at + n + 1)?;
        Some(&text[at..end])
    })
}

fn first_string_literal(stmt: &str) -> Option<String> {
    let start = stmt.find(['"', '\''])?;
    let quote = stmt.as_bytes()[start] as char;
    let rest = &stmt[start + 1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_imports_and_pragmas_outside_comments() {
        let src = r#"
// import "commented.sol";
pragma solidity ^0.8.0; /* pragma solidity 0.4.0; */
import "./A.sol";
import {B, C} from '../lib/B.sol';
import * as D from "d/D.sol";
contract important { string s = "import x;"; }
"#;
        assert_eq!(imports_of(src), vec!["./A.sol", "../lib/B.sol", "d/D.sol"]);
        assert_eq!(solidity_pragmas(src), vec!["^0.8.0"]);
    }

    #[test]
    fn resolves_relative_and_remapped_imports() {
        let remaps = vec![
            Remapping::parse("forge-std/=lib/forge-std/src/").unwrap(),
            Remapping::parse("ctx:@oz/=lib/oz/").unwrap(),
        ];
        let loader = SourceLoader {
            root: Path::new("/p"),
            include_dirs: &[],
            remappings: &remaps,
        };
        assert_eq!(
            loader.resolve_import("test/T.sol", "../src/A.sol"),
            "src/A.sol"
        );
        assert_eq!(loader.resolve_import("test/T.sol", "./B.sol"), "test/B.sol");
        assert_eq!(
            loader.resolve_import("test/T.sol", "forge-std/Test.sol"),
            "lib/forge-std/src/Test.sol"
        );
        assert_eq!(
            loader.resolve_import("a.sol", "@oz/x/Y.sol"),
            "lib/oz/x/Y.sol"
        );
        assert_eq!(loader.resolve_import("a.sol", "other/Z.sol"), "other/Z.sol");
    }

    #[test]
    fn comment_stripping_keeps_offsets() {
        let src = "a /* x\ny */ b // z\nc";
        let out = strip_comments(src);
        assert_eq!(out.len(), src.len());
        assert_eq!(out.lines().count(), 3);
        assert!(out.contains('b') && !out.contains('z'));
    }
}
