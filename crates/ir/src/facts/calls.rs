//! Call classification: what kind of call a call expression is, with the
//! operands detectors ask about (target, value, gas, data) and how its
//! result is used.

use bulwark_sema::{Builtin, CallKind, DeclId, FileId, Model};
use bulwark_syntax::ast::{CallArgs, Expr, ExprKind, NodeId};
use bulwark_syntax::Span;

use crate::cfg::AsmCallKind;
use crate::walk::{call_args, unparen};

/// The address-level call operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LowLevelOp {
    Call,
    DelegateCall,
    StaticCall,
    /// `callcode` (< 0.5).
    CallCode,
    /// `send`: returns `false` on failure.
    Send,
    /// `transfer`: reverts on failure.
    Transfer,
}

impl LowLevelOp {
    pub fn name(self) -> &'static str {
        match self {
            LowLevelOp::Call => "call",
            LowLevelOp::DelegateCall => "delegatecall",
            LowLevelOp::StaticCall => "staticcall",
            LowLevelOp::CallCode => "callcode",
            LowLevelOp::Send => "send",
            LowLevelOp::Transfer => "transfer",
        }
    }

    fn from_builtin(b: Builtin) -> Option<LowLevelOp> {
        Some(match b {
            Builtin::AddressCall => LowLevelOp::Call,
            Builtin::AddressDelegatecall => LowLevelOp::DelegateCall,
            Builtin::AddressStaticcall => LowLevelOp::StaticCall,
            Builtin::AddressCallcode => LowLevelOp::CallCode,
            Builtin::AddressSend => LowLevelOp::Send,
            Builtin::AddressTransfer => LowLevelOp::Transfer,
            _ => return None,
        })
    }

    /// Whether failure is signalled by the return value rather than a revert.
    pub fn returns_status(self) -> bool {
        self != LowLevelOp::Transfer
    }
}

/// What happens to a call's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResultUse {
    /// The call is an expression statement (or its value is otherwise
    /// dropped).
    Ignored,
    /// Used directly in a condition: `require(c())`, `if (!c())`,
    /// `assert`, a `&&`/`||`/`!` operand there, or returned.
    Checked,
    /// Assigned to these locals (tuple slots included) — whether they are
    /// checked later is [`CallSite::checked`].
    Assigned(Vec<DeclId>),
    /// Stored into state.
    StoredInState,
    /// Used as an operand of some other expression (argument, arithmetic).
    Used,
}

/// What a call is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallSiteKind {
    /// A function of this contract, a base, a free function or an internal
    /// library function (statically resolved; the call graph applies
    /// virtual dispatch).
    Internal {
        function: DeclId,
        /// Written `super.f(...)`: no virtual dispatch from the caller's
        /// contract.
        via_super: bool,
    },
    /// Through a variable of internal function type.
    InternalPointer,
    /// A message call to another contract's function (`token.transfer(..)`,
    /// `this.f()`).
    External {
        function: Option<DeclId>,
        /// The contract expression (`token` in `token.transfer(..)`).
        receiver: Option<NodeId>,
        value: Option<NodeId>,
        gas: Option<NodeId>,
    },
    /// `addr.call(..)`, `delegatecall`, `staticcall`, `callcode`, `send`,
    /// `transfer`.
    LowLevel {
        op: LowLevelOp,
        /// The address expression.
        target: NodeId,
        /// `{value: v}`, `.value(v)`, or the amount of `send`/`transfer`.
        value: Option<NodeId>,
        gas: Option<NodeId>,
        /// The calldata argument.
        data: Option<NodeId>,
    },
    /// A public/external library function (runs by delegatecall).
    Library { function: DeclId, bound: bool },
    /// An internal library function attached with `using ... for`.
    BoundInternal { function: DeclId, receiver: NodeId },
    /// `emit E(..)` or a pre-0.4.21 event call.
    Event(Option<DeclId>),
    /// `revert E(..)`.
    CustomError(Option<DeclId>),
    /// `selfdestruct(a)` / `suicide(a)`.
    SelfDestruct { beneficiary: Option<NodeId> },
    /// `new C(..)`, with the `{value, salt}` options.
    Create {
        contract: Option<DeclId>,
        value: Option<NodeId>,
        salt: Option<NodeId>,
    },
    /// Any other built-in (`require`, `keccak256`, `ecrecover`,
    /// `abi.encode`, `push`, ...).
    Builtin(Builtin),
    /// A type conversion, struct constructor or `new T[](n)`: no control
    /// transfer; recorded so every `Call` expression has an entry.
    Conversion,
    /// An opcode inside inline assembly.
    Assembly(AsmCallKind),
    /// The model could not resolve the callee.
    Unresolved,
}

