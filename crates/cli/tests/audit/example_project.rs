//! The README's main command: `bulwark audit examples/vulnerable-vault`
//! must report every bug planted in the example (listed in its README).

use std::path::Path;

use serde_json::Value;

use crate::common::bulwark_in;

/// `(detector, file, line)` of every location of every finding: a bug may
/// be reported as a related location of a finding with the same root cause
/// (one `integer-overflow` finding per unchecked input, say).
fn all_sites(report: &Value) -> Vec<(String, String, u64)> {
    let mut sites = Vec::new();
    for finding in report["findings"].as_array().expect("findings") {
        let detector = finding["detector"].as_str().unwrap().to_string();
        for location in finding["locations"].as_array().expect("locations") {
            sites.push((
                detector.clone(),
                location["file"].as_str().unwrap().to_string(),
                location["start_line"].as_u64().unwrap(),
            ));
        }
    }
    sites
}

#[test]
fn example_project_findings() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/vulnerable-vault");
    let run = bulwark_in(&example, &["audit", "--format", "json"]);
    run.assert_code(1);
    let found = all_sites(&run.json());
    let planted = [
        ("reentrancy-eth", "src/Vault.sol", 22),
        ("tx-origin", "src/Vault.sol", 29),
        ("unprotected-selfdestruct", "src/Vault.sol", 35),
        ("unchecked-low-level-call", "src/Vault.sol", 41),
        ("weak-prng", "src/Lottery.sol", 16),
        ("integer-overflow", "src/LegacyToken.sol", 14),
        ("integer-overflow", "src/LegacyToken.sol", 15),
        ("integer-overflow", "src/LegacyToken.sol", 16),
        ("integer-overflow", "src/LegacyToken.sol", 21),
        ("integer-overflow", "src/LegacyToken.sol", 25),
    ];
    let missing: Vec<_> = planted
        .iter()
        .filter(|(detector, file, line)| {
            !found.contains(&(detector.to_string(), file.to_string(), *line))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "not reported: {missing:?}\nfound: {found:?}"
    );
}
