//! `clear-game-move`: a player's move is stored in plain state, and the
//! payout is later decided by combining it with another player's move —
//! the opponent reads the first move (from the mempool or storage) and
//! picks theirs to win.
//!
//! # Facts used
//! - Moves: writes of a state variable, by a function any caller reaches
//!   ([`open_path`]), whose stored value mentions a value parameter of the
//!   function (a number, an enum, a bool; not an address, a hash or bytes:
//!   a `bytes32` is a commitment).
//! - Committed moves are left out: the function tests a hash of the
//!   parameter (`keccak256(abi.encodePacked(move, salt)) == commitment`),
//!   i.e. it is the reveal of a commit–reveal scheme.
//! - The decision: a branch condition (in any function) reading the move
//!   variable — directly or through locals defined from it — that reaches
//!   a payment (ether sent, or an external `transfer`), and that combines
//!   two moves: two reads of the variable (two players' entries) or a read
//!   of another variable holding a move.
//! - Commitments that are not bound to `msg.sender` are the concern of
//!   `front-runnable-solution`.

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, CallKind, DeclId, DeclKind, Mutability, Type};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::access::Access;
use crate::analysis::conditions::tested;
use crate::analysis::entry_paths::{open_path, Protection};
use crate::analysis::expr::root_state_var;
use crate::analysis::values::{definitions, mentioned_decls, sources};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "clear-game-move",
    title: "Game move submitted in the clear",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-114"],
    applies_to: "all versions",
    summary: "A player's move is stored as plain data and the winner is later decided from it \
and another player's move: the opponent reads the first move and plays the winning answer.",
    what: r#"Reports a write of a caller's value parameter (a number, an enum, a bool) into state by a
function anyone can call, when a branch deciding a payment later combines that state with
another player's move: two entries of the same variable (`players[0].number +
players[1].number`) or another variable holding a move.

Not reported: moves stored as hashes (`bytes32` commitments), reveals that check the move
against a stored hash, values only privileged callers store, and values compared with
something no player chooses (a random draw)."#,
    why: r#"Every transaction and every storage slot is public. In a two-player game where the first
player's choice is sent and stored in the clear, the second player (or a bot watching the
mempool) reads it before playing and always answers with the winning move. Odds-and-evens,
rock-paper-scissors and sealed bids built this way are won by whoever plays last. SWC-114
(transaction order dependence)."#,
    exploit: r#"```solidity
function play(uint number) external payable {
    require(msg.value == 1 ether);
    players[tot] = Player(msg.sender, number);
    tot++;
    if (tot == 2) andTheWinnerIs();   // players[0].number + players[1].number decides
}
```
1. Alice calls `play(3)`; her number is visible in the transaction and in `players[0]`.
2. Bob calls `play(1)` to make the sum even (his winning parity) and collects both stakes."#,
    fix: r#"Use commit–reveal bound to the player: each player first submits
`keccak256(abi.encodePacked(msg.sender, move, salt))`, and moves are revealed (and checked
against the commitments) only once both are in, with a deadline and a penalty for not
revealing."#,
    references: &[
        "https://swcregistry.io/docs/SWC-114",
        "https://eprint.iacr.org/2016/1007",
    ],
};

pub struct ClearGameMove;

/// A move: `var` written at `node` of `function` from parameter `param`.
struct Move {
    function: DeclId,
    node: NodeIx,
    var: DeclId,
    param: DeclId,
}

impl Detector for ClearGameMove {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        let moves = open_moves(cx, &access);
        let move_vars: Vec<DeclId> = moves.iter().map(|m| m.var).collect();
        let mut reported: Vec<(DeclId, DeclId)> = Vec::new();
        for m in &moves {
            if reported.contains(&(m.function, m.var)) {
                continue;
            }
            let Some((g, at)) = decision(cx, m.var, &move_vars) else {
                continue;
            };
            reported.push((m.function, m.var));
            let f = cx.ir.function_ir(m.function).unwrap();
            let gi = cx.ir.function_ir(g).unwrap();
            let var = &cx.model.decl(m.var).name;
            let message = format!(
                "`{}` stores the caller's move `{}` in `{var}` in the clear (`{}`), and `{}` decides \
a payment from it together with another player's move: the opponent reads it from the mempool or \
storage and plays the winning answer; commit to a hash bound to the player first and reveal later",
                cx.qualified_name(m.function),
                cx.model.decl(m.param).name,
                cx.snippet(f.file, f.cfg.node(m.node).span, 60),
                cx.qualified_name(g),
            );
            out.push(
                FindingBuilder::new(
                    &META,
                    message,
                    cx.location_in(m.function, f.cfg.node(m.node).span),
                )
                .related(
                    cx.location_in(g, gi.cfg.node(at).span),
                    "winner decided here",
                )
                .build(),
            );
        }
    }
}

/// Whether a parameter of this type can hold a game move in the clear.
fn is_move_type(ty: &Type) -> bool {
    matches!(ty, Type::Int { .. } | Type::Enum(_) | Type::Bool)
}

fn open_moves(cx: &AnalysisContext<'_>, access: &Access<'_, '_>) -> Vec<Move> {
    let mut out = Vec::new();
    for f in cx.ir.functions() {
        let Some(info) = cx.model.function(f.decl) else {
            continue;
        };
        if info.is_modifier() || info.params.is_empty() {
            continue;
        }
        for (node, w) in f.state_writes() {
            let Some(value) = w.value.and_then(|v| f.expr(v)) else {
                continue;
            };
            let mut mentioned = mentioned_decls(cx, f, value);
            for (_, e) in sources(cx, f, node, value) {
                mentioned.extend(mentioned_decls(cx, f, e));
            }
            let Some(param) = mentioned.into_iter().find(|&d| {
                cx.model.decl(d).kind == DeclKind::Param
                    && info.params.contains(&d)
                    && is_move_type(cx.model.decl_type(d))
            }) else {
                continue;
            };
            if reveals(cx, f, param) {
                continue;
            }
            // A check on a seat any player can take (`playerA ==
            // address(0)` before `playerA = msg.sender`) does not make the
            // move private; a comparison of the caller with a role does.
            let sender_checked = !cx.ir.guards().of(cx.ir, f.decl).sender_checks.is_empty();
            // A move comes with a stake: the way in is payable.
            let staked = open_path(cx, access, Protection::None, f.decl, node).is_some_and(|p| {
                cx.model
                    .function(p.entry)
                    .is_some_and(|i| i.mutability == Mutability::Payable)
            });
            if sender_checked || !staked {
                continue;
            }
            out.push(Move {
                function: f.decl,
                node,
                var: w.var,
                param,
            });
        }
    }
    out
}

