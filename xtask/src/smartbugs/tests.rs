//! The whole harness on `testdata/smartbugs-mini` with `fake-bulwark.sh`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::dataset::{read_file_list, Dataset, ICSE_SUBSET_FILE};
use super::runner::Runner;
use super::score::{summarize, Recall};
use super::{render, score_all};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

fn runner(dataset: &Dataset, bulwark: PathBuf) -> Runner {
    Runner {
        bulwark,
        dataset_root: dataset.root.clone(),
        jobs: 2,
        timeout: Duration::from_secs(30),
    }
}

#[test]
fn mini_dataset_scores_as_designed() {
    let dataset = Dataset::load(&testdata().join("smartbugs-mini")).unwrap();
    let files: Vec<_> = dataset.files.iter().collect();
    let outcomes = score_all(
        &runner(&dataset, testdata().join("fake-bulwark.sh")),
        &files,
    );
    let all = summarize(&outcomes);

    assert_eq!(all.files, 5);
    assert_eq!(
        all.total,
        Recall {
            labels: 6,
            found: 3
        }
    );
    assert_eq!(
        all.per_category["reentrancy"],
        Recall {
            labels: 1,
            found: 1
        }
    );
    // The second label's finding spans five lines: too vague to count.
    assert_eq!(
        all.per_category["unchecked_low_level_calls"],
        Recall {
            labels: 2,
            found: 1
        }
    );
    // Found through the finding's `categories`, without an SWC id.
    assert_eq!(
        all.per_category["short_addresses"],
        Recall {
            labels: 1,
            found: 1
        }
    );
    assert_eq!(
        all.per_category["access_control"],
        Recall {
            labels: 1,
            found: 0
        }
    );
    // The failed run keeps its label in the denominator.
    assert_eq!(
        all.per_category["arithmetic"],
        Recall {
            labels: 1,
            found: 0
        }
    );
    assert_eq!((all.findings, all.noise), (6, 3));
    assert_eq!(all.errors.len(), 1);
    assert_eq!(all.errors[0].0, "dataset/arithmetic/counter.sol");
    assert!(
        all.errors[0].1.contains("exit status 2"),
        "{}",
        all.errors[0].1
    );
    assert!(
        all.errors[0].1.contains("cannot analyse"),
        "{}",
        all.errors[0].1
    );
    assert_eq!(
        all.noisy_files,
        [
            ("dataset/reentrancy/bank.sol".to_string(), 1),
            ("dataset/unchecked_low_level_calls/relay.sol".to_string(), 1)
        ]
    );

    assert_eq!(
        all.files_with_reported_errors,
        [("dataset/unchecked_low_level_calls/relay.sol".to_string(), 1)]
    );
    assert_eq!(all.noise_by_detector["unchecked-call"], 1);
    assert_eq!(all.noise_by_detector["naming"], 1);

    let icse = read_file_list(&dataset.root.join(ICSE_SUBSET_FILE), &dataset).unwrap();
    let subset: Vec<_> = outcomes
        .iter()
        .filter(|(f, _)| icse.contains(&f.path))
        .cloned()
        .collect();
    let icse_summary = summarize(&subset);
    assert_eq!(icse_summary.files, 3);
    assert_eq!(
        icse_summary.total,
        Recall {
            labels: 4,
            found: 2
        }
    );

    let text = render("all", &all);
    assert!(
        text.contains("total                             6      3   50.0%"),
        "{text}"
    );
    assert!(text.contains("errors: 1 of 5 runs failed"), "{text}");
    assert!(
        text.contains("  dataset/arithmetic/counter.sol: exit status 2, no report: error:"),
        "{text}"
    );
}

#[test]
fn a_missing_binary_is_an_error_per_file() {
    let dataset = Dataset::load(&testdata().join("smartbugs-mini")).unwrap();
    let files: Vec<_> = dataset.files.iter().take(2).collect();
    let outcomes = score_all(
        &runner(&dataset, testdata().join("no-such-bulwark")),
        &files,
    );
    let summary = summarize(&outcomes);
    assert_eq!(summary.errors.len(), 2);
    assert!(
        summary.errors[0].1.starts_with("cannot start"),
        "{:?}",
        summary.errors
    );
    assert_eq!(summary.total.found, 0);
    // Identical reasons are reported once, with the files they concern.
    let text = render("missing", &summary);
    assert_eq!(text.matches("cannot start").count(), 1, "{text}");
}

#[test]
fn an_unknown_file_in_a_list_is_reported_with_its_line() {
    let dataset = Dataset::load(&testdata().join("smartbugs-mini")).unwrap();
    let list = std::env::temp_dir().join(format!("smartbugs-list-{}.txt", std::process::id()));
    std::fs::write(&list, "header\n./dataset/reentrancy/missing.sol\n").unwrap();
    let err = read_file_list(&list, &dataset).unwrap_err();
    std::fs::remove_file(&list).unwrap();
    assert!(
        err.contains(":2: dataset/reentrancy/missing.sol is not in"),
        "{err}"
    );
}
