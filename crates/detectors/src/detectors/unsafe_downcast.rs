//! `unsafe-downcast`: an explicit conversion to a narrower integer type of a
//! value the user influences, with nothing bounding it first.
//!
//! # Facts used
//! - Conversion calls (`uint128(x)`, `int64(y)`) whose argument's type is
//!   an integer type with more bits than the target.
//! - Taint of the argument: a parameter of an externally callable
//!   function, stored user input, or an external call's result. Internal
//!   helpers casting their own parameters are judged where they are used;
//!   block values (`uint32(block.timestamp)`) are deliberate.
//! - Bounds: a `require` capping the argument by a value of the target
//!   width or narrower (`require(amount <= position.debt)` with a
//!   `uint128` field); a reverting check in the function comparing a value the
//!   argument is computed from with a constant (`x <= type(uint128).max`),
//!   a comparison of the converted value with the original (SafeCast:
//!   `require((z = uint128(x)) == x)`), a dominating round trip of the
//!   same value (`require(x == uint256(uint128(x)))` before storing
//!   `uint128(x)`), or an argument whose width is bounded by construction
//!   (`x >> 128`, `x & 0xffff`, `x % 2**64`).
//! - Hashes: the low bits of `keccak256`/`sha3`/`sha256`/`blockhash`
//!   values are kept on purpose (random draws, short identifiers).
//! - Ether amounts: a value computed from `msg.value` (and no parameter,
//!   call data or call result) converted to 128 bits or more fits, since
//!   all the ether in existence is below 2**90 wei.
//! - The narrowed value must reach storage (the node writes state or
//!   calls a helper that does, directly or through a local): values only
//!   returned or compared corrupt no accounting.
//! - Versions: 0.8's checked arithmetic does not cover conversions, so
//!   every version is concerned.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::taint::Source;
use bulwark_ir::walk::{call_args, unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{CallKind, DeclKind, Type};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, FunctionKind};

use crate::analysis::conditions::is_guard;
use crate::analysis::constant::const_value;
use crate::analysis::values::{depends_on, mentioned_decls, tested_comparisons};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unsafe-downcast",
    title: "Unchecked narrowing conversion",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-101"],
    applies_to: "all versions (0.8's checked arithmetic does not check conversions)",
    summary: "A user-influenced value is converted to a narrower integer type without a bound \
check, so large values silently lose their high bits.",
    what: r#"Reports an explicit conversion to a smaller integer type (`uint128(x)`, `uint64(x)`,
`int96(x)`) of a wider integer when the value comes from the caller (a parameter of a public
or external function), from stored user input, or from an external call, and the function
does not bound it first: no reverting check compares the value (or what it is computed
from) with a constant such as `type(uint128).max`, and the converted value is not compared
with the original (the SafeCast idiom `require((z = uint128(x)) == x)`, or a round trip
checked first: `require(x == uint256(uint128(x)))`).

Only conversions whose result is stored are reported (written to state, directly, through
a local or through a helper that writes state): a truncated value that is only returned or
compared corrupts no accounting. Values narrow by construction (`x >> 128`, `x & 0xffff`,
`x % 2**64`, a pure helper such as `max` of narrow values) and block values
(`uint32(block.timestamp)`) are not reported; neither are conversions inside internal
helpers of their own parameters (the caller decides the value), nor ether amounts computed
from `msg.value` converted to 128 bits or more (all the ether in existence is below 2**90
wei), nor values computed from a hash (`uint24(blockhash(n))`, `uint64(uint256(keccak256(x)))`:
keeping the low bits of a hash is how random draws and short identifiers are made)."#,
    why: r#"Conversions never revert, in any Solidity version: `uint128(2**128 + 5)` is `5`.
When the narrowed value is a balance, a deposit, a debt or a timestamp written to storage,
an attacker who picks an amount just above the type's range records a tiny number while
the contract accounts for, or transfers, the full one — or the other way round."#,
    exploit: r#"```solidity
