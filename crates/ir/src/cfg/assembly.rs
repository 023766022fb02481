//! Summary of an inline assembly block: the opcodes that matter to a
//! security review, the Solidity names the block touches, and how control
//! leaves it.
//!
//! An assembly block is one opaque CFG node. Splitting it into one node per
//! Yul statement would let data-flow follow values through Yul locals, but
//! detectors only ask "does this block call / delegatecall / sstore /
//! selfdestruct, and on which Solidity variables", which the summary answers
//! without a second IR.

use std::collections::HashSet;

use bulwark_syntax::yul::{
    YulAccess, YulAccessSuffix, YulBlock, YulExpression, YulIdentifier, YulNode, YulStatement,
};
use bulwark_syntax::Span;

/// The opcodes recorded in an [`AsmSummary`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AsmCallKind {
    Call,
    CallCode,
    DelegateCall,
    StaticCall,
    Create,
    Create2,
    /// `selfdestruct` or the legacy `suicide`.
    SelfDestruct,
    SStore,
    SLoad,
    TStore,
    TLoad,
    /// `log0` .. `log4`.
    Log,
    Return,
    Revert,
    Stop,
    Invalid,
    /// `caller()` (msg.sender).
    Caller,
    /// `origin()` (tx.origin).
    Origin,
    /// `callvalue()` (msg.value).
    CallValue,
    Timestamp,
    Number,
    BlockHash,
    Coinbase,
    /// `difficulty()` / `prevrandao()`.
    Prevrandao,
    ExtCodeSize,
    /// `balance(a)` / `selfbalance()`.
    Balance,
}

impl AsmCallKind {
    fn from_name(name: &str) -> Option<AsmCallKind> {
        Some(match name {
            "call" => AsmCallKind::Call,
            "callcode" => AsmCallKind::CallCode,
            "delegatecall" => AsmCallKind::DelegateCall,
            "staticcall" => AsmCallKind::StaticCall,
            "create" => AsmCallKind::Create,
            "create2" => AsmCallKind::Create2,
            "selfdestruct" | "suicide" => AsmCallKind::SelfDestruct,
            "sstore" => AsmCallKind::SStore,
            "sload" => AsmCallKind::SLoad,
            "tstore" => AsmCallKind::TStore,
            "tload" => AsmCallKind::TLoad,
            "log0" | "log1" | "log2" | "log3" | "log4" => AsmCallKind::Log,
            "return" => AsmCallKind::Return,
            "revert" => AsmCallKind::Revert,
            "stop" => AsmCallKind::Stop,
            "invalid" => AsmCallKind::Invalid,
            "caller" => AsmCallKind::Caller,
            "origin" => AsmCallKind::Origin,
            "callvalue" => AsmCallKind::CallValue,
            "timestamp" => AsmCallKind::Timestamp,
            "number" => AsmCallKind::Number,
            "blockhash" => AsmCallKind::BlockHash,
            "coinbase" => AsmCallKind::Coinbase,
            "difficulty" | "prevrandao" => AsmCallKind::Prevrandao,
            "extcodesize" => AsmCallKind::ExtCodeSize,
            "balance" | "selfbalance" => AsmCallKind::Balance,
            _ => return None,
        })
    }

    /// Whether the opcode ends execution of the whole call frame.
    fn terminates(self) -> bool {
        matches!(
            self,
            AsmCallKind::Return
                | AsmCallKind::Revert
                | AsmCallKind::Stop
                | AsmCallKind::Invalid
                | AsmCallKind::SelfDestruct
        )
    }
}

/// One recorded opcode use.
#[derive(Clone, Debug, PartialEq)]
pub struct AsmCall {
    pub kind: AsmCallKind,
    pub span: Span,
    /// Argument spans (for `call`: gas, address, value, ...), so a detector
    /// can report or match the target of a `delegatecall`.
    pub args: Vec<Span>,
    /// Solidity names used anywhere in each argument (e.g. `impl` in
    /// `delegatecall(gas(), impl, 0, 0, 0, 0)`), parallel to `args`.
    pub arg_names: Vec<Vec<String>>,
}

/// A use of a Solidity variable from inside the block.
#[derive(Clone, Debug, PartialEq)]
pub struct AsmRef {
    /// The Solidity name (suffix stripped: `x` for `x.slot`).
    pub name: String,
    /// `.slot`, `.offset`, ... when written with one.
    pub suffix: Option<YulAccessSuffix>,
    pub span: Span,
    /// Assigned (`x := ...`) rather than read.
    pub written: bool,
}

/// What an assembly block does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AsmSummary {
    /// Recorded opcodes, pre-order.
    pub calls: Vec<AsmCall>,
    /// Uses of names declared outside the block (Solidity locals,
    /// parameters, state variables), in source order.
    pub refs: Vec<AsmRef>,
    /// Some path through the block reverts.
    pub may_revert: bool,
    /// Some path ends the call frame successfully (`return`, `stop`,
    /// `selfdestruct`).
    pub may_halt: bool,
    /// Some path reaches the statement after the block.
    pub falls_through: bool,
}

