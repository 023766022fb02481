//! One-shot guards: a function (with its modifiers and helpers) that
//! checks a piece of storage and then writes that same storage, so that
//! the check fails on every later call — the shape of every initializer
//! lock (`require(!initialized); initialized = true;`, OpenZeppelin's
//! `initializer` modifier, `require(owner == address(0))`).
//!
//! Storage is tracked as [`StorageKey`]s: a state variable, or a struct
//! field reached through a storage pointer whose slot the IR cannot tie to
//! a state variable (ERC-7201 namespaced storage, where the pointer comes
//! out of an assembly block). Reentrancy locks have the same test-then-
//! write shape but write the variable back afterwards; a key written twice
//! by one function is taken for such a lock and ignored.

use std::collections::{HashMap, HashSet};

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::taint::Source;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::{CallEdgeKind, FunctionIr};
use bulwark_sema::{DeclId, DeclKind, Res, Type};
use bulwark_syntax::ast::{Expr, ExprKind, UnaryOp};

use crate::analysis::conditions::{is_guard, tested};
use crate::analysis::values::definitions;
use crate::detector::AnalysisContext;

/// A piece of storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StorageKey {
    State(DeclId),
    /// A struct field (its declaration) reached through a storage pointer
    /// with no known state variable behind it.
    Field(DeclId),
}

impl StorageKey {
    pub fn decl(self) -> DeclId {
        match self {
            StorageKey::State(d) | StorageKey::Field(d) => d,
        }
    }
}

/// A one-shot lock on a function: the guard and the key it tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OneShot {
    pub key: StorageKey,
    /// The function or modifier holding the check, and the check.
    pub function: DeclId,
    pub node: NodeIx,
}

/// How deep the search follows locals back to the storage they load.
const MAX_DEPTH: u32 = 4;

/// The one-shot lock protecting `entry`, if any: a check (in `entry`, a
/// modifier applied to it, or a helper it calls) not about `msg.sender`
/// or `msg.value`,
/// on storage that the same call writes exactly once per function.
pub fn one_shot_guard(cx: &AnalysisContext<'_>, entry: DeclId) -> Option<OneShot> {
    let contract = cx.model.function(entry)?.contract;
    let reach = cx.ir.call_graph().reachable_in(cx.ir, contract, entry);
    let written = writes_by_function(cx, &reach);
    let mutexes: HashSet<DeclId> = cx
        .ir
        .guards()
        .of(cx.ir, entry)
        .mutexes
        .iter()
        .map(|m| m.var)
        .collect();
    let once: HashSet<StorageKey> = written
        .values()
        .flat_map(|counts| counts.iter())
        .filter(|(_, &n)| n == 1)
        .map(|(&k, _)| k)
        .filter(|k| !written.values().any(|c| c.get(k).is_some_and(|&n| n > 1)))
        .filter(|k| !mutexes.contains(&k.decl()))
        .collect();
    if once.is_empty() {
        return None;
    }
    let taint = cx.ir.taint();
    for &g in &reach {
        let Some(f) = cx.ir.function_ir(g) else {
            continue;
        };
        for (node, _) in f.cfg.nodes() {
            if !is_guard(f, node) {
                continue;
            }
            let conds = tested(f, node);
            // A check about the caller is access control; one comparing
            // storage with the ether sent is a price (`msg.value >=
            // claimPrice` before raising `claimPrice`), which the next
            // caller passes by paying more: neither locks for good.
            if conds.iter().any(|c| {
                taint
                    .expr(cx.ir, g, c.id)
                    .has_any(&[Source::MsgSender, Source::MsgValue])
            }) {
                continue;
            }
            let mut keys = Vec::new();
            for cond in conds {
                keys_read(cx, f, node, cond, 0, &mut keys);
            }
            if let Some(&key) = keys.iter().find(|k| once.contains(k)) {
                return Some(OneShot {
                    key,
                    function: g,
                    node,
                });
            }
        }
    }
    None
}

