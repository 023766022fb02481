//! Exit code 2, with a message that names the file (and line) and says
//! what to do, for every way the input or the command line can be wrong.
//! Nothing here may end in a silent empty report.

use std::path::Path;

use crate::common::{bulwark, bulwark_in, scratch_copy, Run};

/// Exit 2, nothing on stdout, and every `expected` piece on stderr.
#[track_caller]
fn assert_usage_error(run: &Run, expected: &[&str]) {
    run.assert_code(2);
    assert_eq!(run.stdout, "", "no report may be printed");
    for piece in expected {
        assert!(
            run.stderr.contains(piece),
            "stderr lacks {piece:?}:\n{}",
            run.stderr
        );
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CLEAN_CONTRACT: &str =
    "pragma solidity ^0.8.0;\ncontract Clean {\n    uint256 public x;\n}\n";

#[test]
fn a_misspelt_flag_is_a_usage_error_with_a_suggestion() {
    let run = bulwark(&["audit", "--formt", "json", "single-file"]);
    assert_usage_error(
        &run,
        &[
            "unexpected argument '--formt'",
            "a similar argument exists: '--format'",
        ],
    );
}

#[test]
fn an_unknown_format_lists_the_formats() {
    let run = bulwark(&["audit", "--format", "xml", "single-file"]);
    assert_usage_error(
        &run,
        &["expected one of: terminal, json, sarif, markdown, html"],
    );
}

#[test]
fn an_unknown_detector_on_the_command_line_names_the_flag_and_the_fix() {
    let run = bulwark(&["audit", "single-file", "--detectors", "tx-orgin"]);
    assert_usage_error(
        &run,
        &[
            "error: unknown detector `tx-orgin` in --detectors",
            "help: did you mean `tx-origin`?",
            "`bulwark detectors` lists every detector id",
        ],
    );
    let run = bulwark(&["audit", "single-file", "--severity", "tx-orign=low"]);
    assert_usage_error(&run, &["unknown detector `tx-orign` in --severity"]);
    let run = bulwark(&["audit", "single-file", "--exclude-detectors", "nonsense"]);
    assert_usage_error(
        &run,
        &["unknown detector `nonsense` in --exclude-detectors"],
    );
}

#[test]
fn malformed_flag_values_are_usage_errors() {
    let run = bulwark(&["audit", "single-file", "--severity", "tx-origin"]);
    assert_usage_error(&run, &["expected ID=SEVERITY, found `tx-origin`"]);
    let run = bulwark(&["audit", "single-file", "--fail-on", "sometimes"]);
    assert_usage_error(&run, &["unknown fail-on value `sometimes`"]);
    let run = bulwark(&["audit", "single-file", "--remap", "no-equals-sign"]);
    assert_usage_error(
        &run,
        &["invalid --remap `no-equals-sign`: expected `[context:]prefix=target`"],
    );
    let run = bulwark(&["audit", "single-file", "--include", "src/[oops"]);
    assert_usage_error(&run, &["invalid glob `src/[oops` in `--include`"]);
}

#[test]
fn a_missing_path_is_named() {
    let run = bulwark(&["audit", "does-not-exist"]);
    assert_usage_error(&run, &["error: does-not-exist: no such file or directory"]);
}

#[test]
fn a_directory_without_solidity_files_is_an_error_not_an_empty_report() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("empty/README.md"), "no contracts here\n");
    let run = bulwark_in(dir.path(), &["audit", "empty"]);
    assert_usage_error(&run, &["error: empty: no .sol file found"]);
}

#[test]
fn a_file_that_is_not_solidity_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("notes.txt"), "contract? no.\n");
    let run = bulwark_in(dir.path(), &["audit", "notes.txt"]);
    assert_usage_error(
        &run,
        &["error: notes.txt: not a Solidity file (pass `.sol` files, a directory"],
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_source_fails_the_run_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("src/Clean.sol"), CLEAN_CONTRACT);
    // A dangling link cannot be read even by root (tests may run as root,
    // where permission bits do not stop reads).
    std::os::unix::fs::symlink("nowhere/Gone.sol", dir.path().join("src/Gone.sol")).unwrap();
    let run = bulwark_in(dir.path(), &["audit", "src", "--format", "json"]);
    run.assert_code(2);
    let report = run.json();
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["file"], "Gone.sol");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("cannot read"),
        "{errors:?}"
    );
    assert!(run.stderr.contains("error: Gone.sol"), "{}", run.stderr);
}

