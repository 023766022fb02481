//! `read-only-reentrancy`: while an external call is in progress, a public
//! `view` function returns a value computed from state that is half
//! updated — some of what it reads was written before the call, some will
//! only be written after it.
//!
//! # Facts used
//! - External calls that can run foreign code, in the function or its
//!   internal callees ([`crate::analysis::reentrancy::reentrant_calls_at`]).
//! - Per CFG node, the state written there (internal callees included):
//!   the variables written on a path before the call and after it. A write
//!   of a boolean constant after the call (a lock being released) does not
//!   count; the function's own reentrancy lock does not either. In a
//!   loop, a later iteration's write that every iteration makes before its
//!   call (from values re-read in the loop) is not pending during this
//!   iteration's call.
//! - The contract's balance as a pseudo-variable: an ether-sending call
//!   changes it at the call, a later ether-sending call after it.
//! - The transitive read set of each externally callable `view` function
//!   of the contract, and whether it reads `address(this).balance`.
//! - A view that reads the function's lock (and so can refuse to answer
//!   while it is held) is not reported.
//! - Calls reported by `reentrancy-eth`/`reentrancy-no-eth` are left to
//!   them: a state-changing re-entry is the larger problem.

use std::collections::BTreeSet;

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::CallSite;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, DeclId, Mutability};
use bulwark_syntax::ast::{ExprKind, FunctionKind, Literal};

use crate::analysis::access::Access;
use crate::analysis::expr::{builtin_of, is_this};
use crate::analysis::reentrancy::{reentrant_calls_at, Loops};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "read-only-reentrancy",
    title: "View function readable in an inconsistent state during an external call",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-107"],
    applies_to: "all versions",
    summary: "During an external call, a public view function of this contract combines state \
that was already updated with state that will only be updated after the call, so another \
protocol that reads it from the callee gets a wrong price or share value.",
    what: r#"Reports an external call that can run foreign code (a call to another contract, a
low-level `call`, an ether transfer with enough gas) in a state-changing function, when an
externally callable `view` function of the same contract reads both
- a state variable the function wrote *before* the call (or the contract's ether balance,
  which an ether-sending call has just reduced), and
- another state variable the function writes *after* the call (or the ether balance, when a
  later call sends ether).

Inside the callee, that view returns a value no consistent state would produce. The primary
location is the call; related locations are the late writes; the message names the views.

Not reported: views that read the function's reentrancy lock (they can refuse to answer
while it is held); writes of a boolean constant after the call (a lock being released);
in a loop, a later iteration's writes that every iteration makes before its own call (not
pending during this iteration's call);
calls already reported by `reentrancy-eth` or `reentrancy-no-eth`, where the callee can
re-enter state-changing functions too. A `nonReentrant` guard on the state-changing
functions does not help: views are not guarded by it, which is why this class exists."#,
    why: r#"Lending markets, vaults and aggregators read prices and share values from other
protocols' view functions (`get_virtual_price`, `getRate`, `convertToAssets`). When the
protocol calls out halfway through an update — burning LP shares before sending the
underlying, for example — the callee can call the integrating protocol, which reads the view
and sees, say, the supply already reduced but the reserves not yet: an inflated price.
Several lending markets lost millions this way through Curve pools in 2022–2023 (Midas,
Sentiment, dForce, Conic)."#,
    exploit: r#"```solidity
