//! `token-callback-reentrancy`: an inherited token operation that calls
//! the recipient's hook (`_safeMint` → `onERC721Received`, ERC1155 `_mint`
//! → `onERC1155Received`, ERC777 `_send`/`_mint` → `tokensReceived`) runs
//! before the function has written back state it read.
//!
//! `reentrancy-no-eth` finds these when the token implementation is in the
//! project (it follows the internal call down to the hook). This detector
//! covers the calls whose implementation it cannot see — the base comes
//! from a missing import, or is declared without a body — recognising the
//! operation by its name and arity, as the standards fix them.
//!
//! # Facts used
//! - Internal calls that resolve to no function with a body (unresolved,
//!   or a declaration without implementation), by name and argument count.
//! - Per CFG node, state read and written (internal callees included): a
//!   variable read on a path to the call and written on a path from it
//!   that can still complete.
//! - Reentrancy locks of the function (IR guards, by behaviour).

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::{CallSite, CallSiteKind};
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DeclId, Mutability};
use bulwark_syntax::ast::{ExprKind, FunctionKind};

use crate::analysis::access::Access;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "token-callback-reentrancy",
    title: "State written after a token operation that calls the recipient",
    severity: Severity::Medium,
    confidence: Confidence::Medium,
    swc: &["SWC-107"],
    applies_to: "all versions",
    summary: "A safe mint or transfer of an ERC721, ERC1155 or ERC777 token calls a hook on the \
recipient before this function has updated state it checked, so the recipient can call back \
in and pass the same check again.",
    what: r#"Reports a call to an inherited token operation that invokes the recipient's hook —
`_safeMint` and `_safeTransfer` (ERC721, `onERC721Received`), `_mint`, `_mintBatch`,
`_safeTransferFrom` and `_safeBatchTransferFrom` with the ERC1155 arity
(`onERC1155Received`), `_send` (ERC777, `tokensReceived`) — when the function read a state
variable before the call and writes it after, and holds no reentrancy lock.

Only operations whose implementation is not in the analysed code are reported here (a
missing import, a base declared without body): when the implementation is available,
`reentrancy-no-eth` follows the call to the hook and reports it there."#,
    why: r#""Safe" mints and transfers are safe for the recipient, not for the caller: they call
arbitrary code on the recipient. Mint functions that check a per-wallet limit or the total
supply, then `_safeMint`, then increase the counter, let a contract recipient mint again from
`onERC721Received` while the counter is still low — the pattern behind several NFT drops
minted far beyond their caps (for example HypeBears in 2022)."#,
    exploit: r#"```solidity
function mint() external {
    require(minted[msg.sender] < 1, "one per wallet");
    _safeMint(msg.sender, nextId++);   // calls onERC721Received on the caller
    minted[msg.sender] += 1;           // too late
}
```
The attacker mints from a contract whose `onERC721Received` calls `mint()` again: each nested
call still sees `minted[attacker] == 0` and mints another token, up to the gas limit."#,
    fix: r#"Update state before the call, or guard the function:
```solidity
function mint() external nonReentrant {
    require(minted[msg.sender] < 1, "one per wallet");
    minted[msg.sender] += 1;
    _safeMint(msg.sender, nextId++);
}
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-107",
        "https://eips.ethereum.org/EIPS/eip-721",
        "https://eips.ethereum.org/EIPS/eip-1155",
        "https://eips.ethereum.org/EIPS/eip-777",
    ],
};

pub struct TokenCallbackReentrancy;

/// The hook an internal token operation `name` with `args` arguments
/// calls, by the standards' signatures.
fn hook_of(name: &str, args: usize) -> Option<&'static str> {
    Some(match (name, args) {
        ("_safeMint", 2 | 3) | ("_safeTransfer", 3 | 4) => "onERC721Received",
        ("_mint", 4) | ("_safeTransferFrom", 5) => "onERC1155Received",
        ("_mintBatch", 4) | ("_safeBatchTransferFrom", 5) => "onERC1155BatchReceived",
        ("_send", 5 | 6) => "tokensReceived",
        _ => return None,
    })
}

