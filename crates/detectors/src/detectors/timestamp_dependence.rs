//! `timestamp-dependence`: a condition whose outcome a few seconds of
//! timestamp drift can flip.
//!
//! Status: metadata, documentation and fixtures; the detection waits for
//! the semantic model and the IR.
//!
//! # Facts needed
//! - Taint from `block.timestamp`/`now` through locals and arithmetic into
//!   conditions (`require`, `assert`, `if`, loop conditions, returned
//!   booleans, ternaries).
//! - The condition's shape: equality/inequality (`==`, `!=`); reduction by
//!   `%` or `/` with a constant under 900 seconds; ordering comparison
//!   against `timestamp ± c` (or `stored_timestamp + c`) with a constant
//!   window `c` under 900 seconds.
//! - Constant evaluation of time literals and `constant` state variables
//!   (`30 seconds`, `ROUND_GAP`), so windows can be measured.
//! - Which conditions `weak-prng` reports (timestamp as randomness deciding
//!   a payout): those are skipped here so one statement yields one finding.

use bulwark_report::{Confidence, Severity};

use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "timestamp-dependence",
    title: "Timestamp-dependent condition",
    severity: Severity::Low,
    confidence: Confidence::Medium,
    swc: &["SWC-116"],
    applies_to: "all versions (`now` before 0.7.0)",
    summary: "A condition depends on `block.timestamp` at a resolution of seconds, which the \
producer of the block (or whoever chooses which block a transaction lands in) controls.",
    what: r#"Reports conditions on `block.timestamp` (or `now`) that a shift of a few seconds can
flip:
- exact comparisons with a chosen second (`block.timestamp == unlockAt`);
- values reduced by `%` or `/` with a divisor under 15 minutes (`block.timestamp % 60 < 5`);
- windows shorter than 15 minutes (`now > lastBid + 30 seconds`,
  `block.timestamp - lastPing < 60`).

Not reported: timestamps that are only stored or emitted; deadlines, vesting schedules and
lock-ups measured against stored values or windows of 15 minutes or more; coarse buckets
such as `block.timestamp / 1 days`; deadlines supplied by the caller to protect themselves.
A timestamp used as a source of randomness (`now % 15 == 0` deciding who is paid) is reported
once, by `weak-prng`, with SWC-116 added to its SWC ids."#,
    why: r#"On proof-of-work chains the miner picked the timestamp freely within about 15 seconds
of real time. On proof-of-stake Ethereum the timestamp is fixed per 12-second slot, but the
proposer decides which slot a transaction lands in (or whether to publish at all), and
sequencers of rollups and sidechains set timestamps with more latitude. Conditions at
one-second resolution are therefore decided by block producers, and exact equality with a
given second usually never holds, freezing the funds behind it."#,
    exploit: r#"```solidity
if (lastBidder != address(0) && now > lastBidAt + 30 seconds) {
    lastBidder.transfer(this.balance - msg.value);
}
```
1. A miner (or a proposer with a block-building partner) places a bid.
2. When others bid, it builds its own blocks with timestamps at the edge of the allowed drift
   or delays inclusion of competing bids until the 30-second window has passed.
3. Its bid becomes the last one when the window closes, and it collects the pot."#,
    fix: r#"Design time windows so that drift of a block or two does not matter (minutes to days,
not seconds), never compare timestamps for equality, and use block numbers or commit–reveal
rounds when ordering matters:
```solidity
require(block.timestamp >= unlockAt, "locked");   // instead of == unlockAt
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-116",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#block-timestamp",
    ],
};
