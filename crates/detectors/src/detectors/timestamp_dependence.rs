//! `timestamp-dependence`: a condition whose outcome a few seconds of
//! timestamp drift can flip.
//!
//! # Facts used
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

use std::collections::HashSet;

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::taint::Source;
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, CallKind, DeclId, DeclKind, Res};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};
use bulwark_syntax::Span;

use crate::analysis::conditions::{atoms, tested};
use crate::analysis::constant::const_value;
use crate::analysis::randomness;
use crate::analysis::values::definitions;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
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

/// Windows and buckets of at least this many seconds tolerate the drift
/// block producers control.
const SAFE_WINDOW_SECONDS: f64 = 900.0;

pub struct TimestampDependence;

impl Detector for TimestampDependence {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let randomness: HashSet<_> = randomness::outcomes(cx)
            .into_iter()
            .filter(|o| o.taint.has(Source::Timestamp))
            .map(|o| (o.function, o.node))
            .collect();
        let taint = cx.ir.taint();
        for f in cx.ir.functions() {
            for (node, n) in f.cfg.nodes() {
                if randomness.contains(&(f.decl, node)) {
                    continue;
                }
                let mut conditions = tested(f, node);
                if let NodeKind::Return(Some(e)) = n.kind {
                    conditions.push(e);
                }
                let mut reported = false;
                for cond in conditions {
                    if reported || !taint.expr(cx.ir, f.decl, cond.id).has(Source::Timestamp) {
                        continue;
                    }
                    let mut list = Vec::new();
                    atoms(cond, &mut list);
                    for atom in list {
                        let Some(why) = fragile(cx, f, node, atom) else {
                            continue;
                        };
                        let text = cx.snippet(f.file, atom.span, 70);
                        let message = format!(
                            "`{}` tests `{text}`, {why}: the block producer chooses the timestamp within \
seconds and so decides this condition",
                            cx.qualified_name(f.decl)
                        );
                        let mut finding =
                            FindingBuilder::new(&META, message, cx.location_in(f.decl, n.span));
                        for (writer, span) in stored_timestamps(cx, f, atom) {
                            finding = finding
                                .related(cx.location_in(writer, span), "timestamp stored here");
                        }
                        out.push(finding.build());
                        reported = true;
                        break;
                    }
                }
            }
        }
    }
}

/// How the timestamp reaches an expression, from least to most fragile.
/// Compared through [`Clock::rank`]: a release build compared the derived
/// ordering of this enum wrongly (`Fine < Cyclic` held), so the order is
/// spelled out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Clock {
    /// Not at all (or only stored timestamps).
    None,
    /// Only through a hash: randomness, `weak-prng`'s business.
    Hashed,
    /// Only through a coarse bucket (`/ 1 days`).
    Coarse,
    /// Reduced modulo a short period (`% 60`): fine and cyclic.
    Cyclic,
    /// The live timestamp at one-second resolution.
    Fine,
}

impl Clock {
    fn rank(self) -> u8 {
        match self {
            Clock::None => 0,
            Clock::Hashed => 1,
            Clock::Coarse => 2,
            Clock::Cyclic => 3,
            Clock::Fine => 4,
        }
    }

