//! `unprotected-critical-setter`: any caller can rewrite a variable that
//! decides who may act, where money goes, which contract is trusted, or
//! whether a feature is on.
//!
//! # Facts used
//! - Roles of state variables by use ([`CriticalState`]): compared with
//!   `msg.sender` in a sender check (authority), destination of ether or
//!   token transfers (payee), receiver of external calls (dependency), a
//!   `bool` tested by a reverting check (switch), an integer tested by a
//!   reverting check in a function only authorised callers run (limit:
//!   a timelock delay, a mint cap).
//! - Every write of such a variable reachable from an externally callable
//!   function without any sender check on the way (through internal
//!   helpers and modifiers), and the taint of the stored value (and of the
//!   mapping keys) to tell whether the caller picks it.
//! - Exclusions by behaviour: one-shot initializers (reported by the
//!   initializer detectors), the caller's own entry of a set
//!   (`approved[msg.sender][x] = …`), an account's entry set to a
//!   constant by a function that pays that account (`claimed[who] = true;
//!   token.transfer(who, owed)`: claiming on its behalf), purchases (`owner = msg.sender` in a
//!   payable function or behind any precondition), and setters restricted
//!   through `tx.origin` (`require(tx.origin == owner)`: weak, reported by
//!   `tx-origin`, but not missing).

use std::collections::HashSet;

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::walk::walk_expr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::DeclId;
use bulwark_syntax::ast::{Expr, ExprKind, Literal};

use crate::analysis::access::{origin_checked, Access};
use crate::analysis::critical_state::{CriticalState, Role};
use crate::analysis::critical_writes::{has_precondition, open_critical_writes, Chooser};
use crate::analysis::entry_paths::Protection;
use crate::analysis::initializers::initializer_lock;
use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unprotected-critical-setter",
    title: "Critical state writable by anyone",
    severity: Severity::High,
    confidence: Confidence::Medium,
    swc: &["SWC-105"],
    applies_to: "all versions",
    summary: "An externally callable function lets any caller set a variable that decides who is \
authorised, where funds go, which contract is trusted, or whether the protocol is paused.",
    what: r#"Reports a statement that writes a *critical* state variable when some public or
external function reaches it — directly or through internal helpers — without any check on
`msg.sender`, and the caller chooses the stored value (an argument, or their own address).

A variable is critical because of how the rest of the code uses it, not because of its name:
- it is compared with `msg.sender` in an access check (`owner`, `admins[msg.sender]`,
  `minters[account]` — addresses and sets of members);
- it receives ether or tokens (`feeRecipient.transfer(fee)`, `token.transfer(treasury, x)`);
- the contract calls it (`oracle.latestAnswer()`, `router.swap(...)`, a delegatecall target);
- it is a `bool` tested by a check that reverts (`require(!paused)`), which is reported with
  low confidence and only when the setter has no precondition at all;
- it is an integer tested by a check that reverts in a function only authorised callers may
  run (`require(eta >= block.timestamp + delay)` after `require(msg.sender == admin)`): a
  bound on the authority itself, such as a timelock's delay or a mint cap.

