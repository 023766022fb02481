//! The conditions a CFG node tests, and whether failing them reverts.

use bulwark_ir::cfg::{EdgeKind, NodeIx, NodeKind};
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::walk::{call_args, unparen};
use bulwark_ir::FunctionIr;
use bulwark_sema::Builtin;
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

/// The boolean expressions `node` tests: a branch or loop condition, or
/// the first argument of each `require`/`assert` it calls.
pub fn tested<'p>(f: &FunctionIr<'p>, node: NodeIx) -> Vec<&'p Expr> {
    if let NodeKind::Condition { expr, .. } = f.cfg.node(node).kind {
        return vec![expr];
    }
    require_conditions(f, node)
}

/// The first argument of each `require`/`assert` call made at `node`, and
/// the asserted argument of each home-made assertion helper it calls
/// ([`bulwark_ir::assert_helper`]).
pub fn require_conditions<'p>(f: &FunctionIr<'p>, node: NodeIx) -> Vec<&'p Expr> {
    f.facts(node)
        .calls
        .iter()
        .filter_map(|c| {
            // A home-made `assert(bool)` helper tests its argument too.
            let index = match c.kind {
                CallSiteKind::Builtin(Builtin::Require | Builtin::Assert) => 0,
                _ => c.asserted_arg?,
            };
            match &unparen(f.expr(c.expr)?).kind {
                ExprKind::Call { args, .. } => call_args(args).get(index).copied(),
                _ => None,
            }
        })
        .collect()
}

/// Whether `node` stops execution unless its condition holds: a
/// `require`/`assert`, or a branch with one side that can only revert.
pub fn is_guard(f: &FunctionIr<'_>, node: NodeIx) -> bool {
    let n = f.cfg.node(node);
    match n.kind {
        NodeKind::Condition { .. } => n.succs().iter().any(|&(s, kind)| {
            matches!(kind, EdgeKind::True | EdgeKind::False)
                && !f.cfg.reaches(s, f.cfg.exit)
                && f.cfg.reaches(s, f.cfg.revert_exit)
        }),
        _ => !require_conditions(f, node).is_empty(),
    }
}

/// The atoms of a boolean expression under `!`, `&&`, `||` and
/// parentheses.
pub fn atoms<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    let e = unparen(e);
    match &e.kind {
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => atoms(operand, out),
        ExprKind::Binary {
            op: BinaryOp::And | BinaryOp::Or,
            lhs,
            rhs,
        } => {
            atoms(lhs, out);
            atoms(rhs, out);
        }
        _ => out.push(e),
    }
}

/// One atom of a condition with the polarity it must have: `holds` is
/// false when the clause needs the atom to be false (`!a`, or `a` under a
/// negated condition).
#[derive(Clone, Copy, Debug)]
pub struct Literal<'e> {
    pub atom: &'e Expr,
    pub holds: bool,
}

/// The conjunctive clauses of a boolean expression in disjunctive normal
/// form, each as its list of literals; `negated` asks for the clauses of
/// `!e` (De Morgan applied). Capped so that a pathological condition
/// cannot blow up.
pub fn clauses(e: &Expr, negated: bool) -> Vec<Vec<Literal<'_>>> {
    const CAP: usize = 64;
    let e = unparen(e);
    let (either, both) = match &e.kind {
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => return clauses(operand, !negated),
        ExprKind::Binary {
            op: BinaryOp::Or,
            lhs,
            rhs,
        } => (!negated, Some((lhs, rhs))),
        ExprKind::Binary {
            op: BinaryOp::And,
            lhs,
            rhs,
        } => (negated, Some((lhs, rhs))),
        _ => (false, None),
    };
    let Some((lhs, rhs)) = both else {
        return vec![vec![Literal {
            atom: e,
            holds: !negated,
        }]];
    };
    let left = clauses(lhs, negated);
    let right = clauses(rhs, negated);
    if either {
        let mut out = left;
        out.extend(right);
        out.truncate(CAP);
        return out;
    }
    let mut out = Vec::new();
    for l in &left {
        for r in &right {
            if out.len() < CAP {
                out.push(l.iter().chain(r).copied().collect());
            }
        }
    }
    out
}

/// The clauses under which execution passes the guard `node` testing
/// `cond`: `cond` itself for `require`/`assert` and for a branch whose
/// false side reverts, `!cond` for a branch whose true side reverts
/// (`if (x != owner) throw;`).
pub fn passing_clauses<'e>(
    f: &FunctionIr<'_>,
    node: NodeIx,
    cond: &'e Expr,
) -> Vec<Vec<Literal<'e>>> {
    let n = f.cfg.node(node);
    let true_reverts = matches!(n.kind, NodeKind::Condition { .. })
        && n.succs().iter().any(|&(s, kind)| {
            kind == EdgeKind::True
                && !f.cfg.reaches(s, f.cfg.exit)
                && f.cfg.reaches(s, f.cfg.revert_exit)
        });
    clauses(cond, true_reverts)
}

/// Whether the literal asserts equality of its two sides (`a == b`
/// holding, or `a != b` failing), returning the sides.
pub fn equality<'e>(literal: &Literal<'e>) -> Option<(&'e Expr, &'e Expr)> {
    match &unparen(literal.atom).kind {
        ExprKind::Binary {
            op: BinaryOp::Eq,
            lhs,
            rhs,
        } if literal.holds => Some((lhs, rhs)),
        ExprKind::Binary {
            op: BinaryOp::Ne,
            lhs,
            rhs,
        } if !literal.holds => Some((lhs, rhs)),
        _ => None,
    }
}
