//! `signature-missing-domain`: a verified digest binds neither the chain
//! nor the contract, so a signature made for one deployment is valid on
//! every other.
//!
//! # Facts used
//! - Verification sites and digest ingredients from
//!   [`crate::analysis::signatures`] (through locals, hashes, internal
//!   calls and the functions they reach).
//! - Domain binding: `block.chainid` or `address(this)` hashed into the
//!   digest directly or by a called function (`_domainSeparatorV4()`,
//!   `DOMAIN_SEPARATOR()`), or a hashed `bytes32` state variable that is
//!   initialised or assigned from a value that is itself bound (an
//!   immutable `DOMAIN_SEPARATOR` computed in the constructor). A
//!   `bytes32` state variable assigned a value we cannot see is given the
//!   benefit of the doubt.
//! - Digests that are parameters of the verifying function, or re-hash a
//!   `bytes32` parameter, are left to its callers (a wrapper such as
//!   `isValidSignature(hash, sig)`, a helper adding the eth_sign prefix).

use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, CallKind, DeclId, Type};
use bulwark_syntax::ast::ExprKind;

use crate::analysis::expr::root_state_var;
use crate::analysis::signatures::{hash_sites, ingredients, verifications, DigestParams};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "signature-missing-domain",
    title: "Signed digest without a domain (chain id, contract)",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-121"],
    applies_to: "all versions",
    summary: "A signature is verified over a digest that includes neither `block.chainid` nor \
`address(this)` (no EIP-712 domain separator): the same signature is valid on every chain and \
every contract that verifies the same message format.",
    what: r#"Reports a signature verification — `ecrecover`, or a helper that passes the digest on
to it — whose digest covers neither the chain id nor this contract's address: not directly, not
through a function it calls (`_domainSeparatorV4()`, `DOMAIN_SEPARATOR()`), and not through a
hashed `bytes32` state variable whose assigned value covers them (an immutable domain separator
computed in the constructor).

Not reported: digests received as parameters (the function is a wrapper; its callers are
checked); digests binding only one of the two (a fixed-address contract without the chain id is
not reported — the risk needs a same-address deployment on another chain). Nonces do not help:
each chain's deployment keeps its own."#,
    why: r#"A signature authorises a message, and the message must say where it is valid. An
EIP-712 domain separator carries the chain id and the verifying contract; without them a meta-
transaction, a voucher or a permit signed for one deployment — a forwarder deployed at the same
address on several chains, a second instance of the same vault, a testnet — can be replayed on
the others, where the signer's nonce is still unused. SWC-121 (missing protection against
signature replay)."#,
    exploit: r#"```solidity
function hashRequest(Request calldata r) public pure returns (bytes32) {
    return keccak256(abi.encodePacked("\x19\x01", keccak256(abi.encode(TYPEHASH, r.from, r.to, r.nonce))));
}
```
1. The forwarder is deployed at the same address on Ethereum and on an L2.
2. Alice signs a request on the L2 that moves her tokens there, nonce 0.
3. Anyone submits the same request and signature to the forwarder on Ethereum, where Alice's
   nonce is also 0: it executes with her authority there too."#,
    fix: r#"Hash an EIP-712 domain separator that includes `block.chainid` and `address(this)` (and
recompute it if the chain id changes), for example with OpenZeppelin's `EIP712`:
```solidity
bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(TYPEHASH, r.from, r.to, r.nonce)));
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-121",
        "https://eips.ethereum.org/EIPS/eip-712",
        "https://eips.ethereum.org/EIPS/eip-155",
    ],
};

pub struct SignatureMissingDomain;

impl Detector for SignatureMissingDomain {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let params = DigestParams::compute(cx);
        for f in cx.ir.functions() {
            let Some(info) = cx.model.function(f.decl) else {
                continue;
            };
            if info.is_modifier() {
                continue;
            }
            for v in verifications(cx, &params, f) {
                let ing = ingredients(cx, f, v.node, v.digest);
                if ing.chain_id || ing.this_address {
                    continue;
                }
                // A `bytes32` parameter re-hashed (`\x19Ethereum Signed
                // Message` over a digest the caller computed): the domain
                // is the caller's question.
                if ing
                    .params
                    .iter()
                    .any(|&p| matches!(cx.model.decl_type(p), Type::FixedBytes(32)))
                {
                    continue;
                }
                if ing.state.iter().any(|&s| bound_state(cx, s)) {
                    continue;
                }
                // Nothing variable hashed at all (a fixed message) is a
                // different problem.
                if ing.params.is_empty() && ing.state.is_empty() && ing.calls.is_empty() {
                    continue;
                }
                let message = format!(
                    "`{}` verifies a signature over a digest that covers neither `block.chainid` nor \
`address(this)` (no EIP-712 domain): the same signature is valid on other chains and other \
deployments; hash a domain separator into the digest",
                    cx.qualified_name(f.decl)
                );
                let mut finding =
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, v.call.span));
                for (g, span) in hash_sites(cx, f, v.node, v.digest, 0) {
                    finding = finding
                        .related(cx.location_in(g, span), "the signed digest is hashed here");
                }
                out.push(finding.build());
            }
        }
    }
}

/// Whether a hashed state variable carries a domain: a `bytes32` whose
/// initialiser or some assigned value covers the chain id or this
/// contract's address, or is assigned a value we cannot see.
fn bound_state(cx: &AnalysisContext<'_>, var: DeclId) -> bool {
    let Some(info) = cx.model.state_var(var) else {
        return false;
    };
    if !matches!(info.ty, Type::FixedBytes(32)) {
        return false;
    }
    if let Some(init) = &info.ast.initializer {
        let mut bound = false;
        bulwark_ir::walk::walk_expr(init, &mut |e| {
            bound |= matches!(
                cx.model
                    .resolution(info.file, e.id)
                    .and_then(|r| r.builtin()),
                Some(Builtin::BlockChainid | Builtin::This)
            ) || matches!(
                cx.model.call_kind(info.file, e.id),
                Some(CallKind::Internal(_))
            );
        });
        if bound {
            return true;
        }
    }
    // Assignments anywhere (immutables are assigned in the constructor
    // and may not be recorded as state writes).
    cx.ir.functions().any(|g| {
        g.cfg.nodes().any(|(n, node)| {
            let mut bound = false;
            for root in node.exprs() {
                bulwark_ir::walk::walk_expr(root, &mut |e| {
                    if let ExprKind::Assign { lhs, rhs, .. } = &e.kind {
                        if root_state_var(cx, g.file, lhs) == Some(var) {
                            let i = ingredients(cx, g, n, rhs);
                            bound |= i.chain_id || i.this_address || !i.calls.is_empty();
                        }
                    }
                });
            }
            bound
        }) || g
            .state_writes()
            .any(|(_, a)| a.var == var && a.value.is_none())
    })
}
