//! `tx-origin`: `tx.origin` used to decide who may do something.
//!
//! Status: metadata, documentation and fixtures; the detection waits for
//! the semantic model and the IR.
//!
//! # Facts needed
//! - Taint from `tx.origin` through locals, into conditions that guard
//!   state changes or value transfers (`require`/`assert`/`if` + revert,
//!   modifier bodies before `_`).
//! - The shape of the condition: a comparison with an address other than
//!   `msg.sender` (a state variable, an immutable, a constant) or a mapping
//!   lookup keyed by `tx.origin`. `tx.origin == msg.sender` is an EOA check.
//! - Boolean structure: the `tx.origin` clause must be sufficient on its
//!   own (a disjunct, or the only test); a conjunction with a `msg.sender`
//!   authorisation check cannot be satisfied by a phishing contract.

use bulwark_report::{Confidence, Severity};

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
