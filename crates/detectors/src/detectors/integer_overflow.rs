//! `integer-overflow`: wrapping arithmetic on attacker-chosen values with
//! no bound and no check.
//!
//! # Facts used
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
//!   (`a + b >= a`), or conditions keeping the minuend of `n - c` at least
//!   the constant `c` (`n != 0` and `n != 1` before `n - 2`). A comparison
//!   involving the wrapped result itself
//!   (`msg.value == q * price`) is not a bound on `q`.
//! - Constant folding, so arithmetic on literals and constants is skipped.
//! - Constructor parameters are the deployer's choice, not an attacker's,
//!   unless the project itself deploys the contract (`new C(x)`).
//! - Parameters of functions nobody outside can call are caller input only
//!   when some internal call site passes an unbounded input for them
//!   (`_credit(to, fee)` with a stored fee is not an attack surface).
//! - One finding per statement, even with several risky operators, and one
//!   per unbounded input of a function: the other statements wrapping the
//!   same input are related locations of the first (one root cause).
//! - Severity follows the impact: a wrap in a function that cannot change
//!   state (view/pure) only misreports a value, so it is low.

use bulwark_ir::cfg::{EdgeKind, NodeIx};
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{CallKind, DeclId, DeclKind, Res, Type};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, FunctionKind, UnaryOp};

use crate::analysis::access::Access;
use crate::analysis::conditions::{is_guard, tested};
use crate::analysis::constant::is_constant;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
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
    what: r#"Reports a statement containing `+`, `-`, `*` (or `+=`, `-=`, `*=`, `++`, `--`, `**`) on
unsigned integers that can wrap — compiled with Solidity before 0.8.0, or inside
`unchecked { }` — when an operand is chosen by the caller (a parameter, call data, or a local
computed from them) and nothing bounds it. Array lengths are bounded by the gas it costs to
build the array and do not count by themselves (`recipients.length * each` is still reported
through `each`); neither do a modifier's parameters, which are written where it is applied.

Bounded, and not reported: an operand limited by an earlier condition
(`require(balance >= amount)` before `balance - amount`, `require(q <= CAP)`, a loop
condition `i < n` for `i++`, the minimum `a < b ? a : b`); a result checked against an
operand afterwards (SafeMath's `c >= a` and `c / a == b`); the overflow test itself
(`require(a + b >= a)`); `n - c` for a constant `c` where earlier branches keep `n` at least
`c` (`if (n == 0) ... else if (n == 1) ... else fib(n - 1) + fib(n - 2)`); in `unchecked` blocks, a credit of an amount that a checked
subtraction has just debited (`balanceOf[from] -= amount; unchecked { balanceOf[to] +=
amount; }`); values derived from `msg.value`, which the ether supply keeps far from 2**256;
arithmetic on constants; values returned by calls (the callee's own arithmetic is checked
where it is written). Also left out, because the finding belongs elsewhere or is not an
attack: library code (reusable math relies on its callers, and 512-bit multiplication wraps
on purpose), signed arithmetic, statements only an authorised caller reaches, and
`unchecked` arithmetic in functions that are not externally callable (the author claims a
bound that only the callers can contradict); parameters of internal and private functions
whose callers never pass them an unbounded input. One finding is reported per statement, and
one per unbounded input of a function: other statements wrapping the same input (`bet * 2`,
`bet * 5` in the branches of one payout) are listed as related locations. A wrap inside a
`view` or `pure` function cannot corrupt state by itself — it returns a wrong value — so it
is reported with low severity."#,
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

pub struct IntegerOverflow;

impl Detector for IntegerOverflow {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            // Unbounded input (its text) → index of its finding in `out`.
            let mut by_input: std::collections::HashMap<String, usize> =
                std::collections::HashMap::new();
            let read_only = cx.model.function(f.decl).is_some_and(|i| {
                matches!(
                    i.mutability,
                    bulwark_sema::Mutability::View | bulwark_sema::Mutability::Pure
                )
            });
            for (node, n) in f.cfg.nodes() {
                if f.is_checked_arithmetic(node) {
                    continue;
                }
                let mut ops = Vec::new();
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        if let Some(op) = Arith::of(cx, f, e) {
                            ops.push(op);
                        }
                    });
                }
                // In an `unchecked` block the author claims a bound; only a
                // raw argument of an externally callable function, used
                // with no bound in sight, contradicts the claim. Helpers
                // and libraries rely on their callers' invariants.
                let strict = Strictness::of(cx, f, node);
                if strict == Strictness::Skip || access.node_is_guarded(f.decl, node) {
                    // An authorised caller overflowing their own inputs is
                    // not an attack.
                    continue;
                }
                let risky = ops.into_iter().find_map(|op| {
                    let operand = op
                        .operands
                        .iter()
                        .copied()
                        .find(|o| unbounded_input(cx, f, node, o, 0))?;
                    (!result_is_checked(cx, f, node, &op)).then_some((op, operand))
                });
                let Some((op, operand)) = risky else { continue };
                let text = cx.snippet(f.file, op.expr.span, 60);
                let input = cx.snippet(f.file, operand.span, 40);
                let root = input_root(cx, f, operand);
                if let Some(&first) = by_input.get(&root) {
                    let related = cx
                        .location_in(f.decl, n.span)
                        .with_label(format!("`{text}` wraps on the same unbounded `{input}`"));
                    out[first].locations.push(related);
                    continue;
                }
                by_input.insert(root, out.len());
                let message = format!(
                    "`{}` computes `{text}` without overflow checks ({}), and `{input}` is chosen by the caller \
with nothing bounding it: the {} can wrap around",
                    cx.qualified_name(f.decl),
                    if f.cfg.node(node).unchecked { "inside `unchecked`" } else { "compiled before 0.8.0" },
                    op.what
                );
                let mut finding =
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, n.span)).build();
                if read_only {
                    finding.severity = Severity::Low;
                }
                out.push(finding);
            }
        }
    }
}

