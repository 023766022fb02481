//! The fuzzer finds every bug planted in the fixture harnesses with a fixed
//! seed and budget, shrinks it, and stays quiet on the control harness.

mod common;

use std::collections::HashSet;

use alloy_dyn_abi::DynSolValue;
use bulwark_fuzz::campaign::{CampaignResult, FailureKey, FailureRecord};
use bulwark_fuzz::harness::Mode;
use bulwark_fuzz::Session;
use common::fuzz_fixture;

fn function_names(session: &Session, f: &FailureRecord) -> Vec<String> {
    f.sequence
        .iter()
        .map(|c| {
            session.world.targets[c.target].functions[c.func]
                .function
                .name
                .clone()
        })
        .collect()
}

fn property_failure<'r>(
    session: &Session,
    result: &'r CampaignResult,
    name: &str,
) -> Option<&'r FailureRecord> {
    session
        .property_outcomes(result)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no property {name}"))
        .1
}

#[test]
fn sequence_dependent_state_machine() {
    let (session, result) = fuzz_fixture("StateMachine.sol", None, 3000);
    assert_eq!(session.mode(), Mode::Property);
    let failure = property_failure(&session, &result, "echidna_stays_locked")
        .expect("echidna_stays_locked should be broken");
    assert_eq!(
        function_names(&session, failure),
        vec!["open", "turn", "release"],
        "shrunk to the minimal sequence"
    );
    assert_eq!(
        failure.sequence[1].args,
        vec![DynSolValue::Uint(alloy_primitives::U256::from(42), 256)]
    );
    assert!(
        property_failure(&session, &result, "echidna_stage_in_range").is_none(),
        "stage stays in range"
    );
    assert_eq!(
        result.failures.len(),
        1,
        "nothing else fails: {:?}",
        result.failures
    );
}

#[test]
fn magic_constant_behind_assertion_event() {
    let (session, result) = fuzz_fixture("MagicConstant.sol", Some("MagicConstant"), 3000);
    assert_eq!(session.mode(), Mode::Assertion);
    assert_eq!(result.failures.len(), 1, "{:?}", result.failures);
    let f = &result.failures[0];
    assert_eq!(
        f.key,
        FailureKey::Assertion("AssertionFailed(owner changed)".into())
    );
    assert_eq!(function_names(&session, f), vec!["configure"]);
    assert_eq!(
        f.sequence[0].args[0],
        DynSolValue::Uint(alloy_primitives::U256::from(0x5eed_c0de_1234_abcdu64), 64)
    );
}

#[test]
fn time_dependent_vesting() {
    let (session, result) = fuzz_fixture("Vesting.sol", None, 3000);
    let f =
        property_failure(&session, &result, "echidna_never_overpays").expect("over-payment found");
    assert_eq!(function_names(&session, f), vec!["claim"]);
    let waited: u64 = f.sequence.iter().map(|c| c.warp).sum();
    assert!(
        waited > 30 * 86_400,
        "needs more than 30 days, waited {waited}"
    );
    // Shrinking brings the delay down close to the threshold (within 2x).
    assert!(waited <= 60 * 86_400, "delay not shrunk: {waited}");
}

#[test]
fn multi_sender_invariant_on_setup_deployed_target() {
    let (session, result) = fuzz_fixture("MultiSender.sol", None, 3000);
    assert_eq!(session.mode(), Mode::Invariant);
    assert_eq!(session.world.targets.len(), 1);
    assert_eq!(session.world.targets[0].name, "OnceToken");
    let f = property_failure(&session, &result, "invariant_supply_matches_balances")
        .expect("invariant broken");
    let senders: HashSet<_> = f.sequence.iter().map(|c| c.sender).collect();
    assert!(senders.len() >= 2, "needs two senders: {:?}", f.sequence);
    assert_eq!(
        f.sequence.len(),
        3,
        "mint, mint, transfer: {:?}",
        function_names(&session, f)
    );
}

#[test]
fn rounding_in_assertion_mode() {
    let (session, result) = fuzz_fixture("Rounding.sol", Some("Rounding"), 3000);
    assert_eq!(session.mode(), Mode::Assertion);
    assert_eq!(result.failures.len(), 1, "{:?}", result.failures);
    let f = &result.failures[0];
    assert!(matches!(f.key, FailureKey::Assertion(_)));
    let names = function_names(&session, f);
    assert_eq!(names.first().map(String::as_str), Some("deposit"));
    assert_eq!(names.last().map(String::as_str), Some("withdraw"));
    assert!(f.message.contains("Rounding.withdraw"), "{}", f.message);
    // The finding points at the `assert` statement itself.
    let view = &session.failures(&result)[0];
    let loc = view.location.as_ref().expect("location");
    assert_eq!(
        (loc.file.as_str(), loc.line),
        ("Rounding.sol", 31),
        "{loc:?}"
    );
    assert_eq!(loc.function.as_deref(), Some("withdraw"));
}

#[test]
fn control_harness_reports_nothing() {
    let (session, result) = fuzz_fixture("Control.sol", None, 3000);
    assert_eq!(session.world.properties.len(), 3);
    assert!(
        result.failures.is_empty(),
        "control must hold: {:?}",
        result.failures
    );
    assert!(
        result.calls > 10_000,
        "the budget was really spent: {} calls",
        result.calls
    );
}

#[test]
fn hashed_key_found_through_comparison_feedback() {
    let (session, result) = fuzz_fixture("HiddenKey.sol", None, 2000);
    let f = property_failure(&session, &result, "echidna_stays_closed")
        .expect("the hashed key is found");
    assert_eq!(function_names(&session, f), vec!["unlock"]);
    // The key is keccak256("bulwark", 7): nowhere in the bytecode.
    let mut preimage = b"bulwark".to_vec();
    preimage.extend_from_slice(&alloy_primitives::U256::from(7).to_be_bytes::<32>());
    let key = alloy_primitives::U256::from_be_bytes(alloy_primitives::keccak256(&preimage).0);
    assert_eq!(f.sequence[0].args, vec![DynSolValue::Uint(key, 256)]);
    let code = &session.world.artifacts[session.world.harness_artifact].runtime_code;
    assert!(
        !code.windows(32).any(|w| w == key.to_be_bytes::<32>()),
        "the key must not be a bytecode constant"
    );
}
