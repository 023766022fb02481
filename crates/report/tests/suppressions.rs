//! Inline suppression comments applied to findings.

use bulwark_report::suppress::{DirectiveKind, FileSuppressions};
use bulwark_report::{apply_suppressions, Confidence, Finding, Location, Severity};

const FILE: &str = "src/A.sol";

fn finding(detector: &str, line: u32) -> Finding {
    Finding {
        detector: detector.into(),
        title: detector.into(),
        severity: Severity::High,
        confidence: Confidence::High,
        swc: vec![],
        categories: vec![],
        message: format!("{detector} on line {line}"),
        locations: vec![Location::new(FILE, line, 9, line, 20)],
        fingerprint: String::new(),
    }
}

/// (kept detector@line, suppressed detector@line, unused "line:id")
fn run(source: &str, findings: Vec<Finding>) -> (Vec<String>, Vec<String>, Vec<String>) {
    let outcome = apply_suppressions(findings, [(FILE, source)]);
    let describe = |fs: &[Finding]| {
        fs.iter()
            .map(|f| format!("{}@{}", f.detector, f.locations[0].start_line))
            .collect::<Vec<_>>()
    };
    let unused = outcome
        .unused
        .iter()
        .map(|u| format!("{}:{}", u.line, u.detector.as_deref().unwrap_or("*")))
        .collect();
    (
        describe(&outcome.kept),
        describe(&outcome.suppressed),
        unused,
    )
}

