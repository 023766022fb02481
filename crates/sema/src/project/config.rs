//! Recognising the kind of project at a root and reading its settings
//! (`foundry.toml`, `remappings.txt`, Hardhat's `contracts/` folder).

use std::path::{Path, PathBuf};

use crate::version::Version;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectKind {
    /// `foundry.toml` at the root.
    Foundry,
    /// `hardhat.config.{js,ts,cjs,mjs}` at the root.
    Hardhat,
    /// Files or a plain directory.
    Plain,
}

/// Where a project keeps its sources and how imports are looked up.
#[derive(Clone, Debug)]
pub struct ProjectLayout {
    pub kind: ProjectKind,
    /// Source directories analysed when the root is given (foundry `src`,
    /// hardhat `contracts`), absolute.
    pub sources: Vec<PathBuf>,
    /// Library directories (foundry `libs`, default `lib`), absolute.
    pub libs: Vec<PathBuf>,
    /// Remappings from the configuration, `remappings.txt` and automatic
    /// library remappings, as strings `[ctx:]prefix=target`, targets
    /// relative to the root.
    pub remappings: Vec<String>,
    /// Foundry `solc`/`solc_version`.
    pub solc_version: Option<Version>,
}

impl Default for ProjectLayout {
    fn default() -> Self {
        ProjectLayout {
            kind: ProjectKind::Plain,
            sources: Vec::new(),
            libs: Vec::new(),
            remappings: Vec::new(),
            solc_version: None,
        }
    }
}

const HARDHAT_CONFIGS: [&str; 4] = [
    "hardhat.config.js",
    "hardhat.config.ts",
    "hardhat.config.cjs",
    "hardhat.config.mjs",
];

/// The kind of project whose root is exactly `dir`, if any.
pub(crate) fn kind_at(dir: &Path) -> ProjectKind {
    if dir.join("foundry.toml").is_file() {
        ProjectKind::Foundry
    } else if HARDHAT_CONFIGS.iter().any(|c| dir.join(c).is_file()) {
        ProjectKind::Hardhat
    } else {
        ProjectKind::Plain
    }
}

/// The nearest directory at or above `start` that is a Foundry or Hardhat
/// root.
pub(crate) fn find_project_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| kind_at(d) != ProjectKind::Plain)
        .map(Path::to_path_buf)
}

/// Reads the layout of the project rooted at `root`. Problems (unreadable
/// or malformed `foundry.toml`) are returned as messages, never fatal.
pub(crate) fn read_layout(root: &Path, warnings: &mut Vec<String>) -> ProjectLayout {
    let kind = kind_at(root);
    let mut layout = ProjectLayout {
        kind,
        ..ProjectLayout::default()
    };
    match kind {
        ProjectKind::Foundry => read_foundry(root, &mut layout, warnings),
        ProjectKind::Hardhat => layout.sources.push(root.join("contracts")),
        ProjectKind::Plain => {}
    }
    if let Ok(text) = std::fs::read_to_string(root.join("remappings.txt")) {
        for line in text.lines().map(str::trim) {
            if !line.is_empty() && !line.starts_with('#') {
                layout.remappings.push(line.to_string());
            }
        }
    }
    if kind == ProjectKind::Foundry {
        add_lib_remappings(root, &mut layout);
    }
    layout
}

fn read_foundry(root: &Path, layout: &mut ProjectLayout, warnings: &mut Vec<String>) {
    let path = root.join("foundry.toml");
    let table: toml::Table = match std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|t| t.parse().map_err(|e: toml::de::Error| e.to_string()))
    {
        Ok(t) => t,
        Err(e) => {
            warnings.push(format!("{}: {e}; using Foundry defaults", path.display()));
            toml::Table::new()
        }
    };
    let profile = table
        .get("profile")
        .and_then(|p| p.get("default"))
        .and_then(|p| p.as_table());
    let get = |key: &str| profile.and_then(|p| p.get(key));
    let src = get("src").and_then(|v| v.as_str()).unwrap_or("src");
    layout.sources.push(root.join(src));
    match get("libs").and_then(|v| v.as_array()) {
        Some(libs) => layout
            .libs
            .extend(libs.iter().filter_map(|l| l.as_str()).map(|l| root.join(l))),
        None => layout.libs.push(root.join("lib")),
    }
    if let Some(remaps) = get("remappings").and_then(|v| v.as_array()) {
        layout
            .remappings
            .extend(remaps.iter().filter_map(|r| r.as_str()).map(str::to_string));
    }
    layout.solc_version = get("solc_version")
        .or_else(|| get("solc"))
        .and_then(|v| v.as_str())
        .and_then(Version::parse);
}

/// Foundry's automatic remappings: `name/=lib/name/src/` (or
/// `lib/name/` without `src`) for every library, plus the usual
/// `@openzeppelin/contracts/` alias when OpenZeppelin is installed.
/// Explicit remappings come first and keep priority for equal prefixes.
fn add_lib_remappings(root: &Path, layout: &mut ProjectLayout) {
    let mut auto = Vec::new();
    for lib in &layout.libs {
        let Ok(entries) = std::fs::read_dir(lib) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let dir = lib.join(&name);
            let rel = super::relative_name(root, &dir).unwrap_or_else(|| dir.display().to_string());
            let target = if dir.join("src").is_dir() {
                format!("{rel}/src/")
            } else {
                format!("{rel}/")
            };
            auto.push(format!("{name}/={target}"));
            for (oz_dir, alias) in [
                ("openzeppelin-contracts", "@openzeppelin/contracts/"),
                (
                    "openzeppelin-contracts-upgradeable",
                    "@openzeppelin/contracts-upgradeable/",
                ),
            ] {
                if name == oz_dir && dir.join("contracts").is_dir() {
                    auto.push(format!("{alias}={rel}/contracts/"));
                }
            }
        }
    }
    let explicit: Vec<String> = layout
        .remappings
        .iter()
        .filter_map(|r| super::Remapping::parse(r))
        .map(|r| r.prefix)
        .collect();
    for r in auto {
        let prefix = r.split('=').next().unwrap_or("");
        if !explicit.iter().any(|p| p == prefix) {
            layout.remappings.push(r);
        }
    }
}
