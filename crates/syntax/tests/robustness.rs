//! No input makes `parse` panic or hang: the project's own Solidity
//! fixtures, truncated at random points, with random bytes overwritten or
//! with random token soup spliced in, plus plain random bytes. Bounded so the
//! whole file runs in a few seconds in CI; for a longer run:
//! `BULWARK_SYNTAX_FUZZ_DIRS=../shared/corpora PROPTEST_CASES=20000 cargo test -p bulwark-syntax --release --test robustness`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use bulwark_syntax::parse;
use proptest::prelude::*;

/// Fixture sources: this crate's own, plus the other fixture folders of the
/// repository when present (difftest fixtures, the bundled example).
fn fixtures() -> &'static [String] {
    static FIXTURES: OnceLock<Vec<String>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![
            root.join("tests/fixtures"),
            root.join("../difftest/fixtures"),
            root.join("../../examples"),
        ];
        // Longer local runs can add more code, e.g. the shared corpora.
        if let Ok(extra) = std::env::var("BULWARK_SYNTAX_FUZZ_DIRS") {
            dirs.extend(std::env::split_paths(&extra));
        }
        for dir in dirs {
            collect(&dir, &mut files);
        }
        let sources: Vec<String> = files
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        assert!(
            sources.len() >= 2,
            "the crate's own fixtures must be present"
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

/// Parses and checks the invariants that must hold even for garbage.
fn check(source: &str) {
    let parsed = parse(source);
    let len = source.len() as u32;
    for d in &parsed.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= len, "{d:?}");
    }
    for c in &parsed.comments {
        assert!(c.span.end <= len);
    }
    for item in &parsed.unit.items {
        let span = item.span();
        assert!(span.start <= span.end && span.end <= len, "{span:?}");
    }
}

const SOUP: &[&str] = &[
    "contract",
    "function",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ";",
    ",",
    "=",
    "==",
    "=>",
    "x",
    "uint",
    "mapping",
    "returns",
    "emit",
    "revert",
    "try",
    "catch",
    "assembly",
    "\"s\"",
    "hex\"0\"",
    "1",
    "ether",
    "?",
    ":",
    ".",
    "new",
    "type",
    "unchecked",
    "var",
    "_",
    "**",
    "-",
    "!",
    "/*",
    "//",
    "\n",
    "pragma",
    "import",
    "is",
    "modifier",
    "event",
    "struct",
    "enum",
    "using",
    "for",
    "if",
    "else",
    "while",
    "do",
    "payable",
    "address",
    "memory",
    "let",
    ":=",
    "constructor",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SOUP), 0..80).prop_map(|t| t.join(" "))
}

proptest! {
    // PROPTEST_CASES raises the count for longer local runs.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(500),
        ..ProptestConfig::default()
    })]

    #[test]
    fn truncated_fixtures(index in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>()) {
        let src = &fixtures()[index.index(fixtures().len())];
        let mut at = cut.index(src.len() + 1);
        while !src.is_char_boundary(at) {
            at -= 1;
        }
        check(&src[..at]);
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
        let mut i = at.index(src.len() + 1);
        while !src.is_char_boundary(i) {
            i -= 1;
        }
        check(&format!("{}{}{}", &src[..i], soup, &src[i..]));
    }

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_token_soup(soup in soup()) {
        check(&soup);
    }
}
