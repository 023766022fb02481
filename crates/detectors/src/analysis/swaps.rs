//! AMM swap calls recognised by the called function's name and the shape
//! of its parameters — Uniswap v2-style routers (`swapExactTokensFor…`
//! with `amountOutMin` before the path and a trailing `deadline`), v3
//! routers (`exactInput(Single)`/`exactOutput(Single)` taking a params
//! struct with `amountOutMinimum`/`amountInMaximum`/`deadline`), v2 and
//! v3 pools' own `swap`, Curve's `exchange(i, j, dx, min_dy)` and
//! aggregator-style functions whose parameters (or params struct) carry a
//! minimum return — with the argument expression bound to each slippage
//! or deadline parameter.
//!
//! Also: which external calls read a pool's *current* state (spot quotes:
//! `getAmountsOut`, `get_dy`, quoter calls, `getReserves`, `slot0`), so a
//! bound computed from one can be told apart from a caller's bound.

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::{CallSite, CallSiteKind};
use bulwark_ir::walk::{unparen, walk_expr};
use bulwark_ir::FunctionIr;
use bulwark_sema::{CallKind, DeclAst, DeclId, Type};
use bulwark_syntax::ast::{CallArgsKind, Expr, ExprKind};

use crate::analysis::expr::decl_of;
use crate::detector::AnalysisContext;

/// What a swap parameter bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoundKind {
    /// The least output accepted (`amountOutMin`, `min_dy`).
    MinOut,
    /// The most input paid for an exact output (`amountInMax`).
    MaxIn,
    /// A v3 pool's `sqrtPriceLimitX96`.
    PriceLimit,
    /// An output amount the caller computed for a v2 pair's `swap`: the
    /// pair checks only its invariant, so the amount is the bound.
    PairOut,
    /// The latest timestamp at which the swap may execute.
    Deadline,
}

impl BoundKind {
    /// Whether the bound limits the price paid (everything but deadlines).
    pub fn is_slippage(self) -> bool {
        self != BoundKind::Deadline
    }
}

/// One bound of a swap call: which parameter (or params-struct field) and
/// the expression the caller passes for it.
pub struct SwapBound<'p> {
    pub kind: BoundKind,
    /// The parameter or field name (`amountOutMin`), or a description of
    /// its position when the interface leaves it unnamed.
    pub name: String,
    pub value: &'p Expr,
    /// The node where `value` is evaluated (a field assignment before the
    /// call, or the call's own node).
    pub node: NodeIx,
}

/// A recognised swap call.
pub struct SwapCall<'p> {
    pub callee: DeclId,
    pub bounds: Vec<SwapBound<'p>>,
    /// The amount sold, when the shape says which argument it is.
    pub amount_in: Option<&'p Expr>,
}

/// Normalised parameter name: lower case, no underscores.
fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The bound a parameter named `name` of type `ty` is, by its name.
fn kind_by_name(name: &str, ty: &Type) -> Option<BoundKind> {
    let n = norm(name);
    let uint = matches!(ty, Type::Int { signed: false, .. });
    if !uint {
        return None;
    }
    if n == "deadline" {
        return Some(BoundKind::Deadline);
    }
    if n.starts_with("sqrtpricelimit") {
        return Some(BoundKind::PriceLimit);
    }
    let min = n.contains("min");
    let max = n.contains("max");
    let out_like = ["out", "return", "dy", "receive", "buy", "bought"]
        .iter()
        .any(|w| n.contains(w));
    if min && out_like {
        return Some(BoundKind::MinOut);
    }
    // Liquidity minimums: `amountAMin`, `amountTokenMin`, `amount0Min`
    // (the least deposited or withdrawn of each token).
    if n.starts_with("amount") && n.ends_with("min") {
        return Some(BoundKind::MinOut);
    }
    if max && (n.contains("in") || n.contains("dx") || n.contains("sold")) && !out_like {
        return Some(BoundKind::MaxIn);
    }
    None
}

/// Whether a parameter named `name` is the amount sold.
fn is_amount_in_name(name: &str) -> bool {
    matches!(
        norm(name).as_str(),
        "amountin" | "dx" | "amount" | "inputamount"
    )
}

/// Whether the function name sounds like a trade.
fn trade_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("swap") || n.contains("exchange") || n.starts_with("exact") || n.contains("trade")
}

/// Whether the function adds or removes AMM liquidity at a price the
/// pool sets: `addLiquidity(ETH)`, `removeLiquidity(ETH)(WithPermit)`, a
/// v3 position manager's `mint`/`increaseLiquidity`/`decreaseLiquidity`
/// (which take a params struct with `amount0Min`/`amount1Min`).
pub fn liquidity_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("liquidity") || n == "mint"
}

