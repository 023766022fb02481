//! The scoring rule of `shared/benchmarks/README.md`.
//!
//! A labelled vulnerability is found when some finding has a location that
//! spans at most [`MAX_LOCATION_LINES`] lines and contains one of the
//! label's lines, and the finding's SWC ids (or its explicit `categories`)
//! map to the label's category. A finding that finds no label is noise.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::dataset::{Label, LabelledFile};
use super::findings::{Finding, Location};

/// A location longer than this proves nothing about a particular line.
pub const MAX_LOCATION_LINES: u32 = 3;

/// SWC id → dataset category (README's map).
const SWC_CATEGORIES: &[(u32, &str)] = &[
    (107, "reentrancy"),
    (104, "unchecked_low_level_calls"),
    (101, "arithmetic"),
    (105, "access_control"),
    (106, "access_control"),
    (112, "access_control"),
    (115, "access_control"),
    (100, "access_control"),
    (118, "access_control"),
    (124, "access_control"),
    (120, "bad_randomness"),
    (116, "time_manipulation"),
    (114, "front_running"),
    (113, "denial_of_service"),
    (128, "denial_of_service"),
    (109, "other"),
];

/// `SWC-107`, `swc-107` or `107` → 107.
fn swc_number(id: &str) -> Option<u32> {
    let id = id.trim();
    let digits = id
        .strip_prefix("SWC-")
        .or_else(|| id.strip_prefix("swc-"))
        .unwrap_or(id);
    digits.parse().ok()
}

/// `Time Manipulation`, `time-manipulation` → `time_manipulation`.
pub fn normalize_category(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace([' ', '-'], "_")
}

/// The dataset categories a finding claims.
pub fn categories_of(finding: &Finding) -> BTreeSet<String> {
    let from_swc = finding
        .swc
        .iter()
        .filter_map(|id| swc_number(id))
        .filter_map(|n| SWC_CATEGORIES.iter().find(|(swc, _)| *swc == n))
        .map(|(_, category)| category.to_string());
    let named = finding.categories.iter().map(|c| normalize_category(c));
    from_swc.chain(named).collect()
}

/// Whether a location refers to the analysed file: Bulwark names files
/// relative to the analysed root, so compare file names; a location without
/// a file is taken to be in the analysed file.
fn in_file(location: &Location, analysed: &str) -> bool {
    let Some(file) = location.file.as_deref() else {
        return true;
    };
    let name = |p: &str| {
        Path::new(p)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    };
    name(file) == name(analysed)
}

fn location_hits(location: &Location, label: &Label) -> bool {
    let (start, end) = (location.start_line, location.end_line);
    end >= start
        && end - start < MAX_LOCATION_LINES
        && label.lines.iter().any(|line| (start..=end).contains(line))
}

/// Whether `finding` finds `label` in the file `analysed`.
#[cfg(test)]
pub fn finds(finding: &Finding, label: &Label, analysed: &str) -> bool {
    finds_by(finding, label, analysed, &categories_of)
}

/// The dataset categories a finding claims, by some dataset's own map.
pub type Categorize = dyn Fn(&Finding) -> BTreeSet<String>;

/// [`finds`] with another dataset's category map (the held-out set maps
/// detectors to issue 4's groups rather than SWC ids to DASP categories).
pub fn finds_by(finding: &Finding, label: &Label, analysed: &str, categorize: &Categorize) -> bool {
    categorize(finding).contains(&normalize_category(&label.category))
        && finding
            .locations
            .iter()
            .any(|l| in_file(l, analysed) && location_hits(l, label))
}

/// The score of one file's findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileScore {
    /// Per label of the file, in order: found or not.
    pub found: Vec<bool>,
    /// Findings that found no label.
    pub noise: usize,
    /// Of those, the ones of severity medium or higher.
    pub noise_medium_or_higher: usize,
    /// Noise per detector id.
    pub noise_by_detector: BTreeMap<String, usize>,
    pub findings: usize,
    /// Errors Bulwark listed in its report (it still produced findings).
    pub reported_errors: usize,
}

