//! Project loading: which files make up the project, how their imports
//! resolve, and each file's parse and effective compiler version.
//!
//! A [`Project`] owns every source text and AST; the semantic [`crate::Model`]
//! borrows from it, so downstream passes can hold `&ast::FunctionDefinition`
//! without copying or reference counting.
//!
//! Loading never fails because of the *content* of the project: unreadable
//! or missing imports, bad remappings and syntax errors become
//! [`ProjectDiagnostic`]s. Only an input path that does not exist (or holds
//! no Solidity file) is a [`LoadError`].

mod config;
mod load;
mod remap;

use std::fmt;
use std::path::{Path, PathBuf};

use bulwark_syntax::ast::NodeId;
use bulwark_syntax::{LineIndex, Parsed, Span};

use crate::version::{Version, VersionInfo};

pub use config::{ProjectKind, ProjectLayout};
pub use remap::Remapping;

/// Index of a file in [`Project::files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

impl FileId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How to load a project.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Extra remappings (`[context:]prefix=target`), applied with priority
    /// over the project's own (`foundry.toml`, `remappings.txt`); between
    /// two with the same context and prefix the later wins, as on solc's
    /// command line.
    pub remappings: Vec<String>,
    /// Analyse every file under this compiler version when its pragma
    /// allows it (overrides foundry's `solc_version`).
    pub solc_version: Option<Version>,
    /// Further directories where imports are looked up (like solc's
    /// `--include-path`), after remappings and before `node_modules`.
    pub include_paths: Vec<PathBuf>,
    /// The project root (paths are reported relative to it); by default the
    /// nearest Foundry/Hardhat root above the first input, else the input
    /// directory (or the file's directory).
    pub root: Option<PathBuf>,
    /// Read no file outside the project root. An import that would resolve
    /// outside it (an absolute path, `..` above the root, a remapping,
    /// include path or lib folder pointing elsewhere, a symlink out,
    /// `node_modules` above the root) is reported as an error and left
    /// unresolved. The service sets this for uploaded projects, whose
    /// `foundry.toml`/`remappings.txt` are untrusted; the CLI does not
    /// (a developer's remappings may legitimately point anywhere).
    pub confine_to_root: bool,
}

/// Why a project could not be loaded at all.
#[derive(Debug)]
pub enum LoadError {
    /// An input path does not exist.
    NotFound(PathBuf),
    /// An input could not be read (permissions, not a file or directory).
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The inputs hold no `.sol` file.
    NoSolidityFiles(PathBuf),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotFound(p) => write!(f, "{}: no such file or directory", p.display()),
            LoadError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            LoadError::NoSolidityFiles(p) => {
                write!(f, "{}: no .sol file found (pass a file, a directory or a Foundry/Hardhat project)", p.display())
            }
        }
    }
}

impl std::error::Error for LoadError {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// A problem found while loading or analysing a project (syntax errors stay
/// in each file's [`Parsed::diagnostics`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectDiagnostic {
    pub severity: Severity,
    /// The file the problem is in, when there is one.
    pub file: Option<FileId>,
    /// Where in `file` (e.g. the import path string).
    pub span: Option<Span>,
    pub message: String,
    /// What kind of problem this is, for tools that group or filter them.
    pub kind: DiagnosticKind,
}

/// The kinds of [`ProjectDiagnostic`]: loading problems come from
/// [`load_project`](crate::load_project), the others from the semantic
/// model ([`Model::diagnostics`](crate::Model::diagnostics)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticKind {
    /// Reading the project: unreadable files, imports not found or outside
    /// the root, malformed remappings.
    Loading,
    /// `import {X} from "f.sol"` where `f.sol` declares no `X`.
    ImportedSymbolNotFound,
    /// `contract C is B` where `B` is not found (or is not a contract).
    BaseNotFound,
    /// C3 linearization of a contract's bases failed.
    Linearization,
    /// A user-defined type name (`Missing x;`) that names nothing.
    TypeNotFound,
    /// A name used in code (`undefinedThing()`) that names nothing.
    IdentifierNotFound,
    /// Inline assembly solc rejects (undeclared names, old-style syntax).
    InlineAssembly,
}

impl ProjectDiagnostic {
    /// `path:line:col: severity: message`, with the path relative to the root.
    pub fn render(&self, project: &Project) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.file.and_then(|f| project.files.get(f.index())) {
            Some(file) => {
                let at = self.span.map_or(0, |s| s.start as usize);
                let lc = file.line_index.line_col(&file.source, at);
                format!(
                    "{}:{}:{}: {severity}: {}",
                    file.rel_path, lc.line, lc.col, self.message
                )
            }
            None => format!("{severity}: {}", self.message),
        }
    }
}

/// One import directive and the file it resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedImport {
    /// The `ImportDirective`'s node.
    pub node: NodeId,
    /// `None` when the import could not be found (a diagnostic says why).
    pub target: Option<FileId>,
}

/// One loaded Solidity file.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// Absolute path on disk (for in-memory projects, `root` joined with the
    /// name).
    pub path: PathBuf,
    /// Path relative to the project root with `/` separators — the name
    /// findings and solc's source unit names use. Files outside the root
    /// (e.g. a `node_modules` above it) keep their import path.
    pub rel_path: String,
    pub source: String,
    pub line_index: LineIndex,
    pub parsed: Parsed,
    pub version: VersionInfo,
    /// Reached only through imports (libraries, `node_modules`, files outside
    /// the inputs): analysed for resolution, not reported on.
    pub is_dependency: bool,
    /// The file's imports in source order.
    pub imports: Vec<ResolvedImport>,
}

/// A loaded project: every input file and everything they import.
#[derive(Debug)]
pub struct Project {
    /// Paths are reported relative to this directory.
    pub root: PathBuf,
    pub layout: ProjectLayout,
    /// Inputs first (sorted by path), then dependencies in discovery order.
    pub files: Vec<SourceFile>,
    pub diagnostics: Vec<ProjectDiagnostic>,
}

impl Project {
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }

    /// The file whose [`SourceFile::rel_path`] is `rel_path`.
    pub fn file_by_rel_path(&self, rel_path: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.rel_path == rel_path)
    }

    /// The files that are not dependencies.
    pub fn input_files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().filter(|f| !f.is_dependency)
    }

    /// Builds a project from in-memory sources (`(name, text)` pairs, names
    /// like `a.sol` or `lib/b.sol`), resolving imports among them. Meant for
    /// tests of this and downstream crates; all files are inputs.
    pub fn from_sources(sources: &[(&str, &str)], opts: &LoadOptions) -> Project {
        load::from_sources(sources, opts)
    }
}

/// Loads the project given on the command line: one or more files or
/// directories (a Foundry or Hardhat project root is recognised and its
/// source folder used). Imports are followed and imported files outside
/// the inputs are added as dependencies. Files are parsed in parallel.
pub fn load_project(inputs: &[PathBuf], opts: &LoadOptions) -> Result<Project, LoadError> {
    load::load_project(inputs, opts)
}

/// `path` relative to `root` with `/` separators, or `None` when outside.
pub(crate) fn relative_name(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}
