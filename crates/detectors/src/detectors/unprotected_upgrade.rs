//! `unprotected-upgrade`: anyone can replace the code a proxy runs.
//!
//! # Facts used
//! - UUPS: functions overriding `_authorizeUpgrade` (the hook of
//!   ERC-1822/OpenZeppelin's `UUPSUpgradeable`, named by that API — the
//!   name is the interface here) whose body and modifiers check nothing
//!   about `msg.sender` on the way to a normal return.
//! - Hand-rolled proxies: in a deployable contract that delegatecalls, an
//!   externally callable function that reaches (through internal and
//!   library helpers, dispatched in that contract) a write of a fixed
//!   storage slot — `sstore(SLOT, v)` in assembly with `SLOT` a constant
//!   or immutable, or `StorageSlot.getAddressSlot(SLOT).value = v` — of a
//!   value the caller chooses, with no sender check anywhere on the way.
//!   Implementations kept in ordinary state variables are reported by
//!   `controlled-delegatecall`.

use bulwark_ir::cfg::{AsmCallKind, NodeIx, NodeKind};
use bulwark_ir::facts::{CallSiteKind, LowLevelOp};
use bulwark_ir::taint::{Source, Taint};
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, DeclKind, Type, VarMutability};
use bulwark_syntax::ast::{ContractKind, ExprKind, FunctionKind};
use bulwark_syntax::Span;

use crate::analysis::entry_paths::checks_caller_identity;
use crate::analysis::locations::header_span;
use crate::analysis::provenance::{origins, Origin};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unprotected-upgrade",
    title: "Upgrade callable by anyone",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-105", "SWC-112"],
    applies_to: "all versions (UUPS since 0.8)",
    summary: "Nothing checks who may upgrade: any caller can point the proxy at code of their \
own and take every fund and permission it holds.",
    what: r#"Reports two shapes of upgrade without access control:
- a UUPS implementation's `_authorizeUpgrade` override whose body (and modifiers) never
  compares `msg.sender` with an authorised account — an empty body, or one that only
  validates the new implementation;
- in a contract that delegatecalls, a public or external function that stores a
  caller-chosen address into a fixed storage slot (`sstore(IMPLEMENTATION_SLOT, next)`,
  `StorageSlot.getAddressSlot(SLOT).value = next`) with no check on `msg.sender` on the way,
  helpers included.

`_authorizeUpgrade` is recognised by the function it overrides: the name is the UUPS
interface itself. A check that compares `msg.sender` with anything the caller does not
choose counts as protection (an owner, a role, `address(this)` for self-governed upgrades,
the admin branch of a transparent proxy). Implementations held in ordinary state variables
are reported by `controlled-delegatecall`."#,
    why: r#"The upgrade function decides which code runs for every user of the proxy, with the
proxy's storage and balance. Whoever can call it can install a contract that transfers
everything to them, rewrites balances, or self-destructs, and no later fix can undo it:
the attacker can also upgrade the upgrade function away."#,
    exploit: r#"```solidity
