//! `unused-return`: the result of a `view` or `pure` call is discarded, so
//! the statement does nothing.
//!
//! # Facts used
//! - Calls resolved to a function with a body (internal, library, bound,
//!   external) or a public state variable's getter, with the callee's
//!   mutability (`view`/`pure`, `constant` before 0.5), parameter
//!   locations and return list.
//! - The IR's use of the result: the call is an expression statement.
//! - The callee's CFG: a function that can revert is called for its check
//!   (`_requireOwned(id);`) and is not reported, unless it returns an
//!   arithmetic expression (`a.sub(b);`), reported with medium confidence.

use bulwark_ir::cfg::NodeKind;
use bulwark_ir::facts::{CallSiteKind, ResultUse};
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_report::{Confidence, Finding, Severity};
use bulwark_sema::{DataLocation, DeclId, Mutability};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind};

use crate::analysis::values::{definitions, local_of};

use crate::detector::{AnalysisContext, Detector};
use crate::finding::FindingBuilder;
use crate::meta::DetectorMeta;

pub const META: DetectorMeta = DetectorMeta {
    id: "unused-return",
    title: "Result of a view or pure call discarded",
    severity: Severity::Medium,
    confidence: Confidence::High,
    swc: &["SWC-135"],
    applies_to: "all versions",
    summary: "A call to a function that cannot change state is used as a statement and its \
result thrown away: the line has no effect, which almost always means an assignment or a \
check was lost.",
    what: r#"Reports a call used as a statement when the called function has a body in the project, is
`view` or `pure` (`constant` before 0.5) and returns a value: an internal helper, a library
function (`balance.sub(amount);`), or a function of another contract of the project.

Not reported:
- functions that can revert, which are usually called for their check
  (`_requireOwned(tokenId);`, `Address.verifyCallResult(ok, data);`) — unless the value they
  return is computed arithmetic, as in SafeMath's `sub`: `x.sub(y);` is far more often a lost
  `x = x.sub(y)` than an underflow check (reported with medium confidence);
- functions taking a `memory` argument, which they may modify in place (`Arrays.sort(a);`);
- functions without a body (another contract's interface): the call may be a probe that
  reverts when the target does not implement the function;
- results that are assigned, tested, returned or passed on; calls that can change state (the
  ERC20 ones are `unchecked-transfer`)."#,
    why: r#"A `view` or `pure` function only computes a value. Calling it without using the value
changes nothing, so the author's intent — usually updating a balance (`balances[a].sub(x);`
instead of `balances[a] = balances[a].sub(x);`) or checking a condition — silently never
happens. Balances that are never reduced let users withdraw repeatedly."#,
    exploit: r#"```solidity
function withdraw(uint256 amount) external {
    require(balances[msg.sender] >= amount);
    balances[msg.sender].sub(amount);       // computes a value and drops it
    payable(msg.sender).transfer(amount);
}
```
The balance never decreases: a user with 1 ether deposited calls `withdraw(1 ether)` again
and again until the contract is empty."#,
    fix: r#"Use the value:
```solidity
balances[msg.sender] = balances[msg.sender].sub(amount);
```
or, when the call was meant as a check, compare its result (`require(token.balanceOf(a) >=
x)`)."#,
    references: &[
        "https://swcregistry.io/docs/SWC-135",
        "https://github.com/crytic/slither/wiki/Detector-Documentation#unused-return",
    ],
};

pub struct UnusedReturn;

impl Detector for UnusedReturn {
    fn meta(&self) -> &'static DetectorMeta {
        &META
    }

    fn run(&self, cx: &AnalysisContext<'_>, out: &mut Vec<Finding>) {
        for f in cx.ir.functions() {
            for (_, call) in f.calls() {
                if call.result != ResultUse::Ignored {
                    continue;
                }
                let callee = match call.kind {
                    CallSiteKind::Internal { function, .. }
                    | CallSiteKind::BoundInternal { function, .. }
                    | CallSiteKind::Library { function, .. } => function,
                    CallSiteKind::External {
                        function: Some(function),
                        ..
                    } => function,
                    _ => continue,
                };
                let Some((what, confidence)) = effect_free(cx, f.contract, callee) else {
                    continue;
                };
                let text = cx.snippet(f.file, call.span, 60);
                let message = format!(
                    "`{}` calls `{text}`, {what}, and discards the result: the statement changes \
nothing (a lost assignment or check?)",
                    cx.qualified_name(f.decl),
                );
                out.push(
                    FindingBuilder::new(&META, message, cx.location_in(f.decl, call.span))
                        .confidence(confidence)
                        .build(),
                );
            }
        }
    }
}

/// Whether some `return` of `g` returns an arithmetic expression, directly
/// or through a local.
fn returns_arithmetic(cx: &AnalysisContext<'_>, g: &FunctionIr<'_>) -> bool {
    fn arithmetic(e: &Expr) -> bool {
        matches!(
            unparen(e).kind,
            ExprKind::Binary {
                op: BinaryOp::Add
                    | BinaryOp::Sub
                    | BinaryOp::Mul
                    | BinaryOp::Div
                    | BinaryOp::Mod
                    | BinaryOp::Pow,
                ..
            }
        )
    }
    g.cfg.nodes().any(|(n, node)| {
        let NodeKind::Return(Some(value)) = node.kind else {
            return false;
        };
        arithmetic(value)
            || local_of(cx, g, unparen(value))
                .is_some_and(|l| definitions(g, n, l).iter().any(|&(_, v)| arithmetic(v)))
    })
}

/// Whether calling `callee` for its effect is pointless: a description of
/// it and the confidence, or `None`.
fn effect_free(
    cx: &AnalysisContext<'_>,
    contract: Option<DeclId>,
    callee: DeclId,
) -> Option<(String, Confidence)> {
    let name = cx.model.decl(callee).name.clone();
    if cx.model.state_var(callee).is_some() {
        return Some((format!("the getter of `{name}`"), Confidence::High));
    }
    let info = cx.model.function(callee)?;
    if info.returns.is_empty() {
        return None;
    }
    let callee = match contract {
        Some(c) => cx.model.dispatch(c, callee),
        None => callee,
    };
    let info = cx.model.function(callee)?;
    // Without a body (another contract's interface) the call may be a
    // probe that reverts when the target lacks the function.
    if !info.has_body() {
        return None;
    }
    // A memory argument can be modified in place (`Arrays.sort(a)` sorts
    // `a` and returns it for convenience).
    if info
        .params
        .iter()
        .any(|&p| cx.model.decl_type(p).location() == Some(DataLocation::Memory))
    {
        return None;
    }
    let kind = match info.mutability {
        Mutability::View => "a `view` function",
        Mutability::Pure => "a `pure` function",
        _ => return None,
    };
    let g = cx.ir.function_ir(callee)?;
    let confidence = if g.cfg.reaches(g.cfg.entry, g.cfg.revert_exit) {
        // A function that can revert may be called for its check
        // (`_requireOwned(id);`, `Address.verifyCallResult(ok, data);`),
        // unless what it returns is computed arithmetic (`a.sub(b);` is
        // far more often a lost assignment than an underflow check).
        if !returns_arithmetic(cx, g) {
            return None;
        }
        Confidence::Medium
    } else {
        Confidence::High
    };
    Some((
        format!("{kind} (`{}`)", cx.model.decl(callee).name),
        confidence,
    ))
}
