//! On-demand Solidity lexer.
//!
//! Produces one [`Token`] per call, skipping whitespace and comments (which
//! are recorded in [`Lexer::comments`]). It can be restarted at any byte
//! offset with [`Lexer::reset`], which is how the parser resumes after an
//! inline-assembly block handed to the Yul parser.
//!
//! The lexer is lenient: malformed input becomes an `Unknown` token or a
//! best-effort literal plus a diagnostic, never a panic.

mod token;

pub use token::{elementary_type, AssignOp, Keyword, Token, TokenKind};

use crate::comment::{Comment, CommentKind};
use crate::diagnostic::Diagnostic;
use crate::span::Span;

/// Lexer diagnostics kept per file: garbage input is not worth one error
/// per byte.
const MAX_DIAGNOSTICS: usize = 500;

pub struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Lexer<'a> {
        // A UTF-8 byte-order mark (some editors write one) is not a token.
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos,
            comments: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Byte offset where the next token's leading trivia starts.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Continues lexing at byte `pos` (clamped to the input).
    pub fn reset(&mut self, pos: usize) {
        self.pos = pos.min(self.bytes.len());
    }

    pub fn next_token(&mut self) -> Token {
        self.skip_trivia();
        let start = self.pos;
        let kind = match self.bytes.get(start) {
            None => TokenKind::Eof,
            Some(&b) => self.lex_token(b),
        };
        Token {
            kind,
            span: Span::new(start, self.pos),
        }
    }

    fn peek_byte(&self, ahead: usize) -> u8 {
        self.bytes.get(self.pos + ahead).copied().unwrap_or(0)
    }

    fn skip_trivia(&mut self) {
        loop {
            match self.peek_byte(0) {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'/' if self.peek_byte(1) == b'/' => self.line_comment(),
                b'/' if self.peek_byte(1) == b'*' => self.block_comment(),
                _ => return,
            }
        }
    }

    fn line_comment(&mut self) {
        let start = self.pos;
        let end = self.line_end(start);
        self.pos = end;
        let text = &self.bytes[start..end];
        let is_doc = text.starts_with(b"///") && !text.starts_with(b"////");
        self.comments.push(Comment {
            span: Span::new(start, end),
            kind: CommentKind::Line,
            is_doc,
        });
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        let end = match self.block_comment_end(start) {
            Some(end) => end,
            None => {
                self.report(Diagnostic::error(
                    Span::new(start, start + 2),
                    "unterminated block comment: expected '*/' before end of file",
                ));
                self.bytes.len()
            }
        };
        self.pos = end;
        let text = &self.bytes[start..end];
        let is_doc = text.starts_with(b"/**") && !text.starts_with(b"/**/") && text.len() > 4;
        self.comments.push(Comment {
            span: Span::new(start, end),
            kind: CommentKind::Block,
            is_doc,
        });
    }

    /// The lexable input as text (it may end before `src` in
    /// [`scan_comments`]). Searching `str` rather than bytes uses the
    /// standard library's word-at-a-time `memchr` for single characters,
    /// which matters because comments are a large share of real code.
    fn rest_from(&self, at: usize) -> &'a str {
        self.src.get(at..self.bytes.len()).unwrap_or("")
    }

    /// End of the line comment starting at `start`: the next `\n`, or the
    /// `\r` of a `\r\n` pair.
    fn line_end(&self, start: usize) -> usize {
        match self.rest_from(start).find('\n') {
            Some(i) => {
                let nl = start + i;
                if nl > start && self.bytes[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                }
            }
            None => self.bytes.len(),
        }
    }

    /// Offset just past the `*/` closing the block comment at `start`.
    fn block_comment_end(&self, start: usize) -> Option<usize> {
        // Find each `/` after the opening `/*` and check the byte before it;
        // `/*/` does not close itself.
        let mut from = start + 2;
        loop {
            let slash = from + self.rest_from(from).find('/')?;
            if self.bytes[slash - 1] == b'*' && slash > start + 2 {
                return Some(slash + 1);
            }
            from = slash + 1;
        }
    }

    fn lex_token(&mut self, b: u8) -> TokenKind {
        use TokenKind::*;
        let two = |lexer: &mut Self, kind| {
            lexer.pos += 2;
            kind
        };
        let one = |lexer: &mut Self, kind| {
            lexer.pos += 1;
            kind
        };
        let next = self.peek_byte(1);
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' => self.word(),
            b'0'..=b'9' => self.number(),
            b'.' if next.is_ascii_digit() => self.number(),
            b'"' | b'\'' => {
                self.string_body();
                String
            }
            b'(' => one(self, LParen),
            b')' => one(self, RParen),
            b'[' => one(self, LBracket),
            b']' => one(self, RBracket),
            b'{' => one(self, LBrace),
            b'}' => one(self, RBrace),
            b';' => one(self, Semi),
            b',' => one(self, Comma),
            b'.' => one(self, Dot),
            b'?' => one(self, Question),
            b':' => one(self, Colon),
            b'~' => one(self, Tilde),
            b'=' => match next {
                b'=' => two(self, Eq),
                b'>' => two(self, FatArrow),
                _ => one(self, Assign),
            },
            b'!' if next == b'=' => two(self, Ne),
            b'!' => one(self, Not),
            b'+' => match next {
                b'+' => two(self, Inc),
                b'=' => two(self, AssignOp(token::AssignOp::Add)),
                _ => one(self, Plus),
            },
            b'-' => match next {
                b'-' => two(self, Dec),
                b'=' => two(self, AssignOp(token::AssignOp::Sub)),
                b'>' => two(self, ThinArrow),
                _ => one(self, Minus),
            },
            b'*' => match next {
                b'*' => two(self, StarStar),
                b'=' => two(self, AssignOp(token::AssignOp::Mul)),
                _ => one(self, Star),
            },
            b'/' if next == b'=' => two(self, AssignOp(token::AssignOp::Div)),
            b'/' => one(self, Slash),
            b'%' if next == b'=' => two(self, AssignOp(token::AssignOp::Mod)),
            b'%' => one(self, Percent),
            b'&' => match next {
                b'&' => two(self, AndAnd),
                b'=' => two(self, AssignOp(token::AssignOp::BitAnd)),
                _ => one(self, Amp),
            },
            b'|' => match next {
                b'|' => two(self, OrOr),
                b'=' => two(self, AssignOp(token::AssignOp::BitOr)),
                _ => one(self, Pipe),
            },
            b'^' if next == b'=' => two(self, AssignOp(token::AssignOp::BitXor)),
            b'^' => one(self, Caret),
            b'<' => match (next, self.peek_byte(2)) {
                (b'<', b'=') => {
                    self.pos += 3;
                    AssignOp(token::AssignOp::Shl)
                }
                (b'<', _) => two(self, Shl),
                (b'=', _) => two(self, Le),
                _ => one(self, Lt),
            },
            b'>' => match (next, self.peek_byte(2), self.peek_byte(3)) {
                (b'>', b'>', b'=') => {
                    self.pos += 4;
                    AssignOp(token::AssignOp::Sar)
                }
                (b'>', b'>', _) => {
                    self.pos += 3;
                    Sar
                }
                (b'>', b'=', _) => {
                    self.pos += 3;
                    AssignOp(token::AssignOp::Shr)
                }
                (b'>', _, _) => two(self, Shr),
                (b'=', _, _) => two(self, Ge),
                _ => one(self, Gt),
            },
            _ => self.unknown(),
        }
    }

    fn unknown(&mut self) -> TokenKind {
        let start = self.pos;
        // Advance by one whole character so spans stay on char boundaries.
        let len = self.src[start..].chars().next().map_or(1, char::len_utf8);
        self.pos += len;
        let text = &self.src[start..self.pos];
        self.report(Diagnostic::error(
            Span::new(start, self.pos),
            format!("invalid character {text:?} in source"),
        ));
        TokenKind::Unknown
    }

    fn word(&mut self) -> TokenKind {
        let start = self.pos;
        // Keywords and elementary type names are lower-case letters and
        // digits only: a word with anything else (`_owner`, `IERC20`,
        // `totalSupply`) is an identifier without the two table look-ups.
        let mut lower = true;
        loop {
            match self.peek_byte(0) {
                b'a'..=b'z' | b'0'..=b'9' => {}
                b'A'..=b'Z' | b'_' | b'$' => lower = false,
                _ => break,
            }
            self.pos += 1;
        }
        let word = &self.src[start..self.pos];
        if !lower {
            return TokenKind::Ident;
        }
        if matches!(self.peek_byte(0), b'"' | b'\'') {
            match word {
                "hex" => {
                    self.string_body();
                    return TokenKind::HexString;
                }
                "unicode" => {
                    self.string_body();
                    return TokenKind::UnicodeString;
                }
                _ => {}
            }
        }
        if let Some(kw) = Keyword::from_word(word) {
            return TokenKind::Keyword(kw);
        }
        if let Some(ty) = elementary_type(word) {
            return TokenKind::ElementaryType(ty);
        }
        TokenKind::Ident
    }

    /// Numbers: `42`, `1_000`, `0xff_ff`, `1e18`, `2.5e-3`, `.5`.
    /// Letters glued to a number (`12abc`) are consumed into it so the
    /// parser sees one malformed number rather than a confusing sequence;
    /// the value is checked by sema.
    fn number(&mut self) -> TokenKind {
        if self.peek_byte(0) == b'0' && matches!(self.peek_byte(1), b'x' | b'X') {
            self.pos += 2;
            while self.peek_byte(0).is_ascii_hexdigit() || self.peek_byte(0) == b'_' {
                self.pos += 1;
            }
        } else {
            self.digits();
            if self.peek_byte(0) == b'.' && self.peek_byte(1).is_ascii_digit() {
                self.pos += 1;
                self.digits();
            }
            if matches!(self.peek_byte(0), b'e' | b'E') {
                let sign = usize::from(self.peek_byte(1) == b'-');
                if self.peek_byte(1 + sign).is_ascii_digit() {
                    self.pos += 1 + sign;
                    self.digits();
                }
            }
        }
        let start = self.pos;
        while self.peek_byte(0).is_ascii_alphanumeric() || self.peek_byte(0) == b'_' {
            self.pos += 1;
        }
        if self.pos > start {
            self.report(Diagnostic::error(
                Span::new(start, self.pos),
                "invalid number literal: unexpected letters after the digits",
            ));
        }
        TokenKind::Number
    }

    fn digits(&mut self) {
        while self.peek_byte(0).is_ascii_digit() || self.peek_byte(0) == b'_' {
            self.pos += 1;
        }
    }

    /// Consumes a quoted string starting at the quote under the cursor.
    /// Escapes are validated by the parser when it decodes the value.
    fn string_body(&mut self) {
        let open = self.pos;
        let quote = self.bytes[open];
        self.pos += 1;
        loop {
            match self.peek_byte_checked() {
                None | Some(b'\n') | Some(b'\r') => {
                    self.report(Diagnostic::error(
                        Span::new(open, self.pos),
                        "unterminated string literal: expected closing quote before end of line",
                    ));
                    return;
                }
                Some(b'\\') => {
                    self.pos += 1;
                    // Any escaped character, including a line continuation
                    // (`\` + newline, also `\r\n`).
                    match self.peek_byte_checked() {
                        Some(b'\r') if self.peek_byte(1) == b'\n' => self.pos += 2,
                        Some(_) => self.pos += 1,
                        None => {}
                    }
                }
                Some(b) if b == quote => {
                    self.pos += 1;
                    return;
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn peek_byte_checked(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }
}

/// Records the comments inside `[start, end)` without producing tokens: used
/// for inline-assembly blocks, which the Yul parser lexes itself.
pub fn scan_comments(src: &str, start: usize, end: usize, out: &mut Vec<Comment>) {
    let end = end.min(src.len());
    let bytes = &src.as_bytes()[..end];
    let mut lexer = Lexer::new(src);
    lexer.bytes = bytes;
    lexer.pos = start;
    while lexer.pos < end {
        match lexer.peek_byte(0) {
            b'/' if matches!(lexer.peek_byte(1), b'/' | b'*') => lexer.skip_trivia(),
            b'"' | b'\'' => lexer.string_body(),
            _ => lexer.pos += 1,
        }
    }
    out.append(&mut lexer.comments);
}

#[cfg(test)]
mod tests;
