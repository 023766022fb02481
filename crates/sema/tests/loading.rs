//! Project loading on small projects written to a temporary folder:
//! Foundry (remappings, auto lib remappings, contexts), Hardhat
//! (`node_modules`), plain directories, single files, missing imports.

use std::path::{Path, PathBuf};

use bulwark_sema::{load_project, LoadError, LoadOptions, ProjectKind, Version};

/// A fresh empty directory under the system temp dir, unique per test.
fn temp_project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bulwark-sema-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn rel_paths(project: &bulwark_sema::Project) -> Vec<(String, bool)> {
    project
        .files
        .iter()
        .map(|f| (f.rel_path.clone(), f.is_dependency))
        .collect()
}

#[test]
fn foundry_project_with_remappings_and_libs() {
    let root = temp_project("foundry");
    write(
        &root,
        "foundry.toml",
        "[profile.default]\nsrc = 'contracts'\nlibs = ['lib']\nsolc_version = '0.8.20'\nremappings = ['@dep/=lib/dep/src/']\n",
    );
    write(&root, "remappings.txt", "other/=lib/other-v2/\n");
    write(
        &root,
        "contracts/Main.sol",
        "pragma solidity ^0.8.0;\nimport \"@dep/A.sol\";\nimport \"forge-std/Test.sol\";\nimport \"other/O.sol\";\nimport {B} from \"./sub/B.sol\";\nimport \"contracts/sub/B.sol\";\ncontract Main {}\n",
    );
    write(
        &root,
        "contracts/sub/B.sol",
        "pragma solidity ^0.8.0;\ncontract B {}\n",
    );
    write(
        &root,
        "lib/dep/src/A.sol",
        "pragma solidity ^0.8.0;\nimport \"./Inner.sol\";\ncontract A {}\n",
    );
    write(&root, "lib/dep/src/Inner.sol", "contract Inner {}\n");
    write(&root, "lib/forge-std/src/Test.sol", "contract Test {}\n");
    write(&root, "lib/other-v2/O.sol", "contract O {}\n");
    write(&root, "test/T.sol", "contract NotLoaded {}\n");

    let project = load_project(std::slice::from_ref(&root), &LoadOptions::default()).unwrap();
    assert_eq!(project.layout.kind, ProjectKind::Foundry);
    assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
    let files = rel_paths(&project);
    assert_eq!(
        files,
        vec![
            ("contracts/Main.sol".to_string(), false),
            ("contracts/sub/B.sol".to_string(), false),
            ("lib/dep/src/A.sol".to_string(), true),
            ("lib/forge-std/src/Test.sol".to_string(), true),
            ("lib/other-v2/O.sol".to_string(), true),
            ("lib/dep/src/Inner.sol".to_string(), true),
        ]
    );
    // Both spellings of B resolve to the same file.
    let main = &project.files[0];
    assert_eq!(main.imports[3].target, main.imports[4].target);
    assert!(main.imports.iter().all(|i| i.target.is_some()));
    // foundry's solc_version satisfies ^0.8.0 and is used.
    assert_eq!(main.version.effective, Version::new(0, 8, 20));
}

#[test]
fn hardhat_project_resolves_node_modules_and_reports_missing_imports() {
    let root = temp_project("hardhat");
    write(&root, "hardhat.config.js", "module.exports = {};\n");
    write(
        &root,
        "contracts/Token.sol",
        "pragma solidity ^0.6.0;\nimport \"@scope/pkg/token/ERC20.sol\";\nimport \"./Missing.sol\";\ncontract Token {}\n",
    );
    write(
        &root,
        "node_modules/@scope/pkg/token/ERC20.sol",
        "import \"../utils/Ctx.sol\";\ncontract ERC20 {}\n",
    );
    write(
        &root,
        "node_modules/@scope/pkg/utils/Ctx.sol",
        "contract Ctx {}\n",
    );

    let project = load_project(std::slice::from_ref(&root), &LoadOptions::default()).unwrap();
    assert_eq!(project.layout.kind, ProjectKind::Hardhat);
    let files = rel_paths(&project);
    assert_eq!(files[0], ("contracts/Token.sol".to_string(), false));
    assert!(files.contains(&("@scope/pkg/token/ERC20.sol".to_string(), true)));
    assert!(files.contains(&("@scope/pkg/utils/Ctx.sol".to_string(), true)));
    assert_eq!(project.diagnostics.len(), 1);
    let rendered = project.diagnostics[0].render(&project);
    assert!(
        rendered.starts_with("contracts/Token.sol:3:8: error: import \"./Missing.sol\" not found"),
        "{rendered}"
    );
    // Lowest release allowed by ^0.6.0.
    assert_eq!(project.files[0].version.effective, Version::new(0, 6, 0));
}

