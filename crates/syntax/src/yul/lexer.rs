//! Yul tokenizer.
//!
//! Yul's lexical rules differ from Solidity's, which is why inline assembly
//! is lexed separately: identifiers may contain `.` (`x.slot`) and `$`, and
//! the punctuation is `:=`, `->`, `=:` (old-style stack assignment) and `:`
//! (labels and typed names).
//!
//! [`lex_block`] tokenizes from the `{` that opens an assembly body up to and
//! including its matching `}`, counting braces outside strings and comments.
//! The parser therefore works on a token list whose braces are balanced
//! (except when the input ends first), which keeps its recovery simple: it
//! can never consume a `}` that belongs to the Solidity code around it.

use crate::{Diagnostic, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Ident,
    DecimalNumber,
    HexNumber,
    String,
    HexString,
    True,
    False,
    Let,
    Function,
    If,
    Switch,
    Case,
    Default,
    For,
    Break,
    Continue,
    Leave,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    /// `:=`
    ColonEq,
    /// `->`
    Arrow,
    /// `=:` (old-style stack assignment)
    EqColon,
    Colon,
    /// A character Yul has no use for; the parser reports it.
    Unknown,
    /// End of input before the block was closed. Always the last token.
    Eof,
}

impl TokenKind {
    /// Keywords that can only begin a statement: safe points to resume
    /// parsing after an error.
    pub(crate) fn starts_statement_keyword(self) -> bool {
        matches!(
            self,
            TokenKind::Let
                | TokenKind::Function
                | TokenKind::If
                | TokenKind::Switch
                | TokenKind::For
                | TokenKind::Break
                | TokenKind::Continue
                | TokenKind::Leave
                | TokenKind::EqColon
        )
    }