/// How much evidence an operation needs before it is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strictness {
    /// Compiled before 0.8.0: any unbounded caller input.
    Legacy,
    /// In `unchecked`: only raw arguments of an entry point.
    Unchecked,
    /// In `unchecked` in a library or a function nobody outside calls.
    Skip,
}

impl Strictness {
    fn of(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx) -> Strictness {
        // Libraries are reusable arithmetic whose safety is the callers'
        // business (and often deliberately wrapping, as in 512-bit
        // multiplication); their callers are where a finding belongs.
        let in_library = f
            .contract
            .and_then(|c| cx.model.contract(c))
            .is_some_and(|c| c.kind == bulwark_syntax::ast::ContractKind::Library);
        if in_library {
            return Strictness::Skip;
        }
        if !f.cfg.node(node).unchecked {
            return Strictness::Legacy;
        }
        let entry = cx
            .model
            .function(f.decl)
            .is_some_and(|i| i.is_externally_callable());
        if entry {
            Strictness::Unchecked
        } else {
            Strictness::Skip
        }
    }
}

/// One wrapping operation with its operands.
struct Arith<'p> {
    expr: &'p Expr,
    operands: Vec<&'p Expr>,
    /// "sum", "difference", "product", "power".
    what: &'static str,
}

impl<'p> Arith<'p> {
    fn of(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &'p Expr) -> Option<Arith<'p>> {
        let what = |op: BinaryOp| match op {
            BinaryOp::Add => Some("sum"),
            BinaryOp::Sub => Some("difference"),
            BinaryOp::Mul => Some("product"),
            BinaryOp::Pow => Some("power"),
            _ => None,
        };
        let (operands, what) = match &e.kind {
            ExprKind::Binary { op, lhs, rhs } => (vec![&**lhs, &**rhs], what(*op)?),
            ExprKind::Assign {
                op: Some(op),
                lhs,
                rhs,
            } => (vec![&**lhs, &**rhs], what(*op)?),
            ExprKind::Unary {
                op: UnaryOp::PreInc | UnaryOp::PostInc,
                operand,
            } => (vec![&**operand], "increment"),
            ExprKind::Unary {
                op: UnaryOp::PreDec | UnaryOp::PostDec,
                operand,
            } => (vec![&**operand], "decrement"),
            _ => return None,
        };
        // Integer arithmetic only; constant expressions are folded by the
        // compiler (and checked there).
        let ty = cx
            .model
            .type_of(f.file, e.id)
            .or_else(|| cx.model.type_of(f.file, operands[0].id));
        // Unsigned integers only: signed arithmetic on caller input is
        // rarely the bug and usually deliberate (ticks, deltas).
        if !matches!(ty, Some(Type::Int { signed: false, .. })) {
            return None;
        }
        Some(Arith {
            expr: e,
            operands,
            what,
        })
    }
}

/// Whether `e` (at `node`) carries a value the caller chooses that no
/// dominating condition bounds: a parameter, call data, an external call's
/// result, or arithmetic on one. Storage values, `msg.value` and
/// constants do not count; neither does the key of a mapping read.
fn unbounded_input(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
) -> bool {
    let e = unparen(e);
    if depth > 6 || is_constant(cx, f.file, e) || is_bounded(cx, f, node, e) {
        return false;
    }
    match &e.kind {
        ExprKind::Binary { op, lhs, rhs } => match op {
            BinaryOp::Div | BinaryOp::Shr => unbounded_input(cx, f, node, lhs, depth + 1),
            BinaryOp::Mod | BinaryOp::BitAnd => false,
            _ => {
                unbounded_input(cx, f, node, lhs, depth + 1)
                    || unbounded_input(cx, f, node, rhs, depth + 1)
            }
        },
        ExprKind::Index { base, .. } => unbounded_input(cx, f, node, base, depth + 1),
        ExprKind::Member { base, .. } => match cx.model.resolution(f.file, e.id) {
            Some(Res::Decl(d)) if cx.model.decl(*d).kind == DeclKind::StateVar => false,
            // An array's length is bounded by the gas it costs to build the
            // array: it cannot be steered near 2**256 (a product of it with
            // an unbounded value is still caught through the other operand).
            Some(Res::Builtin(_)) if is_array_length(cx, f, e) => false,
            Some(Res::Builtin(_)) if !matches!(base.kind, ExprKind::Ident(_)) => {
                unbounded_input(cx, f, node, base, depth + 1)
            }
            Some(Res::Builtin(_)) => false,
            _ => unbounded_input(cx, f, node, base, depth + 1),
        },
        ExprKind::Ident(_) => match cx.model.resolution(f.file, e.id) {
            Some(Res::Decl(d)) => match cx.model.decl(*d).kind {
                // A modifier's parameters are the arguments written where it
                // is applied (`onlyPayloadSize(2 * 32)`), not caller input.
                DeclKind::Param => match cx.model.function(f.decl) {
                    Some(i) if i.is_modifier() => false,
                    // A constructor's arguments are the deployer's choice
                    // unless the project deploys the contract itself
                    // (`new C(x)` in a factory, whose callers may choose).
                    Some(i) if i.kind == FunctionKind::Constructor => {
                        i.contract.is_some_and(|c| created_in_project(cx, c))
                    }
                    Some(i) => match i.params.iter().position(|p| p == d) {
                        Some(_) if i.is_externally_callable() => true,
                        Some(index) => internal_callers_pass_input(cx, f, index, depth),
                        None => false,
                    },
                    None => false,
                },
                DeclKind::LocalVar | DeclKind::ReturnParam => {
                    f.reaching_defs().reaching(node, *d).into_iter().any(|def| {
                        let value = f
                            .facts(def)
                            .defs
                            .iter()
                            .find(|x| x.var == *d)
                            .map(|x| x.value.and_then(|v| f.expr(v)));
                        match value {
                            Some(Some(v)) => unbounded_input(cx, f, def, v, depth + 1),
                            // Tuple slots and assembly results are computed
                            // values, not raw input.
                            _ => false,
                        }
                    })
                }
                _ => false,
            },
            _ => false,
        },
        ExprKind::Call { args, .. } => match cx.model.call_kind(f.file, e.id) {
            Some(CallKind::Conversion(_)) => bulwark_ir::walk::call_args(args)
                .iter()
                .any(|a| unbounded_input(cx, f, node, a, depth + 1)),
            // What a call returns is computed by the callee (whose own
            // arithmetic is checked where it is written), not raw input.
            _ => false,
        },
        // `a < b ? a : b` and the like: the minimum is bounded by either.
        ExprKind::Conditional {
            cond,
            then_expr,
            else_expr,
        } if is_min_or_max(cx, f, cond, then_expr, else_expr) => false,
        ExprKind::Conditional {
            then_expr,
            else_expr,
            ..
        } => {
            unbounded_input(cx, f, node, then_expr, depth + 1)
                || unbounded_input(cx, f, node, else_expr, depth + 1)
        }
        _ => false,
    }
}

/// What an unbounded operand is rooted in, for one finding per root cause:
/// the parameters its value derives from (`stake`, whether used directly or
/// through `prize = stake * 5`), else its text.
fn input_root(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, operand: &Expr) -> String {
    let params: Vec<String> = cx
        .ir
        .taint()
        .expr(cx.ir, f.decl, operand.id)
        .params()
        .map(|p| p.to_string())
        .collect();
    if params.is_empty() {
        key(cx, f, operand)
    } else {
        format!("params {}", params.join(","))
    }
}

/// Whether some internal call of `f` passes, for its parameter `index`,
/// a value its own caller chooses with nothing bounding it.
/// Whether some function of the project deploys `contract` (`new C(...)`).
fn created_in_project(cx: &AnalysisContext<'_>, contract: DeclId) -> bool {
    cx.ir.functions().any(|g| {
        g.calls().any(|(_, c)| {
            matches!(c.kind, CallSiteKind::Create { contract: Some(k), .. } if k == contract)
        })
    })
}

fn internal_callers_pass_input(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    index: usize,
    depth: u32,
) -> bool {
    let edges: Vec<(bulwark_sema::DeclId, NodeIx)> = cx
        .ir
        .call_graph()
        .edges_into(f.decl)
        .filter(|e| {
            matches!(
                e.kind,
                bulwark_ir::CallEdgeKind::Internal | bulwark_ir::CallEdgeKind::Super
            )
        })
        .filter_map(|e| Some((e.caller, e.node?)))
        .collect();
    edges.into_iter().any(|(caller, at)| {
        let Some(g) = cx.ir.function_ir(caller) else {
            return false;
        };
        g.facts(at).calls.iter().any(|c| {
            let calls_f = match c.kind {
                bulwark_ir::facts::CallSiteKind::Internal { function, .. } => {
                    function == f.decl
                        || g.contract
                            .is_some_and(|k| cx.model.dispatch(k, function) == f.decl)
                }
                _ => false,
            };
            calls_f
                && c.args
                    .get(index)
                    .and_then(|&a| g.expr(a))
                    .is_some_and(|a| unbounded_input(cx, g, at, a, depth + 1))
        })
    })
}

/// `a < b ? a : b` (or any comparison of the two branches): a minimum
/// or maximum of two values, bounded by one of them.
fn is_min_or_max(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    cond: &Expr,
    then_expr: &Expr,
    else_expr: &Expr,
) -> bool {
    let ExprKind::Binary { lhs, rhs, .. } = &unparen(cond).kind else {
        return false;
    };
    let (c, d) = (key(cx, f, lhs), key(cx, f, rhs));
    let (t, e) = (key(cx, f, then_expr), key(cx, f, else_expr));
    (c == t && d == e) || (c == e && d == t)
}

fn is_array_length(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    matches!(
        cx.model.resolution(f.file, e.id),
        Some(Res::Builtin(bulwark_sema::Builtin::ArrayLength))
    )
}

/// The source text of `e` without whitespace or outer parentheses: how
/// bounds are matched with operands (`balances[msg.sender]`).
fn key(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> String {
    let text = unparen(e).span.text(&cx.project.file(f.file).source);
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Comparisons that hold whenever `node` runs: the conjunctive atoms of
/// the conditions of dominating guards and of branches whose taken side
/// dominates `node`, with their polarity applied.
fn holding_comparisons<'p>(
    f: &FunctionIr<'p>,
    node: NodeIx,
) -> Vec<(BinaryOp, &'p Expr, &'p Expr)> {
    let mut out = Vec::new();
    for (g, n) in f.cfg.nodes() {
        if g == node || !f.cfg.dominates(g, node) {
            continue;
        }
        let conds = tested(f, g);
        if conds.is_empty() {
            continue;
        }
        let mut negated = None;
        for &(s, kind) in n.succs() {
            if f.cfg.dominates(s, node) {
                match kind {
                    EdgeKind::True => negated = Some(false),
                    EdgeKind::False => negated = Some(true),
                    _ => {}
                }
            }
        }
        let negated = match negated {
            Some(n) => n,
            None if is_guard(f, g)
                && !matches!(n.kind, bulwark_ir::cfg::NodeKind::Condition { .. }) =>
            {
                false
            }
            None => continue,
        };
        for cond in conds {
            conjuncts(cond, negated, &mut out);
        }
    }
    out
}

/// The comparisons that must all hold for `e` (or `!e`) to be true.
fn conjuncts<'p>(e: &'p Expr, negated: bool, out: &mut Vec<(BinaryOp, &'p Expr, &'p Expr)>) {
    let e = unparen(e);
    match &e.kind {
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => conjuncts(operand, !negated, out),
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } if !negated => {
            conjuncts(lhs, negated, out);
            conjuncts(rhs, negated, out);
        }
        ExprKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } if negated => {
            conjuncts(lhs, negated, out);
            conjuncts(rhs, negated, out);
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let op = if negated {
                match op {
                    BinaryOp::Lt => BinaryOp::Ge,
                    BinaryOp::Le => BinaryOp::Gt,
                    BinaryOp::Gt => BinaryOp::Le,
                    BinaryOp::Ge => BinaryOp::Lt,
                    BinaryOp::Eq => BinaryOp::Ne,
                    BinaryOp::Ne => BinaryOp::Eq,
                    _ => return,
                }
            } else {
                *op
            };
            out.push((op, lhs, rhs));
        }
        _ => {}
    }
}

