//! `reentrancy-eth`: state written after an external call that sends ether
//! and lets the callee run code.
//!
//! The analysis is shared with the other reentrancy detector, in
//! [`crate::analysis::reentrancy`].
//!
//! # Facts used
//! - External call sites per function, including those inside internal
//!   callees and modifiers, classified as value-carrying or not, and as
//!   gas-limited (`transfer`, `send`: 2300 stipend) or not.
//! - Per call site: the state variables read on some path before the call
//!   and written on some path after it (storage read/write sets along CFG
//!   paths, including mapping/array elements at the granularity of the base
//!   variable).
//! - Reentrancy guards by behaviour: a storage slot `g` such that every path
//!   from the function entry to the call (1) passes a condition on `g` that
//!   reverts when `g` holds value `v`, and (2) then writes `v` to `g`. The
//!   same `g` must guard every externally callable function that reads the
//!   late-written variable, otherwise the guard does not cover the re-entry.
//! - Externally callable functions (public/external, fallback, receive) and
//!   which of them read the late-written variables in a way that decides
//!   something (a condition or an amount), to catch cross-function
//!   re-entry; a sibling that only adds to the variable (a deposit) does
//!   not observe it.
//! - Whether the call target is the contract itself (`this`) or code known
//!   not to re-enter; static calls (view/pure targets from 0.5 on) cannot.

use bulwark_report::{Confidence, Finding, Severity};

use crate::analysis::reentrancy;
use crate::detector::{AnalysisContext, Detector};
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "reentrancy-eth",
    title: "Reentrancy with ether transfer",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-107"],
    applies_to: "all versions",
    summary: "An external call that sends ether hands control to the recipient before \
the function has finished updating its state, so the recipient can call back in and act \
on stale values.",
    what: r#"Reports an external call that forwards enough gas to run code (`call`, `.call.value()()`,
`call{value: ...}`, a high-level call to another contract) in a function that sends ether,
when a state variable that the function read before the call (or that another externally
callable function relies on) is written after the call.

The primary location is the call; related locations are the state writes that come after it.

Not reported:
- the state is updated before the call (checks-effects-interactions);
- the call is `transfer` or `send`, whose 2300-gas stipend is too small to write storage;
- a reentrancy guard covers the function and every function that reads the late-written
  state. A guard is recognised by what it does, not by its name: a storage flag or counter
  that is checked on entry (reverting when it is "locked"), set to "locked" before the call
  and reset afterwards. A modifier called `nonReentrant` that checks one variable and sets
  another is not a guard.

- in a loop, writes that follow the call only in a later iteration, when every path of an
  iteration makes them before its own call and every read of the variable that reaches the
  call is inside the loop (`for (...) { paid[p] += a; p.call{value: a}(""); }`): each call
  sees its own iteration's update. A write after the call in the same iteration, after the
  loop, or from a value cached before the loop is still late.

Reported as low: re-entry that only one stored account behind a sound check (an owner, an
admin) can make, since the callee would have to be that account; calls to a callee fixed at
deployment or set only by such an account.

Calls that move no ether are reported by `reentrancy-no-eth` instead."#,
    why: r#"While the callee runs, the caller's storage still says the money has not left: the
balance has not been reduced, the refund has not been cleared, the bid has not been
replaced. Any function the callee calls back into sees those stale values and acts on them
again. This is how The DAO lost 3.6 million ether in 2016, and the pattern keeps recurring in
vaults, auctions and bridges."#,
    exploit: r#"```solidity
function withdraw() external {
    uint256 amount = balances[msg.sender];
    (bool ok, ) = msg.sender.call{value: amount}("");  // control passes to the caller
    require(ok);
    balances[msg.sender] = 0;                           // too late
}
```
1. The attacker deposits 1 ether from a contract whose `receive()` calls `withdraw()` again.
2. The attacker calls `withdraw()`; the vault sends 1 ether and the attacker's `receive()`
   runs before `balances[attacker]` is cleared.
3. The nested `withdraw()` reads the same balance of 1 ether and sends it again, and so on
   until the vault is empty or the gas runs out.
4. The innermost call returns; every frame sets the balance to 0, which no longer matters."#,
    fix: r#"Finish every state update before the external call (checks-effects-interactions):
```solidity
function withdraw() external {
    uint256 amount = balances[msg.sender];
    balances[msg.sender] = 0;
    (bool ok, ) = msg.sender.call{value: amount}("");
    require(ok);
}
```
When the update cannot come first, put a reentrancy guard (OpenZeppelin's
`ReentrancyGuard`, or a transient-storage lock on 0.8.24+) on this function *and* on every
function that reads the same state. Prefer pull payments, where each recipient withdraws
its own funds, to pushing ether to several parties in one call."#,
    references: &[
        "https://swcregistry.io/docs/SWC-107",
        "https://docs.soliditylang.org/en/latest/security-considerations.html#reentrancy",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#reentrancy-vulnerabilities",
    ],
};

pub struct ReentrancyEth;

impl Detector for ReentrancyEth {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for r in cx.reentrancies() {
            if !r.sends_eth {
                continue;
            }
            out.push(reentrancy::finding(cx, &META, r));
        }
    }
}
