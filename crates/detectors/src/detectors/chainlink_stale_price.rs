//! `chainlink-stale-price`: a Chainlink-style `latestRoundData` answer used
//! without checking that it is recent and positive.
//!
//! # Facts used
//! - External calls whose callee returns the `AggregatorV3Interface`
//!   round tuple `(uint80, int256, uint256, uint256, uint80)` — recognised
//!   by the types, whatever the interface is called.
//! - Which locals receive the answer (slot 1) and `updatedAt` (slot 3),
//!   through a tuple declaration or assignment.
//! - The comparisons tested by conditions and `require`/`assert` of the
//!   function, through locals: staleness (any comparison involving
//!   `updatedAt`, or the legacy `answeredInRound >= roundId`) and validity
//!   (the answer compared with a constant).
//! - A check handed to a helper counts when the helper tests the value it
//!   receives.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Type};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::conditions::{is_guard, tested};
use crate::analysis::constant::const_value;
use crate::analysis::expr::strip_conversions;
use crate::analysis::tuple_results::result_slots;
use crate::analysis::values::{depends_on, tested_comparisons};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "chainlink-stale-price",
    title: "Oracle price used without staleness or validity checks",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "A price read with `latestRoundData` is used without checking when it was updated, \
or without checking that it is positive.",
    what: r#"Reports a call returning a Chainlink round — the `(uint80 roundId, int256 answer,
uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)` tuple of
`latestRoundData`/`getRoundData`, recognised by its types — when the function uses the
answer and:
- never compares `updatedAt` with anything (a heartbeat or maximum age), nor
  `answeredInRound` with `roundId` (the legacy check), or
- never compares the answer with a constant (`answer > 0`).

A check made by a helper the value is passed to counts. Returning the answer unchecked to
a caller does not: the reported line is where the price enters the protocol."#,
    why: r#"Feeds stop updating: the network is congested, the feed is deprecated, the price
moved less than the deviation threshold for longer than the heartbeat, or a sequencer is
down on a layer 2. `latestRoundData` then keeps returning the last answer, possibly hours
old, and a zero or negative answer is possible when a feed misbehaves. A lending market that
prices collateral with such an answer lets borrowers take loans against a collateral value
that no longer exists, or liquidates healthy positions."#,
    exploit: r#"```solidity