#[test]
fn a_syntax_error_in_an_audited_file_fails_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("Broken.sol"),
        "pragma solidity ^0.8.0;\ncontract Broken {\n    function f() public {\n        uint256 x = 1\n    }\n}\n",
    );
    let run = bulwark_in(dir.path(), &["audit", "Broken.sol"]);
    run.assert_code(2);
    assert!(
        run.stdout.contains("error: syntax error: expected ';'"),
        "{}",
        run.stdout
    );
    // The exact position is the parser's business (its own tests pin it);
    // here it must be a `file:line:col` pointing into the broken function.
    let position = run
        .stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("--> Broken.sol:"))
        .unwrap_or_else(|| panic!("no position in:\n{}", run.stdout));
    let (line, column) = position.split_once(':').unwrap();
    assert!(matches!(line, "4" | "5"), "{position}");
    assert!(column.parse::<u32>().unwrap() > 0, "{position}");
    assert!(
        run.stderr.contains("1 input error(s) in audited files"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_import_fails_with_the_import_position_and_the_remedy() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("Token.sol"),
        "pragma solidity ^0.8.0;\nimport \"@openzeppelin/contracts/token/ERC20/ERC20.sol\";\ncontract Token is ERC20 {}\n",
    );
    let run = bulwark_in(dir.path(), &["audit", "Token.sol", "--format", "json"]);
    run.assert_code(2);
    let report = run.json();
    let error = &report["errors"][0];
    assert_eq!(error["file"], "Token.sol");
    assert_eq!(error["line"], 2);
    assert_eq!(error["column"], 8);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("add a remapping"),
        "{error}"
    );
    assert!(
        run.stderr.contains("error: Token.sol:2:8: import \"@openzeppelin/contracts/token/ERC20/ERC20.sol\" not found"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_syntax_error_in_a_dependency_is_listed_but_does_not_fail_the_run() {
    let (_dir, project) = scratch_copy("foundry-project");
    let owned = project.join("lib/dep/src/Owned.sol");
    let mut text = std::fs::read_to_string(&owned).unwrap();
    text.push_str("\ncontract Broken { function }\n");
    std::fs::write(&owned, text).unwrap();
    let run = bulwark_in(
        &project,
        &["audit", "--format", "json", "--fail-on", "none"],
    );
    run.assert_code(0);
    let report = run.json();
    let errors = report["errors"].as_array().unwrap();
    assert!(!errors.is_empty());
    assert!(
        errors.iter().all(|e| e["file"] == "lib/dep/src/Owned.sol"),
        "{errors:?}"
    );
}

#[test]
fn an_unwritable_output_file_is_an_error() {
    let run = bulwark(&[
        "audit",
        "single-file",
        "--output",
        "no-such-folder/report.json",
    ]);
    assert_usage_error(
        &run,
        &["error: cannot write the report to no-such-folder/report.json"],
    );
}

#[test]
fn a_foundry_root_without_its_source_folder_says_which_folder_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("app/foundry.toml"),
        "[profile.default]\nsrc = \"src\"\n",
    );
    write(&dir.path().join("app/contracts/Clean.sol"), CLEAN_CONTRACT);
    let run = bulwark_in(dir.path(), &["audit", "app"]);
    assert_usage_error(
        &run,
        &["error: app: the Foundry source folder `src` does not exist; set `src` in foundry.toml, or audit the folder that holds the contracts: `bulwark audit app/<folder>`"],
    );

    write(
        &dir.path().join("app/foundry.toml"),
        "[profile.default\nsrc = \"contracts\"\n",
    );
    let run = bulwark_in(dir.path(), &["audit", "app"]);
    assert_usage_error(&run, &["error: app: foundry.toml is not valid TOML ("]);
}

#[test]
fn a_hardhat_root_without_contracts_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("app/hardhat.config.ts"),
        "export default {};\n",
    );
    write(&dir.path().join("app/src/Clean.sol"), CLEAN_CONTRACT);
    let run = bulwark_in(dir.path(), &["audit", "app"]);
    assert_usage_error(
        &run,
        &["error: app: the Hardhat source folder `contracts` does not exist"],
    );
    // Auditing the folder that holds the contracts works.
    bulwark_in(dir.path(), &["audit", "app/src"]).assert_code(0);
}

#[test]
fn quiet_still_prints_the_errors_behind_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("Token.sol"),
        "pragma solidity ^0.8.0;\nimport \"./Base.sol\";\ncontract Token is Base {}\n",
    );
    let run = bulwark_in(
        dir.path(),
        &["audit", "Token.sol", "-q", "--format", "sarif"],
    );
    run.assert_code(2);
    assert!(
        run.stderr
            .starts_with("error: Token.sol:2:8: import \"./Base.sol\" not found"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: 1 input error(s) in audited files"),
        "{}",
        run.stderr
    );
}