/// Whether a condition holding at `node` bounds `e` from above
/// (`e <= c`, `e < y`, `y >= e`, `e == c`), or rules out the overflow
/// of an operation on `e` (`a + e >= a`).
fn is_bounded(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, e: &Expr) -> bool {
    let k = key(cx, f, e);
    if conserved(cx, f, node, &k) {
        return true;
    }
    holding_comparisons(f, node)
        .into_iter()
        .any(|(op, lhs, rhs)| {
            let small = match op {
                BinaryOp::Lt | BinaryOp::Le => lhs,
                BinaryOp::Gt | BinaryOp::Ge => rhs,
                BinaryOp::Eq => {
                    return (key(cx, f, lhs) == k && is_constant(cx, f.file, rhs))
                        || (key(cx, f, rhs) == k && is_constant(cx, f.file, lhs))
                }
                _ => return false,
            };
            if key(cx, f, small) == k {
                return true;
            }
            // The overflow idiom: `a + e >= a` (either side).
            [lhs, rhs]
                .into_iter()
                .any(|side| match &unparen(side).kind {
                    ExprKind::Binary {
                        op: BinaryOp::Add | BinaryOp::Mul,
                        lhs: a,
                        rhs: b,
                    } => key(cx, f, a) == k || key(cx, f, b) == k,
                    _ => false,
                })
        })
}