impl Detector for TokenCallbackReentrancy {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            let Some(info) = cx.model.function(f.decl) else {
                continue;
            };
            if !info.has_body()
                || matches!(
                    info.kind,
                    FunctionKind::Constructor | FunctionKind::Modifier
                )
                || matches!(info.mutability, Mutability::View | Mutability::Pure)
                || !access.is_entry_point(f.decl)
            {
                continue;
            }
            let locks: Vec<DeclId> = cx
                .ir
                .guards()
                .of(cx.ir, f.decl)
                .mutexes
                .iter()
                .map(|m| m.var)
                .collect();
            if !locks.is_empty() {
                continue;
            }
            for (x, call) in f.calls() {
                let Some((name, hook)) = unseen_hook_call(cx, f, call) else {
                    continue;
                };
                let late = late_writes(cx, f, x);
                if late.is_empty() {
                    continue;
                }
                let vars: Vec<String> = late
                    .iter()
                    .map(|&(v, _)| format!("`{}`", cx.model.decl(v).name))
                    .collect();
                let text = cx.snippet(f.file, call.span, 60);
                let message = format!(
                    "`{}` calls `{text}`, whose `{name}` calls `{hook}` on the recipient, before \
writing {}: the recipient can call back in while {} still {} the old value",
                    cx.qualified_name(f.decl),
                    vars.join(", "),
                    vars.join(", "),
                    if vars.len() == 1 { "holds" } else { "hold" },
                );
                let mut builder =
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span));
                for &(v, n) in &late {
                    builder = builder.related(
                        cx.location_in(f.decl, f.cfg.node(n).span),
                        format!("`{}` written after the call", cx.model.decl(v).name),
                    );
                }
                out.push(builder.build());
            }
        }
    }
}

/// The operation's name and hook when `call` is a hook-calling token
/// operation whose implementation is not in the analysed code.
fn unseen_hook_call(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    call: &CallSite,
) -> Option<(String, &'static str)> {
    let name = match call.kind {
        CallSiteKind::Internal { function, .. } => {
            let callee = match f.contract {
                Some(c) => cx.model.dispatch(c, function),
                None => function,
            };
            if cx.model.function(callee).is_none_or(|i| i.has_body()) {
                return None;
            }
            cx.model.decl(callee).name.clone()
        }
        CallSiteKind::Unresolved => {
            let ExprKind::Call { callee, .. } = &unparen(f.expr(call.expr)?).kind else {
                return None;
            };
            match &unparen(callee).kind {
                ExprKind::Ident(id) => id.name.clone(),
                _ => return None,
            }
        }
        _ => return None,
    };
    let hook = hook_of(&name, call.args.len())?;
    Some((name, hook))
}

/// State variables read on a path to `x` and written on a path from it
/// that can still complete, with the first writing node of each.
fn late_writes(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, x: NodeIx) -> Vec<(DeclId, NodeIx)> {
    let sets = cx.ir.access();
    let at: Vec<_> = f
        .cfg
        .nodes()
        .map(|(n, _)| sets.at_node(cx.ir, f.contract, f.decl, n))
        .collect();
    let mut out: Vec<(DeclId, NodeIx)> = Vec::new();
    for (y, _) in f.cfg.nodes() {
        if y == x || !f.cfg.reaches(x, y) || !f.cfg.reaches(y, f.cfg.exit) {
            continue;
        }
        for &v in &at[y.index()].writes {
            if out.iter().any(|&(w, _)| w == v) {
                continue;
            }
            let read_before = f
                .cfg
                .nodes()
                .any(|(n, _)| at[n.index()].reads(v) && f.cfg.reaches(n, x));
            if read_before {
                out.push((v, y));
            }
        }
    }
    out.sort_by_key(|&(_, n)| f.cfg.node(n).span.start);
    out
}
