//! Which contract's code a `delegatecall` runs, when the analysed code
//! says so.
//!
//! A delegatecall target is an address, but the code base often tells
//! which contract sits behind it:
//! - its declared type (`Logic logic;`, `address(logic)` with `logic` a
//!   `Logic`), followed through locals, conversions and conditionals;
//! - what is stored into the state variable it is read from: the
//!   initialiser and every assignment (`lib = address(new Lib())`);
//! - a constructor parameter stored there: the arguments every
//!   `new Caller(..)` in the project passes at that position;
//! - internal helpers: the `return`ed values of a called function (the
//!   override the deployed contract runs), and the arguments of every
//!   internal call for a parameter of an internal or private function
//!   (`_delegate(_implementation())`).
//!
//! Interfaces say nothing about storage and libraries have none, so only
//! contracts are answered. What cannot be traced (an `upgradeTo`
//! parameter, a hard-coded address) yields nothing: the caller decides
//! what to make of silence.

use std::collections::{HashMap, HashSet};

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::walk::unparen;
use bulwark_ir::FunctionIr;
use bulwark_sema::{DeclId, DeclKind, FileId, Res, Type};
use bulwark_syntax::ast::{ContractKind, Expr, ExprKind, FunctionKind, Visibility};

use crate::analysis::expr::strip_conversions;
use crate::analysis::state_writers::{state_writers, StateWrite};
use crate::analysis::values::definitions;
use crate::detector::AnalysisContext;

/// Bounds the search through chains of locals, state variables and
/// constructor arguments.
const MAX_DEPTH: u32 = 8;

/// A `new C(args)` somewhere in the project.
struct Deployment {
    function: DeclId,
    node: NodeIx,
    contract: DeclId,
    args: Vec<bulwark_syntax::ast::NodeId>,
}

/// One question being answered: the contract whose overrides apply, what
/// was visited (state variables, functions) and what was found.
struct Query {
    deployed: DeclId,
    seen: HashSet<DeclId>,
    out: Vec<DeclId>,
}

impl Query {
    fn new(deployed: DeclId) -> Query {
        Query {
            deployed,
            seen: HashSet::new(),
            out: Vec::new(),
        }
    }

    fn finish(mut self) -> Vec<DeclId> {
        self.out.sort();
        self.out.dedup();
        self.out
    }
}

/// An internal call of a function, with its arguments.
struct InternalCall {
    function: DeclId,
    node: NodeIx,
    args: Vec<bulwark_syntax::ast::NodeId>,
}

/// Answers "which contracts may this address hold" for a project.
pub struct DelegateTargets<'c, 'a> {
    cx: &'c AnalysisContext<'a>,
    writers: HashMap<DeclId, Vec<StateWrite>>,
    deployments: Vec<Deployment>,
    /// Internal call sites by callee (as resolved statically).
    internal_calls: HashMap<DeclId, Vec<InternalCall>>,
}

impl<'c, 'a> DelegateTargets<'c, 'a> {
    pub fn new(cx: &'c AnalysisContext<'a>) -> Self {
        let mut deployments = Vec::new();
        let mut internal_calls: HashMap<DeclId, Vec<InternalCall>> = HashMap::new();
        for f in cx.ir.functions() {
            for (node, call) in f.calls() {
                match call.kind {
                    CallSiteKind::Create {
                        contract: Some(contract),
                        ..
                    } => deployments.push(Deployment {
                        function: f.decl,
                        node,
                        contract,
                        args: call.args.clone(),
                    }),
                    CallSiteKind::Internal { function, .. } => internal_calls
                        .entry(function)
                        .or_default()
                        .push(InternalCall {
                            function: f.decl,
                            node,
                            args: call.args.clone(),
                        }),
                    _ => {}
                }
            }
        }
        DelegateTargets {
            cx,
            writers: state_writers(cx),
            deployments,
            internal_calls,
        }
    }

    /// The contracts `expr` (an address, evaluated at `node` of `f`, code
    /// run by the deployed contract `deployed`) may hold, sorted, without
    /// duplicates.
    pub fn of_expr(
        &self,
        deployed: DeclId,
        f: &FunctionIr<'_>,
        node: NodeIx,
        expr: &Expr,
    ) -> Vec<DeclId> {
        let mut q = Query::new(deployed);
        self.expr(f, node, expr, 0, &mut q);
        q.finish()
    }

    /// The contracts a variable (a local, parameter or state variable
    /// named in inline assembly) may hold at `node` of `f`.
    pub fn of_decl(
        &self,
        deployed: DeclId,
        f: &FunctionIr<'_>,
        node: NodeIx,
        decl: DeclId,
    ) -> Vec<DeclId> {
        let mut q = Query::new(deployed);
        self.decl(f, node, decl, 0, &mut q);
        q.finish()
    }

    /// The contracts a state variable may hold: its initialiser and every
    /// value stored into it.
    fn state_var(&self, var: DeclId, depth: u32, q: &mut Query) {
        if !q.seen.insert(var) {
            return;
        }
        let cx = self.cx;
        if let Some(info) = cx.model.state_var(var) {
            if let Some(init) = &info.ast.initializer {
                self.typed(info.file, init, &mut q.out);
            }
        }
        for w in self.writers.get(&var).into_iter().flatten() {
            let Some(g) = cx.ir.function_ir(w.function) else {
                continue;
            };
            for access in &g.facts(w.node).state_writes {
                if access.var != var {
                    continue;
                }
                if let Some(value) = access.value.and_then(|v| g.expr(v)) {
                    self.expr(g, w.node, value, depth + 1, q);
                }
            }
        }
    }

