//! `cargo xtask bench-holdout`: Bulwark's recall on the held-out set of
//! `benchmarks/holdout` (contracts written for this repository, labelled in
//! `labels.json` with issue 4's groups of weaknesses), scored with the
//! SmartBugs rule of [`super::score`].
//!
//! The SmartBugs categories come from SWC ids, and many of issue 4's
//! classes (oracles, slippage, token behaviour) have none; so here a
//! finding's category comes from its detector (one table below), and only a
//! detector the table does not know yet falls back to its SWC ids.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::dataset::{Label, LabelledFile};
use super::findings::Finding;
use super::runner::{self, Runner};
use super::score::{finds_by, normalize_category, score_file_by, summarize, FileOutcome};

/// The labels file inside the held-out directory.
pub const LABELS_FILE: &str = "labels.json";

/// The groups of issue 4, in the order they are reported.
pub const CATEGORIES: &[&str] = &[
    "reentrancy",
    "access_control",
    "arithmetic",
    "unchecked_results",
    "randomness_time",
    "ordering",
    "denial_of_service",
    "signatures",
    "oracles",
    "proxies_storage",
    "tokens",
];

/// Detector id → the groups of issue 4 its findings belong to. Code-quality
/// detectors are in none: they never find a labelled weakness.
const DETECTOR_CATEGORIES: &[(&str, &[&str])] = &[
    ("reentrancy-eth", &["reentrancy"]),
    ("reentrancy-no-eth", &["reentrancy"]),
    ("reentrancy-events", &["reentrancy"]),
    ("read-only-reentrancy", &["reentrancy"]),
    ("token-callback-reentrancy", &["reentrancy"]),
    ("unprotected-initializer", &["access_control"]),
    ("missing-disable-initializers", &["access_control"]),
    ("unprotected-upgrade", &["access_control"]),
    ("unprotected-critical-setter", &["access_control"]),
    ("default-public-visibility", &["access_control"]),
    ("exposed-internal-function", &["access_control"]),
    ("tx-origin", &["access_control"]),
    ("controlled-delegatecall", &["access_control"]),
    ("arbitrary-send-erc20", &["access_control"]),
    ("arbitrary-send-erc20-permit", &["access_control"]),
    ("arbitrary-send-eth", &["access_control"]),
    ("unprotected-selfdestruct", &["access_control"]),
    ("unbacked-withdrawal", &["access_control"]),
    ("unused-access-modifier", &["access_control"]),
    ("arbitrary-debit", &["access_control"]),
    ("array-length-storage-write", &["access_control"]),
    ("misnamed-constructor", &["access_control"]),
    (
        "destructible-implementation",
        &["access_control", "proxies_storage"],
    ),
    ("integer-overflow", &["arithmetic"]),
    ("divide-before-multiply", &["arithmetic"]),
    ("unsafe-downcast", &["arithmetic"]),
    ("incorrect-shift", &["arithmetic"]),
    ("power-precedence", &["arithmetic"]),
    ("incorrect-exponentiation", &["arithmetic"]),
    ("unchecked-low-level-call", &["unchecked_results"]),
    ("unchecked-transfer", &["unchecked_results"]),
    ("unused-return", &["unchecked_results"]),
    ("weak-prng", &["randomness_time"]),
    ("timestamp-dependence", &["randomness_time"]),
    ("blockhash-out-of-range", &["randomness_time"]),
    ("approve-race", &["ordering"]),
    ("front-runnable-solution", &["ordering"]),
    ("commitment-not-bound-to-sender", &["ordering"]),
    ("unprotected-swap", &["ordering"]),
    ("call-in-loop-dos", &["denial_of_service"]),
    ("unbounded-array-dos", &["denial_of_service"]),
    ("strict-balance-equality", &["denial_of_service"]),
    ("msg-value-in-loop", &["denial_of_service"]),
    ("push-payment-dos", &["denial_of_service"]),
    ("return-bomb", &["denial_of_service"]),
    ("unchecked-ecrecover", &["signatures"]),
    ("signature-replay", &["signatures"]),
    ("signature-missing-domain", &["signatures"]),
    ("signature-malleability", &["signatures"]),
    ("encode-packed-collision", &["signatures"]),
    ("chainlink-stale-price", &["oracles"]),
    ("spot-price-oracle", &["oracles"]),
    ("vault-share-inflation", &["oracles"]),
    ("vote-weight-from-balance", &["oracles"]),
    ("storage-collision", &["proxies_storage"]),
    ("shadowing-state", &["proxies_storage"]),
    ("uninitialized-state", &["proxies_storage"]),
    ("uninitialized-local", &["proxies_storage"]),
    ("uninitialized-storage-pointer", &["proxies_storage"]),
    ("fee-on-transfer-assumption", &["tokens"]),
    ("incorrect-token-interface", &["tokens"]),
    ("unsafe-erc721-transfer", &["tokens"]),
    ("missing-zero-address-check", &["tokens"]),
    ("locked-ether", &["tokens"]),
    ("short-address", &["tokens"]),
];

