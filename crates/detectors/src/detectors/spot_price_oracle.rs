//! `spot-price-oracle`: a price computed from an AMM pool's current
//! reserves or token balances, used by state-changing code.
//!
//! # Facts used
//! - Reserve sources: external calls returning a Uniswap-V2-style
//!   `(uint112, uint112, …)` reserve pair (recognised by the types), and
//!   ERC-20 `balanceOf(account)` external calls on an account that is
//!   not this contract or the caller (the pool's balance; the function
//!   name is the ERC-20 interface).
//! - A division whose numerator and denominator both depend on reserve
//!   sources (through locals, tuple slots filled from them included:
//!   `(a, b) = flip ? (r1, r0) : (r0, r1)`): a ratio of reserves is a
//!   spot price.
//! - The function computing it, or an internal function calling it, can
//!   change state (not view/pure): the price decides something on chain.
//! - A bound chosen by the caller on the result (slippage:
//!   `require(out >= minOut)`) means the caller protects themselves; not
//!   reported.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::walk::walk_expr;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Mutability, Type};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, NodeId};

use crate::analysis::entry_paths::internal_callers_and_self;
use crate::analysis::provenance::{origins, Origin};
use crate::analysis::tuple_results::result_slots;
use crate::analysis::values::{depends_on, tested_comparisons};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "spot-price-oracle",
    title: "Price taken from manipulable AMM reserves",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "A price is computed from a pool's current reserves or balances, which anyone can \
move within one transaction with a flash loan.",
    what: r#"Reports a division whose numerator and denominator both come from the current state
of an AMM pool — the reserves returned by a `getReserves()`-style call (`(uint112, uint112,
…)`, recognised by its types) or ERC-20 `balanceOf` of an account other than this contract
and the caller — when the function computing it, or an internal function calling it, can
change state.

Not reported: quotes in view functions no state-changing code calls, ratios that the
function compares with a caller-supplied bound (slippage protection), and time-weighted
averages (cumulative prices are not reserves)."#,
    why: r#"A pool's reserves are whatever the last trade left. With a flash loan an attacker
swaps a large amount into the pool, calls the victim contract while the price is skewed,
and swaps back in the same transaction, paying only fees. A lending market, vault share
price or liquidation check that reads the spot price lends, mints or liquidates at the
attacker's price. Harvest Finance (2020, $34M), Cheese Bank, Warp Finance and many others
were drained this way."#,
    exploit: r#"```solidity
