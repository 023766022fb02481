//! `signature-replay`: a state-changing function accepts a signature whose
//! digest nothing makes single-use, so the same signature works again.
//!
//! # Facts used
//! - Verification sites ([`crate::analysis::signatures`]): `ecrecover`, or
//!   a call passing the digest to a function that reaches `ecrecover`
//!   (computed to a fixpoint over wrappers such as `ECDSA.recover`).
//! - The digest's ingredients through locals, hashes and internal calls.
//! - Single use, recognised by behaviour in the function, its modifiers,
//!   its helpers and its internal callers: a hashed state variable that
//!   the call also writes (a nonce, `nonces[owner]++`, `_useNonce`), or a
//!   mapping entry tested by a reverting check as a flag (a `bool`) or for
//!   equality, and written by the same call (`require(!used[digest]);
//!   used[digest] = true;`, a per-account claim, `require(nonce ==
//!   nonces[signer])`), or required to be zero before the call sets it
//!   (`require(vc.timeout == 0)`). A balance check is no such test.
//! - View and pure functions only verify; whoever acts on the answer owns
//!   the replay question.

use std::collections::BTreeSet;

use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Mutability, VarMutability};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::conditions::{atoms, is_guard, tested};
use crate::analysis::constant::const_value;
use crate::analysis::critical_state::is_membership;
use crate::analysis::entry_paths::internal_callers_and_self;
use crate::analysis::expr::strip_conversions;
use crate::analysis::signatures::{
    hash_sites, ingredients, verifications, DigestParams, Ingredients,
};
use crate::analysis::values::{depends_on, sources};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "signature-replay",
    title: "Signature can be replayed",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-121"],
    applies_to: "all versions",
    summary: "A function acts on a signed message, but the message holds no nonce and nothing \
marks it as used, so anyone who has seen the signature once can submit it again.",
    what: r#"Reports a signature verification in a function that changes state — a call of
`ecrecover`, or of a helper that passes the digest on to it (`ECDSA.recover`,
`SignatureChecker`, a contract's own `_verify`, including helpers that re-hash a `bytes32`
digest first with the `\x19Ethereum Signed Message` prefix or an EIP-712 domain) — when the
signed digest is computed in the function and nothing makes it single-use:
- no state variable hashed into the digest is written by the same call (a nonce:
  `nonces[signer]++`, `_useNonce(owner)`), and
- no mapping entry is tested as a flag, for equality or for zero by a reverting check and
  written by the call (`require(!executed[digest]); executed[digest] = true;`, `claimed[account]`,
  `require(nonce == nonces[signer])`); a balance check does not make a signature
  single-use.

The search covers the function's modifiers and helpers and the internal functions that
call it. A deadline is not single use: the signature stays valid until it expires. View
and pure functions only verify and are not reported. Missing chain ids or contract
addresses (cross-chain and cross-contract replay) are not this detector's subject."#,
    why: r#"A signature is a permission. Without a nonce or a used-set, the permission never
expires: a signed withdrawal can be withdrawn again, a signed order filled twice, a
meta-transaction executed as many times as the relayer wants. Signatures are public as soon
as they appear in a transaction, so anyone can do it."#,
    exploit: r#"```solidity
function claim(address to, uint256 amount, bytes calldata sig) external {
    bytes32 digest = keccak256(abi.encodePacked(to, amount));
    require(ECDSA.recover(digest, sig) == treasurer, "bad signature");
    token.transfer(to, amount);
}
```
1. The treasurer signs a claim of 1,000 tokens for Alice; Alice submits it.
2. Anyone copies `(to, amount, sig)` from Alice's transaction and calls `claim` again.
3. Each call pays Alice another 1,000 tokens until the treasury is empty (or, if `to` was
   `msg.sender` in the digest, Alice drains it herself)."#,
    fix: r#"Put a per-signer nonce in the digest and consume it, or record each digest as used;
include `block.chainid` and `address(this)` (an EIP-712 domain) as well:
```solidity
bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(CLAIM_TYPEHASH, to, amount, nonces[to]++)));
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-121",
        "https://eips.ethereum.org/EIPS/eip-712",
        "https://docs.openzeppelin.com/contracts/5.x/api/utils#Nonces",
    ],
};

pub struct SignatureReplay;

