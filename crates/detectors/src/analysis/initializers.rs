//! Initializers: functions that set up critical state once, in place of a
//! constructor (upgradeable implementations, clones, pre-0.4.22 libraries
//! such as the Parity wallet library).
//!
//! Recognised by behaviour first: a one-shot lock
//! ([`crate::analysis::one_shot`]) on a function that stores caller-chosen
//! values into critical state. A name of the `init…` family only adds
//! evidence for functions *without* a lock — there behaviour cannot tell
//! an initializer that forgot its lock from an ordinary setter, and the
//! name is what tells the reader which of the two the author meant.

use bulwark_ir::taint::Source;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_sema::{DeclId, DeclKind};
use bulwark_syntax::ast::{ContractKind, Expr, ExprKind};

use crate::analysis::critical_state::{is_identity, is_membership, CriticalState, Role};
use crate::analysis::one_shot::{one_shot_guard, rootless_field, writes_key, OneShot};
use crate::detector::AnalysisContext;

/// How an entry point that writes critical state is locked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitializerLock {
    /// Runs once: the lock found.
    OneShot(OneShot),
    /// Named like an initializer but nothing stops a second call.
    None,
}

/// Whether `name` reads as an initializer: `initialize`, `init`,
/// `initWallet`, `__Ownable_init` (but not `initiate…`).
pub fn named_like_initializer(name: &str) -> bool {
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    (lower.starts_with("init") && !lower.starts_with("initiat")) || lower.ends_with("_init")
}

/// The lock of an entry point seen as an initializer, or `None` when it is
/// neither locked once nor named like an initializer.
pub fn initializer_lock(cx: &AnalysisContext<'_>, entry: DeclId) -> Option<InitializerLock> {
    if let Some(lock) = one_shot_guard(cx, entry) {
        return Some(InitializerLock::OneShot(lock));
    }
    named_like_initializer(&cx.model.decl(entry).name).then_some(InitializerLock::None)
}

/// An initializer of a deployable contract that anyone can still run on
/// the deployed instance: one-shot locked, storing caller-chosen values,
/// and no constructor of the contract (its own or a base's) sets the lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnlockedInitializer {
    pub contract: DeclId,
    pub initializer: DeclId,
    pub lock: OneShot,
}

/// The unlocked initializers of `contract` (empty for interfaces,
/// libraries and abstract contracts, which are never deployed as such).
pub fn unlocked_initializers(
    cx: &AnalysisContext<'_>,
    critical: &CriticalState,
    contract: DeclId,
) -> Vec<UnlockedInitializer> {
    let Some(info) = cx.model.contract(contract) else {
        return Vec::new();
    };
    if info.kind != ContractKind::Contract || info.is_abstract {
        return Vec::new();
    }
    let constructors: Vec<DeclId> = info
        .linearization
        .iter()
        .filter_map(|&b| cx.model.contract(b).and_then(|c| c.constructor))
        .collect();
    let mut out = Vec::new();
    for &f in &info.functions {
        let Some(fi) = cx.model.function(f) else {
            continue;
        };
        if !fi.has_body() || !fi.is_externally_callable() {
            continue;
        }
        let Some(lock) = one_shot_guard(cx, f) else {
            continue;
        };
        if !grants_control(cx, critical, contract, f) {
            continue;
        }
        if demands_proof(cx, f, lock) {
            continue;
        }
        if constructors.iter().any(|&c| writes_key(cx, c, lock.key)) {
            continue;
        }
        out.push(UnlockedInitializer {
            contract,
            initializer: f,
            lock,
        });
    }
    out
}

