//! Guards, recognised by behaviour rather than by name:
//!
//! - **Sender checks** (access control): a `require`/`assert`, or an `if`
//!   with a branch that always reverts, whose condition compares
//!   `msg.sender` (or a value derived from it, e.g. `_msgSender()`) with
//!   something read from state (`msg.sender == owner`,
//!   `owners[msg.sender]`, `hasRole(role, msg.sender)`, `owner() ==
//!   _msgSender()`). A call to an internal function that performs such a
//!   check on every path (`_checkOwner()`) counts as a check at the call;
//!   a modifier whose `_` is reached only through a check restricts the
//!   functions it is applied to. Pre-0.5 code often gates without
//!   reverting (`modifier onlyOwner { if (msg.sender == owner) _; }`,
//!   `if (msg.sender != owner) return;`): an `if` on a sender comparison
//!   that decides whether a statement runs guards that statement too
//!   ([`Guards::gating_checks`]), though it is not a reverting check.
//!   Membership may be a zero test of an index looked up by the caller
//!   (Parity's `if (m_ownerIndex[uint(msg.sender)] == 0) return;`; not
//!   an accumulated amount such as a balance), and an internal helper
//!   that returns non-`false` only past such a check gates like one
//!   (`modifier onlymanyowners(h) { if (confirmAndCheck(h)) _; }`).
//!   Home-made assertion helpers (`function assert(bool x) internal { if
//!   (!x) throw; }`) test their argument like `require`
//!   ([`crate::assert_helper`]).
//! - **Mutexes** (reentrancy locks): a state variable that is tested by a
//!   reverting check and written before the guarded code, and written again
//!   after it — in a modifier around its `_`, or around an external call in
//!   a function body. The test and the writes may sit in internal helpers
//!   (OpenZeppelin's `_nonReentrantBefore`/`_nonReentrantAfter`). The flag
//!   may be read through a memory copy of the state holding it (`Slot0
//!   memory s = slot0; require(s.unlocked)`), or live in transient storage
//!   (a modifier that `tload`s and `tstore`s before `_` and `tstore`s after
//!   it, as OpenZeppelin's `ReentrancyGuardTransient`).

use std::collections::HashMap;
use std::sync::Mutex as StdMutex;

use bulwark_sema::{DeclId, DeclKind, Res};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

use crate::callgraph::CallEdgeKind;
use crate::cfg::{EdgeKind, NodeIx, NodeKind};
use crate::facts::CallSiteKind;
use crate::function::FunctionIr;
use crate::project::ProjectIr;
use crate::taint::{condition_exprs, Source};
use crate::walk::unparen;

/// A check restricting who may proceed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SenderCheck {
    /// The function or modifier holding the check (or the call to a
    /// checking helper).
    pub function: DeclId,
    pub node: NodeIx,
    /// State variables the caller is compared with (directly in the
    /// condition or read by the helpers it calls).
    pub state_vars: Vec<DeclId>,
    /// The check is made by calling this internal helper, which checks on
    /// every path.
    pub via_helper: Option<DeclId>,
    /// 0 when the check is on `msg.sender` itself. Otherwise bit `i`: the
    /// check is on parameter `i` of `function` (a helper such as
    /// `_checkRole(role, account)`, which restricts only callers passing
    /// `msg.sender`); such checks never appear in
    /// [`FunctionGuards::sender_checks`].
    pub on_params: u64,
}

impl SenderCheck {
    /// The check is on `msg.sender` (not on a helper's parameter).
    pub fn is_direct(&self) -> bool {
        self.on_params == 0
    }
}

/// A reentrancy lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MutexLock {
    /// The state variable, or for namespaced storage (ERC-7201) the struct
    /// field, used as the lock. For a lock in transient storage (EIP-1153:
    /// `tload`/`tstore` on a slot, as OpenZeppelin's
    /// `ReentrancyGuardTransient` does), whose slot is no declaration, the
    /// modifier holding it: functions sharing the modifier share the lock.
    pub var: DeclId,
    /// The modifier implementing it, or the function itself for a lock
    /// written inline.
    pub holder: DeclId,
}

/// Guards of one function.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionGuards {
    /// Every sender check in the body, its modifiers, and its checking
    /// helpers' call sites.
    pub sender_checks: Vec<SenderCheck>,
    /// Modifiers applied to the function whose `_` only runs after a
    /// sender check.
    pub restricting_modifiers: Vec<DeclId>,
    /// Some check covers every path to a normal return: the function can
    /// only complete for an authorised caller.
    pub sender_restricted: bool,
    pub mutexes: Vec<MutexLock>,
}

/// Guards of every function, computed on demand and cached.
#[derive(Debug, Default)]
pub struct Guards {
    cache: StdMutex<HashMap<Key, FunctionGuards>>,
    /// Memo of "this function checks the sender on every path", with the
    /// checks found (`None` while being computed, to cut recursion).
    always_checks: StdMutex<HashMap<Key, Option<Vec<SenderCheck>>>>,
    /// Memo of [`Guards::tested_state`].
    tested: StdMutex<HashMap<DeclId, Vec<DeclId>>>,
}