impl Detector for SignatureReplay {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let params = DigestParams::compute(cx);
        for f in cx.ir.functions() {
            let Some(info) = cx.model.function(f.decl) else {
                continue;
            };
            if matches!(info.mutability, Mutability::View | Mutability::Pure) || info.is_modifier()
            {
                continue;
            }
            for v in verifications(cx, &params, f) {
                let ing = ingredients(cx, f, v.node, v.digest);
                if single_use(cx, f, &ing) {
                    continue;
                }
                let covered = describe(cx, &ing);
                // Where the digest is computed (through locals).
                let hashed = sources(cx, f, v.node, v.digest)
                    .into_iter()
                    .map(|(_, e)| e)
                    .find(|e| matches!(e.kind, ExprKind::Call { .. }))
                    .unwrap_or(v.digest);
                let message = format!(
                    "`{}` acts on a signature over {covered}, but nothing hashed is a nonce this call \
consumes and nothing records the digest as used: the same signature can be submitted again",
                    cx.qualified_name(f.decl)
                );
                let mut finding =
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, v.call.span))
                        .related(cx.location_in(f.decl, hashed.span), "the signed digest");
                // Where the message itself is hashed (through locals and
                // the functions computing the digest): what lacks a nonce.
                for (g, span) in hash_sites(cx, f, v.node, v.digest, 0) {
                    if g != f.decl
                        || !(span.start <= hashed.span.start && hashed.span.end <= span.end)
                    {
                        finding = finding
                            .related(cx.location_in(g, span), "the signed message is hashed here");
                    }
                }
                out.push(finding.build());
            }
        }
    }
}

/// Whether the verification in `f` can only succeed once per message: a
/// hashed nonce written by the call, or a test-and-set mapping.
fn single_use(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, ing: &Ingredients) -> bool {
    let roots = internal_callers_and_self(cx, f.decl);
    let mut writes: BTreeSet<DeclId> = BTreeSet::new();
    let mut context: BTreeSet<DeclId> = BTreeSet::new();
    for &r in &roots {
        let contract = cx.model.function(r).and_then(|i| i.contract);
        writes.extend(
            cx.ir
                .access()
                .transitive(cx.ir, contract, r)
                .writes
                .iter()
                .copied(),
        );
        context.extend(cx.ir.call_graph().reachable_in(cx.ir, contract, r));
    }
    let mutable = |v: &DeclId| {
        cx.model
            .state_var(*v)
            .is_some_and(|s| s.mutability == VarMutability::Mutable)
    };
    let nonce = ing.state.iter().any(|v| mutable(v) && writes.contains(v))
        || ing.calls.iter().any(|&c| {
            let contract = cx.model.function(c).and_then(|i| i.contract);
            !cx.ir
                .access()
                .transitive(cx.ir, contract, c)
                .writes
                .is_empty()
        });
    if nonce {
        return true;
    }
    // A flag set by the call and tested before it: `require(!used[h])`,
    // `require(!claimed[account])`, a view of such a flag, or an entry
    // compared for equality (`require(nonce == nonces[signer])`).
    let flagged = context.iter().any(|&g| {
        let contract = cx.model.function(g).and_then(|i| i.contract);
        cx.ir.function_ir(g).is_some_and(|gf| {
            gf.cfg.nodes().any(|(n, _)| {
                if !is_guard(gf, n) {
                    return false;
                }
                let reads = cx.ir.access().at_node(cx.ir, contract, g, n).reads;
                let equality = tested(gf, n)
                    .into_iter()
                    .any(|c| has_equality(cx, gf, c) || has_zero_test(cx, gf, c));
                reads.iter().any(|v| {
                    writes.contains(v) && (equality || is_membership(cx.model.decl_type(*v)))
                })
            })
        })
    });
    flagged || hashed_param_checked_by_helper(cx, f, ing)
}

/// Whether a condition requires a value to be zero (`require(x.timeout ==
/// 0)`): with the entry written by the same call, a not-yet-used slot.
fn has_zero_test(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, cond: &Expr) -> bool {
    let mut parts = Vec::new();
    atoms(cond, &mut parts);
    parts.into_iter().any(|atom| match &unparen(atom).kind {
        ExprKind::Binary {
            op: BinaryOp::Eq,
            lhs,
            rhs,
        } => [lhs, rhs]
            .into_iter()
            .any(|side| const_value(cx, f.file, strip_conversions(cx, f.file, side)) == Some(0.0)),
        _ => false,
    })
}

