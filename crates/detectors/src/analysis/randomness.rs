//! Block values used as randomness that decides something: shared by
//! `weak-prng` (which reports it) and `timestamp-dependence` (which stays
//! silent on the same statements).
//!
//! A *reduction* turns a block-derived value into an outcome: a modulo of
//! it (`seed % players.length`, `now % 15`), or a comparison of a value
//! that is random-like — a hash of block values, `blockhash`,
//! `prevrandao`, `coinbase` — with something (`hash == guess`). Ordering
//! comparisons of the raw timestamp or block number are schedules, not
//! randomness, and are left to `timestamp-dependence`.
//!
//! A reduction *decides* when its result selects an array element, guards
//! a branch that sends ether or writes state on one side only, gates the
//! rest of a function that sends ether (`require`), is stored in state, or
//! flows through locals into one of those.

use bulwark_ir::cfg::{EdgeKind, NodeIx, NodeKind};
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::taint::{Source, Taint};
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_sema::{Builtin, CallKind, DeclId, DeclKind, Res, Type};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::conditions::require_conditions;
use crate::analysis::values::definitions;
use crate::detector::AnalysisContext;

/// A statement where block values decide an outcome.
pub struct RandomOutcome<'p> {
    pub function: DeclId,
    pub node: NodeIx,
    /// The reducing expression (the modulo or comparison).
    pub reduction: &'p Expr,
    /// The block sources flowing into it.
    pub taint: Taint,
    /// Where the block values come from: reads of block built-ins, the
    /// statements defining the locals that carry them, and the state
    /// writes storing them (in this or another function).
    pub sources: Vec<(DeclId, bulwark_syntax::Span)>,
    /// The outcome is a function returning a block-derived number (a
    /// "random" helper), reported at its `return`.
    pub returned: bool,
}

/// The block sources that are (or are used as) randomness.
const BLOCK_SOURCES: [Source; 5] = [
    Source::Timestamp,
    Source::BlockNumber,
    Source::Prevrandao,
    Source::Blockhash,
    Source::Coinbase,
];

/// Every statement of the project where block values decide an outcome.
pub fn outcomes<'a>(cx: &AnalysisContext<'a>) -> Vec<RandomOutcome<'a>> {
    let mut out = Vec::new();
    for f in cx.ir.functions() {
        for (node, n) in f.cfg.nodes() {
            let mut found: Option<(&Expr, Taint)> = None;
            for root in n.exprs() {
                walk_expr(root, &mut |e| {
                    if found.is_none() {
                        if let Some(t) = reduction(cx, f, node, e) {
                            found = Some((e, t));
                        }
                    }
                });
            }
            let mut returned = false;
            if found.is_none() {
                // A helper returning a block-derived random-like number.
                if let NodeKind::Return(Some(e)) = n.kind {
                    let t = cx.ir.taint().expr(cx.ir, f.decl, e.id);
                    if BLOCK_SOURCES.iter().any(|&s| t.has(s))
                        && !in_library(cx, f)
                        && computes(cx, f, e)
                        && random_evidence(cx, f, node, e, 0)
                    {
                        found = Some((e, t));
                        returned = true;
                    }
                }
            }
            let Some((reduction, taint)) = found else {
                continue;
            };
            let returned = returned || matches!(n.kind, NodeKind::Return(Some(_)));
            if returned || decides(cx, f, node, reduction, 0) {
                let mut sources = Vec::new();
                block_sources(cx, f, node, reduction, 0, &mut sources);
                out.push(RandomOutcome {
                    function: f.decl,
                    node,
                    reduction,
                    taint,
                    sources,
                    returned,
                });
            }
        }
    }
    // Report where the value is first reduced: drop outcomes that only
    // re-test a local computed by another outcome (`odd == guess` after
    // `bool odd = hash % 2 == 1`).
    let nodes: Vec<(DeclId, NodeIx)> = out.iter().map(|o| (o.function, o.node)).collect();
    out.retain(|o| {
        let Some(f) = cx.ir.function_ir(o.function) else {
            return true;
        };
        !f.facts(o.node).uses.iter().any(|&var| {
            f.reaching_defs()
                .reaching(o.node, var)
                .into_iter()
                .any(|def| def != o.node && nodes.contains(&(o.function, def)))
        })
    });
    out
}

