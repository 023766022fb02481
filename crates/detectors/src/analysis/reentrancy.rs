//! The reentrancy question shared by `reentrancy-eth` and
//! `reentrancy-no-eth`: which external calls hand control to foreign code
//! while state the caller relies on is still to be written.
//!
//! For a function `F` of contract `C` and an external call `X` made in `F`
//! (or in an internal function `F` calls at a node), a state variable `V`
//! is *late* when `F` reads it before or at `X`, writes it at a node after
//! `X` that can still complete normally, and some externally callable,
//! state-changing function `G` of `C` observes `V` (reads it other than
//! to add to it) without holding a mutex that `F` holds, or testing it in a
//! reverting check (which fails while `F` holds it). `G` may be `F`. When
//! every such `G` completes only for one stored account behind a sound
//! check (an owner, an admin), the callee would have to be that account:
//! the finding is low ([`Reentrancy::owner_only`]).
//!
//! Loops: a write that follows the call only in a later iteration is not
//! late when every path of an iteration writes the variable before the
//! call and every read of it reaching the call is inside the loop
//! (`for (...) { paid[p] += a; p.call{value: a}(""); }`): each call sees
//! its own iteration's update. A write after the call in the same
//! iteration, or after the loop, stays late.
//! Guards are the IR's mutexes, recognised by behaviour.
//!
//! Calls that cannot run foreign state-changing code are skipped:
//! `transfer`/`send` (2300 gas), `staticcall`, `view`/`pure` callees from
//! 0.5.0 on (STATICCALL), calls to `this`, library calls, and creations.
//!
//! Calls to a *trusted* contract — one read from state that only the
//! constructor or a sound access check can set (a gene oracle, a timelock
//! chosen by governance), or from a constant or immutable — are kept but
//! marked ([`Reentrancy::trusted_callee`]): re-entering needs the deployer's
//! or governance's own choice to be malicious, so the finding is low.
//! Token transfers (`transfer`, `safeTransferFrom`, ... — the ERC
//! interface names are the evidence) are not trusted: their hooks
//! (ERC-777, ERC-721, ERC-1155) call the sender or recipient, not the
//! token. The exception is a pull into this contract
//! (`transferFrom(payer, address(this), v)`) from a trusted token: the
//! recipient's hook is this contract, and only the payer's own ERC-777
//! `tokensToSend` can run foreign code, while it pays, so the finding is
//! low like any trusted callee's.

use std::collections::{BTreeMap, HashSet};

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::{CallSite, CallSiteKind, LowLevelOp};
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_sema::{DeclId, Mutability};
use bulwark_syntax::ast::{ExprKind, FunctionKind, NodeId, UnaryOp};

use crate::analysis::access::Access;
use crate::analysis::destination::is_committed_argument;
use crate::analysis::expr::is_this;
use crate::analysis::provenance::{origins, Origin};
use crate::detector::AnalysisContext;
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;
use bulwark_report::Finding;

/// One call that can be re-entered with state still to be written.
pub struct Reentrancy<'p> {
    /// The function the analysis ran on (it writes the late state).
    pub function: DeclId,
    /// Where the external call is: the function holding it (`function`
    /// itself, or an internal callee) and the call.
    pub call_function: DeclId,
    pub call: &'p CallSite,
    /// The node of `function` making the call, or the internal call that
    /// leads to it.
    pub call_node: NodeIx,
    /// Whether the function moves ether (any ether-sending call in it or
    /// its internal callees): the finding belongs to `reentrancy-eth`.
    pub sends_eth: bool,
    /// Late variables with the first node of `function` writing each.
    pub late_writes: Vec<(DeclId, NodeIx)>,
    /// Externally callable functions through which re-entry observes the
    /// late state (the function itself first when it is one).
    pub reentry_points: Vec<DeclId>,
    /// When the callee is trusted: the state variables (set only by the
    /// constructor or behind sound checks) its address is read from; empty
    /// for a constant or immutable callee. `None`: untrusted.
    pub trusted_callee: Option<Vec<DeclId>>,
    /// Every re-entry point completes only for a single stored account
    /// fixed by the deployer (an owner): the re-entering callee would have
    /// to be that account, so the finding is low.
    pub owner_only: bool,
}