function price() public view returns (uint256) {
    (uint112 r0, uint112 r1, ) = pair.getReserves();
    return uint256(r1) * 1e18 / r0;
}
function borrow(uint256 amount) external {
    require(collateral[msg.sender] * price() / 1e18 >= amount, "undercollateralised");
    stable.transfer(msg.sender, amount);
}
```
1. The attacker flash-borrows stablecoins and buys the collateral token from `pair`: `r1/r0`
   jumps.
2. In the same transaction they deposit a little collateral and `borrow` against it at the
   inflated price.
3. They sell the collateral back, repay the flash loan and keep the loan."#,
    fix: r#"Use a manipulation-resistant price: a Chainlink feed (with staleness checks), or a
time-weighted average over a long enough window (Uniswap v3 `observe`, v2 cumulative
prices):
```solidity
uint256 p = oracle.consult(token, 1e18); // TWAP over 30 minutes
```"#,
    references: &[
        "https://blog.chain.link/flash-loans-and-the-importance-of-tamper-proof-oracles/",
        "https://docs.uniswap.org/contracts/v2/concepts/core-concepts/oracles",
        "https://samczsun.com/so-you-want-to-use-a-price-oracle/",
    ],
};

pub struct SpotPriceOracle;

impl Detector for SpotPriceOracle {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            let reserves = reserve_sources(cx, f);
            if reserves.calls.is_empty() {
                continue;
            }
            if !changes_state(cx, f.decl) {
                continue;
            }
            let comps = tested_comparisons(f);
            for (node, n) in f.cfg.nodes() {
                for root in n.exprs() {
                    let mut ratio = None;
                    walk_expr(root, &mut |e| {
                        if ratio.is_some() {
                            return;
                        }
                        if let ExprKind::Binary {
                            op: BinaryOp::Div,
                            lhs,
                            rhs,
                        } = &e.kind
                        {
                            if reserves.feeds(cx, f, node, lhs) && reserves.feeds(cx, f, node, rhs)
                            {
                                ratio = Some(e);
                            }
                        }
                    });
                    let Some(ratio) = ratio else { continue };
                    if bounded_by_caller(cx, f, node, &comps) {
                        continue;
                    }
                    let message = format!(
                        "`{}` computes a price from a pool's current reserves (`{}`): anyone can move \
them within one transaction with a flash loan; use a time-weighted or external oracle",
                        cx.qualified_name(f.decl),
                        cx.snippet(f.file, ratio.span, 60)
                    );
                    let source = reserves.calls[0];
                    out.push(
                        FindingBuilder::new(&META, message, cx.location_in(f.decl, ratio.span))
                            .related(cx.location_in(f.decl, source.1), "reserves read here")
                            .build(),
                    );
                    break;
                }
            }
        }
    }
}

/// The reserve reads of one function: the call expressions and the locals
/// receiving their values.
struct Reserves {
    calls: Vec<(NodeId, bulwark_syntax::Span)>,
    locals: Vec<DeclId>,
}

impl Reserves {
    /// Whether `e` (at `node`) depends on a reserve read.
    fn feeds(&self, cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, e: &Expr) -> bool {
        let mut direct = false;
        walk_expr(e, &mut |x| {
            direct |= self.calls.iter().any(|(id, _)| *id == x.id)
        });
        direct || self.locals.iter().any(|&l| depends_on(cx, f, node, e, l))
    }
}

fn reserve_sources(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) -> Reserves {
    let mut out = Reserves {
        calls: Vec::new(),
        locals: Vec::new(),
    };
    for (node, call) in f.calls() {
        let CallSiteKind::External {
            function: Some(callee),
            ..
        } = call.kind
        else {
            continue;
        };
        if returns_reserves(cx, callee) {
            out.calls.push((call.expr, call.span));
            let slots = result_slots(cx, f, node, call.expr);
            out.locals.extend(slots.into_iter().take(2).flatten());
        } else if is_pool_balance(cx, f, node, callee, &call.args) {
            out.calls.push((call.expr, call.span));
            if let bulwark_ir::facts::ResultUse::Assigned(locals) = &call.result {
                out.locals.extend(locals.iter().copied());
            }
        }
    }
    // Tuple slots filled from reserves, which the IR keeps without a value
    // of their own: `(uint256 a, uint256 b) = flip ? (r1, r0) : (r0, r1)`
    // orders the reserves by token; both slots are reserves.
    loop {
        let mut grew = false;
        for (node, n) in f.cfg.nodes() {
            let fed = n
                .exprs()
                .any(|root| out.locals.iter().any(|&l| mentions_decl(cx, f, root, l)));
            if !fed {
                continue;
            }
            for d in &f.facts(node).defs {
                if d.value.is_none() && !out.locals.contains(&d.var) {
                    out.locals.push(d.var);
                    grew = true;
                }
            }
        }
        if !grew {
            break;
        }
    }
    out
}

/// Whether `root` names `decl` somewhere.
fn mentions_decl(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, root: &Expr, decl: DeclId) -> bool {
    let mut found = false;
    walk_expr(root, &mut |x| {
        found |= cx.model.resolution(f.file, x.id).and_then(|r| r.decl()) == Some(decl);
    });
    found
}

/// `(uint112, uint112, …)`: a Uniswap-V2-style reserve pair.
fn returns_reserves(cx: &AnalysisContext<'_>, callee: DeclId) -> bool {
    let Some(info) = cx.model.function(callee) else {
        return false;
    };
    let uint112 = Type::Int {
        signed: false,
        bits: 112,
    };
    info.params.is_empty()
        && info.returns.len() >= 2
        && *cx.model.decl_type(info.returns[0]) == uint112
        && *cx.model.decl_type(info.returns[1]) == uint112
}

/// `token.balanceOf(account)` with `account` neither this contract nor the
/// caller.
fn is_pool_balance(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    callee: DeclId,
    args: &[NodeId],
) -> bool {
    let Some(info) = cx.model.function(callee) else {
        return false;
    };
    let [account] = args else { return false };
    let Some(account) = f.expr(*account) else {
        return false;
    };
    cx.model.decl(callee).name == "balanceOf"
        && info.params.len() == 1
        && matches!(cx.model.decl_type(info.params[0]), Type::Address { .. })
        && !origins(cx, f, node, account)
            .iter()
            .any(|o| matches!(o, Origin::This | Origin::Sender))
}

/// Whether `function`, or an internal function calling it, can change
/// state.
fn changes_state(cx: &AnalysisContext<'_>, function: DeclId) -> bool {
    internal_callers_and_self(cx, function)
        .into_iter()
        .any(|g| {
            cx.model.function(g).is_some_and(|i| {
                !i.is_modifier()
                    && matches!(i.mutability, Mutability::NonPayable | Mutability::Payable)
            })
        })
}

/// Whether the function compares something computed at `node` with a
/// value the caller passed (a minimum output, a maximum price).
fn bounded_by_caller(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    comps: &[(NodeIx, &Expr)],
) -> bool {
    let defined: Vec<DeclId> = f.facts(node).defs.iter().map(|d| d.var).collect();
    comps.iter().any(|&(at, atom)| {
        let ExprKind::Binary { lhs, rhs, .. } = &atom.kind else {
            return false;
        };
        let from_here = |e: &Expr| defined.iter().any(|&d| depends_on(cx, f, at, e, d));
        // The bound itself is an argument (not a lookup keyed by one).
        let param = |e: &Expr| {
            origins(cx, f, at, e)
                .iter()
                .any(|o| matches!(o, Origin::Param(_)))
        };
        (from_here(lhs) && param(rhs)) || (from_here(rhs) && param(lhs))
    })
}
