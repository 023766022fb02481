//! Virtual dispatch: which implementation a call by name (or through
//! `super`) runs once the most derived contract of the instance is known.
//!
//! The semantic pass resolves a call statically, in the contract that
//! contains it. At run time, in an instance of a contract further down the
//! inheritance graph, an override may run instead, and `super` may skip to
//! a contract the caller never heard of (diamonds). The IR and the
//! detectors ask these questions per most derived contract.

use bulwark_syntax::ast::{FunctionKind as AstFunctionKind, Visibility};

use crate::analyze::same_params;
use crate::decl::{DeclId, DeclKind};
use crate::model::Model;
use crate::ty::Type;

impl Model<'_> {
    /// The implementation of `function` (a function or modifier) that runs
    /// when it is called by name, internally, in an instance of
    /// `most_derived`: the first function of `most_derived`'s
    /// linearization with the same name and parameter types (for a
    /// modifier, the same name).
    ///
    /// Returns `function` itself when nothing overrides it, when it cannot
    /// be overridden (private, free or library function, constructor) or
    /// when `most_derived` does not inherit from its contract.
    pub fn dispatch(&self, most_derived: DeclId, function: DeclId) -> DeclId {
        let Some(owner) = self.overridable_owner(function) else {
            return function;
        };
        let Some(derived) = self.contract(most_derived) else {
            return function;
        };
        if !derived.linearization.contains(&owner) {
            return function;
        }
        let candidates = if self.decl(function).kind == DeclKind::Modifier {
            &derived.modifiers
        } else {
            &derived.functions
        };
        candidates
            .iter()
            .copied()
            .find(|&f| self.same_callable(f, function))
            .unwrap_or(function)
    }

    /// The implementation `super.f(...)` reaches when the call is written in
    /// contract `from` and runs in an instance of `most_derived`: the first
    /// contract after `from` in `most_derived`'s linearization that
    /// implements a function with the name and parameter types of
    /// `function` (the function the call resolved to statically).
    ///
    /// `None` when no later base implements it (or `most_derived` does not
    /// inherit from `from`).
    pub fn dispatch_super(
        &self,
        most_derived: DeclId,
        from: DeclId,
        function: DeclId,
    ) -> Option<DeclId> {
        let lin = &self.contract(most_derived)?.linearization;
        let after = lin.iter().position(|&c| c == from)? + 1;
        lin[after..].iter().find_map(|&base| {
            let own = &self.contract(base)?.own;
            own.functions.iter().copied().find(|&f| {
                self.function(f)
                    .is_some_and(|fi| fi.has_body() && fi.visibility != Visibility::Private)
                    && self.same_callable(f, function)
            })
        })
    }

    /// The contract a function or modifier belongs to, when calls to it
    /// dispatch virtually.
    fn overridable_owner(&self, function: DeclId) -> Option<DeclId> {
        let info = self.function(function)?;
        let owner = info.contract?;
        let kind = self.contract(owner)?.kind;
        let fixed = info.visibility == Visibility::Private
            || kind == bulwark_syntax::ast::ContractKind::Library
            || matches!(
                info.kind,
                AstFunctionKind::Constructor | AstFunctionKind::Fallback | AstFunctionKind::Receive
            );
        (!fixed).then_some(owner)
    }

    /// Same kind, same name and (functions) the same parameter types,
    /// data locations aside: `a` overrides `b` or the reverse.
    fn same_callable(&self, a: DeclId, b: DeclId) -> bool {
        if a == b {
            return true;
        }
        let (da, db) = (self.decl(a), self.decl(b));
        if da.kind != db.kind || da.name != db.name {
            return false;
        }
        if da.kind == DeclKind::Modifier {
            return true;
        }
        match (self.decl_type(a), self.decl_type(b)) {
            (Type::Function(fa), Type::Function(fb)) => same_params(&fa.params, &fb.params),
            _ => false,
        }
    }
}
