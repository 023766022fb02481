//! `arbitrary-send-erc20-permit`: `permit(from, ...)` then
//! `transferFrom(from, ...)` with `from` chosen by the caller.
//!
//! # Facts used
//! - Everything `arbitrary-send-erc20` uses
//!   ([`crate::analysis::arbitrary_from`]), plus a `permit`/`safePermit`
//!   call on a path before the pull whose owner argument is made of the
//!   same declarations as `from`.

use bulwark_report::{Confidence, Finding, Severity};

use crate::analysis::arbitrary_from::arbitrary_pulls;
use crate::detector::{AnalysisContext, Detector};
use crate::detectors::arbitrary_send_erc20::finding;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "arbitrary-send-erc20-permit",
    title: "transferFrom from an arbitrary account after permit",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-105"],
    applies_to: "all versions",
    summary: "The function calls `permit` for an account its caller names and then pulls \
that account's tokens: safe only for tokens whose `permit` really verifies a signature, and \
a drain for tokens that accept any call without reverting.",
    what: r#"Reports a `transferFrom`/`safeTransferFrom` whose `from` account is chosen by the caller
(as in `arbitrary-send-erc20`), preceded by `permit(from, ...)` or
`SafeERC20.safePermit(token, from, ...)` for the same account, with nothing else tying
`from` to `msg.sender`.

The signature check then rests entirely on the token. It holds for ERC-2612 tokens, but a
token without `permit` whose fallback accepts the call (WETH9 is the best-known example)
returns successfully without checking anything, and the pull then spends whatever allowance
`from` gave this contract. Pulls without a `permit` are reported by `arbitrary-send-erc20`."#,
    why: r#"Contracts that support "permit and deposit" in one transaction often accept any token
the caller names, or list tokens such as WETH whose fallback silently accepts `permit`.
Multichain's router lost about three million dollars in January 2022 exactly this way:
`anySwapOutUnderlyingWithPermit` called `permit` on WETH (a no-op) and then
`transferFrom(from, ...)` for victims who had approved the router."#,
    exploit: r#"```solidity
function depositWithPermit(address from, uint256 amount, uint256 deadline,
                           uint8 v, bytes32 r, bytes32 s) external {
    IERC20Permit(token).permit(from, address(this), amount, deadline, v, r, s);
    IERC20(token).transferFrom(from, address(this), amount);
    balances[msg.sender] += amount;
}
```
1. `token` is WETH, which has no `permit` but a payable fallback: the `permit` call succeeds
   without verifying anything.
2. The attacker calls `depositWithPermit(victim, victimAllowance, 0, 0, 0, 0)` with garbage
   signature values; the contract pulls the victim's WETH and credits the attacker."#,
    fix: r#"Credit the account that signed, not the caller, and pull only from `msg.sender` when
there is no verified signature:
```solidity
IERC20Permit(token).permit(from, address(this), amount, deadline, v, r, s);
IERC20(token).safeTransferFrom(from, address(this), amount);
balances[from] += amount;    // the signer gets the deposit
```
and do not accept tokens without a real ERC-2612 `permit`."#,
    references: &[
        "https://eips.ethereum.org/EIPS/eip-2612",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#arbitrary-from-in-transferfrom-used-with-permit",
        "https://media.dedaub.com/phantom-functions-and-the-billion-dollar-no-op-c56f062ae49f",
    ],
};

pub struct ArbitrarySendErc20Permit;

impl Detector for ArbitrarySendErc20Permit {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for pull in arbitrary_pulls(cx) {
            if pull.permit.is_none() {
                continue;
            }
            out.push(finding(
                cx,
                &META,
                &pull,
                ", unless the token's `permit` verifies a signature from that account (a token \
whose fallback accepts the call, like WETH, does not)",
            ));
        }
    }
}
