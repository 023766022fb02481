//! `locked-ether`: a contract accepts ether and has no way to send it out.
//!
//! Status: metadata, documentation and fixtures; the detection waits for
//! the semantic model and the IR.
//!
//! # Facts needed
//! - Per deployable contract (not interfaces, not abstract contracts,
//!   not libraries): the linearised set of functions, including inherited
//!   ones, and which are payable (payable functions, `receive`, a payable
//!   `fallback`, the unnamed `function () payable` before 0.6.0).
//! - Whether any function in the linearisation contains an ether exit:
//!   `transfer`, `send`, `call` with value (all syntaxes), `selfdestruct`
//!   / `suicide`, `delegatecall`/`callcode` (the delegate can send), or
//!   inline assembly `call`/`create`/`create2`/`selfdestruct` with
//!   non-zero value. Reachability of the exit is not required (a protected
//!   withdraw counts).
//! - The primary location is the contract declaration; the related
//!   locations are the payable entry points.

use bulwark_report::{Confidence, Severity};

use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "locked-ether",
    title: "Ether locked in contract",
    severity: Severity::Medium,
    confidence: Confidence::High,
    swc: &[],
    applies_to: "all versions",
    summary: "The contract can receive ether through a payable function, `receive` or a payable \
fallback, but contains no code that can ever send ether out: every wei paid in is lost.",
    what: r#"Reports a deployable contract that has at least one payable entry point (own or
inherited) and no way for ether to leave: no `transfer`, `send`, value-carrying `call`,
`selfdestruct`/`suicide`, `delegatecall`/`callcode` (the delegated code could send ether),
or value-moving inline assembly, anywhere in its inheritance chain.

The primary location is the contract's declaration; related locations are its payable
entry points. Interfaces, abstract contracts and libraries are not reported. There is no
SWC entry for this weakness: SWC-132 (unexpected ether balance) is about contracts that
assume an exact balance, not about ether that cannot leave."#,
    why: r#"Contracts cannot be patched after deployment. If the only way out for ether was
forgotten — a refund that clears the record but never pays, a membership fee with a token
sweep but no ether withdrawal, a base contract that was meant to provide `withdraw` — the
funds are locked for good. Nobody steals them; everybody loses them."#,
    exploit: r#"```solidity
contract Crowdfund {
    mapping(address => uint256) public contributions;
    function contribute() external payable { contributions[msg.sender] += msg.value; }
    function refund() external {
        contributions[msg.sender] = 0;      // forgot to send the money back
    }
}
```
Backers contribute 500 ether. The campaign fails and each backer calls `refund()`: the
records are cleared, the 500 ether stay in the contract, and no function can ever move
them."#,
    fix: r#"Add (and test) a withdrawal path for every payable entry point, or remove `payable`
where no ether is expected:
```solidity
function refund() external {
    uint256 amount = contributions[msg.sender];
    contributions[msg.sender] = 0;
    (bool ok, ) = msg.sender.call{value: amount}("");
    require(ok, "refund failed");
}
```"#,
    references: &[
        "https://github.com/crytic/slither/wiki/Detector-Documentation#contracts-that-lock-ether",
        "https://swcregistry.io/docs/SWC-132",
    ],
};