function collateralValue(address user) public view returns (uint256) {
    (, int256 price, , , ) = feed.latestRoundData();
    return collateral[user] * uint256(price) / 1e8;
}
```
1. The market for the collateral token crashes by 40% while the feed is stuck (an outage,
   a paused aggregator).
2. The attacker buys the collateral cheaply on a DEX and deposits it.
3. The protocol values it at the stale price and lends the attacker far more than the
   collateral is worth; the loan is never repaid."#,
    fix: r#"Check the round's age against the feed's heartbeat and the answer's sign:
```solidity
(, int256 price, , uint256 updatedAt, ) = feed.latestRoundData();
require(price > 0, "invalid price");
require(block.timestamp - updatedAt <= HEARTBEAT, "stale price");
```
On layer 2s, also check the sequencer uptime feed."#,
    references: &[
        "https://docs.chain.link/data-feeds/api-reference#latestrounddata",
        "https://docs.chain.link/data-feeds#check-the-timestamp-of-the-latest-answer",
        "https://docs.chain.link/data-feeds/l2-sequencer-feeds",
    ],
};

/// Slots of the round tuple.
const ROUND_ID: usize = 0;
const ANSWER: usize = 1;
const UPDATED_AT: usize = 3;
const ANSWERED_IN_ROUND: usize = 4;

pub struct ChainlinkStalePrice;

impl Detector for ChainlinkStalePrice {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                let CallSiteKind::External {
                    function: Some(callee),
                    ..
                } = call.kind
                else {
                    continue;
                };
                if !returns_round(cx, callee) {
                    continue;
                }
                let slots = result_slots(cx, f, node, call.expr);
                let slot = |i: usize| slots.get(i).copied().flatten();
                let Some(answer) = slot(ANSWER) else {
                    continue;
                };
                let comps = tested_comparisons(f);
                let compared = |var: DeclId, with_constant: bool| {
                    comps.iter().any(|&(at, atom)| {
                        let ExprKind::Binary { lhs, rhs, .. } = &atom.kind else {
                            return false;
                        };
                        let about = |e: &Expr| depends_on(cx, f, at, e, var);
                        let constant = |e: &Expr| {
                            const_value(cx, f.file, strip_conversions(cx, f.file, e)).is_some()
                        };
                        if with_constant {
                            (about(lhs) && constant(rhs)) || (about(rhs) && constant(lhs))
                        } else {
                            about(lhs) || about(rhs)
                        }
                    }) || checked_by_helper(cx, f, var)
                };
                let fresh = slot(UPDATED_AT).is_some_and(|u| compared(u, false))
                    || matches!(
                        (slot(ANSWERED_IN_ROUND), slot(ROUND_ID)),
                        (Some(a), Some(r)) if compares_both(cx, f, a, r)
                    );
                let valid = compared(answer, true);
                if fresh && valid {
                    continue;
                }
                let missing = match (fresh, valid) {
                    (false, false) => {
                        "checks neither when it was updated (`updatedAt`) nor that it is positive"
                    }
                    (false, true) => "never checks when it was updated (`updatedAt`)",
                    _ => "never checks that it is positive",
                };
                let message = format!(
                    "`{}` uses the price `{}` from `{}` but {missing}: a stale or invalid \
answer is taken as the current price",
                    cx.qualified_name(f.decl),
                    cx.model.decl(answer).name,
                    cx.snippet(f.file, call.span, 60),
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span)).build(),
                );
            }
        }
    }
}

/// `(uint80, int256, uint256, uint256, uint80)`: the round data of
/// `AggregatorV3Interface`.
fn returns_round(cx: &AnalysisContext<'_>, callee: DeclId) -> bool {
    let Some(info) = cx.model.function(callee) else {
        return false;
    };
    let types: Vec<&Type> = info
        .returns
        .iter()
        .map(|&r| cx.model.decl_type(r))
        .collect();
    let int = |signed: bool, bits: u16| Type::Int { signed, bits };
    types.len() == 5
        && *types[0] == int(false, 80)
        && *types[1] == int(true, 256)
        && *types[2] == int(false, 256)
        && *types[3] == int(false, 256)
        && *types[4] == int(false, 80)
}

/// Whether some tested comparison involves both `a` and `b`
/// (`answeredInRound >= roundId`).
fn compares_both(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, a: DeclId, b: DeclId) -> bool {
    tested_comparisons(f)
        .into_iter()
        .any(|(at, atom)| depends_on(cx, f, at, atom, a) && depends_on(cx, f, at, atom, b))
}

/// Whether `var` is passed to an internal helper that tests the parameter
/// receiving it.
fn checked_by_helper(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, var: DeclId) -> bool {
    f.calls().any(|(node, call)| {
        let callee = match call.kind {
            CallSiteKind::Internal { function, .. } | CallSiteKind::Library { function, .. } => {
                function
            }
            _ => return false,
        };
        let (Some(info), Some(cf)) = (cx.model.function(callee), cx.ir.function_ir(callee)) else {
            return false;
        };
        call.args.iter().enumerate().any(|(j, &arg)| {
            let passes = f.expr(arg).is_some_and(|a| depends_on(cx, f, node, a, var));
            passes && info.params.get(j).is_some_and(|&p| tests_param(cx, cf, p))
        })
    })
}

fn tests_param(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, param: DeclId) -> bool {
    f.cfg.nodes().any(|(n, _): (NodeIx, _)| {
        is_guard(f, n)
            && tested(f, n)
                .into_iter()
                .any(|c| depends_on(cx, f, n, c, param))
    })
}