pub fn score_file(file: &LabelledFile, findings: &[Finding]) -> FileScore {
    score_file_by(file, findings, &categories_of)
}

/// [`score_file`] with another dataset's category map.
pub fn score_file_by(
    file: &LabelledFile,
    findings: &[Finding],
    categorize: &Categorize,
) -> FileScore {
    let mut found = vec![false; file.labels.len()];
    let mut noise = 0;
    let mut noise_medium_or_higher = 0;
    let mut noise_by_detector: BTreeMap<String, usize> = BTreeMap::new();
    for finding in findings {
        let mut useful = false;
        for (index, label) in file.labels.iter().enumerate() {
            if finds_by(finding, label, &file.path, categorize) {
                found[index] = true;
                useful = true;
            }
        }
        if !useful {
            noise += 1;
            *noise_by_detector
                .entry(finding.detector.clone())
                .or_default() += 1;
            if finding.is_medium_or_higher() {
                noise_medium_or_higher += 1;
            }
        }
    }
    FileScore {
        found,
        noise,
        noise_medium_or_higher,
        noise_by_detector,
        findings: findings.len(),
        reported_errors: 0,
    }
}

/// Labels and found labels of one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recall {
    pub labels: usize,
    pub found: usize,
}

impl Recall {
    pub fn percent(&self) -> f64 {
        if self.labels == 0 {
            0.0
        } else {
            100.0 * self.found as f64 / self.labels as f64
        }
    }
}

/// Totals over a set of files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub per_category: BTreeMap<String, Recall>,
    pub total: Recall,
    pub findings: usize,
    pub noise: usize,
    pub noise_by_detector: BTreeMap<String, usize>,
    /// Files whose report lists analysis errors: path and count.
    pub files_with_reported_errors: Vec<(String, usize)>,
    /// Files whose run failed: path and reason.
    pub errors: Vec<(String, String)>,
    /// Files with noise of severity medium or higher: path and count.
    pub noisy_files: Vec<(String, usize)>,
}

/// What happened for one file: its score, or why it has none.
pub type FileOutcome<'d> = (&'d LabelledFile, Result<FileScore, String>);

