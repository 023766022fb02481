//! `missing-event`: a privileged function changes configuration state
//! and emits no event.
//!
//! # Facts used
//! - Guards: the function completes only for an authorised caller
//!   (`FunctionGuards::sender_restricted`, modifiers and helpers
//!   included). Initializers (one-shot locked or named so) and
//!   constructors are left out: deployment-time values are visible in
//!   the deployment transaction.
//! - State writes of the function and of the internal functions and
//!   modifiers it runs: a whole value-type variable set to a value derived
//!   from a parameter, or a variable that [`CriticalState`] finds decides
//!   access, receives funds, is called, or switches a feature
//!   (`paused = true`); and entries of membership sets that access checks
//!   read (`admins[account] = true`). Other mapping entries and array
//!   elements are per-user bookkeeping.
//! - Events: an `emit` (or a pre-0.4.21 event call, or an assembly `log`)
//!   anywhere in the function or what it runs silences the finding.

use std::collections::HashSet;

use bulwark_ir::cfg::AsmCallKind;
use bulwark_ir::facts::{AccessHow, CallSiteKind};
use bulwark_ir::taint::Source;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Type, VarMutability};
use bulwark_syntax::ast::FunctionKind;

use crate::analysis::critical_state::{is_membership, mutable_type, CriticalState, Role};
use crate::analysis::initializers::initializer_lock;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "missing-event",
    title: "Privileged state change without an event",
    severity: Severity::Informational,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "An owner- or admin-only function changes a configuration value (a fee, an \
address, a switch) without emitting an event, so users and monitors cannot see the change.",
    what: r#"Reports the state write of a function that only authorised callers can complete
(an owner, admin or role check in the body, a modifier or a helper) when it sets a whole
value-type state variable — from one of the function's parameters, or a variable the rest of
the code uses as an authority, a payee, a called contract or an on/off switch — or grants or
revokes membership in a set that access checks read (`admins[account] = true`), and neither
the function nor anything it runs emits an event.

Not reported: functions anyone may call (that is an access-control question), constructors and
initializers, writes of other mapping entries and array elements (per-user bookkeeping),
values not taken from parameters on non-critical variables (timestamps, counters)."#,
    why: r#"Events are how users, front ends, indexers and monitoring bots learn that the rules
changed: a new fee, a new oracle, a new owner, a pause. A silent change can only be found by
polling storage, so a compromised admin key or a mistaken parameter goes unnoticed until
funds move."#,
    exploit: r#"```solidity
function setFeeRecipient(address recipient) external onlyOwner {
    feeRecipient = recipient;              // no event
}
```
1. The owner key leaks; the attacker points `feeRecipient` at their own address.
2. Monitoring watches the contract's events and sees nothing.
3. Fees flow to the attacker for weeks before anyone reads the storage slot."#,
    fix: r#"Emit an event naming the old and the new value:
```solidity
event FeeRecipientChanged(address indexed previous, address indexed next);

function setFeeRecipient(address recipient) external onlyOwner {
    emit FeeRecipientChanged(feeRecipient, recipient);
    feeRecipient = recipient;
}
```"#,
    references: &[
        "https://docs.soliditylang.org/en/latest/contracts.html#events",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#missing-events-access-control",
    ],
};

pub struct MissingEvent;

impl Detector for MissingEvent {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let critical = CriticalState::compute(cx);
        let taint = cx.ir.taint();
        for f in cx.ir.functions() {
            let Some(info) = cx.model.function(f.decl) else {
                continue;
            };
            if info.kind != FunctionKind::Function
                || !info.is_externally_callable()
                || !info.has_body()
            {
                continue;
            }
            if !cx.ir.function_guards(f.decl).sender_restricted
                || initializer_lock(cx, f.decl).is_some()
            {
                continue;
            }
            let reach = cx.ir.call_graph().reachable_in(cx.ir, f.contract, f.decl);
            if reach.iter().any(|&g| emits(cx, g)) {
                continue;
            }
            let mut reported: HashSet<DeclId> = HashSet::new();
            for &g in &reach {
                let Some(gir) = cx.ir.function_ir(g) else {
                    continue;
                };
                for (_, w) in gir.state_writes() {
                    if reported.contains(&w.var) {
                        continue;
                    }
                    let Some(ty) = mutable_type(cx, w.var) else {
                        continue;
                    };
                    if cx
                        .model
                        .state_var(w.var)
                        .is_none_or(|v| v.mutability != VarMutability::Mutable)
                    {
                        continue;
                    }
                    // A whole value, or an entry of a membership set that
                    // access checks read (`admins[account] = true`).
                    let whole = w.how == AccessHow::Direct && is_value_type(&ty);
                    let grant = w.how == AccessHow::Element
                        && is_membership(&ty)
                        && critical.has_role(w.var, Role::Authority);
                    if !whole && !grant {
                        continue;
                    }
                    let from_param = w
                        .value
                        .is_some_and(|v| taint.expr(cx.ir, g, v).has(Source::Param));
                    let roles = critical.roles(w.var);
                    if !from_param && roles.is_empty() {
                        continue;
                    }
                    reported.insert(w.var);
                    let var = &cx.model.decl(w.var).name;
                    let why = match roles.first() {
                        Some(role) => format!(" (`{var}` {})", role.describe()),
                        None => String::new(),
                    };
                    let message = format!(
                        "`{}` changes `{var}`{why} and only authorised callers can run it, but it \
emits no event: users and monitors cannot see the change",
                        cx.qualified_name(f.decl)
                    );
                    out.push(
                        FindingBuilder::new(&META, message, cx.location_in(g, w.span)).build(),
                    );
                }
            }
        }
    }
}

/// Whether `function` emits an event itself.
fn emits(cx: &AnalysisContext<'_>, function: DeclId) -> bool {
    cx.ir.function_ir(function).is_some_and(|f| {
        f.calls().any(|(_, c)| {
            matches!(
                c.kind,
                CallSiteKind::Event(_) | CallSiteKind::Assembly(AsmCallKind::Log)
            )
        })
    })
}

/// Types a single event field can carry and a setter assigns whole.
fn is_value_type(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Bool
            | Type::Address { .. }
            | Type::Int { .. }
            | Type::FixedBytes(_)
            | Type::Enum(_)
            | Type::Udvt(_)
            | Type::Contract(_)
    )
}