    /// The more fragile of the two.
    fn worst(self, other: Clock) -> Clock {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

/// Why the comparison `atom` is decided by seconds of drift, if it is.
fn fragile(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    atom: &Expr,
) -> Option<String> {
    let ExprKind::Binary { op, lhs, rhs } = &unparen(atom).kind else {
        return None;
    };
    let clock = clock(cx, f, node, lhs, 0).worst(clock(cx, f, node, rhs, 0));
    if clock.rank() < Clock::Cyclic.rank() {
        return None;
    }
    match op {
        BinaryOp::Eq | BinaryOp::Ne => Some("an exact comparison with a timestamp".to_string()),
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            if clock == Clock::Cyclic {
                return Some("a timestamp reduced to a period under 15 minutes".to_string());
            }
            let window = [lhs, rhs]
                .into_iter()
                .flat_map(|side| additive_constants(cx, f, side))
                .filter(|&c| c > 0.0 && c < SAFE_WINDOW_SECONDS)
                .reduce(f64::min)?;
            Some(format!("a time window of {window} seconds"))
        }
        _ => None,
    }
}

/// Constants that are a side of a comparison or a term of a sum or
/// difference forming it (`last + 30`, `now - start < 60`).
fn additive_constants(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, side: &Expr) -> Vec<f64> {
    let side = unparen(side);
    if let Some(v) = settled_value(cx, f, side) {
        return vec![v];
    }
    match &side.kind {
        ExprKind::Binary {
            op: BinaryOp::Add | BinaryOp::Sub,
            lhs,
            rhs,
        } => {
            let mut out = additive_constants(cx, f, lhs);
            out.extend(additive_constants(cx, f, rhs));
            out
        }
        _ => Vec::new(),
    }
}

/// The value of a constant, or of a state variable that nothing writes
/// after its constant initialiser (`uint public ONE_MINUTE = 1 minutes;`
/// that only lacks the `constant` keyword): either way a fixed window.
fn settled_value(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> Option<f64> {
    if let Some(v) = const_value(cx, f.file, e) {
        return Some(v);
    }
    if !matches!(e.kind, ExprKind::Ident(_)) {
        return None;
    }
    let Some(Res::Decl(d)) = cx.model.resolution(f.file, e.id) else {
        return None;
    };
    let var = cx.model.state_var(*d)?;
    let init = var.ast.initializer.as_ref()?;
    if !cx.ir.taint().writes_of(*d).is_empty() {
        return None;
    }
    const_value(cx, var.file, init)
}

/// How the live timestamp reaches `e` at `node` (through locals, not
/// through storage: a stored timestamp is a schedule, not the clock).
fn clock(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
) -> Clock {
    if depth > 6 {
        return Clock::None;
    }
    let e = unparen(e);
    let children = |exprs: &[&Expr]| {
        exprs
            .iter()
            .map(|c| clock(cx, f, node, c, depth + 1))
            .fold(Clock::None, Clock::worst)
    };
    match &e.kind {
        ExprKind::Ident(_) | ExprKind::Member { .. } => match cx.model.resolution(f.file, e.id) {
            Some(Res::Builtin(Builtin::Now | Builtin::BlockTimestamp)) => Clock::Fine,
            Some(Res::Decl(d)) if cx.model.decl(*d).kind == DeclKind::LocalVar => {
                let mut best = Clock::None;
                for (def, v) in definitions(f, node, *d) {
                    best = best.worst(clock(cx, f, def, v, depth + 1));
                }
                best
            }
            _ => match &e.kind {
                ExprKind::Member { base, .. } => clock(cx, f, node, base, depth + 1),
                _ => Clock::None,
            },
        },
        ExprKind::Binary {
            op: op @ (BinaryOp::Div | BinaryOp::Mod),
            lhs,
            rhs,
        } => {
            let inner = clock(cx, f, node, lhs, depth + 1);
            if inner.rank() < Clock::Cyclic.rank() {
                return inner.worst(clock(cx, f, node, rhs, depth + 1));
            }
            match const_value(cx, f.file, rhs) {
                Some(d) if d >= SAFE_WINDOW_SECONDS => Clock::Coarse,
                Some(_) if *op == BinaryOp::Mod => Clock::Cyclic,
                _ => inner,
            }
        }
        ExprKind::Binary { lhs, rhs, .. } => children(&[lhs, rhs]),
        ExprKind::Unary { operand, .. } => clock(cx, f, node, operand, depth + 1),
        ExprKind::Index { base, index } => {
            // A key selects an entry; the entry's value is not the clock
            // (`claimedOnDay[day]`).
            let _ = index;
            match clock(cx, f, node, base, depth + 1) {
                Clock::Cyclic | Clock::Fine => Clock::Coarse,
                other => other,
            }
        }
        ExprKind::Conditional {
            then_expr,
            else_expr,
            ..
        } => children(&[then_expr, else_expr]),
        ExprKind::Call { args, .. } => {
            let args = bulwark_ir::walk::call_args(args);
            let inner = children(&args);
            match cx.model.call_kind(f.file, e.id) {
                Some(CallKind::Builtin(
                    Builtin::Keccak256 | Builtin::Sha3 | Builtin::Sha256 | Builtin::Ripemd160,
                )) if inner != Clock::None => Clock::Hashed,
                Some(CallKind::Conversion(_)) => inner,
                Some(CallKind::Builtin(Builtin::AbiEncode | Builtin::AbiEncodePacked)) => inner,
                _ => Clock::None,
            }
        }
        _ => Clock::None,
    }
}

/// The statements storing the live timestamp into a state variable that
/// `atom` compares (`pastBlockTime = now` for `now != pastBlockTime`):
/// the other half of the condition.
fn stored_timestamps(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    atom: &Expr,
) -> Vec<(DeclId, Span)> {
    let mut vars = Vec::new();
    bulwark_ir::walk::walk_expr(atom, &mut |e| {
        if let Some(Res::Decl(d)) = cx.model.resolution(f.file, e.id) {
            if cx.model.decl(*d).kind == DeclKind::StateVar && !vars.contains(d) {
                vars.push(*d);
            }
        }
    });
    let mut out = Vec::new();
    for var in vars {
        for w in cx.ir.taint().writes_of(var) {
            let Some(g) = cx.ir.function_ir(w.function) else {
                continue;
            };
            let reads_clock = g
                .facts(w.node)
                .env_reads
                .iter()
                .any(|r| matches!(r.builtin, Builtin::Now | Builtin::BlockTimestamp));
            if reads_clock && out.len() < 4 {
                out.push((w.function, g.cfg.node(w.node).span));
            }
        }
    }
    out
}