/// SWC id → group, for detectors missing from [`DETECTOR_CATEGORIES`].
const SWC_FALLBACK: &[(&str, &str)] = &[
    ("SWC-107", "reentrancy"),
    ("SWC-100", "access_control"),
    ("SWC-105", "access_control"),
    ("SWC-106", "access_control"),
    ("SWC-112", "access_control"),
    ("SWC-115", "access_control"),
    ("SWC-118", "access_control"),
    ("SWC-101", "arithmetic"),
    ("SWC-104", "unchecked_results"),
    ("SWC-120", "randomness_time"),
    ("SWC-116", "randomness_time"),
    ("SWC-114", "ordering"),
    ("SWC-113", "denial_of_service"),
    ("SWC-128", "denial_of_service"),
    ("SWC-117", "signatures"),
    ("SWC-121", "signatures"),
    ("SWC-122", "signatures"),
    ("SWC-133", "signatures"),
    ("SWC-109", "proxies_storage"),
    ("SWC-119", "proxies_storage"),
    ("SWC-124", "proxies_storage"),
];

/// The groups a finding belongs to.
pub fn categories_of(finding: &Finding) -> BTreeSet<String> {
    if let Some((_, groups)) = DETECTOR_CATEGORIES
        .iter()
        .find(|(id, _)| *id == finding.detector)
    {
        return groups.iter().map(|g| g.to_string()).collect();
    }
    finding
        .swc
        .iter()
        .filter_map(|id| {
            SWC_FALLBACK
                .iter()
                .find(|(swc, _)| swc.eq_ignore_ascii_case(id.trim()))
        })
        .map(|(_, group)| group.to_string())
        .collect()
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The held-out directory (holding labels.json).
    pub dataset: PathBuf,
    /// The bulwark binary [default: target/release/bulwark, else
    /// target/debug/bulwark].
    #[arg(long)]
    pub bulwark: Option<PathBuf>,
    /// Files analysed at the same time.
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
    /// Seconds before one run is killed and counted as an error.
    #[arg(long, default_value_t = 120)]
    pub timeout: u64,
}

/// One labelled file, with the labels' descriptions alongside.
#[derive(Debug, Clone)]
pub struct HoldoutFile {
    pub labelled: LabelledFile,
    pub descriptions: Vec<String>,
}

#[derive(Deserialize)]
struct RawFile {
    file: String,
    labels: Vec<RawLabel>,
}

#[derive(Deserialize)]
struct RawLabel {
    lines: Vec<u32>,
    category: String,
    #[serde(default)]
    description: String,
}

