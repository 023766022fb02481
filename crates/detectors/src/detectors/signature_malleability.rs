//! `signature-malleability`: raw `ecrecover` accepts both `(r, s)` and
//! `(r, n - s)` for one message, and the contract uses the signature
//! itself as the identity of a one-time action.
//!
//! # Facts used
//! - Calls of the `ecrecover` built-in and their `v`, `r`, `s` arguments.
//! - Comparisons of `s` (through locals and conversions) with a constant
//!   in the function, or a mask applied to it (EIP-2098 compact
//!   signatures): the lower-half-order check.
//! - State writes, in the function, its helpers and its internal callers,
//!   keyed by a value derived from the signature: a `bytes` parameter
//!   holding it, or the `v`/`r`/`s` values (`used[keccak256(sig)] = true`).
//!   A local key's definition (`id = keccak256(sig)`) is a related
//!   location: that is the line to change.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::{AccessHow, CallSiteKind, ResultUse};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, DeclId, DeclKind, Type};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::constant::const_value;
use crate::analysis::critical_writes::index_keys;
use crate::analysis::entry_paths::internal_callers_and_self;
use crate::analysis::expr::{decl_of, strip_conversions};
use crate::analysis::values::{depends_on, mentioned_decls, sources, tested_comparisons};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "signature-malleability",
    title: "Malleable signature used as an identifier",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-117"],
    applies_to: "all versions",
    summary: "The contract records signatures as used, but verifies them with raw `ecrecover`, \
which also accepts a second, different encoding of every signature.",
    what: r#"Reports a call of the `ecrecover` built-in when both hold:
- nothing in the function restricts `s` to the lower half of the curve order (a comparison
  of `s` with a constant, or a mask as in compact EIP-2098 signatures), and
- the function, a helper it calls or an internal function that calls it writes a state
  entry keyed by the signature — by the `bytes` parameter carrying it, by `v`, `r` or `s`,
  or by a hash of them (`usedSignatures[keccak256(signature)] = true`).

Contracts that key their replay protection on the *message* (a nonce, the digest) are not
affected by malleability and are not reported; neither are verifications through
OpenZeppelin's `ECDSA`, which checks `s`."#,
    why: r#"For every valid signature `(v, r, s)` there is a second valid one,
`(v', r, n - s)`, for the same message and signer. A contract that remembers *signatures*
to stop replays only remembers the first encoding: an attacker who sees a signature once
computes the other one and replays the action — a second withdrawal, a second mint."#,
    exploit: r#"```solidity
