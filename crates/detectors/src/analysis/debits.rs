//! Decreases of per-account ledger entries (`balances[from] -= amount`),
//! followed from each externally callable function through its internal
//! calls, with every key and condition expressed in the entry function's
//! terms: which of its parameters, or `msg.sender`, an account comes from.
//!
//! Used by `arbitrary-debit`: a public `burnFrom(account, amount)` that
//! lowers `balanceOf[account]` is safe only when something ties `account`
//! to the caller (an allowance keyed by both, `require(account ==
//! msg.sender)`, an operator approval) or restricts the caller. OpenZeppelin
//! spreads this over helpers (`burnFrom` → `_spendAllowance(account,
//! _msgSender(), v)` → `allowance(owner, spender)`; `_burn(account, v)` →
//! `_update(from, ...)`), so a helper's parameter is mapped back to the
//! argument the entry passed.

use std::collections::HashSet;

use bulwark_ir::cfg::{ConditionOrigin, NodeIx, NodeKind};
use bulwark_ir::facts::{CallSiteKind, LowLevelOp, StateAccess};
use bulwark_ir::taint::Source;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::{FunctionIr, Taint};
use bulwark_sema::{Builtin, DeclId, ModifierTarget, Type};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

use crate::analysis::conditions::{atoms, tested};
use crate::analysis::critical_writes::{bottoms_at, index_keys};
use crate::analysis::expr::{builtin_of, decl_of};
use crate::analysis::values::{definitions, local_of};
use crate::detector::AnalysisContext;

/// How deep internal call chains are followed from an entry.
const MAX_DEPTH: usize = 6;

/// One decrease of a ledger entry reached from an entry function.
#[derive(Clone, Debug)]
pub struct Debit {
    /// The function holding the write (the entry itself or a helper).
    pub writer: DeclId,
    pub node: NodeIx,
    /// The statement of the entry function on the way: the write itself,
    /// or the internal call leading to it.
    pub entry_node: NodeIx,
    pub ledger: DeclId,
    /// Taint of the account key, in the entry's terms.
    pub account: Taint,
}

/// What one entry function does to accounts, in its own terms.
#[derive(Clone, Debug, Default)]
pub struct EntryEffects {
    pub debits: Vec<Debit>,
    /// Ledgers lowered at the caller's own key (`balances[msg.sender] -=
    /// v`, or `_update(_msgSender(), ...)`): balances the caller spends.
    pub own_debits: Vec<DeclId>,
    /// Some condition (a check, a branch) reads something derived from
    /// `msg.sender`.
    pub tests_sender: bool,
    /// Entry parameters a condition depends on other than through a
    /// sufficiency test of a ledger entry (`balances[from] >= amount`).
    pub conditioned: u64,
    /// Entry parameters keying a state entry together with `msg.sender`
    /// (`allowance[from][msg.sender]`, `operators[from][msg.sender]`).
    pub tied_to_sender: u64,
    /// Entry parameters that receive something in the same call: a ledger
    /// credit keyed by them, or a call (payment, token transfer) passing
    /// them.
    pub credited: u64,
    /// The caller pays for what happens: the entry reads `msg.value`, hands
    /// a callee something derived from `msg.sender` (pulling the caller's
    /// tokens), or lowers the caller's own entry. Lowering another
    /// account's debt this way (`repayFor(borrower)`) is a gift.
    pub caller_pays: bool,
}

/// Follows `entry` and its internal callees (dispatched in the entry's
/// contract), collecting what [`EntryEffects`] records.
pub fn entry_effects(cx: &AnalysisContext<'_>, entry: &FunctionIr<'_>) -> EntryEffects {
    let mut out = EntryEffects::default();
    let params = cx
        .model
        .function(entry.decl)
        .map_or(0, |info| info.params.len());
    let frame: Vec<Taint> = (0..params).map(Taint::param).collect();
    let mut stack = vec![entry.decl];
    walk_function(cx, entry, entry, &frame, None, &mut stack, &mut out);
    out
}

