//! Project and harness handling: directory discovery, foundry.toml
//! remappings and optimizer settings, Foundry target declarations
//! (setUp-deployed defaults, targetContracts/excludeContracts/
//! targetSelectors), pre-0.8 assertions, compile errors with positions,
//! corpus persistence, seed determinism and parallel workers.

mod common;

use bulwark_fuzz::campaign::{load_corpus, CampaignResult};
use bulwark_fuzz::{prepare, FuzzError};

#[test]
fn foundry_project_with_remappings_and_target_selectors() {
    let mut opts = common::options("project", None, 2000);
    opts.path = common::fixture("project");
    let session = prepare(&opts, &common::manager()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(session.harness_name(), "CounterInvariants");
    // targetSelectors() narrows the Counter to addHalf only.
    assert_eq!(session.world.targets.len(), 1);
    let names: Vec<&str> = session.world.targets[0]
        .functions
        .iter()
        .map(|f| f.function.name.as_str())
        .collect();
    assert_eq!(names, vec!["addHalf"]);
    let result = session.run(&opts.campaign, None).unwrap();
    let views = session.failures(&result);
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].kind, "invariant");
    assert!(
        views[0].message.contains("count above cap"),
        "{}",
        views[0].message
    );
    let loc = views[0].location.as_ref().unwrap();
    assert_eq!(loc.file, "test/Counter.invariants.sol");
    assert_eq!(loc.line, 25);
}

#[test]
fn compile_errors_name_file_line_and_column() {
    let opts = common::options("Broken.sol", None, 10);
    match prepare(&opts, &common::manager()) {
        Err(FuzzError::Compile(e)) => {
            let text = e.to_string();
            assert!(text.starts_with("Broken.sol:6:16: error: "), "{text}");
            assert!(text.contains("Undeclared identifier"), "{text}");
        }
        Err(other) => panic!("expected a compile error, got {other}"),
        Ok(_) => panic!("expected a compile error"),
    }
}

#[test]
fn missing_harness_is_a_usage_error() {
    let mut opts = common::options("project", Some("NoSuchContract"), 10);
    opts.path = common::fixture("project");
    assert!(matches!(
        prepare(&opts, &common::manager()),
        Err(FuzzError::Usage(_))
    ));
}

#[test]
fn corpus_is_written_and_reloaded() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("corpus-statemachine");
    let _ = std::fs::remove_dir_all(&dir);
    let mut opts = common::options("StateMachine.sol", None, 1500);
    opts.campaign.corpus_dir = Some(dir.clone());
    let session = prepare(&opts, &common::manager()).unwrap();
    let first = session.run(&opts.campaign, None).unwrap();
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert!(
        files > 0 && files == first.corpus_size,
        "{files} files for {} entries",
        first.corpus_size
    );
    let loaded = load_corpus(&session.world, &dir);
    assert_eq!(loaded.len(), files, "every stored sequence parses back");
    // A second campaign starts from the stored corpus: with a tiny budget
    // it still reaches the three-step unlock.
    opts.campaign.runs = Some(files as u64 + 300);
    opts.campaign.seed = 99;
    let second = session.run(&opts.campaign, None).unwrap();
    assert_eq!(second.failures.len(), 1);
}

#[test]
fn same_seed_same_campaign() {
    let (s1, r1) = common::fuzz_fixture("Rounding.sol", Some("Rounding"), 800);
    let (_, r2) = common::fuzz_fixture("Rounding.sol", Some("Rounding"), 800);
    assert_eq!(r1.calls, r2.calls);
    assert_eq!(r1.edges, r2.edges);
    let seqs = |r: &bulwark_fuzz::campaign::CampaignResult| -> Vec<Vec<String>> {
        r.failures
            .iter()
            .map(|f| {
                f.sequence
                    .iter()
                    .map(|c| bulwark_fuzz::render::call(&s1.world, c))
                    .collect()
            })
            .collect()
    };
    assert_eq!(seqs(&r1), seqs(&r2));
}

/// Names of the invariants a campaign broke.
fn broken(session: &bulwark_fuzz::Session, result: &CampaignResult) -> Vec<String> {
    session
        .property_outcomes(result)
        .into_iter()
        .filter(|(_, f)| f.is_some())
        .map(|(n, _)| n)
        .collect()
}

fn target_names(session: &bulwark_fuzz::Session) -> Vec<&str> {
    session
        .world
        .targets
        .iter()
        .map(|t| t.name.as_str())
        .collect()
}

