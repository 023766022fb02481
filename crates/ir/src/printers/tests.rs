//! Printer output on the fixtures.

use crate::testutil::Fixture;
use crate::ProjectIr;

const BANK: &str = include_str!("../../tests/fixtures/bank.sol");
const WALLET: &str = include_str!("../../tests/fixtures/legacy_wallet.sol");
const NAMESPACED: &str = include_str!("../../tests/fixtures/namespaced_guard.sol");

/// The DOT id of the node labelled `label`.
fn id_of(dot: &str, label: &str) -> String {
    let needle = format!("[label=\"{label}\"");
    let line = dot
        .lines()
        .find(|l| l.contains(&needle))
        .unwrap_or_else(|| panic!("no node {label}\n{dot}"));
    line.trim().split(' ').next().unwrap().to_string()
}

#[test]
fn call_graph_has_every_edge_kind() {
    let fx = Fixture::new(BANK);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let dot = super::call_graph_dot(&ir);
    assert!(dot.starts_with("digraph call_graph {"), "{dot}");
    assert!(dot.contains("label=\"Bank (t.sol)\""), "{dot}");
    assert!(dot.contains("label=\"IERC20 (t.sol)\""), "{dot}");
    let withdraw = id_of(&dot, "withdraw(uint256)");
    let non_reentrant = id_of(&dot, "nonReentrant()");
    let debit = id_of(&dot, "debit(struct Ledger.Book,address,uint256)");
    let transfer = id_of(&dot, "transfer(address,uint256)");
    let sweep = id_of(&dot, "sweep()");
    let expect = [
        format!("{withdraw} -> {non_reentrant} [style=dashed, label=\"modifier\"];"),
        format!("{withdraw} -> {debit};"),
        format!("{withdraw} -> lowlevel_call [color=\"#d62728\", label=\"call\"];"),
        format!("{sweep} -> {transfer} [color=\"#1f77b4\", label=\"external\"];"),
        "lowlevel_call [label=\"<call>\"".to_string(),
    ];
    for e in expect {
        assert!(dot.contains(&e), "missing {e}\n{dot}");
    }
    // Modifiers are hexagons; base constructors dotted.
    assert!(
        dot.contains("[label=\"onlyOwner()\", shape=hexagon]"),
        "{dot}"
    );
    assert!(dot.contains("label=\"base constructor\""), "{dot}");
    // Virtual dispatch in the caller's contract: Bank.checkedBalance calls
    // Bank._quote; PremiumBank._quote reaches Bank._quote through super.
    assert!(dot.contains("label=\"super\""), "{dot}");
}

#[test]
fn function_summary_lists_calls_and_state() {
    let fx = Fixture::new(BANK);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let text = super::function_summary(&ir);
    let bank = text
        .split("\n\n")
        .find(|s| s.starts_with("contract Bank "))
        .unwrap_or_else(|| panic!("{text}"));
    let expected_withdraw = "  function withdraw(uint256) external nonpayable
    modifiers: Locked.nonReentrant()
    internal calls: Ledger.debit(struct Ledger.Book,address,uint256)
    external calls: -
    low-level calls: call
    events: Withdrawn
    state read: Bank.book, Locked._status
    state written: Bank.book, Locked._status
";
    assert!(bank.contains(expected_withdraw), "{bank}");
    assert!(
        bank.contains("  linearization: Bank -> Locked -> Owned"),
        "{bank}"
    );
    assert!(
        bank.contains(
            "  function setFee(uint256) external nonpayable
    modifiers: Owned.onlyOwner()
    internal calls: -
    external calls: -
    state read: Owned.owner
    state written: Bank.fee
"
        ),
        "{bank}"
    );
    // Inherited functions are marked with their origin.
    assert!(bank.contains("[from Owned]"), "{bank}");
    // The derived contract's view of checkedBalance reads `premium`
    // through the override.
    let premium = text
        .split("\n\n")
        .find(|s| s.starts_with("contract PremiumBank "))
        .unwrap();
    let checked = premium
        .split("  function ")
        .find(|s| s.starts_with("checkedBalance()"))
        .unwrap();
    assert!(checked.contains("PremiumBank.premium"), "{checked}");
}

#[test]
fn legacy_summary() {
    let fx = Fixture::new(WALLET);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let text = super::function_summary(&ir);
    assert!(text.contains("  constructor() public nonpayable"), "{text}");
    assert!(
        text.contains("  function fallback() public payable"),
        "{text}"
    );
    assert!(text.contains("    low-level calls: call"), "{text}");
    assert!(text.contains("    low-level calls: send"), "{text}");
    let dot = super::call_graph_dot(&ir);
    assert!(dot.contains("lowlevel_send"), "{dot}");
    assert!(
        dot.contains("lowlevel_selfdestruct [label=\"<selfdestruct>\""),
        "{dot}"
    );
    assert!(text.contains("    low-level calls: selfdestruct"), "{text}");
}

#[test]
fn summary_shows_namespaced_storage() {
    let fx = Fixture::new(NAMESPACED);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let text = super::function_summary(&ir);
    let pull = text
        .split("  function ")
        .find(|s| s.starts_with("pull()"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        pull.contains("    namespaced storage written: GuardStorage._status\n"),
        "{pull}"
    );
}

#[test]
#[ignore = "prints the fixtures' output for eyeballing"]
fn show() {
    let fx = Fixture::new(BANK);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    println!("{}", super::function_summary(&ir));
    println!("{}", super::call_graph_dot(&ir));
}
