//! `return-bomb`: a low-level call to an untrusted address copies all of
//! its return data into memory in code that expects to survive the
//! call's failure.
//!
//! # Facts used
//! - `call`/`staticcall` sites whose result tuple binds the returned
//!   `bytes` to a local (`(bool ok, bytes memory data) = to.call(..)`):
//!   the compiler copies the whole return data, whatever its size, and
//!   memory expansion is quadratic in it.
//! - The target's provenance ([`origins`]): a parameter, the caller,
//!   calldata, another call's result, or a state variable some open
//!   function writes is untrusted; constants, immutables, `this` and
//!   state only guarded functions write are trusted.
//! - The failure is tolerated: the status does not revert the transaction
//!   ([`failure_reverts`] is false) — the function means to carry on
//!   (a relayer, an executor, a loop over callbacks). Medium when the call
//!   also runs in a loop or with a gas limit (the caller budgeted for a
//!   failing callee), low otherwise.
//! - `try`/`catch` on an untrusted target: a `catch (bytes memory r)` or
//!   `catch Error(string memory r)` clause that carries on copies the
//!   revert data in full, and a dynamic `returns (bytes memory r)` copies
//!   the return data when some catch clause carries on (medium: the
//!   `try` says failure is expected).
//! - Bounded copies in assembly (`returndatacopy` of a fixed size) are not
//!   `call` sites and are left alone by construction.

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::{CallSite, CallSiteKind, LowLevelOp, StorageRoot};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Type};

use crate::analysis::access::Access;
use crate::analysis::entry_paths::{open_path, Protection};
use crate::analysis::expr::strip_conversions;
use crate::analysis::payments::failure_reverts;
use crate::analysis::provenance::{origins, Origin};
use crate::analysis::tuple_results::result_slots;
use crate::analysis::values::mentioned_decls;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "return-bomb",
    title: "Return data of an untrusted call copied in full",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-113"],
    applies_to: "all versions",
    summary: "A low-level call to an address the caller controls copies all the data it returns \
into memory, in code that expects to survive the call's failure: the callee can return (or revert \
with) megabytes and make the caller run out of gas anyway.",
    what: r#"Reports a low-level `call` or `staticcall` whose returned bytes are bound to a
variable (`(bool ok, bytes memory data) = target.call(...)`), when the target is not
trusted — a parameter, the caller, calldata, the result of another call, or a state variable
any caller can set — and the call's failure does not revert the transaction (the status is
handled with an `if`, logged, or recorded, rather than required). Medium when the call also
runs in a loop or with a gas limit, low otherwise.

Also reported, at medium: a `try` on such a target whose `catch (bytes memory reason)` or
`catch Error(string memory reason)` clause carries on (copying the revert data in full), or
whose `returns (bytes memory ...)` copies the return data while a catch clause carries on.

Not reported: calls whose failure reverts anyway (`require(ok)`), `catch {}` clauses and
catch clauses that revert, calls to constants,
immutables or `this`, addresses only guarded functions set, and calls that copy a bounded
amount of return data in assembly (ExcessivelySafeCall-style)."#,
    why: r#"Solidity copies the whole return data of a call into memory when the code asks for
it, and memory costs grow quadratically. A malicious callee returns or reverts with a huge
buffer: the copy alone consumes all the gas left to the caller, so the caller reverts even
though it limited the callee's gas and handled `ok == false`. Relayers, executors, keepers and
loops over user-registered hooks rely on surviving a failing callee: a return bomb turns one
bad callee into a stuck queue, a denial of a refund or of a liquidation, or a griefing of the
relayer who pays for the gas."#,
    exploit: r#"```solidity
