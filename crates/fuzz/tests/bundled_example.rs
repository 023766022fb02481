//! The README's example (examples/fuzz) behaves as documented: both
//! bookkeeping properties break, the third holds, and each failure shrinks
//! to the two calls that matter.

mod common;

use bulwark_fuzz::prepare;

#[test]
fn bank_example_breaks_and_shrinks_to_two_calls() {
    let mut opts = common::options("unused", None, 3000);
    opts.path = common::repo_root().join("examples/fuzz");
    let session = prepare(&opts, &common::manager()).unwrap();
    assert_eq!(session.harness_name(), "BankProperties");
    let result = session.run(&opts.campaign, None).unwrap();
    let outcomes = session.property_outcomes(&result);
    let broken: Vec<&str> = outcomes
        .iter()
        .filter(|(_, f)| f.is_some())
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(broken, vec!["echidna_accounting_exact", "echidna_solvent"]);
    for view in session.failures(&result) {
        assert_eq!(view.calls.len(), 2, "{}: {:#?}", view.title, view.calls);
        assert!(
            view.calls[0].starts_with("BankProperties.deposit{value: "),
            "{:?}",
            view.calls
        );
        assert!(
            view.calls[1].starts_with("BankProperties.withdraw("),
            "{:?}",
            view.calls
        );
        let loc = view.location.expect("property location");
        assert_eq!(loc.file, "Bank.sol");
        assert_eq!(loc.function.as_deref(), Some(view.name.as_str()));
    }
}