function redeem(uint256 amount, bytes memory sig) external {
    require(!used[keccak256(sig)], "used");
    (uint8 v, bytes32 r, bytes32 s) = split(sig);
    require(ecrecover(keccak256(abi.encode(msg.sender, amount)), v, r, s) == issuer);
    used[keccak256(sig)] = true;
    token.transfer(msg.sender, amount);
}
```
1. Alice redeems a voucher with signature `(v, r, s)`.
2. She computes `s' = n - s` and `v' = v ^ 1` (27 ↔ 28): a different byte string that
   `ecrecover` maps to the same issuer.
3. `used[keccak256(sig')]` is false: she redeems the voucher a second time."#,
    fix: r#"Key replay protection on the message (a nonce, or the digest), and verify with a
library that rejects high-`s` signatures:
```solidity
address signer = ECDSA.recover(digest, sig); // reverts unless s <= n/2
require(!usedDigests[digest], "used");
usedDigests[digest] = true;
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-117",
        "https://eips.ethereum.org/EIPS/eip-2",
        "https://docs.openzeppelin.com/contracts/5.x/api/utils#ECDSA-tryRecover-bytes32-bytes-",
    ],
};

pub struct SignatureMalleability;

impl Detector for SignatureMalleability {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                if call.kind != CallSiteKind::Builtin(Builtin::Ecrecover) || call.args.len() != 4 {
                    continue;
                }
                let Some(s_expr) = f.expr(call.args[3]) else {
                    continue;
                };
                if s_is_restricted(cx, f, node, s_expr) {
                    continue;
                }
                let mut signature_decls: Vec<DeclId> = call.args[1..]
                    .iter()
                    .filter_map(|&a| f.expr(a))
                    .flat_map(|e| mentioned_decls(cx, f, e))
                    .collect();
                let roots = internal_callers_and_self(cx, f.decl);
                for &r in &roots {
                    if let Some(info) = cx.model.function(r) {
                        signature_decls.extend(
                            info.params
                                .iter()
                                .copied()
                                .filter(|&p| matches!(cx.model.decl_type(p), Type::Bytes(_))),
                        );
                    }
                }
                // Keys derived from the recovered address are not the
                // signature (an allowance of the signer, a nonce).
                let recovered: Vec<DeclId> = match &call.result {
                    ResultUse::Assigned(locals) => locals.clone(),
                    _ => Vec::new(),
                };
                let Some((g, at, key_defs)) =
                    keyed_by_signature(cx, &roots, &signature_decls, &recovered)
                else {
                    continue;
                };
                let Some(gf) = cx.ir.function_ir(g) else {
                    continue;
                };
                let message = format!(
                    "`{}` verifies with raw `ecrecover`, which accepts a second encoding `(r, n - s)` \
of every signature, and `{}` records signatures as used: the same authorisation can be replayed \
with the other encoding",
                    cx.qualified_name(f.decl),
                    cx.qualified_name(g)
                );
                let mut finding =
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span)).related(
                        cx.location_in(g, gf.cfg.node(at).span),
                        "signature recorded as used",
                    );
                // Where the identifier is made from the signature
                // (`id = keccak256(signature)`): the line to change.
                for def in key_defs {
                    finding = finding.related(
                        cx.location_in(g, gf.cfg.node(def).span),
                        "identifier derived from the signature",
                    );
                }
                out.push(finding.build());
            }
        }
    }
}

/// Whether `s` is compared with a constant somewhere in `f`, or masked
/// where it is computed (`vs & 0x7fff…`).
fn s_is_restricted(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, s: &Expr) -> bool {
    let s_decls = mentioned_decls(cx, f, s);
    let compared = tested_comparisons(f).into_iter().any(|(at, atom)| {
        let ExprKind::Binary { lhs, rhs, .. } = &atom.kind else {
            return false;
        };
        // `s` itself, converted or copied, not a value computed from it
        // (the recovered address depends on `s` too).
        let about_s = |e: &Expr| {
            sources(cx, f, at, e).into_iter().any(|(_, leaf)| {
                decl_of(cx, f.file, strip_conversions(cx, f.file, leaf))
                    .is_some_and(|d| s_decls.contains(&d))
            })
        };
        let constant = |e: &Expr| const_value(cx, f.file, e).is_some();
        (about_s(lhs) && constant(rhs)) || (about_s(rhs) && constant(lhs))
    });
    compared
        || sources(cx, f, node, s).into_iter().any(|(_, e)| {
            matches!(
                &e.kind,
                ExprKind::Binary {
                    op: BinaryOp::BitAnd,
                    ..
                }
            )
        })
}

/// A state write keyed by one of `signature` (directly or through
/// hashes and locals) in the functions reachable from `roots`: the
/// function, the write, and the definitions of a local key.
fn keyed_by_signature(
    cx: &AnalysisContext<'_>,
    roots: &[DeclId],
    signature: &[DeclId],
    recovered: &[DeclId],
) -> Option<(DeclId, NodeIx, Vec<NodeIx>)> {
    for &r in roots {
        let contract = cx.model.function(r).and_then(|i| i.contract);
        for g in cx.ir.call_graph().reachable_in(cx.ir, contract, r) {
            let Some(gf) = cx.ir.function_ir(g) else {
                continue;
            };
            for (n, _) in gf.cfg.nodes() {
                for w in &gf.facts(n).state_writes {
                    if w.how != AccessHow::Element {
                        continue;
                    }
                    let key = index_keys(gf, n, w).into_iter().find(|k| {
                        !recovered.iter().any(|&r| depends_on(cx, gf, n, k, r))
                            && signature.iter().any(|&d| {
                                matches!(
                                    cx.model.decl(d).kind,
                                    DeclKind::Param | DeclKind::LocalVar
                                ) && depends_on(cx, gf, n, k, d)
                            })
                    });
                    if let Some(key) = key {
                        let defs = decl_of(cx, gf.file, key)
                            .filter(|&d| cx.model.decl(d).kind == DeclKind::LocalVar)
                            .map(|d| gf.reaching_defs().reaching(n, d))
                            .unwrap_or_default();
                        return Some((g, n, defs));
                    }
                }
            }
        }
    }
    None
}