/// Every reentrancy of the project.
pub fn find<'a>(cx: &AnalysisContext<'a>) -> Vec<Reentrancy<'a>> {
    let access = Access::new(cx);
    let mut out = Vec::new();
    for f in cx.ir.functions() {
        if f.ast.body.is_none() {
            continue;
        }
        let kind = cx.model.function(f.decl).map(|i| i.kind);
        if matches!(
            kind,
            Some(FunctionKind::Constructor) | Some(FunctionKind::Modifier)
        ) {
            continue;
        }
        analyse_function(cx, &access, f, &mut out);
    }
    out
}

fn analyse_function<'a>(
    cx: &AnalysisContext<'a>,
    access_control: &Access<'_, 'a>,
    f: &'a FunctionIr<'a>,
    out: &mut Vec<Reentrancy<'a>>,
) {
    let contract = f.contract;
    let access = cx.ir.access();
    let mut outgoing = Vec::new();
    for (node, _) in f.cfg.nodes() {
        let mut seen = HashSet::new();
        reentrant_calls_at(
            cx,
            access_control,
            f,
            node,
            &mut seen,
            0,
            &mut |callee, call, trusted| {
                outgoing.push((node, callee, call, trusted));
            },
        );
    }
    if outgoing.is_empty() {
        return;
    }
    let sends_eth = function_sends_eth(cx, f);
    let guards = cx.ir.guards().of(cx.ir, f.decl);
    let locks: Vec<DeclId> = guards.mutexes.iter().map(|m| m.var).collect();
    let at: Vec<_> = f
        .cfg
        .nodes()
        .map(|(ix, _)| access.at_node(cx.ir, contract, f.decl, ix))
        .collect();
    let completes: Vec<bool> = f
        .cfg
        .nodes()
        .map(|(ix, _)| f.cfg.reaches(ix, f.cfg.exit))
        .collect();
    let loops = Loops::of(f);
    for (x, call_function, call, trusted_callee) in outgoing {
        let mut late: BTreeMap<DeclId, NodeIx> = BTreeMap::new();
        for (y, _) in f.cfg.nodes() {
            if y == x || !completes[y.index()] || !f.cfg.reaches(x, y) {
                continue;
            }
            for &v in &at[y.index()].writes {
                if locks.contains(&v) || late.contains_key(&v) {
                    continue;
                }
                let read_before = f
                    .cfg
                    .nodes()
                    .any(|(n, _)| at[n.index()].reads(v) && f.cfg.reaches(n, x));
                if read_before
                    && !loops.next_iteration_only(
                        f,
                        x,
                        y,
                        |n| at[n.index()].writes.contains(&v),
                        |n| at[n.index()].reads(v),
                    )
                {
                    late.insert(v, y);
                }
            }
        }
        if late.is_empty() {
            continue;
        }
        let reentry_points = reentry_points(cx, f, &locks, late.keys().copied().collect());
        if reentry_points.is_empty() {
            continue;
        }
        let mut late_writes: Vec<(DeclId, NodeIx)> = late.into_iter().collect();
        late_writes.sort_by_key(|&(_, n)| f.cfg.node(n).span.start);
        let observed: Vec<(DeclId, NodeIx)> = late_writes
            .iter()
            .copied()
            .filter(|&(v, _)| reentry_points.iter().any(|&g| observes(cx, contract, g, v)))
            .collect();
        if observed.is_empty() {
            continue;
        }
        let owner_only = reentry_points
            .iter()
            .all(|&g| owner_only(cx, access_control, g));
        out.push(Reentrancy {
            owner_only,
            function: f.decl,
            call_function,
            call,
            call_node: x,
            sends_eth,
            late_writes: observed,
            reentry_points,
            trusted_callee,
        });
    }
}

/// The natural loops of a CFG: for each loop header (the target of a back
/// edge, an edge to a node dominating its source), the nodes of its body.
pub struct Loops {
    /// Header and body mask (indexed by node), innermost (smallest) first.
    loops: Vec<(NodeIx, Vec<bool>)>,
}

