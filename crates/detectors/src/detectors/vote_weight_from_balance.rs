//! `vote-weight-from-balance`: a tally adds the caller's *current* token
//! balance, so borrowed or re-used tokens count.
//!
//! # Facts used
//! - External calls `token.balanceOf(msg.sender)` (also `tx.origin`),
//!   through locals, flowing into an addition to a state variable that is
//!   not the caller's own entry (`p.forVotes += weight`,
//!   `totals[id] = totals[id] + weight`) — a tally shared by everyone.
//! - Reachable by any caller ([`Access::open_entry`]).
//! - Not reported when the function pulls tokens from the caller
//!   (`transferFrom(msg.sender, ...)`): locked tokens cannot vote twice.
//! - Snapshots (`getPastVotes`, `balanceOfAt`) are other functions and
//!   never match.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::walk::{call_args, unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, CallKind, Mutability};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};
use bulwark_syntax::Span;

use crate::analysis::access::Access;
use crate::analysis::expr::{mentions_builtin, root_state_var, strip_conversions};
use crate::analysis::values::{local_of, sources};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "vote-weight-from-balance",
    title: "Vote weight from the current token balance",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "A vote (or another shared tally) is weighted by the caller's token balance at the \
time of the call: tokens borrowed in a flash loan, or moved to a second account after voting, \
count again.",
    what: r#"Reports an external call `token.balanceOf(msg.sender)` whose value is added to a state
variable shared by all callers — a proposal's `forVotes`, a tally per option — in a function any
caller can reach. The caller's own entry (`staked[msg.sender] += ...`) is not a shared tally and
is not reported.

Not reported: functions that pull the tokens from the caller (`transferFrom(msg.sender, ...)`),
which locks them for the vote; weights read from a snapshot (`getPastVotes`, `balanceOfAt`,
`getPriorVotes`), which are different functions. A one-vote-per-account flag does not help: the
balance can move to another account and vote again."#,
    why: r#"A balance is what an account holds *now*. Anyone can hold a large balance for the
length of one transaction (a flash loan from a lending pool or an AMM) and cast a decisive vote
with it, or vote, transfer the tokens to a second address and vote again with the same tokens.
Governance attacks of this kind drained Beanstalk ($182M) in a single transaction. Voting power
must be fixed before voting starts: a snapshot or checkpoint at the proposal's start block."#,
    exploit: r#"```solidity
