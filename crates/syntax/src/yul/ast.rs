//! The Yul syntax tree: every node carries its absolute byte span in the
//! Solidity file that holds the assembly block.
//!
//! The tree covers modern Yul (0.5+) and the pre-0.5 "old-style" dialect.
//! Old-style items (labels, `=: x`, bare instructions such as `0x40 mload`)
//! get their own statement kinds so that later passes can model them instead
//! of tripping over errors.

use crate::Span;

/// A `{ ... }` block of Yul statements.
#[derive(Clone, Debug, PartialEq)]
pub struct YulBlock {
    pub span: Span,
    pub statements: Vec<YulStatement>,
}

/// One Yul statement.
#[derive(Clone, Debug, PartialEq)]
pub enum YulStatement {
    /// A nested `{ ... }` scope.
    Block(YulBlock),
    /// `let a, b := expr` or `let a` (without a value).
    VariableDeclaration(YulVariableDeclaration),
    /// `a, b := expr`.
    Assignment(YulAssignment),
    If(YulIf),
    Switch(YulSwitch),
    For(YulFor),
    Break(Span),
    Continue(Span),
    Leave(Span),
    FunctionDefinition(YulFunctionDefinition),
    /// An expression used as a statement: normally a call such as
    /// `sstore(0, 1)`; in old-style assembly also a literal pushed onto the
    /// stack (`0x40` in `0x40 mload`).
    Expression(YulExpression),
    /// Old-style jump label `name:`.
    Label(YulLabel),
    /// Old-style stack assignment `=: x` (pops the stack top into `x`).
    StackAssignment(YulStackAssignment),
    /// Old-style bare identifier used as a statement: an opcode written
    /// without parentheses (`mload`, `jump`, `dup1`), or a variable or label
    /// pushed onto the stack. Which one it is depends on the names in scope,
    /// so the parser does not decide.
    Instruction(YulIdentifier),
}

/// `let names := value`.
#[derive(Clone, Debug, PartialEq)]
pub struct YulVariableDeclaration {
    pub span: Span,
    pub names: Vec<YulTypedName>,
    pub value: Option<YulExpression>,
}

/// `targets := value`.
#[derive(Clone, Debug, PartialEq)]
pub struct YulAssignment {
    pub span: Span,
    pub targets: Vec<YulIdentifier>,
    pub value: YulExpression,
}

/// `if condition { body }` (Yul has no `else`).
#[derive(Clone, Debug, PartialEq)]
pub struct YulIf {
    pub span: Span,
    pub condition: YulExpression,
    pub body: YulBlock,
}

/// `switch expression case lit { } ... default { }`.
#[derive(Clone, Debug, PartialEq)]
pub struct YulSwitch {
    pub span: Span,
    pub expression: YulExpression,
    /// The cases in source order; the `default` case (at most one, last in
    /// valid code) has `value == None`.
    pub cases: Vec<YulSwitchCase>,
}

impl YulSwitch {
    /// The `default` case, if any.
    pub fn default_case(&self) -> Option<&YulSwitchCase> {
        self.cases.iter().find(|c| c.value.is_none())
    }
}

/// `case value { body }` or, with `value == None`, `default { body }`.
#[derive(Clone, Debug, PartialEq)]
pub struct YulSwitchCase {
    pub span: Span,
    pub value: Option<YulLiteral>,
    pub body: YulBlock,
}

/// `for { init } condition { post } { body }`.
#[derive(Clone, Debug, PartialEq)]
pub struct YulFor {
    pub span: Span,
    /// Runs once; its declarations are visible in the other three parts.
    pub init: YulBlock,
    pub condition: YulExpression,
    pub post: YulBlock,
    pub body: YulBlock,
}

/// `function name(params) -> returns { body }`.
#[derive(Clone, Debug, PartialEq)]
pub struct YulFunctionDefinition {
    pub span: Span,
    pub name: YulIdentifier,
    pub params: Vec<YulTypedName>,
    pub returns: Vec<YulTypedName>,
    pub body: YulBlock,
}

/// Old-style `name:` label.
#[derive(Clone, Debug, PartialEq)]
pub struct YulLabel {
    /// Covers the name and the colon.
    pub span: Span,
    pub name: YulIdentifier,
}

/// Old-style `=: target`.
#[derive(Clone, Debug, PartialEq)]
pub struct YulStackAssignment {
    pub span: Span,
    pub target: YulIdentifier,
}

/// A declared name with an optional type (`x` or `x:u256`).
#[derive(Clone, Debug, PartialEq)]
pub struct YulTypedName {
    pub span: Span,
    pub name: YulIdentifier,
    pub ty: Option<YulIdentifier>,
}

/// A name, kept whole even when dotted (`x.slot`, `data.offset`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct YulIdentifier {
    pub span: Span,
    pub name: String,
}

