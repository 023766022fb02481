//! Fuzzing failures as findings of the shared report model, so `bulwark
//! fuzz` renders them with the same terminal/JSON/SARIF/Markdown output as
//! `bulwark audit`. Every failure is severity high and confidence high: the
//! fuzzer has a concrete, replayable sequence that breaks the property.

use bulwark_report::{Confidence, Finding, Location, RuleDocs, RuleMeta, Severity};

use crate::FailureView;

pub const PROPERTY_RULE: &str = "fuzz-property-broken";
pub const INVARIANT_RULE: &str = "fuzz-invariant-broken";
pub const ASSERTION_RULE: &str = "fuzz-assertion-failed";

/// Metadata of the three fuzzing "detectors".
pub fn rules() -> Vec<RuleMeta> {
    let rule = |id: &str, title: &str, swc: &[&str], summary: &str, what: &str| {
        RuleMeta {
        id: id.to_string(),
        title: title.to_string(),
        severity: Severity::High,
        confidence: Confidence::High,
        swc: swc.iter().map(|s| s.to_string()).collect(),
        summary: summary.to_string(),
        docs: RuleDocs {
            what: what.to_string(),
            why: "The fuzzer found a concrete sequence of transactions after which the contract is in a state its author declared impossible.".to_string(),
            exploit: "Anyone can send the same transactions (the shrunk sequence in the message, and the Foundry test written to --poc-dir) to reach that state on chain.".to_string(),
            fix: "Replay the proof of concept with `forge test`, find which call breaks the property, fix the code and keep the test as a regression test.".to_string(),
            references: vec![],
        },
    }
    };
    vec![
        rule(
            PROPERTY_RULE,
            "Fuzzing property broken",
            &[],
            "A boolean property (Echidna/Medusa style) returned false or reverted after a sequence of calls.",
            "Reports each `echidna_*` (or --prefix) property of the harness that a fuzzed call sequence falsified.",
        ),
        rule(
            INVARIANT_RULE,
            "Fuzzing invariant broken",
            &[],
            "A Foundry-style `invariant_*` function reverted (or returned false) after a sequence of calls.",
            "Reports each `invariant_*` function of a Foundry invariant harness that a fuzzed call sequence broke.",
        ),
        rule(
            ASSERTION_RULE,
            "Assertion failure reachable",
            &["SWC-110"],
            "A call sequence makes an `assert` fail (Panic 0x01) or emits an `AssertionFailed` event.",
            "Reports each distinct failing assertion site reached by fuzzed call sequences.",
        ),
    ]
}

/// One finding per failure. `poc` is the proof-of-concept file, if written
/// (shown relative to the project root when inside it).
pub fn to_finding(view: &FailureView, poc: Option<&str>) -> Finding {
    let rules = rules();
    let id = match view.kind {
        "property" => PROPERTY_RULE,
        "invariant" => INVARIANT_RULE,
        _ => ASSERTION_RULE,
    };
    let rule = rules.iter().find(|r| r.id == id).expect("rule exists");
    let mut message = format!("{}: {}", view.title, view.message);
    if view.calls.is_empty() {
        message.push_str(" (already in the deployed state, before any call)");
    } else {
        message.push_str(&format!(
            ". Shrunk sequence of {} call(s): ",
            view.calls.len()
        ));
        let numbered: Vec<String> = view
            .calls
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}. {c}", i + 1))
            .collect();
        message.push_str(&numbered.join("; "));
    }
    if let Some(p) = poc {
        message.push_str(&format!(". Proof of concept: {p}"));
    }
    let location = match &view.location {
        Some(pos) => {
            let mut l = Location::new(
                pos.file.clone(),
                pos.line as u32,
                pos.column as u32,
                pos.end_line as u32,
                1,
            )
            .with_contract(pos.contract.clone());
            if let Some(f) = &pos.function {
                l = l.with_function(f.clone());
            }
            l
        }
        None => Location::new("<unknown>", 1, 1, 1, 1),
    };
    Finding::from_rule(rule, message, location)
}