fn is_uint(ty: &Type) -> bool {
    matches!(ty, Type::Int { signed: false, .. })
}

fn is_int(ty: &Type) -> bool {
    matches!(ty, Type::Int { .. })
}

fn is_address(ty: &Type) -> bool {
    matches!(ty, Type::Address { .. } | Type::Contract(_))
}

fn is_address_array(ty: &Type) -> bool {
    matches!(ty, Type::Array { base, .. } if is_address(base))
}

/// The swap `call` (at `node` of `f`) makes, when its callee is one.
pub fn swap_call<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    node: NodeIx,
    call: &CallSite,
) -> Option<SwapCall<'p>> {
    let CallSiteKind::External {
        function: Some(callee),
        ..
    } = call.kind
    else {
        return None;
    };
    let fname = cx.model.decl(callee).name.clone();
    if !trade_name(&fname) && !liquidity_name(&fname) {
        return None;
    }
    let info = cx.model.function(callee)?;
    let params: Vec<(String, Type)> = info
        .params
        .iter()
        .map(|&p| (cx.model.decl(p).name.clone(), cx.model.decl_type(p).clone()))
        .collect();
    let call_expr = f.expr(call.expr)?;
    let args = arguments(call_expr, &params)?;
    let mut out = SwapCall {
        callee,
        bounds: Vec::new(),
        amount_in: None,
    };
    for (i, (name, ty)) in params.iter().enumerate() {
        let Some(arg) = args[i] else { continue };
        if let Some(kind) = kind_by_name(name, ty) {
            out.bounds.push(SwapBound {
                kind,
                name: name.clone(),
                value: arg,
                node,
            });
        } else if is_amount_in_name(name) && is_uint(ty) && out.amount_in.is_none() {
            out.amount_in = Some(arg);
        } else if let Type::Struct { decl, .. } = ty {
            struct_bounds(cx, f, node, *decl, arg, &mut out);
        }
    }
    if out.bounds.is_empty() && trade_name(&fname) {
        positional_bounds(&fname, &params, &args, node, &mut out);
    }
    if !trade_name(&fname) && !out.bounds.iter().any(|b| b.kind.is_slippage()) {
        // `mint(to, amount)` of a token is no liquidity call.
        return None;
    }
    (!out.bounds.is_empty()).then_some(out)
}

/// The argument passed for each parameter, named arguments mapped by
/// name. `None` when the counts do not match.
fn arguments<'p>(call: &'p Expr, params: &[(String, Type)]) -> Option<Vec<Option<&'p Expr>>> {
    let ExprKind::Call { args, .. } = &unparen(call).kind else {
        return None;
    };
    match &args.kind {
        CallArgsKind::Positional(v) if v.len() == params.len() => {
            Some(v.iter().map(Some).collect())
        }
        CallArgsKind::Named(v) => Some(
            params
                .iter()
                .map(|(n, _)| v.iter().find(|a| a.name.name == *n).map(|a| &a.value))
                .collect(),
        ),
        _ => None,
    }
}