function castVote(uint256 id, bool support) external {
    require(!hasVoted[id][msg.sender]);
    hasVoted[id][msg.sender] = true;
    uint256 weight = token.balanceOf(msg.sender);
    if (support) proposals[id].forVotes += weight; else proposals[id].againstVotes += weight;
}
```
1. The attacker proposes to send the treasury to themselves.
2. In one transaction they flash-borrow most of the token supply, call `castVote`, and repay.
3. The proposal passes the quorum and the majority, and is executed after the delay.
4. Without a flash loan: vote from account A, transfer to B, vote again, and so on."#,
    fix: r#"Weight votes by a snapshot taken when the proposal was created (ERC20Votes checkpoints):
```solidity
uint256 weight = token.getPastVotes(msg.sender, p.snapshotBlock);
```"#,
    references: &[
        "https://docs.openzeppelin.com/contracts/5.x/governance",
        "https://docs.openzeppelin.com/contracts/5.x/api/token/erc20#ERC20Votes",
        "https://rekt.news/beanstalk-rekt/",
    ],
};

pub struct VoteWeightFromBalance;

impl Detector for VoteWeightFromBalance {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            let Some(info) = cx.model.function(f.decl) else {
                continue;
            };
            if matches!(info.mutability, Mutability::View | Mutability::Pure)
                || info.is_modifier()
                || pulls_from_caller(cx, f)
            {
                continue;
            }
            let mut reported = false;
            for (node, n) in f.cfg.nodes() {
                if reported {
                    break;
                }
                let mut hit: Option<(NodeIx, Span, Span)> = None;
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        if hit.is_some() {
                            return;
                        }
                        let ExprKind::Assign { op, lhs, rhs } = &e.kind else {
                            return;
                        };
                        let added: Vec<&Expr> = match (op, &unparen(rhs).kind) {
                            (Some(BinaryOp::Add), _) => vec![rhs],
                            (
                                None,
                                ExprKind::Binary {
                                    op: BinaryOp::Add,
                                    lhs: a,
                                    rhs: b,
                                },
                            ) => vec![a, b],
                            _ => return,
                        };
                        if !in_storage(cx, f, lhs)
                            || mentions_builtin(
                                cx,
                                f.file,
                                lhs,
                                &[Builtin::MsgSender, Builtin::TxOrigin],
                            )
                        {
                            return;
                        }
                        for term in added {
                            if let Some((rn, read)) = sources(cx, f, node, term)
                                .into_iter()
                                .find(|(_, v)| is_caller_balance(cx, f, v))
                            {
                                hit = Some((rn, read.span, e.span));
                                return;
                            }
                        }
                    });
                }
                let Some((read_node, read, tally)) = hit else {
                    continue;
                };
                if access.open_entry(f.decl, node).is_none() {
                    continue;
                }
                let message = format!(
                    "`{}` adds the caller's current balance (`{}`) to `{}`: tokens borrowed for one \
transaction (a flash loan) or moved to another account after voting count again; weight by a \
snapshot taken before voting starts (`getPastVotes`)",
                    cx.qualified_name(f.decl),
                    cx.snippet(f.file, read, 60),
                    cx.snippet(f.file, tally, 60),
                );
                // The primary location is where the balance is read as the
                // weight (the statement holding the `balanceOf` call).
                let read_stmt = f.cfg.node(read_node).span;
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, read_stmt))
                        .related(cx.location_in(f.decl, n.span), "added to a shared tally")
                        .build(),
                );
                reported = true;
            }
        }
    }
}

/// `x.balanceOf(msg.sender)` (or `tx.origin`) as an external call.
fn is_caller_balance(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    let e = strip_conversions(cx, f.file, e);
    let ExprKind::Call { callee, args } = &e.kind else {
        return false;
    };
    let ExprKind::Member { member, .. } = &unparen(callee).kind else {
        return false;
    };
    let args = call_args(args);
    member.name == "balanceOf"
        && matches!(
            cx.model.call_kind(f.file, e.id),
            Some(CallKind::External { .. })
        )
        && args.len() == 1
        && matches!(
            cx.model
                .resolution(f.file, strip_conversions(cx, f.file, args[0]).id)
                .and_then(|r| r.builtin()),
            Some(Builtin::MsgSender | Builtin::TxOrigin)
        )
}

/// Whether `f` moves tokens from the caller to somewhere
/// (`transferFrom(msg.sender, ...)`), locking what it counts.
fn pulls_from_caller(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) -> bool {
    f.calls().any(|(_, call)| {
        if !matches!(call.kind, bulwark_ir::facts::CallSiteKind::External { .. }) {
            return false;
        }
        let Some(first) = call.args.first().and_then(|&a| f.expr(a)) else {
            return false;
        };
        call.args.len() >= 3
            && matches!(
                cx.model
                    .resolution(f.file, strip_conversions(cx, f.file, first).id)
                    .and_then(|r| r.builtin()),
                Some(Builtin::MsgSender)
            )
    })
}

/// Whether an assignment target is state: a state variable, an element
/// or field of one, or reached through a local storage pointer.
fn in_storage(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, lhs: &Expr) -> bool {
    if root_state_var(cx, f.file, lhs).is_some() {
        return true;
    }
    let mut e = unparen(lhs);
    while let ExprKind::Index { base, .. } | ExprKind::Member { base, .. } = &e.kind {
        e = unparen(base);
    }
    !std::ptr::eq(e, unparen(lhs)) && local_of(cx, f, e).is_some_and(|d| f.is_storage_pointer(d))
}
