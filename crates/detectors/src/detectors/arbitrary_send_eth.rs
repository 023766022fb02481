//! `arbitrary-send-eth`: ether sent to an address the caller chooses, from
//! a function any caller can run.
//!
//! Status: metadata, documentation and fixtures; the detection waits for
//! the semantic model and the IR.
//!
//! # Facts needed
//! - Value-carrying transfers: `transfer`, `send`, `call` with value
//!   (all syntaxes), `selfdestruct` is left to its own detector.
//! - Taint of the destination: from parameters, `msg.data`, or a storage
//!   variable written by some unprotected function from caller input
//!   (inter-procedural, through storage). `msg.sender`, `tx.origin`,
//!   constants, immutables and storage written only by the constructor or
//!   by protected functions are not caller-chosen.
//! - Access control on the sending path (same notion as
//!   `unprotected-selfdestruct`).
//! - Binding conditions: a dominating `require(dest == x)` with `x` not
//!   caller-chosen makes the destination fixed.
//! - Provenance of the amount: sent value equal to a per-caller ledger
//!   entry (`m[msg.sender]`) that the function reduces or clears before or
//!   after the transfer, or derived from `msg.value` of the same call, is
//!   the caller's own money.

use bulwark_report::{Confidence, Severity};

use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "arbitrary-send-eth",
    title: "Ether sent to an arbitrary address",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-105"],
    applies_to: "all versions",
    summary: "A function that anyone can call sends the contract's ether to an address the \
caller chooses, so anyone can withdraw funds that are not theirs.",
    what: r#"Reports `transfer`, `send` and value-carrying `call`s in functions with no access check
on `msg.sender`, when the destination is chosen by the caller: a parameter, or a storage
variable that some unprotected function lets any caller set.

Not reported: payments to `msg.sender`; destinations that are constants, immutables, or
storage only the deployer or an authorised role can set; destinations that a dominating
`require` binds to such a value (`require(winner == champion)`); and payments of the
caller's own money — an amount taken from the caller's ledger entry that the function
debits (a "withdraw to" function), or a refund out of the caller's own `msg.value`. Sending
an arbitrary *amount* to the caller is an access-control problem of its own and is not in
this detector's scope."#,
    why: r#"A function that pays out to a caller-supplied address is a withdrawal for anyone who
finds it. The usual causes are a forgotten `onlyOwner` on a payout or rescue function, a
check that validates the arguments instead of the caller, or a beneficiary setter left
open so that a correctly restricted payout goes to whoever set it last."#,
    exploit: r#"```solidity
function setBeneficiary(address payable next) external { beneficiary = next; }
function release() external { beneficiary.transfer(address(this).balance); }
```
1. The attacker calls `setBeneficiary(attacker)`.
2. The attacker calls `release()`; the treasury's whole balance goes to the attacker.
Both calls can sit in one transaction from an attacker contract, so nobody can react in
between."#,
    fix: r#"Restrict who can pay out, or who can set the destination, to an authority fixed at
deployment; or pay only the caller, out of a balance the contract owes them:
```solidity
function setBeneficiary(address payable next) external onlyOwner { beneficiary = next; }
```
For user withdrawals, debit the caller's own balance before sending it."#,
    references: &[
        "https://swcregistry.io/docs/SWC-105",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#functions-that-send-ether-to-arbitrary-destinations",
    ],
};