Not reported: setters behind any sender check (an owner check on an owner that anyone can
overwrite is reported once, at the owner's setter); constructors; one-shot initializers
(see `unprotected-initializer` and `missing-disable-initializers`); a caller writing their
own entry (`approved[msg.sender][spender] = ok`, self-registration); an account's entry set
to a constant by a function that pays that same account (`claimed[who] = true;
token.transfer(who, allocation[who])`: a keeper claiming on its behalf); a caller taking a role
in a payable function or after a precondition (a bid, a purchase, a timed claim); writes of
values the caller does not choose (`owner = address(0)` in a function that then reverts
elsewhere is left to other detectors). Per-object ownership (`ownerOf[id]`) is not an
authority: anyone may mint their own object."#,
    why: r#"These variables are the keys of the contract. Whoever can write the owner owns every
privileged function; whoever can write the fee recipient or the treasury receives the money;
whoever can replace the oracle or the token address decides the prices and what the contract
sends; whoever can flip the pause switch can freeze users' funds or lift an emergency stop.
An access check that was forgotten on one setter (often one added late, or a helper made
`public`) undoes every check elsewhere."#,
    exploit: r#"```solidity
address public oracle;
function setOracle(address next) external { oracle = next; }   // no onlyOwner
function borrow(uint256 amount) external {
    uint256 price = IOracle(oracle).price(collateralToken);
    require(collateral[msg.sender] * price >= amount * 1e18);
    debt.transfer(msg.sender, amount);
}
```
1. The attacker deploys `FakeOracle` whose `price` returns `type(uint256).max / 1e18`.
2. The attacker calls `setOracle(FakeOracle)`.
3. The attacker deposits one wei of collateral and borrows the whole pool."#,
    fix: r#"Put the same access control on every function that writes the variable, and prefer
one internal setter that every path goes through:
```solidity
function setOracle(address next) external onlyOwner {
    require(next != address(0), "zero oracle");
    emit OracleChanged(oracle, next);
    oracle = next;
}
```"#,
    references: &[
        "https://swcregistry.io/docs/SWC-105",
        "https://owasp.org/www-project-smart-contract-top-10/2023/en/src/SC03-access-control-vulnerabilities.html",
        "https://docs.openzeppelin.com/contracts/5.x/access-control",
    ],
};

pub struct UnprotectedCriticalSetter;

impl Detector for UnprotectedCriticalSetter {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        let access = Access::new(cx);
        let critical = CriticalState::compute_with_limits(cx);
        let mut reported: HashSet<(DeclId, DeclId)> = HashSet::new();
        for w in open_critical_writes(cx, &access, &critical, Protection::AnySenderCheck) {
            let entry = w.path.entry;
            if w.keyed_by_caller || reported.contains(&(w.var, entry)) {
                continue;
            }
            if initializer_lock(cx, entry).is_some() {
                continue;
            }
            // Settling an account on its behalf (`claimed[who] = true`
            // while paying `who`): the entry is closed for the account
            // the function pays, the caller gains nothing.
            if w.element && settles_key(cx, &critical, w.writer, w.node, w.var) {
                continue;
            }
            // Restricted through `tx.origin`: weak, and `tx-origin`'s
            // finding, but not missing.
            if cx
                .ir
                .function_ir(entry)
                .is_some_and(|ef| origin_checked(cx, ef, w.path.entry_node))
            {
                continue;
            }
            let roles = critical.roles(w.var);
            let switch_only = roles == [Role::Switch];
            // A bound on authorised callers is configuration: it is
            // replaced (`delay = newDelay`), not adjusted by an amount like
            // the bookkeeping a restricted function also compares
            // (`totalManaged += assets`), and a setter a modifier gates
            // (`onlymanyowners`) is protected by something.
            if roles == [Role::Limit]
                && (!replaces(cx, w.writer, w.node, w.var) || gated_by_modifier(cx, entry))
            {
                continue;
            }
            let payable = cx
                .model
                .function(entry)
                .is_some_and(|f| f.mutability == bulwark_sema::Mutability::Payable);
            let precondition = has_precondition(cx, entry, w.path.entry_node);
            let qualifies = if switch_only {
                !precondition && !tests_var(cx, w.writer, w.var)
            } else {
                match w.chooser {
                    Chooser::Argument => true,
                    Chooser::CallerItself => !payable && !precondition,
                    Chooser::Nobody => false,
                }
            };
            if !qualifies {
                continue;
            }
            reported.insert((w.var, entry));
            // The use that makes the variable critical, preferably outside
            // the setter.
            let evidence = critical
                .uses(w.var)
                .iter()
                .filter(|u| !switch_only || u.role == Role::Switch)
                .min_by_key(|u| (u.role, u.function == entry))
                .copied();
            let var_name = &cx.model.decl(w.var).name;
            let role_text = evidence
                .map(|u| {
                    format!(
                        "{} in `{}`",
                        u.role.describe(),
                        cx.qualified_name(u.function)
                    )
                })
                .unwrap_or_default();
            let what = match w.chooser {
                Chooser::CallerItself => format!("make themselves `{var_name}`"),
                Chooser::Argument if w.element => {
                    format!("write an entry of their choice into `{var_name}`")
                }
                Chooser::Argument => format!("set `{var_name}` to a value of their choice"),
                Chooser::Nobody => format!("flip `{var_name}`"),
            };
            let through = if w.writer == entry {
                String::new()
            } else {
                format!(" (through `{}`)", cx.qualified_name(w.writer))
            };
            let message = format!(
                "`{}` lets any caller {what}{through}; `{var_name}` {role_text}, and nothing checks \
`msg.sender` on the way",
                cx.qualified_name(entry)
            );
            let Some(ef) = cx.ir.function_ir(entry) else {
                continue;
            };
            let mut finding = FindingBuilder::new(
                &META,
                message,
                cx.location_in(entry, ef.cfg.node(w.path.entry_node).span),
            );
            if switch_only {
                finding = finding.confidence(Confidence::Low);
            }
            finding = finding.related(
                cx.location_in(entry, cx.model.decl(entry).name_span),
                "callable by anyone",
            );
            if w.writer != entry {
                if let Some(wf) = cx.ir.function_ir(w.writer) {
                    finding = finding.related(
                        cx.location_in(w.writer, wf.cfg.node(w.node).span),
                        format!("`{var_name}` written here"),
                    );
                }
            }
            if let Some(u) = evidence {
                if let Some(uf) = cx.ir.function_ir(u.function) {
                    finding = finding.related(
                        cx.location_in(u.function, uf.cfg.node(u.node).span),
                        format!("`{var_name}` {}", u.role.describe()),
                    );
                }
            }
            out.push(finding.build());
        }
    }
}

/// Whether the write at `node` of `function` stores a constant into the
/// entry `var[k]` of a key `k` (a parameter or local) to which the same
/// function sends ether or tokens (`claimed[who] = true;
/// token.transfer(who, amount)`): the function settles `k`'s own claim.
fn settles_key(
    cx: &AnalysisContext<'_>,
    critical: &CriticalState,
    function: DeclId,
    node: NodeIx,
    var: DeclId,
) -> bool {
    use bulwark_ir::facts::{CallSiteKind, LowLevelOp};
    use bulwark_ir::walk::{call_args, unparen};
    let Some(f) = cx.ir.function_ir(function) else {
        return false;
    };
    let decl = |e: &Expr| crate::analysis::expr::decl_of(cx, f.file, unparen(e));
    let mut key = None;
    let mut stored = None;
    for root in f.cfg.node(node).exprs() {
        walk_expr(root, &mut |e| {
            let ExprKind::Assign { op: None, lhs, rhs } = &e.kind else {
                return;
            };
            let ExprKind::Index {
                base,
                index: Some(index),
            } = &unparen(lhs).kind
            else {
                return;
            };
            if decl(base) == Some(var)
                && matches!(unparen(rhs).kind, ExprKind::Literal(Literal::Bool(_)))
                && decl(index).is_some_and(|d| {
                    matches!(
                        cx.model.decl(d).kind,
                        bulwark_sema::DeclKind::Param | bulwark_sema::DeclKind::LocalVar
                    )
                })
            {
                key = decl(index);
                if let ExprKind::Literal(Literal::Bool(b)) = unparen(rhs).kind {
                    stored = Some(b);
                }
            }
        });
    }
    let (Some(key), Some(stored)) = (key, stored) else {
        return false;
    };
    if !closes_entry(cx, critical, var, stored) {
        return false;
    }
    let recipient_is_key = |e: Option<&Expr>| {
        e.is_some_and(|e| {
            decl(crate::analysis::expr::strip_conversions(cx, f.file, e)) == Some(key)
        })
    };
    f.calls().any(|(_, c)| match &c.kind {
        CallSiteKind::LowLevel {
            op, target, value, ..
        } => {
            (matches!(op, LowLevelOp::Transfer | LowLevelOp::Send) || value.is_some())
                && recipient_is_key(f.expr(*target))
        }
        CallSiteKind::External {
            function: Some(callee),
            ..
        } => {
            let name = cx.model.decl(*callee).name.as_str();
            let to_index = match name {
                "transfer" | "safeTransfer" | "mint" => 0,
                "transferFrom" | "safeTransferFrom" => 1,
                _ => return false,
            };
            match f.expr(c.expr).map(|e| &unparen(e).kind) {
                Some(ExprKind::Call { args, .. }) => {
                    recipient_is_key(call_args(args).get(to_index).copied())
                }
                _ => false,
            }
        }
        _ => false,
    })
}

/// Whether storing `stored` into an entry of the flag table `var` makes
/// every access check that reads it fail for that entry: each check is a
/// `require`/`assert` whose atoms on `var` are `!var[..]` when `stored` is
/// `true` (`require(!claimed[msg.sender])`), or `var[..]` when it is
/// `false`. Writing such a value can only close the entry, never open it.
fn closes_entry(
    cx: &AnalysisContext<'_>,
    critical: &CriticalState,
    var: DeclId,
    stored: bool,
) -> bool {
    use crate::analysis::conditions::require_conditions;
    use bulwark_ir::walk::unparen;
    use bulwark_syntax::ast::UnaryOp;
    let mut seen_any = false;
    for u in critical
        .uses(var)
        .iter()
        .filter(|u| u.role == Role::Authority)
    {
        let Some(uf) = cx.ir.function_ir(u.function) else {
            return false;
        };
        let conds = require_conditions(uf, u.node);
        if conds.is_empty() {
            return false;
        }
        for cond in conds {
            for atom in crate::analysis::expr::conjuncts(cond) {
                let mut mentions = false;
                walk_expr(atom, &mut |e| {
                    mentions |= crate::analysis::expr::decl_of(cx, uf.file, e) == Some(var);
                });
                if !mentions {
                    continue;
                }
                seen_any = true;
                let negated = matches!(
                    &unparen(atom).kind,
                    ExprKind::Unary { op: UnaryOp::Not, operand } if matches!(unparen(operand).kind, ExprKind::Index { .. })
                );
                let plain = matches!(unparen(atom).kind, ExprKind::Index { .. });
                let closes = if stored { negated } else { plain };
                if !closes {
                    return false;
                }
            }
        }
    }
    seen_any
}

/// Whether `function` itself tests `var` in a reverting check (a lock or a
/// state machine step, not a switch set from outside).
fn tests_var(cx: &AnalysisContext<'_>, function: DeclId, var: DeclId) -> bool {
    let Some(f) = cx.ir.function_ir(function) else {
        return false;
    };
    f.cfg
        .nodes()
        .any(|(n, _)| crate::analysis::conditions::is_guard(f, n) && f.facts(n).reads_state(var))
}

/// Whether `node` of `function` assigns `var` a new value with a plain `=`
/// whose right-hand side does not read `var` (`delay = delay_`, not
/// `total += x` or `total = total - x`).
fn replaces(cx: &AnalysisContext<'_>, function: DeclId, node: NodeIx, var: DeclId) -> bool {
    let Some(f) = cx.ir.function_ir(function) else {
        return false;
    };
    let names_var = |e: &Expr| {
        let mut found = false;
        walk_expr(e, &mut |x| {
            found |= cx.model.resolution(f.file, x.id).and_then(|r| r.decl()) == Some(var);
        });
        found
    };
    let mut replaced = false;
    for root in f.cfg.node(node).exprs() {
        walk_expr(root, &mut |e| {
            if let ExprKind::Assign { op: None, lhs, rhs } = &e.kind {
                if names_var(lhs) && !names_var(rhs) {
                    replaced = true;
                }
            }
        });
    }
    replaced
}

/// Whether a modifier applied to `function` decides, before its `_`,
/// whether the body runs at all (`if (confirmAndCheck(op)) _;`, or any
/// reverting check).
fn gated_by_modifier(cx: &AnalysisContext<'_>, function: DeclId) -> bool {
    cx.ir
        .call_graph()
        .edges_from(function)
        .iter()
        .filter(|e| e.kind == bulwark_ir::CallEdgeKind::Modifier)
        .filter_map(|e| e.callee.and_then(|m| cx.ir.function_ir(m)))
        .any(|m| {
            m.cfg
                .nodes()
                .filter(|(_, n)| matches!(n.kind, NodeKind::Placeholder))
                .any(|(p, _)| {
                    m.cfg.nodes().any(|(g, n)| {
                        g != p
                            && m.cfg.dominates(g, p)
                            && (matches!(n.kind, NodeKind::Condition { .. })
                                || crate::analysis::conditions::is_guard(m, g))
                    })
                })
        })
}
