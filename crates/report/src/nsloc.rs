//! Normalised source lines of code, the size measure audit reports quote.
//!
//! A line counts when it holds at least one character of code or of a string
//! literal outside comments. Blank lines, comment-only lines (including every
//! line inside a block comment and NatSpec) do not count. Multi-line
//! statements count once per line that holds code, which keeps the measure
//! simple to explain and independent of a formatter.

use crate::lexical::lines_with_code;

/// Counts the normalised source lines of one Solidity source text.
pub fn nsloc(source: &str) -> usize {
    lines_with_code(source)
        .into_iter()
        .filter(|&has_code| has_code)
        .count()
}

#[cfg(test)]
mod tests {
    use super::nsloc;

    #[test]
    fn blank_and_comment_only_lines_do_not_count() {
        let src = "\
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

/// @notice NatSpec
contract A {
    /* a block
       comment */
    uint x; // trailing comment
}
";
        assert_eq!(nsloc(src), 4);
    }

    #[test]
    fn comment_markers_inside_strings_keep_the_line_as_code() {
        let src = "string s = \"//not a comment\";\nstring t = \"/*\";\nuint y;\n";
        assert_eq!(nsloc(src), 3);
    }

    #[test]
    fn code_after_a_block_comment_on_the_same_line_counts() {
        let src = "/* start\n end */ uint z;\n/* only */\n";
        assert_eq!(nsloc(src), 1);
    }

    #[test]
    fn empty_and_whitespace_sources_have_no_lines() {
        assert_eq!(nsloc(""), 0);
        assert_eq!(nsloc("  \n\t\n"), 0);
    }

    #[test]
    fn crlf_line_endings_are_counted_like_lf() {
        assert_eq!(nsloc("a;\r\n\r\n// c\r\nb;\r\n"), 2);
    }
}
