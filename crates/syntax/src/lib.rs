//! Bulwark's Solidity frontend, syntax layer: lexer, error-tolerant parser
//! for Solidity 0.4.11–0.8.x and inline assembly (Yul), spanned AST with
//! comments and NatSpec, and syntax diagnostics.
//!
//! Invariant: parsing never panics and never gives up. Every input yields an
//! AST plus diagnostics; a broken member or statement is skipped up to the
//! next recovery point so the rest of the file is still analysed.
//!
//! Entry point: [`parse`].

pub mod ast;
pub mod comment;
pub mod diagnostic;
pub mod lexer;
pub mod parser;
pub mod span;
pub mod yul;

pub use comment::{Comment, CommentKind};
pub use diagnostic::{Diagnostic, DiagnosticSeverity};
pub use parser::{parse, Parsed};
pub use span::{LineCol, LineIndex, Span};