/// Bounds inside a params struct: the struct constructor passed in place,
/// or a local struct whose fields the function sets before the call.
fn struct_bounds<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    node: NodeIx,
    strukt: DeclId,
    arg: &'p Expr,
    out: &mut SwapCall<'p>,
) {
    let DeclAst::Struct(def) = cx.model.decl(strukt).ast else {
        return;
    };
    let fields: Vec<(String, Type)> = def
        .fields
        .iter()
        .map(|p| {
            let name = p.name.as_ref().map(|n| n.name.clone()).unwrap_or_default();
            let ty = cx
                .model
                .decl_at(cx.model.decl(strukt).file, p.id)
                .map(|d| cx.model.decl_type(d).clone())
                .unwrap_or(Type::Unknown);
            (name, ty)
        })
        .collect();
    let push = |field: usize, value: &'p Expr, at: NodeIx, out: &mut SwapCall<'p>| {
        let (name, ty) = &fields[field];
        if let Some(kind) = kind_by_name(name, ty) {
            if !out.bounds.iter().any(|b| b.name == *name) {
                out.bounds.push(SwapBound {
                    kind,
                    name: name.clone(),
                    value,
                    node: at,
                });
            }
        } else if is_amount_in_name(name) && out.amount_in.is_none() {
            out.amount_in = Some(value);
        }
    };
    let arg = unparen(arg);
    if let Some(values) = constructor_args(cx, f, arg, &fields) {
        for (i, v) in values.into_iter().enumerate() {
            if let Some(v) = v {
                push(i, v, node, out);
            }
        }
        return;
    }
    // A local struct: field assignments reaching the call win over the
    // constructor that initialised it.
    let Some(local) = decl_of(cx, f.file, arg) else {
        return;
    };
    for (at, n) in f.cfg.nodes() {
        if at != node && !f.cfg.reaches(at, node) {
            continue;
        }
        for root in n.exprs() {
            walk_expr(root, &mut |e| {
                let ExprKind::Assign { op: None, lhs, rhs } = &e.kind else {
                    return;
                };
                let ExprKind::Member { base, member } = &unparen(lhs).kind else {
                    return;
                };
                if decl_of(cx, f.file, unparen(base)) != Some(local) {
                    return;
                }
                if let Some(i) = fields.iter().position(|(n, _)| *n == member.name) {
                    push(i, rhs, at, out);
                }
            });
        }
        if let NodeKind::VarDecl(stmt) = n.kind {
            let declares = stmt
                .decls
                .iter()
                .flatten()
                .any(|l| cx.model.decl_at(f.file, l.id) == Some(local));
            if let (true, Some(init)) = (declares, stmt.init.as_ref()) {
                if let Some(values) = constructor_args(cx, f, unparen(init), &fields) {
                    for (i, v) in values.into_iter().enumerate() {
                        if let Some(v) = v {
                            push(i, v, at, out);
                        }
                    }
                }
            }
        }
    }
}

/// The field values of a struct constructor call, in field order.
fn constructor_args<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    e: &'p Expr,
    fields: &[(String, Type)],
) -> Option<Vec<Option<&'p Expr>>> {
    if !matches!(
        cx.model.call_kind(f.file, e.id),
        Some(CallKind::StructConstructor(_))
    ) {
        return None;
    }
    arguments(e, fields)
}

/// Bounds of interfaces that leave their parameters unnamed, by the
/// well-known shapes.
fn positional_bounds<'p>(
    fname: &str,
    params: &[(String, Type)],
    args: &[Option<&'p Expr>],
    node: NodeIx,
    out: &mut SwapCall<'p>,
) {
    let types: Vec<&Type> = params.iter().map(|(_, t)| t).collect();
    let bound = |kind: BoundKind, i: usize, name: &str, out: &mut SwapCall<'p>| {
        if let Some(Some(v)) = args.get(i) {
            out.bounds.push(SwapBound {
                kind,
                name: name.to_string(),
                value: v,
                node,
            });
        }
    };
    // v2 router: (uint…, address[] path, address to, uint deadline).
    if let Some(p) = types.iter().position(|t| is_address_array(t)) {
        let shaped = fname.starts_with("swap")
            && p >= 1
            && types[..p].iter().all(|t| is_uint(t))
            && types.get(p + 1).is_some_and(|t| is_address(t))
            && types.len() == p + 3
            && is_uint(types[p + 2]);
        if shaped {
            let kind = if fname.contains("ForExact") {
                BoundKind::MaxIn
            } else {
                BoundKind::MinOut
            };
            let name = if kind == BoundKind::MinOut {
                "amountOutMin"
            } else {
                "amountInMax"
            };
            bound(kind, p - 1, name, out);
            bound(BoundKind::Deadline, p + 2, "deadline", out);
            if p == 2 && kind == BoundKind::MinOut {
                out.amount_in = args[0];
            }
        }
        return;
    }
    match types.as_slice() {
        // Curve: exchange(i, j, dx, min_dy).
        [i, j, dx, min, ..]
            if fname.starts_with("exchange")
                && is_int(i)
                && is_int(j)
                && is_uint(dx)
                && is_uint(min) =>
        {
            bound(BoundKind::MinOut, 3, "min_dy", out);
            out.amount_in = args[2];
        }
        // v3 pool: swap(recipient, zeroForOne, amountSpecified, sqrtPriceLimitX96, data).
        [to, Type::Bool, Type::Int { signed: true, .. }, Type::Int {
            signed: false,
            bits: 160,
        }, Type::Bytes(_)]
            if fname == "swap" && is_address(to) =>
        {
            bound(BoundKind::PriceLimit, 3, "sqrtPriceLimitX96", out);
            out.amount_in = args[2];
        }
        // v2 pair: swap(amount0Out, amount1Out, to, data).
        [a, b, to, Type::Bytes(_)]
            if fname == "swap" && is_uint(a) && is_uint(b) && is_address(to) =>
        {
            bound(BoundKind::PairOut, 0, "amount0Out", out);
            bound(BoundKind::PairOut, 1, "amount1Out", out);
        }
        _ => {}
    }
}