/// SafeMath's pattern: the result is compared with an operand afterwards
/// (`c = a + b; require(c >= a)`), or the operation is itself the overflow
/// test (`require(a + b >= a)`).
fn result_is_checked(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    op: &Arith<'_>,
) -> bool {
    let operand_keys: Vec<String> = op.operands.iter().map(|o| key(cx, f, o)).collect();
    // The operation inside a comparison with one of its operands.
    let mut idiom = false;
    for cond in tested(f, node) {
        walk_expr(cond, &mut |e| {
            if let ExprKind::Binary {
                op: BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge,
                lhs,
                rhs,
            } = &e.kind
            {
                // The same operation, written again in a conjunction with
                // its overflow test, counts as tested too.
                let holds_op = |s: &Expr| key(cx, f, s) == key(cx, f, op.expr);
                if (holds_op(lhs) && operand_keys.contains(&key(cx, f, rhs)))
                    || (holds_op(rhs) && operand_keys.contains(&key(cx, f, lhs)))
                {
                    idiom = true;
                }
            }
        });
    }
    if idiom {
        return true;
    }
    // A difference whose subtrahend is known not to exceed the minuend.
    if let ([minuend, subtrahend], "difference") = (op.operands.as_slice(), op.what) {
        let (m, s) = (key(cx, f, minuend), key(cx, f, subtrahend));
        let ordered = holding_comparisons(f, node)
            .into_iter()
            .any(|(cmp, lhs, rhs)| {
                let (l, r) = (key(cx, f, lhs), key(cx, f, rhs));
                match cmp {
                    BinaryOp::Le | BinaryOp::Lt => l == s && r == m,
                    BinaryOp::Ge | BinaryOp::Gt => l == m && r == s,
                    _ => false,
                }
            });
        if ordered || excluded_below(cx, f, node, minuend, subtrahend) {
            return true;
        }
    }
    // The result stored in a local that a later guard compares with an
    // operand (`c >= a`, `c / a == b`); comparing it with anything else
    // (`balance >= total`) tests the wrapped value, not the overflow.
    let facts = f.facts(node);
    facts.defs.iter().any(|d| {
        f.cfg.nodes().any(|(g, _)| {
            g != node
                && f.cfg.reaches(node, g)
                && is_guard(f, g)
                && f.facts(g).uses.contains(&d.var)
                && tested(f, g).into_iter().any(|cond| {
                    // In the same atom as the result: `value > 0 && bal >=
                    // amount` does not test `amount = count * value`.
                    let mut parts = Vec::new();
                    crate::analysis::conditions::atoms(cond, &mut parts);
                    parts.into_iter().any(|atom| {
                        let mut mentions_operand = false;
                        let mut mentions_result = false;
                        walk_expr(atom, &mut |e| {
                            mentions_operand |= operand_keys.contains(&key(cx, f, e));
                            mentions_result |= matches!(e.kind, ExprKind::Ident(_))
                                && crate::analysis::expr::decl_of(cx, f.file, e) == Some(d.var);
                        });
                        mentions_operand && mentions_result
                    })
                })
        })
    })
}

