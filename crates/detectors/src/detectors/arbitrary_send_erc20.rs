//! `arbitrary-send-erc20`: tokens pulled with `transferFrom` from an
//! account the caller names, not tied to `msg.sender`.
//!
//! The analysis is shared with `arbitrary-send-erc20-permit`, in
//! [`crate::analysis::arbitrary_from`].
//!
//! # Facts used
//! - `transferFrom`/`safeTransferFrom` calls of ERC20, ERC721 and ERC1155
//!   recognised by signature, called on the token or through a
//!   SafeERC20-style library ([`crate::analysis::token_calls`]).
//! - The provenance of the `from` argument: a parameter of an entry point,
//!   a parameter an internal caller fills with caller input, or state that
//!   an unguarded function stores caller input into.
//! - Whether an outsider reaches the call without a sound sender check.
//! - Dominating statements involving both `from` and `msg.sender` (checks,
//!   allowance updates, helpers and modifiers that read the caller and can
//!   revert).

use bulwark_report::{Confidence, Finding, Severity};

use crate::analysis::arbitrary_from::{arbitrary_pulls, ArbitraryPull};
use crate::analysis::destination::Chosen;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "arbitrary-send-erc20",
    title: "transferFrom from an arbitrary account",
    severity: Severity::High,
    confidence: Confidence::High,
    swc: &["SWC-105"],
    applies_to: "all versions",
    summary: "The function moves tokens out of an account that its caller names, without \
checking that the caller is that account or approved by it: anyone can spend every \
allowance users gave to this contract.",
    what: r#"Reports a `transferFrom` or `safeTransferFrom` (ERC20, ERC721, ERC1155, called on the
token or through a SafeERC20-style library) whose `from` account is chosen by the caller —
a parameter of a public function, an argument that reaches an internal helper, or state that
anyone can set — when an outsider reaches the call without an access check and no statement
before the call ties `from` to `msg.sender`.

`from` counts as tied to the caller when a check or update that always runs first involves
both: `require(from == msg.sender)`, `allowance[from][msg.sender] -= amount`,
`_spendAllowance(from, _msgSender(), amount)`, or a modifier or helper receiving `from` that
reads `msg.sender` and can revert.

Not reported: `from` is `msg.sender` or `address(this)`; functions only an owner or role can
call; pulls preceded by `permit(from, ...)` (reported by `arbitrary-send-erc20-permit`)."#,
    why: r#"Users approve a contract once, often for an unlimited amount, so that it can pull their
tokens when *they* ask. If the contract lets any caller name the account to pull from, an
attacker pulls from every user who left an allowance, to wherever the function sends the
tokens. Several bridges and aggregators lost their users' funds this way (for example
the 2022 attacks on approvals given to aggregator routers)."#,
    exploit: r#"```solidity
function depositFor(address from, uint256 amount) external {
    token.transferFrom(from, address(this), amount);
    shares[msg.sender] += amount;          // credited to the caller, not to `from`
}
```
1. Alice approves the vault for an unlimited amount and deposits 10 tokens.
2. The attacker calls `depositFor(alice, aliceBalance)`: the vault pulls Alice's remaining
   tokens and credits the attacker.
3. The attacker withdraws them."#,
    fix: r#"Pull only from the caller, or check the caller's authority over `from`:
```solidity
function deposit(uint256 amount) external {
    token.safeTransferFrom(msg.sender, address(this), amount);
    shares[msg.sender] += amount;
}
```
When acting for others is a feature, require an allowance given to the caller
(`allowance[from][msg.sender]`) or a signature from `from`."#,
    references: &[
        "https://github.com/crytic/slither/wiki/Detector-Documentation#arbitrary-from-in-transferfrom",
        "https://eips.ethereum.org/EIPS/eip-20",
        "https://swcregistry.io/docs/SWC-105",
    ],
};

pub struct ArbitrarySendErc20;

impl Detector for ArbitrarySendErc20 {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for pull in arbitrary_pulls(cx) {
            if pull.permit.is_some() {
                continue;
            }
            out.push(finding(cx, &META, &pull, ""));
        }
    }
}

/// The finding for `pull` under `meta`; `extra` ends the message.
pub(crate) fn finding(
    cx: &AnalysisContext<'_>,
    meta: &DetectorMeta,
    pull: &ArbitraryPull<'_>,
    extra: &str,
) -> Finding {
    let file = cx.model.decl(pull.function).file;
    let call = cx.snippet(file, pull.call.span, 70);
    let from = cx.snippet(file, pull.from.span, 40);
    let (how, confidence) = match pull.chosen {
        Chosen::Argument => (
            "an account the caller passes in".to_string(),
            Confidence::High,
        ),
        Chosen::OpenState { var, writer, .. } => (
            format!(
                "stored in `{}`, which anyone can set through `{}`",
                cx.model.decl(var).name,
                cx.function_name(writer)
            ),
            Confidence::Medium,
        ),
    };
    let message = format!(
        "`{}` calls `{call}`, taking tokens from `{from}`, {how}, and nothing ties `{from}` to \
`msg.sender`: anyone can spend the allowance any account gave this contract{extra}",
        cx.qualified_name(pull.function),
    );
    let mut builder =
        FindingBuilder::new(meta, message, cx.location_in(pull.function, pull.call.span))
            .confidence(confidence);
    if let Chosen::OpenState { writer, node, var } = pull.chosen {
        if let Some(w) = cx.ir.function_ir(writer) {
            builder = builder.related(
                cx.location_in(writer, w.cfg.node(node).span),
                format!("`{}` set without an access check", cx.model.decl(var).name),
            );
        }
    }
    if let Some(permit) = pull.permit {
        builder = builder.related(
            cx.location_in(pull.function, permit.span),
            "`permit` for the same account",
        );
    }
    builder.build()
}
