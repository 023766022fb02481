//! Reading, parsing and import resolution.
//!
//! Files are loaded in waves: the inputs, then every file they import that
//! is not loaded yet, and so on. Each wave is read and parsed in parallel
//! (rayon); import resolution between waves is sequential and cheap.
//!
//! Unit names (what findings and solc call a file): the path relative to the
//! root for files under it, the import path for files found in a
//! `node_modules` or include path outside the root (solc names them so too).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bulwark_syntax::ast::PragmaKind;
use bulwark_syntax::{parse, LineIndex};
use rayon::prelude::*;

use super::config::{find_project_root, read_layout, ProjectKind};
use super::remap::{self, Remapping};
use super::{
    relative_name, DiagnosticKind, FileId, LoadError, LoadOptions, Project, ProjectDiagnostic,
    ProjectLayout, ResolvedImport, Severity, SourceFile,
};
use crate::analyze::NameHash;
use crate::version::{Version, VersionInfo};

pub(super) fn load_project(inputs: &[PathBuf], opts: &LoadOptions) -> Result<Project, LoadError> {
    let first = inputs
        .first()
        .ok_or_else(|| LoadError::NoSolidityFiles(PathBuf::from(".")))?;
    let mut absolute = Vec::new();
    for input in inputs {
        let abs = std::fs::canonicalize(input).map_err(|error| {
            if error.kind() == std::io::ErrorKind::NotFound {
                LoadError::NotFound(input.clone())
            } else {
                LoadError::Io {
                    path: input.clone(),
                    error,
                }
            }
        })?;
        absolute.push(abs);
    }
    let start = if absolute[0].is_dir() {
        absolute[0].clone()
    } else {
        absolute[0]
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    let root = match &opts.root {
        Some(r) => std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()),
        // A confined load never looks above its input for a project root:
        // whatever lies there is not the project's to read.
        None if opts.confine_to_root => start.clone(),
        None => find_project_root(&start).unwrap_or_else(|| start.clone()),
    };
    let mut warnings = Vec::new();
    let mut layout = read_layout(&root, &mut warnings);
    if opts.confine_to_root {
        confine_layout(&root, &mut layout, &mut warnings);
    }

    // Input files: a directory that is the project root means its source
    // folders; any other directory means every `.sol` file under it.
    let mut input_files = Vec::new();
    for (abs, input) in absolute.iter().zip(inputs) {
        if abs.is_file() {
            input_files.push(abs.clone());
        } else if abs.is_dir() {
            let dirs = if *abs == root && layout.kind != ProjectKind::Plain {
                layout.sources.clone()
            } else {
                vec![abs.clone()]
            };
            for dir in dirs {
                collect_sol_files(&dir, &mut input_files).map_err(|error| LoadError::Io {
                    path: input.clone(),
                    error,
                })?;
            }
        }
    }
    if opts.confine_to_root {
        // Symlinked files inside the tree may point anywhere.
        input_files.retain(|path| {
            let inside = std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(&root));
            if !inside {
                warnings.push(format!(
                    "{}: skipped, it leads outside the project root",
                    path.display()
                ));
            }
            inside
        });
    }
    input_files.sort();
    input_files.dedup();
    if input_files.is_empty() {
        return Err(LoadError::NoSolidityFiles(first.clone()));
    }

    let mut remappings: Vec<Remapping> = Vec::new();
    let mut diagnostics: Vec<ProjectDiagnostic> = warnings
        .into_iter()
        .map(|message| ProjectDiagnostic {
            severity: Severity::Warning,
            kind: DiagnosticKind::Loading,
            file: None,
            span: None,
            message,
        })
        .collect();
    // Equally specific remappings: the first listed wins, so the given
    // ones come before the project's, the last given first (on solc's
    // command line the later of two equal prefixes wins).
    for text in opts.remappings.iter().rev().chain(&layout.remappings) {
        match Remapping::parse(text) {
            Some(r) => remappings.push(r),
            None => diagnostics.push(ProjectDiagnostic {
                severity: Severity::Warning,
                kind: DiagnosticKind::Loading,
                file: None,
                span: None,
                message: format!(
                    "ignoring malformed remapping `{text}` (expected `[context:]prefix=target`)"
                ),
            }),
        }
    }

    let mut loader = Loader {
        root,
        layout,
        remappings,
        include_paths: opts.include_paths.clone(),
        opts,
        files: Vec::new(),
        by_path: HashMap::new(),
        diagnostics,
    };
    let wave: Vec<Pending> = input_files
        .into_iter()
        .map(|path| Pending {
            unit: relative_name(&loader.root, &path).unwrap_or_else(|| path.display().to_string()),
            path,
            is_dependency: false,
        })
        .collect();
    loader.run(wave);
    Ok(Project {
        root: loader.root,
        layout: loader.layout,
        files: loader.files,
        diagnostics: loader.diagnostics,
    })
}

