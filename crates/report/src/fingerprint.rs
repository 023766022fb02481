//! Finding fingerprints that survive unrelated edits.
//!
//! CI integrations (GitHub code scanning via SARIF `partialFingerprints`,
//! baselines, `bulwark serve` triage) match findings across commits by this
//! value, so it must not contain line numbers. It hashes:
//!
//! - the detector id, the file, the contract and the function;
//! - the primary location's source text with comments removed and
//!   whitespace normalised (so reformatting does not change it);
//! - an occurrence index that tells apart identical statements reported by
//!   the same detector in the same function (counted in source order).
//!
//! Moving code, adding code elsewhere or reformatting keeps the value;
//! editing the flagged statement, renaming its function or moving it to
//! another function changes it.

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

use crate::lexical::{segments, SegmentKind};
use crate::model::Finding;
use crate::source::SourceText;

/// The key under which SARIF output publishes the fingerprint. Bump the
/// suffix if the hashed inputs ever change, so consumers do not match old
/// and new values.
pub const FINGERPRINT_KEY: &str = "bulwark/v1";

/// Hex characters kept from the SHA-256 digest (128 bits: collisions are
/// not a practical concern, and shorter values are friendlier in reports).
const FINGERPRINT_HEX_LEN: usize = 32;

/// Gives [`assign_fingerprints`] the text of a file named in a finding.
pub trait SourceLookup {
    fn source_of(&self, file: &str) -> Option<&str>;
}

impl SourceLookup for HashMap<String, String> {
    fn source_of(&self, file: &str) -> Option<&str> {
        self.get(file).map(String::as_str)
    }
}

impl SourceLookup for BTreeMap<String, String> {
    fn source_of(&self, file: &str) -> Option<&str> {
        self.get(file).map(String::as_str)
    }
}

/// Removes comments and normalises whitespace: runs of whitespace become
/// one space where they separate two word characters (`uint x`) and vanish
/// elsewhere (`a + b` and `a+b` normalise alike). String literals are kept
/// verbatim because their content is meaningful.
pub fn normalise_snippet(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for segment in segments(text) {
        let piece = &text[segment.range.clone()];
        match segment.kind {
            SegmentKind::LineComment | SegmentKind::BlockComment => pending_space = true,
            SegmentKind::String => {
                push_separator(&mut out, &mut pending_space, piece);
                out.push_str(piece);
            }
            SegmentKind::Code => {
                for ch in piece.chars() {
                    if ch.is_whitespace() {
                        pending_space = true;
                    } else {
                        let mut buf = [0u8; 4];
                        push_separator(&mut out, &mut pending_space, ch.encode_utf8(&mut buf));
                        out.push(ch);
                    }
                }
            }
        }
    }
    out
}

fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_' || ch == '$'
}

/// Emits a single space if whitespace (or a comment) separated two word
/// characters, where dropping it would merge two tokens.
fn push_separator(out: &mut String, pending_space: &mut bool, next: &str) {
    if std::mem::take(pending_space) {
        let prev_is_word = out.chars().last().is_some_and(is_word_char);
        let next_is_word = next.chars().next().is_some_and(is_word_char);
        if prev_is_word && next_is_word {
            out.push(' ');
        }
    }
}