struct Position { uint128 collateral; uint128 debt; }
function deposit(uint256 amount) external {
    token.transferFrom(msg.sender, address(this), amount);
    positions[msg.sender].collateral += uint128(amount);
}
function withdraw(uint256 amount) external {
    positions[msg.sender].collateral -= uint128(amount);
    token.transfer(msg.sender, amount);
}
```
1. The attacker holds a little collateral, say 10 units.
2. They call `withdraw(2**128 + 10)`: `uint128(amount)` is `10`, which their collateral
   covers, and the transfer sends `2**128 + 10` tokens — the whole pool, if it is that large
   (for 18-decimal tokens with huge supplies, or rebasing shares)."#,
    fix: r#"Check the range before converting, or use OpenZeppelin's `SafeCast`:
```solidity
positions[msg.sender].collateral += SafeCast.toUint128(amount);
```"#,
    references: &[
        "https://docs.soliditylang.org/en/latest/types.html#explicit-conversions",
        "https://docs.openzeppelin.com/contracts/5.x/api/utils#SafeCast",
        "https://swcregistry.io/docs/SWC-101",
    ],
};

pub struct UnsafeDowncast;

impl Detector for UnsafeDowncast {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let taint = cx.ir.taint();
        for f in cx.ir.functions() {
            let entry = cx.model.function(f.decl).is_some_and(|i| {
                i.kind == FunctionKind::Function && i.is_externally_callable()
                    || matches!(i.kind, FunctionKind::Fallback | FunctionKind::Receive)
            });
            let mut comparisons = None;
            for (node, n) in f.cfg.nodes() {
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        let Some((arg, from_bits, to_bits, target)) = narrowing(cx, f, e) else {
                            return;
                        };
                        let t = taint.expr(cx.ir, f.decl, arg.id);
                        let influenced = (entry && t.has(Source::Param))
                            || t.has(Source::StoredInput)
                            || t.has(Source::ExternalCall);
                        if !influenced || width_bound(cx, f, arg).is_some_and(|w| w <= to_bits) {
                            return;
                        }
                        let ether_amount = t.has(Source::MsgValue)
                            && !t.has_any(&[Source::Param, Source::MsgData, Source::ExternalCall]);
                        if ether_amount && to_bits >= ETHER_BITS {
                            return;
                        }
                        if hash_bits(cx, f, node, arg, &t) {
                            return;
                        }
                        if !reaches_storage(cx, f, node) {
                            return;
                        }
                        let comps = comparisons.get_or_insert_with(|| tested_comparisons(f));
                        if bounded(cx, f, node, e, arg, comps)
                            || capped_by_narrow_value(cx, f, node, arg, to_bits)
                            || round_trip_checked(cx, f, node, arg, to_bits)
                        {
                            return;
                        }
                        let message = format!(
                            "`{}` converts `{}` ({from_bits} bits) to `{target}` without checking \
that it fits: larger values silently lose their high bits",
                            cx.qualified_name(f.decl),
                            cx.snippet(f.file, arg.span, 40),
                        );
                        out.push(
                            FindingBuilder::new(&META, message, cx.location_in(f.decl, e.span))
                                .build(),
                        );
                    });
                }
            }
        }
    }
}

/// Whether `arg` is (computed from) a hash — `keccak256`, `sha3`,
/// `sha256`, `blockhash` —: keeping the low bits of a hash is how random
/// numbers and short identifiers are drawn from it, not a lost amount.
fn hash_bits(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    arg: &Expr,
    taint: &bulwark_ir::Taint,
) -> bool {
    use bulwark_sema::Builtin;
    const HASHES: &[Builtin] = &[
        Builtin::Keccak256,
        Builtin::Sha3,
        Builtin::Sha256,
        Builtin::Blockhash,
        Builtin::BlockBlockhash,
    ];
    taint.has(Source::Blockhash)
        || crate::analysis::values::sources(cx, f, node, arg)
            .into_iter()
            .any(|(_, leaf)| crate::analysis::expr::mentions_builtin(cx, f.file, leaf, HASHES))
}

/// Narrowing targets at least this wide hold any amount of ether (all the
/// ether in existence is below 2**90 wei).
const ETHER_BITS: u16 = 128;

/// Whether a reverting check dominating `node` compares `arg` with a
/// narrowing of the same value to at most `to_bits` bits
/// (`require(x == uint256(uint128(x)))`): the value is known to fit.
fn round_trip_checked(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    arg: &Expr,
    to_bits: u16,
) -> bool {
    let src = &cx.project.file(f.file).source;
    let text = |e: &Expr| -> String {
        unparen(e)
            .span
            .text(src)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let wanted = text(arg);
    let narrows_same = |side: &Expr| {
        let mut found = false;
        walk_expr(side, &mut |x| {
            if let Some((inner, _, to, _)) = narrowing(cx, f, x) {
                found |= to <= to_bits && text(inner) == wanted;
            }
        });
        found
    };
    f.cfg.nodes().any(|(g, _)| {
        g != node
            && is_guard(f, g)
            && f.cfg.dominates(g, node)
            && crate::analysis::conditions::tested(f, g)
                .into_iter()
                .any(|cond| {
                    let mut atoms = Vec::new();
                    crate::analysis::conditions::atoms(cond, &mut atoms);
                    atoms.into_iter().any(|atom| match &unparen(atom).kind {
                        ExprKind::Binary {
                            op: BinaryOp::Eq,
                            lhs,
                            rhs,
                        } => {
                            (text(lhs) == wanted && narrows_same(rhs))
                                || (text(rhs) == wanted && narrows_same(lhs))
                        }
                        _ => false,
                    })
                })
    })
}

/// A conversion `T(arg)` to a narrower integer type: the argument, both
/// widths and the target's name.
fn narrowing<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    e: &'p Expr,
) -> Option<(&'p Expr, u16, u16, String)> {
    let ExprKind::Call { args, .. } = &e.kind else {
        return None;
    };
    let Some(CallKind::Conversion(Type::Int { signed, bits: to })) =
        cx.model.call_kind(f.file, e.id)
    else {
        return None;
    };
    let args = call_args(args);
    let [arg] = args.as_slice() else {
        return None;
    };
    let Some(Type::Int { bits: from, .. }) = cx.model.type_of(f.file, arg.id) else {
        return None;
    };
    (from > to).then(|| {
        let name = format!("{}{to}", if *signed { "int" } else { "uint" });
        (*arg, *from, *to, name)
    })
}

/// Whether what `node` computes ends up in storage: the node writes state
/// or calls a helper that does, or it defines a local that a later node
/// uses that way. Narrowed values that are only returned or compared
/// (views, checks) corrupt no accounting.
fn reaches_storage(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx) -> bool {
    let stores = |n: NodeIx| {
        let facts = f.facts(n);
        !facts.state_writes.is_empty()
            || writes_through_pointer(cx, f, n)
            || facts.calls.iter().any(|c| {
                matches!(
                    c.kind,
                    CallSiteKind::Internal { .. }
                        | CallSiteKind::BoundInternal { .. }
                        | CallSiteKind::Library { .. }
                ) && c.kind.callee().is_some_and(|callee| {
                    !cx.ir
                        .access()
                        .transitive(cx.ir, f.contract, callee)
                        .writes
                        .is_empty()
                })
            })
    };
    if stores(node) {
        return true;
    }
    f.facts(node).defs.iter().any(|def| {
        f.reaching_defs()
            .uses_of(f.all_facts(), node, def.var)
            .into_iter()
            .any(stores)
    })
}

/// Whether `node` assigns through a storage pointer local (whose target
/// the IR may not know: `position.owed += x` with `position` returned by
/// a helper).
fn writes_through_pointer(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx) -> bool {
    let mut found = false;
    for root in f.cfg.node(node).exprs() {
        walk_expr(root, &mut |e| {
            let ExprKind::Assign { lhs, .. } = &e.kind else {
                return;
            };
            walk_expr(lhs, &mut |x| {
                if let Some(d) = cx.model.resolution(f.file, x.id).and_then(|r| r.decl()) {
                    found |= f.is_storage_pointer(d);
                }
            });
        });
    }
    found
}

/// An upper bound on the number of significant bits of `e`, when its
/// shape gives one: a constant, `x >> k`, `x & mask`, `x % m`, or a
/// narrower type.
fn width_bound(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> Option<u16> {
    let e = unparen(e);
    // Literal arithmetic is typed with its exact value.
    if let Some(Type::Rational(r)) = cx.model.type_of(f.file, e.id) {
        if r.is_integer() {
            return Some(r.numer().bits().min(u64::from(u16::MAX)) as u16);
        }
    }
    if let Some(v) = const_value(cx, f.file, e) {
        return Some(bits_of(v));
    }
    match &e.kind {
        ExprKind::Binary {
            op: BinaryOp::Shr,
            lhs,
            rhs,
        } => {
            let shift = const_value(cx, f.file, rhs)?;
            let inner = width_bound(cx, f, lhs).unwrap_or(256);
            Some(inner.saturating_sub(shift.min(256.0) as u16))
        }
        ExprKind::Binary {
            op: BinaryOp::BitAnd,
            lhs,
            rhs,
        } => match (width_bound(cx, f, lhs), width_bound(cx, f, rhs)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (Some(a), None) | (None, Some(a)) => Some(a),
            _ => None,
        },
        ExprKind::Binary {
            op: BinaryOp::Mod,
            rhs,
            ..
        } => const_value(cx, f.file, rhs).map(|m| bits_of((m - 1.0).max(0.0))),
        // `Math.max(a, b)`, `ternary(c, a, b)` on narrow values: a pure
        // helper's result is taken to be no wider than its widest input.
        ExprKind::Call { args, .. }
            if matches!(
                cx.model.call_kind(f.file, e.id),
                Some(CallKind::Internal(g)) if cx
                    .model
                    .function(*g)
                    .is_some_and(|i| i.mutability == bulwark_sema::Mutability::Pure)
            ) =>
        {
            let widths: Vec<Option<u16>> = call_args(args)
                .into_iter()
                .filter(|a| matches!(cx.model.type_of(f.file, a.id), Some(Type::Int { .. })))
                .map(|a| width_bound(cx, f, a))
                .collect();
            if widths.is_empty() || widths.iter().any(Option::is_none) {
                None
            } else {
                widths.into_iter().flatten().max()
            }
        }
        _ => match cx.model.type_of(f.file, e.id) {
            Some(Type::Int { bits, .. }) if *bits < 256 => Some(*bits),
            _ => None,
        },
    }
}

/// Significant bits of a non-negative value.
fn bits_of(v: f64) -> u16 {
    if v <= 0.0 {
        0
    } else {
        (v.log2().floor() as u16).saturating_add(1)
    }
}

/// Whether the value converted at `conversion` is bounded in `f`: a
/// reverting check dominating the conversion compares something the
/// argument is computed from with a constant, or the converted value is
/// compared with the original.
fn bounded(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    conversion: &Expr,
    arg: &Expr,
    comps: &[(NodeIx, &Expr)],
) -> bool {
    let roots: Vec<_> = mentioned_decls(cx, f, arg)
        .into_iter()
        .filter(|&d| {
            matches!(
                cx.model.decl(d).kind,
                DeclKind::Param | DeclKind::LocalVar | DeclKind::StateVar | DeclKind::ReturnParam
            )
        })
        .collect();
    comps.iter().any(|&(at, atom)| {
        let ExprKind::Binary { lhs, rhs, .. } = &atom.kind else {
            return false;
        };
        // SafeCast: `require((z = uint128(x)) == x)`.
        let mut holds_conversion = false;
        walk_expr(atom, &mut |x| holds_conversion |= x.id == conversion.id);
        if holds_conversion {
            return true;
        }
        if !(is_guard(f, at) && f.cfg.dominates(at, node)) {
            return false;
        }
        let about = |e: &Expr| roots.iter().any(|&d| depends_on(cx, f, at, e, d));
        // A bound is a non-zero limit: `x <= MAX`, `if (x > MAX) revert`;
        // `x > 0` only says the value is there.
        let limit = |e: &Expr| {
            const_value(cx, f.file, e).is_some_and(|v| v != 0.0) || is_type_bound(cx, f, e)
        };
        // In a `require`, whose condition must hold, the direction is
        // known: `require(d >= MIN_LOCK)` is a floor, not a bound.
        let in_require = crate::analysis::conditions::require_conditions(f, at)
            .into_iter()
            .any(|cond| {
                crate::analysis::expr::conjuncts(cond)
                    .into_iter()
                    .any(|c| c.id == atom.id)
            });
        if in_require {
            let ExprKind::Binary { op, .. } = &atom.kind else {
                return false;
            };
            return match op {
                BinaryOp::Le | BinaryOp::Lt => about(lhs) && limit(rhs),
                BinaryOp::Ge | BinaryOp::Gt => about(rhs) && limit(lhs),
                BinaryOp::Eq => (about(lhs) && limit(rhs)) || (about(rhs) && limit(lhs)),
                _ => false,
            };
        }
        (about(lhs) && limit(rhs)) || (about(rhs) && limit(lhs))
    })
}

/// Whether a reverting check dominating `node` requires something the
/// argument is computed from to be at most a value whose own type is no
/// wider than the target (`require(amount <= position.debt)` before
/// `position.debt -= uint128(amount)`, with `debt` a `uint128`): the
/// argument then fits. Only the `require` direction is read (`x <= v`,
/// `x < v`, `v >= x`, `v > x`, `x == v`); unsigned values only.
fn capped_by_narrow_value(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    arg: &Expr,
    to_bits: u16,
) -> bool {
    let roots: Vec<_> = mentioned_decls(cx, f, arg)
        .into_iter()
        .filter(|&d| {
            matches!(
                cx.model.decl(d).kind,
                DeclKind::Param | DeclKind::LocalVar | DeclKind::ReturnParam
            )
        })
        .collect();
    if roots.is_empty() {
        return false;
    }
    let narrow = |e: &Expr| {
        matches!(
            cx.model.type_of(f.file, unparen(e).id),
            Some(Type::Int { signed: false, bits }) if *bits <= to_bits
        )
    };
    let is_root = |e: &Expr| {
        cx.model
            .resolution(f.file, unparen(e).id)
            .and_then(|r| r.decl())
            .is_some_and(|d| roots.contains(&d))
    };
    // The argument itself (or a local it is computed from) must be the
    // capped side: `amount * price <= cap` bounds the product, not `amount`.
    let caps = |atom: &Expr| {
        let ExprKind::Binary { op, lhs, rhs } = &unparen(atom).kind else {
            return false;
        };
        let (small, cap) = match op {
            BinaryOp::Le | BinaryOp::Lt | BinaryOp::Eq => (lhs, rhs),
            BinaryOp::Ge | BinaryOp::Gt => (rhs, lhs),
            _ => return false,
        };
        is_root(small) && narrow(cap)
    };
    f.cfg.nodes().any(|(at, _)| {
        at != node
            && f.cfg.dominates(at, node)
            && crate::analysis::conditions::require_conditions(f, at)
                .into_iter()
                .any(|cond| crate::analysis::expr::conjuncts(cond).into_iter().any(caps))
    })
}

/// `type(uint128).max` and friends.
fn is_type_bound(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    matches!(
        cx.model
            .resolution(f.file, unparen(e).id)
            .and_then(|r| r.builtin()),
        Some(bulwark_sema::Builtin::TypeMax | bulwark_sema::Builtin::TypeMin)
    )
}