/// Every `.sol` file under `dir`, skipping hidden folders and `node_modules`.
/// Drops configured source and library folders that lie outside `root`
/// (`src = "/etc"` or `libs = ["../.."]` in an untrusted `foundry.toml`).
fn confine_layout(root: &Path, layout: &mut ProjectLayout, warnings: &mut Vec<String>) {
    let mut keep = |dir: &PathBuf| {
        // Folders that do not exist are harmless: nothing is read from them.
        let inside = std::fs::canonicalize(dir).map_or(true, |d| d.starts_with(root));
        if !inside {
            warnings.push(format!(
                "{}: configured folder outside the project root, ignored",
                dir.display()
            ));
        }
        inside
    };
    layout.sources.retain(&mut keep);
    layout.libs.retain(&mut keep);
}

fn collect_sol_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !name.starts_with('.') && name != "node_modules" {
                // Unreadable subfolders are skipped rather than fatal.
                let _ = collect_sol_files(&entry.path(), out);
            }
        } else if name.ends_with(".sol") {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// A file to load in the next wave.
struct Pending {
    path: PathBuf,
    unit: String,
    is_dependency: bool,
}

struct Loader<'o> {
    root: PathBuf,
    layout: ProjectLayout,
    remappings: Vec<Remapping>,
    include_paths: Vec<PathBuf>,
    opts: &'o LoadOptions,
    files: Vec<SourceFile>,
    /// Canonical path → file, so a file reached by two import spellings is
    /// loaded once.
    by_path: HashMap<PathBuf, FileId>,
    diagnostics: Vec<ProjectDiagnostic>,
}

/// A file of the current wave, loaded: its parse, where each of its
/// imports points (`(canonical path, unit name)`, `None` when not found),
/// and why it could not be read, if so.
/// Where an import led.
enum Located {
    /// `(canonical path, unit name)`.
    Found(PathBuf, String),
    /// Only to a file outside the root of a confined project (whose path
    /// is not repeated: on a server it would disclose the file system).
    Outside,
    Missing,
}

struct Loaded {
    file: SourceFile,
    targets: Vec<Located>,
    read_error: Option<String>,
}

