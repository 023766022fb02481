//! `unsafe-erc721-transfer`: an ERC-721 token is sent with `transferFrom`
//! to an address that may be a contract unable to handle it.
//!
//! # Facts used
//! - External calls of a `transferFrom(address, address, uint256)` that
//!   returns nothing (the ERC-721 signature; ERC-20's returns a `bool`)
//!   declared in a contract or interface that also declares
//!   `safeTransferFrom` — an ERC-721 token.
//! - The recipient: not this contract (pulling a token in is the usual,
//!   safe use) and not `msg.sender` (a caller receiving its own token
//!   chose where it goes).

use bulwark_ir::facts::CallSiteKind;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{Builtin, DeclId};

use crate::analysis::expr::{builtin_of, is_this, strip_conversions};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unsafe-erc721-transfer",
    title: "ERC-721 sent with transferFrom instead of safeTransferFrom",
    severity: Severity::Low,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "An ERC-721 token is delivered with `transferFrom` to an address other than this \
contract or the caller: if the recipient is a contract that does not handle ERC-721 tokens, the \
token is stuck there for good.",
    what: r#"Reports external calls of an ERC-721 `transferFrom(from, to, tokenId)` — the
three-argument `transferFrom` that returns nothing, declared next to `safeTransferFrom` — whose
recipient is neither this contract nor `msg.sender`: an auction winner, a stored beneficiary, a
parameter.

Not reported: ERC-20 `transferFrom` (it returns a `bool`); transfers into this contract;
transfers to the caller."#,
    why: r#"`safeTransferFrom` calls `onERC721Received` on a contract recipient and reverts unless
it answers, which proves the recipient can move the token on. `transferFrom` skips the check: a
multisig, a vault or a contract bidder without ERC-721 support receives the token and can never
transfer it again. EIP-721 asks callers to use the safe variant when they do not know the
recipient."#,
    exploit: r#"```solidity
function settle(uint256 id) external {
    Auction storage a = auctions[id];
    a.nft.transferFrom(address(this), a.highestBidder, a.tokenId);
}
```
1. A DAO bids through a contract that can hold ether but has no ERC-721 support.
2. It wins; `settle` moves the token to it with `transferFrom`.
3. The token can never leave the DAO contract: it is lost for the winner and the seller was
   paid."#,
    fix: r#"Use `safeTransferFrom` (and guard the callback against reentrancy), or let the
recipient pull the token:
```solidity
a.nft.safeTransferFrom(address(this), a.highestBidder, a.tokenId);
```"#,
    references: &[
        "https://eips.ethereum.org/EIPS/eip-721",
        "https://docs.openzeppelin.com/contracts/5.x/api/token/erc721#IERC721-transferFrom-address-address-uint256-",
    ],
};

pub struct UnsafeErc721Transfer;

impl Detector for UnsafeErc721Transfer {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (_, call) in f.calls() {
                let CallSiteKind::External {
                    function: Some(callee),
                    ..
                } = call.kind
                else {
                    continue;
                };
                if !is_erc721_transfer_from(cx, callee) || call.args.len() != 3 {
                    continue;
                }
                let Some(to) = f.expr(call.args[1]) else {
                    continue;
                };
                let to = strip_conversions(cx, f.file, to);
                if is_this(cx, f.file, to) || builtin_of(cx, f.file, to) == Some(Builtin::MsgSender)
                {
                    continue;
                }
                let message = format!(
                    "`{}` sends an ERC-721 token to `{}` with `transferFrom`: a contract recipient \
without ERC-721 support keeps it forever; use `safeTransferFrom`",
                    cx.qualified_name(f.decl),
                    cx.snippet(f.file, to.span, 40),
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span)).build(),
                );
            }
        }
    }
}

/// `transferFrom(address, address, uint256)` returning nothing, declared
/// next to a `safeTransferFrom`.
fn is_erc721_transfer_from(cx: &AnalysisContext<'_>, callee: DeclId) -> bool {
    let Some(info) = cx.model.function(callee) else {
        return false;
    };
    if cx.model.decl(callee).name != "transferFrom"
        || info.params.len() != 3
        || !info.returns.is_empty()
    {
        return false;
    }
    let Some(contract) = info.contract else {
        return false;
    };
    let declares_safe = |c: DeclId| {
        cx.model
            .functions()
            .iter()
            .any(|g| g.contract == Some(c) && cx.model.decl(g.decl).name == "safeTransferFrom")
    };
    declares_safe(contract)
        || cx
            .model
            .contract(contract)
            .is_some_and(|ci| ci.linearization.iter().any(|&b| declares_safe(b)))
}