/// Whether running `function` (with its modifiers and helpers) writes
/// `key`: a constructor that locks an initializer.
pub fn writes_key(cx: &AnalysisContext<'_>, function: DeclId, key: StorageKey) -> bool {
    let contract = cx.model.function(function).and_then(|f| f.contract);
    let mut reach = cx.ir.call_graph().reachable_in(cx.ir, contract, function);
    // Base constructors run too.
    let mut i = 0;
    while i < reach.len() {
        let f = reach[i];
        for e in cx.ir.call_graph().edges_from(f) {
            if e.kind == CallEdgeKind::BaseConstructor {
                if let Some(c) = e.callee {
                    for r in cx.ir.call_graph().reachable_in(cx.ir, contract, c) {
                        if !reach.contains(&r) {
                            reach.push(r);
                        }
                    }
                }
            }
        }
        i += 1;
    }
    writes_by_function(cx, &reach)
        .values()
        .any(|c| c.contains_key(&key))
}

/// Per function of `functions`, how many statements write each key.
fn writes_by_function(
    cx: &AnalysisContext<'_>,
    functions: &[DeclId],
) -> HashMap<DeclId, HashMap<StorageKey, usize>> {
    let mut out = HashMap::new();
    for &g in functions {
        let Some(f) = cx.ir.function_ir(g) else {
            continue;
        };
        let mut counts: HashMap<StorageKey, usize> = HashMap::new();
        for (node, n) in f.cfg.nodes() {
            let mut here: HashSet<StorageKey> = f
                .facts(node)
                .state_writes
                .iter()
                .map(|w| StorageKey::State(w.var))
                .collect();
            for root in n.exprs() {
                pointer_field_writes(cx, f, root, &mut here);
            }
            for k in here {
                *counts.entry(k).or_default() += 1;
            }
        }
        out.insert(g, counts);
    }
    out
}

/// Fields written through rootless storage pointers in `root`:
/// `$.field = v`, `$.field++`, `delete $.field`.
fn pointer_field_writes(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    root: &Expr,
    out: &mut HashSet<StorageKey>,
) {
    walk_expr(root, &mut |e| {
        let target = match &e.kind {
            ExprKind::Assign { lhs, .. } => lhs.as_ref(),
            ExprKind::Unary {
                op: UnaryOp::PreInc | UnaryOp::PreDec | UnaryOp::PostInc | UnaryOp::PostDec,
                operand,
            }
            | ExprKind::Unary {
                op: UnaryOp::Delete,
                operand,
            } => operand.as_ref(),
            _ => return,
        };
        if let Some(field) = rootless_field(cx, f, target) {
            out.insert(StorageKey::Field(field));
        }
    });
}

/// `p.field` where `p` is a storage pointer local that points nowhere the
/// IR knows: the field's declaration.
pub fn rootless_field(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> Option<DeclId> {
    let ExprKind::Member { base, .. } = &unparen(e).kind else {
        return None;
    };
    let pointer = cx.model.resolution(f.file, unparen(base).id)?.decl()?;
    let is_local = matches!(
        cx.model.decl(pointer).kind,
        DeclKind::LocalVar | DeclKind::Param | DeclKind::ReturnParam
    );
    if !is_local || !f.is_storage_pointer(pointer) || !f.storage_roots(pointer).is_empty() {
        return None;
    }
    let field = cx.model.resolution(f.file, unparen(e).id)?.decl()?;
    (cx.model.decl(field).kind == DeclKind::StructField).then_some(field)
}

/// Whether a declaration holds one value (not a mapping, array or struct).
fn is_value_type(cx: &AnalysisContext<'_>, decl: DeclId) -> bool {
    matches!(
        cx.model.decl_type(decl),
        Type::Bool
            | Type::Address { .. }
            | Type::Int { .. }
            | Type::FixedBytes(_)
            | Type::Contract(_)
            | Type::Enum(_)
            | Type::Udvt(_)
    )
}

/// The keys a condition reads, directly or through locals loaded from
/// storage earlier in the function.
fn keys_read(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    depth: u32,
    out: &mut Vec<StorageKey>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut locals = Vec::new();
    walk_expr(expr, &mut |e| {
        if let Some(field) = rootless_field(cx, f, e) {
            if is_value_type(cx, field) {
                out.push(StorageKey::Field(field));
            }
            return;
        }
        if let Some(Res::Decl(d)) = cx.model.resolution(f.file, e.id) {
            match cx.model.decl(*d).kind {
                // A lock is one value for the whole contract: per-user
                // entries (nonces, claims) and structs are not.
                DeclKind::StateVar if is_value_type(cx, *d) => out.push(StorageKey::State(*d)),
                DeclKind::LocalVar => locals.push(*d),
                _ => {}
            }
        }
    });
    for local in locals {
        for (def, v) in definitions(f, node, local) {
            keys_read(cx, f, def, v, depth + 1, out);
        }
    }
}