impl AsmSummary {
    pub fn has(&self, kind: AsmCallKind) -> bool {
        self.calls.iter().any(|c| c.kind == kind)
    }

    pub fn calls_of(&self, kind: AsmCallKind) -> impl Iterator<Item = &AsmCall> {
        self.calls.iter().filter(move |c| c.kind == kind)
    }
}

/// Summarises `block`.
pub fn summarize(block: &YulBlock) -> AsmSummary {
    let never_return = non_returning_functions(block);
    let mut summary = AsmSummary::default();
    block.walk(|node| {
        if let YulNode::Expression(YulExpression::Call(call)) = node {
            if let Some(kind) = AsmCallKind::from_name(&call.name.name) {
                summary.calls.push(AsmCall {
                    kind,
                    span: call.span,
                    args: call.arguments.iter().map(YulExpression::span).collect(),
                    arg_names: call.arguments.iter().map(names_in).collect(),
                });
                match kind {
                    AsmCallKind::Revert | AsmCallKind::Invalid => summary.may_revert = true,
                    AsmCallKind::Return | AsmCallKind::Stop | AsmCallKind::SelfDestruct => {
                        summary.may_halt = true
                    }
                    _ => {}
                }
            }
        }
        if let YulNode::Statement(YulStatement::Instruction(ident)) = node {
            // Old-style `0 0 revert`.
            match ident.name.as_str() {
                "revert" | "invalid" => summary.may_revert = true,
                "return" | "stop" | "selfdestruct" | "suicide" => summary.may_halt = true,
                _ => {}
            }
        }
    });
    for reference in block.external_references() {
        let (name, suffix) = split_suffix(reference.ident);
        summary.refs.push(AsmRef {
            name,
            suffix,
            span: reference.ident.span,
            written: reference.access == YulAccess::Write,
        });
    }
    summary.falls_through = falls_through(&block.statements, &never_return);
    summary
}

fn split_suffix(ident: &YulIdentifier) -> (String, Option<YulAccessSuffix>) {
    if let Some((base, suffix)) = ident.member_suffix() {
        return (base.to_string(), Some(suffix));
    }
    (ident.name.clone(), None)
}

/// Names (identifiers) used in an expression, suffixes stripped.
fn names_in(expr: &YulExpression) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match e {
            YulExpression::Identifier(i) => out.push(split_suffix(i).0),
            YulExpression::Call(c) => stack.extend(c.arguments.iter().rev()),
            _ => {}
        }
    }
    out
}

/// Names of Yul functions (defined anywhere in the block) whose body never
/// reaches its end: helpers such as `function fail() { revert(0, 0) }`.
fn non_returning_functions(block: &YulBlock) -> HashSet<String> {
    let mut defs = Vec::new();
    block.walk(|node| {
        if let YulNode::Statement(YulStatement::FunctionDefinition(f)) = node {
            defs.push(f);
        }
    });
    let mut never = HashSet::new();
    // A fixpoint over helpers calling helpers; bounded by the number of
    // definitions since each round adds at least one or stops.
    loop {
        let before = never.len();
        for f in &defs {
            if !never.contains(&f.name.name) && !falls_through(&f.body.statements, &never) {
                never.insert(f.name.name.clone());
            }
        }
        if never.len() == before {
            return never;
        }
    }
}

/// Whether control can run past the end of `stmts`. Conservative towards
/// "yes": only straight-line terminators, nested blocks and switches whose
/// every case (including a default) terminates count as ending the path.
fn falls_through(stmts: &[YulStatement], never_return: &HashSet<String>) -> bool {
    stmts
        .iter()
        .all(|s| statement_falls_through(s, never_return))
}

fn statement_falls_through(stmt: &YulStatement, never_return: &HashSet<String>) -> bool {
    match stmt {
        YulStatement::Expression(YulExpression::Call(call)) => {
            let name = call.name.name.as_str();
            let terminates = AsmCallKind::from_name(name).is_some_and(AsmCallKind::terminates)
                || never_return.contains(name);
            !terminates
        }
        YulStatement::Instruction(ident) => !matches!(
            ident.name.as_str(),
            "revert" | "return" | "stop" | "invalid" | "selfdestruct" | "suicide"
        ),
        YulStatement::Block(b) => falls_through(&b.statements, never_return),
        YulStatement::Switch(s) => {
            s.default_case().is_none()
                || s.cases
                    .iter()
                    .any(|c| falls_through(&c.body.statements, never_return))
        }
        // `leave` ends a Yul function, which returns to its caller.
        _ => true,
    }
}
