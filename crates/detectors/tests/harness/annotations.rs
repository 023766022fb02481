//! Parses the `// expect:`, `// expect-next-line:` and `// ok:`
//! annotations of a fixture file (conventions in `tests/fixtures/README.md`).
//!
//! Parsing is strict: a misspelt directive would otherwise silently drop an
//! expectation and let a detector regress unnoticed.

use std::fmt;

/// A finding the analysis must report: `detector` with its primary
/// location starting on `line` (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    pub detector: String,
    pub line: u32,
}

/// A near miss documented with `// ok: <reason>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMiss {
    pub line: u32,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Annotations {
    pub expectations: Vec<Expectation>,
    pub near_misses: Vec<NearMiss>,
}

/// A malformed annotation, on 1-based `line`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnotationError {
    pub line: u32,
    pub message: String,
}

impl fmt::Display for AnnotationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

const EXPECT: &str = "expect:";
const EXPECT_NEXT_LINE: &str = "expect-next-line:";
const OK: &str = "ok:";

/// Parses every annotation of `source`, reporting all malformed ones at
/// once rather than stopping at the first.
pub fn parse(source: &str) -> Result<Annotations, Vec<AnnotationError>> {
    let lines: Vec<&str> = source.lines().collect();
    let mut annotations = Annotations::default();
    let mut errors = Vec::new();
    let mut in_block_comment = false;

    for (index, text) in lines.iter().enumerate() {
        let line = index as u32 + 1;
        let Some((code, comment)) = split_line_comment(text, &mut in_block_comment) else {
            continue;
        };
        let has_code = !code.trim().is_empty();
        let mut error = |message: String| errors.push(AnnotationError { line, message });

        if let Some(rest) = comment.strip_prefix(EXPECT_NEXT_LINE) {
            if has_code {
                error(format!(
                    "`{EXPECT_NEXT_LINE}` must be alone on its line; use `{EXPECT}` after code"
                ));
                continue;
            }
            let next_has_code = lines
                .get(index + 1)
                .is_some_and(|next| !next.trim().is_empty());
            if !next_has_code {
                error(format!(
                    "`{EXPECT_NEXT_LINE}` must be followed by a line of code"
                ));
                continue;
            }
            match parse_ids(rest) {
                Ok(ids) => annotations
                    .expectations
                    .extend(ids.into_iter().map(|detector| Expectation {
                        detector,
                        line: line + 1,
                    })),
                Err(message) => error(message),
            }
        } else if let Some(rest) = comment.strip_prefix(EXPECT) {
            if !has_code {
                error(format!(
                    "`{EXPECT}` must follow code on the same line; use `{EXPECT_NEXT_LINE}` on the line above"
                ));
                continue;
            }
            match parse_ids(rest) {
                Ok(ids) => annotations.expectations.extend(
                    ids.into_iter()
                        .map(|detector| Expectation { detector, line }),
                ),
                Err(message) => error(message),
            }
        } else if let Some(rest) = comment.strip_prefix(OK) {
            let reason = rest.trim();
            if reason.is_empty() {
                error(format!("`{OK}` needs a reason: `// ok: <why it is safe>`"));
            } else {
                annotations.near_misses.push(NearMiss {
                    line,
                    reason: reason.to_string(),
                });
            }
        } else if looks_like_misspelt_expect(comment) {
            error(format!(
                "unknown directive `{}`; the directives are `{EXPECT}`, `{EXPECT_NEXT_LINE}` and `{OK}`",
                comment.split(':').next().unwrap_or(comment)
            ));
        }
    }

    if errors.is_empty() {
        Ok(annotations)
    } else {
        Err(errors)
    }
}

/// Splits one line into the code before a `//` comment and the comment's
/// trimmed text (without the slashes), or `None` when the line has no line
/// comment. `//` inside string literals or block comments does not count;
/// `in_block_comment` carries `/* ... */` state across lines.
fn split_line_comment<'a>(
    line: &'a str,
    in_block_comment: &mut bool,
) -> Option<(&'a str, &'a str)> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        if *in_block_comment {
            if b == b'*' && next == Some(b'/') {
                *in_block_comment = false;
                i += 2;
                continue;
            }
        } else if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q {
                quote = None;
            }
        } else if b == b'"' || b == b'\'' {
            quote = Some(b);
        } else if b == b'/' && next == Some(b'*') {
            *in_block_comment = true;
            i += 2;
            continue;
        } else if b == b'/' && next == Some(b'/') {
            let comment = line[i..].trim_start_matches('/').trim();
            return Some((&line[..i], comment));
        }
        i += 1;
    }
    None
}