impl Loops {
    pub fn of(f: &FunctionIr<'_>) -> Loops {
        let reachable = f.cfg.reachable_from(f.cfg.entry);
        let mut by_header: BTreeMap<NodeIx, Vec<bool>> = BTreeMap::new();
        for (u, _) in f.cfg.nodes() {
            if !reachable[u.index()] {
                continue;
            }
            for h in f.cfg.succs(u) {
                if !f.cfg.dominates(h, u) {
                    continue;
                }
                // Body: the header, and every node reaching `u` backwards
                // without passing the header.
                let body = by_header
                    .entry(h)
                    .or_insert_with(|| vec![false; f.cfg.len()]);
                body[h.index()] = true;
                let mut work = vec![u];
                while let Some(n) = work.pop() {
                    if std::mem::replace(&mut body[n.index()], true) {
                        continue;
                    }
                    work.extend(
                        f.cfg
                            .preds(n)
                            .iter()
                            .copied()
                            .filter(|p| reachable[p.index()]),
                    );
                }
            }
        }
        let mut loops: Vec<(NodeIx, Vec<bool>)> = by_header.into_iter().collect();
        loops.sort_by_key(|(_, body)| body.iter().filter(|&&b| b).count());
        Loops { loops }
    }

    /// Whether the write at `y` follows the call at `x` only in a later
    /// iteration of a loop holding both, and is harmless there: on every
    /// path of an iteration, from the loop header to `x`, some node
    /// `writes` the variable first (the call always sees this iteration's
    /// update: `claimed[who] = true; token.transfer(who, a)`), and every
    /// read of it that reaches the call happens inside the loop (each
    /// iteration re-reads it, so a later write is not computed from a
    /// value cached before a re-entry). A write after the call in the same
    /// iteration, or one reached after leaving the loop, is late.
    pub fn next_iteration_only(
        &self,
        f: &FunctionIr<'_>,
        x: NodeIx,
        y: NodeIx,
        writes: impl Fn(NodeIx) -> bool,
        reads: impl Fn(NodeIx) -> bool,
    ) -> bool {
        let holding: Vec<&(NodeIx, Vec<bool>)> = self
            .loops
            .iter()
            .filter(|(_, body)| body[x.index()] && body[y.index()])
            .collect();
        let Some((header, body)) = holding.first().copied() else {
            return false;
        };
        let header = *header;
        // Reachable from `x` without starting another iteration of a loop
        // holding both?
        let mut seen = vec![false; f.cfg.len()];
        let mut work = vec![x];
        while let Some(n) = work.pop() {
            if n == y {
                return false;
            }
            if std::mem::replace(&mut seen[n.index()], true) {
                continue;
            }
            for s in f.cfg.succs(n) {
                let back = holding.iter().any(|(h, b)| s == *h && b[n.index()]);
                if !back {
                    work.push(s);
                }
            }
        }
        // Every path from the header to `x` writes the variable first.
        let mut seen = vec![false; f.cfg.len()];
        let mut work: Vec<NodeIx> = f.cfg.succs(header).collect();
        while let Some(n) = work.pop() {
            if n == x {
                return false;
            }
            if n == header || !body[n.index()] || writes(n) {
                continue;
            }
            if std::mem::replace(&mut seen[n.index()], true) {
                continue;
            }
            work.extend(f.cfg.succs(n));
        }
        if writes(header) {
            return false;
        }
        // Reads reaching the call are all inside the loop.
        f.cfg
            .nodes()
            .all(|(n, _)| body[n.index()] || !reads(n) || !f.cfg.reaches(n, x))
    }
}

/// External calls made at `node` of `f` that can run foreign
/// state-changing code: its own, and those of internal functions it calls
/// there (with the function holding each call).
pub fn reentrant_calls_at<'a>(
    cx: &AnalysisContext<'a>,
    access: &Access<'_, 'a>,
    f: &'a FunctionIr<'a>,
    node: NodeIx,
    seen: &mut HashSet<DeclId>,
    depth: u32,
    found: &mut dyn FnMut(DeclId, &'a CallSite, Option<Vec<DeclId>>),
) {
    for call in &f.facts(node).calls {
        if can_reenter(cx, f, call) && !callee_is_committed(cx, access, f, node, call) {
            found(f.decl, call, trusted_callee(cx, access, f, node, call));
            continue;
        }
        let callee = match call.kind {
            CallSiteKind::Internal { function, .. }
            | CallSiteKind::BoundInternal { function, .. } => function,
            _ => continue,
        };
        let callee = match f.contract {
            Some(c) => cx.model.dispatch(c, callee),
            None => callee,
        };
        if depth > 6 || !seen.insert(callee) {
            continue;
        }
        let Some(g) = cx.ir.function_ir(callee) else {
            continue;
        };
        for (n, _) in g.cfg.nodes() {
            reentrant_calls_at(cx, access, g, n, seen, depth + 1, found);
        }
    }
}

