//! Comments, kept beside the AST rather than in it.
//!
//! The parser records every comment in source order; declarations also get
//! their NatSpec attached directly (`docs` fields in the AST).

use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommentKind {
    /// `// ...` up to the end of the line.
    Line,
    /// `/* ... */`
    Block,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    /// Includes the comment markers.
    pub span: Span,
    pub kind: CommentKind,
    /// NatSpec: `///` (but not `////`) or `/**` (but not `/**/`).
    pub is_doc: bool,
}
