//! `unprotected-swap`: an AMM swap that accepts any price (a minimum
//! output of zero, a maximum input of `type(uint256).max`, an extreme
//! price limit, or a bound computed from the same pool's current state)
//! or whose deadline is the execution time itself.
//!
//! # Facts used
//! - Swap calls and their bounds by callee name and parameter shape
//!   ([`crate::analysis::swaps`]): v2 routers, v3 routers' params structs
//!   (built in place or field by field in a local), v2/v3 pools' `swap`,
//!   Curve's `exchange`, aggregators with a `min…Return`-style parameter.
//! - A bound gives no protection when it is a constant (`0`, `1`, the
//!   maximum), or is computed from a spot quote ([`spot_quote_behind`]:
//!   `getAmountsOut`, `get_dy`, a quoter, `getReserves`, `slot0`) that the
//!   sandwich moves together with the swap.
//! - A bound the caller passes (a parameter), a stored setting, or an
//!   oracle/TWAP value protects; so does a comparison of the swap's result
//!   (or of a balance read after it) with such a value, and a comparison
//!   of the spot quote with one.
//! - A deadline derived from `block.timestamp` (or the maximum) is no
//!   deadline; reported on its own at low severity when the price is
//!   bounded.
//! - Liquidity calls (`addLiquidity`, `removeLiquidity`, a position
//!   manager's `mint`) are judged by their `amount…Min` bounds alike.
//! - A bound forwarded from an internal wrapper's parameter is judged at
//!   each call of the wrapper: a constant `0` there is reported there.
//! - High severity when any caller can trigger the swap
//!   ([`open_path`]) and the amount sold is not the caller's (the
//!   contract's balance: a public harvest).

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::{CallSite, CallSiteKind};
use bulwark_ir::taint::Source;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::{CallEdgeKind, FunctionIr};
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, CallKind, DeclId, DeclKind};
use bulwark_syntax::ast::{Expr, ExprKind, UnaryOp};

use crate::analysis::access::Access;
use crate::analysis::constant::const_value;
use crate::analysis::entry_paths::{open_path, Protection};
use crate::analysis::expr::{builtin_of, decl_of, strip_conversions};
use crate::analysis::provenance::{origins, Origin};
use crate::analysis::swaps::{
    liquidity_name, reference_price_behind, spot_quote_behind, swap_call, BoundKind, SwapBound,
    SwapCall,
};
use crate::analysis::values::{depends_on, mentioned_decls, sources, tested_comparisons};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unprotected-swap",
    title: "Swap without slippage protection or deadline",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-114"],
    applies_to: "all versions",
    summary: "An AMM swap accepts any price — its minimum output is zero or computed from the \
same pool's current state — or its deadline is the execution time, so a searcher can sandwich it \
or a validator can hold it until the price is worse.",
    what: r#"Reports calls to swap functions recognised by name and parameter shape — Uniswap
v2-style routers (`swapExactTokensForTokens(amountIn, amountOutMin, path, to, deadline)` and
the ETH and exact-output variants), v3 routers (`exactInputSingle`/`exactInput`/`exactOutput…`
taking a params struct with `amountOutMinimum`/`amountInMaximum`/`deadline`), v2 pairs' and v3
pools' own `swap`, Curve's `exchange(i, j, dx, min_dy)` and aggregators whose parameters or
params struct carry a minimum return — when every price bound is unprotective:

- a constant: a minimum output of `0` or `1`, a maximum input of `type(uint256).max`, a v3
  price limit of `MIN_SQRT_RATIO + 1`/`MAX_SQRT_RATIO - 1`;
- computed on chain from a spot quote of the pool (`getAmountsOut`, `get_dy`, a quoter,
  `getReserves`, `slot0`), which the sandwich moves before the quote is taken;

and nothing compares the swap's result (or the balance after it) with a bound from the
caller, a stored setting or an oracle. A deadline of `block.timestamp` (or the maximum) is
reported on its own, at low severity, when the price is bounded.

Liquidity calls count too: a router's `addLiquidity`/`removeLiquidity` (and the ETH and
permit variants) with `amountAMin`/`amountBMin` of `0`, a v3 position manager's
`mint`/`increaseLiquidity`/`decreaseLiquidity` with `amount0Min`/`amount1Min` of `0` — the
deposit or withdrawal then happens at whatever ratio the pool is pushed to. When the swap
sits in an internal wrapper that forwards its parameter as the bound
(`_swap(amount, minOut)`), each call of the wrapper passing a constant `0` is reported at
that call.

