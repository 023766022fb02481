//! Storage placed at explicit slots rather than by declaration order: an
//! ERC-7201 namespace or diamond-storage struct bound with `$.slot :=
//! SLOT`, and raw words written with `sstore(SLOT, v)` (EIP-1967 proxy
//! slots), where `SLOT` is a constant whose value is computed here —
//! hex or decimal literals, `keccak256("...")`, EIP-1967's
//! `bytes32(uint256(keccak256("...")) - 1)` and ERC-7201's
//! `keccak256(abi.encode(uint256(keccak256("...")) - 1)) &
//! ~bytes32(uint256(0xff))`, through conversions and other constants.
//!
//! Used by `storage-collision`: two different layouts placed at the same
//! slot (two facets reusing one namespace string for different structs,
//! a proxy writing its implementation address where the implementation
//! keeps its namespace) overwrite each other.

use bulwark_ir::cfg::NodeKind;
use bulwark_ir::walk::{call_args, unparen};
use bulwark_sema::{Builtin, CallKind, DeclId, DeclKind, FileId, Res, Type};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, Literal, UnaryOp};
use bulwark_syntax::yul::{YulAccessSuffix, YulExpression, YulNode, YulStatement};
use bulwark_syntax::Span;
use sha3::{Digest, Keccak256};

use crate::analysis::expr::decl_of;
use crate::analysis::values::definitions;
use crate::detector::AnalysisContext;

/// A 256-bit word, big-endian.
pub type Word = [u8; 32];

/// What sits at an explicit slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placed {
    /// A storage struct bound to the slot (`$.slot := SLOT`).
    Struct(DeclId),
    /// A raw word stored at the slot (`sstore(SLOT, v)`).
    Word,
}

/// One placement of storage at a constant slot.
#[derive(Clone, Debug)]
pub struct Binding {
    pub slot: Word,
    pub placed: Placed,
    /// The function doing it, and its contract.
    pub function: DeclId,
    pub contract: Option<DeclId>,
    pub file: FileId,
    /// The assembly statement.
    pub span: Span,
    /// The constant naming the slot.
    pub constant: DeclId,
}

/// Every placement of storage at a constant slot in the project.
pub fn bindings(cx: &AnalysisContext<'_>) -> Vec<Binding> {
    let mut out = Vec::new();
    for f in cx.ir.functions() {
        for (node, n) in f.cfg.nodes() {
            let (NodeKind::Assembly(asm), Some(stmt)) = (n.kind, n.stmt) else {
                continue;
            };
            let refs = cx.model.assembly_refs(f.file, stmt);
            let decl_at = |span: Span| refs.iter().find(|r| r.span == span);
            let constant_slot = |e: &YulExpression| -> Option<(DeclId, Word)> {
                let YulExpression::Identifier(id) = e else {
                    return None;
                };
                let r = decl_at(id.span)?;
                if r.suffix.is_some() {
                    return None;
                }
                if let Some(v) = constant_value(cx, r.decl, 0) {
                    return Some((r.decl, v));
                }
                // A local holding a constant (`bytes32 position =
                // POSITION;`): every definition reaching the assembly.
                let defs = definitions(f, node, r.decl);
                let mut found: Option<(DeclId, Word)> = None;
                for (_, value) in defs {
                    let c = decl_of(cx, f.file, unparen(value))?;
                    let v = constant_value(cx, c, 0)?;
                    if found.is_some_and(|(_, w)| w != v) {
                        return None;
                    }
                    found = Some((c, v));
                }
                found
            };
            asm.block.walk(|node| match node {
                YulNode::Statement(YulStatement::Assignment(a)) => {
                    let [target] = a.targets.as_slice() else {
                        return;
                    };
                    let Some(r) = decl_at(target.span) else {
                        return;
                    };
                    if r.suffix != Some(YulAccessSuffix::Slot) {
                        return;
                    }
                    let Type::Struct { decl, .. } = cx.model.decl_type(r.decl) else {
                        return;
                    };
                    if let Some((constant, slot)) = constant_slot(&a.value) {
                        out.push(Binding {
                            slot,
                            placed: Placed::Struct(*decl),
                            function: f.decl,
                            contract: f.contract,
                            file: f.file,
                            span: n.span,
                            constant,
                        });
                    }
                }
                YulNode::Expression(YulExpression::Call(call)) if call.name.name == "sstore" => {
                    if let Some((constant, slot)) = call.arguments.first().and_then(&constant_slot)
                    {
                        out.push(Binding {
                            slot,
                            placed: Placed::Word,
                            function: f.decl,
                            contract: f.contract,
                            file: f.file,
                            span: n.span,
                            constant,
                        });
                    }
                }
                _ => {}
            });
        }
    }
    out
}

