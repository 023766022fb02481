//! A small hand-built audit report shared by the renderer tests.

#![allow(dead_code)]

use bulwark_report::{
    apply_suppressions, assign_fingerprints, AuditReport, Confidence, FileInfo, Finding,
    InputError, Location, RuleDocs, RuleMeta, Severity, ToolInfo, UnusedSuppression,
};

pub const VAULT: &str = include_str!("../data/Vault.sol");
pub const LOTTERY: &str = include_str!("../data/Lottery.sol");

/// The location of the `nth` (0-based) occurrence of `needle` in `source`.
pub fn locate(file: &str, source: &str, needle: &str, nth: usize) -> Location {
    let start = source
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` occurs fewer than {} times", nth + 1))
        .0;
    Location::from_byte_range(file, source, start..start + needle.len())
}

pub fn rule(id: &str, title: &str, severity: Severity, swc: &[&str]) -> RuleMeta {
    RuleMeta {
        id: id.to_string(),
        title: title.to_string(),
        severity,
        confidence: Confidence::High,
        swc: swc.iter().map(|s| s.to_string()).collect(),
        summary: format!("Reports {title}."),
        docs: RuleDocs::default(),
    }
}

pub fn rules() -> Vec<RuleMeta> {
    let mut reentrancy = rule(
        "reentrancy-eth",
        "Reentrancy with ETH transfer",
        Severity::High,
        &["SWC-107"],
    );
    reentrancy.summary =
        "State is written after an external call that sends ETH and can re-enter.".to_string();
    reentrancy.docs = RuleDocs {
        what: "Finds external calls that send ETH and are followed by a write to state the call's callee can observe.".to_string(),
        why: "The callee runs arbitrary code before the write and can call back into the contract while its books are stale.".to_string(),
        exploit: "```solidity\nfunction withdraw(uint a) external {\n    (bool ok, ) = msg.sender.call{value: a}(\"\");\n    balances[msg.sender] -= a;\n}\n```\n1. The attacker's `receive()` calls `withdraw` again.\n2. Each nested call still sees the old balance,\n   so the vault pays out until it is empty.".to_string(),
        fix: "Apply checks-effects-interactions: update `balances` **before** the call, or use a reentrancy lock.".to_string(),
        references: vec![
            "https://swcregistry.io/docs/SWC-107".to_string(),
            "The DAO incident, 2016".to_string(),
        ],
    };
    let mut tx_origin = rule(
        "tx-origin",
        "Authorisation through tx.origin",
        Severity::Medium,
        &["SWC-115"],
    );
    tx_origin.docs.why =
        "A contract the owner calls can act with the owner's authority.".to_string();
    tx_origin.docs.fix = "Compare `msg.sender` instead.".to_string();
    let mut selfdestruct = rule(
        "unprotected-selfdestruct",
        "Unprotected selfdestruct",
        Severity::High,
        &["SWC-106"],
    );
    selfdestruct.docs.exploit =
        "Anyone calls `close()` and receives the balance: <script>alert(1)</script>".to_string();
    vec![reentrancy, tx_origin, selfdestruct]
}

/// Two files, four findings (one from a detector without metadata, one an
/// unused suppression), one input error.
pub fn sample_report() -> AuditReport {
    let vault = "src/Vault.sol";
    let lottery = "src/Lottery.sol";
    let rules = rules();

    let reentrancy = Finding::from_rule(
        &rules[0],
        "`Vault.withdraw` sends ETH to `msg.sender` and then writes `balances`; the recipient can re-enter before the write",
        locate(vault, VAULT, "(bool ok, ) = msg.sender.call{value: amount}(\"\");", 0)
            .with_contract("Vault")
            .with_function("withdraw"),
    )
    .with_related(
        locate(vault, VAULT, "balances[msg.sender] -= amount;", 0)
            .with_contract("Vault")
            .with_function("withdraw")
            .with_label("state written after the call"),
    );
    let tx_origin = Finding::from_rule(
        &rules[1],
        "`Vault.sweep` authorises the caller with `tx.origin == owner`",
        locate(vault, VAULT, "tx.origin == owner", 0)
            .with_contract("Vault")
            .with_function("sweep"),
    );
    let selfdestruct = Finding::from_rule(
        &rules[2],
        "`Vault.close` lets any caller destroy the contract",
        locate(vault, VAULT, "selfdestruct(payable(msg.sender));", 0)
            .with_contract("Vault")
            .with_function("close"),
    );
    // A multi-line primary location, a detector with no rule metadata and
    // a category beside the SWC id.
    let draw_start = LOTTERY.find("uint winner").unwrap();
    let draw_end = LOTTERY.find("% players.length;").unwrap() + "% players.length;".len();
    let weak_prng = Finding {
        detector: "weak-prng".to_string(),
        title: "Weak randomness from block values".to_string(),
        severity: Severity::High,
        confidence: Confidence::Medium,
        swc: vec!["SWC-120".to_string()],
        categories: vec!["bad_randomness".to_string()],
        message: "`Lottery.draw` picks the winner from `block.timestamp` and `block.difficulty`, which miners influence".to_string(),
        locations: vec![Location::from_byte_range(lottery, LOTTERY, draw_start..draw_end)
            .with_contract("Lottery")
            .with_function("draw")],
        fingerprint: String::new(),
    };
    let files = vec![
        FileInfo::new(vault, VAULT).with_contracts(vec!["Vault".to_string()]),
        FileInfo::new(lottery, LOTTERY).with_contracts(vec!["Lottery".to_string()]),
    ];
    let mut findings = vec![weak_prng, tx_origin, selfdestruct, reentrancy];
    assign_fingerprints(&mut findings, &files);
    // The stale directive in Vault.sol becomes an `unused-suppression` finding.
    let outcome = apply_suppressions(
        findings,
        files.iter().map(|f| (f.path.as_str(), f.source.as_str())),
    );
    let mut findings = outcome.kept;
    findings.extend(outcome.unused.iter().map(UnusedSuppression::to_finding));
    assign_fingerprints(&mut findings, &files);
    let mut all_rules = rules;
    all_rules.push(bulwark_report::unused_suppression_rule());

    AuditReport {
        tool: ToolInfo::bulwark("0.0.0-test"),
        root: "examples/vault".to_string(),
        root_uri: Some("file:///work/examples/vault/".to_string()),
        generated_at: Some("2025-01-01 00:00 UTC".to_string()),
        files,
        findings,
        errors: vec![InputError {
            file: Some("src/Broken.sol".to_string()),
            line: Some(3),
            column: Some(5),
            message: "expected `;` after the expression; the rest of the file was still analysed"
                .to_string(),
        }],
        warnings: vec![],
        rules: all_rules,
    }
}
