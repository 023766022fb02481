//! `integer-overflow`: wrapping arithmetic on attacker-chosen values with
//! no bound and no check.
//!
//! Status: metadata, documentation and fixtures; the detection waits for
//! the semantic model and the IR.
//!
//! # Facts needed
//! - The effective compiler version of each source unit (checked
//!   arithmetic from 0.8.0) and `unchecked { ... }` regions.
//! - Integer types of operands (signed/unsigned, width) to know which
//!   operations can wrap; `+ - *` and their compound forms, `++`/`--`,
//!   and exponentiation; division and modulo cannot overflow (except
//!   `type(int).min / -1`).
//! - Taint: an operand is attacker-chosen when it derives from a function
//!   parameter, `msg.data`, array lengths of caller-supplied arrays, or an
//!   external call's return value. `msg.value` and ether balances are
//!   bounded by the ether supply and do not count; storage values alone do
//!   not count.
//! - Bounds: a dominating condition that bounds an attacker-chosen operand
//!   from above (`x <= c`, `x < y`, `y >= x`, including loop conditions),
//!   or a check of the result against an operand right after the operation
//!   (`c >= a`, `c / a == b`), or the overflow idiom inside a condition
//!   (`a + b >= a`). A comparison involving the wrapped result itself
//!   (`msg.value == q * price`) is not a bound on `q`.
//! - Constant folding, so arithmetic on literals and constants is skipped.
//! - One finding per statement, even with several risky operators.

use bulwark_report::{Confidence, Severity};

use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "integer-overflow",
    title: "Integer overflow or underflow",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-101"],
    applies_to: "before 0.8.0, and `unchecked` blocks from 0.8.0 on",
    summary: "Arithmetic on a value the caller chooses can wrap around silently, because the \
code is compiled without overflow checks (before 0.8.0) or sits in an `unchecked` block, and \
nothing bounds the value first.",
    what: r#"Reports a statement containing `+`, `-`, `*` (or `+=`, `-=`, `*=`, `++`, `--`, `**`) that
can wrap — compiled with Solidity before 0.8.0, or inside `unchecked { }` — when an operand
is chosen by the caller (a parameter, call data, the length of a caller-supplied array, the
result of an external call) and nothing bounds it.

Bounded, and not reported: an operand limited by an earlier condition
(`require(balance >= amount)` before `balance - amount`, `require(q <= CAP)`, a loop
condition `i < n` for `i++`); a result checked against an operand afterwards (SafeMath's
`c >= a` and `c / a == b`); the overflow test itself (`require(a + b >= a)`); values derived
from `msg.value`, which the ether supply keeps far from 2**256; arithmetic on constants.
Calls to SafeMath-style libraries contain no raw arithmetic on the caller's side and are
therefore silent. One finding is reported per statement."#,
    why: r#"Before 0.8.0, `uint256` arithmetic wraps modulo 2**256 without any error: `0 - 1` is
`2**256 - 1` and a large product becomes a small number. Wrapped balances mint tokens from
nothing, wrapped totals pass balance checks, and wrapped lock times unlock early. In April
2018 the BeautyChain (BEC) token's `batchTransfer` computed `cnt * _value` without a check;
an attacker passed two recipients and `_value = 2**255`, the product wrapped to zero, and
each recipient was credited 2**255 base units; exchanges suspended trading
(CVE-2018-10299)."#,
    exploit: r#"```solidity
function airdrop(address[] recipients, uint256 each) public {
    uint256 total = recipients.length * each;   // wraps
    require(balanceOf[msg.sender] >= total);
    balanceOf[msg.sender] -= total;
    for (uint256 i = 0; i < recipients.length; i++) balanceOf[recipients[i]] += each;
}
```
1. The attacker calls `airdrop([a, b], 2**255)`.
2. `2 * 2**255` wraps to 0, so the balance check passes with a balance of 0.
3. Each recipient is credited 2**255 tokens; the supply is now meaningless."#,
    fix: r#"Compile with Solidity 0.8 or later and keep `unchecked` for arithmetic whose bound is
proven on the line before. On older compilers, use a SafeMath library for every operation
on caller-influenced values, or bound the inputs explicitly:
```solidity
require(each <= balanceOf[msg.sender] / recipients.length, "too much");
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-101",
        "https://docs.soliditylang.org/en/latest/control-structures.html#checked-or-unchecked-arithmetic",
        "https://nvd.nist.gov/vuln/detail/CVE-2018-10299",
    ],
};