/// Read `<root>/labels.json`, checking each category and file.
pub fn load(root: &Path) -> Result<Vec<HoldoutFile>, String> {
    let path = root.join(LABELS_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let raw: Vec<RawFile> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut files = Vec::new();
    for entry in raw {
        if !root.join(&entry.file).is_file() {
            return Err(format!("{}: no file {}", path.display(), entry.file));
        }
        let mut labels = Vec::new();
        let mut descriptions = Vec::new();
        for label in entry.labels {
            let category = normalize_category(&label.category);
            if !CATEGORIES.contains(&category.as_str()) {
                return Err(format!(
                    "{}: {}: unknown category {:?} (known: {})",
                    path.display(),
                    entry.file,
                    label.category,
                    CATEGORIES.join(", ")
                ));
            }
            if label.lines.is_empty() {
                return Err(format!(
                    "{}: {}: a label without lines",
                    path.display(),
                    entry.file
                ));
            }
            labels.push(Label {
                category,
                lines: label.lines,
            });
            descriptions.push(label.description);
        }
        files.push(HoldoutFile {
            labelled: LabelledFile {
                path: entry.file,
                labels,
            },
            descriptions,
        });
    }
    Ok(files)
}

/// What one file's run gave: the findings, or why there are none.
pub type Run = Result<Vec<Finding>, String>;

pub fn run(args: Args, workspace_root: &Path) -> Result<(), String> {
    let files = load(&args.dataset)?;
    let bulwark = match args.bulwark {
        Some(path) => path,
        None => runner::default_bulwark(workspace_root)
            .ok_or("no bulwark binary in target/release or target/debug: pass --bulwark <path>")?,
    };
    let bulwark =
        std::fs::canonicalize(&bulwark).map_err(|e| format!("{}: {e}", bulwark.display()))?;
    let runner = Runner {
        bulwark: bulwark.clone(),
        dataset_root: args.dataset.clone(),
        jobs: args.jobs,
        timeout: Duration::from_secs(args.timeout),
    };
    let started = Instant::now();
    let paths: Vec<String> = files.iter().map(|f| f.labelled.path.clone()).collect();
    let runs: Vec<Run> = runner
        .run_all(&paths)
        .into_iter()
        .map(|r| r.map(|out| out.findings))
        .collect();
    println!(
        "bulwark: {}\nheld-out set: {} ({} files run in {:.1} s, {} jobs)\n",
        bulwark.display(),
        args.dataset.display(),
        files.len(),
        started.elapsed().as_secs_f64(),
        args.jobs
    );
    print!("{}", report(&files, &runs));
    Ok(())
}

/// The whole report: per-category recall (the SmartBugs table), then the
/// labels missed and the unmatched medium-or-higher findings, one per line.
pub fn report(files: &[HoldoutFile], runs: &[Run]) -> String {
    let outcomes: Vec<FileOutcome<'_>> = files
        .iter()
        .zip(runs)
        .map(|(file, run)| {
            let score = run
                .as_ref()
                .map(|findings| score_file_by(&file.labelled, findings, &categories_of))
                .map_err(Clone::clone);
            (&file.labelled, score)
        })
        .collect();
    let mut out = super::render("held-out set", &summarize(&outcomes));
    let _ = writeln!(out, "\nlabels missed:");
    for ((file, run), (_, outcome)) in files.iter().zip(runs).zip(&outcomes) {
        let Ok(score) = outcome else { continue };
        for (index, found) in score.found.iter().enumerate() {
            if *found {
                continue;
            }
            let label = &file.labelled.labels[index];
            let lines: Vec<String> = label.lines.iter().map(u32::to_string).collect();
            let _ = writeln!(
                out,
                "  {}:{} [{}] {}{}",
                file.labelled.path,
                lines.join(","),
                label.category,
                file.descriptions[index],
                near_findings(file, label, run.as_deref().unwrap_or_default())
            );
        }
    }
    let _ = writeln!(out, "\nunmatched medium-or-higher findings:");
    for (file, run) in files.iter().zip(runs) {
        let Ok(findings) = run else { continue };
        for finding in unmatched_medium_or_higher(&file.labelled, findings) {
            let line = finding
                .locations
                .first()
                .map(|l| l.start_line.to_string())
                .unwrap_or_else(|| "?".into());
            let _ = writeln!(
                out,
                "  {}:{} {} ({})",
                file.labelled.path, line, finding.detector, finding.severity
            );
        }
    }
    out
}

/// Findings of a file, medium or higher, that find none of its labels.
pub fn unmatched_medium_or_higher<'f>(
    file: &LabelledFile,
    findings: &'f [Finding],
) -> Vec<&'f Finding> {
    findings
        .iter()
        .filter(|f| f.is_medium_or_higher())
        .filter(|f| {
            !file
                .labels
                .iter()
                .any(|label| finds_by(f, label, &file.path, &categories_of))
        })
        .collect()
}