    pub(crate) fn is_literal(self) -> bool {
        matches!(
            self,
            TokenKind::DecimalNumber
                | TokenKind::HexNumber
                | TokenKind::String
                | TokenKind::HexString
                | TokenKind::True
                | TokenKind::False
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
    /// A line break (possibly inside a comment) separates this token from
    /// the previous one. Yul has no statement terminator, so line breaks are
    /// the best hint of where a broken statement ends.
    pub line_break_before: bool,
}

impl Token {
    pub(crate) fn span(self) -> Span {
        Span {
            start: self.start,
            end: self.end,
        }
    }
}

/// Tokens of one assembly block and the offset just past its closing brace.
pub(crate) struct LexedBlock {
    /// Starts with `{`; ends with the matching `}` or with [`TokenKind::Eof`]
    /// when the input ends first.
    pub tokens: Vec<Token>,
    pub end: usize,
}

/// Tokenizes the block whose `{` is at `open_brace` (the caller checked it).
pub(crate) fn lex_block(
    source: &str,
    open_brace: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> LexedBlock {
    let mut lexer = Lexer {
        src: source.as_bytes(),
        source,
        pos: open_brace,
        diagnostics,
    };
    // Most assembly blocks are a few lines long; 64 tokens covers the
    // typical one without regrowth and costs little for the rest.
    let mut tokens = Vec::with_capacity(64);
    let mut depth = 0usize;
    loop {
        let line_break_before = lexer.skip_trivia();
        let start = lexer.pos;
        if start >= lexer.src.len() {
            let eof = start.min(lexer.src.len());
            tokens.push(Token {
                kind: TokenKind::Eof,
                start: eof as u32,
                end: eof as u32,
                line_break_before,
            });
            lexer.diagnostics.push(Diagnostic::error(
                Span::new(open_brace, open_brace + 1),
                "unclosed assembly block: expected '}' before the end of the file",
            ));
            return LexedBlock {
                tokens,
                end: lexer.src.len(),
            };
        }
        let kind = lexer.token();
        tokens.push(Token {
            kind,
            start: start as u32,
            end: lexer.pos as u32,
            line_break_before,
        });
        match kind {
            TokenKind::LBrace => depth += 1,
            TokenKind::RBrace => {
                depth -= 1;
                if depth == 0 {
                    return LexedBlock {
                        tokens,
                        end: lexer.pos,
                    };
                }
            }
            _ => {}
        }
    }
}

struct Lexer<'s, 'd> {
    src: &'s [u8],
    source: &'s str,
    pos: usize,
    diagnostics: &'d mut Vec<Diagnostic>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$'
}

fn is_ident_continue(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'.'
}

impl Lexer<'_, '_> {
    fn peek_at(&self, offset: usize) -> u8 {
        self.src.get(self.pos + offset).copied().unwrap_or(0)
    }

    /// Skips whitespace and comments; returns whether a line break was seen.
    fn skip_trivia(&mut self) -> bool {
        let mut line_break = false;
        while let Some(&b) = self.src.get(self.pos) {
            match b {
                b'\n' => {
                    line_break = true;
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'/' if self.peek_at(1) == b'/' => {
                    while self.pos < self.src.len() && self.src[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                b'/' if self.peek_at(1) == b'*' => {
                    let start = self.pos;
                    self.pos += 2;
                    loop {
                        match self.src.get(self.pos) {
                            None => {
                                self.diagnostics.push(Diagnostic::error(
                                    Span::new(start, start + 2),
                                    "unterminated block comment: expected '*/'",
                                ));
                                break;
                            }
                            Some(b'*') if self.peek_at(1) == b'/' => {
                                self.pos += 2;
                                break;
                            }
                            Some(&c) => {
                                line_break |= c == b'\n';
                                self.pos += 1;
                            }
                        }
                    }
                }
                _ => break,
            }
        }
        line_break
    }

    /// Lexes one token starting at `self.pos` (not at the end of input).
    fn token(&mut self) -> TokenKind {
        let b = self.src[self.pos];
        match b {
            b'{' => self.punct(1, TokenKind::LBrace),
            b'}' => self.punct(1, TokenKind::RBrace),
            b'(' => self.punct(1, TokenKind::LParen),
            b')' => self.punct(1, TokenKind::RParen),
            b',' => self.punct(1, TokenKind::Comma),
            b':' if self.peek_at(1) == b'=' => self.punct(2, TokenKind::ColonEq),
            b':' => self.punct(1, TokenKind::Colon),
            b'=' if self.peek_at(1) == b':' => self.punct(2, TokenKind::EqColon),
            b'-' if self.peek_at(1) == b'>' => self.punct(2, TokenKind::Arrow),
            b'"' | b'\'' => {
                self.string_body(self.pos);
                TokenKind::String
            }
            b'0'..=b'9' => self.number(),
            _ if is_ident_start(b) => self.identifier(),
            _ => {
                // Step over a whole UTF-8 character so spans stay on
                // character boundaries.
                let len = self.source[self.pos..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                self.pos += len;
                TokenKind::Unknown
            }
        }
    }

    fn punct(&mut self, len: usize, kind: TokenKind) -> TokenKind {
        self.pos += len;
        kind
    }

    fn identifier(&mut self) -> TokenKind {
        let start = self.pos;
        while self.pos < self.src.len() && is_ident_continue(self.src[self.pos]) {
            self.pos += 1;
        }
        let text = &self.src[start..self.pos];
        if text == b"hex" && matches!(self.src.get(self.pos), Some(b'"' | b'\'')) {
            let body_start = self.pos;
            self.string_body(start);
            self.check_hex_string(start, body_start);
            return TokenKind::HexString;
        }
        match text {
            b"let" => TokenKind::Let,
            b"function" => TokenKind::Function,
            b"if" => TokenKind::If,
            b"switch" => TokenKind::Switch,
            b"case" => TokenKind::Case,
            b"default" => TokenKind::Default,
            b"for" => TokenKind::For,
            b"break" => TokenKind::Break,
            b"continue" => TokenKind::Continue,
            b"leave" => TokenKind::Leave,
            b"true" => TokenKind::True,
            b"false" => TokenKind::False,
            _ => TokenKind::Ident,
        }
    }

    /// Consumes a quoted body starting at the quote under `self.pos`.
    /// `token_start` is where the whole literal begins (for diagnostics).
    fn string_body(&mut self, token_start: usize) {
        let quote = self.src[self.pos];
        self.pos += 1;
        loop {
            match self.src.get(self.pos) {
                Some(&c) if c == quote => {
                    self.pos += 1;
                    return;
                }
                // An escape covers the next character, including a quote or
                // a line break (line continuation).
                Some(b'\\') => self.pos = (self.pos + 2).min(self.src.len()),
                Some(b'\n' | b'\r') | None => {
                    self.diagnostics.push(Diagnostic::error(
                        Span::new(token_start, self.pos),
                        "unterminated string literal: expected a closing quote before the end of the line",
                    ));
                    return;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// `hex"..."` holds pairs of hex digits, optionally separated by single
    /// underscores between pairs.
    fn check_hex_string(&mut self, token_start: usize, quote_pos: usize) {
        let body_end = if self.pos > quote_pos + 1 && self.src[self.pos - 1] == self.src[quote_pos]
        {
            self.pos - 1
        } else {
            // Unterminated: already reported.
            return;
        };
        let body = &self.src[quote_pos + 1..body_end];
        let mut digits_in_group = 0usize;
        let mut valid = true;
        for (i, &c) in body.iter().enumerate() {
            if c.is_ascii_hexdigit() {
                digits_in_group += 1;
            } else if c == b'_'
                && digits_in_group > 0
                && digits_in_group.is_multiple_of(2)
                && i + 1 < body.len()
            {
                digits_in_group = 0;
            } else {
                valid = false;
                break;
            }
        }
        if !valid || !digits_in_group.is_multiple_of(2) {
            self.diagnostics.push(Diagnostic::error(
                Span::new(token_start, self.pos),
                "invalid hex string: expected pairs of hex digits",
            ));
        }
    }

    /// Numbers are lexed greedily over alphanumerics, `_` and `.` so that a
    /// malformed literal such as `1e18` or `0xZZ` is one token with one
    /// diagnostic rather than a cascade.
    fn number(&mut self) -> TokenKind {
        let start = self.pos;
        while self.pos < self.src.len()
            && is_ident_continue(self.src[self.pos])
            && self.src[self.pos] != b'$'
        {
            self.pos += 1;
        }
        let text = &self.src[start..self.pos];
        if let Some(digits) = text.strip_prefix(b"0x") {
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_hexdigit) {
                self.invalid_number(start);
            }
            TokenKind::HexNumber
        } else {
            if !text.iter().all(u8::is_ascii_digit) {
                self.invalid_number(start);
            }
            TokenKind::DecimalNumber
        }
    }

    fn invalid_number(&mut self, start: usize) {
        let text = &self.source[start..self.pos];
        self.diagnostics.push(Diagnostic::error(
            Span::new(start, self.pos),
            format!("invalid number literal '{text}': expected decimal digits or '0x' followed by hex digits"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> (Vec<TokenKind>, usize, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let lexed = lex_block(src, 0, &mut diags);
        (
            lexed.tokens.iter().map(|t| t.kind).collect(),
            lexed.end,
            diags,
        )
    }

    use TokenKind::*;

    #[test]
    fn punctuation_and_keywords() {
        let (k, end, d) = kinds("{ let x, y := f() -> =: : } tail");
        assert_eq!(
            k,
            [
                LBrace, Let, Ident, Comma, Ident, ColonEq, Ident, LParen, RParen, Arrow, EqColon,
                Colon, RBrace
            ]
        );
        assert_eq!(end, "{ let x, y := f() -> =: : }".len());
        assert!(d.is_empty());
    }

    #[test]
    fn dotted_and_dollar_identifiers() {
        let src = "{ x.slot $y a_offset }";
        let mut diags = Vec::new();
        let lexed = lex_block(src, 0, &mut diags);
        let texts: Vec<&str> = lexed.tokens.iter().map(|t| t.span().text(src)).collect();
        assert_eq!(texts, ["{", "x.slot", "$y", "a_offset", "}"]);
    }

    #[test]
    fn colon_eq_binds_tighter_than_colon() {
        let (k, _, _) = kinds("{x:=1 y:u256}");
        assert_eq!(
            k,
            [
                LBrace,
                Ident,
                ColonEq,
                DecimalNumber,
                Ident,
                Colon,
                Ident,
                RBrace
            ]
        );
    }

    #[test]
    fn literals() {
        let (k, _, d) = kinds(r#"{ 12 0xfF "a\"}" 'b' hex"00ff_1a" hex'' true false }"#);
        assert_eq!(
            k,
            [
                LBrace,
                DecimalNumber,
                HexNumber,
                String,
                String,
                HexString,
                HexString,
                True,
                False,
                RBrace
            ]
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        let src = "{ // }\n /* } */ \"}\" } after";
        let (k, end, d) = kinds(src);
        assert_eq!(k, [LBrace, String, RBrace]);
        assert_eq!(&src[end..], " after");
        assert!(d.is_empty());
    }

    #[test]
    fn line_breaks_are_recorded() {
        let mut diags = Vec::new();
        let lexed = lex_block("{ a /*\n*/ b\nc d }", 0, &mut diags);
        let breaks: Vec<bool> = lexed.tokens.iter().map(|t| t.line_break_before).collect();
        assert_eq!(breaks, [false, false, true, true, false, false]);
    }

    #[test]
    fn malformed_literals_are_single_tokens_with_diagnostics() {
        let (k, _, d) = kinds("{ 1e18 0x 0xZZ hex\"abc\" }");
        assert_eq!(
            k,
            [
                LBrace,
                DecimalNumber,
                HexNumber,
                HexNumber,
                HexString,
                RBrace
            ]
        );
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(d[0].message.contains("'1e18'"));
        assert!(d[3].message.contains("hex string"));
    }

    #[test]
    fn unterminated_constructs_reach_end_of_input() {
        let (k, end, d) = kinds("{ \"abc\n }");
        assert_eq!(k, [LBrace, String, RBrace]);
        assert_eq!(end, 9);
        assert_eq!(d.len(), 1);

        let src = "{ { /* never closed";
        let (k, end, d) = kinds(src);
        assert_eq!(k, [LBrace, LBrace, Eof]);
        assert_eq!(end, src.len());
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[1].message.contains("unclosed assembly block"));
    }

    #[test]
    fn unknown_characters_cover_whole_utf8_chars() {
        let src = "{ é # }";
        let mut diags = Vec::new();
        let lexed = lex_block(src, 0, &mut diags);
        let texts: Vec<&str> = lexed.tokens.iter().map(|t| t.span().text(src)).collect();
        assert_eq!(texts, ["{", "é", "#", "}"]);
        assert_eq!(lexed.tokens[1].kind, Unknown);
    }
}