/// Whether the called address was approved beforehand under a digest
/// (a scheduled timelock operation, a voted proposal): governance chose
/// the callee, not whoever triggers the execution.
fn callee_is_committed(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &CallSite,
) -> bool {
    let target = match &call.kind {
        CallSiteKind::LowLevel { target, .. } => Some(*target),
        CallSiteKind::External { receiver, .. } => *receiver,
        _ => None,
    };
    target
        .and_then(|t| f.expr(t))
        .is_some_and(|t| is_committed_argument(cx, access, f, node, t))
}

/// Names of the token functions whose hooks call the sender or the
/// recipient (ERC-20 as implemented by ERC-777 tokens, ERC-721, ERC-1155,
/// ERC-777, ERC-1363): a trusted token still hands control to them.
const HOOKED_TOKEN_FUNCTIONS: &[&str] = &[
    "transfer",
    "transferFrom",
    "safeTransfer",
    "safeTransferFrom",
    "safeBatchTransferFrom",
    "send",
    "operatorSend",
    "burn",
    "operatorBurn",
    "safeMint",
    "mint",
    "transferAndCall",
    "transferFromAndCall",
    "approveAndCall",
];

/// When `call` (a high-level call at `node` of `f`) goes to a contract
/// the caller cannot choose — its address read only from constants,
/// immutables, or state no outsider can write — and is not a token
/// transfer: the state variables involved (see
/// [`Reentrancy::trusted_callee`]).
fn trusted_callee(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &CallSite,
) -> Option<Vec<DeclId>> {
    let CallSiteKind::External {
        function,
        receiver: Some(receiver),
        ..
    } = &call.kind
    else {
        return None;
    };
    let name = function.map(|d| cx.model.decl(d).name.as_str());
    if name.is_none_or(|n| HOOKED_TOKEN_FUNCTIONS.contains(&n) && !pulls_into_this(cx, f, call, n))
    {
        return None;
    }
    let receiver = f.expr(*receiver)?;
    let found = origins(cx, f, node, receiver);
    if found.is_empty() {
        return None;
    }
    let mut vars = Vec::new();
    for o in found {
        match o {
            Origin::Fixed => {}
            Origin::State(v) if access.authority_is_sound(v) => vars.push(v),
            _ => return None,
        }
    }
    Some(vars)
}

/// Whether `call`, named `name`, pulls tokens into this contract:
/// `transferFrom(from, address(this), v)` / `safeTransferFrom(from,
/// address(this), ...)`. The recipient's hook (ERC-721, ERC-1155, ERC-777
/// `tokensReceived`) is this contract; the only foreign code the token can
/// run is the payer's own ERC-777 `tokensToSend`, while it pays.
fn pulls_into_this(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    call: &CallSite,
    name: &str,
) -> bool {
    if !matches!(name, "transferFrom" | "safeTransferFrom") {
        return false;
    }
    let Some(ExprKind::Call { args, .. }) = f.expr(call.expr).map(|e| &unparen(e).kind) else {
        return false;
    };
    let bulwark_syntax::ast::CallArgsKind::Positional(args) = &args.kind else {
        return false;
    };
    args.len() >= 3 && is_this(cx, f.file, &args[1])
}