/// Sum up the outcomes. A failed file keeps its labels in the totals (they
/// were not found) and is listed under `errors`.
pub fn summarize(outcomes: &[FileOutcome<'_>]) -> Summary {
    let mut summary = Summary::default();
    for (file, outcome) in outcomes {
        summary.files += 1;
        let found = match outcome {
            Ok(score) => {
                summary.findings += score.findings;
                summary.noise += score.noise;
                for (detector, count) in &score.noise_by_detector {
                    *summary
                        .noise_by_detector
                        .entry(detector.clone())
                        .or_default() += count;
                }
                if score.reported_errors > 0 {
                    summary
                        .files_with_reported_errors
                        .push((file.path.clone(), score.reported_errors));
                }
                if score.noise_medium_or_higher > 0 {
                    summary
                        .noisy_files
                        .push((file.path.clone(), score.noise_medium_or_higher));
                }
                score.found.clone()
            }
            Err(reason) => {
                summary.errors.push((file.path.clone(), reason.clone()));
                vec![false; file.labels.len()]
            }
        };
        for (label, found) in file.labels.iter().zip(found) {
            let recall = summary
                .per_category
                .entry(normalize_category(&label.category))
                .or_default();
            recall.labels += 1;
            summary.total.labels += 1;
            if found {
                recall.found += 1;
                summary.total.found += 1;
            }
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: &str, swc: &[&str], lines: (u32, u32)) -> Finding {
        Finding {
            detector: "d".into(),
            severity: severity.into(),
            swc: swc.iter().map(|s| s.to_string()).collect(),
            categories: Vec::new(),
            locations: vec![Location {
                file: Some("reentrancy/dao.sol".into()),
                start_line: lines.0,
                end_line: lines.1,
            }],
        }
    }

    fn dao() -> LabelledFile {
        LabelledFile {
            path: "dataset/reentrancy/dao.sol".into(),
            labels: vec![
                Label {
                    category: "reentrancy".into(),
                    lines: vec![20],
                },
                Label {
                    category: "unchecked_low_level_calls".into(),
                    lines: vec![30, 31],
                },
                Label {
                    category: "TIME MANIPULATION".into(),
                    lines: vec![40],
                },
            ],
        }
    }

    #[test]
    fn swc_ids_and_named_categories_map_to_dataset_categories() {
        let mut f = finding("high", &["SWC-107", "swc-104", "999"], (1, 1));
        f.categories.push("Short Addresses".into());
        let categories: Vec<String> = categories_of(&f).into_iter().collect();
        assert_eq!(
            categories,
            ["reentrancy", "short_addresses", "unchecked_low_level_calls"]
        );
    }

    #[test]
    fn a_location_must_be_short_and_cover_a_labelled_line() {
        let label = &dao().labels[0];
        let path = "dataset/reentrancy/dao.sol";
        assert!(finds(&finding("high", &["SWC-107"], (18, 20)), label, path));
        assert!(finds(&finding("high", &["SWC-107"], (20, 20)), label, path));
        // Four lines are too many, even if they cover line 20.
        assert!(!finds(
            &finding("high", &["SWC-107"], (17, 20)),
            label,
            path
        ));
        assert!(!finds(
            &finding("high", &["SWC-107"], (21, 22)),
            label,
            path
        ));
        // Right line, wrong category.
        assert!(!finds(
            &finding("high", &["SWC-101"], (20, 20)),
            label,
            path
        ));
        // A related location may be the one that hits.
        let mut f = finding("high", &["SWC-107"], (1, 50));
        f.locations.push(Location {
            file: None,
            start_line: 19,
            end_line: 21,
        });
        assert!(finds(&f, label, path));
        // A location in another file does not count.
        let mut elsewhere = finding("high", &["SWC-107"], (20, 20));
        elsewhere.locations[0].file = Some("other.sol".into());
        assert!(!finds(&elsewhere, label, path));
    }

    #[test]
    fn file_score_counts_found_labels_and_noise() {
        let file = dao();
        let findings = [
            finding("high", &["SWC-107"], (20, 20)),
            finding("medium", &["SWC-104"], (31, 31)),
            // Found the same label again: not noise.
            finding("low", &["SWC-107"], (19, 21)),
            // Hits nothing.
            finding("medium", &["SWC-116"], (10, 10)),
            finding("informational", &["SWC-101"], (20, 20)),
        ];
        let score = score_file(&file, &findings);
        assert_eq!(score.found, [true, true, false]);
        assert_eq!((score.noise, score.noise_medium_or_higher), (2, 1));
        assert_eq!(score.noise_by_detector["d"], 2);
        assert_eq!(score.findings, 5);
    }

    #[test]
    fn summary_keeps_labels_of_failed_files() {
        let ok_file = dao();
        let failed = LabelledFile {
            path: "dataset/other/x.sol".into(),
            labels: vec![Label {
                category: "other".into(),
                lines: vec![1],
            }],
        };
        let score = score_file(&ok_file, &[finding("medium", &["SWC-107"], (20, 20))]);
        let summary = summarize(&[
            (&ok_file, Ok(score)),
            (&failed, Err("exit status 2".into())),
        ]);
        assert_eq!(
            summary.total,
            Recall {
                labels: 4,
                found: 1
            }
        );
        assert_eq!(
            summary.per_category["reentrancy"],
            Recall {
                labels: 1,
                found: 1
            }
        );
        assert_eq!(summary.per_category["time_manipulation"].labels, 1);
        assert_eq!(
            summary.per_category["other"],
            Recall {
                labels: 1,
                found: 0
            }
        );
        assert_eq!(
            summary.errors,
            [(
                "dataset/other/x.sol".to_string(),
                "exit status 2".to_string()
            )]
        );
        assert!(summary.noisy_files.is_empty());
    }
}
