//! `blockhash-out-of-range`: `blockhash(n)` of a block whose hash the EVM
//! no longer (or not yet) knows, which is zero.
//!
//! # Facts used
//! - `blockhash(n)` / `block.blockhash(n)` calls and their argument.
//! - The argument's value: `block.number`, `block.number + k` or a local
//!   holding one (through reaching definitions): always zero.
//! - The argument's provenance ([`crate::analysis::provenance`]): a block
//!   number stored in state by an earlier transaction (a write of a
//!   `block.number`-derived value exists), or a parameter of an entry
//!   point. Then the hash is zero once 256 blocks have passed, unless a
//!   check bounds the age (a tested comparison mentioning both
//!   `block.number` and the stored number) or the result is compared with
//!   zero.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::{CallSiteKind, StorageRoot};
use bulwark_ir::taint::Source;
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, DeclId, DeclKind};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::access::Access;
use crate::analysis::expr::{builtin_of, mentions_builtin, strip_conversions};
use crate::analysis::provenance::{origins, Origin};
use crate::analysis::values::{definitions, depends_on, is_zero, tested_comparisons};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "blockhash-out-of-range",
    title: "blockhash of the current block or of a block that may be too old",
    severity: Severity::Medium,
    confidence: Confidence::High,
    swc: &["SWC-120"],
    applies_to: "all versions",
    summary: "`blockhash` returns zero for the current block and for blocks more than 256 \
blocks old, so a value derived from it is a known constant instead of the unpredictable \
hash the code expects.",
    what: r#"Reports `blockhash(n)` (and `block.blockhash(n)` before 0.5) when:
- `n` is `block.number` or `block.number + k`, directly or through a local: the hash of the
  current (or a future) block is not known yet and is always zero;
- `n` is a block number stored by an earlier transaction (a bet's or a commitment's block)
  or passed in by the caller, and nothing bounds its age: no check compares it with
  `block.number`, and the hash is not compared with zero. Once 256 blocks have passed the
  hash is zero, and whoever waits (or passes an old block) knows the outcome.

Not reported: `blockhash(block.number - k)` for a constant `k` between 1 and 256; stored
block numbers whose age is checked (`require(block.number - bet.block <= 256)`) or whose hash
is checked against zero; parameters of internal functions (their callers decide)."#,
    why: r#"The EVM keeps only the hashes of the 256 most recent blocks; `blockhash` of anything
else, including the block being built, is 0. Lotteries and games that settle a bet with the
hash of the bet's block (or of "the next block") become deterministic: a player whose bet
would lose waits 256 blocks, after which the "random" seed is zero and the outcome is known in
advance — or, for the current block, is fixed for everyone from the start."#,
    exploit: r#"```solidity
