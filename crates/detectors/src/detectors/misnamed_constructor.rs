//! `misnamed-constructor`: a function meant as the constructor is an
//! ordinary public function (before 0.5.0).
//!
//! Status: metadata, documentation and fixtures; the detection waits for
//! the semantic model and the IR.
//!
//! # Facts needed
//! - The effective compiler version (old-style constructors exist before
//!   0.5.0; the `constructor` keyword from 0.4.22).
//! - Per contract: its name, whether it declares a constructor (keyword or
//!   exact-name function), and its functions with visibility.
//! - Candidates: a public/external function named `constructor` (declared
//!   with the `function` keyword, 0.4.22+), or whose name equals the
//!   contract's name ignoring case but not exactly; with lower confidence,
//!   a CapWords-named public function in a contract without a constructor
//!   that nothing calls internally.
//! - What the candidate writes: state variables that access checks read
//!   (`require(msg.sender == owner)` elsewhere) assigned from `msg.sender`
//!   or arguments — this is what makes the heuristic candidate a
//!   constructor in disguise rather than a CapWords business function.

use bulwark_report::{Confidence, Severity};

use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "misnamed-constructor",
    title: "Misnamed constructor",
    severity: Severity::High,
    confidence: Confidence::High,
    swc: &["SWC-118"],
    applies_to: "before 0.5.0 (old-style constructors); `function constructor()` from 0.4.22",
    summary: "A function intended to run once at deployment is an ordinary public function, \
because its name does not exactly match the contract's, so anyone can call it later and \
re-initialise the contract, usually making themselves its owner.",
    what: r#"Before 0.4.22 a constructor is the function named exactly like its contract; until 0.5.0
that form is still accepted. This detector reports, in contracts without a real constructor:
- a function whose name equals the contract's name except for letter case
  (`function charityWallet()` in `contract CharityWallet`);
- `function constructor()` written with the `function` keyword (0.4.22 to 0.4.26), which
  declares a public function called "constructor";
- with medium confidence, a public function with a CapWords name, not called from the
  contract, that initialises the state access checks rely on (it assigns `msg.sender` to the
  owner variable) — the trace a contract renamed after its constructor leaves behind.

Not reported: exact-name legacy constructors, `constructor(...)` declarations, contracts
that already declare a constructor, and CapWords functions that initialise no
access-control state."#,
    why: r#"A misnamed constructor is never executed at deployment, so the owner stays unset, and it
remains callable by anyone afterwards. The first caller becomes the owner and can use every
owner-only function: withdraw the funds, change fees, self-destruct. The Rubixi pyramid
scheme was renamed from `DynamicPyramid` without renaming its constructor, and anyone could
call `DynamicPyramid()` to become the creator and collect the fees."#,
    exploit: r#"```solidity
contract CharityWallet {
    address public owner;
    function charityWallet() public { owner = msg.sender; }   // not the constructor
    function withdraw() public { require(msg.sender == owner); owner.transfer(this.balance); }
}
```
1. The wallet is deployed; `owner` stays zero because `charityWallet` never ran.
2. Donations accumulate.
3. The attacker calls `charityWallet()`, becomes the owner, and calls `withdraw()`."#,
    fix: r#"Use the `constructor` keyword (available from 0.4.22) and, better, a compiler of 0.5.0
or later, which rejects the old form:
```solidity
constructor() public { owner = msg.sender; }
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-118",
        "https://github.com/ethereum/solidity/releases/tag/v0.4.22",
        "https://docs.soliditylang.org/en/latest/050-breaking-changes.html",
    ],
};