Severity is high when any caller can trigger the swap and it sells the contract's own funds
(a public `harvest`/`compound`); medium otherwise. Not reported: bounds passed by the caller,
bounds derived from an oracle or TWAP, spot quotes checked against one."#,
    why: r#"A swap with no minimum output executes at whatever price the pool has when it is
mined. A searcher who sees it in the mempool buys the output token first (raising its
price), lets the victim's swap buy at the inflated price, and sells right after: the victim
gets a fraction of the fair amount and the searcher keeps the difference. Computing the
minimum from `getAmountsOut` in the same transaction gives no protection, because the quote
is taken after the searcher's front-run. When the swap sells a protocol's funds from a
public function, the attacker does not even need to wait: they bundle the front-run, the call
and the back-run themselves. A deadline of `block.timestamp` always passes, so a pending
transaction can be held back and executed whenever the price suits the block builder."#,
    exploit: r#"```solidity
function harvest() external {
    rewards.claim();
    uint256 bal = reward.balanceOf(address(this));
    router.swapExactTokensForTokens(bal, 0, path, address(this), block.timestamp);
    vault.deposit(want.balanceOf(address(this)));
}
```
1. The attacker borrows `want` and buys `reward`'s counterpart, skewing the pool.
2. They call `harvest()`: the vault sells its rewards at the skewed price and accepts any
   output because `amountOutMin` is `0`.
3. They swap back and repay, keeping most of the harvest."#,
    fix: r#"Take the minimum output (and the deadline) from the caller, who computes it off chain,
or derive it from a manipulation-resistant price and check the result:
```solidity
function harvest(uint256 minOut, uint256 deadline) external onlyKeeper {
    router.swapExactTokensForTokens(bal, minOut, path, address(this), deadline);
}
// or: uint256 minOut = oracle.consult(reward, bal) * 99 / 100;  // TWAP or Chainlink
```"#,
    references: &[
        "https://docs.uniswap.org/contracts/v2/guides/smart-contract-integration/trading-from-a-smart-contract",
        "https://docs.uniswap.org/contracts/v3/guides/swaps/single-swaps",
        "https://swcregistry.io/docs/SWC-114",
    ],
};

pub struct UnprotectedSwap;

/// What a bound's value does for the caller.
enum Verdict {
    /// It bounds the price (or the time).
    Protects,
    /// It bounds nothing: the reason, for the message.
    Useless(String),
    /// It says nothing either way (a v2 pair's zero output on the other
    /// side).
    Neutral,
}

impl Detector for UnprotectedSwap {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                let Some(swap) = swap_call(cx, f, node, call) else {
                    continue;
                };
                if let Some(finding) = report(cx, &access, f, node, call, &swap) {
                    out.push(finding);
                }
                forwarded_constants(cx, &access, f, node, call, &swap, out);
            }
        }
    }
}

fn report(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &CallSite,
    swap: &SwapCall<'_>,
) -> Option<Finding> {
    let mut useless: Vec<(&SwapBound<'_>, String)> = Vec::new();
    let mut protected = false;
    let mut has_slippage_bound = false;
    let mut late: Option<(&SwapBound<'_>, String)> = None;
    for b in &swap.bounds {
        let verdict = judge(cx, f, b);
        if b.kind.is_slippage() {
            has_slippage_bound = true;
            match verdict {
                Verdict::Protects => protected = true,
                Verdict::Useless(why) => useless.push((b, why)),
                Verdict::Neutral => {}
            }
        } else if let Verdict::Useless(why) = verdict {
            late.get_or_insert((b, why));
        }
    }
    let fname = cx.qualified_name(f.decl);
    let swap_text = cx.snippet(f.file, call.span, 70);
    if has_slippage_bound && !protected && !useless.is_empty() && !result_checked(cx, f, node, call)
    {
        let (bound, why) = &useless[0];
        let (severity, entry) = severity_of(cx, access, f, node, call, swap);
        let whom = match entry {
            Some(e) if severity == Severity::High => format!(
                "; any caller can trigger it through `{}` and the amount sold is the contract's own",
                cx.qualified_name(e)
            ),
            _ => String::new(),
        };
        let message = format!(
            "`{fname}` {} through `{swap_text}` with `{}` {why}: the {} accepts any price, \
so a searcher can sandwich it and keep the difference{whom}; take the bound from the caller or \
from a manipulation-resistant oracle",
            verb(cx, swap).0,
            bound.name,
            verb(cx, swap).1,
        );
        let mut b = FindingBuilder::new(&META, message, cx.location_in(f.decl, call_head(f, call)));
        if bound.node != node {
            b = b.related(
                cx.location_in(f.decl, f.cfg.node(bound.node).span),
                format!("`{}` set here", bound.name),
            );
        }
        // A v2 pair's output is computed from reserves by design; without
        // a visible check it may still be checked by the caller's caller.
        if swap.bounds.iter().any(|x| x.kind == BoundKind::PairOut) {
            b = b.confidence(Confidence::Low);
        }
        let mut finding = b.build();
        finding.severity = severity;
        return Some(finding);
    }
    let (bound, why) = late?;
    let message = format!(
        "`{fname}` passes {why} as the `{}` of `{swap_text}`: the check always passes, so the \
transaction can be held back and executed later at a worse price; take the deadline from the \
caller",
        bound.name
    );
    let mut finding =
        FindingBuilder::new(&META, message, cx.location_in(f.decl, call_head(f, call)))
            .confidence(Confidence::Medium)
            .build();
    finding.severity = Severity::Low;
    Some(finding)
}

/// Whether a bound's value protects.
fn judge(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, b: &SwapBound<'_>) -> Verdict {
    let v = strip_conversions(cx, f.file, b.value);
    let text = cx.snippet(f.file, b.value.span, 40);
    match b.kind {
        BoundKind::MinOut => {
            if let Some(x) = const_value(cx, f.file, v) {
                return if (0.0..=1.0).contains(&x) {
                    Verdict::Useless(format!("set to `{text}`"))
                } else {
                    Verdict::Protects
                };
            }
            spot_verdict(cx, f, b)
        }
        BoundKind::MaxIn => {
            if is_max(cx, f, v) {
                return Verdict::Useless(format!("set to `{text}`"));
            }
            spot_verdict(cx, f, b)
        }
        BoundKind::PriceLimit => {
            if all_constant(cx, f, b.node, b.value) {
                Verdict::Useless(format!("set to the constant `{text}` (no price limit)"))
            } else {
                Verdict::Protects
            }
        }
        BoundKind::PairOut => {
            if const_value(cx, f.file, v) == Some(0.0) {
                return Verdict::Neutral;
            }
            spot_verdict(cx, f, b)
        }
        BoundKind::Deadline => {
            let taint = cx.ir.taint().expr(cx.ir, f.decl, b.value.id);
            if is_max(cx, f, v) {
                Verdict::Useless(format!("`{text}`"))
            } else if taint.has(Source::Timestamp) && !taint.has(Source::Param) {
                Verdict::Useless(format!("`{text}` (the execution time)"))
            } else {
                Verdict::Protects
            }
        }
    }
}

/// A bound computed from a spot quote of the pool, unless an oracle or
/// the caller also enters it or checks the quote.
fn spot_verdict(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, b: &SwapBound<'_>) -> Verdict {
    let Some(quote) = spot_quote_behind(cx, f, b.node, b.value) else {
        return Verdict::Protects;
    };
    // The caller's own bound (possibly the larger of it and the quote).
    let from_caller = origins(cx, f, b.node, b.value)
        .iter()
        .any(|o| matches!(o, Origin::Param(_)));
    if from_caller || reference_price_behind(cx, f, b.node, b.value) {
        return Verdict::Protects;
    }
    if quote_checked(cx, f, b) {
        return Verdict::Protects;
    }
    Verdict::Useless(format!(
        "computed from `{}`, a quote of the pool's current state that moves with the sandwich",
        cx.model.decl(quote).name
    ))
}

/// Whether a comparison in the function tests a local the bound is
/// computed from against a value that is neither constant nor a spot
/// quote (the caller's bound, an oracle price, a stored tolerance).
fn quote_checked(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, b: &SwapBound<'_>) -> bool {
    let mut locals: Vec<DeclId> = Vec::new();
    for (_, e) in sources(cx, f, b.node, b.value) {
        for d in mentioned_decls(cx, f, e) {
            if cx.model.decl(d).kind == DeclKind::LocalVar && !locals.contains(&d) {
                locals.push(d);
            }
        }
    }
    for d in mentioned_decls(cx, f, b.value) {
        if cx.model.decl(d).kind == DeclKind::LocalVar && !locals.contains(&d) {
            locals.push(d);
        }
    }
    tested_comparisons(f).into_iter().any(|(at, atom)| {
        let ExprKind::Binary { lhs, rhs, .. } = &atom.kind else {
            return false;
        };
        let watched = |e: &Expr| {
            locals.iter().any(|&l| depends_on(cx, f, at, e, l))
                && spot_quote_behind(cx, f, at, e).is_some()
        };
        let reference = |e: &Expr| {
            const_value(cx, f.file, e).is_none() && spot_quote_behind(cx, f, at, e).is_none()
        };
        (watched(lhs) && reference(rhs)) || (watched(rhs) && reference(lhs))
    })
}

/// Whether a comparison after the swap tests its result, or a balance
/// read after it, against a non-constant value: the slippage check is
/// done on the outcome instead.
fn result_checked(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &CallSite,
) -> bool {
    let mut watched: Vec<DeclId> = f.facts(node).defs.iter().map(|d| d.var).collect();
    if let bulwark_ir::facts::ResultUse::Assigned(ls) = &call.result {
        watched.extend(ls.iter().copied());
    }
    let after = |g: NodeIx| g != node && f.cfg.reaches(node, g);
    for (g, c) in f.calls() {
        if after(g) && is_balance_of(cx, c) {
            watched.extend(f.facts(g).defs.iter().map(|d| d.var));
        }
    }
    tested_comparisons(f).into_iter().any(|(at, atom)| {
        if !(at == node || after(at)) {
            return false;
        }
        let ExprKind::Binary { lhs, rhs, .. } = &atom.kind else {
            return false;
        };
        let outcome = |e: &Expr| {
            let mut direct = false;
            walk_expr(e, &mut |x| {
                direct |= x.id == call.expr
                    || (at != node
                        && matches!(cx.model.call_kind(f.file, x.id),
                            Some(CallKind::External { function: Some(d) }) if cx.model.decl(*d).name == "balanceOf"));
            });
            direct || watched.iter().any(|&w| depends_on(cx, f, at, e, w))
        };
        let bound = |e: &Expr| const_value(cx, f.file, e).is_none_or(|x| x > 1.0);
        (outcome(lhs) && bound(rhs) && !outcome(rhs)) || (outcome(rhs) && bound(lhs) && !outcome(lhs))
    })
}

fn is_balance_of(cx: &AnalysisContext<'_>, c: &CallSite) -> bool {
    matches!(c.kind, CallSiteKind::External { function: Some(d), .. } if cx.model.decl(d).name == "balanceOf")
}

/// `type(uint256).max`, `uint256(-1)`, `~uint256(0)`, `2**256 - 1`.
fn is_max(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    let e = strip_conversions(cx, f.file, e);
    if let ExprKind::Member { .. } = &e.kind {
        if builtin_of(cx, f.file, e) == Some(Builtin::TypeMax) {
            return true;
        }
    }
    if let ExprKind::Unary {
        op: UnaryOp::BitNot,
        operand,
    } = &e.kind
    {
        return const_value(cx, f.file, strip_conversions(cx, f.file, operand)) == Some(0.0);
    }
    const_value(cx, f.file, e).is_some_and(|x| !(0.0..1e30).contains(&x))
}

/// Whether `e` (at `node`) is a compile-time constant on every path:
/// through locals and both arms of conditionals.
fn all_constant(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, e: &Expr) -> bool {
    sources(cx, f, node, e).into_iter().all(|(at, x)| {
        let x = unparen(x);
        match &x.kind {
            ExprKind::Conditional {
                then_expr,
                else_expr,
                ..
            } => all_constant(cx, f, at, then_expr) && all_constant(cx, f, at, else_expr),
            _ => const_value(cx, f.file, x).is_some(),
        }
    })
}

/// High when an outsider reaches the swap and it sells the contract's
/// funds (the amount is not the caller's parameter or `msg.value`).
fn severity_of(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &CallSite,
    swap: &SwapCall<'_>,
) -> (Severity, Option<DeclId>) {
    let amount = swap.amount_in.map(|e| e.id).or(match call.kind {
        CallSiteKind::External { value, .. } => value,
        _ => None,
    });
    let Some(amount) = amount else {
        return (Severity::Medium, None);
    };
    let taint = cx.ir.taint().expr(cx.ir, f.decl, amount);
    let callers_funds = taint.has(Source::Param) || taint.has(Source::MsgValue);
    match open_path(cx, access, Protection::AnySenderCheck, f.decl, node) {
        Some(path) if !callers_funds && !names_param(cx, f, amount) => {
            (Severity::High, Some(path.entry))
        }
        Some(path) => (Severity::Medium, Some(path.entry)),
        None => (Severity::Medium, None),
    }
}

/// Whether the amount expression mentions a parameter of `f` directly.
fn names_param(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    amount: bulwark_syntax::ast::NodeId,
) -> bool {
    let Some(e) = f.expr(amount) else {
        return false;
    };
    let mut found = false;
    walk_expr(e, &mut |x| {
        if let Some(d) = decl_of(cx, f.file, x) {
            found |= cx.model.decl(d).kind == DeclKind::Param;
        }
    });
    found
}

/// How to name what the call does: ("swaps", "swap") or, for liquidity,
/// ("adds or removes liquidity", "deposit or withdrawal").
fn verb(cx: &AnalysisContext<'_>, swap: &SwapCall<'_>) -> (&'static str, &'static str) {
    if liquidity_name(&cx.model.decl(swap.callee).name) {
        ("adds or removes liquidity", "deposit or withdrawal")
    } else {
        ("swaps", "swap")
    }
}

/// The parameter of `f` that `e` is, as written (`minOut`, `uint256(minOut)`).
fn param_index(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> Option<usize> {
    let e = strip_conversions(cx, f.file, e);
    if !matches!(e.kind, ExprKind::Ident(_)) {
        return None;
    }
    let d = decl_of(cx, f.file, e)?;
    cx.model
        .function(f.decl)?
        .params
        .iter()
        .position(|&p| p == d)
}

/// A swap inside an internal wrapper whose slippage bound is the
/// wrapper's parameter (`_swap(tokenIn, amount, minOut)` forwarding
/// `minOut` as `amountOutMin`): each call of the wrapper that passes a
/// constant `0` (or `1`) for it swaps at any price. Reported at that call.
fn forwarded_constants(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &CallSite,
    swap: &SwapCall<'_>,
    out: &mut Vec<Finding>,
) {
    if access.is_entry_point(f.decl) || result_checked(cx, f, node, call) {
        return;
    }
    // Slippage bounds: each either forwarded from a parameter or judged
    // where it stands.
    let mut forwarded: Vec<(&SwapBound<'_>, usize)> = Vec::new();
    for b in swap.bounds.iter().filter(|b| b.kind == BoundKind::MinOut) {
        match param_index(cx, f, b.value) {
            Some(i) => forwarded.push((b, i)),
            None => {
                if matches!(judge(cx, f, b), Verdict::Protects) {
                    return;
                }
            }
        }
    }
    if forwarded.is_empty()
        || swap
            .bounds
            .iter()
            .any(|b| b.kind.is_slippage() && b.kind != BoundKind::MinOut)
    {
        return;
    }
    let swap_text = cx.snippet(f.file, call.span, 70);
    let helper = cx.qualified_name(f.decl);
    for edge in cx.ir.call_graph().edges_into(f.decl) {
        if !matches!(edge.kind, CallEdgeKind::Internal | CallEdgeKind::Super) {
            continue;
        }
        let (Some(at), Some(expr)) = (edge.node, edge.expr) else {
            continue;
        };
        let Some(g) = cx.ir.function_ir(edge.caller) else {
            continue;
        };
        let Some(site) = g.facts(at).calls.iter().find(|c| c.expr == expr) else {
            continue;
        };
        let constant = |i: usize| {
            site.args
                .get(i)
                .and_then(|&a| g.expr(a))
                .and_then(|a| const_value(cx, g.file, strip_conversions(cx, g.file, a)))
                .filter(|x| (0.0..=1.0).contains(x))
        };
        // Every forwarded bound must be a useless constant at this call.
        if !forwarded.iter().all(|&(_, i)| constant(i).is_some()) {
            continue;
        }
        let (bound, i) = forwarded[0];
        let param = cx
            .model
            .function(f.decl)
            .and_then(|info| info.params.get(i))
            .map(|&p| cx.model.decl(p).name.clone())
            .unwrap_or_default();
        let value = site
            .args
            .get(i)
            .and_then(|&a| g.expr(a))
            .map(|a| cx.snippet(g.file, a.span, 20))
            .unwrap_or_default();
        let message = format!(
            "`{}` passes `{value}` as `{param}` to `{helper}`, which forwards it as the `{}` of \
`{swap_text}`: the {} accepts any price, so a searcher can sandwich it and keep the difference; \
take the bound from the caller or from a manipulation-resistant oracle",
            cx.qualified_name(g.decl),
            bound.name,
            verb(cx, swap).1,
        );
        out.push(
            FindingBuilder::new(&META, message, cx.location_in(g.decl, call_head(g, site)))
                .related(cx.location_in(f.decl, call_head(f, call)), "the swap")
                .build(),
        );
    }
}

/// Where a call is reported: from its start to the end of the callee
/// (`router.addLiquidity(`), so that a call whose arguments span many
/// lines is located on the line that names it.
fn call_head(f: &FunctionIr<'_>, call: &CallSite) -> bulwark_syntax::Span {
    match f.expr(call.expr).map(|e| &unparen(e).kind) {
        Some(ExprKind::Call { callee, .. }) if callee.span.end > call.span.start => {
            bulwark_syntax::Span {
                start: call.span.start,
                end: callee.span.end,
            }
        }
        _ => call.span,
    }
}
