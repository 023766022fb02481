//! Whether the caller chooses an address — the destination of a payment,
//! the code a `delegatecall` runs — shared by `arbitrary-send-eth` and
//! `controlled-delegatecall`.
//!
//! An address is chosen by the caller when its [provenance] is:
//! - a parameter of an externally callable function, unless a check that
//!   dominates the use binds it to an earlier commitment: a digest of it
//!   (`id = hashOperation(target, ...)`) is tested by a guard or handed to
//!   a helper that can revert (`_beforeCall(id)`, `_validateState(id)`).
//!   That is how timelocks and governors execute only what was scheduled
//!   or voted;
//! - a parameter of an internal function, when some call site passes a
//!   caller-chosen argument (followed through the call graph);
//! - call data;
//! - a state variable that an unguarded function stores caller input into
//!   (the taint predicate says which inputs count).
//!
//! [provenance]: crate::analysis::provenance

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::walk::{call_args, unparen};
use bulwark_ir::{CallEdgeKind, FunctionIr, Taint};
use bulwark_sema::{Builtin, CallKind, DeclId, DeclKind, VarMutability};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::access::Access;
use crate::analysis::conditions::is_guard;
use crate::analysis::provenance::{origins, Origin};
use crate::detector::AnalysisContext;

/// How the caller chooses the address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chosen {
    /// Passed as an argument (or in the call data).
    Argument,
    /// Stored into `var` by `writer` at `node`, with no access check.
    OpenState {
        var: DeclId,
        writer: DeclId,
        node: NodeIx,
    },
}

/// Bounds the search through internal call chains.
const MAX_DEPTH: u32 = 4;

/// How the caller chooses `expr` (evaluated at `node` of `f`), if they do.
pub fn chosen_by_caller(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    stored: &dyn Fn(Taint) -> bool,
) -> Option<Chosen> {
    chosen_at_depth(cx, access, f, node, expr, stored, 0)
}

fn chosen_at_depth(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    stored: &dyn Fn(Taint) -> bool,
    depth: u32,
) -> Option<Chosen> {
    origins(cx, f, node, expr)
        .into_iter()
        .find_map(|origin| match origin {
            Origin::CallData => Some(Chosen::Argument),
            Origin::Param(i) if access.is_entry_point(f.decl) => {
                (!committed(cx, f, node, i)).then_some(Chosen::Argument)
            }
            Origin::Param(i) if depth < MAX_DEPTH => {
                param_chosen_by_callers(cx, access, f, i, stored, depth)
            }
            Origin::State(var) => access
                .open_write_matching(var, stored)
                .map(|(writer, node)| Chosen::OpenState { var, writer, node }),
            _ => None,
        })
}

/// How the caller chooses the value of a variable at `node` of `f` (a
/// parameter, a local or a state variable named in inline assembly,
/// where no Solidity expression stands for it), if they do.
pub fn variable_chosen_by_caller(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    var: DeclId,
    stored: &dyn Fn(Taint) -> bool,
) -> Option<Chosen> {
    match cx.model.decl(var).kind {
        DeclKind::Param => {
            let index = cx
                .model
                .function(f.decl)?
                .params
                .iter()
                .position(|&p| p == var)?;
            if access.is_entry_point(f.decl) {
                (!committed(cx, f, node, index)).then_some(Chosen::Argument)
            } else {
                param_chosen_by_callers(cx, access, f, index, stored, 0)
            }
        }
        DeclKind::LocalVar => f
            .reaching_defs()
            .reaching(node, var)
            .into_iter()
            .find_map(|def| {
                let value = f
                    .facts(def)
                    .defs
                    .iter()
                    .find(|x| x.var == var)
                    .and_then(|x| x.value)
                    .and_then(|v| f.expr(v))?;
                chosen_at_depth(cx, access, f, def, value, stored, 1)
            }),
        DeclKind::StateVar => {
            let mutable = cx
                .model
                .state_var(var)
                .is_some_and(|v| v.mutability == VarMutability::Mutable);
            if !mutable {
                return None;
            }
            access
                .open_write_matching(var, stored)
                .map(|(writer, node)| Chosen::OpenState { var, writer, node })
        }
        _ => None,
    }
}