/// For a missed label: the detectors that reported something on one of its
/// lines (wrong category or too long a location), to tell a near miss from
/// silence.
fn near_findings(file: &HoldoutFile, label: &Label, findings: &[Finding]) -> String {
    let near: BTreeSet<&str> = findings
        .iter()
        .filter(|f| {
            f.locations.iter().any(|l| {
                label
                    .lines
                    .iter()
                    .any(|line| (l.start_line..=l.end_line).contains(line))
                    && l.file.as_deref().is_none_or(|name| {
                        name.ends_with(&file.labelled.path) || file.labelled.path.ends_with(name)
                    })
            })
        })
        .map(|f| f.detector.as_str())
        .collect();
    if near.is_empty() {
        String::new()
    } else {
        format!(
            " (on its lines: {})",
            near.into_iter().collect::<Vec<_>>().join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::findings::Location;
    use super::*;

    fn finding(detector: &str, swc: &[&str], severity: &str, line: u32) -> Finding {
        Finding {
            detector: detector.into(),
            severity: severity.into(),
            swc: swc.iter().map(|s| s.to_string()).collect(),
            categories: Vec::new(),
            locations: vec![Location {
                file: Some("modern/Vault.sol".into()),
                start_line: line,
                end_line: line,
            }],
        }
    }

    fn vault() -> HoldoutFile {
        HoldoutFile {
            labelled: LabelledFile {
                path: "modern/Vault.sol".into(),
                labels: vec![
                    Label {
                        category: "oracles".into(),
                        lines: vec![10],
                    },
                    Label {
                        category: "unchecked_results".into(),
                        lines: vec![20, 21],
                    },
                ],
            },
            descriptions: vec!["stale price".into(), "transfer result ignored".into()],
        }
    }

    #[test]
    fn detectors_map_to_groups_and_unknown_ones_fall_back_to_swc() {
        let oracle = finding("chainlink-stale-price", &[], "medium", 1);
        assert_eq!(
            categories_of(&oracle).into_iter().collect::<Vec<_>>(),
            ["oracles"]
        );
        // The table wins over the SWC id (SWC-104 would also say unchecked).
        let transfer = finding("unchecked-transfer", &["SWC-104"], "high", 1);
        assert_eq!(
            categories_of(&transfer).into_iter().collect::<Vec<_>>(),
            ["unchecked_results"]
        );
        let future = finding("some-new-detector", &["swc-121"], "high", 1);
        assert_eq!(
            categories_of(&future).into_iter().collect::<Vec<_>>(),
            ["signatures"]
        );
        assert!(categories_of(&finding(
            "floating-pragma",
            &["SWC-103"],
            "informational",
            1
        ))
        .is_empty());
    }

    #[test]
    fn every_table_group_is_a_known_category() {
        for (detector, groups) in DETECTOR_CATEGORIES {
            for group in *groups {
                assert!(CATEGORIES.contains(group), "{detector}: {group}");
            }
        }
        for (_, group) in SWC_FALLBACK {
            assert!(CATEGORIES.contains(group), "{group}");
        }
    }

    #[test]
    fn report_lists_recall_misses_and_noise() {
        let files = [vault()];
        let runs = [Ok(vec![
            finding("chainlink-stale-price", &[], "medium", 10),
            // Right line, wrong group: the label stays missed.
            finding("divide-before-multiply", &[], "medium", 20),
            finding("reentrancy-events", &["SWC-107"], "low", 31),
        ])];
        let text = report(&files, &runs);
        assert!(
            text.contains("total                             2      1   50.0%"),
            "{text}"
        );
        assert!(
            text.contains(
                "  modern/Vault.sol:20,21 [unchecked_results] transfer result ignored (on its lines: divide-before-multiply)"
            ),
            "{text}"
        );
        assert!(!text.contains("stale price"), "{text}");
        assert!(
            text.contains("  modern/Vault.sol:20 divide-before-multiply (medium)"),
            "{text}"
        );
        // Low findings are not listed as noise on clean code.
        assert!(!text.contains("reentrancy-events (low)"), "{text}");
    }

    #[test]
    fn labels_file_is_checked() {
        let dir = std::env::temp_dir().join(format!("holdout-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("A.sol"), "contract A {}\n").unwrap();
        std::fs::write(
            dir.join(LABELS_FILE),
            r#"[{"file": "A.sol", "labels": [{"lines": [1], "category": "Access Control", "description": "d"}]}]"#,
        )
        .unwrap();
        let files = load(&dir).unwrap();
        assert_eq!(files[0].labelled.labels[0].category, "access_control");
        std::fs::write(
            dir.join(LABELS_FILE),
            r#"[{"file": "A.sol", "labels": [{"lines": [1], "category": "gas"}]}]"#,
        )
        .unwrap();
        assert!(load(&dir).unwrap_err().contains("unknown category"));
        std::fs::write(
            dir.join(LABELS_FILE),
            r#"[{"file": "B.sol", "labels": []}]"#,
        )
        .unwrap();
        assert!(load(&dir).unwrap_err().contains("no file B.sol"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
