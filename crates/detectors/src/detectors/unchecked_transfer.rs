//! `unchecked-transfer`: the `bool` an ERC20 `transfer`, `transferFrom` or
//! `approve` returns is dropped.
//!
//! # Facts used
//! - External calls resolved to a function with the ERC20 name and
//!   parameter types (`transfer(address,uint256)`,
//!   `transferFrom(address,address,uint256)`, `approve(address,uint256)`)
//!   declared to return one `bool` (an interface declaring no return, like
//!   USDT's, cannot be checked and is not reported).
//! - The IR's use of the call's result: discarded, or bound to a local
//!   that no condition, `return` or call reads.
//! - SafeERC20-style wrappers use low-level calls and check the returned
//!   data themselves; they never appear as a high-level call here.

use bulwark_ir::facts::{CallSiteKind, ResultUse};
use bulwark_report::{Confidence, Finding, Severity};

use crate::analysis::token_calls::{erc20_op, returns_bool};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unchecked-transfer",
    title: "Unchecked ERC20 transfer result",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-104"],
    applies_to: "all versions",
    summary: "An ERC20 `transfer`, `transferFrom` or `approve` returns `false` on failure for \
many tokens, and this code drops the result: it carries on as if the tokens had moved.",
    what: r#"Reports a call to `transfer(address,uint256)`, `transferFrom(address,address,uint256)` or
`approve(address,uint256)` on another contract, through an interface that declares the
`bool` result of the standard, when the result is discarded (the call is a statement) or
stored in a local that nothing reads.

Not reported: results used in `require`, `assert`, `if`, returned or passed on; calls
through SafeERC20-style wrappers (`safeTransfer`, `safeTransferFrom`, `forceApprove`),
which check the returned data themselves; calls through an interface that declares no
return value (USDT-style), whose result cannot be read."#,
    why: r#"The ERC20 standard lets a token signal failure by returning `false` instead of
reverting, and several widely held tokens do (ZRX, BAT and many older tokens return
`false` on an insufficient balance or allowance). Code that ignores the result credits a
deposit that never arrived, or marks a withdrawal as paid while the tokens stayed put.
The confidence is medium because most modern tokens revert instead: the bug depends on
which tokens the contract accepts."#,
    exploit: r#"```solidity
function deposit(uint256 amount) external {
    token.transferFrom(msg.sender, address(this), amount); // returns false, ignored
    balances[msg.sender] += amount;                        // credited anyway
}
```
1. The vault accepts a token that returns `false` when the allowance is too small.
2. The attacker calls `deposit(1_000_000e18)` without any allowance: `transferFrom` returns
   `false`, nothing moves, and the vault credits the full amount.
3. The attacker withdraws other users' real deposits against the fake balance."#,
    fix: r#"Use OpenZeppelin's `SafeERC20` (`safeTransfer`, `safeTransferFrom`, `forceApprove`),
which accepts both reverting and `bool`-returning tokens and tokens that return nothing:
```solidity
using SafeERC20 for IERC20;
token.safeTransferFrom(msg.sender, address(this), amount);
```
or at least `require(token.transfer(to, amount), "transfer failed");`."#,
    references: &[
        "https://swcregistry.io/docs/SWC-104",
        "https://eips.ethereum.org/EIPS/eip-20",
        "https://docs.openzeppelin.com/contracts/5.x/api/token/erc20#SafeERC20",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#unchecked-transfer",
    ],
};

pub struct UncheckedTransfer;

impl Detector for UncheckedTransfer {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (_, call) in f.calls() {
                let CallSiteKind::External {
                    function: Some(callee),
                    ..
                } = call.kind
                else {
                    continue;
                };
                let Some(op) = erc20_op(cx, callee) else {
                    continue;
                };
                if !returns_bool(cx, callee) {
                    continue;
                }
                let how = match &call.result {
                    ResultUse::Ignored => "discards the returned `bool`",
                    ResultUse::Assigned(_) if !call.checked => {
                        "stores the returned `bool` in a variable that is never checked"
                    }
                    _ => continue,
                };
                let text = cx.snippet(f.file, call.span, 70);
                let message = format!(
                    "`{}` calls `{text}` and {how}: a token that returns `false` instead of \
reverting leaves the `{}` undone while execution continues",
                    cx.qualified_name(f.decl),
                    op.name()
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span)).build(),
                );
            }
        }
    }
}