function execute(Request calldata r) external {
    (bool ok, bytes memory result) = r.target.call{gas: r.gasLimit}(r.data);
    if (!ok) emit Failed(r.id, result);
    done[r.id] = true;       // never reached when the callee returns a bomb
    payable(msg.sender).transfer(r.fee);
}
```
1. The attacker registers a request whose target reverts with 1 MB of data.
2. Each relayer that executes it runs out of gas copying the revert data; the request is never
   marked done and the relayer pays for the failed transaction."#,
    fix: r#"Do not copy more return data than you need: ignore it (`(bool ok, ) = ...` on compilers
that skip the copy), or call in assembly and copy a bounded prefix
(`returndatacopy(ptr, 0, min(returndatasize(), 256))`), as `ExcessivelySafeCall` does."#,
    references: &[
        "https://github.com/nomad-xyz/ExcessivelySafeCall",
        "https://swcregistry.io/docs/SWC-113",
        "https://docs.soliditylang.org/en/latest/security-considerations.html",
    ],
};

pub struct ReturnBomb;

impl Detector for ReturnBomb {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            try_catch_bombs(cx, &access, f, out);
            for (node, call) in f.calls() {
                let CallSiteKind::LowLevel {
                    op: op @ (LowLevelOp::Call | LowLevelOp::StaticCall),
                    target,
                    gas,
                    ..
                } = call.kind
                else {
                    continue;
                };
                let Some(data) = copied_data(cx, f, node, call) else {
                    continue;
                };
                if failure_reverts(cx, f, node, call) || status_handed_on(cx, f, node, call) {
                    continue;
                }
                // Only the privileged can pick the callee: they would bomb
                // themselves.
                if open_path(cx, &access, Protection::AnySenderCheck, f.decl, node).is_none() {
                    continue;
                }
                let Some(target_e) = f.expr(target) else {
                    continue;
                };
                let Some(why) = untrusted(cx, &access, f, node, target_e) else {
                    continue;
                };
                let in_loop = f.cfg.node(node).loop_depth > 0;
                let context = match (in_loop, gas.is_some()) {
                    (true, _) => "inside a loop, ",
                    (false, true) => "with a gas limit, ",
                    _ => "",
                };
                let text = cx.snippet(f.file, call.span, 60);
                let target_text = cx.snippet(f.file, target_e.span, 30);
                let message = format!(
                    "`{}` makes a low-level `{}` {context}to `{target_text}` ({why}) in \
`{text}` and copies all its return data into `{}` although the call's failure is tolerated: the \
callee can return or revert with a huge buffer so that the copy exhausts the caller's gas; copy a \
bounded prefix in assembly or leave the data out",
                    cx.qualified_name(f.decl),
                    op.name(),
                    cx.model.decl(data).name,
                );
                let mut finding =
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span)).build();
                if !in_loop && gas.is_none() {
                    finding.severity = Severity::Low;
                }
                out.push(finding);
            }
        }
    }
}

/// The local receiving the call's returned bytes, when it is bound.
fn copied_data(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &CallSite,
) -> Option<DeclId> {
    let slots = result_slots(cx, f, node, call.expr);
    let data = (*slots.get(1)?)?;
    matches!(cx.model.decl_type(data), Type::Bytes(_)).then_some(data)
}

/// Whether the status is passed to another function (OpenZeppelin's
/// `verifyCallResult(ok, data)`), which decides what failure means: like
/// `unchecked-low-level-call`, assume it reverts.
fn status_handed_on(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &CallSite,
) -> bool {
    let Some(Some(status)) = result_slots(cx, f, node, call.expr).first().copied() else {
        return false;
    };
    f.calls().any(|(_, c)| {
        matches!(
            c.kind,
            CallSiteKind::Internal { .. }
                | CallSiteKind::Library { .. }
                | CallSiteKind::BoundInternal { .. }
        ) && c.args.iter().any(|&a| {
            f.expr(a)
                .is_some_and(|e| mentioned_decls(cx, f, e).contains(&status))
        })
    })
}

/// Why the target is untrusted, or `None` when it is trusted.
fn untrusted(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    target: &bulwark_syntax::ast::Expr,
) -> Option<String> {
    let found = origins(cx, f, node, target);
    for o in &found {
        let why = match o {
            Origin::Param(i) => {
                let info = cx.model.function(f.decl)?;
                // An internal helper's parameter is whatever its callers
                // pass; only an entry point's is the outsider's choice.
                if !info.is_externally_callable() {
                    continue;
                }
                let p = info.params[*i];
                format!("taken from the parameter `{}`", cx.model.decl(p).name)
            }
            Origin::Sender => "the caller".to_string(),
            Origin::CallData => "taken from calldata".to_string(),
            Origin::ExternalCall => "returned by another call".to_string(),
            Origin::State(v) if access.open_write_of(*v).is_some() => format!(
                "read from `{}`, which any caller can set",
                cx.model.decl(*v).name
            ),
            _ => continue,
        };
        return Some(why);
    }
    // A field read through a storage pointer (`Request storage r =
    // requests[id]; r.target`): the state variable behind the pointer.
    let stripped = strip_conversions(cx, f.file, target);
    for root in f.storage_roots_of_expr(cx.model, stripped) {
        if let StorageRoot::State(v) = root {
            if access.open_write_of(v).is_some() {
                return Some(format!(
                    "read from `{}`, which any caller can set",
                    cx.model.decl(v).name
                ));
            }
        }
    }
    None
}

