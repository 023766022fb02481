//! Signature verification sites and what their signed digest is made of.
//!
//! A *verification* is a call of `ecrecover`, or of a function that passes
//! one of its parameters on to `ecrecover` as the digest (OpenZeppelin's
//! `ECDSA.recover`, `SignatureChecker.isValidSignatureNow`, a contract's own
//! `_verify`). Which parameters reach `ecrecover` is computed once for the
//! whole project, to a fixpoint over internal and library calls.
//!
//! The *ingredients* of a digest are what its hash covers: state variables
//! (a nonce), `block.chainid`, `address(this)`, values of internal calls
//! (a domain separator, `_useNonce(owner)`, which also writes state), and
//! the function's parameters. They are collected through locals.

use std::collections::{BTreeSet, HashMap};

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::{CallSite, CallSiteKind};
use bulwark_ir::walk::walk_expr;
use bulwark_ir::FunctionIr;
use bulwark_sema::{Builtin, CallKind, DeclId, DeclKind, Res, Type};
use bulwark_syntax::ast::{Expr, ExprKind, NodeId};
use bulwark_syntax::Span;

use crate::analysis::provenance::{origins, Origin};
use crate::analysis::values::{definitions, local_of, sources};
use crate::detector::AnalysisContext;

/// Per function, the indices of its parameters that reach `ecrecover` as
/// the digest.
#[derive(Debug, Default)]
pub struct DigestParams {
    by_function: HashMap<DeclId, BTreeSet<usize>>,
}