impl Loader<'_> {
    fn run(&mut self, mut wave: Vec<Pending>) {
        let configured = self.opts.solc_version.or(self.layout.solc_version);
        let dirs = CanonicalDirs::default();
        while !wave.is_empty() {
            let base = self.files.len();
            for (i, p) in wave.iter().enumerate() {
                self.by_path
                    .insert(p.path.clone(), FileId((base + i) as u32));
            }
            // Reading, parsing and locating imports (file system look-ups)
            // need nothing from other files of the wave: all in parallel.
            let this = &*self;
            let loaded: Vec<Loaded> = wave
                .par_iter()
                .enumerate()
                .map(|(i, pending)| {
                    this.load(FileId((base + i) as u32), pending, configured, &dirs)
                })
                .collect();
            for (pending, loaded) in wave.iter().zip(&loaded) {
                if let Some(error) = &loaded.read_error {
                    self.diagnostics.push(ProjectDiagnostic {
                        severity: Severity::Error,
                        kind: DiagnosticKind::Loading,
                        file: Some(loaded.file.id),
                        span: None,
                        message: format!("cannot read {}: {error}", pending.path.display()),
                    });
                }
            }
            let next_base = base + wave.len();
            let mut next = Vec::new();
            for loaded in loaded {
                self.add_file(loaded, next_base, &mut next);
            }
            wave = next;
        }
    }

    fn load(
        &self,
        id: FileId,
        pending: &Pending,
        configured: Option<Version>,
        dirs: &CanonicalDirs,
    ) -> Loaded {
        let (text, read_error) = match std::fs::read(&pending.path) {
            // Valid UTF-8 (the normal case) is taken as is; the lossy
            // decoder is several times slower per byte.
            Ok(bytes) => (
                String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                None,
            ),
            Err(e) => (String::new(), Some(e.to_string())),
        };
        let file = make_file(
            id,
            pending.path.clone(),
            pending.unit.clone(),
            text,
            pending.is_dependency,
            self.opts,
            configured,
        );
        let targets = file
            .parsed
            .unit
            .imports()
            .map(|i| self.locate(&file.rel_path, &file.path, &i.path, dirs))
            .collect();
        Loaded {
            file,
            targets,
            read_error,
        }
    }

    /// Adds a loaded file, numbering the files its imports reach for the
    /// next wave.
    fn add_file(&mut self, loaded: Loaded, next_base: usize, next: &mut Vec<Pending>) {
        let Loaded {
            mut file, targets, ..
        } = loaded;
        let mut resolved = Vec::with_capacity(targets.len());
        for (import, target) in file.parsed.unit.imports().zip(targets) {
            let target = match target {
                Located::Found(path, unit) => Some(match self.by_path.get(&path) {
                    Some(&existing) => existing,
                    None => {
                        let new_id = FileId((next_base + next.len()) as u32);
                        self.by_path.insert(path.clone(), new_id);
                        next.push(Pending {
                            path,
                            unit,
                            is_dependency: true,
                        });
                        new_id
                    }
                }),
                Located::Outside => {
                    self.diagnostics.push(ProjectDiagnostic {
                        severity: Severity::Error,
                        kind: DiagnosticKind::Loading,
                        file: Some(file.id),
                        span: Some(import.path_span),
                        message: format!(
                            "import \"{}\" leads outside the project root; not read (this analysis is confined to the project's own files)",
                            import.path
                        ),
                    });
                    None
                }
                Located::Missing => {
                    self.diagnostics.push(ProjectDiagnostic {
                        severity: Severity::Error,
                        kind: DiagnosticKind::Loading,
                        file: Some(file.id),
                        span: Some(import.path_span),
                        message: format!(
                            "import \"{}\" not found (looked relative to the file, in remappings, include paths, libs and node_modules; add a remapping if it lives elsewhere)",
                            import.path
                        ),
                    });
                    None
                }
            };
            resolved.push(ResolvedImport {
                node: import.id,
                target,
            });
        }
        file.imports = resolved;
        self.files.push(file);
    }

    /// Finds the file an import refers to, honouring `confine_to_root`.
    fn locate(
        &self,
        importer_unit: &str,
        importer_path: &Path,
        import: &str,
        dirs: &CanonicalDirs,
    ) -> Located {
        let outside = std::cell::Cell::new(false);
        let found = |p: PathBuf| {
            let file = dirs.file(&p)?;
            if self.opts.confine_to_root && !file.starts_with(&self.root) {
                // Keep looking (a later location may be inside the root),
                // but remember why the import may end up unresolved.
                outside.set(true);
                return None;
            }
            Some(file)
        };
        match self.search(importer_unit, importer_path, import, &found) {
            Some((path, unit)) => Located::Found(path, unit),
            None if outside.get() => Located::Outside,
            None => Located::Missing,
        }
    }

    /// Where an import is looked up, in solc's order: `(canonical path,
    /// unit name)` of the first existing file `found` accepts.
    fn search(
        &self,
        importer_unit: &str,
        importer_path: &Path,
        import: &str,
        found: &dyn Fn(PathBuf) -> Option<PathBuf>,
    ) -> Option<(PathBuf, String)> {
        let is_relative = import.starts_with("./") || import.starts_with("../");
        let unit = if is_relative {
            join_import(importer_unit, import)
        } else {
            normalize(import)
        };
        let unmapped = unit.clone();
        let unit =
            remap::apply(&self.remappings, importer_unit, &unit).map_or(unit, |u| normalize(&u));
        if is_relative {
            // Relative to the file on disk: right even when the importer's
            // unit name is an import path (node_modules).
            if let Some(dir) = importer_path.parent() {
                if let Some(p) = found(dir.join(import)) {
                    // solc names it by joining unit names; that only fails
                    // for paths climbing above the root.
                    let unit = if unit.starts_with("..") {
                        relative_name(&self.root, &p).unwrap_or_else(|| p.display().to_string())
                    } else {
                        unit
                    };
                    return Some((p, unit));
                }
            }
        }
        if Path::new(&unit).is_absolute() {
            return found(PathBuf::from(&unit)).map(|p| (p, unit));
        }
        if let Some(p) = found(self.root.join(&unit)) {
            return Some((p, unit));
        }
        for dir in self.include_paths.iter().chain(&self.layout.libs) {
            if let Some(p) = found(dir.join(&unit)) {
                let name = relative_name(&self.root, &p).unwrap_or_else(|| unit.clone());
                return Some((p, name));
            }
        }
        // Hardhat / npm: node_modules in the importer's folder or any
        // ancestor, then above the root.
        if let Some(hit) = self.search_node_modules(importer_path, &unit, found) {
            return Some(hit);
        }
        // A remapping whose target is missing (`@oz/=node_modules/@oz/` in
        // a package installed from npm, where its dependencies are hoisted
        // to a `node_modules` above it): the import as written may still be
        // an npm path. solc would fail here; reading the package the
        // remapping meant is better than leaving its names unresolved.
        if !is_relative && unmapped != unit {
            return self.search_node_modules(importer_path, &unmapped, found);
        }
        None
    }

    /// `unit` in the `node_modules` of the importer's folder or any of its
    /// ancestors, then of the root and its ancestors (Node's lookup).
    fn search_node_modules(
        &self,
        importer_path: &Path,
        unit: &str,
        found: &dyn Fn(PathBuf) -> Option<PathBuf>,
    ) -> Option<(PathBuf, String)> {
        let starts = [importer_path.parent(), Some(self.root.as_path())];
        for start in starts.into_iter().flatten() {
            for dir in start.ancestors() {
                if let Some(p) = found(dir.join("node_modules").join(unit)) {
                    return Some((p, unit.to_string()));
                }
            }
        }
        None
    }
}