/// The block taint of `e` if it reduces a block value to an outcome.
fn reduction(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
) -> Option<Taint> {
    let taint = cx.ir.taint();
    let block = |x: &Expr| {
        let t = taint.expr(cx.ir, f.decl, x.id);
        (BLOCK_SOURCES.iter().any(|&s| t.has(s)) && block_evidence(cx, f, node, x, 0)).then_some(t)
    };
    match &e.kind {
        ExprKind::Binary {
            op: BinaryOp::Mod,
            lhs,
            ..
        } => block(lhs),
        ExprKind::Binary {
            op:
                BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge,
            lhs,
            rhs,
        } => [lhs, rhs].into_iter().find_map(|side| {
            let t = block(side)?;
            random_evidence(cx, f, node, side, 0).then_some(t)
        }),
        _ => None,
    }
}

/// Whether `e` hashes something (`keccak256`, `sha3`, `sha256`).
fn contains_hash(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    let mut found = false;
    walk_expr(e, &mut |x| {
        if matches!(x.kind, ExprKind::Call { .. })
            && matches!(
                cx.model.call_kind(f.file, x.id),
                Some(CallKind::Builtin(
                    Builtin::Keccak256 | Builtin::Sha3 | Builtin::Sha256
                ))
            )
        {
            found = true;
        }
    });
    found
}

/// Whether the value of `reduction` at `node` decides who is paid or who
/// wins (see the module docs).
fn decides(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    reduction: &Expr,
    depth: u32,
) -> bool {
    let n = f.cfg.node(node);
    // Selects an element: `players[x % n]`.
    let mut selects = false;
    for root in n.exprs() {
        walk_expr(root, &mut |e| {
            if let ExprKind::Index { index: Some(i), .. } = &e.kind {
                walk_expr(i, &mut |s| selects |= s.id == reduction.id);
            }
        });
    }
    if selects {
        return true;
    }
    match n.kind {
        NodeKind::Condition { .. } if branch_matters(f, node) => return true,
        _ => {}
    }
    if !require_conditions(f, node).is_empty() && sends_after(f, node) {
        return true;
    }
    let facts = f.facts(node);
    if !facts.state_writes.is_empty() {
        return true;
    }
    if depth >= 2 {
        return false;
    }
    // Through a local into a deciding statement.
    facts.defs.iter().any(|d| {
        f.reaching_defs()
            .uses_of(f.all_facts(), node, d.var)
            .into_iter()
            .filter(|&u| u != node)
            .any(|u| local_decides(cx, f, u, d.var, depth + 1))
    })
}

/// Whether the local `var` read at `node` decides there.
fn local_decides(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    var: DeclId,
    depth: u32,
) -> bool {
    let n = f.cfg.node(node);
    let mut occurrence = None;
    for root in n.exprs() {
        walk_expr(root, &mut |e| {
            if occurrence.is_none()
                && matches!(e.kind, ExprKind::Ident(_))
                && cx.model.resolution(f.file, e.id).and_then(|r| r.decl()) == Some(var)
            {
                occurrence = Some(e);
            }
        });
    }
    match occurrence {
        Some(e) => decides(cx, f, node, unparen(e), depth),
        None => false,
    }
}

/// A branch whose two sides differ in sending ether, writing state or
/// the value returned.
fn branch_matters(f: &FunctionIr<'_>, node: NodeIx) -> bool {
    let effects = |start: NodeIx| -> Vec<NodeIx> {
        f.cfg
            .nodes()
            .map(|(ix, _)| ix)
            .filter(|&ix| f.cfg.reaches(start, ix) && has_effect(f, ix))
            .collect()
    };
    let succs = f.cfg.node(node).succs();
    let side = |kind: EdgeKind| succs.iter().find(|&&(_, k)| k == kind).map(|&(s, _)| s);
    let (Some(t), Some(e)) = (side(EdgeKind::True), side(EdgeKind::False)) else {
        return false;
    };
    let (a, b) = (effects(t), effects(e));
    a.iter().any(|x| !b.contains(x)) || b.iter().any(|x| !a.contains(x))
}

