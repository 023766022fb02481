//! `encode-packed-collision`: a hash over `abi.encodePacked` of two or more
//! dynamic values, at least one chosen by the caller, so that different
//! inputs produce the same hash.
//!
//! # Facts used
//! - Calls of the `keccak256`/`sha3`/`sha256` built-ins whose argument is
//!   (through locals) a call of the `abi.encodePacked` built-in.
//! - The types of the packed arguments: `string`, `bytes` and dynamic
//!   arrays are packed without their length; string literals have a fixed
//!   content and do not count; two dynamic arguments must be adjacent.
//! - Taint of the dynamic arguments: a parameter, stored user input, call
//!   data or an external call's result.

use std::collections::HashSet;

use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::taint::Source;
use bulwark_ir::walk::call_args;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, CallKind, Type};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::values::sources;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "encode-packed-collision",
    title: "Hash collision through abi.encodePacked",
    severity: Severity::Medium,
    confidence: Confidence::High,
    swc: &["SWC-133"],
    applies_to: "0.4.22 and later (`abi.encodePacked`)",
    summary: "A hash is taken over `abi.encodePacked` of several dynamic values, which are \
concatenated without their lengths, so different inputs give the same hash.",
    what: r#"Reports a call of `abi.encodePacked` whose result is hashed (`keccak256`, `sha256`,
directly or through a local) when two arguments next to each other have a dynamic type —
`string`, `bytes`, or an array without fixed length — and at least one dynamic argument
comes from the caller (a parameter, stored user input, call data, an external call's
result).

String literals are fixed and do not count; a literal or a fixed-size value between two
dynamic values separates them and the pair is not reported (it makes a collision much
harder, though not always impossible); `abi.encode` pads and prefixes lengths and is never
reported."#,
    why: r#"`abi.encodePacked` writes dynamic values back to back, without their lengths:
`("ab", "c")` and `("a", "bc")` both pack to `"abc"`. When the hash identifies something —
a signed message, an allow-list entry, a commitment, a storage key — an attacker can move
bytes from one argument to the next and obtain the same hash for a different meaning:
reuse a signature for other parameters, or collide with someone else's entry."#,
    exploit: r#"```solidity
function verify(string calldata role, string calldata account, bytes calldata sig) external {
    bytes32 digest = keccak256(abi.encodePacked(role, account));
    require(ECDSA.recover(digest, sig) == admin);
    grant(role, account);
}
```
1. The admin signs `("minter", "alice")` for Alice.
2. The attacker submits `("minte", "ralice")` with the same signature: same packed bytes,
   same digest, a different role and account are granted."#,
    fix: r#"Use `abi.encode`, which keeps lengths, or put fixed-size values between dynamic
ones; for a single dynamic value `encodePacked` is fine:
```solidity
bytes32 digest = keccak256(abi.encode(role, account));
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-133",
        "https://docs.soliditylang.org/en/latest/abi-spec.html#non-standard-packed-mode",
    ],
};

pub struct EncodePackedCollision;

impl Detector for EncodePackedCollision {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let taint = cx.ir.taint();
        for f in cx.ir.functions() {
            let mut reported = HashSet::new();
            for (node, call) in f.calls() {
                if !matches!(
                    call.kind,
                    CallSiteKind::Builtin(Builtin::Keccak256 | Builtin::Sha3 | Builtin::Sha256)
                ) {
                    continue;
                }
                let Some(arg) = call.args.first().and_then(|&a| f.expr(a)) else {
                    continue;
                };
                for (_, packed) in sources(cx, f, node, arg) {
                    let ExprKind::Call { args, .. } = &packed.kind else {
                        continue;
                    };
                    if cx.model.call_kind(f.file, packed.id)
                        != Some(&CallKind::Builtin(Builtin::AbiEncodePacked))
                        || !reported.insert(packed.id)
                    {
                        continue;
                    }
                    let is_dynamic = |a: &Expr| {
                        matches!(
                            cx.model.type_of(f.file, a.id),
                            Some(Type::String(_) | Type::Bytes(_) | Type::Array { len: None, .. })
                        )
                    };
                    // Two dynamic values side by side: nothing marks where
                    // one ends (a literal or a fixed-size value between
                    // them is a separator).
                    let packed_args = call_args(args);
                    let adjacent = packed_args
                        .windows(2)
                        .any(|w| is_dynamic(w[0]) && is_dynamic(w[1]));
                    if !adjacent {
                        continue;
                    }
                    let dynamic: Vec<&Expr> =
                        packed_args.into_iter().filter(|a| is_dynamic(a)).collect();
                    let chosen = dynamic.iter().any(|a| {
                        let t = taint.expr(cx.ir, f.decl, a.id);
                        t.has(Source::Param)
                            || t.has(Source::StoredInput)
                            || t.has(Source::MsgData)
                            || t.has(Source::ExternalCall)
                    });
                    if !chosen {
                        continue;
                    }
                    let names: Vec<String> = dynamic
                        .iter()
                        .map(|a| format!("`{}`", cx.snippet(f.file, a.span, 30)))
                        .collect();
                    let message = format!(
                        "`{}` hashes `abi.encodePacked` of {} dynamic values ({}), which are packed \
without their lengths: different inputs give the same hash; use `abi.encode`",
                        cx.qualified_name(f.decl),
                        dynamic.len(),
                        names.join(", ")
                    );
                    out.push(
                        FindingBuilder::new(&META, message, cx.location_in(f.decl, packed.span))
                            .build(),
                    );
                }
            }
        }
    }
}
