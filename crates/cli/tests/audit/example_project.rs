//! The README's main command: `bulwark audit examples/vulnerable-vault`
//! must report every bug planted in the example (listed in its README).

use std::path::Path;

use crate::common::{bulwark_in, finding_sites};

#[test]
fn example_project_findings() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/vulnerable-vault");
    let run = bulwark_in(&example, &["audit", "--format", "json"]);
    run.assert_code(1);
    let found = finding_sites(&run.json());
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
