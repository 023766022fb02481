//! Fingerprints identify a finding across commits: adding unrelated lines
//! above it moves its line but keeps its fingerprint; editing the flagged
//! statement changes it.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{bulwark_in, scratch_copy, FIXTURE_DETECTORS};

/// `detector → (fingerprint, line)` of a JSON audit of `project`.
fn fingerprints(project: &Path) -> BTreeMap<String, (String, u64)> {
    let run = bulwark_in(
        project,
        &[
            "audit",
            "--format",
            "json",
            "--detectors",
            FIXTURE_DETECTORS,
        ],
    );
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["detector"].as_str().unwrap().to_string(),
                (
                    f["fingerprint"].as_str().unwrap().to_string(),
                    f["locations"][0]["start_line"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn fingerprints_survive_unrelated_lines_added_above() {
    let (_dir, project) = scratch_copy("foundry-project");
    let before = fingerprints(&project);
    assert_eq!(before.len(), 2, "{before:?}");

    edit(
        &project.join("src/Treasury.sol"),
        "    uint256 public limit;\n",
        "    uint256 public limit;\n    uint256 public cap;\n\n    /// Added later.\n    function setCap(uint256 newCap) external onlyOwner {\n        cap = newCap;\n    }\n",
    );
    let after = fingerprints(&project);
    for (detector, (fingerprint, line)) in &before {
        let (moved_fingerprint, moved_line) = &after[detector];
        assert_eq!(moved_line, &(line + 6), "{detector} moved down six lines");
        assert_eq!(
            moved_fingerprint, fingerprint,
            "{detector} kept its fingerprint"
        );
    }
}

#[test]
fn editing_the_flagged_statement_changes_its_fingerprint() {
    let (_dir, project) = scratch_copy("foundry-project");
    let before = fingerprints(&project);
    edit(
        &project.join("src/Treasury.sol"),
        "require(tx.origin == owner, \"not owner\");",
        "require(tx.origin == owner, \"only the owner\");",
    );
    let after = fingerprints(&project);
    assert_ne!(after["tx-origin"].0, before["tx-origin"].0);
    assert_eq!(
        after["unprotected-selfdestruct"].0,
        before["unprotected-selfdestruct"].0
    );
}