/// Suffixes Solidity puts on variable names inside assembly to reach their
/// location rather than their value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum YulAccessSuffix {
    /// `x.slot` (0.7+) or `x_slot` (before 0.7): storage slot.
    Slot,
    /// `x.offset` or `x_offset`: byte offset inside the slot, or calldata offset.
    Offset,
    /// `x.length`: length of a calldata array.
    Length,
    /// `f.selector` of an external function pointer.
    Selector,
    /// `f.address` of an external function pointer.
    Address,
}

impl YulIdentifier {
    /// Splits `base.suffix` (0.6+ syntax) into the Solidity name and the
    /// suffix; `None` for names without a recognised dotted suffix.
    pub fn member_suffix(&self) -> Option<(&str, YulAccessSuffix)> {
        let (base, suffix) = self.name.rsplit_once('.')?;
        let suffix = match suffix {
            "slot" => YulAccessSuffix::Slot,
            "offset" => YulAccessSuffix::Offset,
            "length" => YulAccessSuffix::Length,
            "selector" => YulAccessSuffix::Selector,
            "address" => YulAccessSuffix::Address,
            _ => return None,
        };
        Some((base, suffix))
    }

    /// Splits the pre-0.7 spelling `base_slot` / `base_offset`. The name may
    /// also be an ordinary variable that happens to end in `_slot`, so the
    /// semantic layer should try the whole name first.
    pub fn legacy_suffix(&self) -> Option<(&str, YulAccessSuffix)> {
        if let Some(base) = self.name.strip_suffix("_slot") {
            (!base.is_empty()).then_some((base, YulAccessSuffix::Slot))
        } else if let Some(base) = self.name.strip_suffix("_offset") {
            (!base.is_empty()).then_some((base, YulAccessSuffix::Offset))
        } else {
            None
        }
    }
}

/// A Yul expression.
#[derive(Clone, Debug, PartialEq)]
pub enum YulExpression {
    /// A call of a builtin (`add`, `sstore`, `delegatecall`) or of a
    /// function defined in the assembly block: the parser does not tell
    /// them apart (see [`super::is_evm_builtin`]).
    Call(YulFunctionCall),
    Identifier(YulIdentifier),
    Literal(YulLiteral),
    /// Placeholder where an expression was required but could not be parsed;
    /// a diagnostic has been reported for it.
    Error(Span),
}

impl YulExpression {
    pub fn span(&self) -> Span {
        match self {
            YulExpression::Call(call) => call.span,
            YulExpression::Identifier(ident) => ident.span,
            YulExpression::Literal(lit) => lit.span,
            YulExpression::Error(span) => *span,
        }
    }

    /// The call, if this expression is one.
    pub fn as_call(&self) -> Option<&YulFunctionCall> {
        match self {
            YulExpression::Call(call) => Some(call),
            _ => None,
        }
    }
}

/// `name(arguments...)`.
#[derive(Clone, Debug, PartialEq)]
pub struct YulFunctionCall {
    pub span: Span,
    pub name: YulIdentifier,
    pub arguments: Vec<YulExpression>,
}

/// What kind of literal a [`YulLiteral`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum YulLiteralKind {
    /// `42`
    Decimal,
    /// `0x2a`
    HexNumber,
    /// `"text"` or `'text'`
    String,
    /// `hex"2a00"`
    HexString,
    /// `true` / `false`
    Bool,
}

/// A literal with its text exactly as written (quotes and `hex` prefix
/// included), and the optional type of typed Yul (`1:u256`).
#[derive(Clone, Debug, PartialEq)]
pub struct YulLiteral {
    pub span: Span,
    pub kind: YulLiteralKind,
    pub raw: String,
    pub ty: Option<YulIdentifier>,
}

impl YulLiteral {
    /// The numeric value of a number or boolean literal if it fits in a
    /// `u128` (enough to judge shift amounts, memory offsets and selectors).
    pub fn numeric_value(&self) -> Option<u128> {
        match self.kind {
            YulLiteralKind::Decimal => self.raw.parse().ok(),
            YulLiteralKind::HexNumber => self
                .raw
                .strip_prefix("0x")
                .and_then(|digits| u128::from_str_radix(digits, 16).ok()),
            YulLiteralKind::Bool => Some(u128::from(self.raw == "true")),
            YulLiteralKind::String | YulLiteralKind::HexString => None,
        }
    }
}

impl YulStatement {
    /// The expression of an expression statement.
    pub fn as_expression(&self) -> Option<&YulExpression> {
        match self {
            YulStatement::Expression(expression) => Some(expression),
            _ => None,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            YulStatement::Block(b) => b.span,
            YulStatement::VariableDeclaration(s) => s.span,
            YulStatement::Assignment(s) => s.span,
            YulStatement::If(s) => s.span,
            YulStatement::Switch(s) => s.span,
            YulStatement::For(s) => s.span,
            YulStatement::Break(span)
            | YulStatement::Continue(span)
            | YulStatement::Leave(span) => *span,
            YulStatement::FunctionDefinition(s) => s.span,
            YulStatement::Expression(e) => e.span(),
            YulStatement::Label(s) => s.span,
            YulStatement::StackAssignment(s) => s.span,
            YulStatement::Instruction(ident) => ident.span,
        }
    }
}
