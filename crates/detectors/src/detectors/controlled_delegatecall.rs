//! `controlled-delegatecall`: `delegatecall` (or `callcode`) to code the
//! caller picks.
//!
//! # Facts used
//! - Resolved `delegatecall` and `callcode` member calls on addresses, and
//!   inline-assembly `delegatecall`/`callcode` whose address argument names
//!   a Solidity parameter, local or state variable.
//! - Taint of the target address: parameters, `msg.data` slices, or a
//!   storage variable written by an unprotected function from caller input
//!   (the unprotected upgrade). Storage written only by the constructor or
//!   behind an access check, immutables, constants and `address(this)` are
//!   trusted.
//! - Access control on the path to the call (as in
//!   `unprotected-selfdestruct`); validation of the value
//!   (`target != address(0)`) is not access control.
//! - Authorisation hooks: a call dominated by an internal hook
//!   (`_authorizeUpgrade`) whose override, in every deployable contract
//!   inheriting the function's, completes only behind a sound sender check
//!   is guarded.
//! - Allowlists: a dominating `require` that the target is a member of a
//!   state mapping only authorised callers fill (`require(approved[t])`)
//!   means the caller only picks among vetted code.

use bulwark_ir::cfg::{AsmCallKind, NodeIx};
use bulwark_ir::facts::{CallSiteKind, LowLevelOp};
use bulwark_ir::taint::Source;
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_ir::Taint;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::DeclId;
use bulwark_syntax::ast::ExprKind;
use bulwark_syntax::Span;

use crate::analysis::access::Access;
use crate::analysis::conditions::require_conditions;
use crate::analysis::destination::{chosen_by_caller, variable_chosen_by_caller, Chosen};
use crate::analysis::expr::root_state_var;
use crate::analysis::one_shot::one_shot_guard;
use crate::analysis::values::{depends_on, mentioned_decls};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "controlled-delegatecall",
    title: "Delegatecall to a caller-controlled address",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-112"],
    applies_to: "all versions (`callcode` before 0.5.0)",
    summary: "Any caller can choose the code that `delegatecall` runs, and that code runs with \
this contract's storage, balance and identity.",
    what: r#"Reports `delegatecall` and `callcode` in functions without an access check on
`msg.sender` when the target address is chosen by the caller: a parameter, data decoded from
the call, or a storage slot that an unprotected function lets anyone overwrite (an upgrade
function that lost its check). Inline-assembly `delegatecall`/`callcode` count too, when
their address argument names such a Solidity parameter, local or state variable
(`delegatecall(gas(), module, ...)`). In an upgradeable implementation this is the way anyone
who calls the implementation directly runs code in its context (and, before Cancun,
self-destructs it); when the target is only reachable through an authority that the
implementation's open initializer hands out, `destructible-implementation` reports it.