/// Whether `entry` also requires the caller to prove knowledge of
/// something stored: a reverting check comparing, with `==`, a value
/// computed from a parameter with state other than the lock
/// (`require(keccak256(answer) == answerHash)`). That is a prize for
/// whoever knows the answer first (see `front-runnable-solution`), not an
/// initializer open to whoever calls first.
fn demands_proof(cx: &AnalysisContext<'_>, entry: DeclId, lock: OneShot) -> bool {
    let Some(f) = cx.ir.function_ir(entry) else {
        return false;
    };
    let taint = cx.ir.taint();
    f.cfg.nodes().any(|(node, _)| {
        crate::analysis::conditions::require_conditions(f, node)
            .into_iter()
            .any(|cond| {
                let mut atoms = Vec::new();
                crate::analysis::conditions::atoms(cond, &mut atoms);
                atoms.into_iter().any(|atom| {
                    let ExprKind::Binary {
                        op: bulwark_syntax::ast::BinaryOp::Eq,
                        lhs,
                        rhs,
                    } = &unparen(atom).kind
                    else {
                        return false;
                    };
                    let from_param = |e: &Expr| taint.expr(cx.ir, entry, e.id).has(Source::Param);
                    let stored = |e: &Expr| {
                        let mut found = false;
                        walk_expr(e, &mut |x| {
                            if let Some(d) =
                                cx.model.resolution(f.file, x.id).and_then(|r| r.decl())
                            {
                                found |= cx.model.decl(d).kind == DeclKind::StateVar
                                    && d != lock.key.decl();
                            }
                        });
                        found
                    };
                    (from_param(lhs) && !stored(lhs) && stored(rhs))
                        || (from_param(rhs) && !stored(rhs) && stored(lhs))
                })
            })
    })
}

/// Whether running `entry` in `contract` stores a value the caller chose
/// (an argument or their address) into state that controls the contract:
/// a critical variable (an authority, a payee, a called contract), or —
/// for namespaced storage, whose uses the IR cannot follow — a struct
/// field holding an address or a set of members.
fn grants_control(
    cx: &AnalysisContext<'_>,
    critical: &CriticalState,
    contract: DeclId,
    entry: DeclId,
) -> bool {
    let taint = cx.ir.taint();
    let chosen = |t: bulwark_ir::Taint| {
        t.has(Source::Param) || t.has(Source::MsgSender) || t.has(Source::MsgData)
    };
    let reach = cx
        .ir
        .call_graph()
        .reachable_in(cx.ir, Some(contract), entry);
    reach
        .into_iter()
        .filter_map(|g| cx.ir.function_ir(g))
        .any(|g| {
            g.cfg.nodes().any(|(_, n)| {
                n.exprs().into_iter().any(|root| {
                    let mut found = false;
                    walk_expr(root, &mut |e| {
                        if let ExprKind::Assign { lhs, rhs, .. } = &e.kind {
                            // The caller picks the value, or the entry of a
                            // set (`isOwner[owners[i]] = true`).
                            let picked = chosen(taint.expr(cx.ir, g.decl, rhs.id))
                                || index_keys_of(lhs)
                                    .into_iter()
                                    .any(|k| chosen(taint.expr(cx.ir, g.decl, k.id)));
                            found |= picked && controls(cx, critical, g, lhs);
                        }
                    });
                    found
                })
            })
        })
}

/// The index expressions of an assignment target (`[a]`, `[b]` in
/// `m[a].f[b]`).
fn index_keys_of(target: &Expr) -> Vec<&Expr> {
    let mut keys = Vec::new();
    let mut e = unparen(target);
    loop {
        match &e.kind {
            ExprKind::Index { base, index } => {
                keys.extend(index.as_deref());
                e = unparen(base);
            }
            ExprKind::Member { base, .. } => e = unparen(base),
            _ => return keys,
        }
    }
}

/// Whether an assignment target is critical state: under a state variable
/// with a controlling role, or a rootless pointer field of identity or
/// membership type.
fn controls(
    cx: &AnalysisContext<'_>,
    critical: &CriticalState,
    g: &bulwark_ir::FunctionIr<'_>,
    target: &Expr,
) -> bool {
    let mut e = unparen(target);
    loop {
        if let Some(field) = rootless_field(cx, g, e) {
            let ty = cx.model.decl_type(field);
            return is_identity(ty) || is_membership(ty);
        }
        match &e.kind {
            ExprKind::Index { base, .. } | ExprKind::Member { base, .. } => e = unparen(base),
            ExprKind::Ident(_) => {
                let Some(d) = cx.model.resolution(g.file, e.id).and_then(|r| r.decl()) else {
                    return false;
                };
                return cx.model.decl(d).kind == DeclKind::StateVar
                    && critical.roles(d).iter().any(|r| *r != Role::Switch);
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::named_like_initializer;

    #[test]
    fn initializer_names() {
        for yes in [
            "initialize",
            "init",
            "initWallet",
            "__Ownable_init",
            "initialise",
        ] {
            assert!(named_like_initializer(yes), "{yes}");
        }
        for no in ["initiateTransfer", "setOwner", "reinit_later", "finish"] {
            assert!(!named_like_initializer(no), "{no}");
        }
    }
}
