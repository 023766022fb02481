//! Where a value comes from, as a destination or a target: a parameter,
//! the caller, this contract, a state variable, a constant.
//!
//! The IR's taint follows every data dependence, mapping keys included
//! (`plugins[selector]` is tainted by `selector`), which is right for
//! "does the caller influence this" but wrong for "who chose this
//! address": the caller picks *which* registry entry, not what the owner
//! stored there. Provenance follows values only — through locals
//! (reaching definitions), conversions and conditionals — and stops at the
//! container of an indexed read. It belongs in the IR next to taint; it
//! lives here until the IR offers it.

use bulwark_ir::cfg::NodeIx;
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_sema::{Builtin, CallKind, DeclId, DeclKind, Res, VarMutability};
use bulwark_syntax::ast::{Expr, ExprKind};

use crate::analysis::expr::{is_this, strip_conversions};
use crate::detector::AnalysisContext;

/// One origin of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Parameter `index` of the function (or a calldata element of it).
    Param(usize),
    /// `msg.sender`.
    Sender,
    /// `tx.origin`.
    TxOrigin,
    /// `msg.data` (or a slice of it).
    CallData,
    /// `this` / `address(this)`.
    This,
    /// A mutable (or transient) state variable, or an element of one.
    State(DeclId),
    /// A literal, constant or immutable: fixed at compile or deploy time.
    Fixed,
    /// The result of an external call.
    ExternalCall,
    /// Anything else (internal calls, arithmetic, tuple slots).
    Other,
}

/// Bounds the search through chains of locals.
const MAX_DEPTH: u32 = 6;

/// The origins of `expr`, evaluated at `node` of `f`.
pub fn origins(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
) -> Vec<Origin> {
    let mut out = Vec::new();
    collect(cx, f, node, expr, 0, &mut out);
    out.sort_by_key(|o| format!("{o:?}"));
    out.dedup();
    out
}

fn push(out: &mut Vec<Origin>, origin: Origin) {
    if !out.contains(&origin) {
        out.push(origin);
    }
}

fn collect(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    depth: u32,
    out: &mut Vec<Origin>,
) {
    if depth > MAX_DEPTH {
        push(out, Origin::Other);
        return;
    }
    let file = f.file;
    if is_this(cx, file, expr) {
        push(out, Origin::This);
        return;
    }
    let e = strip_conversions(cx, file, expr);
    match &e.kind {
        ExprKind::Literal(_) => push(out, Origin::Fixed),
        ExprKind::Ident(_) | ExprKind::Member { .. } => match cx.model.resolution(file, e.id) {
            Some(Res::Builtin(b)) => push(
                out,
                match b {
                    Builtin::MsgSender => Origin::Sender,
                    Builtin::TxOrigin => Origin::TxOrigin,
                    Builtin::MsgData => Origin::CallData,
                    Builtin::This => Origin::This,
                    Builtin::BlockCoinbase => Origin::Other,
                    _ => Origin::Other,
                },
            ),
            Some(Res::Decl(d)) => decl_origin(cx, f, node, *d, depth, out),
            _ => push(out, Origin::Other),
        },
        ExprKind::Index { base, .. } | ExprKind::Slice { base, .. } => {
            collect(cx, f, node, base, depth + 1, out)
        }
        ExprKind::Conditional {
            then_expr,
            else_expr,
            ..
        } => {
            collect(cx, f, node, then_expr, depth + 1, out);
            collect(cx, f, node, else_expr, depth + 1, out);
        }
        ExprKind::Call { args, .. } => match cx.model.call_kind(file, e.id) {
            Some(CallKind::External { .. }) => push(out, Origin::ExternalCall),
            // Decoding keeps the provenance of the bytes decoded.
            Some(CallKind::Builtin(Builtin::AbiDecode)) => {
                match bulwark_ir::walk::call_args(args).first() {
                    Some(data) => collect(cx, f, node, data, depth + 1, out),
                    None => push(out, Origin::Other),
                }
            }
            Some(CallKind::Builtin(
                Builtin::AddressCall | Builtin::AddressDelegatecall | Builtin::AddressStaticcall,
            )) => push(out, Origin::ExternalCall),
            _ => push(out, Origin::Other),
        },
        _ => push(out, Origin::Other),
    }
}

fn decl_origin(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    d: DeclId,
    depth: u32,
    out: &mut Vec<Origin>,
) {
    match cx.model.decl(d).kind {
        DeclKind::StateVar => {
            let fixed = cx.model.state_var(d).is_some_and(|v| {
                matches!(
                    v.mutability,
                    VarMutability::Constant | VarMutability::Immutable
                )
            });
            push(
                out,
                if fixed {
                    Origin::Fixed
                } else {
                    Origin::State(d)
                },
            );
        }
        DeclKind::Param | DeclKind::LocalVar | DeclKind::ReturnParam => {
            if let Some(i) = cx
                .model
                .function(f.decl)
                .and_then(|info| info.params.iter().position(|&p| p == d))
            {
                push(out, Origin::Param(i));
                return;
            }
            let defs = f.reaching_defs().reaching(node, d);
            if defs.is_empty() {
                push(out, Origin::Other);
            }
            for def in defs {
                let value = f
                    .facts(def)
                    .defs
                    .iter()
                    .find(|x| x.var == d)
                    .and_then(|x| x.value)
                    .and_then(|v| f.expr(v));
                match value.or_else(|| whole_value(f, def)) {
                    Some(v) => collect(cx, f, def, v, depth + 1, out),
                    None => push(out, Origin::Other),
                }
            }
        }
        _ => push(out, Origin::Other),
    }
}

/// Whether `expr` is (a conversion of) `msg.sender` or a local holding it.
pub fn is_sender(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx, expr: &Expr) -> bool {
    origins(cx, f, node, unparen(expr)) == [Origin::Sender]
}

/// The value assigned by a tuple declaration or assignment at `node`
/// (`(a, b) = abi.decode(data, (...))`): each slot gets the provenance of
/// the whole right-hand side.
fn whole_value<'p>(f: &FunctionIr<'p>, node: NodeIx) -> Option<&'p Expr> {
    use bulwark_ir::cfg::NodeKind;
    match f.cfg.node(node).kind {
        NodeKind::VarDecl(stmt) => stmt.init.as_ref(),
        NodeKind::Expr(e) => match &unparen(e).kind {
            ExprKind::Assign { op: None, rhs, .. } => Some(rhs),
            _ => None,
        },
        _ => None,
    }
}