impl CallSiteKind {
    /// Can transfer control to code outside this contract (the reentrancy
    /// question).
    pub fn is_external(&self) -> bool {
        match self {
            CallSiteKind::External { .. }
            | CallSiteKind::LowLevel { .. }
            | CallSiteKind::Create { .. }
            | CallSiteKind::Library { .. } => true,
            CallSiteKind::Assembly(k) => matches!(
                k,
                AsmCallKind::Call
                    | AsmCallKind::CallCode
                    | AsmCallKind::DelegateCall
                    | AsmCallKind::StaticCall
                    | AsmCallKind::Create
                    | AsmCallKind::Create2
            ),
            _ => false,
        }
    }

    /// Can send ether: `transfer`, `send`, `call` with a value, an
    /// external call with `{value: }`, a `new` with value, `selfdestruct`.
    pub fn sends_eth(&self) -> bool {
        match self {
            CallSiteKind::LowLevel { op, value, .. } => match op {
                LowLevelOp::Send | LowLevelOp::Transfer => true,
                LowLevelOp::Call | LowLevelOp::CallCode => value.is_some(),
                _ => false,
            },
            CallSiteKind::External { value, .. } | CallSiteKind::Create { value, .. } => {
                value.is_some()
            }
            CallSiteKind::SelfDestruct { .. } => true,
            CallSiteKind::Assembly(AsmCallKind::Call | AsmCallKind::CallCode) => true,
            _ => false,
        }
    }

    /// The function a call jumps or sends to, when resolved.
    pub fn callee(&self) -> Option<DeclId> {
        match self {
            CallSiteKind::Internal { function, .. }
            | CallSiteKind::Library { function, .. }
            | CallSiteKind::BoundInternal { function, .. } => Some(*function),
            CallSiteKind::External { function, .. } => *function,
            _ => None,
        }
    }
}

/// One call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallSite {
    /// The `Call` expression (the statement for `emit`/`revert`/assembly).
    pub expr: NodeId,
    pub span: Span,
    pub kind: CallSiteKind,
    /// Argument expressions in source order (named arguments in the order
    /// written).
    pub args: Vec<NodeId>,
    pub result: ResultUse,
    /// The result is checked: [`ResultUse::Checked`], or assigned to a local
    /// that a later condition, `require`/`assert`, `return` or internal
    /// call reads, or to a named return variable (the caller decides).
    pub checked: bool,
    /// The callee is a home-made assertion of this argument (see
    /// [`crate::assert_helper`]): the call tests it like `require` would.
    pub asserted_arg: Option<usize>,
}

/// The call-option operands peeled off a callee: `{value: v, gas: g}`,
/// legacy `.value(v)` / `.gas(g)`.
#[derive(Default)]
pub(crate) struct CallOptions {
    pub value: Option<NodeId>,
    pub gas: Option<NodeId>,
    pub salt: Option<NodeId>,
    /// The legacy option-setting calls (`x.value(v)`), which are not calls
    /// of their own.
    pub setter_calls: Vec<NodeId>,
}

