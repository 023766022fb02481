//! `reentrancy-no-eth`: state written after an external call that moves no
//! ether but still runs untrusted code.
//!
//! The analysis is shared with the other reentrancy detector, in
//! [`crate::analysis::reentrancy`].
//!
//! # Facts used
//! - Everything `reentrancy-eth` needs (late writes, guards by behaviour,
//!   cross-function readers).
//! - Call classification: high-level calls to other contracts and
//!   low-level calls without value; static calls (a `view`/`pure` callee
//!   compiled for 0.5.0 or later, `staticcall`) excluded because the callee
//!   cannot write state; internal and internal-library calls excluded
//!   because they run no foreign code. Before 0.5.0, calls to `constant`
//!   functions use CALL and are included.
//! - The effective compiler version of the source unit.
//! - Whether the function (or an internal callee) sends ether, so the
//!   finding goes to `reentrancy-eth` instead and is not reported twice.

use bulwark_report::{Confidence, Finding, Severity};

use crate::analysis::reentrancy;
use crate::detector::{AnalysisContext, Detector};
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "reentrancy-no-eth",
    title: "Reentrancy without ether transfer",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-107"],
    applies_to: "all versions",
    summary: "A call to another contract (a token, a hook, a callback) runs before the \
function has written back state it read, so the callee can re-enter and act on stale \
values, even though no ether moves.",
    what: r#"Reports an external call that can run foreign code — a high-level call to another
contract (token transfers, receiver hooks such as `onERC721Received`, user-registered
callbacks) or a low-level `call` without value — when a state variable the function read
before the call is written after it.

The primary location is the call; related locations are the late writes.

Not reported: state updated before the call; calls compiled to STATICCALL (a `view` or
`pure` callee from Solidity 0.5.0 on), which cannot change state; internal and internal
library calls; functions covered by a reentrancy guard recognised by behaviour (see
`reentrancy-eth`). Before 0.5.0 calls to `constant` functions use an ordinary CALL and
*are* reported. Writes that follow the call only in a later loop iteration are judged as
in `reentrancy-eth`. When the function sends ether the finding belongs to `reentrancy-eth`.

Reported as low: re-entry that only one stored owner account can make; calls to a contract
fixed at deployment or set only behind a sound access check, including token pulls into this
contract (`token.transferFrom(payer, address(this), v)` on an immutable token), where the
only foreign code is the payer's own ERC-777 `tokensToSend` hook, run while it pays."#,
    why: r#"Ether is not the only thing worth stealing twice. Reward claims, token withdrawals,
mint counters and "already processed" flags are all decisions made on state that the callee
can observe half-updated. Tokens with transfer hooks (ERC777, ERC721/ERC1155 safe transfers)
call into the recipient, so "it is only a token transfer" is not a defence: Lendf.Me lost
about 25 million dollars in April 2020 to re-entry through an ERC777 token's transfer hook."#,
    exploit: r#"```solidity
function claim() external {
    uint256 amount = earned[msg.sender];
    require(amount > 0);
    IClaimHook(hookOf[msg.sender]).onRewardClaimed(msg.sender, amount); // attacker code
    earned[msg.sender] = 0;
    rewardToken.transfer(msg.sender, amount);
}
```
1. The attacker registers a hook contract whose `onRewardClaimed` calls `claim()` again.
2. Inside the hook, `earned[attacker]` is still the full reward, so the nested `claim()`
   passes its check and pays out.
3. The recursion repeats as often as gas allows; each frame then clears the already-cleared
   balance and pays once more."#,
    fix: r#"Write state before calling out:
```solidity
function claim() external {
    uint256 amount = earned[msg.sender];
    require(amount > 0);
    earned[msg.sender] = 0;
    IClaimHook(hookOf[msg.sender]).onRewardClaimed(msg.sender, amount);
    require(rewardToken.transfer(msg.sender, amount));
}
```
Otherwise guard every function that touches the shared state with the same reentrancy
lock."#,
    references: &[
        "https://swcregistry.io/docs/SWC-107",
        "https://docs.soliditylang.org/en/latest/security-considerations.html#reentrancy",
        "https://eips.ethereum.org/EIPS/eip-777",
    ],
};

pub struct ReentrancyNoEth;

impl Detector for ReentrancyNoEth {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for r in cx.reentrancies() {
            if r.sends_eth {
                continue;
            }
            out.push(reentrancy::finding(cx, &META, r));
        }
    }
}