/// Whether `f` tests a hash of `param`: the reveal of a commitment.
fn reveals(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, param: DeclId) -> bool {
    f.cfg.nodes().any(|(node, _)| {
        tested(f, node).into_iter().any(|cond| {
            let mut found = false;
            walk_expr(cond, &mut |e| {
                if let ExprKind::Call { .. } = e.kind {
                    let hash = matches!(
                        cx.model.call_kind(f.file, e.id),
                        Some(CallKind::Builtin(
                            Builtin::Keccak256 | Builtin::Sha3 | Builtin::Sha256
                        ))
                    );
                    found |= hash && mentioned_decls(cx, f, e).contains(&param);
                }
            });
            // Through a local holding the hash.
            found
                || mentioned_decls(cx, f, cond).iter().any(|&l| {
                    cx.model.decl(l).kind == DeclKind::LocalVar
                        && definitions(f, node, l).iter().any(|(_, v)| {
                            mentioned_decls(cx, f, v).contains(&param)
                                && matches!(&v.kind, ExprKind::Call { .. })
                                && matches!(
                                    cx.model.call_kind(f.file, v.id),
                                    Some(CallKind::Builtin(
                                        Builtin::Keccak256 | Builtin::Sha3 | Builtin::Sha256
                                    ))
                                )
                        })
                })
        })
    })
}

/// A branch that reads `var` (with another move) and reaches a payment:
/// the function and the condition node.
fn decision(
    cx: &AnalysisContext<'_>,
    var: DeclId,
    move_vars: &[DeclId],
) -> Option<(DeclId, NodeIx)> {
    for g in cx.ir.functions() {
        let payments: Vec<NodeIx> = g
            .calls()
            .filter(|(_, c)| c.kind.sends_eth() || is_token_transfer(cx, c))
            .map(|(n, _)| n)
            .collect();
        if payments.is_empty() {
            continue;
        }
        for (c, n) in g.cfg.nodes() {
            let NodeKind::Condition { expr, .. } = n.kind else {
                continue;
            };
            if !payments.iter().any(|&p| p != c && g.cfg.reaches(c, p)) {
                continue;
            }
            // The reads feeding the condition: its own and those of the
            // definitions of the locals it tests.
            let mut reads: Vec<DeclId> = g.facts(c).state_reads.iter().map(|a| a.var).collect();
            for l in mentioned_decls(cx, g, expr) {
                if cx.model.decl(l).kind != DeclKind::LocalVar {
                    continue;
                }
                for (d, _) in definitions(g, c, l) {
                    reads.extend(g.facts(d).state_reads.iter().map(|a| a.var));
                }
            }
            let mut values = vec![expr];
            for l in mentioned_decls(cx, g, expr) {
                if cx.model.decl(l).kind == DeclKind::LocalVar {
                    values.extend(definitions(g, c, l).into_iter().map(|(_, v)| v));
                }
            }
            let own = two_entries(cx, g, &values, var);
            let same_type = |v: DeclId| cx.model.decl_type(v) == cx.model.decl_type(var);
            let other = reads
                .iter()
                .any(|&v| v != var && move_vars.contains(&v) && same_type(v))
                && reads.contains(&var);
            if own || other {
                return Some((g.decl, c));
            }
        }
    }
    None
}

/// Whether `values` read the same field of two different entries of
/// `var` (`players[0].number` and `players[1].number`): two players'
/// moves, not two fields of one account.
fn two_entries(
    cx: &AnalysisContext<'_>,
    g: &FunctionIr<'_>,
    values: &[&Expr],
    var: DeclId,
) -> bool {
    let mut seen: Vec<(String, String)> = Vec::new();
    for v in values {
        walk_expr(v, &mut |e| {
            let ExprKind::Member { base, member } = &e.kind else {
                return;
            };
            if !matches!(unparen(base).kind, ExprKind::Index { .. })
                || root_state_var(cx, g.file, e) != Some(var)
            {
                return;
            }
            let entry = cx.snippet(g.file, base.span, 80);
            let key = (member.name.clone(), entry);
            if !seen.contains(&key) {
                seen.push(key);
            }
        });
    }
    seen.iter()
        .any(|(m, e)| seen.iter().any(|(m2, e2)| m == m2 && e != e2))
}

fn is_token_transfer(cx: &AnalysisContext<'_>, c: &bulwark_ir::facts::CallSite) -> bool {
    matches!(c.kind, bulwark_ir::facts::CallSiteKind::External { function: Some(d), .. }
        if cx.model.decl(d).name == "transfer")
}
