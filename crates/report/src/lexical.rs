//! A minimal Solidity lexical scanner: splits text into code, string
//! literals and comments.
//!
//! nSLOC, suppression comments and fingerprint normalisation only need to
//! know which bytes are comments and which are strings (so that `"//"` in a
//! string is not a comment and `// bulwark-disable` inside a string is not a
//! directive). The full parser lives in the syntax crate, which this crate
//! must not depend on; this scanner is deliberately tiny and never fails:
//! unterminated strings end at the line end, unterminated block comments at
//! the end of the text.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    Code,
    /// A string literal including its quotes (`hex`/`unicode` prefixes stay code).
    String,
    /// `// ...` up to, not including, the newline.
    LineComment,
    /// `/* ... */` including the delimiters.
    BlockComment,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub kind: SegmentKind,
    pub range: Range<usize>,
}

impl Segment {
    pub fn is_comment(&self) -> bool {
        matches!(
            self.kind,
            SegmentKind::LineComment | SegmentKind::BlockComment
        )
    }
}

/// Splits `text` into consecutive segments covering every byte.
pub fn segments(text: &str) -> Vec<Segment> {
    let bytes = text.as_bytes();
    let mut out: Vec<Segment> = Vec::new();
    let mut code_start = 0;
    let mut i = 0;

    // Closes the pending code run before a string or comment starting at `at`.
    let flush_code = |out: &mut Vec<Segment>, from: usize, at: usize| {
        if from < at {
            out.push(Segment {
                kind: SegmentKind::Code,
                range: from..at,
            });
        }
    };

    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        let (kind, end) = match (b, next) {
            (b'/', Some(b'/')) => {
                let end = memchr_newline(bytes, i);
                (SegmentKind::LineComment, end)
            }
            (b'/', Some(b'*')) => {
                let end = text[i + 2..]
                    .find("*/")
                    .map(|p| i + 2 + p + 2)
                    .unwrap_or(bytes.len());
                (SegmentKind::BlockComment, end)
            }
            (b'"' | b'\'', _) => (SegmentKind::String, string_end(bytes, i)),
            _ => {
                i += 1;
                continue;
            }
        };
        flush_code(&mut out, code_start, i);
        out.push(Segment {
            kind,
            range: i..end,
        });
        i = end;
        code_start = end;
    }
    flush_code(&mut out, code_start, bytes.len());
    out
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|p| from + p)
        .unwrap_or(bytes.len())
}

/// End (exclusive) of the string literal opening at `start`. Backslash
/// escapes are honoured; a literal never spans a newline (Solidity forbids
/// it), so an unterminated one stops at the line end.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Per 1-based line, whether it holds any code or string token (as opposed
/// to nothing but whitespace and comments). Index 0 is unused.
pub fn lines_with_code(text: &str) -> Vec<bool> {
    let line_count = text.split('\n').count();
    let mut has_code = vec![false; line_count + 1];
    let mut line = 1;
    let mut segments = segments(text).into_iter().peekable();
    // Walk the text once, tracking the line and which segment we are in.
    let mut current = segments.next();
    for (offset, ch) in text.char_indices() {
        while let Some(seg) = &current {
            if offset >= seg.range.end {
                current = segments.next();
            } else {
                break;
            }
        }
        if ch == '\n' {
            line += 1;
            continue;
        }
        let is_code = current.as_ref().is_some_and(|seg| !seg.is_comment());
        if is_code && !ch.is_whitespace() {
            has_code[line] = true;
        }
    }
    has_code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(SegmentKind, &str)> {
        segments(text)
            .into_iter()
            .map(|s| (s.kind, &text[s.range]))
            .collect()
    }

    #[test]
    fn comment_markers_inside_strings_are_string_content() {
        assert_eq!(
            kinds(r#"s = "http://x/*y*/"; // c"#),
            vec![
                (SegmentKind::Code, "s = "),
                (SegmentKind::String, r#""http://x/*y*/""#),
                (SegmentKind::Code, "; "),
                (SegmentKind::LineComment, "// c"),
            ]
        );
    }

    #[test]
    fn escaped_quotes_do_not_end_a_string() {
        assert_eq!(
            kinds(r#"'it\'s' x"#),
            vec![
                (SegmentKind::String, r#"'it\'s'"#),
                (SegmentKind::Code, " x"),
            ]
        );
    }

    #[test]
    fn quotes_inside_comments_do_not_open_strings() {
        assert_eq!(
            kinds("/* don't */ a // it's\nb"),
            vec![
                (SegmentKind::BlockComment, "/* don't */"),
                (SegmentKind::Code, " a "),
                (SegmentKind::LineComment, "// it's"),
                (SegmentKind::Code, "\nb"),
            ]
        );
    }

    #[test]
    fn unterminated_block_comment_runs_to_the_end() {
        assert_eq!(
            kinds("a /* b\nc"),
            vec![
                (SegmentKind::Code, "a "),
                (SegmentKind::BlockComment, "/* b\nc"),
            ]
        );
    }

    #[test]
    fn lines_with_code_ignores_comment_only_lines() {
        let text = "a;\n// c\n/* x\n y */ b;\n\n";
        assert_eq!(
            lines_with_code(text),
            vec![false, true, false, false, true, false, false]
        );
    }
}