function settle(uint256 betId) external {
    Bet storage bet = bets[betId];
    uint256 roll = uint256(keccak256(abi.encode(blockhash(bet.blockNumber), betId))) % 6;
    if (roll == bet.guess) payable(bet.player).transfer(bet.amount * 6);
}
```
1. The attacker places bets and computes, off chain, `keccak256(abi.encode(bytes32(0), betId))
   % 6` for each.
2. They wait 256 blocks and call `settle` only for the bets whose zero-seeded roll wins: six
   times the stake, every time."#,
    fix: r#"Use a block strictly in the past and within the last 256 blocks, and reject bets that
were not settled in time:
```solidity
require(block.number > bet.blockNumber, "too early");
require(block.number - bet.blockNumber <= 256, "expired: refund only");
bytes32 seed = blockhash(bet.blockNumber);
```
For anything of value use a verifiable randomness source (Chainlink VRF, a commit-reveal
scheme with bonded participants) instead of block hashes."#,
    references: &[
        "https://swcregistry.io/docs/SWC-120",
        "https://docs.soliditylang.org/en/latest/units-and-global-variables.html#block-and-transaction-properties",
        "https://www.evm.codes/#40",
    ],
};

pub struct BlockhashOutOfRange;

impl Detector for BlockhashOutOfRange {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                if !matches!(
                    call.kind,
                    CallSiteKind::Builtin(Builtin::Blockhash | Builtin::BlockBlockhash)
                ) {
                    continue;
                }
                let Some(arg) = call.args.first().and_then(|&a| f.expr(a)) else {
                    continue;
                };
                let text = cx.snippet(f.file, call.span, 60);
                let name = cx.qualified_name(f.decl);
                if is_current_block(cx, f, node, arg, 0) {
                    let message = format!(
                        "`{name}` calls `{text}` on the current block: its hash is not known yet and \
`blockhash` returns zero, so the value is a constant"
                    );
                    out.push(
                        FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span))
                            .build(),
                    );
                    continue;
                }
                let Some(origin) = unbounded_origin(cx, &access, f, node, arg) else {
                    continue;
                };
                let arg_text = cx.snippet(f.file, arg.span, 40);
                let message = format!(
                    "`{name}` calls `{text}` where `{arg_text}` is {origin}, and nothing checks that \
it is within the last 256 blocks or that the hash is not zero: after 256 blocks `blockhash` \
returns zero and the outcome is known in advance"
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span))
                        .confidence(Confidence::Medium)
                        .build(),
                );
            }
        }
    }
}

/// Whether `e` is `block.number`, `block.number + k`, or a local that
/// only ever holds one of those at `node`.
fn is_current_block(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
) -> bool {
    let e = strip_conversions(cx, f.file, e);
    if builtin_of(cx, f.file, e) == Some(Builtin::BlockNumber) {
        return true;
    }
    match &e.kind {
        ExprKind::Binary {
            op: BinaryOp::Add,
            lhs,
            rhs,
        } => is_current_block(cx, f, node, lhs, depth) || is_current_block(cx, f, node, rhs, depth),
        ExprKind::Ident(_) if depth < 4 => {
            let Some(local) = crate::analysis::values::local_of(cx, f, e) else {
                return false;
            };
            let defs = definitions(f, node, local);
            !defs.is_empty()
                && defs
                    .into_iter()
                    .all(|(d, v)| is_current_block(cx, f, d, v, depth + 1))
        }
        _ => false,
    }
}

/// How the caller or an earlier transaction chose a block number whose
/// age nothing bounds, in words; `None` when the age is bounded, the
/// result is checked, or the number is not of that kind.
fn unbounded_origin(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    arg: &Expr,
) -> Option<String> {
    let mut found = origins(cx, f, node, unparen(arg));
    // A field read through a storage pointer (`bet.blockNumber` after
    // `Bet storage bet = bets[id]`) comes from the pointer's variable.
    for root in f.storage_roots_of_expr(cx.model, unparen(arg)) {
        if let StorageRoot::State(var) = root {
            found.push(Origin::State(var));
        }
    }
    let anchor: (DeclId, String) = found.iter().find_map(|o| match *o {
        Origin::State(var) if stores_block_number(cx, var) => Some((
            var,
            format!(
                "a block number stored in `{}` by an earlier transaction",
                cx.model.decl(var).name
            ),
        )),
        Origin::Param(i) if access.is_entry_point(f.decl) => {
            let param = *cx.model.function(f.decl)?.params.get(i)?;
            Some((
                param,
                format!(
                    "chosen by the caller (parameter `{}`)",
                    cx.model.decl(param).name
                ),
            ))
        }
        _ => None,
    })?;
    let (decl, words) = anchor;
    let comparisons = tested_comparisons(f);
    let age_checked = comparisons.iter().any(|&(n, atom)| {
        mentions_builtin(cx, f.file, atom, &[Builtin::BlockNumber])
            && depends_on(cx, f, n, atom, decl)
    });
    let hash_checked = comparisons.iter().any(|&(n, atom)| {
        let ExprKind::Binary {
            op: BinaryOp::Eq | BinaryOp::Ne,
            lhs,
            rhs,
        } = &unparen(atom).kind
        else {
            return false;
        };
        (is_zero(cx, f, lhs) && is_hash(cx, f, n, rhs, 0))
            || (is_zero(cx, f, rhs) && is_hash(cx, f, n, lhs, 0))
    });
    (!age_checked && !hash_checked && cx.model.decl(decl).kind != DeclKind::LocalVar)
        .then_some(words)
}

/// Whether `e` is (a conversion of) a `blockhash` result, directly or
/// through a local.
fn is_hash(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
) -> bool {
    let e = strip_conversions(cx, f.file, e);
    if let ExprKind::Call { .. } = e.kind {
        return f.node_of_expr(e.id).is_some_and(|n| {
            f.facts(n).calls.iter().any(|c| {
                c.expr == e.id
                    && matches!(
                        c.kind,
                        CallSiteKind::Builtin(Builtin::Blockhash | Builtin::BlockBlockhash)
                    )
            })
        });
    }
    if depth >= 4 {
        return false;
    }
    let Some(local) = crate::analysis::values::local_of(cx, f, e) else {
        return false;
    };
    let defs = definitions(f, node, local);
    !defs.is_empty()
        && defs
            .into_iter()
            .all(|(d, v)| is_hash(cx, f, d, v, depth + 1))
}

/// Whether some function stores a `block.number`-derived value into `var`.
fn stores_block_number(cx: &AnalysisContext<'_>, var: DeclId) -> bool {
    cx.ir
        .taint()
        .writes_of(var)
        .iter()
        .any(|w| w.taint.has(Source::BlockNumber))
}
