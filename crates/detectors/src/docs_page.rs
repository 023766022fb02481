//! Markdown documentation generated from detector metadata.
//!
//! `docs/detectors/<id>.md` and `docs/detectors/README.md` are checked-in
//! copies of this output, so the docs can be read on a code host without
//! running anything. The `docs_pages` test fails when a copy is stale and
//! rewrites them when run with `BULWARK_BLESS=1`; the metadata in the
//! detector modules stays the single source of truth.

use std::fmt::Write;

use crate::meta::DetectorMeta;

/// The command that regenerates the checked-in pages, quoted in each page.
pub const REGENERATE_COMMAND: &str =
    "BULWARK_BLESS=1 cargo test -p bulwark-detectors --test docs_pages";

/// File name of a detector's page inside `docs/detectors/`.
pub fn page_file_name(meta: &DetectorMeta) -> String {
    format!("{}.md", meta.id)
}

/// Source file of a detector's module, relative to the repository root.
fn module_path(meta: &DetectorMeta) -> String {
    format!(
        "crates/detectors/src/detectors/{}.rs",
        meta.id.replace('-', "_")
    )
}

fn swc_links(meta: &DetectorMeta) -> String {
    if meta.swc.is_empty() {
        return "none".to_string();
    }
    meta.swc
        .iter()
        .map(|id| format!("[{id}](https://swcregistry.io/docs/{id})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The full page of one detector.
pub fn render_page(meta: &DetectorMeta) -> String {
    let mut page = String::new();
    // `write!` into a String cannot fail; the results are ignored on purpose.
    let _ = writeln!(page, "# `{}`: {}\n", meta.id, meta.title);
    let _ = writeln!(
        page,
        "<!-- Generated from {}. Do not edit; run `{}`. -->\n",
        module_path(meta),
        REGENERATE_COMMAND
    );
    let _ = writeln!(page, "| Severity | Confidence | SWC | Applies to |");
    let _ = writeln!(page, "|---|---|---|---|");
    let _ = writeln!(
        page,
        "| {} | {} | {} | {} |\n",
        meta.severity.label(),
        meta.confidence.label(),
        swc_links(meta),
        meta.applies_to
    );
    let _ = writeln!(page, "{}\n", meta.summary);
    for (heading, body) in [
        ("What it detects", meta.what),
        ("Why it matters", meta.why),
        ("Exploit scenario", meta.exploit),
        ("Recommended fix", meta.fix),
    ] {
        let _ = writeln!(page, "## {heading}\n\n{}\n", body.trim_end());
    }
    let _ = writeln!(page, "## References\n");
    for reference in meta.references {
        let _ = writeln!(page, "- <{reference}>");
    }
    let _ = writeln!(
        page,
        "\nFixtures: `crates/detectors/tests/fixtures/{}/`.",
        meta.id
    );
    page
}

/// The index page listing every detector, in the order given.
pub fn render_index<'a>(metas: impl IntoIterator<Item = &'a DetectorMeta>) -> String {
    let mut page = String::new();
    let _ = writeln!(page, "# Detectors\n");
    let _ = writeln!(
        page,
        "<!-- Generated from crates/detectors/src/registry.rs. Do not edit; run `{REGENERATE_COMMAND}`. -->\n"
    );
    let _ = writeln!(
        page,
        "Every detector `bulwark audit` knows. `bulwark explain <id>` prints the same \
documentation in the terminal.\n"
    );
    let _ = writeln!(page, "| Id | Severity | Confidence | SWC | Title |");
    let _ = writeln!(page, "|---|---|---|---|---|");
    for meta in metas {
        let swc = if meta.swc.is_empty() {
            "—".to_string()
        } else {
            meta.swc.join(", ")
        };
        let _ = writeln!(
            page,
            "| [`{}`]({}) | {} | {} | {} | {} |",
            meta.id,
            page_file_name(meta),
            meta.severity.label(),
            meta.confidence.label(),
            swc,
            meta.title
        );
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::{locked_ether, reentrancy_eth};

    #[test]
    fn page_has_every_section_in_order_and_links_swc_ids() {
        let page = render_page(&reentrancy_eth::META);
        assert!(page.starts_with("# `reentrancy-eth`: Reentrancy with ether transfer\n"));
        assert!(page.contains("| High | Medium | [SWC-107](https://swcregistry.io/docs/SWC-107) |"));
        let positions: Vec<usize> = [
            "## What it detects",
            "## Why it matters",
            "## Exploit scenario",
            "## Recommended fix",
            "## References",
        ]
        .iter()
        .map(|h| page.find(h).unwrap_or_else(|| panic!("missing {h}")))
        .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
        assert!(page.contains("- <https://swcregistry.io/docs/SWC-107>"));
    }

    #[test]
    fn detector_without_swc_says_none_in_the_page_and_a_dash_in_the_index() {
        assert!(render_page(&locked_ether::META).contains("| Medium | High | none |"));
        let index = render_index([&locked_ether::META, &reentrancy_eth::META]);
        assert!(index.contains("| [`locked-ether`](locked-ether.md) | Medium | High | — |"));
        assert!(
            index.contains("| [`reentrancy-eth`](reentrancy-eth.md) | High | Medium | SWC-107 |")
        );
    }
}