/// Whether a condition compares two non-constant values for equality.
fn has_equality(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, cond: &Expr) -> bool {
    let mut parts = Vec::new();
    atoms(cond, &mut parts);
    parts.into_iter().any(|atom| match &unparen(atom).kind {
        ExprKind::Binary {
            op: BinaryOp::Eq | BinaryOp::Ne,
            lhs,
            rhs,
        } => {
            const_value(cx, f.file, strip_conversions(cx, f.file, lhs)).is_none()
                && const_value(cx, f.file, strip_conversions(cx, f.file, rhs)).is_none()
        }
        _ => false,
    })
}

/// A hashed parameter passed to a helper that writes state and, itself or
/// through the helpers it passes the value on to, checks it against that
/// state: equality with a non-constant (a nonce consumed by
/// `_useCheckedNonce(signer, nonce)`) or a flag (`_usedNonces[a][nonce]`).
/// Helpers are dispatched in the verifying function's contract.
fn hashed_param_checked_by_helper(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    ing: &Ingredients,
) -> bool {
    f.calls().any(|(node, call)| {
        let Some(callee) = internal_callee(cx, f.contract, &call.kind) else {
            return false;
        };
        call.args.iter().enumerate().any(|(j, &arg)| {
            f.expr(arg).is_some_and(|arg| {
                ing.params.iter().any(|&p| depends_on(cx, f, node, arg, p))
                    && checks_param(cx, f.contract, callee, j, 0)
            })
        })
    })
}

/// The function an internal or library call runs, dispatched in
/// `contract`.
fn internal_callee(
    cx: &AnalysisContext<'_>,
    contract: Option<DeclId>,
    kind: &CallSiteKind,
) -> Option<DeclId> {
    let callee = match *kind {
        CallSiteKind::Internal { function, .. } | CallSiteKind::Library { function, .. } => {
            function
        }
        _ => return None,
    };
    Some(match contract {
        Some(c) => cx.ir.dispatch(c, callee),
        None => callee,
    })
}

/// Whether `function` (run in `contract`) checks its parameter `index`
/// against state it writes — for equality with a non-constant, or as the
/// key of a flag — or passes it to a helper that does.
fn checks_param(
    cx: &AnalysisContext<'_>,
    contract: Option<DeclId>,
    function: DeclId,
    index: usize,
    depth: u32,
) -> bool {
    let (Some(info), Some(f)) = (cx.model.function(function), cx.ir.function_ir(function)) else {
        return false;
    };
    let Some(&param) = info.params.get(index) else {
        return false;
    };
    let writes = cx
        .ir
        .access()
        .transitive(cx.ir, contract, function)
        .writes
        .clone();
    if writes.is_empty() {
        return false;
    }
    let here = f.cfg.nodes().any(|(n, _)| {
        if !is_guard(f, n) {
            return false;
        }
        let conds = tested(f, n);
        if !conds.iter().any(|c| depends_on(cx, f, n, c, param)) {
            return false;
        }
        let equality = conds.iter().any(|c| has_equality(cx, f, c));
        let flag = cx
            .ir
            .access()
            .at_node(cx.ir, contract, function, n)
            .reads
            .iter()
            .any(|v| writes.contains(v) && is_membership(cx.model.decl_type(*v)));
        equality || flag
    });
    if here || depth >= 4 {
        return here;
    }
    f.calls().any(|(node, call)| {
        internal_callee(cx, contract, &call.kind).is_some_and(|callee| {
            call.args.iter().enumerate().any(|(j, &arg)| {
                f.expr(arg).is_some_and(|arg| {
                    depends_on(cx, f, node, arg, param)
                        && checks_param(cx, contract, callee, j, depth + 1)
                })
            })
        })
    })
}

/// "a digest of `to`, `amount`" for messages.
fn describe(cx: &AnalysisContext<'_>, ing: &Ingredients) -> String {
    let mut parts: Vec<String> = ing
        .params
        .iter()
        .map(|&p| format!("`{}`", cx.model.decl(p).name))
        .collect();
    parts.extend(
        ing.state
            .iter()
            .map(|&s| format!("`{}`", cx.model.decl(s).name)),
    );
    if ing.chain_id {
        parts.push("the chain id".to_string());
    }
    if ing.this_address {
        parts.push("this contract's address".to_string());
    }
    parts.truncate(6);
    if parts.is_empty() {
        "a fixed message".to_string()
    } else {
        format!("a digest of {}", parts.join(", "))
    }
}
