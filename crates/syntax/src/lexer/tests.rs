use super::*;
use crate::ast::ElementaryType as Ety;

fn kinds(src: &str) -> Vec<TokenKind> {
    let mut lexer = Lexer::new(src);
    let mut out = Vec::new();
    loop {
        let tok = lexer.next_token();
        if tok.kind == TokenKind::Eof {
            return out;
        }
        out.push(tok.kind);
    }
}

fn texts(src: &str) -> Vec<&str> {
    let mut lexer = Lexer::new(src);
    let mut out = Vec::new();
    loop {
        let tok = lexer.next_token();
        if tok.kind == TokenKind::Eof {
            return out;
        }
        out.push(tok.span.text(src));
    }
}

#[test]
fn operators_longest_match() {
    use TokenKind::*;
    assert_eq!(
        kinds("a >>>= b >> c >= d => e ** f *= g -- h != i"),
        vec![
            Ident,
            AssignOp(super::AssignOp::Sar),
            Ident,
            Shr,
            Ident,
            Ge,
            Ident,
            FatArrow,
            Ident,
            StarStar,
            Ident,
            AssignOp(super::AssignOp::Mul),
            Ident,
            Dec,
            Ident,
            Ne,
            Ident
        ]
    );
    assert_eq!(
        kinds("x<<=1"),
        vec![Ident, AssignOp(super::AssignOp::Shl), Number]
    );
}

#[test]
fn numbers() {
    assert_eq!(
        texts("1 1_000 0xFF_ff 1e18 2.5e-3 .5 1.5"),
        vec!["1", "1_000", "0xFF_ff", "1e18", "2.5e-3", ".5", "1.5"]
    );
    // `1.length`-like sequences keep the dot separate.
    assert_eq!(texts("1.x"), vec!["1", ".", "x"]);
    let mut lexer = Lexer::new("12abc");
    assert_eq!(lexer.next_token().kind, TokenKind::Number);
    assert_eq!(lexer.diagnostics.len(), 1);
}

#[test]
fn strings_and_prefixed_strings() {
    use TokenKind::*;
    assert_eq!(
        kinds(r#""a\"b" 'c\'d' hex"00ff" hex'aa' unicode"é" hex unicode"#),
        vec![
            String,
            String,
            HexString,
            HexString,
            UnicodeString,
            Ident,
            Ident
        ]
    );
    let mut lexer = Lexer::new("\"abc\nx");
    assert_eq!(lexer.next_token().kind, TokenKind::String);
    assert!(lexer.diagnostics[0].message.contains("unterminated string"));
    assert_eq!(lexer.next_token().span.text("\"abc\nx"), "x");
}

#[test]
fn keywords_types_and_contextual_words() {
    use TokenKind::*;
    assert_eq!(
        kinds("contract emit error receive uint256 address bytes byte calldata"),
        vec![
            Keyword(super::Keyword::Contract),
            Ident,
            Ident,
            Ident,
            ElementaryType(Ety::Uint(256)),
            ElementaryType(Ety::Address { payable: false }),
            ElementaryType(Ety::Bytes),
            ElementaryType(Ety::FixedBytes(1)),
            Ident,
        ]
    );
    assert_eq!(kinds("$x _ a$1"), vec![Ident, Ident, Ident]);
}

#[test]
fn comments_are_recorded_with_doc_flag() {
    let src = "/// doc\n//// not doc\n// plain\n/** block doc */ /* plain */ /**/ x";
    let mut lexer = Lexer::new(src);
    assert_eq!(lexer.next_token().span.text(src), "x");
    let flags: Vec<(CommentKind, bool)> =
        lexer.comments.iter().map(|c| (c.kind, c.is_doc)).collect();
    assert_eq!(
        flags,
        vec![
            (CommentKind::Line, true),
            (CommentKind::Line, false),
            (CommentKind::Line, false),
            (CommentKind::Block, true),
            (CommentKind::Block, false),
            (CommentKind::Block, false),
        ]
    );
    assert_eq!(lexer.comments[0].span.text(src), "/// doc");
}

#[test]
fn unterminated_block_comment_and_invalid_characters() {
    let mut lexer = Lexer::new("a /* never closed");
    assert_eq!(lexer.next_token().kind, TokenKind::Ident);
    assert_eq!(lexer.next_token().kind, TokenKind::Eof);
    assert_eq!(lexer.diagnostics.len(), 1);

    let src = "a € # b";
    let mut lexer = Lexer::new(src);
    let toks: Vec<Token> = std::iter::from_fn(|| Some(lexer.next_token()))
        .take_while(|t| t.kind != TokenKind::Eof)
        .collect();
    assert_eq!(toks.len(), 4);
    assert_eq!(toks[1].kind, TokenKind::Unknown);
    assert_eq!(toks[1].span.text(src), "€");
    assert_eq!(lexer.diagnostics.len(), 2);
}

#[test]
fn reset_restarts_at_offset() {
    let src = "assembly { let x := 1 } y";
    let mut lexer = Lexer::new(src);
    lexer.next_token();
    lexer.reset(src.find('}').unwrap() + 1);
    let tok = lexer.next_token();
    assert_eq!(tok.span.text(src), "y");
}

#[test]
fn scan_comments_skips_strings() {
    let src = "{ let s := \"// not a comment\" // real\n /* also */ }";
    let mut out = Vec::new();
    scan_comments(src, 0, src.len(), &mut out);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].span.text(src), "// real");
}

#[test]
fn byte_order_mark_is_skipped() {
    let src = "\u{feff}pragma";
    let mut lexer = Lexer::new(src);
    let tok = lexer.next_token();
    assert_eq!(tok.span.text(src), "pragma");
    assert!(lexer.diagnostics.is_empty());
}

#[test]
fn comment_ends() {
    let src = "// a\r\nx /*/ still comment */ y /**/ z /* a * / b */ w";
    let mut lexer = Lexer::new(src);
    let texts: Vec<&str> = std::iter::from_fn(|| Some(lexer.next_token()))
        .take_while(|t| t.kind != TokenKind::Eof)
        .map(|t| t.span.text(src))
        .collect();
    assert_eq!(texts, vec!["x", "y", "z", "w"]);
    let comments: Vec<&str> = lexer.comments.iter().map(|c| c.span.text(src)).collect();
    assert_eq!(
        comments,
        vec!["// a", "/*/ still comment */", "/**/", "/* a * / b */"]
    );
}