/// A comment that reads like a directive with a colon (`expects:`,
/// `expect-line:`, `Expect:`) but is none of the known ones. Prose such as
/// "expected to revert" has no colon after the first word and is left alone.
fn looks_like_misspelt_expect(comment: &str) -> bool {
    let word = comment
        .split(|c: char| c.is_whitespace() || c == ':')
        .next()
        .unwrap_or("");
    word.to_ascii_lowercase().starts_with("expect") && comment[word.len()..].starts_with(':')
}

/// Parses `reentrancy-eth, tx-origin` into ids, each kebab-case.
fn parse_ids(list: &str) -> Result<Vec<String>, String> {
    let ids: Vec<&str> = list.split(',').map(str::trim).collect();
    if ids.iter().all(|id| id.is_empty()) {
        return Err("annotation names no detector".to_string());
    }
    ids.into_iter()
        .map(|id| {
            if is_kebab_case(id) {
                Ok(id.to_string())
            } else {
                Err(format!("`{id}` is not a detector id (kebab-case expected)"))
            }
        })
        .collect()
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
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

    fn messages(source: &str) -> Vec<String> {
        parse(source)
            .expect_err("parse should fail")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn end_of_line_and_next_line_expectations_point_at_the_code_line() {
        let src = "contract A {\n    x(); // expect: tx-origin\n    // expect-next-line: weak-prng\n    y();\n}\n";
        let parsed = parse(src).unwrap();
        assert_eq!(
            parsed.expectations,
            vec![expect("tx-origin", 2), expect("weak-prng", 4)]
        );
    }

    #[test]
    fn several_ids_on_one_line_and_repeated_ids_are_all_kept() {
        let parsed =
            parse("a(); // expect: reentrancy-eth, unchecked-low-level-call, reentrancy-eth\n")
                .unwrap();
        assert_eq!(
            parsed.expectations,
            vec![
                expect("reentrancy-eth", 1),
                expect("unchecked-low-level-call", 1),
                expect("reentrancy-eth", 1)
            ]
        );
    }

    #[test]
    fn near_misses_keep_their_reason_and_require_one() {
        let parsed = parse("a(); // ok: guarded by the mutex\n").unwrap();
        assert_eq!(
            parsed.near_misses,
            vec![NearMiss {
                line: 1,
                reason: "guarded by the mutex".to_string()
            }]
        );
        assert_eq!(
            messages("a(); // ok:\n"),
            vec!["line 1: `ok:` needs a reason: `// ok: <why it is safe>`"]
        );
    }

    #[test]
    fn expect_without_code_and_next_line_after_code_are_rejected() {
        let errors = messages("// expect: tx-origin\na(); // expect-next-line: tx-origin\nb();\n");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("line 1: `expect:` must follow code"));
        assert!(errors[1].starts_with("line 2: `expect-next-line:` must be alone"));
    }

    #[test]
    fn expect_next_line_needs_a_following_code_line() {
        let errors = messages("a();\n// expect-next-line: tx-origin\n\nb();\n");
        assert_eq!(
            errors,
            vec!["line 2: `expect-next-line:` must be followed by a line of code"]
        );
        assert_eq!(messages("// expect-next-line: tx-origin").len(), 1);
    }

    #[test]
    fn misspelt_directives_and_bad_ids_are_errors_but_prose_is_not() {
        let errors = messages("a(); // expects: tx-origin\nb(); // Expect: tx-origin\nc(); // expect: TxOrigin\nd(); // expect:\n");
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("unknown directive `expects`"));
        assert!(errors[1].contains("unknown directive `Expect`"));
        assert!(errors[2].contains("`TxOrigin` is not a detector id"));
        assert!(errors[3].contains("names no detector"));
        let prose = parse("a(); // expected to revert: see below\n// ok then\n").unwrap();
        assert_eq!(prose, Annotations::default());
    }

    #[test]
    fn comment_markers_inside_strings_and_block_comments_are_ignored() {
        let src = concat!(
            "string s = \"// expect: tx-origin\";\n",
            "string t = 'it\\'s // ok: no';\n",
            "/* a(); // expect: tx-origin\n",
            "   b(); // expect: tx-origin */ c(); // expect: weak-prng\n",
        );
        let parsed = parse(src).unwrap();
        assert_eq!(parsed.expectations, vec![expect("weak-prng", 4)]);
        assert!(parsed.near_misses.is_empty());
    }

    #[test]
    fn triple_slash_comments_are_read_like_double_slash_ones() {
        let parsed = parse("a(); /// expect: tx-origin\n").unwrap();
        assert_eq!(parsed.expectations, vec![expect("tx-origin", 1)]);
    }
}