/// Canonical paths found so far, shared by the loading threads:
/// `realpath` costs a system call per path component, and imports name
/// the same few folders and files over and over.
#[derive(Default)]
struct CanonicalDirs {
    dirs: Mutex<PathCache>,
    files: Mutex<PathCache>,
}

/// Keyed by the path's bytes: hashing a `Path` walks its components, which
/// cost more than the look-up saves.
type PathCache = HashMap<Vec<u8>, Option<PathBuf>, NameHash>;

impl CanonicalDirs {
    /// The canonical path of `path` when it is an existing file (the same
    /// answer as `fs::canonicalize` followed by `is_file`).
    fn file(&self, path: &Path) -> Option<PathBuf> {
        cached(&self.files, path, |path| {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            let (Some(dir), Some(name)) = (parent, path.file_name()) else {
                return std::fs::canonicalize(path).ok().filter(|p| p.is_file());
            };
            let candidate = cached(&self.dirs, dir, |d| std::fs::canonicalize(d).ok())?.join(name);
            let meta = std::fs::symlink_metadata(&candidate).ok()?;
            if meta.file_type().is_symlink() {
                return std::fs::canonicalize(&candidate)
                    .ok()
                    .filter(|p| p.is_file());
            }
            meta.is_file().then_some(candidate)
        })
    }
}

/// `compute(key)`, remembered in `cache` (two threads may both compute a
/// missing entry; they find the same answer).
fn cached(
    cache: &Mutex<PathCache>,
    key: &Path,
    compute: impl FnOnce(&Path) -> Option<PathBuf>,
) -> Option<PathBuf> {
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    let bytes = key.as_os_str().as_encoded_bytes();
    if let Some(known) = lock().get(bytes) {
        return known.clone();
    }
    let value = compute(key);
    lock().insert(bytes.to_vec(), value.clone());
    value
}

/// Builds a file from its text: parse, version; imports resolved later.
pub(super) fn make_file(
    id: FileId,
    path: PathBuf,
    rel_path: String,
    source: String,
    is_dependency: bool,
    opts: &LoadOptions,
    configured: Option<Version>,
) -> SourceFile {
    let parsed = parse(&source);
    let pragmas: Vec<&str> = parsed
        .unit
        .pragmas()
        .filter(|p| p.kind == PragmaKind::Solidity)
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
/// returned normalised (they are root-relative unit names).
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

/// In-memory project: imports are resolved among the given names with the
/// same rules (relative joins, remappings), never on disk.
pub(super) fn from_sources(sources: &[(&str, &str)], opts: &LoadOptions) -> Project {
    let root = PathBuf::from("/virtual");
    let configured = opts.solc_version;
    let mut files: Vec<SourceFile> = sources
        .par_iter()
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
                configured,
            )
        })
        .collect();
    let remappings: Vec<Remapping> = opts
        .remappings
        .iter()
        .rev()
        .filter_map(|r| Remapping::parse(r))
        .collect();
    let mut diagnostics = Vec::new();
    let names: HashMap<String, FileId> = files.iter().map(|f| (f.rel_path.clone(), f.id)).collect();
    for file in &mut files {
        let mut resolved = Vec::new();
        for import in file.parsed.unit.imports() {
            let name = join_import(&file.rel_path, &import.path);
            let name =
                remap::apply(&remappings, &file.rel_path, &name).map_or(name, |n| normalize(&n));
            let target = names.get(&name).copied();
            if target.is_none() {
                diagnostics.push(ProjectDiagnostic {
                    severity: Severity::Error,
                    kind: DiagnosticKind::Loading,
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
