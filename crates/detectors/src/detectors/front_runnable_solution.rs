//! `front-runnable-solution`: a reward goes to whoever first submits a
//! value that matches a stored hash, and the value travels in the clear.
//!
//! # Facts used
//! - Conditions comparing a hash (`keccak256`, `sha3`, `sha256`,
//!   `ripemd160`) of caller-supplied data with a stored value (a state
//!   variable or constant), where neither side depends on `msg.sender`
//!   (a commitment bound to its sender cannot be stolen).
//! - A payment the condition decides, to the caller: ether sent to an
//!   address derived from `msg.sender`, or an external call passing
//!   `msg.sender` (a token transfer to them), dominated by the condition.
//! - Reachability by any caller ([`Access::open_entry`]).

use bulwark_ir::cfg::NodeKind;
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::taint::Source;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, CallKind, DeclKind};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::access::Access;
use crate::analysis::conditions::{atoms, tested};
use crate::analysis::expr::{decl_of, root_state_var, strip_conversions};
use crate::analysis::payments::recipient;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "front-runnable-solution",
    title: "Reward for a solution submitted in the clear",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-114"],
    applies_to: "all versions",
    summary: "The contract pays whoever first submits a value whose hash matches a stored one; \
the value is visible in the mempool, so anyone can copy it and get their transaction mined \
first.",
    what: r#"Reports a condition that compares the hash of caller-supplied data with a stored hash
(`require(keccak256(abi.encodePacked(solution)) == answerHash)`) when, once it holds, the
function pays the caller — ether to `msg.sender`, or a call handing `msg.sender` tokens — and
any caller can reach it.

Not reported: hashes that include `msg.sender`, or stored commitments looked up by
`msg.sender` (a commit–reveal bound to its sender: copying the reveal gains nothing); checks
whose outcome pays a fixed or caller-independent address."#,
    why: r#"Transactions are public before they are mined. A bot that sees the winning solution
submits the same call with a higher fee (or a validator reorders the block), and the contract
pays the copy: the solver does the work and the front-runner takes the reward. The same holds
for puzzles, bounties, quizzes and reveal phases that check a value against a stored hash
without binding it to the submitter. SWC-114 (transaction order dependence)."#,
    exploit: r#"```solidity
bytes32 constant HASH = 0xb5b5...;
function solve(string calldata solution) external {
    require(HASH == keccak256(abi.encodePacked(solution)));
    payable(msg.sender).transfer(1000 ether);
}
```
1. Alice finds the preimage and calls `solve("Ethereum!")`.
2. A bot sees the pending transaction, copies the argument and sends its own `solve` with a
   higher priority fee.
3. The bot's transaction is mined first and takes the 1000 ether; Alice's reverts."#,
    fix: r#"Bind the solution to its submitter with a commit–reveal scheme: first commit
`keccak256(abi.encode(msg.sender, solution, salt))`, then reveal after the commitment is mined,
checking the commitment stored for `msg.sender`:
```solidity
require(commits[msg.sender] == keccak256(abi.encode(msg.sender, solution, salt)));
require(block.number > commitBlock[msg.sender]);
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-114",
        "https://consensys.github.io/smart-contract-best-practices/attacks/frontrunning/",
    ],
};

pub struct FrontRunnableSolution;

impl Detector for FrontRunnableSolution {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        let taint = cx.ir.taint();
        for f in cx.ir.functions() {
            for (node, n) in f.cfg.nodes() {
                if matches!(n.kind, NodeKind::Entry | NodeKind::Exit) {
                    continue;
                }
                let Some(check) = tested(f, node)
                    .into_iter()
                    .find_map(|cond| hash_check(cx, f, cond))
                else {
                    continue;
                };
                let payment = f.calls().find(|&(p, call)| {
                    p != node && f.cfg.dominates(node, p) && pays_caller(cx, f, call)
                });
                let Some((p, call)) = payment else {
                    continue;
                };
                if access.open_entry(f.decl, node).is_none() {
                    continue;
                }
                let text = cx.snippet(f.file, check.span, 80);
                let pay = cx.snippet(f.file, call.span, 60);
                let message = format!(
                    "`{}` pays the caller (`{pay}`) once `{text}` holds, and the submitted value is \
public in the mempool: anyone can copy a correct submission and have theirs mined first; bind \
the solution to its sender with a commit–reveal scheme",
                    cx.qualified_name(f.decl)
                );
                let _ = taint;
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, n.span))
                        .related(
                            cx.location_in(f.decl, f.cfg.node(p).span),
                            "the reward paid to whoever is first",
                        )
                        .build(),
                );
            }
        }
    }
}

/// The equality in `cond` between a hash of caller data and a stored
/// value, when neither depends on the caller's identity.
fn hash_check<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    cond: &'p Expr,
) -> Option<&'p Expr> {
    let taint = cx.ir.taint();
    let mut parts = Vec::new();
    atoms(cond, &mut parts);
    parts.into_iter().find(|a| {
        let ExprKind::Binary {
            op: BinaryOp::Eq | BinaryOp::Ne,
            lhs,
            rhs,
        } = &unparen(a).kind
        else {
            return false;
        };
        let t = taint.expr(cx.ir, f.decl, a.id);
        if t.has(Source::MsgSender) || t.has(Source::TxOrigin) {
            return false;
        }
        (is_hash_of_input(cx, f, lhs) && is_stored(cx, f, rhs))
            || (is_hash_of_input(cx, f, rhs) && is_stored(cx, f, lhs))
    })
}

/// A hash built-in applied to something a parameter influences.
fn is_hash_of_input(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    let e = strip_conversions(cx, f.file, e);
    matches!(e.kind, ExprKind::Call { .. })
        && matches!(
            cx.model.call_kind(f.file, e.id),
            Some(CallKind::Builtin(
                Builtin::Keccak256 | Builtin::Sha3 | Builtin::Sha256 | Builtin::Ripemd160
            ))
        )
        && cx
            .ir
            .taint()
            .expr(cx.ir, f.decl, e.id)
            .has_any(&[Source::Param, Source::MsgData])
}

/// A state variable or constant (or an element of one).
fn is_stored(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    let e = strip_conversions(cx, f.file, e);
    root_state_var(cx, f.file, e).is_some()
        || decl_of(cx, f.file, e).is_some_and(|d| cx.model.decl(d).kind == DeclKind::StateVar)
}

/// Whether a call hands value to the caller: ether sent to `msg.sender`,
/// or an external call with `msg.sender` among its arguments.
fn pays_caller(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    call: &bulwark_ir::facts::CallSite,
) -> bool {
    let taint = cx.ir.taint();
    if call.kind.sends_eth() {
        return recipient(f, call)
            .is_some_and(|to| taint.expr(cx.ir, f.decl, to.id).has(Source::MsgSender));
    }
    if matches!(call.kind, CallSiteKind::External { .. }) {
        return call.args.iter().any(|&a| {
            let mut sender = false;
            if let Some(e) = f.expr(a) {
                walk_expr(e, &mut |x| {
                    sender |=
                        crate::analysis::expr::builtin_of(cx, f.file, x) == Some(Builtin::MsgSender)
                });
            }
            sender
        });
    }
    false
}
