//! Normalisation of solc `typeString`s before comparing them.
//!
//! Type strings are compared textually. Only the parts of solc's text that
//! are an accident of how solc prints a value, not a statement about the
//! type, are rewritten — and they are rewritten the same way on both sides:
//!
//! - literal number types lose their value: `int_const 42`, `int_const -1`,
//!   `int_const 1157...(70 digits omitted)...9935` all become `int_const`,
//!   and `rational_const 1 / 2` becomes `rational_const`. solc abbreviates
//!   long values and prints fractions reduced; what matters to analysis is
//!   that the expression is a compile-time constant of that family.
//! - string literal types lose their text: `literal_string "hi"` and
//!   `literal_string hex"00ff"` become `literal_string` (solc prints the raw
//!   bytes unescaped, so the text is not even reliably delimited).
//! - runs of whitespace become one space and the ends are trimmed.
//!
//! Everything else is kept verbatim, because it is semantic: data locations
//! and `ref`/`pointer` (`struct S storage ref` vs `storage pointer`),
//! `address` vs `address payable`, state mutability in function types,
//! tuple shapes, `type(...)` wrappers and module paths.

use std::borrow::Cow;

const INT_CONST: &str = "int_const";
const RATIONAL_CONST: &str = "rational_const";
const LITERAL_STRING: &str = "literal_string";

/// Apply the rules in the module documentation.
pub fn normalize_type_string(type_string: &str) -> Cow<'_, str> {
    let trimmed = type_string.trim();
    let needs_work = trimmed.contains(INT_CONST)
        || trimmed.contains(RATIONAL_CONST)
        || trimmed.contains(LITERAL_STRING)
        || has_whitespace_run(trimmed);
    if !needs_work {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut rest = trimmed;
    while !rest.is_empty() {
        let at_word_start = !out.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
        let number = at_word_start
            .then(|| strip_keyword(rest, INT_CONST).or_else(|| strip_keyword(rest, RATIONAL_CONST)))
            .flatten();
        let string = at_word_start
            .then(|| strip_keyword(rest, LITERAL_STRING))
            .flatten();
        if let Some(after) = number {
            out.push_str(&rest[..rest.len() - after.len()]);
            rest = skip_number_value(after);
        } else if let Some(after) = string {
            out.push_str(LITERAL_STRING);
            rest = skip_string_value(after);
        } else {
            let ch = rest.chars().next().expect("rest is not empty");
            if ch.is_whitespace() {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(ch);
            }
            rest = &rest[ch.len_utf8()..];
        }
    }
    Cow::Owned(out.trim().to_string())
}

fn has_whitespace_run(s: &str) -> bool {
    let mut previous_space = false;
    for ch in s.chars() {
        let space = ch.is_whitespace();
        if space && (previous_space || ch != ' ') {
            return true;
        }
        previous_space = space;
    }
    false
}

/// `rest` without a leading `keyword`, when the keyword stands as a word of
/// its own (so `my_int_const` is left alone).
fn strip_keyword<'a>(rest: &'a str, keyword: &str) -> Option<&'a str> {
    let after = rest.strip_prefix(keyword)?;
    match after.chars().next() {
        None | Some(' ') | Some(',') | Some(')') => Some(after),
        Some(_) => None,
    }
}

/// Skip ` <value>` after `int_const` / `rational_const`: digits, sign,
/// ` / ` of fractions, and solc's `...(N digits omitted)...` abbreviation.
fn skip_number_value(after_keyword: &str) -> &str {
    let Some(mut rest) = after_keyword.strip_prefix(' ') else {
        return after_keyword;
    };
    loop {
        if let Some(after) = rest.strip_prefix(" / ") {
            rest = after;
        } else if let Some(after) = skip_omitted_digits(rest) {
            rest = after;
        } else if rest.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
            rest = &rest[1..];
        } else {
            return rest;
        }
    }
}

/// `(70 digits omitted)` at the start of `rest`, returning what follows.
fn skip_omitted_digits(rest: &str) -> Option<&str> {
    let inner = rest.strip_prefix('(')?;
    let digits = inner.chars().take_while(|c| c.is_ascii_digit()).count();
    let tail = inner[digits..].strip_prefix(" digits omitted)")?;
    (digits > 0).then_some(tail)
}

/// Skip ` "text"` or ` hex"ab"` after `literal_string`. solc does not escape
/// the text, so the closing quote is the last `"` that is followed by the end
/// of the type string or by a `,` / `)` closing an enclosing tuple.
fn skip_string_value(after_keyword: &str) -> &str {
    let Some(rest) = after_keyword.strip_prefix(' ') else {
        return after_keyword;
    };
    let body_start = if rest.starts_with("hex\"") {
        4
    } else if rest.starts_with("unicode\"") {
        8
    } else if rest.starts_with('"') {
        1
    } else {
        return rest;
    };
    let body = &rest[body_start..];
    // Prefer the quote that ends the whole string, then a quote followed by
    // a tuple separator.
    if body.ends_with('"') && !body.is_empty() {
        let candidate = &body[..body.len() - 1];
        if !candidate.contains("\",") && !candidate.contains("\")") {
            return "";
        }
    }
    for (index, _) in body.match_indices('"') {
        let after = &body[index + 1..];
        if after.is_empty() || after.starts_with(',') || after.starts_with(')') {
            return after;
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::normalize_type_string as norm;

    #[test]
    fn plain_types_are_untouched() {
        assert_eq!(norm("uint256"), "uint256");
        assert_eq!(
            norm("mapping(address => uint256)"),
            "mapping(address => uint256)"
        );
        assert_eq!(
            norm("struct Roles.Role storage ref"),
            "struct Roles.Role storage ref"
        );
    }

    #[test]
    fn number_literals_lose_their_value() {
        assert_eq!(norm("int_const 42"), "int_const");
        assert_eq!(norm("int_const -1"), "int_const");
        assert_eq!(
            norm("int_const 1157...(70 digits omitted)...9935"),
            "int_const"
        );
        assert_eq!(norm("rational_const 1 / 2"), "rational_const");
        assert_eq!(norm("rational_const -5 / 3"), "rational_const");
        assert_eq!(norm("tuple(int_const 7,bool)"), "tuple(int_const,bool)");
        assert_eq!(
            norm("tuple(int_const -1,rational_const 1 / 2)"),
            "tuple(int_const,rational_const)"
        );
    }

    #[test]
    fn string_literals_lose_their_text() {
        assert_eq!(norm("literal_string \"hello, world)\""), "literal_string");
        assert_eq!(norm("literal_string hex\"00ff\""), "literal_string");
        assert_eq!(
            norm("tuple(literal_string \"a,b\",uint8)"),
            "tuple(literal_string,uint8)"
        );
    }

    #[test]
    fn whitespace_is_collapsed() {
        assert_eq!(
            norm("  function (uint256)   pure returns (bool) "),
            "function (uint256) pure returns (bool)"
        );
    }

    #[test]
    fn keyword_must_stand_alone() {
        assert_eq!(norm("struct my_int_constant"), "struct my_int_constant");
        assert_eq!(
            norm("struct A.my_int_const storage ref"),
            "struct A.my_int_const storage ref"
        );
    }
}
