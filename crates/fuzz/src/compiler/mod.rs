//! Compiler management: picking or installing a solc that satisfies the
//! pragmas, and compiling a project through standard JSON.

mod driver;
mod manager;
mod project_config;
mod source_map;
mod sources;
mod standard_json;
mod version;

pub use driver::{ensure_wrapper, Solc, SOLCJS_WRAPPER};
pub use manager::CompilerManager;
pub use project_config::ProjectConfig;
pub use source_map::{range_at, SourceRange};
pub use sources::{strip_comments, unit_name_for, Remapping, SourceLoader, SourceSet};
pub use standard_json::{line_col, Artifact, Diagnostic};
pub use version::{Version, VersionReq};

use std::path::{Path, PathBuf};

/// The result of a successful compilation.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub solc: Solc,
    pub sources: SourceSet,
    pub artifacts: Vec<Artifact>,
    pub warnings: Vec<Diagnostic>,
    pub config: ProjectConfig,
    /// Source unit names by the file ids used in source maps.
    pub source_ids: std::collections::BTreeMap<i64, String>,
}

/// Why a compilation did not produce artifacts.
#[derive(Debug, Clone)]
pub enum CompileError {
    /// No compiler could be found or installed, a source is missing, ...
    Setup(String),
    /// The compiler reported errors (shown as `file:line:col: error: ...`).
    Diagnostics(Vec<Diagnostic>),
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompileError::Setup(msg) => f.write_str(msg),
            CompileError::Diagnostics(diags) => {
                for (i, d) in diags.iter().filter(|d| d.is_error()).enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
        }
    }
}

/// Compiles `entries` (files under `root`) and everything they import.
pub fn compile(
    root: &Path,
    entries: &[PathBuf],
    manager: &CompilerManager,
) -> Result<Compiled, CompileError> {
    let config = ProjectConfig::load(root).map_err(CompileError::Setup)?;
    let loader = SourceLoader {
        root,
        include_dirs: &config.include_dirs,
        remappings: &config.remappings,
    };
    let sources = loader.load(entries).map_err(CompileError::Setup)?;
    let reqs: Vec<VersionReq> = sources
        .version_requirements()
        .map_err(CompileError::Setup)?
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let pinned = match &config.solc_version {
        Some(v) => Some(
            v.parse::<Version>()
                .map_err(|e| CompileError::Setup(format!("foundry.toml: solc_version: {e}")))?,
        ),
        None => None,
    };
    let solc = manager.select(&reqs, pinned).map_err(CompileError::Setup)?;
    let input = standard_json::build_input(&sources, &config);
    let output = solc
        .compile_standard_json(&input, &manager.scratch_dir())
        .map_err(CompileError::Setup)?;
    let (artifacts, diagnostics, source_ids) =
        standard_json::parse_output(&output, &sources).map_err(CompileError::Setup)?;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(CompileError::Diagnostics(diagnostics));
    }
    Ok(Compiled {
        solc,
        sources,
        artifacts,
        warnings: diagnostics,
        config,
        source_ids,
    })
}