/// Whether `call` can hand control to code that changes state.
fn can_reenter(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, call: &CallSite) -> bool {
    let static_from_05 = cx
        .project
        .file(f.file)
        .version
        .effective
        .call_returns_tuple();
    match &call.kind {
        CallSiteKind::LowLevel { op, target, .. } => {
            matches!(
                op,
                LowLevelOp::Call | LowLevelOp::CallCode | LowLevelOp::DelegateCall
            ) && !f.expr(*target).is_some_and(|t| is_this(cx, f.file, t))
        }
        CallSiteKind::External {
            function, receiver, ..
        } => {
            if receiver
                .and_then(|r| f.expr(r))
                .is_some_and(|r| is_this(cx, f.file, r))
            {
                return false;
            }
            let read_only = function
                .and_then(|d| cx.model.function(d))
                .is_some_and(|i| matches!(i.mutability, Mutability::View | Mutability::Pure))
                || function.and_then(|d| cx.model.state_var(d)).is_some();
            !(read_only && static_from_05)
        }
        _ => false,
    }
}

/// Whether `f` or an internal function it calls sends ether.
fn function_sends_eth(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) -> bool {
    cx.ir
        .call_graph()
        .reachable_in(cx.ir, f.contract, f.decl)
        .into_iter()
        .filter_map(|d| cx.ir.function_ir(d))
        .any(|g| {
            g.calls().any(|(_, c)| {
                c.kind.sends_eth() && !matches!(c.kind, CallSiteKind::SelfDestruct { .. })
            })
        })
}

/// Externally callable, state-changing functions of `f`'s contract that
/// observe one of `late` and hold none of `locks`; `f` first when it is
/// one of them.
fn reentry_points(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    locks: &[DeclId],
    late: Vec<DeclId>,
) -> Vec<DeclId> {
    let Some(contract) = f.contract.and_then(|c| cx.model.contract(c)) else {
        return Vec::new();
    };
    let mut candidates: Vec<DeclId> = vec![f.decl];
    candidates.extend(contract.functions.iter().copied().filter(|&g| g != f.decl));
    candidates.extend(contract.fallback.iter().chain(&contract.receive).copied());
    let mut out = Vec::new();
    for g in candidates {
        if out.contains(&g) {
            continue;
        }
        let Some(info) = cx.model.function(g) else {
            continue;
        };
        let callable = info.has_body()
            && (info.is_externally_callable()
                || matches!(info.kind, FunctionKind::Fallback | FunctionKind::Receive))
            && info.kind != FunctionKind::Constructor
            && !matches!(info.mutability, Mutability::View | Mutability::Pure);
        if !callable {
            continue;
        }
        let held = cx.ir.guards().of(cx.ir, g);
        if held.mutexes.iter().any(|m| locks.contains(&m.var)) {
            continue;
        }
        // Reverts while the lock is held (`require(slot0.unlocked)`).
        if !locks.is_empty()
            && cx
                .ir
                .guards()
                .tested_state(cx.ir, g)
                .iter()
                .any(|v| locks.contains(v))
        {
            continue;
        }
        if late.iter().any(|&v| observes(cx, f.contract, g, v)) {
            out.push(g);
        }
    }
    out
}

/// Whether only one privileged account can complete `g`: every normal
/// exit passes a sound sender check, and each such check compares the
/// caller with plain address variables (`owner`, `admin`), not with
/// entries of a table anyone can join (`parties[id]`, `members[a]`).
fn owner_only(cx: &AnalysisContext<'_>, access: &Access<'_, '_>, g: DeclId) -> bool {
    let Some(gi) = cx.ir.function_ir(g) else {
        return false;
    };
    if !access.node_is_guarded(g, gi.cfg.exit) {
        return false;
    }
    let guards = cx.ir.guards().of(cx.ir, g);
    !guards.sender_checks.is_empty()
        && guards.sender_checks.iter().all(|c| {
            !c.state_vars.is_empty()
                && c.state_vars.iter().all(|&v| {
                    cx.model.state_var(v).is_some_and(|i| {
                        matches!(
                            i.ty,
                            bulwark_sema::Type::Address { .. } | bulwark_sema::Type::Contract(_)
                        )
                    })
                })
        })
}

