//! A set of Solidity files to compare, and solc's facts about them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::extract::{extract_unit, AstSource};
use crate::facts::Facts;
use crate::pragma::{choose_version, Version};
use crate::report::SourceTexts;
use crate::solcjs::{CompileRequest, CompileResponse, SolcJs, SolcJsError};

/// The files to compare and how imports are found.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// Source unit names are paths relative to this directory.
    pub root: PathBuf,
    /// The files whose facts are compared: source unit names, `/`-separated,
    /// sorted.
    pub files: Vec<String>,
    /// solc remappings (`prefix=target`, target relative to `root`).
    pub remappings: Vec<String>,
    /// Further directories in which imports are looked up.
    pub include_paths: Vec<PathBuf>,
    /// Use this compiler for every file whose pragma allows it (a project's
    /// configured compiler); other files get the highest allowed version.
    pub preferred_version: Option<Version>,
}

impl Project {
    /// Every `.sol` file under `root` (recursively, symlinks not followed),
    /// skipping directories named `node_modules` or starting with a dot.
    pub fn from_dir(root: &Path) -> std::io::Result<Project> {
        let mut files = Vec::new();
        collect_sol_files(root, root, &mut files)?;
        files.sort();
        Ok(Project {
            root: root.to_path_buf(),
            files,
            ..Project::default()
        })
    }
}

fn collect_sol_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if name != "node_modules" && !name.starts_with('.') {
                collect_sol_files(root, &path, out)?;
            }
        } else if kind.is_file() && name.ends_with(".sol") {
            out.push(unit_name(root, &path));
        }
    }
    Ok(())
}

/// `path` relative to `root`, with `/` separators.
fn unit_name(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// One compilation that did not produce an AST.
#[derive(Debug, Clone)]
pub struct CompileFailure {
    pub files: Vec<String>,
    /// `None` when no compiler could be chosen.
    pub version: Option<Version>,
    /// solc's formatted errors (or why no compiler ran).
    pub messages: Vec<String>,
}

/// solc's view of a project.
#[derive(Debug, Clone, Default)]
pub struct SolcRun {
    pub facts: Facts,
    /// Texts of the project's files, for reports.
    pub sources: SourceTexts,
    /// For every file whose facts were extracted, the compiler used.
    pub compiled: BTreeMap<String, Version>,
    pub failures: Vec<CompileFailure>,
    /// solc's full version strings, per version used.
    pub long_versions: BTreeMap<Version, String>,
}

/// Compile `project` with solc-js (one node process per compiler version,
/// at most `jobs` at a time) and extract the facts of its files.
pub fn solc_facts(solcjs: &SolcJs, project: &Project, jobs: usize) -> Result<SolcRun, SolcJsError> {
    let mut run = SolcRun::default();
    let mut by_version: BTreeMap<Version, Vec<String>> = BTreeMap::new();
    for file in &project.files {
        let path = project.root.join(file);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                run.failures.push(CompileFailure {
                    files: vec![file.clone()],
                    version: None,
                    messages: vec![format!("cannot read {}: {e}", path.display())],
                });
                continue;
            }
        };
        match pick_version(&text, solcjs.versions(), project.preferred_version) {
            Ok(version) => by_version.entry(version).or_default().push(file.clone()),
            Err(message) => run.failures.push(CompileFailure {
                files: vec![file.clone()],
                version: None,
                messages: vec![message],
            }),
        }
        run.sources.insert(file.clone(), text);
    }

    let queue = Mutex::new(by_version.into_iter().collect::<Vec<_>>());
    let results = Mutex::new(Vec::new());
    let wanted: BTreeSet<&str> = project.files.iter().map(String::as_str).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| loop {
                let Some((version, files)) = queue.lock().expect("queue lock").pop() else {
                    break;
                };
                let request = CompileRequest {
                    version,
                    root: project.root.clone(),
                    include_paths: project.include_paths.clone(),
                    remappings: project.remappings.clone(),
                    units: vec![files],
                    split_on_error: true,
                };
                let outcome = solcjs.compile(&request).map(|response| {
                    facts_of_response(version, &response, project, &run.sources, &wanted)
                });
                results.lock().expect("results lock").push(outcome);
            });
        }
    });
    for outcome in results.into_inner().expect("results lock") {
        let part = outcome?;
        run.facts.extend(part.facts);
        run.compiled.extend(part.compiled);
        run.failures.extend(part.failures);
        run.long_versions.insert(part.version, part.long_version);
    }
    run.facts.canonicalize();
    run.failures.sort_by(|a, b| a.files.cmp(&b.files));
    Ok(run)
}