/// An effect a random branch can decide: a state write, a call that
/// sends ether or reaches another contract, or a `return` of a value (the
/// branch picks what a helper such as `rollRarity()` hands its caller).
fn has_effect(f: &FunctionIr<'_>, node: NodeIx) -> bool {
    let facts = f.facts(node);
    matches!(f.cfg.node(node).kind, NodeKind::Return(Some(_)))
        || !facts.state_writes.is_empty()
        || facts
            .calls
            .iter()
            .any(|c| c.kind.sends_eth() || matches!(c.kind, CallSiteKind::External { .. }))
}

/// Whether ether can be sent after `node`.
fn sends_after(f: &FunctionIr<'_>, node: NodeIx) -> bool {
    f.cfg.nodes().any(|(ix, _)| {
        ix != node
            && f.cfg.reaches(node, ix)
            && f.facts(ix).calls.iter().any(|c| c.kind.sends_eth())
    })
}

/// Confirms the taint's claim that `e` carries a block value: a block
/// built-in in it, a local assigned from one, or a whole state variable
/// stored from one. The taint of a struct is the union of all its fields,
/// so reading one field of a struct that elsewhere stores a timestamp is
/// no evidence.
fn block_evidence(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
) -> bool {
    if depth > 6 {
        return false;
    }
    let taint = cx.ir.taint();
    let mut found = false;
    walk_expr(e, &mut |x| {
        if found {
            return;
        }
        match cx.model.resolution(f.file, x.id) {
            Some(Res::Builtin(b)) => {
                found |= Source::of_builtin(*b).is_some_and(|s| BLOCK_SOURCES.contains(&s));
            }
            Some(Res::Decl(d)) => match cx.model.decl(*d).kind {
                DeclKind::StateVar => {
                    let whole = !matches!(cx.model.decl_type(*d), Type::Struct { .. });
                    let t = taint.state_var(*d);
                    found |= whole && BLOCK_SOURCES.iter().any(|&s| t.has(s));
                }
                DeclKind::LocalVar => {
                    for (def, v) in definitions(f, node, *d) {
                        found |= block_evidence(cx, f, def, v, depth + 1);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    });
    found
}

/// Whether `e` is random-like for sure: it reads `blockhash`,
/// `prevrandao`/`difficulty` or `coinbase`, or hashes block values —
/// directly, through locals, or through a state variable every write of
/// which stores such a value (not through an array's length).
fn random_evidence(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
) -> bool {
    const STRONG: [Source; 3] = [Source::Blockhash, Source::Prevrandao, Source::Coinbase];
    if depth > 6 {
        return false;
    }
    let taint = cx.ir.taint();
    if contains_hash(cx, f, e) && block_evidence(cx, f, node, e, 0) {
        return true;
    }
    let mut found = false;
    walk_expr(e, &mut |x| {
        if found {
            return;
        }
        match cx.model.resolution(f.file, x.id) {
            Some(Res::Builtin(b)) => {
                found |= Source::of_builtin(*b).is_some_and(|s| STRONG.contains(&s));
            }
            Some(Res::Decl(d)) => match cx.model.decl(*d).kind {
                DeclKind::StateVar => {
                    let writes = taint.writes_of(*d);
                    found |= !writes.is_empty()
                        && !matches!(cx.model.decl_type(*d), Type::Struct { .. })
                        && writes
                            .iter()
                            .all(|w| BLOCK_SOURCES.iter().any(|&s| w.taint.has(s)))
                        && writes.iter().any(|w| {
                            STRONG.iter().any(|&s| w.taint.has(s))
                                || cx.ir.function_ir(w.function).is_some_and(|g| {
                                    g.cfg
                                        .node(w.node)
                                        .exprs()
                                        .into_iter()
                                        .any(|r| contains_hash(cx, g, r))
                                })
                        });
                }
                DeclKind::LocalVar => {
                    for (def, v) in definitions(f, node, *d) {
                        found |= random_evidence(cx, f, def, v, depth + 1);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    });
    found
}

/// Collects where the block values in `e` (at `node`) come from.
fn block_sources(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
    out: &mut Vec<(DeclId, bulwark_syntax::Span)>,
) {
    const MAX_SOURCES: usize = 12;
    if depth > 6 || out.len() >= MAX_SOURCES {
        return;
    }
    let taint = cx.ir.taint();
    let push = |out: &mut Vec<(DeclId, bulwark_syntax::Span)>,
                at: (DeclId, bulwark_syntax::Span)| {
        if out.len() < MAX_SOURCES && !out.contains(&at) {
            out.push(at);
        }
    };
    let mut locals = Vec::new();
    let mut states = Vec::new();
    walk_expr(e, &mut |x| match cx.model.resolution(f.file, x.id) {
        Some(Res::Builtin(b))
            if Source::of_builtin(*b).is_some_and(|s| BLOCK_SOURCES.contains(&s)) =>
        {
            locals.push((None, x.span));
        }
        Some(Res::Decl(d)) => match cx.model.decl(*d).kind {
            DeclKind::LocalVar => locals.push((Some(*d), x.span)),
            DeclKind::StateVar => states.push(*d),
            _ => {}
        },
        _ => {}
    });
    for (local, span) in locals {
        let Some(d) = local else {
            push(out, (f.decl, span));
            continue;
        };
        for (def, v) in definitions(f, node, d) {
            let t = taint.expr(cx.ir, f.decl, v.id);
            if BLOCK_SOURCES.iter().any(|&s| t.has(s)) {
                push(out, (f.decl, f.cfg.node(def).span));
                block_sources(cx, f, def, v, depth + 1, out);
            }
        }
    }
    for var in states {
        for w in taint.writes_of(var) {
            if BLOCK_SOURCES.iter().any(|&s| w.taint.has(s)) {
                if let Some(g) = cx.ir.function_ir(w.function) {
                    push(out, (w.function, g.cfg.node(w.node).span));
                }
            }
        }
        if let Some(info) = cx.model.state_var(var) {
            if let Some(init) = &info.ast.initializer {
                let reads_block = {
                    let mut found = false;
                    walk_expr(init, &mut |x| {
                        if let Some(Res::Builtin(b)) = cx.model.resolution(info.file, x.id) {
                            found |=
                                Source::of_builtin(*b).is_some_and(|s| BLOCK_SOURCES.contains(&s));
                        }
                    });
                    found
                };
                if reads_block {
                    push(out, (var, info.ast.span));
                }
            }
        }
    }
}

/// Whether `f` belongs to a library: block-value getters there
/// (`Blockhash.blockHash`) serve callers, who decide what the value means.
fn in_library(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) -> bool {
    f.contract
        .and_then(|c| cx.model.contract(c))
        .is_some_and(|c| c.kind == bulwark_syntax::ast::ContractKind::Library)
}

/// Whether a returned expression computes something (arithmetic, bit
/// operations, a hash, a prize or outcome function applied to the value)
/// rather than passing a looked-up value through.
fn computes(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    // Arithmetic on the block number passed to `blockhash(n - 1)` selects
    // the block; it does not compute with the hash.
    let mut lookups = Vec::new();
    walk_expr(e, &mut |x| {
        if let ExprKind::Call { args, .. } = &x.kind {
            if matches!(
                cx.model.call_kind(f.file, x.id),
                Some(CallKind::Builtin(
                    Builtin::Blockhash | Builtin::BlockBlockhash
                ))
            ) {
                lookups.push(args.span);
            }
        }
    });
    let inside_lookup = |x: &Expr| {
        lookups
            .iter()
            .any(|l| l.start <= x.span.start && x.span.end <= l.end)
    };
    let mut found = false;
    walk_expr(e, &mut |x| {
        if inside_lookup(x) {
            return;
        }
        found |= matches!(x.kind, ExprKind::Binary { .. })
            || (matches!(x.kind, ExprKind::Call { .. })
                && matches!(
                    cx.model.call_kind(f.file, x.id),
                    Some(
                        CallKind::Builtin(Builtin::Keccak256 | Builtin::Sha3 | Builtin::Sha256)
                            | CallKind::Internal(_)
                    )
                ));
    });
    found
}