/// Whether the conditions holding at `node` keep `minuend` at least the
/// constant `subtrahend`: `n >= c`, `n > c - 1`, or `n != 0`, ..., `n !=
/// c - 1` all ruled out (`if (n == 0) ...; else if (n == 1) ...; else
/// f(n - 1) + f(n - 2)`).
fn excluded_below(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    minuend: &Expr,
    subtrahend: &Expr,
) -> bool {
    let Some(c) = crate::analysis::constant::const_value(cx, f.file, subtrahend) else {
        return false;
    };
    if c <= 0.0 {
        return true;
    }
    let m = key(cx, f, minuend);
    let mut ruled_out: Vec<f64> = Vec::new();
    for (op, lhs, rhs) in holding_comparisons(f, node) {
        // Normalise to `m OP k`.
        let (op, k) = if key(cx, f, lhs) == m {
            (op, crate::analysis::constant::const_value(cx, f.file, rhs))
        } else if key(cx, f, rhs) == m {
            let flipped = match op {
                BinaryOp::Lt => BinaryOp::Gt,
                BinaryOp::Le => BinaryOp::Ge,
                BinaryOp::Gt => BinaryOp::Lt,
                BinaryOp::Ge => BinaryOp::Le,
                other => other,
            };
            (
                flipped,
                crate::analysis::constant::const_value(cx, f.file, lhs),
            )
        } else {
            continue;
        };
        let Some(k) = k else { continue };
        match op {
            BinaryOp::Ge if k >= c => return true,
            BinaryOp::Gt if k >= c - 1.0 => return true,
            BinaryOp::Ne => ruled_out.push(k),
            _ => {}
        }
    }
    c <= 8.0 && (0..c as u32).all(|k| ruled_out.contains(&f64::from(k)))
}

/// Whether a checked subtraction of the same amount dominates `node`
/// (`balanceOf[from] -= amount;` reverting on underflow, then
/// `unchecked { balanceOf[to] += amount; }`): the amount moved out of one
/// ledger entry is bounded by what it held, so crediting it cannot wrap
/// while the entries sum to at most the total.
fn conserved(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, k: &str) -> bool {
    f.cfg.nodes().any(|(d, n)| {
        if d == node || !f.cfg.dominates(d, node) || !f.is_checked_arithmetic(d) {
            return false;
        }
        let mut found = false;
        for root in n.exprs() {
            walk_expr(root, &mut |e| match &e.kind {
                ExprKind::Assign {
                    op: Some(BinaryOp::Sub),
                    rhs,
                    ..
                }
                | ExprKind::Binary {
                    op: BinaryOp::Sub,
                    rhs,
                    ..
                } => found |= key(cx, f, rhs) == k,
                _ => {}
            });
        }
        found
    })
}
