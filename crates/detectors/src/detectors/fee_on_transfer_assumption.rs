//! `fee-on-transfer-assumption`: tokens pulled into the contract with
//! `transferFrom`, then the requested amount credited, instead of what
//! actually arrived.
//!
//! # Facts used
//! - ERC-20 pulls into this contract: an external `transferFrom(from,
//!   to, amount)` or a SafeERC20-style `safeTransferFrom` (bound or
//!   called on the library) whose recipient is `this` (the ERC-20 names
//!   are the interface and serve as evidence).
//! - State writes in the same function whose stored value depends on the
//!   pulled amount (through locals).
//! - A balance measurement: any `balanceOf(address(this))` call in the
//!   function means the contract looks at what it received.
//! - NFT transfers are not amounts: a `transferFrom` whose last parameter
//!   is named as an id (`tokenId`, `id`) is skipped.
//! - Which token: when the token's address comes only from constants,
//!   immutables, state no outsider can write, or state written only by a
//!   one-shot initializer (one token chosen at deployment), the deployer
//!   knows whether it charges fees, and the finding is low; tokens the
//!   caller picks keep the rule's medium.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::DeclId;
use bulwark_syntax::ast::NodeId;

use crate::analysis::access::Access;
use crate::analysis::critical_writes::stored_value;
use crate::analysis::expr::is_this;
use crate::analysis::one_shot::one_shot_guard;
use crate::analysis::provenance::{origins, Origin};
use crate::analysis::values::{depends_on, mentioned_decls};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "fee-on-transfer-assumption",
    title: "Transferred amount assumed to arrive in full",
    severity: Severity::Medium,
    confidence: Confidence::Low,
    swc: &[],
    applies_to: "all versions",
    summary: "The contract pulls tokens with `transferFrom` and credits the requested amount, \
which overstates deposits of fee-on-transfer and rebasing tokens.",
    what: r#"Reports an ERC-20 `transferFrom` (or SafeERC20 `safeTransferFrom`) that moves tokens
from someone to this contract, when the same function then writes the requested `amount`
(or a value computed from it) to storage — a balance, shares, a deposit record — and never
measures `balanceOf(address(this))` to see how much actually arrived.

The confidence is low: many protocols only list standard tokens and document that choice;
the finding matters when arbitrary tokens can be used. When the token is fixed at deployment
(a constant, an immutable, or state only the constructor or an authorised caller sets) the
finding is low: the deployer knows whether that token takes fees. NFT transfers
(`transferFrom(from, to, tokenId)`) are not reported."#,
    why: r#"Some tokens take a fee on every transfer (USDT can enable one, many others do),
and rebasing tokens change balances on their own. When 100 tokens are sent and 98 arrive,
a contract that credits 100 owes more than it holds. Each deposit widens the gap; the
last users to withdraw find the contract empty, or an attacker deposits and withdraws in a
loop to drain the difference."#,
    exploit: r#"```solidity