/// `try target.f() returns (bytes memory r) { ... } catch (bytes memory
/// reason) { ... }` on an untrusted target: the call's return data (for a
/// dynamic return value) or its revert data (for `catch (bytes memory
/// ..)` and `catch Error(string memory ..)`) is copied in full, in code
/// that handles the failure and carries on. Reported at the `try` call.
fn try_catch_bombs(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    out: &mut Vec<Finding>,
) {
    for (node, n) in f.cfg.nodes() {
        let NodeKind::Try(t) = n.kind else { continue };
        let Some((call, receiver, gas)) = f.facts(node).calls.iter().find_map(|c| match c.kind {
            CallSiteKind::External {
                receiver: Some(r),
                gas,
                ..
            } => Some((c, r, gas)),
            _ => None,
        }) else {
            continue;
        };
        let dynamic = |p: &bulwark_syntax::ast::Parameter| {
            cx.model
                .decl_at(f.file, p.id)
                .is_some_and(|d| matches!(cx.model.decl_type(d), Type::Bytes(_) | Type::String(_)))
        };
        // Catch clauses that copy the revert data and let execution go on.
        let surviving_copy = f.cfg.nodes().find_map(|(ix, m)| match m.kind {
            NodeKind::Catch(clause)
                if t.catches.iter().any(|c| c.id == clause.id)
                    && clause.params.iter().flatten().any(dynamic)
                    && f.cfg.reaches(ix, f.cfg.exit) =>
            {
                clause.params.iter().flatten().find(|p| dynamic(p))
            }
            _ => None,
        });
        // A dynamic return value is copied on success; it matters when
        // some catch clause carries on after a failure.
        let tolerant = f.cfg.nodes().any(|(ix, m)| {
            matches!(m.kind, NodeKind::Catch(c) if t.catches.iter().any(|x| x.id == c.id))
                && f.cfg.reaches(ix, f.cfg.exit)
        });
        let returned = t.returns.iter().find(|p| dynamic(p)).filter(|_| tolerant);
        let Some(copied) = surviving_copy.or(returned) else {
            continue;
        };
        if open_path(cx, access, Protection::AnySenderCheck, f.decl, node).is_none() {
            continue;
        }
        let Some(target) = f.expr(receiver) else {
            continue;
        };
        let Some(why) = untrusted(cx, access, f, node, target) else {
            continue;
        };
        let what = if surviving_copy.is_some() {
            "revert data"
        } else {
            "return data"
        };
        let name = copied
            .name
            .as_ref()
            .map(|n| format!("`{}`", n.name))
            .unwrap_or_else(|| "memory".into());
        let in_loop = n.loop_depth > 0;
        let context = match (in_loop, gas.is_some()) {
            (true, _) => " inside a loop",
            (false, true) => " with a gas limit",
            _ => "",
        };
        let text = cx.snippet(f.file, call.span, 60);
        let target_text = cx.snippet(f.file, target.span, 30);
        let message = format!(
            "`{}` calls `{text}`{context} on `{target_text}` ({why}) in a `try` and copies all its \
{what} into {name}, although it carries on after a failure: the callee can return or revert with a \
huge buffer so that the copy exhausts the caller's gas; use `catch {{}}` without data, or a \
low-level call copying a bounded prefix in assembly",
            cx.qualified_name(f.decl),
        );
        out.push(FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span)).build());
    }
}
