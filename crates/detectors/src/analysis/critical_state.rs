//! Critical state: the state variables whose value decides who may act,
//! where money goes, which code the contract trusts, or whether a feature
//! is switched on — recognised by how the rest of the code *uses* them,
//! never by their names.
//!
//! - [`Role::Authority`]: compared with `msg.sender` in a check that
//!   stops outsiders (an owner address, or a membership set such as
//!   `admins[msg.sender]` / `roles[role][msg.sender]`: a mapping whose
//!   leaf is a `bool`). Per-object ownership (`ownerOf[id] == msg.sender`,
//!   a mapping to addresses) is deliberately left out: anyone may create
//!   their own object.
//! - [`Role::Payee`]: a whole address variable that receives ether
//!   (`transfer`, `send`, `call{value:}`, `selfdestruct`) or tokens (the
//!   recipient of an ERC-20 `transfer`/`transferFrom` or of a SafeERC20
//!   `safeTransfer`/`safeTransferFrom` — the ERC-20 function names are the
//!   interface itself, so the name is the evidence here).
//! - [`Role::Dependency`]: a whole address or contract variable the
//!   contract calls (an oracle, a token, a router, a delegatecall target).
//! - [`Role::Switch`]: a whole `bool` variable tested by a check that
//!   reverts, with no `msg.sender` in the condition (`require(!paused)`).
//! - [`Role::Limit`] (only from [`CriticalState::compute_with_limits`]): a
//!   whole integer variable tested by a reverting check (or by a branch
//!   that decides whether the function does anything at all), not about
//!   `msg.sender`, in a function that only authorised callers may run —
//!   a bound on what even the authority can do (a timelock's `delay`, a
//!   mint cap, a multisig's threshold checked with a `require`).

use std::collections::HashMap;

use bulwark_ir::cfg::{EdgeKind, NodeIx, NodeKind};
use bulwark_ir::facts::{AccessHow, CallSiteKind, LowLevelOp};
use bulwark_ir::taint::Source;
use bulwark_ir::FunctionIr;
use bulwark_sema::{DeclId, Type, VarMutability};

use crate::analysis::conditions::{is_guard, tested};
use crate::analysis::provenance::{origins, Origin};
use crate::detector::AnalysisContext;

/// What a critical variable is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Authority,
    Payee,
    Dependency,
    Switch,
    Limit,
}

impl Role {
    /// How messages describe the role.
    pub fn describe(self) -> &'static str {
        match self {
            Role::Authority => "decides who passes an access check",
            Role::Payee => "receives funds",
            Role::Dependency => "is the contract this one calls",
            Role::Switch => "switches a feature on or off for everyone",
            Role::Limit => "limits what even authorised callers can do",
        }
    }
}

/// One use that gives a variable its role: the statement in `function`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleUse {
    pub role: Role,
    pub function: DeclId,
    pub node: NodeIx,
}

/// The roles of every mutable state variable of the project.
#[derive(Debug, Default)]
pub struct CriticalState {
    uses: HashMap<DeclId, Vec<RoleUse>>,
}

impl CriticalState {
    /// Scans every function once.
    pub fn compute(cx: &AnalysisContext<'_>) -> CriticalState {
        let mut state = CriticalState::default();
        for f in cx.ir.functions() {
            state.scan_sender_checks(cx, f);
            state.scan_calls(cx, f);
            state.scan_switches(cx, f);
        }
        state
    }

    /// [`CriticalState::compute`] plus [`Role::Limit`] variables, for the
    /// detectors that ask who may change such bounds.
    pub fn compute_with_limits(cx: &AnalysisContext<'_>) -> CriticalState {
        let mut state = CriticalState::compute(cx);
        for f in cx.ir.functions() {
            state.scan_limits(cx, f);
        }
        state
    }

    /// The uses that make `var` critical (empty when it is not).
    pub fn uses(&self, var: DeclId) -> &[RoleUse] {
        self.uses.get(&var).map_or(&[], Vec::as_slice)
    }