contract Vault is UUPSUpgradeable, OwnableUpgradeable {
    function _authorizeUpgrade(address newImplementation) internal override {
        require(newImplementation.code.length > 0, "not a contract"); // no onlyOwner
    }
}
```
1. The attacker deploys `Drain` with `function drain() external { payable(msg.sender).transfer(address(this).balance); }`
   and an `upgradeToAndCall` of its own.
2. The attacker calls `proxy.upgradeToAndCall(address(Drain), abi.encodeCall(Drain.drain, ()))`.
3. `_authorizeUpgrade` accepts; the proxy now runs `Drain` and its balance is gone."#,
    fix: r#"Restrict the hook (or the upgrade function) to the owner, a role or governance:
```solidity
function _authorizeUpgrade(address) internal override onlyOwner {}
```"#,
    references: &[
        "https://eips.ethereum.org/EIPS/eip-1822",
        "https://docs.openzeppelin.com/contracts/5.x/api/proxy#UUPSUpgradeable-_authorizeUpgrade-address-",
        "https://swcregistry.io/docs/SWC-105",
    ],
};

/// The UUPS authorisation hook every upgrade goes through.
const AUTHORIZE_HOOK: &str = "_authorizeUpgrade";

pub struct UnprotectedUpgrade;

impl Detector for UnprotectedUpgrade {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        report_open_hooks(cx, out);
        report_open_slot_writes(cx, out);
    }
}

/// `_authorizeUpgrade` overrides that check nothing about the caller.
fn report_open_hooks(cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
    for info in cx.model.functions() {
        if !info.has_body() || !overrides_hook(cx, info.decl, 0) {
            continue;
        }
        let Some(f) = cx.ir.function_ir(info.decl) else {
            continue;
        };
        // A hook that always reverts forbids upgrades: that is safe.
        if !f.cfg.reaches(f.cfg.entry, f.cfg.exit) {
            continue;
        }
        let reach = cx
            .ir
            .call_graph()
            .reachable_in(cx.ir, info.contract, info.decl);
        if reach.iter().any(|&g| checks_sender(cx, g)) {
            continue;
        }
        let message = format!(
            "`{}` authorises upgrades without checking `msg.sender`: any caller can upgrade the \
proxy to code of their choice through `upgradeToAndCall`",
            cx.qualified_name(info.decl)
        );
        out.push(
            FindingBuilder::new(
                &META,
                message,
                cx.location_in(info.decl, header_span(cx, info.decl)),
            )
            .build(),
        );
    }
}

/// Whether `function` overrides (directly or through other overrides) a
/// function named like the UUPS hook.
fn overrides_hook(cx: &AnalysisContext<'_>, function: DeclId, depth: u32) -> bool {
    if depth > 16 {
        return false;
    }
    cx.model.function(function).is_some_and(|f| {
        f.overrides.iter().any(|&base| {
            cx.model.decl(base).name == AUTHORIZE_HOOK || overrides_hook(cx, base, depth + 1)
        })
    })
}

/// Whether `g` compares `msg.sender` with an authority anywhere in its
/// body (the IR's sender checks, or an identity comparison).
fn checks_sender(cx: &AnalysisContext<'_>, g: DeclId) -> bool {
    let guards = cx.ir.guards().of(cx.ir, g);
    if guards.sender_checks.iter().any(|c| c.function == g) {
        return true;
    }
    cx.ir
        .function_ir(g)
        .is_some_and(|f| f.cfg.nodes().any(|(n, _)| checks_caller_identity(cx, f, n)))
}

/// Hand-rolled proxies whose implementation slot anyone can write.
fn report_open_slot_writes(cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
    for contract in cx.model.contracts() {
        if contract.kind != ContractKind::Contract || contract.is_abstract {
            continue;
        }
        let entries: Vec<DeclId> = contract
            .functions
            .iter()
            .copied()
            .filter(|&f| is_entry(cx, f))
            .collect();
        let reaches: Vec<(DeclId, Vec<DeclId>)> = entries
            .iter()
            .map(|&e| {
                (
                    e,
                    cx.ir
                        .call_graph()
                        .reachable_in(cx.ir, Some(contract.decl), e),
                )
            })
            .collect();
        let delegates = reaches
            .iter()
            .any(|(_, reach)| reach.iter().any(|&g| delegatecalls(cx, g)));
        if !delegates {
            continue;
        }
        for (entry, reach) in &reaches {
            // A UUPS hook on the way is judged on its own (above); a helper
            // that always reverts forbids the upgrade.
            let hooked = reach
                .iter()
                .any(|&g| cx.model.decl(g).name == AUTHORIZE_HOOK || overrides_hook(cx, g, 0));
            if hooked
                || reach
                    .iter()
                    .any(|&g| checks_sender(cx, g) || always_reverts(cx, g))
            {
                continue;
            }
            let Some((g, span)) = reach
                .iter()
                .find_map(|&g| open_slot_write(cx, g).map(|s| (g, s)))
            else {
                continue;
            };
            let message = format!(
                "`{}` stores a caller-chosen address into a fixed storage slot of `{}`, a contract \
that delegatecalls, and nothing checks `msg.sender` on the way: anyone can replace the code it runs",
                cx.qualified_name(*entry),
                contract.ast.name.name
            );
            let mut finding = FindingBuilder::new(&META, message, cx.location_in(g, span));
            if g != *entry {
                finding = finding.related(
                    cx.location_in(*entry, header_span(cx, *entry)),
                    "callable by anyone",
                );
            }
            out.push(finding.confidence(Confidence::Medium).build());
        }
    }
}

/// Whether no path through `g` returns normally.
fn always_reverts(cx: &AnalysisContext<'_>, g: DeclId) -> bool {
    cx.ir
        .function_ir(g)
        .is_some_and(|f| f.ast.body.is_some() && !f.cfg.reaches(f.cfg.entry, f.cfg.exit))
}

fn is_entry(cx: &AnalysisContext<'_>, f: DeclId) -> bool {
    cx.model.function(f).is_some_and(|info| {
        info.has_body()
            && match info.kind {
                FunctionKind::Fallback | FunctionKind::Receive => true,
                FunctionKind::Function => info.is_externally_callable(),
                _ => false,
            }
    })
}

/// Whether `g`'s own body delegatecalls code that is not fixed (assembly,
/// or a Solidity target other than `address(this)`, a constant or an
/// immutable: a multicall into itself is no proxy).
fn delegatecalls(cx: &AnalysisContext<'_>, g: DeclId) -> bool {
    cx.ir.function_ir(g).is_some_and(|f| {
        f.calls().any(|(node, c)| match &c.kind {
            CallSiteKind::LowLevel {
                op: LowLevelOp::DelegateCall | LowLevelOp::CallCode,
                target,
                ..
            } => f.expr(*target).is_some_and(|t| {
                !origins(cx, f, node, t)
                    .iter()
                    .all(|o| matches!(o, Origin::This | Origin::Fixed))
            }),
            CallSiteKind::Assembly(AsmCallKind::DelegateCall | AsmCallKind::CallCode) => true,
            _ => false,
        })
    })
}

/// A statement of `g` storing a caller-chosen value into a fixed slot.
fn open_slot_write(cx: &AnalysisContext<'_>, g: DeclId) -> Option<Span> {
    let f = cx.ir.function_ir(g)?;
    let taint = cx.ir.taint();
    let chosen = |t: Taint| t.has(Source::Param) || t.has(Source::MsgData);
    for (node, n) in f.cfg.nodes() {
        if let NodeKind::Assembly(_) = n.kind {
            if let Some(span) = assembly_slot_write(cx, f, node) {
                return Some(span);
            }
            continue;
        }
        for root in n.exprs() {
            let mut found = None;
            walk_expr(root, &mut |e| {
                let ExprKind::Assign { lhs, rhs, .. } = &e.kind else {
                    return;
                };
                let ExprKind::Member { base, .. } = &unparen(lhs).kind else {
                    return;
                };
                let base = unparen(base);
                let slot_pointer = matches!(base.kind, ExprKind::Call { .. })
                    && matches!(
                        cx.model.type_of(f.file, base.id),
                        Some(Type::Struct { loc, .. }) if loc.is_storage()
                    );
                let address = matches!(
                    cx.model.type_of(f.file, rhs.id),
                    Some(Type::Address { .. } | Type::Contract(_))
                );
                if slot_pointer && address && chosen(taint.expr(cx.ir, g, rhs.id)) {
                    found = Some(e.span);
                }
            });
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

/// `sstore(SLOT, v)` with `SLOT` a constant or immutable and `v` a
/// parameter (or a local the caller's input flows into).
fn assembly_slot_write(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx) -> Option<Span> {
    let n = f.cfg.node(node);
    let summary = n.asm.as_ref()?;
    let refs = cx.model.assembly_refs(f.file, n.stmt?);
    let taint = cx.ir.taint();
    for call in summary.calls_of(AsmCallKind::SStore) {
        let [slot, value] = call.args.as_slice() else {
            continue;
        };
        let within =
            |outer: &Span, inner: Span| inner.start >= outer.start && inner.end <= outer.end;
        let fixed_slot = refs.iter().any(|r| {
            within(slot, r.span)
                && cx.model.state_var(r.decl).is_some_and(|v| {
                    matches!(
                        v.mutability,
                        VarMutability::Constant | VarMutability::Immutable
                    )
                })
        });
        let chosen_value = refs.iter().any(|r| {
            within(value, r.span)
                && matches!(
                    cx.model.decl_type(r.decl),
                    Type::Address { .. } | Type::Contract(_)
                )
                && match cx.model.decl(r.decl).kind {
                    DeclKind::Param => true,
                    DeclKind::LocalVar => {
                        let t = taint.var_before(f.decl, node, r.decl);
                        t.has(Source::Param) || t.has(Source::MsgData)
                    }
                    _ => false,
                }
        });
        if fixed_slot && chosen_value {
            return Some(call.span);
        }
    }
    None
}
