//! `arbitrary-debit`: a public function lowers the balance of an account
//! its caller names, with no allowance, no check that the caller is that
//! account, and no access control — anyone burns or moves anyone's tokens.
//!
//! # Facts used
//! - Ledger decreases (`balances[from] -= v`, `= x - v`, `.sub(v)`, `--`)
//!   reached from each externally callable function through internal
//!   calls and modifiers, with keys and conditions mapped back to the
//!   entry's parameters ([`crate::analysis::debits`]).
//! - A ledger counts when some function also lowers it at the caller's own
//!   key (`transfer`, `burn`): it holds balances their owners spend.
//! - Near misses, all in the entry's terms: any condition reading
//!   `msg.sender` (allowance checks, `require(from == msg.sender)`,
//!   operator approvals, `onlyOwner`); a state entry keyed by both the
//!   account and the caller (an allowance spent without a check still
//!   reverts on underflow in 0.8); a condition on the account other than
//!   its balance being enough (`require(isLiquidatable(user))`,
//!   `require(from == ownerOf[id])`); the account being credited or paid
//!   in the same call (moving a user's stake back to their balance,
//!   `withdrawFor(user)` paying the user); the caller paying for the
//!   decrease (`repayFor(borrower)` pulling the caller's tokens or ether).

use std::collections::HashSet;

use bulwark_ir::taint::Source;
use bulwark_report::{Confidence, Finding, Severity};

use crate::analysis::access::Access;
use crate::analysis::debits::{entries, entry_effects, own_spent_ledgers, EntryEffects};
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "arbitrary-debit",
    title: "Balance debited from an account the caller chooses",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-105"],
    applies_to: "all versions",
    summary: "A public function lowers the balance of any account its caller names \
(`burnFrom(account, amount)`, a home-made `transferFrom`) without spending an allowance, \
checking that the caller is that account, or restricting who calls it.",
    what: r#"Reports an externally callable function that decreases a per-account ledger entry
(`balances[from] -= amount`, `= balances[from] - amount`, `.sub(amount)`, `balanceOf[from]--`)
keyed by an address parameter, directly or through internal helpers (`_burn(account,
amount)`), when the ledger is one that owners spend themselves elsewhere (a `transfer` or
`burn` lowers the caller's own entry) and nothing on the way
- reads `msg.sender` in a condition (an allowance or operator check, `require(from ==
  msg.sender)`, an access-control modifier or helper),
- touches a state entry keyed by both the account and the caller (an allowance decrease),
- conditions the debit on the account in another way than its balance being enough
  (a liquidation's health check, `require(from == ownerOf[id])`), or
- credits or pays that same account (moving a user's stake into their balance, a
  `withdrawFor(user)` that pays the user), or
- makes the caller pay (reads `msg.value`, pulls the caller's tokens, lowers the caller's
  own entry): repaying someone else's debt is a gift, not a theft.

Not reported: debits of the caller's own entry, of accounts read from storage, and of
ledgers nobody spends themselves (vote tallies, debts recorded by an admin)."#,
    why: r#"An ERC-20 `burnFrom` or `transferFrom` must consume the allowance the account owner gave
the caller; without it, the function is a public "destroy or take anyone's tokens" button.
Attackers burn a rival's or a pool's balance (breaking AMM invariants and governance
quorums), or move a victim's tokens to themselves. The check is easy to forget when a
token is written by hand or when a helper that skips it (`_burn`) is exposed through a
public wrapper."#,
    exploit: r#"```solidity
function burnFrom(address account, uint256 value) external {
    require(balanceOf[account] >= value);
    balanceOf[account] -= value;           // no allowance, no caller check
    totalSupply -= value;
}
```
1. The attacker calls `burnFrom(pool, balanceOf[pool])`.
2. The pool's tokens are gone; its price and every depositor's share with them. With a
   `transferFrom` written the same way the attacker credits the tokens to themselves."#,
    fix: r#"Spend the allowance the account gave the caller (or require the caller to be the
account) before debiting:
```solidity
function burnFrom(address account, uint256 value) external {
    uint256 allowed = allowance[account][msg.sender];
    require(allowed >= value, "allowance");
    allowance[account][msg.sender] = allowed - value;
    _burn(account, value);
}
```
With OpenZeppelin, use `ERC20Burnable`, which calls `_spendAllowance` first."#,
    references: &[
        "https://eips.ethereum.org/EIPS/eip-20",
        "https://docs.openzeppelin.com/contracts/5.x/api/token/erc20#ERC20Burnable-burnFrom-address-uint256-",
        "https://swcregistry.io/docs/SWC-105",
    ],
};

pub struct ArbitraryDebit;

impl Detector for ArbitraryDebit {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let all: Vec<(_, EntryEffects)> = entries(cx).map(|f| (f, entry_effects(cx, f))).collect();
        let owned: Vec<EntryEffects> = all.iter().map(|(_, e)| e.clone()).collect();
        let spent_by_owners = own_spent_ledgers(&owned);
        let access = Access::new(cx);
        for (f, effects) in &all {
            if effects.tests_sender || effects.caller_pays {
                continue;
            }
            let guards = cx.ir.guards().of(cx.ir, f.decl);
            if !guards.sender_checks.is_empty() || !guards.restricting_modifiers.is_empty() {
                continue;
            }
            let mut seen = HashSet::new();
            for debit in &effects.debits {
                if !spent_by_owners.contains(&debit.ledger) || debit.account.has(Source::MsgSender)
                {
                    continue;
                }
                let mask = debit.account.params().fold(0u64, |m, p| m | 1 << p.min(63));
                let excused = effects.conditioned | effects.tied_to_sender | effects.credited;
                if mask == 0 || mask & excused != 0 {
                    continue;
                }
                if access.node_is_guarded(f.decl, debit.entry_node)
                    || !seen.insert((debit.ledger, mask))
                {
                    continue;
                }
                let params = cx.model.function(f.decl).map(|i| i.params.clone());
                let account = debit
                    .account
                    .params()
                    .filter_map(|p| params.as_ref().and_then(|ps| ps.get(p)))
                    .map(|&d| cx.model.decl(d).name.clone())
                    .next()
                    .unwrap_or_else(|| "an account".into());
                let ledger = &cx.model.decl(debit.ledger).name;
                let at = f.cfg.node(debit.entry_node).span;
                let message = format!(
                    "`{}` lowers `{ledger}[{account}]` for any `{account}` its caller names, without \
spending an allowance or checking that the caller is `{account}`, and nothing restricts who calls \
it: anyone can burn or take any holder's balance",
                    cx.qualified_name(f.decl)
                );
                let mut finding = FindingBuilder::new(&META, message, cx.location_in(f.decl, at));
                if debit.writer != f.decl || debit.node != debit.entry_node {
                    let writer = cx.ir.function_ir(debit.writer);
                    if let Some(w) = writer {
                        finding = finding.related(
                            cx.location_in(debit.writer, w.cfg.node(debit.node).span),
                            "the debit",
                        );
                    }
                }
                out.push(finding.build());
            }
        }
    }
}
