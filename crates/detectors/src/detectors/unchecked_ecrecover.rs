//! `unchecked-ecrecover`: the address `ecrecover` returns is compared with
//! an expected signer that may itself be zero, and nothing rules out the
//! zero address `ecrecover` returns for an invalid signature.
//!
//! # Facts used
//! - Calls resolved to the `ecrecover` built-in, and where their result
//!   goes (directly into a comparison, or into locals).
//! - Every comparison tested by a condition or `require`/`assert` of the
//!   function, followed through locals ([`crate::analysis::values`]).
//! - What the result is compared with: `msg.sender` and non-zero
//!   constants cannot be zero; state, parameters and mapping lookups can.

use bulwark_ir::facts::ResultUse;
use bulwark_ir::walk::walk_expr;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, DeclId};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, NodeId};

use crate::analysis::constant::const_value;
use crate::analysis::expr::strip_conversions;
use crate::analysis::provenance::{origins, Origin};
use crate::analysis::values::{depends_on, is_zero, same_value, tested_comparisons};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unchecked-ecrecover",
    title: "ecrecover result not checked against zero",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-122"],
    applies_to: "all versions",
    summary: "`ecrecover` returns `address(0)` for an invalid signature, and the recovered \
address is compared with a value that can be zero without ruling that case out.",
    what: r#"Reports a call of the `ecrecover` built-in whose result is compared for equality
(directly or through a local) with a value that may be the zero address — a state
variable, a parameter, a mapping entry — when the function never compares the result, or
that value, with zero.

Not reported: results compared with `msg.sender` or a non-zero constant (neither can be
zero), results checked with `signer != address(0)` anywhere in the function, results that
are only returned (wrappers leave the check to their callers) or stored."#,
    why: r#"For a malformed signature (wrong `v`, `r` or `s` out of range, a hash nobody signed)
`ecrecover` does not revert: it returns `address(0)`. If the expected signer is unset
(an owner never configured, a mapping entry that does not exist) or chosen by the caller,
`recovered == expected` holds for garbage, and the "signed" action goes through with no
signature at all."#,
    exploit: r#"```solidity
function withdrawWithSig(address from, uint256 amount, uint8 v, bytes32 r, bytes32 s) external {
    bytes32 digest = keccak256(abi.encode(from, msg.sender, amount, nonces[from]++));
    require(ecrecover(digest, v, r, s) == from, "bad signature");
    balances[from] -= amount;
    payable(msg.sender).transfer(amount);
}
```
1. Tokens or ether credited to `address(0)` (burns, failed mints) sit in `balances[address(0)]`.
2. The attacker calls `withdrawWithSig(address(0), balances[address(0)], 0, 0, 0)`.
3. `ecrecover` fails and returns `address(0)`, which equals `from`: the balance is paid out."#,
    fix: r#"Reject the zero address, or use a library that does (OpenZeppelin's `ECDSA.recover`
reverts on invalid signatures):
```solidity
address signer = ecrecover(digest, v, r, s);
require(signer != address(0) && signer == from, "bad signature");
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-122",
        "https://docs.soliditylang.org/en/latest/units-and-global-variables.html#mathematical-and-cryptographic-functions",
        "https://docs.openzeppelin.com/contracts/5.x/api/utils#ECDSA",
    ],
};

pub struct UncheckedEcrecover;

impl Detector for UncheckedEcrecover {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            let mut comparisons = None;
            for (_, call) in f.calls() {
                if call.kind != bulwark_ir::facts::CallSiteKind::Builtin(Builtin::Ecrecover) {
                    continue;
                }
                let holders: Vec<DeclId> = match &call.result {
                    ResultUse::Assigned(locals) => locals.clone(),
                    _ => Vec::new(),
                };
                let comps = comparisons.get_or_insert_with(|| tested_comparisons(f));
                let involves = |at, side: &Expr| {
                    contains_expr(side, call.expr)
                        || holders.iter().any(|&h| depends_on(cx, f, at, side, h))
                };
                let mut zero_checked = false;
                let mut risky: Vec<(bulwark_ir::cfg::NodeIx, &Expr)> = Vec::new();
                for &(at, atom) in comps.iter() {
                    let ExprKind::Binary { op, lhs, rhs } = &atom.kind else {
                        continue;
                    };
                    let other = if involves(at, lhs) {
                        rhs.as_ref()
                    } else if involves(at, rhs) {
                        lhs.as_ref()
                    } else {
                        continue;
                    };
                    if is_zero(cx, f, other) {
                        zero_checked = true;
                    } else if matches!(op, BinaryOp::Eq | BinaryOp::Ne)
                        && may_be_zero(cx, f, at, other)
                    {
                        risky.push((at, other));
                    }
                }
                // The expected signer itself checked against zero.
                let expected_checked = risky.iter().any(|&(_, expected)| {
                    comps.iter().any(|&(_, atom)| {
                        let ExprKind::Binary { lhs, rhs, .. } = &atom.kind else {
                            return false;
                        };
                        (same_value(cx, f, lhs, expected) && is_zero(cx, f, rhs))
                            || (same_value(cx, f, rhs, expected) && is_zero(cx, f, lhs))
                    })
                });
                if zero_checked || expected_checked || risky.is_empty() {
                    continue;
                }
                let (at, expected) = risky[0];
                let expected_text = cx.snippet(f.file, expected.span, 40);
                let message = format!(
                    "`{}` compares the address recovered by `ecrecover` with `{expected_text}`, which \
can be the zero address, and never rules out `address(0)`, which `ecrecover` returns for an invalid \
signature",
                    cx.qualified_name(f.decl)
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span))
                        .related(
                            cx.location_in(f.decl, f.cfg.node(at).span),
                            "comparison with the expected signer",
                        )
                        .build(),
                );
            }
        }
    }
}

/// Whether `e` contains the expression `id`.
fn contains_expr(e: &Expr, id: NodeId) -> bool {
    let mut found = false;
    walk_expr(e, &mut |x| found |= x.id == id);
    found
}

/// Whether the expected signer can be zero: anything but `msg.sender`,
/// `this` and non-zero constants.
fn may_be_zero(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    at: bulwark_ir::cfg::NodeIx,
    e: &Expr,
) -> bool {
    if let Some(v) = const_value(cx, f.file, strip_conversions(cx, f.file, e)) {
        return v == 0.0;
    }
    let from = origins(cx, f, at, e);
    !from.is_empty()
        && !from
            .iter()
            .all(|o| matches!(o, Origin::Sender | Origin::This | Origin::TxOrigin))
}
