//! Decides whether a source file is the project's own code or something it
//! merely uses (dependencies) or that exercises it (tests, mocks, scripts).
//!
//! Everything is analysed, because the project's contracts inherit from and
//! call into these files; but findings in them are only reported when asked,
//! because users cannot act on a finding inside `lib/openzeppelin-contracts`
//! and a test's deliberately sloppy code is not a vulnerability.

use std::fmt;

/// What role a file plays in the analysed project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathKind {
    /// The project's own contracts: always reported.
    Source,
    /// Third-party code: Foundry's `lib/`, npm's `node_modules/`, Soldeer's
    /// `dependencies/`.
    Dependency,
    /// Tests: `test/`, `tests/`, `*.t.sol`.
    Test,
    /// Test doubles: `mocks/`, `mock/`, `Mock*.sol`, `*Mock.sol`.
    Mock,
    /// Deployment scripts: `script/`, `scripts/`, `*.s.sol`.
    Script,
}

impl PathKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PathKind::Source => "source",
            PathKind::Dependency => "dependency",
            PathKind::Test => "test",
            PathKind::Mock => "mock",
            PathKind::Script => "script",
        }
    }
}

impl fmt::Display for PathKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Folders that hold third-party code only when they sit at the project
/// root: many projects keep their own helpers in `src/lib/` or
/// `contracts/lib/` (Seaport does), which are sources.
const ROOT_DEPENDENCY_DIRS: &[&str] = &["lib", "dependencies"];

/// Classifies `path`, relative to the analysed root (`/` or `\` separated).
/// Dependencies win over the other kinds: a test inside `lib/forge-std` is
/// a dependency.
pub fn classify_path(path: &str) -> PathKind {
    let normalised = path.replace('\\', "/");
    let trimmed = normalised.trim_start_matches("./");
    let components: Vec<&str> = trimmed.split('/').filter(|c| !c.is_empty()).collect();
    let Some((file_name, dirs)) = components.split_last() else {
        return PathKind::Source;
    };

    let is_root_dependency = dirs
        .first()
        .is_some_and(|first| ROOT_DEPENDENCY_DIRS.contains(first));
    if is_root_dependency || dirs.contains(&"node_modules") {
        return PathKind::Dependency;
    }
    if dirs.iter().any(|d| matches!(*d, "test" | "tests")) || file_name.ends_with(".t.sol") {
        return PathKind::Test;
    }
    if dirs.iter().any(|d| matches!(*d, "mocks" | "mock")) || is_mock_file_name(file_name) {
        return PathKind::Mock;
    }
    if dirs.iter().any(|d| matches!(*d, "script" | "scripts")) || file_name.ends_with(".s.sol") {
        return PathKind::Script;
    }
    PathKind::Source
}

/// `MockToken.sol`, `Mock.sol`, `Mock_ERC20.sol` and `ERC20Mock.sol` are
/// mocks; `Mockingbird.sol` is not (the word continues in lower case).
fn is_mock_file_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".sol") else {
        return false;
    };
    if let Some(rest) = stem.strip_prefix("Mock") {
        return rest
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    }
    stem.ends_with("Mock")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_dependency_folders_and_node_modules_are_dependencies() {
        assert_eq!(
            classify_path("lib/forge-std/src/Test.sol"),
            PathKind::Dependency
        );
        assert_eq!(
            classify_path("lib/forge-std/test/StdAssertions.t.sol"),
            PathKind::Dependency
        );
        assert_eq!(
            classify_path("node_modules/@openzeppelin/contracts/token/ERC20/ERC20.sol"),
            PathKind::Dependency
        );
        assert_eq!(
            classify_path("packages/core/node_modules/x/A.sol"),
            PathKind::Dependency
        );
        assert_eq!(
            classify_path("dependencies/solady/src/A.sol"),
            PathKind::Dependency
        );
    }

    #[test]
    fn nested_lib_folders_are_the_projects_own_code() {
        assert_eq!(classify_path("contracts/lib/Math.sol"), PathKind::Source);
        assert_eq!(classify_path("src/libraries/Tick.sol"), PathKind::Source);
    }

    #[test]
    fn tests_mocks_and_scripts_are_recognised_by_folder_and_name() {
        assert_eq!(classify_path("test/Vault.t.sol"), PathKind::Test);
        assert_eq!(classify_path("src/Vault.t.sol"), PathKind::Test);
        assert_eq!(classify_path("contracts/tests/Helper.sol"), PathKind::Test);
        assert_eq!(classify_path("contracts/mocks/Token.sol"), PathKind::Mock);
        assert_eq!(classify_path("src/mock/Oracle.sol"), PathKind::Mock);
        assert_eq!(classify_path("src/MockERC20.sol"), PathKind::Mock);
        assert_eq!(classify_path("src/ERC20Mock.sol"), PathKind::Mock);
        assert_eq!(classify_path("script/Deploy.s.sol"), PathKind::Script);
        assert_eq!(classify_path("src/Deploy.s.sol"), PathKind::Script);
    }

    #[test]
    fn ordinary_sources_including_lookalike_names_are_sources() {
        assert_eq!(classify_path("src/Vault.sol"), PathKind::Source);
        assert_eq!(classify_path("./src/Mockingbird.sol"), PathKind::Source);
        assert_eq!(classify_path("src/Testament.sol"), PathKind::Source);
        assert_eq!(
            classify_path("contracts\\token\\ERC20.sol"),
            PathKind::Source
        );
        assert_eq!(classify_path("Token.sol"), PathKind::Source);
    }
}