#[test]
fn single_file_and_plain_directory() {
    let root = temp_project("plain");
    write(&root, "a/A.sol", "import \"../b/B.sol\";\ncontract A {}\n");
    write(&root, "b/B.sol", "contract B {}\n");
    write(&root, "b/node_modules/x/X.sol", "contract X {}\n");

    let one = load_project(&[root.join("a/A.sol")], &LoadOptions::default()).unwrap();
    // The root is the file's folder; the import above it keeps a path name.
    assert_eq!(one.files.len(), 2);
    assert!(!one.files[0].is_dependency && one.files[1].is_dependency);
    assert_eq!(one.files[0].rel_path, "A.sol");

    let all = load_project(std::slice::from_ref(&root), &LoadOptions::default()).unwrap();
    let files = rel_paths(&all);
    assert_eq!(
        files,
        vec![
            ("a/A.sol".to_string(), false),
            ("b/B.sol".to_string(), false)
        ]
    );
    assert_eq!(all.files[0].imports[0].target, Some(all.files[1].id));
}

#[test]
fn missing_input_is_an_error_but_empty_folder_too() {
    let root = temp_project("errors");
    assert!(matches!(
        load_project(&[root.join("nope.sol")], &LoadOptions::default()),
        Err(LoadError::NotFound(_))
    ));
    assert!(matches!(
        load_project(std::slice::from_ref(&root), &LoadOptions::default()),
        Err(LoadError::NoSolidityFiles(_))
    ));
}

/// Imports reaching one file through a symlinked folder, a symlinked file
/// and `..` segments load it once, under the name of its real location.
#[cfg(unix)]
#[test]
fn symlinked_paths_load_a_file_once() {
    let root = temp_project("symlinks");
    write(
        &root,
        "real/Base.sol",
        "pragma solidity ^0.8.0;\ncontract Base {}\n",
    );
    std::os::unix::fs::symlink(root.join("real"), root.join("alias")).unwrap();
    std::os::unix::fs::symlink(root.join("real/Base.sol"), root.join("Link.sol")).unwrap();
    write(
        &root,
        "src/A.sol",
        "pragma solidity ^0.8.0;\nimport \"../alias/Base.sol\";\nimport \"../Link.sol\";\nimport \"../real/../real/Base.sol\";\nimport \"../alias/Missing.sol\";\ncontract A is Base {}\n",
    );
    let project = load_project(&[root.join("src/A.sol")], &LoadOptions::default()).unwrap();
    let bases: Vec<_> = project
        .files
        .iter()
        .filter(|f| f.path.ends_with("real/Base.sol"))
        .collect();
    assert_eq!(bases.len(), 1, "{:?}", rel_paths(&project));
    let a = &project.files[0];
    let targets: Vec<_> = a.imports.iter().map(|i| i.target).collect();
    assert_eq!(targets[..3], [Some(bases[0].id); 3]);
    assert_eq!(targets[3], None);
    assert_eq!(project.files.len(), 2);
    let _ = std::fs::remove_dir_all(&root);
}

/// Of two given remappings with the same prefix the later wins, as on
/// solc's command line, and both win over the project's own.
#[test]
fn later_of_equal_remappings_wins() {
    let opts = LoadOptions {
        remappings: vec!["dep/=old/".into(), "dep/=new/".into()],
        ..LoadOptions::default()
    };
    let project = bulwark_sema::Project::from_sources(
        &[
            ("m.sol", "import \"dep/T.sol\";"),
            ("old/T.sol", "contract T {}"),
            ("new/T.sol", "contract T {}"),
        ],
        &opts,
    );
    let target = project.files[0].imports[0].target.expect("resolved");
    assert_eq!(project.file(target).rel_path, "new/T.sol");
}