function deposit(uint256 amount) external {
    token.transferFrom(msg.sender, address(this), amount);
    balances[msg.sender] += amount;
}
function withdraw(uint256 amount) external {
    balances[msg.sender] -= amount;
    token.transfer(msg.sender, amount);
}
```
1. The vault lists a token with a 2% transfer fee.
2. The attacker deposits 1,000 (the vault receives 980, credits 1,000) and withdraws 1,000,
   repeatedly: each round takes 20 tokens from other depositors."#,
    fix: r#"Credit what arrived:
```solidity
uint256 before = token.balanceOf(address(this));
token.safeTransferFrom(msg.sender, address(this), amount);
uint256 received = token.balanceOf(address(this)) - before;
balances[msg.sender] += received;
```"#,
    references: &[
        "https://github.com/d-xo/weird-erc20#fee-on-transfer",
        "https://github.com/d-xo/weird-erc20#balance-modifications-outside-of-transfers-rebasingairdrops",
    ],
};

pub struct FeeOnTransferAssumption;

impl Detector for FeeOnTransferAssumption {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        for f in cx.ir.functions() {
            let pulls: Vec<(NodeIx, &bulwark_ir::facts::CallSite, NodeId)> = f
                .calls()
                .filter_map(|(node, call)| pull_amount(cx, f, call).map(|a| (node, call, a)))
                .collect();
            if pulls.is_empty() || measures_own_balance(cx, f) {
                continue;
            }
            for (node, call, amount) in pulls {
                let Some(amount) = f.expr(amount) else {
                    continue;
                };
                let roots: Vec<DeclId> = mentioned_decls(cx, f, amount);
                if roots.is_empty() {
                    continue;
                }
                let credit = f.state_writes().find(|(at, w)| {
                    stored_value(f, *at, w)
                        .is_some_and(|v| roots.iter().any(|&r| depends_on(cx, f, *at, v, r)))
                });
                let Some((at, write)) = credit else {
                    continue;
                };
                let message = format!(
                    "`{}` pulls `{}` tokens with `{}` and records that amount in `{}`, but never \
measures what arrived: fee-on-transfer and rebasing tokens leave the contract owing more than it holds",
                    cx.qualified_name(f.decl),
                    cx.snippet(f.file, amount.span, 30),
                    cx.snippet(f.file, call.span, 60),
                    cx.model.decl(write.var).name,
                );
                let mut finding =
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span))
                        .related(
                            cx.location_in(f.decl, f.cfg.node(at).span),
                            "amount credited",
                        )
                        .build();
                if deployment_token(cx, &access, f, node, call) {
                    finding.severity = Severity::Low;
                }
                out.push(finding);
            }
        }
    }
}

/// The amount argument of a pull of tokens into this contract:
/// `token.transferFrom(from, this, amount)`,
/// `token.safeTransferFrom(from, this, amount)` (bound),
/// `SafeERC20.safeTransferFrom(token, from, this, amount)`.
fn pull_amount(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    call: &bulwark_ir::facts::CallSite,
) -> Option<NodeId> {
    let (function, to, amount) = match call.kind {
        CallSiteKind::External {
            function: Some(function),
            ..
        } if call.args.len() == 3 => (function, call.args[1], call.args[2]),
        CallSiteKind::BoundInternal { function, .. } if call.args.len() == 3 => {
            (function, call.args[1], call.args[2])
        }
        CallSiteKind::Internal { function, .. } | CallSiteKind::Library { function, .. }
            if call.args.len() == 4 =>
        {
            (function, call.args[2], call.args[3])
        }
        _ => return None,
    };
    let name = cx.model.decl(function).name.as_str();
    if name != "transferFrom" && name != "safeTransferFrom" {
        return None;
    }
    // ERC-721 `transferFrom(from, to, tokenId)` moves an item, not an
    // amount.
    let last_param = cx
        .model
        .function(function)
        .and_then(|info| info.params.last().copied());
    if last_param.is_some_and(|p| {
        let name = cx.model.decl(p).name.to_ascii_lowercase();
        name.trim_start_matches('_') == "id" || name.ends_with("tokenid")
    }) {
        return None;
    }
    let to = f.expr(to)?;
    is_this(cx, f.file, to).then_some(amount)
}

/// Whether the token pulled from at `node` is one fixed at deployment: the
/// call's receiver comes only from constants, immutables or state that
/// only the constructor or an authorised caller writes.
fn deployment_token(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &bulwark_ir::facts::CallSite,
) -> bool {
    let CallSiteKind::External {
        receiver: Some(receiver),
        ..
    } = call.kind
    else {
        return false;
    };
    let Some(receiver) = f.expr(receiver) else {
        return false;
    };
    let found = origins(cx, f, node, receiver);
    !found.is_empty()
        && found.iter().all(|o| match o {
            Origin::Fixed => true,
            Origin::State(v) => {
                access.authority_is_sound(*v) || set_at_initialisation(cx, access, *v)
            }
            _ => false,
        })
}

/// Whether every write of `var` an outsider can reach is behind a
/// one-shot initializer lock (`initialize(token_) initializer`): the
/// token is chosen once, when the deployment is set up.
fn set_at_initialisation(cx: &AnalysisContext<'_>, access: &Access<'_, '_>, var: DeclId) -> bool {
    let writes = cx.ir.taint().writes_of(var);
    !writes.is_empty()
        && writes
            .iter()
            .all(|w| match access.open_entry(w.function, w.node) {
                None => true,
                Some(entry) => one_shot_guard(cx, entry).is_some(),
            })
}

/// Whether `f` asks a token for this contract's own balance.
fn measures_own_balance(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>) -> bool {
    f.calls().any(|(_, call)| {
        let CallSiteKind::External {
            function: Some(function),
            ..
        } = call.kind
        else {
            return false;
        };
        cx.model.decl(function).name == "balanceOf"
            && call
                .args
                .first()
                .and_then(|&a| f.expr(a))
                .is_some_and(|a| is_this(cx, f.file, a))
    })
}