/// What `e` (evaluated at `node` of `f`) is made of, in the entry's
/// terms: `msg.sender`, `msg.value`, and the entry's parameters, through
/// `f`'s parameters (`frame`), locals and sub-expressions (index keys and
/// call arguments included). Unlike the IR's taint, values read from state
/// add nothing: a ledger once written with `msg.sender` keys must not make
/// every later read of it look like the caller.
fn direct(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    frame: &[Taint],
    depth: u32,
) -> Taint {
    let params = cx.model.function(f.decl).map(|i| i.params.as_slice());
    let mut out = Taint::EMPTY;
    walk_expr(e, &mut |sub| {
        if let Some(b) = builtin_of(cx, f.file, sub) {
            match b {
                Builtin::MsgSender => out.join(Taint::of(Source::MsgSender)),
                Builtin::MsgValue => out.join(Taint::of(Source::MsgValue)),
                _ => false,
            };
            return;
        }
        if let ExprKind::Call { .. } = sub.kind {
            // `_msgSender()`: a helper returning the caller without
            // reading state.
            let callee = f
                .node_of_expr(sub.id)
                .and_then(|n| f.facts(n).calls.iter().find(|c| c.expr == sub.id))
                .and_then(|c| match c.kind {
                    CallSiteKind::Internal { function, .. } => Some(function),
                    _ => None,
                });
            if let Some(g) = callee {
                let summary = cx.ir.taint().summary(g);
                if summary.intrinsic.has(Source::MsgSender)
                    && cx
                        .ir
                        .access()
                        .transitive(cx.ir, f.contract, g)
                        .reads
                        .is_empty()
                {
                    out.join(Taint::of(Source::MsgSender));
                }
            }
            return;
        }
        if !matches!(sub.kind, ExprKind::Ident(_)) {
            return;
        }
        let Some(d) = decl_of(cx, f.file, sub) else {
            return;
        };
        if let Some(i) = params.and_then(|ps| ps.iter().position(|&p| p == d)) {
            if let Some(&t) = frame.get(i) {
                out.join(t);
            }
            return;
        }
        if depth < 6 && local_of(cx, f, sub).is_some() {
            for (def, value) in definitions(f, node, d) {
                out.join(direct(cx, f, def, value, frame, depth + 1));
            }
        }
    });
    out
}

fn mask(t: Taint) -> u64 {
    t.params().fold(0, |m, p| m | 1 << p.min(63))
}