fn pick_version(
    text: &str,
    installed: &[Version],
    preferred: Option<Version>,
) -> Result<Version, String> {
    if let Some(preferred) = preferred {
        if choose_version(text, &[preferred]).is_ok() {
            return Ok(preferred);
        }
    }
    choose_version(text, installed)
}

/// What one compiler version contributed.
struct VersionPart {
    version: Version,
    long_version: String,
    facts: Facts,
    compiled: BTreeMap<String, Version>,
    failures: Vec<CompileFailure>,
}

fn facts_of_response(
    version: Version,
    response: &CompileResponse,
    project: &Project,
    project_texts: &SourceTexts,
    wanted: &BTreeSet<&str>,
) -> VersionPart {
    let mut part = VersionPart {
        version,
        long_version: response.long_version.clone(),
        facts: Facts::default(),
        compiled: BTreeMap::new(),
        failures: Vec::new(),
    };
    for unit in &response.units {
        if !unit.ok {
            part.failures.push(CompileFailure {
                files: unit.files.clone(),
                version: Some(version),
                messages: unit
                    .errors
                    .iter()
                    .filter(|e| e.is_error())
                    .map(|e| e.formatted.trim_end().to_string())
                    .collect(),
            });
            continue;
        }
        // Imports outside the project's file list still need their text to
        // locate declaration names.
        let mut import_texts: HashMap<&str, String> = HashMap::new();
        for name in unit.sources.keys() {
            if !project_texts.contains_key(name) {
                if let Some(text) = read_import(project, name) {
                    import_texts.insert(name, text);
                }
            }
        }
        let sources: Vec<AstSource<'_>> = unit
            .sources
            .iter()
            .map(|(name, source)| AstSource {
                path: name,
                id: source.id,
                ast: &source.ast,
                text: project_texts
                    .get(name)
                    .or_else(|| import_texts.get(name.as_str()))
                    .map(String::as_str),
            })
            .collect();
        // A file's facts come from the unit it was an entry of, so that each
        // file is described once and by the compiler chosen for it.
        let entries: BTreeSet<&str> = unit
            .files
            .iter()
            .map(String::as_str)
            .filter(|f| wanted.contains(f))
            .collect();
        part.facts
            .extend(extract_unit(&sources, &|path| entries.contains(path)));
        part.compiled
            .extend(entries.iter().map(|f| (f.to_string(), version)));
    }
    part
}

fn read_import(project: &Project, name: &str) -> Option<String> {
    std::iter::once(&project.root)
        .chain(project.include_paths.iter())
        .find_map(|dir| std::fs::read_to_string(dir.join(name)).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_dir_lists_sol_files_relative_and_sorted() {
        let root = std::env::temp_dir().join(format!("difftest-project-{}", std::process::id()));
        std::fs::create_dir_all(root.join("b/node_modules")).unwrap();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("b/Z.sol"), "").unwrap();
        std::fs::write(root.join("a/Y.sol"), "").unwrap();
        std::fs::write(root.join("a/notes.md"), "").unwrap();
        std::fs::write(root.join("b/node_modules/Dep.sol"), "").unwrap();
        let project = Project::from_dir(&root).unwrap();
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(
            project.files,
            vec!["a/Y.sol".to_string(), "b/Z.sol".to_string()]
        );
    }

    #[test]
    fn preferred_version_wins_only_when_allowed() {
        let installed = [Version::new(0, 7, 6), Version::new(0, 8, 37)];
        let preferred = Some(Version::new(0, 8, 20));
        assert_eq!(
            pick_version("pragma solidity >=0.5.0;", &installed, preferred),
            Ok(Version::new(0, 8, 20))
        );
        assert_eq!(
            pick_version("pragma solidity =0.7.6;", &installed, preferred),
            Ok(Version::new(0, 7, 6))
        );
    }
}