Not reported: targets that are constants, immutables, `address(this)` (multicall), or
storage written only by the constructor or by an authorised role (a plugin registry the
owner maintains); calls made after an internal authorisation hook that every deployable
contract inheriting the function overrides with a sound sender check (a UUPS
`upgradeToAndCall` whose `_authorizeUpgrade` is `onlyOwner`; an empty hook is
`unprotected-upgrade`'s finding and keeps this one). Forwarding caller-chosen *data* to a
fixed target is not reported by this detector. The primary location is the delegatecall — or, when the delegatecall sits in a
library helper (an `Address.functionDelegateCall`-style function), the open entry function
that reaches it, with the library's delegatecall as a related location; the other related
location is the open write of the target, when there is one."#,
    why: r#"`delegatecall` runs foreign code as if it were this contract's own: it can overwrite any
storage slot (the owner, the implementation pointer, balances), send the whole balance
anywhere, or self-destruct the contract. Letting the caller pick that code is handing them
the contract."#,
    exploit: r#"```solidity
function upgradeTo(address next) external { implementation = next; }
fallback() external payable {
    (bool ok, ) = implementation.delegatecall(msg.data);
    require(ok);
}
```
1. The attacker deploys `Evil` with `function pwn() external { selfdestruct(payable(tx.origin)); }`
   (or one that writes slot 0 to become admin).
2. The attacker calls `upgradeTo(address(Evil))`, then calls the proxy with `pwn()`'s
   selector.
3. The fallback delegatecalls into `Evil`: the proxy's ether goes to the attacker and every
   user of the proxy now runs the attacker's code."#,
    fix: r#"Only delegatecall to code fixed at deployment or chosen by an authorised role:
```solidity
function upgradeTo(address next) external {
    require(msg.sender == admin, "not admin");
    implementation = next;
}
```
Prefer audited proxy patterns (ERC-1967 with UUPS or a transparent proxy) over hand-rolled
ones."#,
    references: &[
        "https://swcregistry.io/docs/SWC-112",
        "https://docs.soliditylang.org/en/latest/introduction-to-smart-contracts.html",
        "https://eips.ethereum.org/EIPS/eip-1967",
    ],
};

pub struct ControlledDelegatecall;

impl Detector for ControlledDelegatecall {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                let Some((op, target)) = delegate_target(cx, f, node, &call.kind, call.span) else {
                    continue;
                };
                let Some(entry) = access.open_entry(f.decl, node) else {
                    continue;
                };
                if authorised_by_hook(cx, &access, f, node) {
                    continue;
                }
                // The caller picks the code: an argument, call data, or a
                // slot an open function stores caller input into.
                let stored = |t: Taint| {
                    t.has(Source::Param) || t.has(Source::MsgData) || t.has(Source::MsgSender)
                };
                let chosen = match &target {
                    Target::Expr(e) => chosen_by_caller(cx, &access, f, node, e, &stored),
                    Target::Assembly { vars, .. } => vars
                        .iter()
                        .find_map(|&v| variable_chosen_by_caller(cx, &access, f, node, v, &stored)),
                };
                let Some(chosen) = chosen else {
                    continue;
                };
                if let Target::Expr(e) = &target {
                    if allowlisted(cx, &access, f, node, e) {
                        continue;
                    }
                }
                let open_write = match chosen {
                    Chosen::OpenState { var, writer, node } => Some((var, (writer, node))),
                    Chosen::Argument => None,
                };
                let target_span = match &target {
                    Target::Expr(e) => e.span,
                    Target::Assembly { span, .. } => *span,
                };
                let target_text = cx.snippet(f.file, target_span, 40);
                let how = match open_write {
                    Some((var, (writer, _))) => format!(
                        "`{}` can be set by any caller through `{}`",
                        cx.model.decl(var).name,
                        cx.qualified_name(writer)
                    ),
                    None => format!("`{target_text}` is chosen by the caller"),
                };
                let through = if entry == f.decl {
                    String::new()
                } else {
                    format!(" (reached through `{}`)", cx.qualified_name(entry))
                };
                let message = format!(
                    "`{}` runs `{}` on `{target_text}` with this contract's storage and balance{through}, \
and {how}",
                    cx.qualified_name(f.decl),
                    op,
                );
                let call_site = cx.location_in(f.decl, call.span);
                // A delegatecall inside a library (an `Address`-style
                // helper) is the caller's bug, not the library's: the
                // finding belongs to the open entry function, with the
                // delegatecall as related location (otherwise a shared
                // helper would be blamed for every caller, mocks included).
                let in_library = f
                    .contract
                    .and_then(|c| cx.model.contract(c))
                    .is_some_and(|c| c.kind == bulwark_syntax::ast::ContractKind::Library);
                let mut finding = if in_library && entry != f.decl {
                    let entry_decl = cx.model.decl(entry);
                    FindingBuilder::new(&META, message, cx.location_in(entry, entry_decl.name_span))
                        .related(call_site, format!("the `{op}` in the library"))
                } else {
                    FindingBuilder::new(&META, message, call_site)
                };
                if let Some((var, (writer, wnode))) = open_write {
                    if let Some(w) = cx.ir.function_ir(writer) {
                        finding = finding.related(
                            cx.location_in(writer, w.cfg.node(wnode).span),
                            format!(
                                "`{}` written without an access check",
                                cx.model.decl(var).name
                            ),
                        );
                    }
                }
                out.push(finding.build());
            }
        }
    }
}

/// Whether a `require` dominating `node` demands that `target` be in an
/// allowlist — a state mapping indexed by the target and tested as a
/// truth value (`require(approvedAdapter[adapter])`,
/// `require(modules[m].enabled)`) — that only the constructor or
/// authorised callers fill: the caller picks among vetted code.
fn allowlisted(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    target: &bulwark_syntax::ast::Expr,
) -> bool {
    let target_decls = mentioned_decls(cx, f, target);
    if target_decls.is_empty() {
        return false;
    }
    let member_test = |g: NodeIx, atom: &bulwark_syntax::ast::Expr| {
        let mut inner = unparen(atom);
        while let ExprKind::Member { base, .. } = &inner.kind {
            inner = unparen(base);
        }
        let ExprKind::Index {
            index: Some(key), ..
        } = &inner.kind
        else {
            return false;
        };
        target_decls.iter().any(|&d| depends_on(cx, f, g, key, d))
            && root_state_var(cx, f.file, atom).is_some_and(|v| access.authority_is_sound(v))
    };
    f.cfg.nodes().any(|(g, _)| {
        g != node
            && f.cfg.dominates(g, node)
            && require_conditions(f, g).into_iter().any(|cond| {
                crate::analysis::expr::conjuncts(cond)
                    .into_iter()
                    .any(|c| member_test(g, c))
            })
    })
}

/// The address a delegatecall runs code from.
enum Target<'p> {
    /// A Solidity `target.delegatecall(..)`.
    Expr(&'p bulwark_syntax::ast::Expr),
    /// The address argument of an assembly `delegatecall`, with the
    /// Solidity variables it names.
    Assembly { span: Span, vars: Vec<DeclId> },
}

/// The operation name and target of a delegating call site, if it is one.
fn delegate_target<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    node: NodeIx,
    kind: &CallSiteKind,
    span: Span,
) -> Option<(&'static str, Target<'p>)> {
    match *kind {
        CallSiteKind::LowLevel { op, target, .. }
            if matches!(op, LowLevelOp::DelegateCall | LowLevelOp::CallCode) =>
        {
            Some((op.name(), Target::Expr(f.expr(target)?)))
        }
        CallSiteKind::Assembly(k @ (AsmCallKind::DelegateCall | AsmCallKind::CallCode)) => {
            let n = f.cfg.node(node);
            let address = n
                .asm
                .as_ref()?
                .calls
                .iter()
                .find(|c| c.span == span)?
                .args
                .get(1)
                .copied()?;
            let vars: Vec<DeclId> = cx
                .model
                .assembly_refs(f.file, n.stmt?)
                .iter()
                .filter(|r| r.span.start >= address.start && r.span.end <= address.end)
                .map(|r| r.decl)
                .collect();
            let name = if k == AsmCallKind::DelegateCall {
                "delegatecall"
            } else {
                "callcode"
            };
            Some((
                name,
                Target::Assembly {
                    span: address,
                    vars,
                },
            ))
        }
        _ => None,
    }
}

/// Whether `node` of `f` runs only after an internal authorisation hook
/// (`_authorizeUpgrade(newImplementation)` in a UUPS base) that, in every
/// deployable contract inheriting `f`'s, dispatches to an override that
/// completes only behind a sound sender check (`onlyOwner`,
/// `require(msg.sender == admin)`). The base leaves the decision to the
/// derived contract, so the derived contract's hook is what guards the
/// call; an empty hook is `unprotected-upgrade`'s finding and keeps this
/// one too.
fn authorised_by_hook(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
) -> bool {
    let Some(base) = f.contract else {
        return false;
    };
    let derived: Vec<DeclId> = cx
        .model
        .contracts()
        .iter()
        .filter(|c| {
            c.kind == bulwark_syntax::ast::ContractKind::Contract
                && !c.is_abstract
                && c.linearization.contains(&base)
        })
        .map(|c| c.decl)
        .collect();
    if derived.is_empty() {
        return false;
    }
    f.cfg.nodes().any(|(d, _)| {
        d != node
            && f.cfg.dominates(d, node)
            && f.facts(d).calls.iter().any(|c| {
                let hook = match c.kind {
                    CallSiteKind::Internal { function, .. } => function,
                    _ => return false,
                };
                derived.iter().all(|&contract| {
                    hook_checks_authority(cx, access, cx.model.dispatch(contract, hook))
                })
            })
    })
}

/// Whether the hook `g` completes only past a check of `msg.sender`
/// against an authority set by the deployer: sound in the access sense,
/// or written otherwise only by a one-shot initializer or by the authority
/// itself (`transferOwnership` behind `onlyOwner`) (an upgradeable
/// contract's owner comes from `initialize`; who may call that first is
/// `missing-disable-initializers`' and the initializer detectors' concern).
fn hook_checks_authority(cx: &AnalysisContext<'_>, access: &Access<'_, '_>, g: DeclId) -> bool {
    let Some(gi) = cx.ir.function_ir(g) else {
        return false;
    };
    if gi.ast.body.is_none() {
        return false;
    }
    if access.node_is_guarded(g, gi.cfg.exit) {
        return true;
    }
    let guards = cx.ir.guards().of(cx.ir, g);
    let taint = cx.ir.taint();
    let set_once = |v: DeclId| {
        access.authority_is_sound(v)
            || taint.writes_of(v).iter().all(|w| {
                // The authority hands itself over (`transferOwnership`
                // behind `onlyOwner`).
                let self_guarded = || {
                    cx.ir
                        .guards()
                        .of(cx.ir, w.function)
                        .sender_checks
                        .iter()
                        .any(|c| c.is_direct() && c.state_vars.contains(&v))
                };
                w.in_constructor
                    || access
                        .open_entry(w.function, w.node)
                        .is_none_or(|e| one_shot_guard(cx, e).is_some() || self_guarded())
            })
    };
    guards.sender_checks.iter().any(|c| {
        let on_every_path = guards.restricting_modifiers.contains(&c.function)
            || (c.function == g && gi.cfg.dominates(c.node, gi.cfg.exit));
        c.is_direct()
            && on_every_path
            && !c.state_vars.is_empty()
            && c.state_vars.iter().all(|&v| set_once(v))
    })
}
