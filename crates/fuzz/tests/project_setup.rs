//! Project handling: directory discovery, foundry.toml remappings and
//! optimizer settings, Foundry target declarations, compile errors with
//! positions, corpus persistence and seed determinism.

mod common;

use bulwark_fuzz::campaign::load_corpus;
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