/// (most-derived contract the code runs in, function).
type Key = (Option<DeclId>, DeclId);

impl Guards {
    pub(crate) fn build(_ir: &ProjectIr<'_, '_>) -> Guards {
        Guards::default()
    }

    /// The guards of `function` in its own contract.
    pub fn of(&self, ir: &ProjectIr<'_, '_>, function: DeclId) -> FunctionGuards {
        let contract = ir.function_info(function).and_then(|f| f.contract);
        self.of_in(ir, contract, function)
    }

    /// The guards of `function` when it runs in an instance of `contract`
    /// (modifiers and helpers dispatched through its linearization: an
    /// override of `_checkOwner()` or `_executor()` changes the answer).
    pub fn of_in(
        &self,
        ir: &ProjectIr<'_, '_>,
        contract: Option<DeclId>,
        function: DeclId,
    ) -> FunctionGuards {
        let key = (contract, function);
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let g = self.compute(ir, contract, function);
        if let Ok(mut c) = self.cache.lock() {
            c.insert(key, g.clone());
        }
        g
    }

    /// Whether `node` of `function` only runs for an authorised caller: a
    /// restricting modifier is applied, or a sender check dominates it.
    pub fn node_is_sender_guarded(
        &self,
        ir: &ProjectIr<'_, '_>,
        function: DeclId,
        node: NodeIx,
    ) -> bool {
        let g = self.of(ir, function);
        if !g.restricting_modifiers.is_empty() {
            return true;
        }
        let Some(f) = ir.function_ir(function) else {
            return false;
        };
        g.sender_checks
            .iter()
            .filter(|c| c.function == function)
            .any(|c| c.node != node && f.cfg.dominates(c.node, node))
            || !self.gating_checks(ir, function, node).is_empty()
    }

    /// The `if`s of `function` on a sender comparison that decide whether
    /// `node` runs: each dominates `node`, and `node` is reachable only
    /// from the branch taken when the comparison passes (`if (msg.sender
    /// == owner) { ... node ... }`, `if (msg.sender != owner) return;
    /// node`). Code after such an `if` that both branches reach is not
    /// gated. Reverting checks are not repeated here (see
    /// [`FunctionGuards::sender_checks`]).
    pub fn gating_checks(
        &self,
        ir: &ProjectIr<'_, '_>,
        function: DeclId,
        node: NodeIx,
    ) -> Vec<SenderCheck> {
        let contract = ir.function_info(function).and_then(|f| f.contract);
        match ir.function_ir(function) {
            Some(f) => gating_checks_in(ir, contract, f, node),
            None => Vec::new(),
        }
    }

    /// State variables `function` (with its modifiers and internal callees)
    /// tests in reverting checks, read directly or through a plain memory
    /// copy: a function testing a lock another function holds reverts
    /// while that lock is taken (`require(slot0.unlocked)` without taking
    /// the lock itself), so it cannot be re-entered.
    pub fn tested_state(&self, ir: &ProjectIr<'_, '_>, function: DeclId) -> Vec<DeclId> {
        if let Some(hit) = self
            .tested
            .lock()
            .ok()
            .and_then(|m| m.get(&function).cloned())
        {
            return hit;
        }
        let out = self.compute_tested_state(ir, function);
        if let Ok(mut m) = self.tested.lock() {
            m.insert(function, out.clone());
        }
        out
    }