    /// The roles of `var`, sorted, without duplicates.
    pub fn roles(&self, var: DeclId) -> Vec<Role> {
        let mut roles: Vec<Role> = self.uses(var).iter().map(|u| u.role).collect();
        roles.sort();
        roles.dedup();
        roles
    }

    pub fn has_role(&self, var: DeclId, role: Role) -> bool {
        self.uses(var).iter().any(|u| u.role == role)
    }

    /// Every critical variable, in declaration order.
    pub fn vars(&self) -> Vec<DeclId> {
        let mut vars: Vec<DeclId> = self.uses.keys().copied().collect();
        vars.sort();
        vars
    }

    fn add(&mut self, var: DeclId, role: Role, function: DeclId, node: NodeIx) {
        let uses = self.uses.entry(var).or_default();
        if !uses
            .iter()
            .any(|u| u.role == role && u.function == function)
        {
            uses.push(RoleUse {
                role,
                function,
                node,
            });
        }
    }

    fn scan_sender_checks(&mut self, cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) {
        let guards = cx.ir.guards().of(cx.ir, f.decl);
        for check in guards
            .sender_checks
            .iter()
            .filter(|c| c.function == f.decl && c.via_helper.is_none())
        {
            for &var in &check.state_vars {
                if mutable_type(cx, var).is_some_and(|ty| is_identity(&ty) || is_membership(&ty)) {
                    self.add(var, Role::Authority, f.decl, check.node);
                }
            }
        }
    }

    fn scan_calls(&mut self, cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) {
        for (node, call) in f.calls() {
            let (role, expr) = match &call.kind {
                CallSiteKind::LowLevel {
                    op, target, value, ..
                } => match op {
                    LowLevelOp::Transfer | LowLevelOp::Send => (Role::Payee, *target),
                    LowLevelOp::Call | LowLevelOp::CallCode if value.is_some() => {
                        (Role::Payee, *target)
                    }
                    _ => (Role::Dependency, *target),
                },
                CallSiteKind::SelfDestruct {
                    beneficiary: Some(b),
                } => (Role::Payee, *b),
                CallSiteKind::External {
                    function,
                    receiver: Some(receiver),
                    ..
                } => {
                    if let Some(to) = token_recipient(cx, *function, &call.args, false) {
                        self.add_direct(cx, f, node, to, Role::Payee);
                    }
                    (Role::Dependency, *receiver)
                }
                CallSiteKind::BoundInternal { function, .. } => {
                    match token_recipient(cx, Some(*function), &call.args, true) {
                        Some(to) => (Role::Payee, to),
                        None => continue,
                    }
                }
                _ => continue,
            };
            self.add_direct(cx, f, node, expr, role);
        }
    }

    /// Records `role` for the whole (non-mapping) state variables the value
    /// of `expr` comes from.
    fn add_direct(
        &mut self,
        cx: &AnalysisContext<'_>,
        f: &FunctionIr<'_>,
        node: NodeIx,
        expr: bulwark_syntax::ast::NodeId,
        role: Role,
    ) {
        let Some(e) = f.expr(expr) else { return };
        for origin in origins(cx, f, node, e) {
            if let Origin::State(var) = origin {
                if mutable_type(cx, var).is_some_and(|ty| is_identity(&ty)) {
                    self.add(var, role, f.decl, node);
                }
            }
        }
    }

    fn scan_limits(&mut self, cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) {
        let guards = cx.ir.guards().of(cx.ir, f.decl);
        let restricted = !guards.restricting_modifiers.is_empty()
            || guards.sender_checks.iter().any(|c| c.function == f.decl);
        if !restricted {
            return;
        }
        let taint = cx.ir.taint();
        for (node, _) in f.cfg.nodes() {
            if !is_guard(f, node) && !gates_effects(f, node) {
                continue;
            }
            let about_sender = tested(f, node)
                .iter()
                .any(|c| taint.expr(cx.ir, f.decl, c.id).has(Source::MsgSender));
            if about_sender {
                continue;
            }
            for read in &f.facts(node).state_reads {
                if read.how == AccessHow::Direct
                    && mutable_type(cx, read.var).is_some_and(|ty| matches!(ty, Type::Int { .. }))
                {
                    self.add(read.var, Role::Limit, f.decl, node);
                }
            }
        }
    }