/// Whether `callee` reads a pool's current price or reserves: router and
/// quoter quotes, Curve's `get_dy`, `getReserves`, a v3 pool's `slot0`.
pub fn is_spot_quote(cx: &AnalysisContext<'_>, callee: DeclId) -> bool {
    let name = cx.model.decl(callee).name.as_str();
    matches!(
        name,
        "getAmountsOut"
            | "getAmountOut"
            | "getAmountsIn"
            | "getAmountIn"
            | "get_dy"
            | "get_dy_underlying"
            | "get_dx"
            | "getReserves"
            | "slot0"
            | "getExpectedReturn"
            | "quoteExactInput"
            | "quoteExactInputSingle"
            | "quoteExactOutput"
            | "quoteExactOutputSingle"
            | "querySwap"
    )
}

/// How deep [`spot_quote_behind`] follows locals and internal calls.
const MAX_DEPTH: u32 = 6;

/// The spot-quote call `expr` (evaluated at `node`) is computed from,
/// through locals (tuple slots included) and internal functions that
/// make one.
pub fn spot_quote_behind(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
) -> Option<DeclId> {
    search(cx, f, node, expr, 0, &mut |d| {
        is_spot_quote(cx, d).then_some(d)
    })
}

/// Whether `expr` is computed from an external call that is not a spot
/// quote (an oracle, a TWAP observation).
pub fn reference_price_behind(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
) -> bool {
    search(cx, f, node, expr, 0, &mut |d| {
        (!is_spot_quote(cx, d)
            && cx.model.decl(d).name != "balanceOf"
            && !trade_name(&cx.model.decl(d).name))
        .then_some(d)
    })
    .is_some()
}

fn search(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'_>,
    node: NodeIx,
    expr: &Expr,
    depth: u32,
    hit: &mut dyn FnMut(DeclId) -> Option<DeclId>,
) -> Option<DeclId> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut found = None;
    let mut locals = Vec::new();
    let mut internals = Vec::new();
    walk_expr(expr, &mut |e| {
        if found.is_some() {
            return;
        }
        match &e.kind {
            ExprKind::Call { .. } => match cx.model.call_kind(f.file, e.id) {
                Some(CallKind::External { function: Some(d) }) => found = hit(*d),
                Some(CallKind::Internal(d))
                | Some(CallKind::BoundInternal(d))
                | Some(CallKind::Library { function: d, .. }) => internals.push(*d),
                _ => {}
            },
            ExprKind::Ident(_) => {
                if let Some(d) = decl_of(cx, f.file, e) {
                    if matches!(
                        cx.model.decl(d).kind,
                        bulwark_sema::DeclKind::LocalVar | bulwark_sema::DeclKind::ReturnParam
                    ) {
                        locals.push(d);
                    }
                }
            }
            _ => {}
        }
    });
    if found.is_some() {
        return found;
    }
    for local in locals {
        for def in f.reaching_defs().reaching(node, local) {
            let value = f
                .facts(def)
                .defs
                .iter()
                .find(|x| x.var == local)
                .and_then(|x| x.value)
                .and_then(|v| f.expr(v))
                .or_else(|| whole_value(f, def));
            if let Some(v) = value {
                if let Some(d) = search(cx, f, def, v, depth + 1, hit) {
                    return Some(d);
                }
            }
        }
    }
    for callee in internals {
        let Some(g) = cx.ir.function_ir(callee) else {
            continue;
        };
        // The helper's returned values: what it returns is what it computes.
        for (at, n) in g.cfg.nodes() {
            if let NodeKind::Return(Some(v)) = n.kind {
                if let Some(d) = search(cx, g, at, v, depth + 2, hit) {
                    return Some(d);
                }
            }
        }
    }
    None
}

/// The whole right-hand side of a declaration or assignment at `node`
/// (for tuple slots, which have no value of their own).
fn whole_value<'p>(f: &FunctionIr<'p>, node: NodeIx) -> Option<&'p Expr> {
    match f.cfg.node(node).kind {
        NodeKind::VarDecl(stmt) => stmt.init.as_ref(),
        NodeKind::Expr(e) => match &unparen(e).kind {
            ExprKind::Assign { op: None, rhs, .. } => Some(rhs),
            _ => None,
        },
        _ => None,
    }
}
