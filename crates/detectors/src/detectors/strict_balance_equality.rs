//! `strict-balance-equality`: a condition requires the contract's own
//! balance to equal an exact value, which anyone can break by sending
//! ether (or tokens) the contract cannot refuse.
//!
//! # Facts used
//! - Conditions (`require`, `assert`, `if`, loop conditions) with an `==`
//!   or `!=` atom one side of which is the contract's own ether balance
//!   (`this.balance`, `address(this).balance`, also through locals) or its
//!   balance of a token (`token.balanceOf(address(this))`).

use bulwark_ir::cfg::NodeKind;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::conditions::{atoms, tested};
use crate::analysis::expr::is_this;
use crate::analysis::values::sources;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "strict-balance-equality",
    title: "Strict equality on the contract's balance",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-132"],
    applies_to: "all versions",
    summary: "A condition needs the contract's balance to equal an exact amount; anyone can send \
ether (by `selfdestruct`, or as a block reward recipient) or tokens to the contract and make the \
equality fail for good.",
    what: r#"Reports `==` and `!=` comparisons in conditions where one side is the contract's own
balance: `this.balance`, `address(this).balance` or `token.balanceOf(address(this))`, directly
or through a local variable.

Not reported: ordering comparisons (`address(this).balance >= target`), balances of other
accounts, and balances that are only stored or emitted."#,
    why: r#"A contract cannot refuse every incoming value: `selfdestruct(payable(target))` and
block rewards credit ether without running its code, and any token can be transferred to it.
Logic that waits for the balance to be exactly some amount (a game that pays out when the pot
reaches 10 ether, an invariant `assert(this.balance == totalDeposits)`) is then stuck or
reverts forever after a one-wei gift. SWC-132 (unexpected ether balance)."#,
    exploit: r#"```solidity
function play() external payable {
    require(msg.value == 1 ether);
    if (address(this).balance == 7 ether) payable(msg.sender).transfer(7 ether);
}
```
1. The attacker self-destructs a contract holding 0.5 ether onto the game.
2. The balance is now always a whole number of ether plus 0.5: it never equals 7 ether.
3. Nobody can ever win, and every deposit stays locked."#,
    fix: r#"Track deposits in a state variable and compare that, or use an ordering comparison:
```solidity
totalDeposits += msg.value;
if (totalDeposits >= 7 ether) { ... }
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-132",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#dangerous-strict-equalities",
    ],
};

pub struct StrictBalanceEquality;

impl Detector for StrictBalanceEquality {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (node, n) in f.cfg.nodes() {
                if matches!(n.kind, NodeKind::Entry | NodeKind::Exit) {
                    continue;
                }
                for cond in tested(f, node) {
                    let mut parts = Vec::new();
                    atoms(cond, &mut parts);
                    let hit = parts.into_iter().find(|a| {
                        let ExprKind::Binary {
                            op: BinaryOp::Eq | BinaryOp::Ne,
                            lhs,
                            rhs,
                        } = &unparen(a).kind
                        else {
                            return false;
                        };
                        [lhs, rhs].into_iter().any(|side| {
                            sources(cx, f, node, side)
                                .into_iter()
                                .any(|(_, v)| is_own_balance(cx, f, v))
                        })
                    });
                    let Some(atom) = hit else {
                        continue;
                    };
                    let text = cx.snippet(f.file, atom.span, 80);
                    let message = format!(
                        "`{}` requires the contract's balance to match exactly (`{text}`): anyone can \
send it ether or tokens it cannot refuse and make this comparison fail forever; compare with \
`>=`/`<=` or track deposits in a variable",
                        cx.qualified_name(f.decl)
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

/// `this.balance`, `address(this).balance`, `t.balanceOf(address(this))`.
fn is_own_balance(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    crate::analysis::expr::is_own_balance(cx, f.file, e, |a| {
        let mut this = false;
        walk_expr(a, &mut |x| this |= is_this(cx, f.file, x));
        this
    })
}