    fn expr(&self, f: &FunctionIr<'_>, node: NodeIx, expr: &Expr, depth: u32, q: &mut Query) {
        if depth > MAX_DEPTH || self.typed(f.file, expr, &mut q.out) {
            return;
        }
        let cx = self.cx;
        let e = strip_conversions(cx, f.file, expr);
        match &e.kind {
            ExprKind::Ident(_) | ExprKind::Member { .. } => {
                if let Some(Res::Decl(d)) = cx.model.resolution(f.file, e.id) {
                    self.decl(f, node, *d, depth, q);
                }
            }
            ExprKind::Conditional {
                then_expr,
                else_expr,
                ..
            } => {
                self.expr(f, node, then_expr, depth + 1, q);
                self.expr(f, node, else_expr, depth + 1, q);
            }
            ExprKind::Call { .. } => {
                let callee = f.facts(node).calls.iter().find_map(|c| match c.kind {
                    CallSiteKind::Internal { function, .. } if c.expr == e.id => Some(function),
                    _ => None,
                });
                if let Some(callee) = callee {
                    self.returns(callee, depth + 1, q);
                }
            }
            _ => {}
        }
    }

    /// The contracts the `return` statements of `callee` (the override
    /// `contract` runs) hand back.
    fn returns(&self, callee: DeclId, depth: u32, q: &mut Query) {
        let callee = dispatch(self.cx, q.deployed, callee);
        if depth > MAX_DEPTH || !q.seen.insert(callee) {
            return;
        }
        let Some(g) = self.cx.ir.function_ir(callee) else {
            return;
        };
        for (node, n) in g.cfg.nodes() {
            if let NodeKind::Return(Some(value)) = n.kind {
                self.expr(g, node, value, depth + 1, q);
            }
        }
    }

    fn decl(&self, f: &FunctionIr<'_>, node: NodeIx, d: DeclId, depth: u32, q: &mut Query) {
        let cx = self.cx;
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(c) = storage_contract(cx, cx.model.decl_type(d)) {
            q.out.push(c);
            return;
        }
        match cx.model.decl(d).kind {
            DeclKind::StateVar => self.state_var(d, depth + 1, q),
            DeclKind::Param => {
                let Some(info) = cx.model.function(f.decl) else {
                    return;
                };
                let Some(index) = info.params.iter().position(|&p| p == d) else {
                    return;
                };
                // Arguments of internal helpers come from their callers in
                // the code base; of external functions, from whoever calls.
                if matches!(info.visibility, Visibility::Internal | Visibility::Private) {
                    if !q.seen.insert(f.decl) {
                        return;
                    }
                    for call in self.internal_calls.get(&f.decl).into_iter().flatten() {
                        let Some(g) = cx.ir.function_ir(call.function) else {
                            continue;
                        };
                        if let Some(arg) = call.args.get(index).and_then(|&a| g.expr(a)) {
                            self.expr(g, call.node, arg, depth + 1, q);
                        }
                    }
                    return;
                }
                // Only constructor arguments are fixed by the code base;
                // any other parameter is chosen at call time.
                if info.kind != FunctionKind::Constructor {
                    return;
                }
                let Some(contract) = info.contract else {
                    return;
                };
                for dep in self
                    .deployments
                    .iter()
                    .filter(|dep| dep.contract == contract)
                {
                    let Some(g) = cx.ir.function_ir(dep.function) else {
                        continue;
                    };
                    if let Some(arg) = dep.args.get(index).and_then(|&a| g.expr(a)) {
                        self.expr(g, dep.node, arg, depth + 1, q);
                    }
                }
            }
            DeclKind::LocalVar | DeclKind::ReturnParam => {
                for (def, v) in definitions(f, node, d) {
                    self.expr(f, def, v, depth + 1, q);
                }
            }
            _ => {}
        }
    }

    /// Records the contract `expr` is typed as (looking through address
    /// conversions: `address(new Lib())`, `address(logic)`); whether it
    /// found one.
    fn typed(&self, file: FileId, expr: &Expr, out: &mut Vec<DeclId>) -> bool {
        let cx = self.cx;
        let mut e = unparen(expr);
        loop {
            if let Some(c) = cx
                .model
                .type_of(file, e.id)
                .and_then(|t| storage_contract(cx, t))
            {
                out.push(c);
                return true;
            }
            let inner = strip_conversions(cx, file, e);
            if std::ptr::eq(inner, e) {
                return false;
            }
            e = inner;
        }
    }
}

/// The implementation of `function` that `contract` runs: itself, or the
/// function of `contract` overriding it.
pub fn dispatch(cx: &AnalysisContext<'_>, contract: DeclId, function: DeclId) -> DeclId {
    let Some(info) = cx.model.contract(contract) else {
        return function;
    };
    if info.functions.contains(&function) {
        return function;
    }
    info.functions
        .iter()
        .copied()
        .find(|&g| overrides(cx, g, function, 0))
        .unwrap_or(function)
}

fn overrides(cx: &AnalysisContext<'_>, g: DeclId, base: DeclId, depth: u32) -> bool {
    depth <= 16
        && cx.model.function(g).is_some_and(|info| {
            info.overrides
                .iter()
                .any(|&b| b == base || overrides(cx, b, base, depth + 1))
        })
}

/// The contract (not interface or library) a type names.
fn storage_contract(cx: &AnalysisContext<'_>, ty: &Type) -> Option<DeclId> {
    let Type::Contract(c) = ty else {
        return None;
    };
    let info = cx.model.contract(*c)?;
    (info.kind == ContractKind::Contract).then_some(*c)
}