/// The fingerprint of one finding from its already-normalised parts.
pub fn fingerprint(
    detector: &str,
    file: &str,
    contract: Option<&str>,
    function: Option<&str>,
    normalised_snippet: &str,
    occurrence: usize,
) -> String {
    let mut hasher = Sha256::new();
    // Fields are separated by NUL so that ("ab","c") and ("a","bc") differ;
    // absent scopes hash differently from empty names via the marker byte.
    for field in [
        Some(FINGERPRINT_KEY),
        Some(detector),
        Some(file),
        contract,
        function,
        Some(normalised_snippet),
    ] {
        match field {
            Some(text) => {
                hasher.update([1u8]);
                hasher.update(text.as_bytes());
            }
            None => hasher.update([0u8]),
        }
        hasher.update([0u8]);
    }
    hasher.update(occurrence.to_string().as_bytes());
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(FINGERPRINT_HEX_LEN);
    for byte in digest.iter().take(FINGERPRINT_HEX_LEN / 2) {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// The normalised text a finding's fingerprint is computed from: the primary
/// location's source text, or the message when the source is unavailable
/// (for example a fuzzer finding with no source position). Line indexes are
/// built once per file and kept in `indexes`, since one file often carries
/// many findings.
fn identity_text<'s, S: SourceLookup + ?Sized>(
    finding: &Finding,
    sources: &'s S,
    indexes: &mut HashMap<String, Option<SourceText<'s>>>,
) -> String {
    let snippet = finding.primary().and_then(|loc| {
        let text = indexes
            .entry(loc.file.clone())
            .or_insert_with(|| sources.source_of(&loc.file).map(SourceText::new))
            .as_ref()?;
        text.slice(
            loc.start_line,
            loc.start_column,
            loc.end_line,
            loc.end_column,
        )
        .map(|text| normalise_snippet(block_header(text)))
        .filter(|s| !s.is_empty())
    });
    snippet.unwrap_or_else(|| normalise_snippet(&finding.message))
}

/// Words that open a construct with a body; a span starting with one of
/// them covers a declaration or a compound statement.
const BLOCK_KEYWORDS: &[&str] = &[
    "abstract",
    "contract",
    "interface",
    "library",
    "function",
    "modifier",
    "constructor",
    "fallback",
    "receive",
    "if",
    "else",
    "for",
    "while",
    "do",
    "unchecked",
    "assembly",
    "try",
];

/// For a span that covers a whole block (a contract, a function, an `if`
/// with its body), the part up to and including the `{` that ends a line:
/// the declaration or condition, not the body. Otherwise an edit anywhere
/// inside a flagged function would change the finding's identity. Spans on
/// one line and simple statements (whose `{` may open wrapped call options,
/// `call{\n value: x\n}`) are returned whole.
fn block_header(text: &str) -> &str {
    let first_word: String = text
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !text.contains('\n') || !BLOCK_KEYWORDS.contains(&first_word.as_str()) {
        return text;
    }
    let mut last_code: Option<(usize, u8)> = None;
    for segment in segments(text) {
        match segment.kind {
            SegmentKind::Code => {
                for (offset, byte) in text.as_bytes()[segment.range.clone()].iter().enumerate() {
                    let at = segment.range.start + offset;
                    if *byte == b'\n' {
                        if let Some((brace, b'{')) = last_code {
                            // Never cut a span down to nothing but a brace
                            // on its last line.
                            if at < text.len() - 1 {
                                return &text[..=brace];
                            }
                        }
                    } else if !byte.is_ascii_whitespace() {
                        last_code = Some((at, *byte));
                    }
                }
            }
            SegmentKind::String => last_code = Some((segment.range.end - 1, b'"')),
            SegmentKind::LineComment | SegmentKind::BlockComment => {}
        }
    }
    text
}

/// Computes and stores the fingerprint of every finding. Occurrence indices
/// are counted over the whole slice, so call it once with all findings of
/// an analysis (before filtering by severity or suppressions, so that
/// filtering one finding out does not renumber its twins).
pub fn assign_fingerprints<S: SourceLookup + ?Sized>(findings: &mut [Finding], sources: &S) {
    type Key = (String, String, Option<String>, Option<String>, String);
    let mut groups: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    let mut indexes = HashMap::new();
    for (index, finding) in findings.iter().enumerate() {
        let primary = finding.primary();
        let key = (
            finding.detector.clone(),
            primary.map(|l| l.file.clone()).unwrap_or_default(),
            primary.and_then(|l| l.contract.clone()),
            primary.and_then(|l| l.function.clone()),
            identity_text(finding, sources, &mut indexes),
        );
        groups.entry(key).or_default().push(index);
    }
    for ((detector, file, contract, function, snippet), mut members) in groups {
        // Source order, so twins keep their index when unrelated code moves.
        members.sort_by_key(|&i| {
            findings[i]
                .primary()
                .map(|l| (l.start_line, l.start_column))
                .unwrap_or_default()
        });
        for (occurrence, index) in members.into_iter().enumerate() {
            findings[index].fingerprint = fingerprint(
                &detector,
                &file,
                contract.as_deref(),
                function.as_deref(),
                &snippet,
                occurrence,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_ignores_layout_and_comments_but_keeps_tokens_apart() {
        assert_eq!(
            normalise_snippet("balances[msg.sender]  -=\n   amount; // pay"),
            "balances[msg.sender]-=amount;"
        );
        assert_eq!(normalise_snippet("uint256   x /* c */ = 1"), "uint256 x=1");
        assert_eq!(normalise_snippet("return/**/x"), "return x");
    }

    #[test]
    fn normalisation_keeps_string_contents_verbatim() {
        assert_eq!(normalise_snippet("f( \"a  b\" )"), "f(\"a  b\")");
    }

    #[test]
    fn block_spans_are_cut_after_the_line_opening_the_body() {
        let function = "function f(\n    uint a\n) external { // note\n    x = a;\n}";
        assert_eq!(
            block_header(function),
            "function f(\n    uint a\n) external {"
        );
        assert_eq!(
            block_header("contract A\n{\n    uint x;\n}"),
            "contract A\n{"
        );
        let wrapped_call = "token.transfer(\n    to,\n    amount\n);";
        assert_eq!(block_header(wrapped_call), wrapped_call);
        let wrapped_options = "(bool ok, ) = to.call{\n    value: 1\n}(\"\");";
        assert_eq!(block_header(wrapped_options), wrapped_options);
        assert_eq!(block_header("if (x) {\n    y();\n}"), "if (x) {");
        assert_eq!(block_header("f{value: 1}(x);"), "f{value: 1}(x);");
        let string_brace = "if (eq(s, \"{\")\n) revert();";
        assert_eq!(block_header(string_brace), string_brace);
    }

    #[test]
    fn every_input_contributes_to_the_hash() {
        let base = fingerprint("d", "a.sol", Some("C"), Some("f"), "x=1;", 0);
        assert_eq!(base.len(), FINGERPRINT_HEX_LEN);
        assert_ne!(
            base,
            fingerprint("e", "a.sol", Some("C"), Some("f"), "x=1;", 0)
        );
        assert_ne!(
            base,
            fingerprint("d", "b.sol", Some("C"), Some("f"), "x=1;", 0)
        );
        assert_ne!(
            base,
            fingerprint("d", "a.sol", Some("D"), Some("f"), "x=1;", 0)
        );
        assert_ne!(base, fingerprint("d", "a.sol", Some("C"), None, "x=1;", 0));
        assert_ne!(
            base,
            fingerprint("d", "a.sol", Some("C"), Some("f"), "x=2;", 0)
        );
        assert_ne!(
            base,
            fingerprint("d", "a.sol", Some("C"), Some("f"), "x=1;", 1)
        );
        assert_ne!(
            fingerprint("d", "a.sol", Some("Cf"), Some(""), "s", 0),
            fingerprint("d", "a.sol", Some("C"), Some("f"), "s", 0)
        );
    }
}
