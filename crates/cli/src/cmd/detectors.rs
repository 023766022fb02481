//! `bulwark detectors` and `bulwark explain <id>`.

use std::fmt::Write;

use bulwark_detectors::{docs_page, registry};
use bulwark_report::{unused_suppression_rule, RuleMeta, EXIT_ERROR, UNUSED_SUPPRESSION_ID};
use clap::Args;

#[derive(Args)]
pub struct DetectorsArgs {
    /// Print the list as JSON (id, title, severity, confidence, swc, implemented).
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// Detector id, e.g. `reentrancy-eth` (see `bulwark detectors`).
    pub id: String,
}

pub fn run_list(args: DetectorsArgs) -> i32 {
    if args.json {
        let list: Vec<_> = registry::REGISTRY
            .iter()
            .map(|r| {
                let m = r.meta;
                format!(
                    "{{\"id\":{:?},\"title\":{:?},\"severity\":{:?},\"confidence\":{:?},\"swc\":[{}],\"implemented\":{}}}",
                    m.id,
                    m.title,
                    m.severity.as_str(),
                    m.confidence.as_str(),
                    m.swc.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(","),
                    r.detector.is_some()
                )
            })
            .collect();
        println!("[{}]", list.join(",\n "));
        return 0;
    }
    let id_width = registry::all()
        .map(|m| m.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    println!(
        "{:<id_width$}  {:<13}  {:<10}  {:<7}  TITLE",
        "ID", "SEVERITY", "CONFIDENCE", "STATUS"
    );
    for registration in registry::REGISTRY {
        let meta = registration.meta;
        println!(
            "{:<id_width$}  {:<13}  {:<10}  {:<7}  {}",
            meta.id,
            meta.severity.as_str(),
            meta.confidence.as_str(),
            status(registration),
            meta.title
        );
    }
    let planned = registry::REGISTRY
        .iter()
        .filter(|r| r.detector.is_none())
        .count();
    println!(
        "\n{} detectors ({planned} planned: documented, not run yet). `{UNUSED_SUPPRESSION_ID}` also reports \
         `bulwark-disable` comments that silence nothing.\n`bulwark explain <id>` prints one detector's documentation.",
        registry::REGISTRY.len()
    );
    0
}

/// `ready` when the detector runs, `planned` while it only has
/// documentation: selecting it finds nothing yet, and the list says so.
fn status(registration: &registry::Registration) -> &'static str {
    if registration.detector.is_some() {
        "ready"
    } else {
        "planned"
    }
}

pub fn run_explain(args: ExplainArgs) -> i32 {
    if args.id == UNUSED_SUPPRESSION_ID {
        print!("{}", rule_page(&unused_suppression_rule()));
        return 0;
    }
    match registry::find(&args.id) {
        Some(meta) => {
            print!("{}", docs_page::render_page(meta));
            0
        }
        None => {
            eprintln!("error: no detector named `{}`", args.id);
            if let Some(close) = closest_id(&args.id) {
                eprintln!("help: did you mean `{close}`?");
            }
            eprintln!("help: `bulwark detectors` lists every detector id");
            EXIT_ERROR
        }
    }
}

/// The page of a rule that is not a registered detector (the
/// `unused-suppression` pseudo-detector), laid out like a detector's page.
fn rule_page(rule: &RuleMeta) -> String {
    let mut page = String::new();
    // Writing into a String cannot fail.
    let _ = writeln!(page, "# `{}`: {}\n", rule.id, rule.title);
    let _ = writeln!(
        page,
        "| Severity | Confidence |\n|---|---|\n| {} | {} |\n",
        rule.severity.label(),
        rule.confidence.label()
    );
    let _ = writeln!(page, "{}\n", rule.summary);
    for (heading, body) in [
        ("What it detects", &rule.docs.what),
        ("Why it matters", &rule.docs.why),
        ("Exploit scenario", &rule.docs.exploit),
        ("Recommended fix", &rule.docs.fix),
    ] {
        let _ = writeln!(page, "## {heading}\n\n{}\n", body.trim_end());
    }
    page
}

/// The registered id with the smallest edit distance, if reasonably close.
pub(crate) fn closest_id(wanted: &str) -> Option<&'static str> {
    registry::ids()
        .into_iter()
        .chain([UNUSED_SUPPRESSION_ID])
        .map(|id| (edit_distance(wanted, id), id))
        .filter(|(d, id)| *d <= id.len() / 3 + 1)
        .min()
        .map(|(_, id)| id)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("tx-origin", "tx-origin"), 0);
        assert_eq!(edit_distance("tx-orign", "tx-origin"), 1);
        assert_eq!(edit_distance("reentrancy", "reentrancy-eth"), 4);
    }

    #[test]
    fn closest_id_suggests_a_typo_fix_but_not_nonsense() {
        assert_eq!(closest_id("tx-orgin"), Some("tx-origin"));
        assert_eq!(closest_id("completely-unrelated-name"), None);
    }
}
