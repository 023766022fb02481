//! `vault-share-inflation`: shares are priced against the vault's own
//! token balance with no virtual offset, so the first depositor can
//! inflate the share price by donating and make later deposits round to
//! nothing.
//!
//! # Facts used
//! - Divisions `x * S / A` (through locals) where one factor of the
//!   numerator is a mutable integer state variable that some
//!   non-constructor function writes (the share supply; also read through
//!   an internal getter such as `totalSupply()`), and the divisor is the
//!   contract's own balance — `token.balanceOf(address(this))`,
//!   `address(this).balance` — directly, through locals, or returned by an
//!   internal function (`totalAssets()`), followed three calls deep; a
//!   balance minus something (`address(this).balance - msg.value`) too.
//! - A virtual offset removes the value-only dependence: a supply or
//!   asset term with an addition (`totalSupply + 1`, `totalAssets() + 1`,
//!   `10 ** offset`) is no longer a plain read and is not matched.
//! - The reverse conversion (`shares * totalAssets() / supply`, dividing
//!   by the supply) prices a redemption and is not reported.

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{CallKind, DeclId, Type, VarMutability};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, FunctionKind};
use bulwark_syntax::Span;

use crate::analysis::expr::{is_element, is_this, root_state_var, strip_conversions};
use crate::analysis::values::sources;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "vault-share-inflation",
    title: "Share price from a donatable balance (first-depositor inflation)",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &[],
    applies_to: "all versions",
    summary: "Deposits are converted to shares with `assets * totalSupply / totalAssets()` where \
the total is the vault's own token balance and nothing offsets it: the first depositor mints one \
share, donates tokens to the vault, and every later deposit rounds down to zero shares (or to \
far fewer than it paid for).",
    what: r#"Reports a division `x * supply / total` where
- `supply` is a mutable integer state variable that a function other than the constructor
  writes (the share supply), read directly, through locals or through an internal getter, and
- `total` is the contract's own balance — `asset.balanceOf(address(this))` or
  `address(this).balance` — directly, through locals, or as the value returned by an internal
  function such as `totalAssets()`.

