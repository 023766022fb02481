//! Reading, parsing and import resolution.

use std::path::{Path, PathBuf};

use bulwark_syntax::ast::ImportDirective;
use bulwark_syntax::{parse, LineIndex};

use super::{
    FileId, LoadError, LoadOptions, Project, ProjectDiagnostic, ProjectLayout, ResolvedImport,
    Severity, SourceFile,
};
use crate::version::VersionInfo;

pub(super) fn load_project(inputs: &[PathBuf], opts: &LoadOptions) -> Result<Project, LoadError> {
    let _ = (inputs, opts);
    Err(LoadError::NoSolidityFiles(PathBuf::new()))
}

/// Builds a file from its text: parse, version, no imports resolved yet.
pub(super) fn make_file(
    id: FileId,
    path: PathBuf,
    rel_path: String,
    source: String,
    is_dependency: bool,
    opts: &LoadOptions,
    configured: Option<crate::version::Version>,
) -> SourceFile {
    let parsed = parse(&source);
    let pragmas: Vec<&str> = parsed
        .unit
        .pragmas()
        .filter(|p| p.kind == bulwark_syntax::ast::PragmaKind::Solidity)
        .map(|p| p.value.as_str())
        .collect();
    let version = VersionInfo::decide(&pragmas, opts.solc_version.or(configured));
    SourceFile {
        id,
        path,
        rel_path,
        line_index: LineIndex::new(&source),
        source,
        parsed,
        version,
        is_dependency,
        imports: Vec::new(),
    }
}

/// Joins a relative import (`./x.sol`, `../y.sol`) to the directory of the
/// importing unit name, normalising `.` and `..`; other imports are
/// returned unchanged (they are root-relative unit names).
pub(super) fn join_import(importer: &str, import: &str) -> String {
    let base = if import.starts_with("./") || import.starts_with("../") {
        match importer.rfind('/') {
            Some(i) => format!("{}/{}", &importer[..i], import),
            None => import.to_string(),
        }
    } else {
        import.to_string()
    };
    normalize(&base)
}

/// Removes `.` segments and folds `..` into the previous segment.
pub(super) fn normalize(name: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in name.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if matches!(out.last(), Some(&s) if s != "..") {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if name.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

pub(super) fn from_sources(sources: &[(&str, &str)], opts: &LoadOptions) -> Project {
    let root = PathBuf::from("/virtual");
    let mut files: Vec<SourceFile> = sources
        .iter()
        .enumerate()
        .map(|(i, (name, text))| {
            let rel = normalize(name);
            make_file(
                FileId(i as u32),
                root.join(&rel),
                rel,
                text.to_string(),
                false,
                opts,
                None,
            )
        })
        .collect();
    let mut diagnostics = Vec::new();
    let names: Vec<String> = files.iter().map(|f| f.rel_path.clone()).collect();
    for file in &mut files {
        let imports: Vec<&ImportDirective> = file.parsed.unit.imports().collect();
        let mut resolved = Vec::new();
        for import in imports {
            let name = join_import(&file.rel_path, &import.path);
            let target = names
                .iter()
                .position(|n| *n == name)
                .map(|i| FileId(i as u32));
            if target.is_none() {
                diagnostics.push(ProjectDiagnostic {
                    severity: Severity::Error,
                    file: Some(file.id),
                    span: Some(import.path_span),
                    message: format!("import \"{}\" not found", import.path),
                });
            }
            resolved.push(ResolvedImport {
                node: import.id,
                target,
            });
        }
        file.imports = resolved;
    }
    Project {
        root,
        layout: ProjectLayout::default(),
        files,
        diagnostics,
    }
}

#[allow(dead_code)]
fn is_sol(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "sol")
}