impl DigestParams {
    pub fn compute(cx: &AnalysisContext<'_>) -> DigestParams {
        let mut map = DigestParams::default();
        // Each round can only add indices; the number of rounds is bounded
        // by the depth of wrapper chains.
        for _ in 0..8 {
            let mut changed = false;
            for f in cx.ir.functions() {
                for (node, call) in f.calls() {
                    for arg in map.digest_args(call) {
                        let Some(e) = f.expr(arg) else { continue };
                        for o in origins(cx, f, node, e) {
                            if let Origin::Param(i) = o {
                                changed |= map.by_function.entry(f.decl).or_default().insert(i);
                            }
                        }
                        // A `bytes32` parameter re-hashed into the digest
                        // is a digest being wrapped (the `\x19Ethereum
                        // Signed Message` prefix, an EIP-712 domain).
                        for i in rehashed_digest_params(cx, f, node, e) {
                            changed |= map.by_function.entry(f.decl).or_default().insert(i);
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        map
    }

    /// The argument expressions of `call` that are digests verified
    /// against a signature.
    pub fn digest_args(&self, call: &CallSite) -> Vec<NodeId> {
        match &call.kind {
            CallSiteKind::Builtin(Builtin::Ecrecover) => {
                call.args.first().copied().into_iter().collect()
            }
            CallSiteKind::Internal { function, .. } | CallSiteKind::Library { function, .. } => {
                self.by_function
                    .get(function)
                    .into_iter()
                    .flatten()
                    .filter_map(|&i| call.args.get(i).copied())
                    .collect()
            }
            // `using ECDSA for bytes32; digest.recover(sig)`: the receiver
            // is parameter 0 of the library function.
            CallSiteKind::BoundInternal { function, receiver } => self
                .by_function
                .get(function)
                .into_iter()
                .flatten()
                .filter_map(|&i| {
                    if i == 0 {
                        Some(*receiver)
                    } else {
                        call.args.get(i - 1).copied()
                    }
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether `function` passes one of its parameters on as a digest.
    pub fn is_wrapper(&self, function: DeclId) -> bool {
        self.by_function
            .get(&function)
            .is_some_and(|s| !s.is_empty())
    }
}

/// The indices of `f`'s `bytes32` parameters that the digest `e` (at
/// `node`) hashes: `keccak256(abi.encodePacked("\x19Ethereum Signed
/// Message:\n32", digest))`, `keccak256(abi.encodePacked("\x19\x01",
/// domain, structHash))`.
fn rehashed_digest_params(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
) -> Vec<usize> {
    let Some(info) = cx.model.function(f.decl) else {
        return Vec::new();
    };
    let ing = ingredients(cx, f, node, e);
    info.params
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            ing.params.contains(p) && matches!(cx.model.decl_type(**p), Type::FixedBytes(32))
        })
        .map(|(i, _)| i)
        .collect()
}

/// One verification: the call, and the digest expression it checks.
#[derive(Clone, Copy, Debug)]
pub struct Verification<'p> {
    pub node: NodeIx,
    pub call: &'p CallSite,
    pub digest: &'p Expr,
}

/// The verifications of `f` whose digest `f` computes itself (not one of
/// its parameters passed through).
pub fn verifications<'p>(
    cx: &AnalysisContext<'_>,
    params: &DigestParams,
    f: &'p FunctionIr<'p>,
) -> Vec<Verification<'p>> {
    let mut out = Vec::new();
    for (node, call) in f.calls() {
        for arg in params.digest_args(call) {
            let Some(digest) = f.expr(arg) else { continue };
            let from = origins(cx, f, node, digest);
            if from.iter().any(|o| matches!(o, Origin::Param(_))) {
                continue;
            }
            out.push(Verification { node, call, digest });
        }
    }
    out
}

/// What a digest covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ingredients {
    /// State variables read into the hash (directly or by internal calls).
    pub state: BTreeSet<DeclId>,
    /// Internal functions whose value is hashed.
    pub calls: BTreeSet<DeclId>,
    /// Parameters of the function hashed.
    pub params: BTreeSet<DeclId>,
    pub chain_id: bool,
    pub this_address: bool,
    /// `block.timestamp` compared or hashed (a deadline is not a nonce,
    /// but callers like to know).
    pub timestamp: bool,
}

/// The ingredients of `digest` evaluated at `node` of `f`.
pub fn ingredients(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    digest: &Expr,
) -> Ingredients {
    let mut out = Ingredients::default();
    collect(cx, f, node, digest, 0, &mut out);
    out
}

fn collect(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    depth: u32,
    out: &mut Ingredients,
) {
    if depth > 6 {
        return;
    }
    let mut locals = Vec::new();
    walk_expr(expr, &mut |e| {
        if let Some(local) = local_of(cx, f, e) {
            locals.push(local);
            return;
        }
        match cx.model.resolution(f.file, e.id) {
            Some(Res::Decl(d)) => match cx.model.decl(*d).kind {
                DeclKind::StateVar => {
                    out.state.insert(*d);
                }
                DeclKind::Param => {
                    out.params.insert(*d);
                }
                _ => {}
            },
            Some(Res::Builtin(Builtin::BlockChainid)) => out.chain_id = true,
            Some(Res::Builtin(Builtin::This)) => out.this_address = true,
            Some(Res::Builtin(Builtin::BlockTimestamp | Builtin::Now)) => out.timestamp = true,
            _ => {}
        }
        if let Some(CallKind::Internal(callee) | CallKind::BoundInternal(callee)) =
            cx.model.call_kind(f.file, e.id)
        {
            add_callee(cx, f, *callee, out);
        }
        if let Some(CallKind::Library { function, .. }) = cx.model.call_kind(f.file, e.id) {
            add_callee(cx, f, *function, out);
        }
    });
    for local in locals {
        for (def, value) in definitions(f, node, local) {
            collect(cx, f, def, value, depth + 1, out);
        }
    }
}

/// An internal call in a digest: what the callee reads (a domain
/// separator's chain id, a nonce) counts as hashed.
fn add_callee(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, callee: DeclId, out: &mut Ingredients) {
    let callee = match f.contract {
        Some(c) => cx.ir.dispatch(c, callee),
        None => callee,
    };
    out.calls.insert(callee);
    let reach = cx.ir.call_graph().reachable_in(cx.ir, f.contract, callee);
    out.state.extend(
        cx.ir
            .access()
            .transitive(cx.ir, f.contract, callee)
            .reads
            .iter()
            .copied(),
    );
    for g in reach {
        let Some(gf) = cx.ir.function_ir(g) else {
            continue;
        };
        for (_, n) in gf.cfg.nodes() {
            for root in n.exprs() {
                walk_expr(root, &mut |e| match cx.model.resolution(gf.file, e.id) {
                    Some(Res::Builtin(Builtin::BlockChainid)) => out.chain_id = true,
                    Some(Res::Builtin(Builtin::This)) => out.this_address = true,
                    _ => {}
                });
            }
        }
        if gf
            .all_facts()
            .iter()
            .any(|x| x.reads_env(Builtin::BlockChainid))
        {
            out.chain_id = true;
        }
    }
}

/// The statements hashing the digest: the definitions of the locals it is
/// built from and the return statements of the internal functions that
/// compute it.
pub fn hash_sites(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
) -> Vec<(DeclId, Span)> {
    let mut out = Vec::new();
    if depth > 3 {
        return out;
    }
    for (n, v) in sources(cx, f, node, e) {
        if n != node {
            out.push((f.decl, f.cfg.node(n).span));
        }
        if let ExprKind::Call { .. } = &v.kind {
            // Locals hashed inside (`keccak256(abi.encodePacked(prefix,
            // message))`): where the message itself is hashed.
            let mut inner = Vec::new();
            bulwark_ir::walk::walk_expr(v, &mut |x| {
                if local_of(cx, f, x).is_some() {
                    inner.push(x);
                }
            });
            for x in inner {
                out.extend(hash_sites(cx, f, n, x, depth + 1));
            }
            let callee = match cx.model.call_kind(f.file, v.id) {
                Some(CallKind::Internal(c) | CallKind::BoundInternal(c)) => *c,
                _ => continue,
            };
            let callee = match f.contract {
                Some(c) => cx.ir.dispatch(c, callee),
                None => callee,
            };
            if let Some(g) = cx.ir.function_ir(callee) {
                for (rn, rnode) in g.cfg.nodes() {
                    if let NodeKind::Return(Some(r)) = rnode.kind {
                        out.push((callee, rnode.span));
                        out.extend(hash_sites(cx, g, rn, r, depth + 1));
                    }
                }
            }
        }
    }
    out.sort_by_key(|(d, s)| (d.index(), s.start));
    out.dedup();
    out.truncate(4);
    out
}