    fn compute_tested_state(&self, ir: &ProjectIr<'_, '_>, function: DeclId) -> Vec<DeclId> {
        let contract = ir.function_info(function).and_then(|f| f.contract);
        let access = ir.access();
        let mut out = Vec::new();
        for g in ir.call_graph().reachable_in(ir, contract, function) {
            let Some(f) = ir.function_ir(g) else { continue };
            for (ix, _) in f.cfg.nodes() {
                if !is_guard_shaped(f, ix) {
                    continue;
                }
                let at = access.at_node(ir, contract, f.decl, ix);
                out.extend(at.reads.iter().chain(&at.field_reads).copied());
                for &local in &f.facts(ix).uses {
                    for def in f.reaching_defs().reaching(ix, local) {
                        out.extend(plain_state_copy(ir, f, def, local));
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// When every `_` of modifier `m` is gated by sender comparisons
    /// (`if (msg.sender == owner) _;`), those checks; otherwise none.
    fn gating_placeholders(
        &self,
        ir: &ProjectIr<'_, '_>,
        ctx: Option<DeclId>,
        m: &FunctionIr<'_>,
    ) -> Vec<SenderCheck> {
        let mut out: Vec<SenderCheck> = Vec::new();
        let places = placeholders(m);
        for &p in &places {
            let gates = gating_checks_in(ir, ctx, m, p);
            if gates.is_empty() {
                return Vec::new();
            }
            for g in gates {
                if !out.iter().any(|o| o.node == g.node) {
                    out.push(g);
                }
            }
        }
        out
    }

    fn compute(
        &self,
        ir: &ProjectIr<'_, '_>,
        contract: Option<DeclId>,
        function: DeclId,
    ) -> FunctionGuards {
        let mut out = FunctionGuards::default();
        let Some(f) = ir.function_ir(function) else {
            return out;
        };
        // Modifiers (and what they check).
        for edge in ir.call_graph().callees_in(ir, contract, function) {
            if edge.kind != CallEdgeKind::Modifier {
                continue;
            }
            let Some(m) = edge.callee else { continue };
            let Some(mf) = ir.function_ir(m) else {
                continue;
            };
            let checks: Vec<SenderCheck> = self
                .local_sender_checks(ir, contract, mf)
                .into_iter()
                .filter(SenderCheck::is_direct)
                .collect();
            let restricts = placeholders(mf)
                .iter()
                .all(|&p| checks.iter().any(|c| mf.cfg.dominates(c.node, p)))
                && !placeholders(mf).is_empty();
            let gates = if restricts {
                Vec::new()
            } else {
                self.gating_placeholders(ir, contract, mf)
            };
            if restricts || !gates.is_empty() {
                out.restricting_modifiers.push(m);
            }
            out.sender_checks.extend(checks);
            out.sender_checks.extend(gates);
            for var in self.modifier_mutexes(ir, contract, mf) {
                out.mutexes.push(MutexLock { var, holder: m });
            }
        }
        let checks: Vec<SenderCheck> = self
            .local_sender_checks(ir, contract, f)
            .into_iter()
            .filter(SenderCheck::is_direct)
            .collect();
        out.sender_restricted = !out.restricting_modifiers.is_empty()
            || (checks.iter().any(|c| f.cfg.dominates(c.node, f.cfg.exit))
                && f.cfg.reaches(f.cfg.entry, f.cfg.exit));
        out.sender_checks.extend(checks);
        for var in self.inline_mutexes(ir, contract, f) {
            out.mutexes.push(MutexLock {
                var,
                holder: function,
            });
        }
        out
    }

    /// Sender checks made in `f`'s own body: guard-shaped nodes whose
    /// condition is a sender comparison, and calls to helpers that always
    /// check.
    fn local_sender_checks(
        &self,
        ir: &ProjectIr<'_, '_>,
        ctx: Option<DeclId>,
        f: &FunctionIr<'_>,
    ) -> Vec<SenderCheck> {
        let mut out = Vec::new();
        for (ix, _) in f.cfg.nodes() {
            if is_guard_shaped(f, ix) {
                if let Some((vars, on_params)) = sender_comparison(ir, ctx, f, ix) {
                    out.push(SenderCheck {
                        function: f.decl,
                        node: ix,
                        state_vars: vars,
                        via_helper: None,
                        on_params,
                    });
                    continue;
                }
            }
            for call in &f.facts(ix).calls {
                let (callee, receiver, via_super) = match &call.kind {
                    CallSiteKind::Internal {
                        function,
                        via_super,
                    } => (*function, None, *via_super),
                    CallSiteKind::BoundInternal { function, receiver } => {
                        (*function, Some(*receiver), false)
                    }
                    _ => continue,
                };
                let callee = match (ctx, via_super) {
                    (Some(c), false) => ir.dispatch(c, callee),
                    (Some(c), true) => ir.super_dispatch(c, f.decl, callee),
                    (None, _) => callee,
                };
                let Some(inner) = self.always_checks_sender(ir, ctx, callee) else {
                    continue;
                };
                // Arguments as the callee numbers its parameters.
                let args: Vec<_> = receiver
                    .into_iter()
                    .chain(call.args.iter().copied())
                    .collect();
                let taint = ir.taint();
                let mut direct = false;
                let mut on_params = 0u64;
                for c in &inner {
                    if c.is_direct() {
                        direct = true;
                        continue;
                    }
                    for (i, &arg) in args.iter().enumerate() {
                        if c.on_params & (1 << i.min(63)) == 0 {
                            continue;
                        }
                        let t = taint.expr(ir, f.decl, arg);
                        if t.has(Source::MsgSender) {
                            direct = true;
                        } else {
                            for p in t.params() {
                                on_params |= 1 << p.min(63);
                            }
                        }
                    }
                }
                if !direct && on_params == 0 {
                    continue;
                }
                let mut vars: Vec<DeclId> = inner
                    .iter()
                    .flat_map(|c| c.state_vars.iter().copied())
                    .collect();
                vars.sort();
                vars.dedup();
                out.push(SenderCheck {
                    function: f.decl,
                    node: ix,
                    state_vars: vars,
                    via_helper: Some(callee),
                    on_params: if direct { 0 } else { on_params },
                });
            }
        }
        out
    }

    /// The checks of `function` if one of them dominates its normal exit.
    fn always_checks_sender(
        &self,
        ir: &ProjectIr<'_, '_>,
        ctx: Option<DeclId>,
        function: DeclId,
    ) -> Option<Vec<SenderCheck>> {
        let key = (ctx, function);
        if let Ok(memo) = self.always_checks.lock() {
            if let Some(hit) = memo.get(&key) {
                return hit.clone();
            }
        }
        if let Ok(mut memo) = self.always_checks.lock() {
            memo.insert(key, None);
        }
        let result = ir.function_ir(function).and_then(|f| {
            let mut dominating: Vec<SenderCheck> = self
                .local_sender_checks(ir, ctx, f)
                .into_iter()
                .filter(|c| f.cfg.dominates(c.node, f.cfg.exit))
                .collect();
            // A restricting modifier on the helper (reached through
            // `super.grantRole(...)`, say) checks on every path too.
            for edge in ir.call_graph().callees_in(ir, ctx, function) {
                let (CallEdgeKind::Modifier, Some(m), Some(node)) =
                    (edge.kind, edge.callee, edge.node)
                else {
                    continue;
                };
                let Some(mf) = ir.function_ir(m) else {
                    continue;
                };
                let checks: Vec<SenderCheck> = self
                    .local_sender_checks(ir, ctx, mf)
                    .into_iter()
                    .filter(SenderCheck::is_direct)
                    .collect();
                let places = placeholders(mf);
                let mut restricts = !places.is_empty()
                    && places
                        .iter()
                        .all(|&p| checks.iter().any(|c| mf.cfg.dominates(c.node, p)));
                let mut checks = checks;
                if !restricts {
                    let gates = self.gating_placeholders(ir, ctx, mf);
                    restricts = !gates.is_empty();
                    checks.extend(gates);
                }
                if restricts {
                    let mut vars: Vec<DeclId> = checks
                        .iter()
                        .flat_map(|c| c.state_vars.iter().copied())
                        .collect();
                    vars.sort();
                    vars.dedup();
                    dominating.push(SenderCheck {
                        function,
                        node,
                        state_vars: vars,
                        via_helper: Some(m),
                        on_params: 0,
                    });
                }
            }
            (!dominating.is_empty()).then_some(dominating)
        });
        if let Ok(mut memo) = self.always_checks.lock() {
            memo.insert(key, result.clone());
        }
        result
    }

    /// Variables `m` locks around its `_`.
    fn modifier_mutexes(
        &self,
        ir: &ProjectIr<'_, '_>,
        ctx: Option<DeclId>,
        m: &FunctionIr<'_>,
    ) -> Vec<DeclId> {
        let mut out = Vec::new();
        for p in placeholders(m) {
            for var in lock_candidates(ir, ctx, m, p) {
                if !out.contains(&var) {
                    out.push(var);
                }
            }
            if !out.contains(&m.decl) && transient_lock_around(ir, ctx, m, p) {
                out.push(m.decl);
            }
        }
        out
    }

    /// Variables `f` locks around one of its own external calls.
    fn inline_mutexes(
        &self,
        ir: &ProjectIr<'_, '_>,
        ctx: Option<DeclId>,
        f: &FunctionIr<'_>,
    ) -> Vec<DeclId> {
        let mut out = Vec::new();
        for call in f.external_call_nodes() {
            for var in lock_candidates(ir, ctx, f, call) {
                if !out.contains(&var) {
                    out.push(var);
                }
            }
        }
        out
    }
}

fn placeholders(f: &FunctionIr<'_>) -> Vec<NodeIx> {
    f.cfg
        .nodes()
        .filter(|(_, n)| matches!(n.kind, NodeKind::Placeholder))
        .map(|(ix, _)| ix)
        .collect()
}

/// See [`Guards::gating_checks`].
fn gating_checks_in(
    ir: &ProjectIr<'_, '_>,
    ctx: Option<DeclId>,
    f: &FunctionIr<'_>,
    target: NodeIx,
) -> Vec<SenderCheck> {
    let mut out = Vec::new();
    for (ix, n) in f.cfg.nodes() {
        let NodeKind::Condition { expr, .. } = n.kind else {
            continue;
        };
        if ix == target || !f.cfg.dominates(ix, target) || is_guard_shaped(f, ix) {
            continue;
        }
        // The branch from which `target` can be reached, if only one.
        let mut reaching = n
            .succs()
            .iter()
            .filter(|&&(s, k)| {
                matches!(k, EdgeKind::True | EdgeKind::False)
                    && (s == target || f.cfg.reaches(s, target))
            })
            .map(|&(_, k)| k == EdgeKind::True);
        let (Some(branch), None) = (reaching.next(), reaching.next()) else {
            continue;
        };
        let mut vars = Vec::new();
        if !passes_only_for_authority(ir, ctx, f, ix, expr, branch, &mut vars) {
            continue;
        }
        vars.sort();
        vars.dedup();
        out.push(SenderCheck {
            function: f.decl,
            node: ix,
            state_vars: vars,
            via_helper: None,
            on_params: 0,
        });
    }
    out
}

/// Whether `cond` evaluating to `outcome` implies that some identity check
/// on `msg.sender` in it passed: `msg.sender == owner` true, `msg.sender
/// != owner` false, `owners[msg.sender]` true, through `!`, `&&`, `||`.
fn passes_only_for_authority(
    ir: &ProjectIr<'_, '_>,
    ctx: Option<DeclId>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    cond: &Expr,
    outcome: bool,
    vars: &mut Vec<DeclId>,
) -> bool {
    let cond = unparen(cond);
    match &cond.kind {
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => passes_only_for_authority(ir, ctx, f, node, operand, !outcome, vars),
        ExprKind::Binary {
            op: op @ (BinaryOp::And | BinaryOp::Or),
            lhs,
            rhs,
        } => {
            let l = passes_only_for_authority(ir, ctx, f, node, lhs, outcome, vars);
            let r = passes_only_for_authority(ir, ctx, f, node, rhs, outcome, vars);
            // `a && b` true (or `a || b` false) implies both sides' outcome;
            // otherwise only one of them is known.
            if (*op == BinaryOp::And) == outcome {
                l || r
            } else {
                l && r
            }
        }
        _ => {
            let mut found = Vec::new();
            if atom_is_sender_check(ir, ctx, f, node, cond, &mut found) != Some(0) {
                return false;
            }
            // `x == authority` passes when true, `x != authority` when
            // false; against zero (a membership lookup such as
            // `ownerIndex == 0`) the other way round.
            let passes_when = match &cond.kind {
                ExprKind::Binary {
                    op: op @ (BinaryOp::Eq | BinaryOp::Ne),
                    lhs,
                    rhs,
                } => (*op == BinaryOp::Ne) == (is_zero(lhs) || is_zero(rhs)),
                _ => true,
            };
            if passes_when == outcome {
                vars.extend(found);
                true
            } else {
                false
            }
        }
    }
}

/// State variables that `f` tests (in a reverting check) and writes
/// before `protected`, and writes again after it.
fn lock_candidates(
    ir: &ProjectIr<'_, '_>,
    ctx: Option<DeclId>,
    f: &FunctionIr<'_>,
    protected: NodeIx,
) -> Vec<DeclId> {
    let access = ir.access();
    let before: Vec<NodeIx> = f
        .cfg
        .nodes()
        .map(|(ix, _)| ix)
        .filter(|&ix| ix != protected && f.cfg.dominates(ix, protected))
        .collect();
    let reachable = f.cfg.reachable_from(protected);
    let after: Vec<NodeIx> = f
        .cfg
        .nodes()
        .map(|(ix, _)| ix)
        .filter(|&ix| ix != protected && reachable[ix.index()])
        .collect();
    // State variables and namespaced fields alike (their ids never clash).
    let mut tested = Vec::new();
    let mut written_before = Vec::new();
    for &ix in &before {
        let at = access.at_node(ir, ctx, f.decl, ix);
        if is_guard_shaped(f, ix) || calls_checking_helper(ir, f, ix) {
            tested.extend(at.reads.iter().chain(&at.field_reads).copied());
            // A flag tested through a memory copy of the state holding it
            // (`Slot0 memory s = slot0; require(s.unlocked)`): the copy's
            // definitions say which state the test really reads.
            for &local in &f.facts(ix).uses {
                for def in f.reaching_defs().reaching(ix, local) {
                    if let Some(var) = plain_state_copy(ir, f, def, local) {
                        tested.push(var);
                    }
                }
            }
        }
        written_before.extend(at.writes.iter().chain(&at.field_writes).copied());
    }
    let mut out = Vec::new();
    for var in tested {
        if !written_before.contains(&var) || out.contains(&var) {
            continue;
        }
        let reset_after = after.iter().any(|&ix| {
            let at = access.at_node(ir, ctx, f.decl, ix);
            at.writes(var) || at.writes_field(var)
        });
        if reset_after {
            out.push(var);
        }
    }
    out
}

/// Whether `f` reads and writes transient storage before `protected`
/// (dominating it) and writes it again after: a lock kept in a transient
/// slot (`if (tload(SLOT)) revert(); tstore(SLOT, 1); _; tstore(SLOT,
/// 0)`), directly or through helpers and libraries. The slot itself is not
/// tracked: a modifier that reads a transient slot and writes one on both
/// sides of `_` is taken to lock.
fn transient_lock_around(
    ir: &ProjectIr<'_, '_>,
    ctx: Option<DeclId>,
    f: &FunctionIr<'_>,
    protected: NodeIx,
) -> bool {
    use crate::cfg::AsmCallKind;
    let reachable = f.cfg.reachable_from(protected);
    let (mut loads_before, mut stores_before, mut stores_after) = (false, false, false);
    for (ix, _) in f.cfg.nodes() {
        if ix == protected {
            continue;
        }
        let before = f.cfg.dominates(ix, protected);
        let after = reachable[ix.index()];
        if !before && !after {
            continue;
        }
        let loads = node_uses_asm(ir, ctx, f, ix, AsmCallKind::TLoad);
        let stores = node_uses_asm(ir, ctx, f, ix, AsmCallKind::TStore);
        if before {
            loads_before |= loads;
            stores_before |= stores;
        }
        if after {
            stores_after |= stores;
        }
    }
    loads_before && stores_before && stores_after
}

/// Whether `node` of `f` runs the opcode `kind` in inline assembly, itself
/// or in an internal or library function it calls (transitively).
fn node_uses_asm(
    ir: &ProjectIr<'_, '_>,
    ctx: Option<DeclId>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    kind: crate::cfg::AsmCallKind,
) -> bool {
    if f.cfg.node(node).asm.as_ref().is_some_and(|a| a.has(kind)) {
        return true;
    }
    f.facts(node).calls.iter().any(|c| {
        let callee = match c.kind {
            CallSiteKind::Internal { function, .. }
            | CallSiteKind::BoundInternal { function, .. } => function,
            CallSiteKind::Library { function, .. } => function,
            _ => return false,
        };
        let callee = match ctx {
            Some(k) => ir.dispatch(k, callee),
            None => callee,
        };
        ir.call_graph()
            .reachable_in(ir, ctx, callee)
            .into_iter()
            .filter_map(|g| ir.function_ir(g))
            .any(|g| {
                g.cfg
                    .nodes()
                    .any(|(_, n)| n.asm.as_ref().is_some_and(|a| a.has(kind)))
            })
    })
}

/// The state variable `local` is a plain copy of at its definition `def`
/// (`Slot0 memory s = slot0;`), not a value computed from it.
fn plain_state_copy(
    ir: &ProjectIr<'_, '_>,
    f: &FunctionIr<'_>,
    def: NodeIx,
    local: DeclId,
) -> Option<DeclId> {
    let value = f
        .facts(def)
        .defs
        .iter()
        .find(|d| d.var == local)?
        .value
        .and_then(|v| f.expr(v))?;
    let value = unparen(value);
    if !matches!(value.kind, ExprKind::Ident(_)) {
        return None;
    }
    match ir.model().resolution(f.file, value.id) {
        Some(Res::Decl(d)) if ir.model().decl(*d).kind == DeclKind::StateVar => Some(*d),
        _ => None,
    }
}

/// Whether `node` calls an internal helper that contains a reverting
/// check dominating its exit (`_nonReentrantBefore()`).
fn calls_checking_helper(ir: &ProjectIr<'_, '_>, f: &FunctionIr<'_>, node: NodeIx) -> bool {
    f.facts(node).calls.iter().any(|c| {
        let CallSiteKind::Internal { function, .. } = c.kind else {
            return false;
        };
        ir.function_ir(function).is_some_and(|g| {
            g.cfg
                .nodes()
                .any(|(ix, _)| is_guard_shaped(g, ix) && g.cfg.dominates(ix, g.cfg.exit))
        })
    })
}

/// A node that stops execution unless its condition holds: a
/// `require`/`assert` call, or a condition with a branch that can only
/// end in a revert.
pub(crate) fn is_guard_shaped(f: &FunctionIr<'_>, node: NodeIx) -> bool {
    let n = f.cfg.node(node);
    match n.kind {
        NodeKind::Condition { .. } => n.succs().iter().any(|&(s, kind)| {
            matches!(kind, EdgeKind::True | EdgeKind::False)
                && !f.cfg.reaches(s, f.cfg.exit)
                && f.cfg.reaches(s, f.cfg.revert_exit)
        }),
        _ => {
            n.succs().iter().any(|&(_, k)| k == EdgeKind::Revert)
                && f.facts(node).calls.iter().any(|c| {
                    c.asserted_arg.is_some()
                        || matches!(
                            c.kind,
                            CallSiteKind::Builtin(
                                bulwark_sema::Builtin::Require | bulwark_sema::Builtin::Assert
                            )
                        )
                })
        }
    }
}

/// If the tested condition of `node` compares the caller with state,
/// the state variables involved.
fn sender_comparison(
    ir: &ProjectIr<'_, '_>,
    ctx: Option<DeclId>,
    f: &FunctionIr<'_>,
    node: NodeIx,
) -> Option<(Vec<DeclId>, u64)> {
    let mut vars = Vec::new();
    // `None`: no check; `Some(0)`: on msg.sender; `Some(mask)`: on params.
    let mut subject: Option<u64> = None;
    for cond in condition_exprs(f, node) {
        let mut atoms = Vec::new();
        boolean_atoms(cond, &mut atoms);
        for atom in atoms {
            if let Some(s) = atom_is_sender_check(ir, ctx, f, node, atom, &mut vars) {
                subject = Some(match subject {
                    Some(0) => 0,
                    Some(m) if s != 0 => m | s,
                    _ => s,
                });
            }
        }
    }
    subject.map(|mask| {
        vars.sort();
        vars.dedup();
        (vars, mask)
    })
}

/// Whom a tested value identifies: `Some(0)` the caller (`msg.sender` flows
/// in), `Some(mask)` the parameters in `mask` (the caller of this helper
/// decides), `None` neither.
fn subject_of(t: crate::taint::Taint) -> Option<u64> {
    if t.has(Source::MsgSender) {
        Some(0)
    } else if t.has(Source::Param) {
        let mask = t.params().fold(0u64, |m, p| m | 1 << p.min(63));
        (mask != 0).then_some(mask)
    } else {
        None
    }
}

/// The operands of `!`, `&&`, `||` and parentheses, down to the atoms.
fn boolean_atoms<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    let e = unparen(e);
    match &e.kind {
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => boolean_atoms(operand, out),
        ExprKind::Binary {
            op: BinaryOp::And | BinaryOp::Or,
            lhs,
            rhs,
        } => {
            boolean_atoms(lhs, out);
            boolean_atoms(rhs, out);
        }
        _ => out.push(e),
    }
}

/// If `atom` checks an identity against an authority, whose (see
/// [`subject_of`]).
fn atom_is_sender_check(
    ir: &ProjectIr<'_, '_>,
    ctx: Option<DeclId>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    atom: &Expr,
    vars: &mut Vec<DeclId>,
) -> Option<u64> {
    let taint = ir.taint();
    let of = |e: &Expr| taint.expr(ir, f.decl, e.id);
    match &atom.kind {
        ExprKind::Binary {
            op: BinaryOp::Eq | BinaryOp::Ne,
            lhs,
            rhs,
        } => {
            for (side, other) in [(lhs, rhs), (rhs, lhs)] {
                let Some(subject) = subject_of(of(side)) else {
                    continue;
                };
                // The identity compared with an authority: something read
                // from state, or any value the caller does not choose
                // (`address(this)`, an immutable, a helper returning
                // either). Not the zero address (a sanity check), not a
                // parameter or `tx.origin`.
                if is_zero(other) {
                    // `ownerIndex == 0` with `ownerIndex =
                    // m_ownerIndex[msg.sender]`: a membership test (zero
                    // is "not a member"), unlike `msg.sender !=
                    // address(0)`, which looks nothing up, or
                    // `balances[msg.sender] == 0`, an amount (balances
                    // are added to and subtracted from; member indexes
                    // are assigned).
                    let mut looked_up = Vec::new();
                    if subject == 0
                        && looks_up_sender(ir, f, node, side)
                        && state_derived(ir, ctx, f, node, side, &mut looked_up)
                        && !looked_up.iter().any(|&v| is_accumulated(ir, v))
                    {
                        vars.extend(looked_up);
                        return Some(subject);
                    }
                    continue;
                }
                let chosen_by_caller = of(other).has_any(&[
                    Source::MsgSender,
                    Source::TxOrigin,
                    Source::Param,
                    Source::MsgData,
                ]);
                if state_derived(ir, ctx, f, node, other, vars) || !chosen_by_caller {
                    return Some(subject);
                }
            }
            None
        }
        // Ordering and arithmetic (`balances[msg.sender] >= amount`) are
        // not identity checks.
        ExprKind::Binary { .. } => None,
        // A boolean looked up by identity: `owners[msg.sender]`,
        // `hasRole(role, account)`.
        _ => subject_of(of(atom))
            .filter(|_| state_derived(ir, ctx, f, node, atom, vars))
            .or_else(|| true_only_for_authority(ir, ctx, f, node, atom, vars).then_some(0)),
    }
}

/// `0`, `address(0)`, `payable(0)`, `bytes32(0)`.
fn is_zero(e: &Expr) -> bool {
    use bulwark_syntax::ast::Literal;
    match &unparen(e).kind {
        ExprKind::Literal(Literal::Number { value, .. }) => {
            value.trim_start_matches("0x").chars().all(|c| c == '0')
        }
        ExprKind::Call { args, .. } => {
            let args = crate::walk::call_args(args);
            args.len() == 1 && is_zero(args[0])
        }
        _ => false,
    }
}

/// Whether `e` reads state (any state variable, constants and immutables
/// included, or through internal calls), collecting the variables.
fn state_derived(
    ir: &ProjectIr<'_, '_>,
    ctx: Option<DeclId>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    vars: &mut Vec<DeclId>,
) -> bool {
    let model = ir.model();
    let mut found = false;
    crate::walk::walk_expr(e, &mut |sub| {
        match model.resolution(f.file, sub.id) {
            Some(Res::Decl(d)) if model.decl(*d).kind == DeclKind::StateVar => {
                vars.push(*d);
                found = true;
            }
            Some(Res::Decl(d)) if matches!(model.decl(*d).kind, DeclKind::LocalVar) => {
                // A local loaded from state earlier (`address o = owner;`).
                for def in f.reaching_defs().reaching(node, *d) {
                    let at = &f.facts(def);
                    if !at.state_reads.is_empty() {
                        vars.extend(at.state_reads.iter().map(|a| a.var));
                        found = true;
                    }
                }
            }
            _ => {}
        }
        if let ExprKind::Call { .. } = sub.kind {
            if let Some(call) = f.facts(node).calls.iter().find(|c| c.expr == sub.id) {
                if let CallSiteKind::Internal { function, .. }
                | CallSiteKind::BoundInternal { function, .. } = call.kind
                {
                    let callee = match ctx {
                        Some(c) => ir.dispatch(c, function),
                        None => function,
                    };
                    let reads = &ir.access().transitive(ir, ctx, callee).reads;
                    if !reads.is_empty() {
                        vars.extend(reads.iter().copied());
                        found = true;
                    }
                }
            }
        }
    });
    found
}

thread_local! {
    /// Helpers being examined by [`true_only_for_authority`] on this
    /// thread, to cut recursion.
    static EXAMINING: std::cell::RefCell<Vec<DeclId>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether `atom` calls an internal helper that returns anything but
/// `false` only after a sender check passed: Parity's `confirmAndCheck`,
/// which starts with `if (ownerIndex == 0) return;` (the default `false`)
/// and returns `true` further down, so `if (confirmAndCheck(op)) _;`
/// gates like `if (isOwner(msg.sender)) _;`.
fn true_only_for_authority(
    ir: &ProjectIr<'_, '_>,
    ctx: Option<DeclId>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    atom: &Expr,
    vars: &mut Vec<DeclId>,
) -> bool {
    let Some(call) = f.facts(node).calls.iter().find(|c| c.expr == atom.id) else {
        return false;
    };
    let CallSiteKind::Internal { function, .. } = call.kind else {
        return false;
    };
    let callee = match ctx {
        Some(c) => ir.dispatch(c, function),
        None => function,
    };
    let busy = EXAMINING.with(|s| {
        let mut s = s.borrow_mut();
        if s.contains(&callee) {
            true
        } else {
            s.push(callee);
            false
        }
    });
    if busy {
        return false;
    }
    let result = ir.function_ir(callee).is_some_and(|g| {
        let mut found = Vec::new();
        let mut any_true = false;
        let all_gated = g.cfg.nodes().all(|(ix, n)| {
            let NodeKind::Return(value) = n.kind else {
                return true;
            };
            if !g.cfg.reaches(g.cfg.entry, ix) {
                return true;
            }
            // `return;` and `return false;` deny.
            let Some(value) = value else { return true };
            if matches!(
                unparen(value).kind,
                ExprKind::Literal(bulwark_syntax::ast::Literal::Bool(false))
            ) {
                return true;
            }
            any_true = true;
            let gates = gating_checks_in(ir, ctx, g, ix);
            let checks: Vec<SenderCheck> = gates
                .into_iter()
                .chain(
                    g.cfg
                        .nodes()
                        .filter(|&(d, _)| {
                            d != ix && g.cfg.dominates(d, ix) && is_guard_shaped(g, d)
                        })
                        .filter_map(|(d, _)| {
                            sender_comparison(ir, ctx, g, d)
                                .filter(|(_, mask)| *mask == 0)
                                .map(|(v, _)| SenderCheck {
                                    function: g.decl,
                                    node: d,
                                    state_vars: v,
                                    via_helper: None,
                                    on_params: 0,
                                })
                        }),
                )
                .collect();
            if checks.is_empty() {
                return false;
            }
            found.extend(checks.into_iter().flat_map(|c| c.state_vars));
            true
        });
        // Falling off the end (or `return;`) returns the default `false`
        // only when the return value is unnamed.
        let result = all_gated && any_true && !has_named_return(g);
        if result {
            vars.extend(found);
        }
        result
    });
    EXAMINING.with(|s| s.borrow_mut().retain(|&d| d != callee));
    result
}

/// Whether `g` names its return value (`returns (bool ok)`): a bare
/// `return;` then returns whatever `ok` holds.
fn has_named_return(g: &FunctionIr<'_>) -> bool {
    g.ast.returns.iter().any(|r| r.name.is_some())
}

/// Whether `e` reads `msg.sender` itself, directly or through the
/// definitions of the locals it uses (`ownerIndex =
/// m_ownerIndex[uint(msg.sender)]`) — not merely state that once stored
/// the caller (`playerA == address(0)` asks whether a seat is free).
fn looks_up_sender(ir: &ProjectIr<'_, '_>, f: &FunctionIr<'_>, node: NodeIx, e: &Expr) -> bool {
    let model = ir.model();
    let mut found = false;
    crate::walk::walk_expr(e, &mut |sub| {
        if found {
            return;
        }
        match model.resolution(f.file, sub.id) {
            Some(Res::Builtin(bulwark_sema::Builtin::MsgSender)) => found = true,
            Some(Res::Decl(d)) if model.decl(*d).kind == DeclKind::LocalVar => {
                found = f
                    .reaching_defs()
                    .reaching(node, *d)
                    .into_iter()
                    .any(|def| f.facts(def).reads_env(bulwark_sema::Builtin::MsgSender));
            }
            _ => {}
        }
    });
    found
}

/// Whether some write of `var` also reads it, directly or through a local
/// (`balances[a] += v`, `balances[a] = balances[a].sub(v)`, `uint left =
/// allowed[a][b]; allowed[a][b] = left - v`): it accumulates amounts.
fn is_accumulated(ir: &ProjectIr<'_, '_>, var: DeclId) -> bool {
    let reads = |f: &FunctionIr<'_>, n: NodeIx| f.facts(n).state_reads.iter().any(|r| r.var == var);
    ir.taint().writes_of(var).iter().any(|w| {
        ir.function_ir(w.function).is_some_and(|f| {
            // A plain copy (`m_ownerIndex[to] = ownerIndex`, moving an
            // index to another key) or a constant is no accumulation.
            let copied = f.facts(w.node).state_writes.iter().any(|a| {
                a.var == var
                    && a.value.and_then(|v| f.expr(v)).is_some_and(|v| {
                        matches!(unparen(v).kind, ExprKind::Ident(_) | ExprKind::Literal(_))
                    })
            });
            !copied
                && (reads(f, w.node)
                    || f.facts(w.node).uses.iter().any(|&local| {
                        f.reaching_defs()
                            .reaching(w.node, local)
                            .into_iter()
                            .any(|def| reads(f, def))
                    }))
        })
    })
}
