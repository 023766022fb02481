//! `bulwark detectors` and `bulwark explain <id>`.

use bulwark_detectors::{docs_page, registry};
use bulwark_report::EXIT_ERROR;
use clap::Args;

#[derive(Args)]
pub struct DetectorsArgs {
    /// Print the list as JSON (id, title, severity, confidence, swc).
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
        let list: Vec<_> = registry::all()
            .map(|m| {
                format!(
                    "{{\"id\":{:?},\"title\":{:?},\"severity\":{:?},\"confidence\":{:?},\"swc\":[{}]}}",
                    m.id,
                    m.title,
                    m.severity.as_str(),
                    m.confidence.as_str(),
                    m.swc.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(",")
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
        "{:<id_width$}  {:<13}  {:<10}  TITLE",
        "ID", "SEVERITY", "CONFIDENCE"
    );
    for meta in registry::all() {
        println!(
            "{:<id_width$}  {:<13}  {:<10}  {}",
            meta.id,
            meta.severity.as_str(),
            meta.confidence.as_str(),
            meta.title
        );
    }
    println!(
        "\n{} detectors. `bulwark explain <id>` prints one detector's documentation.",
        registry::REGISTRY.len()
    );
    0
}

pub fn run_explain(args: ExplainArgs) -> i32 {
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

/// The registered id with the smallest edit distance, if reasonably close.
fn closest_id(wanted: &str) -> Option<&'static str> {
    registry::ids()
        .into_iter()
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
