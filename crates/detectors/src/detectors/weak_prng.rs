//! `weak-prng`: block values used as randomness that decides a payout or a
//! winner.
//!
//! The analysis lives in [`crate::analysis::randomness`], shared with
//! `timestamp-dependence`.
//!
//! # Facts used
//! - Sources: `block.timestamp`/`now`, `block.number`,
//!   `block.difficulty`/`block.prevrandao`, `block.coinbase`,
//!   `block.gaslimit`, `blockhash(...)`/`block.blockhash(...)`, and
//!   `keccak256`/`sha3`/`sha256` of any of them.
//! - Taint propagation through locals, arithmetic, hashing, internal calls
//!   and storage (a seed stored in one transaction and used in another is
//!   still public in between).
//! - Sinks that decide an outcome: a `%` reduction or comparison whose
//!   result selects an array index, a branch that transfers value, or a
//!   write of a winner/prize variable. The primary location is the first
//!   statement on the path where the tainted value is reduced to the
//!   outcome (the modulo, the comparison, the index).
//! - Which source reached the sink: a timestamp source adds SWC-116 to the
//!   finding (benchmarks label such code "time manipulation").
//! - Values not tainted: oracle randomness delivered by a callback whose
//!   caller is checked, and identifiers that only need to be distinct.

use bulwark_ir::taint::Source;
use bulwark_report::{Confidence, Finding, Severity};

use crate::analysis::randomness;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "weak-prng",
    title: "Weak randomness from block values",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-120"],
    applies_to: "all versions (`block.prevrandao` from 0.8.18, `block.difficulty` before)",
    summary: "A winner, a payout or a game outcome is computed from block values that every \
other contract in the same block can read and that block producers can influence.",
    what: r#"Reports the statement where a value derived from block data — `block.timestamp`
(`now`), `block.number`, `block.difficulty`/`block.prevrandao`, `block.coinbase`,
`block.gaslimit` or `blockhash(...)`, directly or hashed — is reduced to an outcome that
decides who is paid or who wins: a modulo that picks an index, a comparison with a guess, a
condition guarding a transfer or a winner assignment. Flows through local variables,
internal helpers and storage are followed, so a seed stored in one transaction and used in
another is still reported where it decides the outcome.

A function that returns a number computed from `blockhash`, `prevrandao`/`difficulty`,
`coinbase` or a hash of block values (a "random" helper) is reported at its `return`. Related
locations name where the block values come from: the reads of block built-ins, the
statements defining the locals that carry them, and the state writes (or initialisers) that
stored them, in this or another function.

When the block value is the timestamp, the finding also carries SWC-116 and
`timestamp-dependence` stays silent on the same statement.

Not reported: block values used as identifiers or nonces that decide nothing, schedules and
deadlines (see `timestamp-dependence`), and randomness delivered by an oracle callback that
checks its caller."#,
    why: r#"Block values are the same for every transaction in a block and known before a
transaction's outcome is fixed. An attacker's contract can compute the "random" result in
the same transaction and only play when it wins, at no risk. Block producers can also
choose to publish or withhold a block, and before the merge could nudge the timestamp.
`blockhash` of the current block is always zero, of the previous one is public, and of
blocks older than 256 is zero again. `prevrandao` is fixed by the previous slot and biasable
by the proposer (EIP-4399)."#,
    exploit: r#"```solidity
function flip(bool guessOdd) external payable {
    bool odd = uint256(blockhash(block.number - 1)) % 2 == 1;
    if (odd == guessOdd) payable(msg.sender).transfer(msg.value * 2);
}
```
1. The attacker deploys a contract whose `play()` computes
   `uint256(blockhash(block.number - 1)) % 2 == 1` itself.
2. `play()` calls `flip` with that exact value as the guess, in the same transaction and so
   the same block.
3. Every call wins; the attacker repeats until the game's balance is gone."#,
    fix: r#"Take randomness from a source that is not known when the bet is placed: a verifiable
random function oracle (for example Chainlink VRF), or a commit–reveal scheme in which
players commit to secrets first and the outcome depends on secrets revealed later (with a
penalty for not revealing). If block data is unavoidable, use the `prevrandao` of a block
chosen *after* the bet is locked and enforce the 256-block window."#,
    references: &[
        "https://swcregistry.io/docs/SWC-120",
        "https://eips.ethereum.org/EIPS/eip-4399",
        "https://docs.soliditylang.org/en/latest/units-and-global-variables.html#block-and-transaction-properties",
    ],
};

pub struct WeakPrng;

impl Detector for WeakPrng {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for o in randomness::outcomes(cx) {
            let Some(f) = cx.ir.function_ir(o.function) else {
                continue;
            };
            let sources: Vec<&str> = [
                (Source::Timestamp, "block.timestamp"),
                (Source::BlockNumber, "block.number"),
                (Source::Prevrandao, "block.prevrandao/difficulty"),
                (Source::Blockhash, "blockhash"),
                (Source::Coinbase, "block.coinbase"),
            ]
            .into_iter()
            .filter(|&(s, _)| o.taint.has(s))
            .map(|(_, name)| name)
            .collect();
            let text = cx.snippet(f.file, o.reduction.span, 70);
            let message = format!(
                "`{}` decides an outcome with `{text}`, which is computed from {}: anyone can compute the \
same value in the same block and only play when they win, and block producers can influence it",
                cx.qualified_name(o.function),
                sources.join(", ")
            );
            let mut finding = FindingBuilder::new(
                &META,
                message,
                cx.location_in(o.function, f.cfg.node(o.node).span),
            );
            if o.taint.has(Source::Timestamp) {
                finding = finding.extra_swc("SWC-116");
            }
            if o.returned {
                let d = cx.model.decl(o.function);
                finding = finding.related(
                    cx.location_in(o.function, d.name_span),
                    "function returning a block-derived number",
                );
            }
            for &(owner, span) in &o.sources {
                let location = match cx.model.decl(owner).kind {
                    bulwark_sema::DeclKind::StateVar => {
                        let d = cx.model.decl(owner);
                        match cx.model.enclosing_contract(owner) {
                            Some(c) => cx.location_in_contract(c, d.file, span),
                            None => cx.location(d.file, span),
                        }
                    }
                    _ => cx.location_in(owner, span),
                };
                finding = finding.related(location, "block value read or stored here");
            }
            out.push(finding.build());
        }
    }
}