/// An untrusted project (an upload to the service) whose configuration and
/// imports point at files outside it: a confined load reads none of them and
/// says why; an ordinary load follows them (so the test can tell).
#[test]
fn confined_load_reads_nothing_outside_the_root() {
    let base = temp_project("confined");
    let outside = base.join("secrets");
    write(&outside, "Secret.sol", "contract Secret {}\n");
    write(&outside, "lib/Dep.sol", "contract Dep {}\n");
    write(&outside, "src/Elsewhere.sol", "contract Elsewhere {}\n");
    let root = base.join("upload");
    write(
        &root,
        "foundry.toml",
        &format!(
            "[profile.default]\nsrc = 'src'\nlibs = ['{}']\nremappings = ['steal/={}/']\n",
            outside.join("lib").display(),
            outside.display()
        ),
    );
    write(
        &root,
        "src/Main.sol",
        &format!(
            "pragma solidity ^0.8.0;\nimport \"steal/Secret.sol\";\nimport \"../../secrets/Secret.sol\";\nimport \"{}\";\nimport \"Dep.sol\";\nimport \"./Inside.sol\";\ncontract Main {{}}\n",
            outside.join("Secret.sol").display()
        ),
    );
    write(&root, "src/Inside.sol", "contract Inside {}\n");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.join("src/Elsewhere.sol"), root.join("src/Link.sol"))
        .unwrap();

    let confined = LoadOptions {
        confine_to_root: true,
        ..LoadOptions::default()
    };
    let project = load_project(std::slice::from_ref(&root), &confined).unwrap();
    let read: Vec<&Path> = project.files.iter().map(|f| f.path.as_path()).collect();
    assert!(
        read.iter().all(|p| !p.starts_with(&outside)),
        "read outside the root: {read:?}"
    );
    assert_eq!(
        rel_paths(&project),
        vec![
            ("src/Inside.sol".to_string(), false),
            ("src/Main.sol".to_string(), false)
        ],
        "the symlinked `src/Link.sol` is not read either"
    );
    let messages: Vec<&str> = project
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    let refused = messages
        .iter()
        .filter(|m| m.contains("leads outside the project root; not read"))
        .count();
    // The remapped, the climbing and the absolute import; `Dep.sol` is only
    // in the outside lib folder, which is dropped with a warning.
    assert_eq!(refused, 3, "{messages:#?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("configured folder outside the project root")),
        "{messages:#?}"
    );
    #[cfg(unix)]
    assert!(
        messages
            .iter()
            .any(|m| m.contains("Link.sol: skipped, it leads outside")),
        "{messages:#?}"
    );

    // The same project loaded as a developer's own: everything is followed.
    let open = load_project(std::slice::from_ref(&root), &LoadOptions::default()).unwrap();
    assert!(
        open.files.iter().any(|f| f.path.starts_with(&outside)),
        "an unconfined load follows the configuration"
    );
    let _ = std::fs::remove_dir_all(&base);
}

/// A package installed from npm keeps the remappings of its own repository
/// (`@dep/=node_modules/@dep/`), but npm hoists its dependencies to the
/// `node_modules` that holds the package itself, where the remapped path
/// does not exist: the import is then looked up as the npm path it is.
#[test]
fn remapping_to_a_missing_node_modules_falls_back_to_hoisted_packages() {
    let outer = temp_project("hoisted");
    let root = outer.join("node_modules/@scope/pkg");
    write(&root, "foundry.toml", "[profile.default]\nsrc = 'src'\n");
    write(&root, "remappings.txt", "@dep/=node_modules/@dep/\n");
    write(
        &root,
        "src/Main.sol",
        "pragma solidity ^0.8.0;\nimport \"@dep/lib/A.sol\";\nimport \"@dep/lib/Missing.sol\";\ncontract Main {}\n",
    );
    write(&outer, "node_modules/@dep/lib/A.sol", "contract A {}\n");

    let project = load_project(std::slice::from_ref(&root), &LoadOptions::default()).unwrap();
    let files = rel_paths(&project);
    assert!(
        files.contains(&("@dep/lib/A.sol".to_string(), true)),
        "{files:?}"
    );
    // A file that is nowhere is still reported, once.
    assert_eq!(project.diagnostics.len(), 1, "{:?}", project.diagnostics);
    assert!(project.diagnostics[0]
        .message
        .contains("\"@dep/lib/Missing.sol\" not found"));
}
