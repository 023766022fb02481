//! `tx-origin`: `tx.origin` used to decide who may do something.
//!
//! # Facts used
//! - Taint from `tx.origin` through locals, into conditions that guard
//!   state changes or value transfers (`require`/`assert`/`if` + revert,
//!   modifier bodies before `_`).
//! - The shape of the condition: a comparison with an address other than
//!   `msg.sender` (a state variable, an immutable, a constant) or a mapping
//!   lookup keyed by `tx.origin`. `tx.origin == msg.sender` is an EOA check.
//! - Boolean structure: the `tx.origin` clause must be sufficient on its
//!   own (a disjunct, or the only test); a conjunction with a `msg.sender`
//!   authorisation check cannot be satisfied by a phishing contract.

use bulwark_ir::cfg::NodeKind;
use bulwark_ir::taint::Source;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::Builtin;
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::conditions::{passing_clauses, tested};
use crate::analysis::expr::mentions_builtin;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "tx-origin",
    title: "Authorisation through tx.origin",
    severity: Severity::Medium,
    confidence: Confidence::High,
    swc: &["SWC-115"],
    applies_to: "all versions",
    summary: "An access check trusts `tx.origin`, the account that signed the transaction, \
so any contract that account interacts with can act with its privileges.",
    what: r#"Reports a condition that grants access based on `tx.origin`: a comparison of `tx.origin`
with a privileged address (`require(tx.origin == owner)`, `if (tx.origin != admin) revert`),
or a lookup keyed by it (`require(operators[tx.origin])`), when that clause alone is enough
to pass — including as one side of an `||`.

Not reported: `tx.origin == msg.sender` (a check that the caller is an externally owned
account, which grants nobody anything); a `tx.origin` clause `&&`-combined with a proper
`msg.sender` check; `tx.origin` that is only logged or stored."#,
    why: r#"`tx.origin` is the externally owned account that started the transaction, however many
contracts sit in between. If the owner of a wallet calls any malicious contract — claims an
airdrop, mints an NFT, approves a token on a phishing site — that contract can call the
wallet, and `tx.origin` is still the owner. The check passes and the attacker acts as the
owner."#,
    exploit: r#"```solidity
function withdraw(address to) external {
    require(tx.origin == owner);
    payable(to).transfer(address(this).balance);
}
```
1. The attacker deploys `FreeMint` whose `mint()` calls `wallet.withdraw(attacker)`.
2. The attacker persuades the wallet owner to call `FreeMint.mint()` (an airdrop, a game).
3. Inside that transaction `msg.sender` of `withdraw` is `FreeMint`, but `tx.origin` is the
   owner: the check passes and the whole balance goes to the attacker."#,
    fix: r#"Authorise with `msg.sender`, the immediate caller:
```solidity
require(msg.sender == owner, "not owner");
```
If the intent is to refuse calls from contracts, say so explicitly
(`require(msg.sender == tx.origin)`) and never combine that with granting rights."#,
    references: &[
        "https://swcregistry.io/docs/SWC-115",
        "https://docs.soliditylang.org/en/latest/security-considerations.html#tx-origin",
    ],
};

pub struct TxOrigin;

impl Detector for TxOrigin {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let taint = cx.ir.taint();
        for f in cx.ir.functions() {
            for (node, n) in f.cfg.nodes() {
                if matches!(n.kind, NodeKind::Entry | NodeKind::Exit) {
                    continue;
                }
                for cond in tested(f, node) {
                    let has_origin =
                        |e: &Expr| taint.expr(cx.ir, f.decl, e.id).has(Source::TxOrigin);
                    if !has_origin(cond) {
                        continue;
                    }
                    // An authorisation atom on tx.origin that can make the
                    // condition pass in a clause without a msg.sender check.
                    let sufficient = passing_clauses(f, node, cond).iter().any(|clause| {
                        let origin_auth = clause
                            .iter()
                            .any(|l| has_origin(l.atom) && !is_eoa_check(cx, f.file, l.atom));
                        let sender_auth = clause.iter().any(|l| {
                            !has_origin(l.atom)
                                && taint.expr(cx.ir, f.decl, l.atom.id).has(Source::MsgSender)
                        });
                        origin_auth && !sender_auth
                    });
                    if !sufficient {
                        continue;
                    }
                    let name = cx.qualified_name(f.decl);
                    let text = cx.snippet(f.file, cond.span, 80);
                    let message = format!(
                        "`{name}` decides who may proceed with `tx.origin` in `{text}`: any \
contract the authorised account calls can pass this check on its behalf; compare `msg.sender` instead"
                    );
                    out.push(
                        FindingBuilder::new(&META, message, cx.location_in(f.decl, n.span)).build(),
                    );
                    break;
                }
            }
        }
    }
}

/// `tx.origin == msg.sender` (either way round, `!=` too): a test that the
/// caller is an externally owned account, which grants nobody anything.
fn is_eoa_check(cx: &AnalysisContext<'_>, file: bulwark_sema::FileId, atom: &Expr) -> bool {
    match &atom.kind {
        ExprKind::Binary {
            op: BinaryOp::Eq | BinaryOp::Ne,
            lhs,
            rhs,
        } => {
            let origin = |e: &Expr| mentions_builtin(cx, file, e, &[Builtin::TxOrigin]);
            let sender = |e: &Expr| mentions_builtin(cx, file, e, &[Builtin::MsgSender]);
            (origin(lhs) && sender(rhs)) || (sender(lhs) && origin(rhs))
        }
        _ => false,
    }
}
