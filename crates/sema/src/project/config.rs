//! Recognising the kind of project at a root and reading its settings
//! (`foundry.toml`, `remappings.txt`, Hardhat's `contracts/` folder).

use std::path::PathBuf;

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
    /// library remappings, as strings `[ctx:]prefix=target`.
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