/// Strips call options from `callee`, returning the real callee.
pub(crate) fn peel_options<'a>(
    model: &Model<'_>,
    file: FileId,
    mut callee: &'a Expr,
    opts: &mut CallOptions,
    option_exprs: &mut Vec<&'a Expr>,
) -> &'a Expr {
    loop {
        callee = unparen(callee);
        match &callee.kind {
            ExprKind::CallOptions {
                callee: inner,
                options,
            } => {
                for o in options {
                    option_exprs.push(&o.value);
                    let slot = match o.name.name.as_str() {
                        "value" => &mut opts.value,
                        "gas" => &mut opts.gas,
                        "salt" => &mut opts.salt,
                        _ => continue,
                    };
                    slot.get_or_insert(o.value.id);
                }
                callee = inner;
            }
            ExprKind::Call {
                callee: setter,
                args,
            } => {
                let ExprKind::Member { base, member } = &unparen(setter).kind else {
                    return callee;
                };
                let builtin = model
                    .resolution(file, setter.id)
                    .and_then(|r| r.builtin())
                    .or_else(|| match model.call_kind(file, callee.id) {
                        Some(CallKind::Builtin(b)) => Some(*b),
                        _ => None,
                    });
                let is_value = match builtin {
                    Some(Builtin::FunctionValue) => true,
                    Some(Builtin::FunctionGas) => false,
                    // Unresolved: trust the legacy spelling only on a
                    // member of a member (`a.call.value(v)`, `c.f.gas(g)`).
                    None if matches!(unparen(base).kind, ExprKind::Member { .. }) => {
                        match member.name.as_str() {
                            "value" => true,
                            "gas" => false,
                            _ => return callee,
                        }
                    }
                    _ => return callee,
                };
                let first = call_args(args).first().copied();
                option_exprs.extend(first);
                let arg = first.map(|a| a.id);
                if is_value {
                    opts.value = opts.value.or(arg);
                } else {
                    opts.gas = opts.gas.or(arg);
                }
                opts.setter_calls.push(callee.id);
                callee = base;
            }
            _ => return callee,
        }
    }
}

/// Classifies the call expression `call` (`ExprKind::Call`).
pub(crate) fn classify_call(
    model: &Model<'_>,
    file: FileId,
    call: &Expr,
    callee: &Expr,
    args: &CallArgs,
    opts: &CallOptions,
) -> CallSiteKind {
    let callee = unparen(callee);
    let arg_ids: Vec<NodeId> = call_args(args).iter().map(|a| a.id).collect();
    let receiver = match &callee.kind {
        ExprKind::Member { base, .. } => Some(unparen(base).id),
        _ => None,
    };
    let kind = model.call_kind(file, call.id).cloned().or_else(|| {
        // Legacy option setters leave the model's entry on the outer call
        // of the real callee; also ask the callee's resolution.
        match model.resolution(file, callee.id) {
            Some(r) => r.builtin().map(CallKind::Builtin),
            None => None,
        }
    });
    match kind {
        Some(CallKind::Internal(f)) => CallSiteKind::Internal {
            function: f,
            via_super: is_super_member(model, file, callee),
        },
        Some(CallKind::External { function }) => CallSiteKind::External {
            function,
            receiver,
            value: opts.value,
            gas: opts.gas,
        },
        Some(CallKind::Library { function, bound }) => CallSiteKind::Library { function, bound },
        Some(CallKind::BoundInternal(function)) => match receiver {
            Some(receiver) => CallSiteKind::BoundInternal { function, receiver },
            None => CallSiteKind::Internal {
                function,
                via_super: false,
            },
        },
        Some(CallKind::InternalPointer) => CallSiteKind::InternalPointer,
        Some(CallKind::Builtin(b)) => builtin_call(b, receiver, &arg_ids, opts),
        Some(CallKind::Conversion(_))
        | Some(CallKind::StructConstructor(_))
        | Some(CallKind::NewArray) => CallSiteKind::Conversion,
        Some(CallKind::NewContract(c)) => CallSiteKind::Create {
            contract: Some(c),
            value: opts.value,
            salt: opts.salt,
        },
        Some(CallKind::Event(e)) => CallSiteKind::Event(Some(e)),
        Some(CallKind::Error(e)) => CallSiteKind::CustomError(Some(e)),
        Some(CallKind::Unknown) | None => match resolved_function_call(model, file, callee) {
            Some((function, true)) => CallSiteKind::External {
                function: Some(function),
                receiver,
                value: opts.value,
                gas: opts.gas,
            },
            Some((function, false)) => CallSiteKind::Internal {
                function,
                via_super: is_super_member(model, file, callee),
            },
            None => syntactic_fallback(callee, receiver, &arg_ids, opts),
        },
    }
}

