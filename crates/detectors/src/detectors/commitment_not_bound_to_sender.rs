//! `commitment-not-bound-to-sender`: a reveal checks a commitment hash that
//! does not include the revealer, so whoever sees the reveal can submit it
//! first as their own.
//!
//! # Facts used
//! - In a state-changing function that uses `msg.sender`, a reverting check
//!   (`require`, `if … revert`) reads an entry of a state mapping keyed by
//!   a `keccak256` hash computed in the function (through locals) — the
//!   commitment looked up by its opening.
//! - Neither the hash nor the other keys of the lookup depend on
//!   `msg.sender` (through locals), nor does what the check compares the
//!   lookup with: `commits[msg.sender] == keccak256(...)` and
//!   `keccak256(abi.encode(msg.sender, value, salt))` bind the revealer.
//! - Another function any caller can reach writes that mapping (the
//!   commit step).

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, CallKind, DeclId, Mutability};
use bulwark_syntax::ast::{Expr, ExprKind, FunctionKind};
use bulwark_syntax::Span;

use crate::analysis::access::Access;
use crate::analysis::conditions::{is_guard, tested};
use crate::analysis::expr::{mentions_builtin, root_state_var};
use crate::analysis::values::{definitions, local_of, sources};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "commitment-not-bound-to-sender",
    title: "Commitment does not bind the revealer",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-114"],
    applies_to: "all versions",
    summary: "A commit–reveal scheme looks the commitment up by a hash of the revealed values \
that does not include `msg.sender`: anyone who sees a reveal in the mempool can send the same \
values first and have the commitment counted as theirs.",
    what: r#"Reports the hash computed by a state-changing function that uses `msg.sender` when
a reverting check reads a state mapping entry keyed by that hash (`require(commitments[h])`,
`require(commitTime[h] != 0)`), neither the hash nor the lookup's other keys depend on
`msg.sender`, and a function any caller can reach writes the mapping (the commit step).

Not reported: commitments stored per committer (`commits[msg.sender] == keccak256(...)`) or
hashes that include the sender (`keccak256(abi.encode(msg.sender, value, salt))`); single
stored hashes compared for equality (see `front-runnable-solution`)."#,
    why: r#"A commitment hides a value until the reveal, but the reveal transaction publishes
the value and the salt. If the commitment does not say *who* committed, the first transaction
to present the opening owns it: a bot copies a pending reveal with a higher gas price and
claims the sealed bid, the registration or the answer as its own, while the honest revealer's
transaction fails because the commitment is already used. SWC-114 (transaction order
dependence)."#,
    exploit: r#"```solidity
function commit(bytes32 h) external { committed[h] = true; }
function reveal(uint256 bid, bytes32 salt) external {
    bytes32 h = keccak256(abi.encode(bid, salt));
    require(committed[h]);
    delete committed[h];
    bids[msg.sender] = bid;
}
```
1. Alice commits `keccak256(bid, salt)` and later sends `reveal(bid, salt)`.
2. A bot sees the pending reveal and sends the same call first, with more gas.
3. The bot's bid is recorded with Alice's commitment; Alice's reveal reverts."#,
    fix: r#"Hash the committer into the commitment, or key commitments by committer:
```solidity
bytes32 h = keccak256(abi.encode(msg.sender, bid, salt));
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-114",
        "https://docs.soliditylang.org/en/latest/solidity-by-example.html#blind-auction",
    ],
};

pub struct CommitmentNotBoundToSender;

impl Detector for CommitmentNotBoundToSender {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            let Some(info) = cx.model.function(f.decl) else {
                continue;
            };
            if matches!(info.mutability, Mutability::View | Mutability::Pure)
                || info.is_modifier()
                || info.kind == FunctionKind::Constructor
                || !uses_sender(cx, f)
            {
                continue;
            }
            'nodes: for (node, n) in f.cfg.nodes() {
                if !is_guard(f, node) {
                    continue;
                }
                for cond in tested(f, node) {
                    let mut lookups: Vec<(&Expr, &Expr)> = Vec::new();
                    walk_expr(cond, &mut |e| {
                        if let ExprKind::Index {
                            index: Some(key), ..
                        } = &unparen(e).kind
                        {
                            lookups.push((e, &**key));
                        }
                    });
                    for (lookup, key) in lookups {
                        let Some(var) = root_state_var(cx, f.file, lookup) else {
                            continue;
                        };
                        let Some((_, hspan)) = hashed_here(cx, f, node, key) else {
                            continue;
                        };
                        // The lookup, its keys, or what the check compares
                        // it with (`committer[h] == msg.sender`) name the
                        // caller.
                        // (Values, not IR taint: taint also flows through
                        // the mapping's keys written elsewhere.)
                        if from_sender(cx, f, node, cond, 0) {
                            continue;
                        }
                        let Some((writer, wspan)) = open_writer(cx, &access, f.decl, var) else {
                            continue;
                        };
                        let message = format!(
                            "`{}` looks up the commitment `{}` by a hash that does not include \
`msg.sender`: anyone who sees the reveal can submit the same values first and have the \
commitment counted as theirs; hash the committer into the commitment",
                            cx.qualified_name(f.decl),
                            cx.snippet(f.file, lookup.span, 60),
                        );
                        out.push(
                            FindingBuilder::new(&META, message, cx.location_in(f.decl, hspan))
                                .related(cx.location_in(f.decl, n.span), "the commitment checked")
                                .related(
                                    cx.location_in(writer, wspan),
                                    "commitments stored by any caller",
                                )
                                .build(),
                        );
                        break 'nodes;
                    }
                }
            }
        }
    }
}

/// Whether `f` mentions `msg.sender` anywhere (it acts for the caller).
fn uses_sender(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) -> bool {
    f.cfg.nodes().any(|(_, n)| {
        n.exprs()
            .into_iter()
            .any(|e| mentions_builtin(cx, f.file, e, &[Builtin::MsgSender]))
    })
}

/// The statement of `f` where `key` (through locals) is computed by
/// `keccak256`.
fn hashed_here(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    key: &Expr,
) -> Option<(NodeIx, Span)> {
    sources(cx, f, node, key).into_iter().find_map(|(n, v)| {
        matches!(
            cx.model.call_kind(f.file, unparen(v).id),
            Some(CallKind::Builtin(Builtin::Keccak256))
        )
        .then(|| (n, f.cfg.node(n).span))
    })
}

/// Another function, reachable by any caller, that writes `var`.
fn open_writer(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    reveal: DeclId,
    var: DeclId,
) -> Option<(DeclId, Span)> {
    cx.ir.functions().find_map(|g| {
        if g.decl == reveal {
            return None;
        }
        g.state_writes().find_map(|(n, a)| {
            (a.var == var && access.open_entry(g.decl, n).is_some())
                .then(|| (g.decl, g.cfg.node(n).span))
        })
    })
}

/// Whether `e` (evaluated at `node`) mentions `msg.sender`, directly or
/// through the values of the locals it reads.
fn from_sender(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
) -> bool {
    if mentions_builtin(cx, f.file, e, &[Builtin::MsgSender]) {
        return true;
    }
    if depth >= 4 {
        return false;
    }
    let mut locals = Vec::new();
    walk_expr(e, &mut |x| {
        if let Some(d) = local_of(cx, f, x) {
            locals.push(d);
        }
    });
    locals.into_iter().any(|d| {
        definitions(f, node, d)
            .into_iter()
            .any(|(def, value)| from_sender(cx, f, def, value, depth + 1))
    })
}