/// The value of the constant state variable (or file-level constant)
/// `decl`, when its initializer is one of the recognised slot formulas.
pub fn constant_value(cx: &AnalysisContext<'_>, decl: DeclId, depth: u32) -> Option<Word> {
    if depth > 4 {
        return None;
    }
    let d = cx.model.decl(decl);
    if !matches!(d.kind, DeclKind::StateVar) {
        return None;
    }
    let info = cx.model.state_var(decl)?;
    let init = info.ast.initializer.as_ref()?;
    if !info.ast.is_constant {
        return None;
    }
    eval(cx, info.file, init, depth)
}

fn eval(cx: &AnalysisContext<'_>, file: FileId, e: &Expr, depth: u32) -> Option<Word> {
    let e = unparen(e);
    match &e.kind {
        ExprKind::Literal(Literal::Number { value, unit: None }) => number(value),
        ExprKind::Ident(_) => match cx.model.resolution(file, e.id)? {
            Res::Decl(d) => constant_value(cx, *d, depth + 1),
            _ => None,
        },
        ExprKind::Unary {
            op: UnaryOp::BitNot,
            operand,
        } => {
            let mut w = eval(cx, file, operand, depth)?;
            w.iter_mut().for_each(|b| *b = !*b);
            Some(w)
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let (a, b) = (eval(cx, file, lhs, depth)?, eval(cx, file, rhs, depth)?);
            match op {
                BinaryOp::Sub => Some(sub(a, b)),
                BinaryOp::BitAnd => Some(std::array::from_fn(|i| a[i] & b[i])),
                _ => None,
            }
        }
        ExprKind::Call { args, .. } => {
            let args = call_args(args);
            match cx.model.call_kind(file, e.id)? {
                CallKind::Conversion(_) => eval(cx, file, args.first()?, depth),
                CallKind::Builtin(Builtin::Keccak256) => {
                    let [arg] = args.as_slice() else { return None };
                    let bytes = hashed_bytes(cx, file, arg, depth)?;
                    Some(Keccak256::digest(&bytes).into())
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The bytes `keccak256(arg)` hashes: a string literal, or the single
/// word of `abi.encode(x)`.
fn hashed_bytes(cx: &AnalysisContext<'_>, file: FileId, arg: &Expr, depth: u32) -> Option<Vec<u8>> {
    let arg = unparen(arg);
    match &arg.kind {
        ExprKind::Literal(Literal::String { value, .. }) => Some(value.clone()),
        ExprKind::Call { args, .. }
            if matches!(
                cx.model.call_kind(file, arg.id),
                Some(CallKind::Builtin(Builtin::AbiEncode))
            ) =>
        {
            let args = call_args(args);
            let [x] = args.as_slice() else { return None };
            Some(eval(cx, file, x, depth)?.to_vec())
        }
        _ => None,
    }
}

/// A hex or decimal literal that fits a word.
fn number(text: &str) -> Option<Word> {
    let mut w = [0u8; 32];
    if let Some(hex) = text.strip_prefix("0x") {
        if hex.len() > 64 || hex.is_empty() {
            return None;
        }
        let padded = format!("{hex:0>64}");
        for (i, b) in w.iter_mut().enumerate() {
            *b = u8::from_str_radix(&padded[2 * i..2 * i + 2], 16).ok()?;
        }
        return Some(w);
    }
    let v: u128 = text.parse().ok()?;
    w[16..].copy_from_slice(&v.to_be_bytes());
    Some(w)
}

/// `a - b` modulo 2**256.
fn sub(a: Word, b: Word) -> Word {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = a[i] as i16 - b[i] as i16 - borrow;
        borrow = if d < 0 {
            d += 256;
            1
        } else {
            0
        };
        out[i] = d as u8;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_subtract_with_borrow() {
        let one = number("1").unwrap();
        let big = number("0x100").unwrap();
        assert_eq!(sub(big, one), number("0xff").unwrap());
        assert_eq!(sub(one, number("2").unwrap()), [0xff; 32]);
    }

    #[test]
    fn eip1967_implementation_slot_formula() {
        // keccak256("eip1967.proxy.implementation") - 1, as published.
        let h: Word = Keccak256::digest(b"eip1967.proxy.implementation").into();
        let slot = sub(h, number("1").unwrap());
        assert_eq!(
            slot,
            number("0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc").unwrap()
        );
    }
}