/// Without a call-kind entry (sema leaves some legacy forms such as
/// `c.f.value(v)(x)` unclassified), the callee's own resolution still
/// says which function runs: a member of a contract-typed value is a
/// message call, anything else a jump. Returns the function and whether
/// the call is external.
fn resolved_function_call(
    model: &Model<'_>,
    file: FileId,
    callee: &Expr,
) -> Option<(DeclId, bool)> {
    let function = model.resolution(file, callee.id)?.decl()?;
    if model.decl(function).kind != bulwark_sema::DeclKind::Function {
        return None;
    }
    let external = match &callee.kind {
        ExprKind::Member { base, .. } => matches!(
            model.type_of(file, unparen(base).id),
            Some(bulwark_sema::Type::Contract(_))
        ),
        _ => false,
    };
    Some((function, external))
}

fn builtin_call(
    b: Builtin,
    receiver: Option<NodeId>,
    args: &[NodeId],
    opts: &CallOptions,
) -> CallSiteKind {
    if let Some(op) = LowLevelOp::from_builtin(b) {
        if let Some(target) = receiver {
            return low_level(op, target, args, opts);
        }
    }
    match b {
        Builtin::Selfdestruct | Builtin::Suicide => CallSiteKind::SelfDestruct {
            beneficiary: args.first().copied(),
        },
        other => CallSiteKind::Builtin(other),
    }
}

fn low_level(op: LowLevelOp, target: NodeId, args: &[NodeId], opts: &CallOptions) -> CallSiteKind {
    let (value, data) = match op {
        LowLevelOp::Send | LowLevelOp::Transfer => (args.first().copied(), None),
        _ => (opts.value, args.first().copied()),
    };
    CallSiteKind::LowLevel {
        op,
        target,
        value,
        gas: opts.gas,
        data,
    }
}

/// Without a model entry, only spellings that cannot mean anything else
/// are classified: the address members with their usual arity, `new`, and
/// the termination built-ins by name.
fn syntactic_fallback(
    callee: &Expr,
    receiver: Option<NodeId>,
    args: &[NodeId],
    opts: &CallOptions,
) -> CallSiteKind {
    match &callee.kind {
        ExprKind::Member { member, .. } => {
            let op = match (member.name.as_str(), args.len()) {
                ("call", _) => LowLevelOp::Call,
                ("delegatecall", _) => LowLevelOp::DelegateCall,
                ("staticcall", _) => LowLevelOp::StaticCall,
                ("callcode", _) => LowLevelOp::CallCode,
                ("send", 1) => LowLevelOp::Send,
                ("transfer", 1) => LowLevelOp::Transfer,
                _ => return CallSiteKind::Unresolved,
            };
            match receiver {
                Some(target) => low_level(op, target, args, opts),
                None => CallSiteKind::Unresolved,
            }
        }
        ExprKind::New(_) => CallSiteKind::Create {
            contract: None,
            value: opts.value,
            salt: opts.salt,
        },
        ExprKind::Ident(id) => match id.name.as_str() {
            "selfdestruct" | "suicide" => CallSiteKind::SelfDestruct {
                beneficiary: args.first().copied(),
            },
            "require" => CallSiteKind::Builtin(Builtin::Require),
            "assert" => CallSiteKind::Builtin(Builtin::Assert),
            "revert" => CallSiteKind::Builtin(Builtin::Revert),
            _ => CallSiteKind::Unresolved,
        },
        _ => CallSiteKind::Unresolved,
    }
}

fn is_super_member(model: &Model<'_>, file: FileId, callee: &Expr) -> bool {
    let ExprKind::Member { base, .. } = &callee.kind else {
        return false;
    };
    let base = unparen(base);
    match &base.kind {
        ExprKind::Ident(i) => match model.resolution(file, base.id) {
            Some(r) => r.builtin() == Some(Builtin::Super),
            None => i.name == "super",
        },
        _ => false,
    }
}