fn walk_function(
    cx: &AnalysisContext<'_>,
    entry: &FunctionIr<'_>,
    f: &FunctionIr<'_>,
    frame: &[Taint],
    via: Option<NodeIx>,
    stack: &mut Vec<DeclId>,
    out: &mut EntryEffects,
) {
    for (node, _) in f.cfg.nodes() {
        if !f.cfg.reaches(f.cfg.entry, node) {
            continue;
        }
        let lifted = |e: &Expr| direct(cx, f, node, e, frame, 0);
        let entry_node = via.unwrap_or(node);
        let is_loop = matches!(
            f.cfg.node(node).kind,
            NodeKind::Condition { origin, .. } if origin != ConditionOrigin::If
        );
        for cond in tested(f, node) {
            if is_loop {
                // A loop bound says how many, not who.
                continue;
            }
            if lifted(cond).has(Source::MsgSender) {
                out.tests_sender = true;
            }
            let mut parts = Vec::new();
            atoms(cond, &mut parts);
            for atom in parts {
                let t = lifted(atom);
                if t.has(Source::Param) && !restricts_nobody(atom, &lifted) {
                    out.conditioned |= mask(t);
                }
            }
        }
        if let NodeKind::Invocation(inv) = f.cfg.node(node).kind {
            // A modifier's checks run before the body: walk it with its
            // arguments (`onlyApproved(from)`).
            let modifier = cx
                .model
                .function(f.decl)
                .and_then(|i| i.modifiers.iter().find(|m| m.node == inv.id))
                .and_then(|m| match m.target {
                    ModifierTarget::Modifier(d) => Some(d),
                    _ => None,
                });
            if let Some(m) = modifier.filter(|m| !stack.contains(m)) {
                if let Some(mf) = cx.ir.function_ir(m) {
                    let args: Vec<Taint> = inv
                        .args
                        .as_ref()
                        .map(|a| bulwark_ir::walk::call_args(a))
                        .unwrap_or_default()
                        .into_iter()
                        .map(&lifted)
                        .collect();
                    stack.push(m);
                    walk_function(cx, entry, mf, &args, Some(entry_node), stack, out);
                    stack.pop();
                }
            }
        }
        let facts = f.facts(node);
        if facts
            .env_reads
            .iter()
            .any(|r| r.builtin == bulwark_sema::Builtin::MsgValue)
        {
            out.caller_pays = true;
        }
        for access in facts.state_reads.iter().chain(&facts.state_writes) {
            let keys: Vec<Taint> = index_keys(f, node, access)
                .into_iter()
                .map(&lifted)
                .collect();
            if keys.iter().any(|k| k.has(Source::MsgSender)) {
                out.tied_to_sender |= keys.iter().fold(0, |m, &k| m | mask(k));
            }
        }
        for write in &facts.state_writes {
            let keys = index_keys(f, node, write);
            match change_of(f, node, write) {
                Some(Change::Decrease) => match account_key(cx, f, &keys, &lifted) {
                    Some(Account::Caller) => {
                        out.own_debits.push(write.var);
                        out.caller_pays = true;
                    }
                    Some(Account::Chosen(account)) => out.debits.push(Debit {
                        writer: f.decl,
                        node,
                        entry_node,
                        ledger: write.var,
                        account,
                    }),
                    None => {}
                },
                Some(Change::Increase) => {
                    for k in &keys {
                        out.credited |= mask(lifted(k));
                    }
                }
                None => {}
            }
        }
        for call in &facts.calls {
            let (callee, receiver) = match &call.kind {
                CallSiteKind::Internal {
                    function,
                    via_super,
                } => {
                    let callee = match (entry.contract, via_super) {
                        (Some(c), false) => cx.ir.dispatch(c, *function),
                        _ => *function,
                    };
                    (callee, None)
                }
                CallSiteKind::BoundInternal { function, receiver } => (*function, Some(*receiver)),
                CallSiteKind::External { .. }
                | CallSiteKind::LowLevel { .. }
                | CallSiteKind::Library { .. } => {
                    // The account is paid or sent tokens in the same call.
                    let target = match call.kind {
                        CallSiteKind::LowLevel {
                            target,
                            op: LowLevelOp::Send | LowLevelOp::Transfer | LowLevelOp::Call,
                            ..
                        } => Some(target),
                        _ => None,
                    };
                    for arg in call.args.iter().copied().chain(target) {
                        if let Some(e) = f.expr(arg) {
                            let t = lifted(e);
                            out.credited |= mask(t);
                            out.caller_pays |= t.has(Source::MsgSender);
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            let args: Vec<Taint> = receiver
                .into_iter()
                .chain(call.args.iter().copied())
                .map(|a| f.expr(a).map_or(Taint::EMPTY, &lifted))
                .collect();
            let g = cx
                .ir
                .function_ir(callee)
                .filter(|_| cx.model.function(callee).is_some_and(|i| i.has_body()));
            // The caller handed to a hook left to overrides
            // (`_checkTokenBridge(msg.sender)`, "must revert otherwise") or
            // to a helper that can revert: a check on the caller.
            if args.iter().any(|t| t.has(Source::MsgSender))
                && g.is_none_or(|g| g.cfg.reaches(g.cfg.entry, g.cfg.revert_exit))
            {
                out.tests_sender = true;
            }
            if stack.len() > MAX_DEPTH || stack.contains(&callee) {
                continue;
            }
            let Some(g) = g else {
                continue;
            };
            stack.push(callee);
            walk_function(cx, entry, g, &args, Some(entry_node), stack, out);
            stack.pop();
        }
    }
}

enum Change {
    Increase,
    Decrease,
}

/// Whether `write` at `node` lowers or raises the written entry:
/// `x -= v`, `x = x - v`, `x = x.sub(v)`, `x--`; `x += v`, `x = x + v`,
/// `x++`.
fn change_of(f: &FunctionIr<'_>, node: NodeIx, write: &StateAccess) -> Option<Change> {
    let mut found = None;
    for root in f.cfg.node(node).exprs() {
        walk_expr(root, &mut |e| {
            if found.is_some() {
                return;
            }
            match &e.kind {
                ExprKind::Assign { op, lhs, rhs } if bottoms_at(lhs, write.expr) => {
                    found = match op {
                        Some(BinaryOp::Sub) => Some(Change::Decrease),
                        Some(BinaryOp::Add) => Some(Change::Increase),
                        Some(_) => None,
                        None => arithmetic_of(rhs),
                    };
                }
                ExprKind::Unary { op, operand } if bottoms_at(operand, write.expr) => {
                    found = match op {
                        UnaryOp::PreDec | UnaryOp::PostDec => Some(Change::Decrease),
                        UnaryOp::PreInc | UnaryOp::PostInc => Some(Change::Increase),
                        _ => None,
                    };
                }
                _ => {}
            }
        });
    }
    found
}

/// The direction of an assigned value computed by subtraction or addition
/// (operators, or SafeMath-style helpers named for them).
fn arithmetic_of(rhs: &Expr) -> Option<Change> {
    match &unparen(rhs).kind {
        ExprKind::Binary {
            op: BinaryOp::Sub, ..
        } => Some(Change::Decrease),
        ExprKind::Binary {
            op: BinaryOp::Add, ..
        } => Some(Change::Increase),
        ExprKind::Call { callee, .. } => {
            let name = match &unparen(callee).kind {
                ExprKind::Member { member, .. } => member.name.as_str(),
                ExprKind::Ident(id) => id.name.as_str(),
                _ => return None,
            };
            let name = name.to_ascii_lowercase();
            if name == "sub" || name == "safesub" || name == "trysub" || name == "subtract" {
                Some(Change::Decrease)
            } else if name == "add" || name == "safeadd" {
                Some(Change::Increase)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whose entry a ledger write touches.
enum Account {
    /// Some key is the caller (their own entry, or their allowance).
    Caller,
    /// An `address`-typed key the entry's caller chooses (a parameter).
    Chosen(Taint),
}

fn account_key(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    keys: &[&Expr],
    lifted: &dyn Fn(&Expr) -> Taint,
) -> Option<Account> {
    let taints: Vec<Taint> = keys.iter().map(|k| lifted(k)).collect();
    if taints.iter().any(|t| t.has(Source::MsgSender)) {
        return Some(Account::Caller);
    }
    keys.iter().zip(&taints).find_map(|(k, &t)| {
        let is_address = matches!(cx.model.type_of(f.file, k.id), Some(Type::Address { .. }));
        (is_address && t.has(Source::Param)).then_some(Account::Chosen(t))
    })
}

/// Whether a condition on an account restricts nobody in particular: a
/// sufficiency test of a ledger entry (see [`is_sufficiency_test`]), a
/// comparison with a literal (`from != address(0)`) or between two
/// parameters (`from != to`), or a negated lookup (`!frozen[from]`, which
/// every account outside a blocklist passes).
fn restricts_nobody(atom: &Expr, lifted: &dyn Fn(&Expr) -> Taint) -> bool {
    if is_sufficiency_test(atom, lifted) {
        return true;
    }
    match &unparen(atom).kind {
        ExprKind::Binary {
            op: BinaryOp::Eq | BinaryOp::Ne,
            lhs,
            rhs,
        } => {
            let only_inputs = |e: &Expr| {
                let t = lifted(e);
                let only = t.sources().all(|s| s == Source::Param);
                only
            };
            is_literal(lhs) || is_literal(rhs) || (only_inputs(lhs) && only_inputs(rhs))
        }
        _ => false,
    }
}

/// A number literal, possibly converted (`address(0)`, `0`).
fn is_literal(e: &Expr) -> bool {
    match &unparen(e).kind {
        ExprKind::Literal(_) => true,
        ExprKind::Call { args, .. } => {
            let args = bulwark_ir::walk::call_args(args);
            args.len() == 1 && is_literal(args[0])
        }
        _ => false,
    }
}

/// An ordering comparison whose sides depend on disjoint sets of the
/// entry's parameters (`balances[from] >= amount`, `fromBalance < value`,
/// SafeMath's `b <= a` on `balances[from].sub(value)`): it checks that an
/// account can afford an amount, not who may take it. A comparison with
/// the account on both sides (`collateral[user] * 2 < debt[user] * 3`, a
/// health check) is a condition on the account.
fn is_sufficiency_test(atom: &Expr, lifted: &dyn Fn(&Expr) -> Taint) -> bool {
    let ExprKind::Binary {
        op: BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge,
        lhs,
        rhs,
    } = &unparen(atom).kind
    else {
        return false;
    };
    mask(lifted(lhs)) & mask(lifted(rhs)) == 0
}

/// Every externally callable function with a body.
pub fn entries<'a>(cx: &AnalysisContext<'a>) -> impl Iterator<Item = &'a FunctionIr<'a>> + 'a {
    let model = cx.model;
    cx.ir.functions().filter(move |f| {
        model.function(f.decl).is_some_and(|info| {
            info.has_body()
                && matches!(info.kind, bulwark_syntax::ast::FunctionKind::Function)
                && info.is_externally_callable()
        })
    })
}

/// Ledgers some entry lowers at the caller's own key: balances the caller
/// spends (`balances[msg.sender] -= v`, or `_update(_msgSender(), ...)`).
pub fn own_spent_ledgers(effects: &[EntryEffects]) -> HashSet<DeclId> {
    effects
        .iter()
        .flat_map(|e| e.own_debits.iter().copied())
        .collect()
}
