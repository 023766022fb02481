//! The user guide and `--help` must describe the same command: every flag
//! `bulwark audit --help` lists has an entry in `docs/audit.md`, and every
//! flag the guide documents exists.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::bulwark;

/// `--long-flag` names at the start of the option lines of `--help`.
fn flags_in_help() -> BTreeSet<String> {
    let run = bulwark(&["audit", "--help"]);
    run.assert_code(0);
    run.stdout
        .lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with('-'))
        .filter_map(|line| {
            line.split([',', ' ', '='])
                .find(|word| word.starts_with("--"))
                .map(str::to_string)
        })
        .filter(|flag| flag != "--help")
        .collect()
}

/// Flags documented in the guide's flag table: rows starting with `` | `--``.
fn flags_in_guide() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/audit.md");
    let guide = std::fs::read_to_string(&path).unwrap();
    guide
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter(|rest| rest.starts_with("--") || rest.starts_with("-"))
        .filter_map(|rest| {
            rest.split(['`', ',', ' ', '='])
                .find(|word| word.starts_with("--"))
                .map(str::to_string)
        })
        .collect()
}

#[test]
fn help_and_guide_list_the_same_flags() {
    let help = flags_in_help();
    assert!(help.contains("--fail-on"), "parsed {help:?}");
    assert_eq!(help, flags_in_guide(), "left: --help, right: docs/audit.md");
}

#[test]
fn help_states_the_exit_codes() {
    let help = bulwark(&["audit", "--help"]).stdout;
    assert!(
        help.contains(
            "0 = no finding at or above --fail-on, 1 = at least one, 2 = usage or input error"
        ),
        "{help}"
    );
}