/// Whether `g` (with its internal callees and modifiers) reads `var` other
/// than to update it in place (`var[k] += x`, `var++`).
fn observes(cx: &AnalysisContext<'_>, contract: Option<DeclId>, g: DeclId, var: DeclId) -> bool {
    cx.ir
        .call_graph()
        .reachable_in(cx.ir, contract, g)
        .into_iter()
        .filter_map(|d| cx.ir.function_ir(d))
        .any(|h| {
            h.cfg.nodes().any(|(n, node)| {
                let reads: Vec<NodeId> = h
                    .facts(n)
                    .state_reads
                    .iter()
                    .filter(|a| a.var == var)
                    .map(|a| a.expr)
                    .collect();
                if reads.is_empty() {
                    return false;
                }
                let mut in_place = HashSet::new();
                for root in node.exprs() {
                    walk_expr(root, &mut |e| match &e.kind {
                        ExprKind::Assign { op: Some(_), lhs, .. } => {
                            walk_expr(lhs, &mut |s| {
                                in_place.insert(s.id);
                            });
                        }
                        ExprKind::Unary {
                            op: UnaryOp::PreInc | UnaryOp::PostInc | UnaryOp::PreDec | UnaryOp::PostDec,
                            operand,
                        } => walk_expr(unparen(operand), &mut |s| {
                            in_place.insert(s.id);
                        }),
                        _ => {}
                    });
                }
                reads.iter().any(|r| !in_place.contains(r))
            })
        })
}

/// The finding for `r` under the detector `meta`: the call as primary
/// location, the late writes as related ones.
pub fn finding(cx: &AnalysisContext<'_>, meta: &DetectorMeta, r: &Reentrancy<'_>) -> Finding {
    let call_file = cx.model.decl(r.call_function).file;
    let call_text = cx.snippet(call_file, r.call.span, 60);
    let vars: Vec<String> = r
        .late_writes
        .iter()
        .map(|&(v, _)| format!("`{}`", cx.model.decl(v).name))
        .collect();
    let points: Vec<String> = r
        .reentry_points
        .iter()
        .map(|&g| format!("`{}`", cx.function_name(g)))
        .collect();
    let via = if r.call_function == r.function {
        String::new()
    } else {
        format!(" (through `{}`)", cx.qualified_name(r.call_function))
    };
    let ether = if r.sends_eth {
        ", which sends ether,"
    } else {
        ""
    };
    let message = format!(
        "`{}`{ether} calls `{call_text}`{via} before writing {}: the callee can re-enter {} while {} still \
{} the old value",
        cx.qualified_name(r.function),
        vars.join(", "),
        points.join(", "),
        vars.join(", "),
        if vars.len() == 1 { "holds" } else { "hold" },
    );
    let message = if r.owner_only {
        format!(
            "{message}; only the stored owner account can complete {}, so the callee would \
have to be that account",
            points.join(", ")
        )
    } else {
        message
    };
    let message = match &r.trusted_callee {
        None => message,
        Some(vars) if vars.is_empty() => format!(
            "{message}; the callee is fixed at deployment, so re-entering needs the deployer's \
own contract to be malicious"
        ),
        Some(vars) => format!(
            "{message}; the callee is read from {}, which only the constructor or an \
authorised caller sets, so re-entering needs that trusted contract to be malicious",
            vars.iter()
                .map(|&v| format!("`{}`", cx.model.decl(v).name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut builder =
        FindingBuilder::new(meta, message, cx.location_in(r.call_function, r.call.span));
    if r.trusted_callee.is_some() || r.owner_only {
        builder = builder.confidence(bulwark_report::Confidence::Low);
    }
    if let Some(f) = cx.ir.function_ir(r.function) {
        if r.call_function != r.function {
            builder = builder.related(
                cx.location_in(r.function, f.cfg.node(r.call_node).span),
                format!(
                    "`{}` hands control over through `{}` here",
                    cx.qualified_name(r.function),
                    cx.qualified_name(r.call_function)
                ),
            );
        }
        for &(v, n) in &r.late_writes {
            builder = builder.related(
                cx.location_in(r.function, f.cfg.node(n).span),
                format!("`{}` written after the call", cx.model.decl(v).name),
            );
        }
    }
    let mut finding = builder.build();
    if r.trusted_callee.is_some() || r.owner_only {
        // A trusted callee, or re-entry only the owner can make, turns
        // the pattern into a design note.
        finding.severity = bulwark_report::Severity::Low;
    }
    finding
}
