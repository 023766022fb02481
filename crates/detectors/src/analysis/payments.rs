//! Calls whose failure stops the caller: what denial-of-service detectors
//! ask about a payment or message call (who receives it, does a failing
//! receiver revert the whole transaction).

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::{CallSite, CallSiteKind, LowLevelOp, ResultUse};
use bulwark_ir::FunctionIr;
use bulwark_syntax::ast::Expr;

use crate::analysis::conditions::{is_guard, tested};
use crate::analysis::values::mentioned_decls;
use crate::detector::AnalysisContext;

/// The address a call sends ether or a message to: the target of a
/// low-level call (`to` in `to.transfer(x)`), the receiver of a high-level
/// call (`hook` in `hook.notify()`).
pub fn recipient<'p>(f: &FunctionIr<'p>, call: &CallSite) -> Option<&'p Expr> {
    match call.kind {
        CallSiteKind::LowLevel { target, .. } => f.expr(target),
        CallSiteKind::External {
            receiver: Some(r), ..
        } => f.expr(r),
        _ => None,
    }
}

/// Whether a failure of the callee (a receiver that reverts or runs out of
/// gas) reverts the calling transaction: `transfer`, a high-level call,
/// `send`/`call` whose status is required (`require(to.send(x))`, or a
/// status local that a later guard tests). Delegate and static calls are
/// not payments to someone else and are left out.
pub fn failure_reverts(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    call: &CallSite,
) -> bool {
    match &call.kind {
        CallSiteKind::External { .. } => true,
        CallSiteKind::LowLevel { op, .. } => match op {
            LowLevelOp::Transfer => true,
            LowLevelOp::Send | LowLevelOp::Call => match &call.result {
                ResultUse::Checked => is_guard(f, node),
                ResultUse::Assigned(locals) => f.cfg.nodes().any(|(g, _)| {
                    g != node
                        && f.cfg.reaches(node, g)
                        && is_guard(f, g)
                        && tested(f, g).into_iter().any(|cond| {
                            mentioned_decls(cx, f, cond)
                                .iter()
                                .any(|d| locals.contains(d))
                        })
                }),
                _ => false,
            },
            _ => false,
        },
        _ => false,
    }
}
