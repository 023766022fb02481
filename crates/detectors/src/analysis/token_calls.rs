//! Token operations recognised by their signature, not their receiver's
//! name: an ERC20 `transfer(address,uint256)`, a `transferFrom` of any
//! standard (ERC20, ERC721, ERC1155's `safeTransferFrom`), and the
//! SafeERC20-style library wrappers around them.
//!
//! Shared by `unchecked-transfer` (which result must be checked) and
//! `arbitrary-send-erc20` (whose tokens leave which account).

use bulwark_ir::facts::{CallSite, CallSiteKind};
use bulwark_ir::FunctionIr;
use bulwark_sema::{DeclId, Type};
use bulwark_syntax::ast::Expr;

use crate::detector::AnalysisContext;

/// The ERC20 functions whose `bool` result reports failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Erc20Op {
    Transfer,
    TransferFrom,
    Approve,
}

impl Erc20Op {
    pub fn name(self) -> &'static str {
        match self {
            Erc20Op::Transfer => "transfer",
            Erc20Op::TransferFrom => "transferFrom",
            Erc20Op::Approve => "approve",
        }
    }
}

fn is_address(ty: &Type) -> bool {
    matches!(ty, Type::Address { .. } | Type::Contract(_))
}

fn is_uint(ty: &Type) -> bool {
    matches!(ty, Type::Int { signed: false, .. })
}

/// The parameter types of `function`.
fn param_types(cx: &AnalysisContext<'_>, function: DeclId) -> Vec<Type> {
    cx.model
        .function(function)
        .map(|i| {
            i.params
                .iter()
                .map(|&p| cx.model.decl_type(p).clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Which ERC20 operation `function` declares, when its name and parameter
/// types are those of the standard (return type not considered).
pub fn erc20_op(cx: &AnalysisContext<'_>, function: DeclId) -> Option<Erc20Op> {
    let params = param_types(cx, function);
    match (cx.model.decl(function).name.as_str(), params.as_slice()) {
        ("transfer", [to, amount]) if is_address(to) && is_uint(amount) => Some(Erc20Op::Transfer),
        ("approve", [spender, amount]) if is_address(spender) && is_uint(amount) => {
            Some(Erc20Op::Approve)
        }
        ("transferFrom", [from, to, amount])
            if is_address(from) && is_address(to) && is_uint(amount) =>
        {
            Some(Erc20Op::TransferFrom)
        }
        _ => None,
    }
}

/// Whether `function` returns exactly one `bool`.
pub fn returns_bool(cx: &AnalysisContext<'_>, function: DeclId) -> bool {
    cx.model.function(function).is_some_and(
        |i| matches!(i.returns.as_slice(), [r] if *cx.model.decl_type(*r) == Type::Bool),
    )
}

/// A call that moves tokens out of an account: the account expression and
/// how the call names the operation.
pub struct PullCall<'p> {
    pub from: &'p Expr,
    /// `transferFrom`, `safeTransferFrom`, ...
    pub operation: String,
}

/// The account `call` takes tokens from, when it is a `transferFrom` or
/// `safeTransferFrom` of ERC20, ERC721 or ERC1155 — called on the token,
/// or through a library wrapper taking the token first
/// (`SafeERC20.safeTransferFrom(token, from, to, amount)`, bound or not).
/// The callee must take an address in the `from` position and an address
/// right after it (the recipient).
pub fn pull_call<'p>(
    cx: &AnalysisContext<'_>,
    f: &FunctionIr<'p>,
    call: &CallSite,
) -> Option<PullCall<'p>> {
    let function = call.kind.callee()?;
    let name = cx.model.decl(function).name.as_str();
    if name != "transferFrom" && name != "safeTransferFrom" {
        return None;
    }
    let params = param_types(cx, function);
    // Position of `from` among the callee's parameters: first on the
    // token itself, second in a wrapper whose first parameter is the token.
    let from_param = match &call.kind {
        CallSiteKind::External { .. } => 0,
        CallSiteKind::Internal { .. }
        | CallSiteKind::Library { .. }
        | CallSiteKind::BoundInternal { .. }
            if params.first().is_some_and(is_address) && params.len() >= 4 =>
        {
            1
        }
        _ => return None,
    };
    if !(params.get(from_param).is_some_and(is_address)
        && params.get(from_param + 1).is_some_and(is_address))
    {
        return None;
    }
    // Bound calls leave the receiver out of the argument list.
    let bound = matches!(
        call.kind,
        CallSiteKind::BoundInternal { .. } | CallSiteKind::Library { bound: true, .. }
    );
    let arg = if bound {
        from_param.checked_sub(1)?
    } else {
        from_param
    };
    let from = f.expr(*call.args.get(arg)?)?;
    Some(PullCall {
        from,
        operation: name.to_string(),
    })
}