    fn scan_switches(&mut self, cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) {
        let taint = cx.ir.taint();
        for (node, _) in f.cfg.nodes() {
            if !is_guard(f, node) {
                continue;
            }
            let about_sender = tested(f, node)
                .iter()
                .any(|c| taint.expr(cx.ir, f.decl, c.id).has(Source::MsgSender));
            if about_sender {
                continue;
            }
            for read in &f.facts(node).state_reads {
                if read.how == AccessHow::Direct
                    && mutable_type(cx, read.var).is_some_and(|ty| ty == Type::Bool)
                {
                    self.add(read.var, Role::Switch, f.decl, node);
                }
            }
        }
    }
}

/// Whether the branch at `node` decides if the function does anything:
/// one side reaches the exit with no state write or external call on the
/// way (`if (confirmations < required) return;`), the other has some.
fn gates_effects(f: &FunctionIr<'_>, node: NodeIx) -> bool {
    let n = f.cfg.node(node);
    if !matches!(n.kind, NodeKind::Condition { .. }) {
        return false;
    }
    let effect = |ix: NodeIx| {
        let facts = f.facts(ix);
        !facts.state_writes.is_empty() || facts.has_external_call()
    };
    let has_effects = |start: NodeIx| {
        f.cfg
            .nodes()
            .any(|(ix, _)| f.cfg.reaches(start, ix) && effect(ix))
    };
    let sides: Vec<NodeIx> = n
        .succs()
        .iter()
        .filter(|(_, k)| matches!(k, EdgeKind::True | EdgeKind::False))
        .map(|&(s, _)| s)
        .collect();
    let [a, b] = sides.as_slice() else {
        return false;
    };
    has_effects(*a) != has_effects(*b)
}

/// The declared type of a mutable (storage) state variable.
pub fn mutable_type(cx: &AnalysisContext<'_>, var: DeclId) -> Option<Type> {
    let info = cx.model.state_var(var)?;
    (info.mutability == VarMutability::Mutable).then(|| info.ty.clone())
}

/// An address or a contract reference: one account.
pub fn is_identity(ty: &Type) -> bool {
    matches!(ty, Type::Address { .. } | Type::Contract(_))
}

/// A mapping (possibly nested) whose leaf is a `bool`: a set of members.
pub fn is_membership(ty: &Type) -> bool {
    match ty {
        Type::Mapping { value, .. } => match value.as_ref() {
            Type::Bool => true,
            inner @ Type::Mapping { .. } => is_membership(inner),
            _ => false,
        },
        _ => false,
    }
}

/// The recipient argument of an ERC-20 style token transfer: `to` of
/// `transfer(to, amount)` / `safeTransfer(token, to, amount)`, `to` of
/// `transferFrom(from, to, amount)` / `safeTransferFrom`. `bound` calls
/// (`token.safeTransfer(to, amount)` through `using for`) do not list the
/// receiver among `args`.
fn token_recipient(
    cx: &AnalysisContext<'_>,
    function: Option<DeclId>,
    args: &[bulwark_syntax::ast::NodeId],
    bound: bool,
) -> Option<bulwark_syntax::ast::NodeId> {
    let name = cx.model.decl(function?).name.as_str();
    let index = match (name, bound, args.len()) {
        ("transfer", false, 2) | ("safeTransfer", true, 2) => 0,
        ("transferFrom", false, 3) | ("safeTransferFrom", true, 3) => 1,
        _ => return None,
    };
    args.get(index).copied()
}