/// Whether some internal call of `f` passes a caller-chosen value as its
/// parameter `index`.
fn param_chosen_by_callers(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    index: usize,
    stored: &dyn Fn(Taint) -> bool,
    depth: u32,
) -> Option<Chosen> {
    let graph = cx.ir.call_graph();
    let sites: Vec<(DeclId, NodeIx, bulwark_syntax::ast::NodeId)> = graph
        .edges_into(f.decl)
        .filter(|e| matches!(e.kind, CallEdgeKind::Internal | CallEdgeKind::Super))
        .filter_map(|e| Some((e.caller, e.node?, e.expr?)))
        .collect();
    sites.into_iter().find_map(|(caller, at, call)| {
        let g = cx.ir.function_ir(caller)?;
        if access.node_is_guarded(caller, at) {
            return None;
        }
        let site = g.facts(at).calls.iter().find(|c| c.expr == call)?;
        let offset = usize::from(matches!(site.kind, CallSiteKind::BoundInternal { .. }));
        let arg = index.checked_sub(offset).and_then(|i| site.args.get(i))?;
        let arg = g.expr(*arg)?;
        chosen_at_depth(cx, access, g, at, arg, stored, depth + 1)
    })
}

/// Whether a check dominating `node` binds parameter `index` of `f` to a
/// commitment: a digest of it (a local computed by a call from values
/// including the parameter) that a guard tests or a helper that can
/// revert receives.
pub fn committed(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, index: usize) -> bool {
    let taint = cx.ir.taint();
    f.cfg.nodes().any(|(d, _)| {
        if d == node || !f.cfg.dominates(d, node) {
            return false;
        }
        let checks = is_guard(f, d)
            || f.facts(d).calls.iter().any(|c| match c.kind {
                CallSiteKind::Internal { function, .. } => cx
                    .ir
                    .function_ir(function)
                    .is_some_and(|g| g.cfg.reaches(g.cfg.entry, g.cfg.revert_exit)),
                _ => false,
            });
        checks
            && f.facts(d).uses.iter().any(|&local| {
                taint.var_before(f.decl, d, local).has_param(index)
                    && f.reaching_defs().reaching(d, local).into_iter().any(|def| {
                        f.facts(def)
                            .defs
                            .iter()
                            .filter(|x| x.var == local)
                            .filter_map(|x| x.value.and_then(|v| f.expr(v)))
                            .any(|v| is_digest(cx, f, v))
                    })
            })
    })
}

/// A value computed by a hash or a function call (not a plain copy or a
/// conversion of the input).
fn is_digest(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, e: &Expr) -> bool {
    let e = unparen(e);
    let ExprKind::Call { args, .. } = &e.kind else {
        return false;
    };
    match cx.model.call_kind(f.file, e.id) {
        Some(CallKind::Builtin(Builtin::Keccak256 | Builtin::Sha3 | Builtin::Sha256)) => true,
        Some(CallKind::Internal(_)) | Some(CallKind::External { .. }) => {
            !call_args(args).is_empty()
        }
        _ => false,
    }
}

/// Whether every origin of `expr` is a parameter that the caller cannot
/// choose freely: bound to a commitment in the entry point that receives
/// it (governance-approved targets), followed through internal calls.
pub fn is_committed_argument(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
) -> bool {
    committed_at_depth(cx, access, f, node, expr, 0)
}

fn committed_at_depth(
    cx: &AnalysisContext<'_>,
    access: &Access<'_, '_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    depth: u32,
) -> bool {
    let found = origins(cx, f, node, expr);
    !found.is_empty()
        && found.into_iter().all(|origin| match origin {
            Origin::Param(i) if access.is_entry_point(f.decl) => committed(cx, f, node, i),
            Origin::Param(i) if depth < MAX_DEPTH => {
                let graph = cx.ir.call_graph();
                let sites: Vec<(DeclId, NodeIx, bulwark_syntax::ast::NodeId)> = graph
                    .edges_into(f.decl)
                    .filter(|e| matches!(e.kind, CallEdgeKind::Internal | CallEdgeKind::Super))
                    .filter_map(|e| Some((e.caller, e.node?, e.expr?)))
                    .collect();
                !sites.is_empty()
                    && sites.into_iter().all(|(caller, at, call)| {
                        let Some(g) = cx.ir.function_ir(caller) else {
                            return false;
                        };
                        let Some(site) = g.facts(at).calls.iter().find(|c| c.expr == call) else {
                            return false;
                        };
                        let offset =
                            usize::from(matches!(site.kind, CallSiteKind::BoundInternal { .. }));
                        let Some(arg) = i
                            .checked_sub(offset)
                            .and_then(|i| site.args.get(i))
                            .and_then(|a| g.expr(*a))
                        else {
                            return false;
                        };
                        committed_at_depth(cx, access, g, at, arg, depth + 1)
                    })
            }
            _ => false,
        })
}
