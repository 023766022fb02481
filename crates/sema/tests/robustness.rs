//! No input makes the semantic analysis panic or hang: the repository's
//! Solidity fixtures, truncated at random points, with random bytes
//! overwritten or random token soup spliced in, go through parsing and the
//! whole model (scopes, C3, overrides, types of every expression, storage
//! layout, dispatch), and every recorded span stays inside its file.
//! Bounded for CI (a few seconds); for a longer run:
//! `BULWARK_SEMA_FUZZ_DIRS=../shared/corpora PROPTEST_CASES=5000 cargo test -p bulwark-sema --release --test robustness`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use bulwark_sema::{analyze, LoadOptions, Project};
use proptest::prelude::*;

/// Fixture sources of the repository (this crate's, the differential-test
/// fixtures, the bundled examples), plus folders named by
/// `BULWARK_SEMA_FUZZ_DIRS` for longer runs.
fn fixtures() -> &'static [String] {
    static FIXTURES: OnceLock<Vec<String>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![
            root.join("tests/fixtures"),
            root.join("../difftest/fixtures"),
            root.join("../../examples"),
        ];
        if let Ok(extra) = std::env::var("BULWARK_SEMA_FUZZ_DIRS") {
            dirs.extend(std::env::split_paths(&extra));
        }
        let mut files = Vec::new();
        for dir in dirs {
            collect(&dir, &mut files);
        }
        let sources: Vec<String> = files
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        assert!(
            sources.len() >= 2,
            "the repository's fixtures must be present"
        );
        sources
    })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "sol") {
            out.push(path);
        }
    }
}

/// Analyses `source` (next to an intact fixture it may import or shadow)
/// and asks the model everything a detector would.
fn check(source: &str) {
    let intact = fixtures()[0].as_str();
    let project = Project::from_sources(
        &[("broken.sol", source), ("intact.sol", intact)],
        &LoadOptions::default(),
    );
    let model = analyze(&project);
    for file in &project.files {
        let len = file.source.len() as u32;
        for (_, span, ty) in model.typed_nodes(file.id) {
            assert!(span.start <= span.end && span.end <= len, "{span:?}");
            let _ = model.type_string(ty);
        }
        for (_, span, _) in model.resolutions(file.id) {
            assert!(span.start <= span.end && span.end <= len, "{span:?}");
        }
    }
    for contract in model.contracts() {
        let _ = model.storage_layout(contract.decl);
        for &f in &contract.functions {
            let _ = model.dispatch(contract.decl, f);
            for &base in &contract.linearization {
                let _ = model.dispatch_super(contract.decl, base, f);
            }
        }
    }
    for d in model.diagnostics() {
        let _ = d.render(&project);
    }
}

const SOUP: &[&str] = &[
    "contract",
    "function",
    "modifier",
    "is",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ";",
    ",",
    "=",
    ".",
    "x",
    "A",
    "uint",
    "mapping",
    "=>",
    "returns",
    "return",
    "emit",
    "revert",
    "super",
    "this",
    "new",
    "type",
    "using",
    "for",
    "override",
    "virtual",
    "memory",
    "storage",
    "1",
    "\"s\"",
    "?",
    ":",
    "+",
    "**",
    "_",
    "assembly",
    "let",
    ":=",
    "import",
    "\"broken.sol\"",
    "library",
    "interface",
    "struct",
    "enum",
    "event",
    "error",
    "constructor",
    "payable",
    "address",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SOUP), 0..60).prop_map(|t| t.join(" "))
}

fn char_floor(src: &str, mut at: usize) -> usize {
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    at
}

proptest! {
    // PROPTEST_CASES raises the count for longer local runs.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(150),
        ..ProptestConfig::default()
    })]

    #[test]
    fn truncated_fixtures(index in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>()) {
        let src = &fixtures()[index.index(fixtures().len())];
        check(&src[..char_floor(src, cut.index(src.len() + 1))]);
    }

    #[test]
    fn byte_flipped_fixtures(
        index in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let src = &fixtures()[index.index(fixtures().len())];
        let mut bytes = src.as_bytes().to_vec();
        if !bytes.is_empty() {
            for (at, byte) in flips {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
        }
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_spliced_into_fixtures(
        index in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        soup in soup(),
    ) {
        let src = &fixtures()[index.index(fixtures().len())];
        let i = char_floor(src, at.index(src.len() + 1));
        check(&format!("{}{}{}", &src[..i], soup, &src[i..]));
    }

    #[test]
    fn random_token_soup(soup in soup()) {
        check(&soup);
    }
}