Not reported: conversions with a virtual offset (`supply + 10 ** decimalsOffset`,
`totalAssets() + 1`, as in OpenZeppelin's ERC4626 since 4.9); totals kept in an internal
accounting variable, which a donation does not move; the redemption direction, dividing by the
supply; `mulDiv`-style library calls (not recognised yet). Dead shares minted on the first
deposit are not recognised either: check for them before dismissing a finding."#,
    why: r#"The share price is `totalAssets / totalSupply`. Right after the first deposit the
supply can be a single share, and anyone can raise `totalAssets` at will by transferring tokens
to the vault, because it counts its own balance. Shares are rounded down, so a later deposit
smaller than the inflated price of one share mints zero shares, and the depositor's assets go to
the existing shareholder. This is the classic ERC4626 first-depositor (inflation) attack, found
in many audits and exploited against lending markets built on Compound-style cTokens."#,
    exploit: r#"```solidity
function totalAssets() public view returns (uint256) { return asset.balanceOf(address(this)); }
function convertToShares(uint256 assets) public view returns (uint256) {
    return totalSupply == 0 ? assets : assets * totalSupply / totalAssets();
}
```
1. The attacker deposits 1 wei into the empty vault and receives 1 share.
2. They transfer 10,000 tokens straight to the vault: 1 share is now worth 10,000 tokens.
3. A victim deposits 9,999 tokens: `9,999 * 1 / 10,001` rounds to 0 shares (or the deposit
   reverts on a zero-share check, after the attacker front-runs it with a larger donation).
4. The attacker redeems their single share for everything in the vault."#,
    fix: r#"Add virtual shares and assets so that a donation cannot move the price much, as
OpenZeppelin's ERC4626 does, or track deposited assets in a variable instead of reading the
balance, or mint dead shares on the first deposit and require a minimum deposit:
```solidity
return assets * (totalSupply + 10 ** OFFSET) / (totalAssets() + 1);
```"#,
    references: &[
        "https://docs.openzeppelin.com/contracts/5.x/erc4626#inflation-attack",
        "https://blog.openzeppelin.com/a-novel-defense-against-erc4626-inflation-attacks",
        "https://eips.ethereum.org/EIPS/eip-4626",
    ],
};

pub struct VaultShareInflation;

/// How many internal getters deep a supply or a balance is followed.
const MAX_DEPTH: u32 = 3;

impl Detector for VaultShareInflation {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (node, n) in f.cfg.nodes() {
                let mut hits: Vec<(Span, DeclId, DeclId, Span)> = Vec::new();
                for root in n.exprs() {
                    walk_expr(root, &mut |e| {
                        let ExprKind::Binary {
                            op: BinaryOp::Div,
                            lhs,
                            rhs,
                        } = &unparen(e).kind
                        else {
                            return;
                        };
                        let Some(balance) = own_balance(cx, f, node, rhs, 0) else {
                            return;
                        };
                        let Some(supply) = numerator_supply(cx, f, node, lhs) else {
                            return;
                        };
                        hits.push((e.span, supply, balance.0, balance.1));
                    });
                }
                if let Some((span, supply, bfn, bspan)) = hits.into_iter().next() {
                    let message = format!(
                        "`{}` prices shares as `{}` against the contract's own balance, with no \
virtual offset: after a first deposit of one share, a donation to the vault inflates the share \
price and later deposits round down to zero shares; add virtual shares/assets (`{} + 10 ** offset`, \
`total + 1`) or track assets in a variable",
                        cx.qualified_name(f.decl),
                        cx.snippet(f.file, span, 80),
                        cx.model.decl(supply).name,
                    );
                    out.push(
                        FindingBuilder::new(&META, message, cx.location_in(f.decl, n.span))
                            .related(
                                cx.location_in(bfn, bspan),
                                "the total is the contract's balance, which anyone can raise",
                            )
                            .build(),
                    );
                }
            }
        }
    }
}

/// The share supply multiplied into the numerator `e`: one factor of a
/// product (through locals) that is a supply variable.
fn numerator_supply(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
) -> Option<DeclId> {
    for (n, v) in sources(cx, f, node, e) {
        if let ExprKind::Binary {
            op: BinaryOp::Mul,
            lhs,
            rhs,
        } = &unparen(v).kind
        {
            for side in [lhs, rhs] {
                if let Some(s) = supply(cx, f, n, side, 0) {
                    return Some(s);
                }
            }
        }
    }
    None
}

/// A mutable integer state variable written outside the constructor,
/// read plainly (through locals and internal getters).
fn supply(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
) -> Option<DeclId> {
    for (_, v) in sources(cx, f, node, e) {
        let v = strip_conversions(cx, f.file, v);
        if matches!(v.kind, ExprKind::Ident(_) | ExprKind::Member { .. }) && !is_element(v) {
            if let Some(var) = root_state_var(cx, f.file, v) {
                if is_supply_var(cx, var) {
                    return Some(var);
                }
            }
            continue;
        }
        if depth < MAX_DEPTH {
            for (g, rn, r) in returned_values(cx, f, v) {
                if let Some(gf) = cx.ir.function_ir(g) {
                    if let Some(s) = supply(cx, gf, rn, r, depth + 1) {
                        return Some(s);
                    }
                }
            }
        }
    }
    None
}

fn is_supply_var(cx: &AnalysisContext<'_>, var: DeclId) -> bool {
    let Some(info) = cx.model.state_var(var) else {
        return false;
    };
    if info.mutability != VarMutability::Mutable
        || !matches!(cx.model.decl_type(var), Type::Int { .. })
    {
        return false;
    }
    cx.ir.functions().any(|g| {
        cx.model
            .function(g.decl)
            .is_some_and(|i| i.kind != FunctionKind::Constructor)
            && g.state_writes().any(|(_, a)| a.var == var)
    })
}

/// The contract's own balance in `e` (through locals and internal
/// getters): where it is read.
fn own_balance(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    e: &Expr,
    depth: u32,
) -> Option<(DeclId, Span)> {
    for (vn, v) in sources(cx, f, node, e) {
        if is_own_balance(cx, f, v) {
            return Some((f.decl, v.span));
        }
        // `address(this).balance - msg.value`: the balance before this
        // deposit is just as donatable.
        if let ExprKind::Binary {
            op: BinaryOp::Sub,
            lhs,
            ..
        } = &unparen(v).kind
        {
            if depth >= MAX_DEPTH {
                continue;
            }
            if let Some(hit) = own_balance(cx, f, vn, lhs, depth + 1) {
                return Some(hit);
            }
        }
        if depth < MAX_DEPTH {
            for (g, rn, r) in returned_values(cx, f, v) {
                if let Some(gf) = cx.ir.function_ir(g) {
                    if let Some(hit) = own_balance(cx, gf, rn, r, depth + 1) {
                        return Some(hit);
                    }
                }
            }
        }
    }
    None
}

/// For an internal call `v` (dispatched in `f`'s contract), the values its
/// callee returns: `(callee, node, expr)`. Named return variables are not
/// followed.
fn returned_values<'p>(
    cx: &AnalysisContext<'p>,
    f: &FunctionIr<'_>,
    v: &Expr,
) -> Vec<(DeclId, NodeIx, &'p Expr)> {
    let callee = match cx.model.call_kind(f.file, v.id) {
        Some(CallKind::Internal(c) | CallKind::BoundInternal(c)) => *c,
        _ => return Vec::new(),
    };
    let callee = match f.contract {
        Some(c) => cx.ir.dispatch(c, callee),
        None => callee,
    };
    let Some(g) = cx.ir.function_ir(callee) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (n, node) in g.cfg.nodes() {
        if let NodeKind::Return(Some(r)) = node.kind {
            out.push((callee, n, r));
        }
    }
    out
}

/// `this.balance`, `address(this).balance`, `t.balanceOf(address(this))`.
fn is_own_balance(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    crate::analysis::expr::is_own_balance(cx, f.file, e, |a| is_this(cx, f.file, a))
}