function removeLiquidity(uint256 shares) external nonReentrant {
    uint256 amount = shares * reserve / totalShares;
    totalShares -= shares;                          // updated
    (bool ok, ) = msg.sender.call{value: amount}(""); // callback here
    require(ok);
    reserve -= amount;                              // not yet updated
}
function pricePerShare() external view returns (uint256) {
    return reserve * 1e18 / totalShares;            // inflated during the callback
}
```
1. A lending market values the pool's shares with `pricePerShare()`.
2. The attacker deposits collateral shares, then calls `removeLiquidity` on part of a large
   position; in its `receive()` the reserve is still full while the supply has dropped.
3. From the callback the attacker borrows against the inflated share price and never repays."#,
    fix: r#"Finish every state update before calling out (checks-effects-interactions), so the view
is consistent whenever foreign code runs:
```solidity
totalShares -= shares;
reserve -= amount;
(bool ok, ) = msg.sender.call{value: amount}("");
```
When that is impossible, make the view revert while the lock is held (OpenZeppelin's
`_reentrancyGuardEntered()`), and tell integrators to check it."#,
    references: &[
        "https://swcregistry.io/docs/SWC-107",
        "https://chainsecurity.com/heartbreaks-curve-lp-oracles/",
        "https://docs.openzeppelin.com/contracts/5.x/api/utils#ReentrancyGuard-_reentrancyGuardEntered--",
    ],
};

pub struct ReadOnlyReentrancy;

/// A piece of state the view may read: a state variable or the contract's
/// ether balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Piece {
    Var(DeclId),
    Balance,
}

impl Detector for ReadOnlyReentrancy {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let reported: BTreeSet<(u32, u32)> = cx
            .reentrancies()
            .iter()
            .map(|r| (r.call.span.start, r.call.span.end))
            .collect();
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            let Some(info) = cx.model.function(f.decl) else {
                continue;
            };
            if !info.has_body()
                || matches!(
                    info.kind,
                    FunctionKind::Constructor | FunctionKind::Modifier
                )
                || matches!(info.mutability, Mutability::View | Mutability::Pure)
            {
                continue;
            }
            analyse(cx, &access, f, &reported, out);
        }
    }
}

fn analyse<'a>(
    cx: &AnalysisContext<'a>,
    access: &Access<'_, 'a>,
    f: &'a FunctionIr<'a>,
    reported: &BTreeSet<(u32, u32)>,
    out: &mut Vec<Finding>,
) {
    let mut outgoing: Vec<(NodeIx, DeclId, &CallSite)> = Vec::new();
    for (node, _) in f.cfg.nodes() {
        let mut seen = Default::default();
        reentrant_calls_at(
            cx,
            access,
            f,
            node,
            &mut seen,
            0,
            &mut |holder, call, trusted| {
                // A callee only the owner can set is trusted not to
                // call back.
                if trusted.is_none() {
                    outgoing.push((node, holder, call));
                }
            },
        );
    }
    if outgoing.is_empty() {
        return;
    }
    let Some(contract) = f.contract else { return };
    let locks: Vec<DeclId> = cx
        .ir
        .guards()
        .of(cx.ir, f.decl)
        .mutexes
        .iter()
        .map(|m| m.var)
        .collect();
    let sets = cx.ir.access();
    let at: Vec<_> = f
        .cfg
        .nodes()
        .map(|(n, _)| sets.at_node(cx.ir, Some(contract), f.decl, n))
        .collect();
    let writes: Vec<Vec<DeclId>> = at
        .iter()
        .map(|a| {
            a.writes
                .iter()
                .copied()
                .filter(|v| !locks.contains(v))
                .collect()
        })
        .collect();
    let loops = Loops::of(f);
    let views = readable_views(cx, contract, &locks);
    if views.is_empty() {
        return;
    }
    for (x, holder, call) in outgoing {
        if reported.contains(&(call.span.start, call.span.end)) {
            continue;
        }
        let mut before: BTreeSet<Piece> = BTreeSet::new();
        let mut after: BTreeSet<Piece> = BTreeSet::new();
        let mut late_nodes: Vec<(DeclId, NodeIx)> = Vec::new();
        if call.kind.sends_eth() {
            before.insert(Piece::Balance);
        }
        for (n, _) in f.cfg.nodes() {
            if n == x {
                continue;
            }
            if f.cfg.reaches(n, x) {
                before.extend(writes[n.index()].iter().map(|&v| Piece::Var(v)));
            }
            if f.cfg.reaches(x, n) && f.cfg.reaches(n, f.cfg.exit) {
                for &v in &writes[n.index()] {
                    // A later iteration's own update, made before its own
                    // call, is not pending during this one.
                    let next_iteration = loops.next_iteration_only(
                        f,
                        x,
                        n,
                        |m| writes[m.index()].contains(&v),
                        |m| at[m.index()].reads(v),
                    );
                    if !writes_flag_only(f, n, v)
                        && !next_iteration
                        && !after.contains(&Piece::Var(v))
                    {
                        after.insert(Piece::Var(v));
                        late_nodes.push((v, n));
                    }
                }
                if f.facts(n).calls.iter().any(|c| c.kind.sends_eth()) {
                    after.insert(Piece::Balance);
                }
            }
        }
        if after.is_empty() || before.is_empty() {
            continue;
        }
        let mut witnesses: Vec<(DeclId, Piece, Piece)> = Vec::new();
        for &(view, ref reads) in &views {
            let updated = before.iter().find(|p| reads.contains(p));
            let pending = after
                .iter()
                .find(|p| reads.contains(p) && Some(*p) != updated);
            if let (Some(&u), Some(&p)) = (updated, pending) {
                witnesses.push((view, u, p));
            }
        }
        if witnesses.is_empty() {
            continue;
        }
        out.push(finding(cx, f, holder, call, &witnesses, &late_nodes));
    }
}

/// Externally callable `view` functions of `contract` that do not read any
/// of `locks`, with what each reads.
fn readable_views(
    cx: &AnalysisContext<'_>,
    contract: DeclId,
    locks: &[DeclId],
) -> Vec<(DeclId, BTreeSet<Piece>)> {
    let Some(c) = cx.model.contract(contract) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for &g in &c.functions {
        let Some(info) = cx.model.function(g) else {
            continue;
        };
        if !(info.has_body()
            && info.is_externally_callable()
            && info.mutability == Mutability::View)
        {
            continue;
        }
        let set = cx.ir.state_access(Some(contract), g);
        if locks.iter().any(|&l| set.reads(l)) {
            continue;
        }
        let mut reads: BTreeSet<Piece> = set.reads.iter().map(|&v| Piece::Var(v)).collect();
        if reads_own_balance(cx, contract, g) {
            reads.insert(Piece::Balance);
        }
        out.push((g, reads));
    }
    out
}

/// Whether `function` (or an internal callee) reads `address(this).balance`.
fn reads_own_balance(cx: &AnalysisContext<'_>, contract: DeclId, function: DeclId) -> bool {
    cx.ir
        .call_graph()
        .reachable_in(cx.ir, Some(contract), function)
        .into_iter()
        .filter_map(|d| cx.ir.function_ir(d))
        .any(|g| {
            g.cfg.nodes().any(|(_, node)| {
                node.exprs().any(|root| {
                    let mut found = false;
                    walk_expr(root, &mut |e| {
                        if let ExprKind::Member { base, .. } = &e.kind {
                            if builtin_of(cx, g.file, e) == Some(Builtin::AddressBalance)
                                && is_this(cx, g.file, base)
                            {
                                found = true;
                            }
                        }
                    });
                    found
                })
            })
        })
}

/// Whether every write of `var` at `node` stores a boolean literal (a flag
/// being reset, typically a lock released after the call).
fn writes_flag_only(f: &FunctionIr<'_>, node: NodeIx, var: DeclId) -> bool {
    let own: Vec<_> = f
        .facts(node)
        .state_writes
        .iter()
        .filter(|w| w.var == var)
        .collect();
    !own.is_empty()
        && own.iter().all(|w| {
            w.value
                .and_then(|v| f.expr(v))
                .is_some_and(|v| matches!(unparen(v).kind, ExprKind::Literal(Literal::Bool(_))))
        })
}

fn describe(cx: &AnalysisContext<'_>, p: Piece) -> String {
    match p {
        Piece::Var(v) => format!("`{}`", cx.model.decl(v).name),
        Piece::Balance => "the contract's ether balance".to_string(),
    }
}

fn finding(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    holder: DeclId,
    call: &CallSite,
    witnesses: &[(DeclId, Piece, Piece)],
    late_nodes: &[(DeclId, NodeIx)],
) -> Finding {
    let file = cx.model.decl(holder).file;
    let text = cx.snippet(file, call.span, 60);
    let (view, updated, pending) = witnesses[0];
    let others: Vec<String> = witnesses[1..]
        .iter()
        .map(|&(v, _, _)| format!("`{}`", cx.function_name(v)))
        .collect();
    let also = if others.is_empty() {
        String::new()
    } else {
        format!(" (also {})", others.join(", "))
    };
    let message = format!(
        "`{}` calls `{text}` after updating {} but before updating {}: during the call, the view \
`{}`{also} reads both and returns a value no consistent state would give to any contract \
that queries it",
        cx.qualified_name(f.decl),
        describe(cx, updated),
        describe(cx, pending),
        cx.function_name(view),
    );
    let mut builder = FindingBuilder::new(&META, message, cx.location_in(holder, call.span));
    for &(v, n) in late_nodes {
        if Piece::Var(v) == pending {
            builder = builder.related(
                cx.location_in(f.decl, f.cfg.node(n).span),
                format!("`{}` written after the call", cx.model.decl(v).name),
            );
        }
    }
    builder.build()
}
