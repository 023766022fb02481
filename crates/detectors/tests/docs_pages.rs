//! Keeps `docs/detectors/` in sync with the detector metadata.
//!
//! Fails listing every stale, missing or orphaned page. Run with
//! `BULWARK_BLESS=1` to rewrite the pages from the metadata instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bulwark_detectors::docs_page::{page_file_name, render_index, render_page};
use bulwark_detectors::registry;

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/detectors")
}

/// Every page the metadata produces, by file name.
fn expected_pages() -> BTreeMap<String, String> {
    let mut pages: BTreeMap<String, String> = registry::all()
        .map(|meta| (page_file_name(meta), render_page(meta)))
        .collect();
    pages.insert("README.md".to_string(), render_index(registry::all()));
    pages
}

#[test]
fn docs_pages_match_the_metadata() {
    let dir = docs_dir();
    let expected = expected_pages();
    if std::env::var_os("BULWARK_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut problems = Vec::new();
    for (name, text) in &expected {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(actual) if &actual == text => {}
            Ok(_) => problems.push(format!("docs/detectors/{name} is stale")),
            Err(_) => problems.push(format!("docs/detectors/{name} is missing")),
        }
    }
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") && !expected.contains_key(&name) {
                problems.push(format!(
                    "docs/detectors/{name} belongs to no registered detector"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nregenerate with `{}`",
        problems.join("\n"),
        bulwark_detectors::docs_page::REGENERATE_COMMAND
    );
}
