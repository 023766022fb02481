//! Fingerprints must survive unrelated edits and change when the flagged
//! statement or its function changes. Each test plays a "detector" that
//! reports the same statement before and after an edit, as a real detector
//! would (it reports wherever the statement now is).

use std::collections::BTreeMap;

use bulwark_report::{assign_fingerprints, Confidence, Finding, Location, Severity};

const FILE: &str = "src/Bank.sol";

const ORIGINAL: &str = r#"pragma solidity ^0.8.0;

contract Bank {
    mapping(address => uint256) balances;

    function withdraw(uint256 amount) external {
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok);
        balances[msg.sender] -= amount;
    }
}
"#;

/// A finding on the `nth` occurrence of `statement` in `source`, inside
/// `Bank.<function>`.
fn finding_on(source: &str, statement: &str, nth: usize, function: &str) -> Finding {
    let start = source
        .match_indices(statement)
        .nth(nth)
        .unwrap_or_else(|| panic!("statement `{statement}` not found"))
        .0;
    let primary = Location::from_byte_range(FILE, source, start..start + statement.len())
        .with_contract("Bank")
        .with_function(function);
    Finding {
        detector: "reentrancy-eth".into(),
        title: "Reentrancy".into(),
        severity: Severity::High,
        confidence: Confidence::High,
        swc: vec!["SWC-107".into()],
        categories: vec![],
        // Messages may mention line numbers; the fingerprint must not use them.
        message: format!("call at byte {start}"),
        locations: vec![primary],
        fingerprint: String::new(),
    }
}

fn fingerprints(source: &str, mut findings: Vec<Finding>) -> Vec<String> {
    let sources = BTreeMap::from([(FILE.to_string(), source.to_string())]);
    assign_fingerprints(&mut findings, &sources);
    findings.into_iter().map(|f| f.fingerprint).collect()
}

fn single(source: &str, statement: &str, function: &str) -> String {
    fingerprints(source, vec![finding_on(source, statement, 0, function)]).remove(0)
}

const CALL: &str = r#"(bool ok, ) = msg.sender.call{value: amount}("");"#;

#[test]
fn moving_the_code_down_keeps_the_fingerprint() {
    let moved = ORIGINAL.replace(
        "contract Bank {",
        "\n\n\n// A comment block\n// added above\ncontract Bank {",
    );
    assert_eq!(
        single(ORIGINAL, CALL, "withdraw"),
        single(&moved, CALL, "withdraw")
    );
}

#[test]
fn adding_unrelated_code_keeps_the_fingerprint() {
    let extended = ORIGINAL.replace(
        "    function withdraw",
        "    function deposit() external payable {\n        balances[msg.sender] += msg.value;\n    }\n\n    function withdraw",
    );
    let before = single(ORIGINAL, CALL, "withdraw");
    assert_eq!(before, single(&extended, CALL, "withdraw"));
    // Even code added inside the same function, before the statement.
    let longer = ORIGINAL.replace(
        "    function withdraw(uint256 amount) external {\n",
        "    function withdraw(uint256 amount) external {\n        require(amount > 0);\n",
    );
    assert_eq!(before, single(&longer, CALL, "withdraw"));
}

#[test]
fn reformatting_the_statement_keeps_the_fingerprint() {
    let reformatted = ORIGINAL.replace(
        CALL,
        "(bool ok,)=msg.sender.call{ value : amount }( \"\" ); // pay out",
    );
    let reformatted_call = "(bool ok,)=msg.sender.call{ value : amount }( \"\" );";
    assert_eq!(
        single(ORIGINAL, CALL, "withdraw"),
        single(&reformatted, reformatted_call, "withdraw")
    );
    let split = ORIGINAL.replace(
        CALL,
        "(bool ok, ) = msg.sender.call{\n            value: amount\n        }(\"\");",
    );
    let split_call = "(bool ok, ) = msg.sender.call{\n            value: amount\n        }(\"\");";
    assert_eq!(
        single(ORIGINAL, CALL, "withdraw"),
        single(&split, split_call, "withdraw")
    );
}

#[test]
fn changing_the_vulnerable_statement_changes_the_fingerprint() {
    let changed_call = r#"(bool ok, ) = msg.sender.call{value: amount * 2}("");"#;
    let changed = ORIGINAL.replace(CALL, changed_call);
    assert_ne!(
        single(ORIGINAL, CALL, "withdraw"),
        single(&changed, changed_call, "withdraw")
    );
}

#[test]
fn changing_the_function_changes_the_fingerprint() {
    let renamed = ORIGINAL.replace("function withdraw", "function withdrawAll");
    assert_ne!(
        single(ORIGINAL, CALL, "withdraw"),
        single(&renamed, CALL, "withdrawAll")
    );
}

#[test]
fn identical_statements_in_one_function_get_distinct_stable_fingerprints() {
    let twice = ORIGINAL.replace(
        "        require(ok);\n",
        &format!("        require(ok);\n        {CALL}\n"),
    );
    let pair = |source: &str| {
        // Report them in reverse order: numbering follows the source, not the detector.
        fingerprints(
            source,
            vec![
                finding_on(source, CALL, 1, "withdraw"),
                finding_on(source, CALL, 0, "withdraw"),
            ],
        )
    };
    let before = pair(&twice);
    assert_ne!(before[0], before[1]);
    let moved = format!("// header\n\n{twice}");
    assert_eq!(before, pair(&moved));
}

/// A finding whose primary location is the whole `withdraw` function, as a
/// function-level detector might report it.
fn function_finding(source: &str) -> String {
    let start = source.find("    function withdraw").unwrap() + 4;
    let end = source[start..].find("\n    }").unwrap() + start + "\n    }".len();
    let primary = Location::from_byte_range(FILE, source, start..end)
        .with_contract("Bank")
        .with_function("withdraw");
    let finding = Finding {
        detector: "missing-guard".into(),
        title: "t".into(),
        severity: Severity::Low,
        confidence: Confidence::Low,
        swc: vec![],
        categories: vec![],
        message: "m".into(),
        locations: vec![primary],
        fingerprint: String::new(),
    };
    fingerprints(source, vec![finding]).remove(0)
}

#[test]
fn findings_spanning_a_function_survive_edits_to_its_body_but_not_its_signature() {
    let before = function_finding(ORIGINAL);
    let body_edited = ORIGINAL.replace(
        "        require(ok);\n",
        "        require(ok, \"failed\");\n        emit Paid(amount);\n",
    );
    assert_eq!(before, function_finding(&body_edited));
    let signature_edited = ORIGINAL.replace(
        "withdraw(uint256 amount) external",
        "withdraw(uint256 amount) public",
    );
    assert_ne!(before, function_finding(&signature_edited));
}