#[test]
fn disable_next_line_covers_the_next_code_line_only() {
    let src = "\
contract A {
    // bulwark-disable-next-line reentrancy-eth
    x.call(\"\");
    y.call(\"\");
}";
    let (kept, suppressed, unused) = run(
        src,
        vec![finding("reentrancy-eth", 3), finding("reentrancy-eth", 4)],
    );
    assert_eq!(suppressed, vec!["reentrancy-eth@3"]);
    assert_eq!(kept, vec!["reentrancy-eth@4"]);
    assert!(unused.is_empty());
}

#[test]
fn stacked_next_line_directives_skip_blank_and_comment_lines() {
    let src = "\
    // bulwark-disable-next-line a
    // bulwark-disable-next-line b

    /* an explanation */
    x.call(\"\");";
    let (kept, suppressed, unused) =
        run(src, vec![finding("a", 5), finding("b", 5), finding("c", 5)]);
    assert_eq!(suppressed, vec!["a@5", "b@5"]);
    assert_eq!(kept, vec!["c@5"]);
    assert!(unused.is_empty());
}

#[test]
fn disable_line_matches_only_the_named_detectors_on_its_line() {
    let src = "\
    require(tx.origin == owner); // bulwark-disable-line tx-origin, timestamp
    require(tx.origin == admin);";
    let (kept, suppressed, unused) = run(
        src,
        vec![
            finding("tx-origin", 1),
            finding("weak-prng", 1),
            finding("tx-origin", 2),
        ],
    );
    assert_eq!(suppressed, vec!["tx-origin@1"]);
    assert_eq!(kept, vec!["weak-prng@1", "tx-origin@2"]);
    assert_eq!(unused, vec!["1:timestamp"]);
}

#[test]
fn disable_line_on_the_last_line_of_a_multi_line_statement_matches() {
    let src = "\
    (bool ok, ) = to.call{
        value: 1
    }(\"\"); // bulwark-disable-line unchecked-call";
    let mut multi_line = finding("unchecked-call", 1);
    multi_line.locations[0].end_line = 3;
    let (kept, suppressed, _) = run(src, vec![multi_line]);
    assert!(kept.is_empty());
    assert_eq!(suppressed, vec!["unchecked-call@1"]);
}

#[test]
fn regions_cover_lines_until_the_matching_enable() {
    let src = "\
// bulwark-disable timestamp
a;
b;
// bulwark-enable timestamp
c;";
    let (kept, suppressed, unused) = run(
        src,
        vec![
            finding("timestamp", 2),
            finding("timestamp", 3),
            finding("timestamp", 5),
            finding("tx-origin", 2),
        ],
    );
    assert_eq!(suppressed, vec!["timestamp@2", "timestamp@3"]);
    assert_eq!(kept, vec!["timestamp@5", "tx-origin@2"]);
    assert!(unused.is_empty());
}

#[test]
fn a_region_without_ids_or_enable_covers_everything_to_the_end() {
    let src = "a;\n// bulwark-disable\nb;\nc;\n";
    let (kept, suppressed, unused) =
        run(src, vec![finding("x", 1), finding("x", 3), finding("y", 4)]);
    assert_eq!(kept, vec!["x@1"]);
    assert_eq!(suppressed, vec!["x@3", "y@4"]);
    assert!(unused.is_empty());
}

#[test]
fn enable_without_ids_closes_every_region() {
    let src = "// bulwark-disable a\n// bulwark-disable b\nx;\n// bulwark-enable\ny;";
    let (kept, suppressed, _) = run(
        src,
        vec![
            finding("a", 3),
            finding("b", 3),
            finding("a", 5),
            finding("b", 5),
        ],
    );
    assert_eq!(suppressed, vec!["a@3", "b@3"]);
    assert_eq!(kept, vec!["a@5", "b@5"]);
}

#[test]
fn unused_directives_are_reported_with_their_position_even_in_files_without_findings() {
    let src = "\
contract A {
    // bulwark-disable-next-line reentrancy-eth
    x = 1;
    // bulwark-disable tx-origin
    // bulwark-enable tx-origin
    // bulwark-enable weak-prng
}";
    let outcome = apply_suppressions(vec![], [(FILE, src)]);
    let unused: Vec<(u32, u32, DirectiveKind, Option<&str>)> = outcome
        .unused
        .iter()
        .map(|u| (u.line, u.column, u.kind, u.detector.as_deref()))
        .collect();
    assert_eq!(
        unused,
        vec![
            (2, 5, DirectiveKind::DisableNextLine, Some("reentrancy-eth")),
            (4, 5, DirectiveKind::Disable, Some("tx-origin")),
            (6, 5, DirectiveKind::Enable, Some("weak-prng")),
        ]
    );
    assert_eq!(
        outcome.unused[0].to_string(),
        "`bulwark-disable-next-line reentrancy-eth` suppresses no finding; remove it"
    );
    let as_finding = outcome.unused[0].to_finding();
    assert_eq!(as_finding.detector, "unused-suppression");
    assert_eq!(as_finding.severity, Severity::Informational);
    assert_eq!(as_finding.locations[0].start_line, 2);
    assert_eq!(as_finding.locations[0].end_column, 48);
}

#[test]
fn text_in_string_literals_is_not_a_directive() {
    let src = "\
    string s = \"// bulwark-disable-line tx-origin\";
    string t = '/* bulwark-disable */'; x = tx.origin;";
    let (kept, suppressed, unused) =
        run(src, vec![finding("tx-origin", 1), finding("tx-origin", 2)]);
    assert_eq!(kept, vec!["tx-origin@1", "tx-origin@2"]);
    assert!(suppressed.is_empty());
    assert!(unused.is_empty());
}

#[test]
fn findings_in_other_files_are_untouched() {
    let src = "// bulwark-disable\n";
    let mut other = finding("x", 1);
    other.locations[0].file = "src/B.sol".into();
    let (kept, suppressed, unused) = run(src, vec![other]);
    assert_eq!(kept, vec!["x@1"]);
    assert!(suppressed.is_empty());
    assert_eq!(unused, vec!["1:*"]);
}

#[test]
fn unknown_ids_are_listed_for_the_cli_to_warn_about() {
    let suppressions = FileSuppressions::new(
        FILE,
        "// bulwark-disable-line reentrancy-eth, reentrancy-ehh\n",
    );
    let unknown: Vec<&str> = suppressions
        .unknown_ids(&["reentrancy-eth"])
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    assert_eq!(unknown, vec!["reentrancy-ehh"]);
}
