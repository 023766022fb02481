//! Compares the findings a fixture expects with those the analysis
//! reported.

use std::collections::{BTreeMap, BTreeSet};

use super::annotations::Expectation;

/// One finding as the harness sees it: the detector and the first line of
/// its primary location, plus the message for failure output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reported {
    pub detector: String,
    pub line: u32,
    pub message: String,
}

/// What differs between expectation and reality for one file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mismatch {
    /// Expected `(detector, line)` pairs nobody reported.
    pub missing: Vec<(String, u32)>,
    /// Reported findings (of detectors in scope) nobody expected.
    pub extra: Vec<Reported>,
}

impl Mismatch {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty()
    }

    /// One line per difference, `file:line: ...`, in line order.
    pub fn describe(&self, file: &str) -> String {
        let mut lines: Vec<(u32, String)> = self
            .missing
            .iter()
            .map(|(detector, line)| (*line, format!("{file}:{line}: missing `{detector}`")))
            .chain(self.extra.iter().map(|r| {
                (
                    r.line,
                    format!(
                        "{file}:{}: unexpected `{}`: {}",
                        r.line, r.detector, r.message
                    ),
                )
            }))
            .collect();
        lines.sort();
        lines
            .into_iter()
            .map(|(_, text)| text)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The detectors whose findings a fixture file is checked against: the one
/// its folder is named after, plus every detector its annotations name.
/// Other detectors' findings are ignored so a fixture need not annotate
/// everything unrelated it happens to contain.
pub fn scope(folder_detector: &str, expectations: &[Expectation]) -> BTreeSet<String> {
    std::iter::once(folder_detector.to_string())
        .chain(expectations.iter().map(|e| e.detector.clone()))
        .collect()
}

/// Matches expectations and reports as multisets of `(detector, line)`:
/// two expectations on one line need two findings there, and a duplicate
/// finding is an extra.
pub fn compare(
    expected: &[Expectation],
    reported: &[Reported],
    scope: &BTreeSet<String>,
) -> Mismatch {
    let mut outstanding: BTreeMap<(String, u32), usize> = BTreeMap::new();
    for e in expected {
        *outstanding.entry((e.detector.clone(), e.line)).or_default() += 1;
    }
    let mut extra = Vec::new();
    for r in reported.iter().filter(|r| scope.contains(&r.detector)) {
        match outstanding.get_mut(&(r.detector.clone(), r.line)) {
            Some(count) if *count > 0 => *count -= 1,
            _ => extra.push(r.clone()),
        }
    }
    let missing = outstanding
        .into_iter()
        .flat_map(|((detector, line), count)| std::iter::repeat_n((detector, line), count))
        .collect();
    Mismatch { missing, extra }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expect(detector: &str, line: u32) -> Expectation {
        Expectation {
            detector: detector.to_string(),
            line,
        }
    }

    fn reported(detector: &str, line: u32) -> Reported {
        Reported {
            detector: detector.to_string(),
            line,
            message: format!("{detector} at {line}"),
        }
    }

    fn scope_of(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn exact_match_is_clean() {
        let m = compare(
            &[expect("tx-origin", 3), expect("tx-origin", 9)],
            &[reported("tx-origin", 9), reported("tx-origin", 3)],
            &scope_of(&["tx-origin"]),
        );
        assert!(m.is_empty(), "{m:?}");
    }

    #[test]
    fn wrong_line_is_both_missing_and_extra() {
        let m = compare(
            &[expect("tx-origin", 3)],
            &[reported("tx-origin", 4)],
            &scope_of(&["tx-origin"]),
        );
        assert_eq!(m.missing, vec![("tx-origin".to_string(), 3)]);
        assert_eq!(m.extra, vec![reported("tx-origin", 4)]);
    }

    #[test]
    fn duplicates_count_as_extra_and_doubled_expectations_need_two_findings() {
        let m = compare(
            &[expect("weak-prng", 5)],
            &[reported("weak-prng", 5), reported("weak-prng", 5)],
            &scope_of(&["weak-prng"]),
        );
        assert_eq!(m.extra.len(), 1);
        assert!(m.missing.is_empty());

        let m = compare(
            &[expect("weak-prng", 5), expect("weak-prng", 5)],
            &[reported("weak-prng", 5)],
            &scope_of(&["weak-prng"]),
        );
        assert_eq!(m.missing, vec![("weak-prng".to_string(), 5)]);
    }

    #[test]
    fn findings_outside_the_scope_are_ignored() {
        let m = compare(
            &[],
            &[reported("timestamp-dependence", 7)],
            &scope_of(&["weak-prng"]),
        );
        assert!(m.is_empty());
    }

    #[test]
    fn scope_is_the_folder_detector_plus_annotated_ones() {
        let s = scope("reentrancy-eth", &[expect("unchecked-low-level-call", 2)]);
        assert_eq!(s, scope_of(&["reentrancy-eth", "unchecked-low-level-call"]));
    }

    #[test]
    fn description_lists_every_difference_in_line_order() {
        let m = compare(
            &[expect("tx-origin", 8), expect("tx-origin", 2)],
            &[reported("tx-origin", 5)],
            &scope_of(&["tx-origin"]),
        );
        assert_eq!(
            m.describe("f.sol"),
            "f.sol:2: missing `tx-origin`\n\
             f.sol:5: unexpected `tx-origin`: tx-origin at 5\n\
             f.sol:8: missing `tx-origin`"
        );
    }
}
