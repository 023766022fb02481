//! Token kinds of the Solidity lexer.

use crate::ast::ElementaryType;
use crate::span::Span;

/// One token: its kind and where it is. The text is `span.text(source)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// Words reserved in every supported version (0.4.11 onwards). Words that
/// became keywords later (`emit`, `constructor`, `calldata`, `try`, `error`,
/// `unchecked`, `immutable`, ...) are lexed as identifiers, because old code
/// uses them as names; the parser recognises them by their text in the
/// positions where they act as keywords.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Anonymous,
    As,
    Assembly,
    Break,
    Constant,
    Continue,
    Contract,
    Delete,
    Do,
    Else,
    Enum,
    Event,
    External,
    False,
    For,
    Function,
    If,
    Import,
    Indexed,
    Interface,
    Internal,
    Is,
    Library,
    Mapping,
    Memory,
    Modifier,
    New,
    Payable,
    Pragma,
    Private,
    Public,
    Pure,
    Return,
    Returns,
    Storage,
    Struct,
    Throw,
    True,
    Using,
    Var,
    View,
    While,
}

impl Keyword {
    pub fn from_word(word: &str) -> Option<Keyword> {
        use Keyword::*;
        Some(match word {
            "anonymous" => Anonymous,
            "as" => As,
            "assembly" => Assembly,
            "break" => Break,
            "constant" => Constant,
            "continue" => Continue,
            "contract" => Contract,
            "delete" => Delete,
            "do" => Do,
            "else" => Else,
            "enum" => Enum,
            "event" => Event,
            "external" => External,
            "false" => False,
            "for" => For,
            "function" => Function,
            "if" => If,
            "import" => Import,
            "indexed" => Indexed,
            "interface" => Interface,
            "internal" => Internal,
            "is" => Is,
            "library" => Library,
            "mapping" => Mapping,
            "memory" => Memory,
            "modifier" => Modifier,
            "new" => New,
            "payable" => Payable,
            "pragma" => Pragma,
            "private" => Private,
            "public" => Public,
            "pure" => Pure,
            "return" => Return,
            "returns" => Returns,
            "storage" => Storage,
            "struct" => Struct,
            "throw" => Throw,
            "true" => True,
            "using" => Using,
            "var" => Var,
            "view" => View,
            "while" => While,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// An identifier, including contextual keywords.
    Ident,
    Keyword(Keyword),
    /// `uint256`, `address`, `bytes32`, `bool`, `string`, `byte`, ...
    ElementaryType(ElementaryType),
    /// Decimal, hex or scientific number (text via span).
    Number,
    /// `"..."` or `'...'`
    String,
    /// `hex"..."`
    HexString,
    /// `unicode"..."`
    UnicodeString,

    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Semi,
    Comma,
    Dot,
    Question,
    Colon,
    /// `=>`
    FatArrow,
    /// `->` (only meaningful in Yul, lexed so it is one token)
    ThinArrow,

    /// `=`
    Assign,
    /// `+=`, `-=`, `*=`, `/=`, `%=`, `|=`, `&=`, `^=`, `<<=`, `>>=`, `>>>=`
    AssignOp(AssignOp),
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Not,
    Tilde,
    Plus,
    Minus,
    Star,
    StarStar,
    Slash,
    Percent,
    Inc,
    Dec,
    Shl,
    Shr,
    Sar,
    Amp,
    Pipe,
    Caret,
    AndAnd,
    OrOr,

    /// A byte sequence that is no token (reported by the lexer).
    Unknown,
    Eof,
}

/// The operator part of a compound assignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    BitOr,
    BitAnd,
    BitXor,
    Shl,
    Shr,
    Sar,
}

impl TokenKind {
    /// How the token is named in "expected X, found Y" messages.
    pub fn describe(self) -> &'static str {
        use TokenKind::*;
        match self {
            Ident => "identifier",
            Keyword(_) => "keyword",
            ElementaryType(_) => "type name",
            Number => "number",
            String | HexString | UnicodeString => "string literal",
            LParen => "'('",
            RParen => "')'",
            LBracket => "'['",
            RBracket => "']'",
            LBrace => "'{'",
            RBrace => "'}'",
            Semi => "';'",
            Comma => "','",
            Dot => "'.'",
            Question => "'?'",
            Colon => "':'",
            FatArrow => "'=>'",
            ThinArrow => "'->'",
            Assign => "'='",
            AssignOp(_) => "compound assignment",
            Eq => "'=='",
            Ne => "'!='",
            Lt => "'<'",
            Gt => "'>'",
            Le => "'<='",
            Ge => "'>='",
            Not => "'!'",
            Tilde => "'~'",
            Plus => "'+'",
            Minus => "'-'",
            Star => "'*'",
            StarStar => "'**'",
            Slash => "'/'",
            Percent => "'%'",
            Inc => "'++'",
            Dec => "'--'",
            Shl => "'<<'",
            Shr => "'>>'",
            Sar => "'>>>'",
            Amp => "'&'",
            Pipe => "'|'",
            Caret => "'^'",
            AndAnd => "'&&'",
            OrOr => "'||'",
            Unknown => "invalid character",
            Eof => "end of file",
        }
    }
}

/// Recognises elementary type keywords: `uint`, `int64`, `bytes32`,
/// `address`, `fixed128x18`, ...
pub fn elementary_type(word: &str) -> Option<ElementaryType> {
    Some(match word {
        "address" => ElementaryType::Address { payable: false },
        "bool" => ElementaryType::Bool,
        "string" => ElementaryType::String,
        "bytes" => ElementaryType::Bytes,
        "byte" => ElementaryType::FixedBytes(1),
        "int" => ElementaryType::Int(256),
        "uint" => ElementaryType::Uint(256),
        "fixed" => ElementaryType::Fixed(128, 18),
        "ufixed" => ElementaryType::Ufixed(128, 18),
        _ => return sized_elementary_type(word),
    })
}

fn sized_elementary_type(word: &str) -> Option<ElementaryType> {
    if let Some(n) = word.strip_prefix("uint") {
        return int_bits(n).map(ElementaryType::Uint);
    }
    if let Some(n) = word.strip_prefix("int") {
        return int_bits(n).map(ElementaryType::Int);
    }
    if let Some(n) = word.strip_prefix("bytes") {
        let n = canonical_number(n)?;
        return (1..=32)
            .contains(&n)
            .then_some(ElementaryType::FixedBytes(n as u8));
    }
    if let Some(mn) = word.strip_prefix("ufixed") {
        return fixed_dims(mn).map(|(m, n)| ElementaryType::Ufixed(m, n));
    }
    if let Some(mn) = word.strip_prefix("fixed") {
        return fixed_dims(mn).map(|(m, n)| ElementaryType::Fixed(m, n));
    }
    None
}

/// A decimal number without leading zeros (so `uint08` stays an identifier).
fn canonical_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 3 || s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn int_bits(s: &str) -> Option<u16> {
    let n = canonical_number(s)?;
    (n.is_multiple_of(8) && (8..=256).contains(&n)).then_some(n as u16)
}

fn fixed_dims(s: &str) -> Option<(u16, u8)> {
    let (m, n) = s.split_once('x')?;
    let m = int_bits(m)?;
    let n = if n == "0" { 0 } else { canonical_number(n)? };
    (n <= 80).then_some((m, n as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elementary_type_words() {
        assert_eq!(elementary_type("uint"), Some(ElementaryType::Uint(256)));
        assert_eq!(elementary_type("int8"), Some(ElementaryType::Int(8)));
        assert_eq!(elementary_type("uint7"), None);
        assert_eq!(elementary_type("uint264"), None);
        assert_eq!(
            elementary_type("bytes32"),
            Some(ElementaryType::FixedBytes(32))
        );
        assert_eq!(elementary_type("bytes33"), None);
        assert_eq!(elementary_type("bytes0"), None);
        assert_eq!(elementary_type("byte"), Some(ElementaryType::FixedBytes(1)));
        assert_eq!(
            elementary_type("ufixed128x18"),
            Some(ElementaryType::Ufixed(128, 18))
        );
        assert_eq!(
            elementary_type("fixed8x0"),
            Some(ElementaryType::Fixed(8, 0))
        );
        assert_eq!(elementary_type("uints"), None);
        assert_eq!(elementary_type("integer"), None);
    }
}
