//! Decoding literal text into values.

use crate::ast::StringKind;

/// The number as written without `_` separators (`1_000` -> `1000`).
pub(super) fn number_value(text: &str) -> String {
    if text.contains('_') {
        text.chars().filter(|&c| c != '_').collect()
    } else {
        text.to_string()
    }
}

/// Strips the `hex`/`unicode` prefix and the quotes of a string token.
/// Tolerates a missing closing quote (already reported by the lexer).
fn quoted_body(text: &str) -> &str {
    let text = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let Some(quote) = text.chars().next() else {
        return "";
    };
    let body = &text[1..];
    body.strip_suffix(quote).unwrap_or(body)
}

/// Appends the bytes a string token denotes to `out`. On a malformed
/// escape or hex digit, decodes what it can and returns the message.
pub(super) fn decode_string(text: &str, kind: StringKind, out: &mut Vec<u8>) -> Result<(), String> {
    let body = quoted_body(text);
    match kind {
        StringKind::Hex => decode_hex(body, out),
        StringKind::Plain | StringKind::Unicode => decode_escapes(body, out),
    }
}

fn decode_hex(body: &str, out: &mut Vec<u8>) -> Result<(), String> {
    let digits: Vec<u8> = body.bytes().filter(|&b| b != b'_').collect();
    if let Some(bad) = digits.iter().find(|b| !b.is_ascii_hexdigit()) {
        return Err(format!(
            "invalid hex string literal: expected hex digits, found {:?}",
            *bad as char
        ));
    }
    if !digits.len().is_multiple_of(2) {
        return Err("invalid hex string literal: expected an even number of hex digits".into());
    }
    for pair in digits.chunks(2) {
        out.push(hex_val(pair[0]) * 16 + hex_val(pair[1]));
    }
    Ok(())
}

fn hex_val(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

fn decode_escapes(body: &str, out: &mut Vec<u8>) -> Result<(), String> {
    let bytes = body.as_bytes();
    let mut error = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&esc) = bytes.get(i + 1) else {
            break;
        };
        i += 2;
        match esc {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'v' => out.push(0x0b),
            b'0' => out.push(0),
            b'\\' | b'\'' | b'"' => out.push(esc),
            // Line continuation: the newline is not part of the value.
            b'\n' => {}
            b'\r' => {
                if bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'x' => match bytes.get(i..i + 2) {
                Some(h) if h.iter().all(u8::is_ascii_hexdigit) => {
                    out.push(hex_val(h[0]) * 16 + hex_val(h[1]));
                    i += 2;
                }
                _ => error = Some("invalid escape: expected two hex digits after '\\x'"),
            },
            b'u' => match bytes.get(i..i + 4) {
                Some(h) if h.iter().all(u8::is_ascii_hexdigit) => {
                    let code = h.iter().fold(0u32, |acc, &d| acc * 16 + hex_val(d) as u32);
                    let c = char::from_u32(code).unwrap_or('\u{fffd}');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    i += 4;
                }
                _ => error = Some("invalid escape: expected four hex digits after '\\u'"),
            },
            other => {
                // Keep the character: being lenient costs nothing here and
                // the compiler's own rejection is not ours to replicate.
                out.push(other);
            }
        }
    }
    match error {
        Some(message) => Err(message.to_string()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str, kind: StringKind) -> (Vec<u8>, bool) {
        let mut out = Vec::new();
        let ok = decode_string(text, kind, &mut out).is_ok();
        (out, ok)
    }

    #[test]
    fn escapes() {
        assert_eq!(
            decode(r#""a\n\"b\x41\u00e9""#, StringKind::Plain),
            ("a\n\"bAé".as_bytes().to_vec(), true)
        );
        assert_eq!(
            decode("'it\\'s'", StringKind::Plain),
            (b"it's".to_vec(), true)
        );
        assert_eq!(
            decode("\"a\\\nb\"", StringKind::Plain),
            (b"ab".to_vec(), true)
        );
        assert!(!decode(r#""\xZZ""#, StringKind::Plain).1);
        assert_eq!(
            decode("unicode\"é\"", StringKind::Unicode).0,
            "é".as_bytes()
        );
    }

    #[test]
    fn hex_strings() {
        assert_eq!(
            decode("hex\"00ff_10\"", StringKind::Hex),
            (vec![0, 255, 16], true)
        );
        assert!(!decode("hex\"abc\"", StringKind::Hex).1);
        assert!(!decode("hex\"zz\"", StringKind::Hex).1);
    }

    #[test]
    fn numbers_drop_separators() {
        assert_eq!(number_value("1_000_000"), "1000000");
        assert_eq!(number_value("0xff"), "0xff");
    }
}