#[test]
fn every_setup_deployed_contract_is_a_target_unless_narrowed() {
    let run = |harness: &str| {
        let opts = common::options("Targets.sol", Some(harness), 400);
        let session = prepare(&opts, &common::manager()).unwrap_or_else(|e| panic!("{e}"));
        let result = session.run(&opts.campaign, None).unwrap();
        (session, result)
    };
    let (session, result) = run("AllTargets");
    assert_eq!(target_names(&session), vec!["Alpha", "Beta"]);
    assert_eq!(
        broken(&session, &result),
        vec!["invariant_alpha_untouched", "invariant_beta_untouched"]
    );

    let (session, result) = run("NarrowedTargets");
    assert_eq!(target_names(&session), vec!["Beta"]);
    assert_eq!(broken(&session, &result), vec!["invariant_beta_untouched"]);

    let (session, result) = run("ExcludedTargets");
    assert_eq!(target_names(&session), vec!["Alpha"]);
    assert_eq!(broken(&session, &result), vec!["invariant_alpha_untouched"]);
}

#[test]
fn pre_08_asserts_are_assertion_failures_and_their_pocs_compile() {
    let manager = common::manager();
    let original = std::fs::read_to_string(common::fixture("LegacyAssert.sol")).unwrap();
    for version in ["0.7.6", "0.6.12", "0.5.17", "0.4.24"] {
        // Fuzzed from a scratch copy, so that the PoCs written next to it
        // import the harness from inside the directory compiled below.
        let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("legacy-poc-{version}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let source = original.replace(
            "pragma solidity 0.7.6;",
            &format!("pragma solidity {version};"),
        );
        std::fs::write(dir.join("LegacyAssert.sol"), source).unwrap();
        let mut opts = common::options("LegacyAssert.sol", Some("LegacyAssert"), 1500);
        opts.path = dir.join("LegacyAssert.sol");
        let session = prepare(&opts, &manager).unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(session.solc.version().to_string(), version);
        let result = session.run(&opts.campaign, None).unwrap();
        let mut views = session.failures(&result);
        views.sort_by(|a, b| a.name.cmp(&b.name));
        let calls: Vec<Vec<String>> = views.iter().map(|v| v.calls.clone()).collect();
        assert_eq!(
            calls,
            vec![
                vec![
                    "LegacyAssert.step(7) from 0x10000".to_string(),
                    "LegacyAssert.check(3) from 0x10000".to_string()
                ],
                vec![
                    "LegacyAssert.step(7) from 0x10000".to_string(),
                    "LegacyAssert.finish() from 0x10000".to_string()
                ],
            ],
            "{version}"
        );
        let loc = views[1].location.as_ref().unwrap();
        assert_eq!(
            (loc.file.as_str(), loc.line),
            ("LegacyAssert.sol", 19),
            "{version}"
        );

        // The proofs of concept are valid Solidity of that version: compile
        // them with the same compiler (forge runs them for 0.8 harnesses in
        // poc_forge.rs).
        let written = session.write_pocs(&result, &dir.join("poc")).unwrap();
        assert_eq!(written.len(), 2);
        let files: Vec<_> = written.into_iter().map(|(_, p)| p).collect();
        let compiled = bulwark_fuzz::compiler::compile(&dir, &files, &manager)
            .unwrap_or_else(|e| panic!("{version}: the PoCs do not compile: {e}"));
        assert_eq!(compiled.solc.version().to_string(), version);
    }
}

#[test]
fn two_workers_find_and_shrink_the_state_machine_bug() {
    let mut opts = common::options("StateMachine.sol", None, 4000);
    opts.campaign.workers = 2;
    let session = prepare(&opts, &common::manager()).unwrap();
    let result = session.run(&opts.campaign, None).unwrap();
    let views = session.failures(&result);
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].calls.len(), 3, "{:#?}", views[0].calls);
    assert!(result.sequences <= 4000 + 2, "the runs budget is shared");
}

#[test]
fn live_status_is_reported_during_a_timed_campaign() {
    let mut opts = common::options("Control.sol", None, 0);
    opts.campaign.runs = None;
    opts.campaign.time_limit = Some(std::time::Duration::from_millis(2500));
    let session = prepare(&opts, &common::manager()).unwrap();
    let snapshots = std::sync::Mutex::new(Vec::new());
    let status = |s: &bulwark_fuzz::campaign::Snapshot| snapshots.lock().unwrap().push(*s);
    let result = session.run(&opts.campaign, Some(&status)).unwrap();
    let snapshots = snapshots.into_inner().unwrap();
    assert!(!snapshots.is_empty(), "about one status per second");
    let last = snapshots.last().unwrap();
    assert!(last.calls > 0 && last.calls <= result.calls);
    assert!(last.edges > 0);
    assert_eq!(last.broken_properties, 0);
    assert!(result.elapsed >= std::time::Duration::from_millis(2500));
}
