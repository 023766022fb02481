//! The call graph: internal, external, library, modifier, base-constructor,
//! low-level and creation edges between functions.
//!
//! Edges are stored as written (an internal call to a virtual function
//! points at the statically resolved function); [`CallGraph::callees_in`]
//! and [`CallGraph::reachable_in`] apply virtual dispatch for a given
//! most-derived contract through the model's C3 linearization, which is
//! what "the code that runs when contract C is deployed" means.

use std::collections::{HashMap, HashSet};

use bulwark_sema::{DeclId, ModifierTarget};
use bulwark_syntax::ast::{FunctionKind, NodeId};

use crate::cfg::{AsmCallKind, NodeIx, NodeKind};
use crate::facts::storage::is_storage_var;
use crate::facts::{CallSiteKind, LowLevelOp, StorageRoot};
use crate::project::ProjectIr;

/// What kind of transfer of control an edge is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CallEdgeKind {
    /// Jump to a function of the same contract, a base, a free function or
    /// an internal library function (also through `using for`).
    Internal,
    /// `super.f()`: an internal call that is not re-dispatched.
    Super,
    /// Message call to another contract's function.
    External,
    /// Public/external library function (delegatecall).
    Library,
    /// A modifier applied to the function.
    Modifier,
    /// A base constructor run by a constructor.
    BaseConstructor,
    /// `addr.call(...)` and friends (also in assembly): the callee is
    /// unknown code.
    LowLevel(LowLevelOp),
    /// `new C(...)`: runs C's constructor.
    Creation,
}

impl CallEdgeKind {
    /// Whether the callee runs in the caller's frame and storage, so its
    /// state accesses are the caller's (internal, super, library, modifier,
    /// base constructor).
    pub fn shares_storage(self) -> bool {
        matches!(
            self,
            CallEdgeKind::Internal
                | CallEdgeKind::Super
                | CallEdgeKind::Library
                | CallEdgeKind::Modifier
                | CallEdgeKind::BaseConstructor
        )
    }
}

/// One edge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallEdge {
    pub caller: DeclId,
    /// `None` for low-level calls, unresolved external calls through
    /// function values, and creations of unknown contracts.
    pub callee: Option<DeclId>,
    pub kind: CallEdgeKind,
    /// The caller's CFG node making the call (the invocation node for
    /// modifiers and base constructors written on the header; `None` for
    /// implicit base constructors).
    pub node: Option<NodeIx>,
    /// The call expression, when there is one.
    pub expr: Option<NodeId>,
    /// For calls that share storage: the storage roots of each argument
    /// (the receiver first for `using for` calls), so callee writes through
    /// storage parameters map back to the caller's state variables.
    pub arg_roots: Vec<Vec<StorageRoot>>,
}

/// The project's call graph.
#[derive(Debug, Default)]
pub struct CallGraph {
    out: HashMap<DeclId, Vec<CallEdge>>,
    into: HashMap<DeclId, Vec<(DeclId, usize)>>,
}

impl CallGraph {
    pub(crate) fn build(ir: &ProjectIr<'_, '_>) -> CallGraph {
        let model = ir.model();
        let mut graph = CallGraph::default();
        for info in model.functions() {
            let Some(f) = ir.function_ir(info.decl) else {
                continue;
            };
            let mut edges = Vec::new();
            // Modifiers and base-constructor calls written on the header.
            let invocation_nodes: Vec<NodeIx> = f
                .cfg
                .nodes()
                .filter(|(_, n)| matches!(n.kind, NodeKind::Invocation(_)))
                .map(|(ix, _)| ix)
                .collect();
            let mut explicit_bases = HashSet::new();
            for (i, m) in info.modifiers.iter().enumerate() {
                let node = invocation_nodes.get(i).copied();
                match m.target {
                    ModifierTarget::Modifier(decl) => edges.push(CallEdge {
                        caller: info.decl,
                        callee: Some(decl),
                        kind: CallEdgeKind::Modifier,
                        node,
                        expr: None,
                        arg_roots: Vec::new(),
                    }),
                    ModifierTarget::BaseConstructor(base) => {
                        explicit_bases.insert(base);
                        if let Some(ctor) = model.contract(base).and_then(|c| c.constructor) {
                            edges.push(CallEdge {
                                caller: info.decl,
                                callee: Some(ctor),
                                kind: CallEdgeKind::BaseConstructor,
                                node,
                                expr: None,
                                arg_roots: Vec::new(),
                            });
                        }
                    }
                    ModifierTarget::Unresolved => {}
                }
            }
            // A constructor also runs the constructors of every base,
            // most basic first, whether or not it names them.
            if info.kind == FunctionKind::Constructor {
                if let Some(contract) = info.contract.and_then(|c| model.contract(c)) {
                    for &base in contract.linearization.iter().skip(1).rev() {
                        if explicit_bases.contains(&base) {
                            continue;
                        }
                        if let Some(ctor) = model.contract(base).and_then(|c| c.constructor) {
                            edges.push(CallEdge {
                                caller: info.decl,
                                callee: Some(ctor),
                                kind: CallEdgeKind::BaseConstructor,
                                node: None,
                                expr: None,
                                arg_roots: Vec::new(),
                            });
                        }
                    }
                }
            }
            for (node, call) in f.calls() {
                let (callee, kind, receiver) = match &call.kind {
                    CallSiteKind::Internal {
                        function,
                        via_super,
                    } => (
                        Some(*function),
                        if *via_super {
                            CallEdgeKind::Super
                        } else {
                            CallEdgeKind::Internal
                        },
                        None,
                    ),
                    CallSiteKind::BoundInternal { function, receiver } => {
                        (Some(*function), CallEdgeKind::Internal, Some(*receiver))
                    }
                    CallSiteKind::Library { function, bound } => {
                        let receiver = if *bound {
                            f.expr(call.expr).and_then(bound_receiver)
                        } else {
                            None
                        };
                        (Some(*function), CallEdgeKind::Library, receiver)
                    }
                    CallSiteKind::External { function, .. } => {
                        (*function, CallEdgeKind::External, None)
                    }
                    CallSiteKind::LowLevel { op, .. } => (None, CallEdgeKind::LowLevel(*op), None),
                    CallSiteKind::Create { contract, .. } => (
                        contract
                            .and_then(|c| model.contract(c))
                            .and_then(|c| c.constructor),
                        CallEdgeKind::Creation,
                        None,
                    ),
                    CallSiteKind::Assembly(k) => {
                        let op = match k {
                            AsmCallKind::Call => LowLevelOp::Call,
                            AsmCallKind::CallCode => LowLevelOp::CallCode,
                            AsmCallKind::DelegateCall => LowLevelOp::DelegateCall,
                            AsmCallKind::StaticCall => LowLevelOp::StaticCall,
                            AsmCallKind::Create | AsmCallKind::Create2 => {
                                edges.push(CallEdge {
                                    caller: info.decl,
                                    callee: None,
                                    kind: CallEdgeKind::Creation,
                                    node: Some(node),
                                    expr: Some(call.expr),
                                    arg_roots: Vec::new(),
                                });
                                continue;
                            }
                            _ => continue,
                        };
                        (None, CallEdgeKind::LowLevel(op), None)
                    }
                    _ => continue,
                };
                // Storage roots only where the callee takes a storage
                // reference: everything else cannot be written through.
                let arg_roots = match (
                    kind.shares_storage(),
                    callee.and_then(|c| model.function(c)),
                ) {
                    (true, Some(callee_info)) => receiver
                        .into_iter()
                        .chain(call.args.iter().copied())
                        .enumerate()
                        .map(|(i, a)| {
                            let storage_param = callee_info
                                .params
                                .get(i)
                                .is_some_and(|&p| is_storage_var(model, p));
                            match (storage_param, f.expr(a)) {
                                (true, Some(e)) => f.storage_roots_of_expr(model, e),
                                _ => Vec::new(),
                            }
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                edges.push(CallEdge {
                    caller: info.decl,
                    callee,
                    kind,
                    node: Some(node),
                    expr: Some(call.expr),
                    arg_roots,
                });
            }
            for (i, e) in edges.iter().enumerate() {
                if let Some(c) = e.callee {
                    graph.into.entry(c).or_default().push((info.decl, i));
                }
            }
            graph.out.insert(info.decl, edges);
        }
        graph
    }

    /// Edges out of `caller`, as written (no virtual dispatch).
    pub fn edges_from(&self, caller: DeclId) -> &[CallEdge] {
        self.out.get(&caller).map_or(&[], Vec::as_slice)
    }

    /// Edges into `callee` as written.
    pub fn edges_into(&self, callee: DeclId) -> impl Iterator<Item = &CallEdge> {
        self.into
            .get(&callee)
            .into_iter()
            .flatten()
            .map(|&(caller, i)| &self.out[&caller][i])
    }

    /// Every function with outgoing edges (functions and modifiers of the
    /// model with a body or header).
    pub fn callers(&self) -> impl Iterator<Item = DeclId> + '_ {
        self.out.keys().copied()
    }

    /// Edges out of `caller` when it runs in an instance of `contract`:
    /// internal calls and modifiers re-dispatched through `contract`'s
    /// linearization, `super` calls to the next base in it.
    pub fn callees_in(
        &self,
        ir: &ProjectIr<'_, '_>,
        contract: Option<DeclId>,
        caller: DeclId,
    ) -> Vec<CallEdge> {
        self.edges_from(caller)
            .iter()
            .map(|e| {
                let mut e = e.clone();
                match (contract, e.callee, e.kind) {
                    (Some(c), Some(callee), CallEdgeKind::Internal | CallEdgeKind::Modifier) => {
                        e.callee = Some(ir.dispatch(c, callee));
                    }
                    (Some(c), Some(callee), CallEdgeKind::Super) => {
                        e.callee = Some(ir.super_dispatch(c, caller, callee));
                    }
                    _ => {}
                }
                e
            })
            .collect()
    }

    /// Functions and modifiers that run in the same frame as `entry` when
    /// it is called on an instance of `contract` (itself included): the
    /// closure over storage-sharing edges with dispatch applied.
    pub fn reachable_in(
        &self,
        ir: &ProjectIr<'_, '_>,
        contract: Option<DeclId>,
        entry: DeclId,
    ) -> Vec<DeclId> {
        let mut seen = HashSet::new();
        let mut order = Vec::new();
        let mut work = vec![entry];
        while let Some(f) = work.pop() {
            if !seen.insert(f) {
                continue;
            }
            order.push(f);
            for e in self.callees_in(ir, contract, f) {
                if let (Some(c), true) = (e.callee, e.kind.shares_storage()) {
                    work.push(c);
                }
            }
        }
        order
    }
}

/// The receiver of a `using for` call `x.f(args)`.
fn bound_receiver(call: &bulwark_syntax::ast::Expr) -> Option<NodeId> {
    use crate::walk::unparen;
    use bulwark_syntax::ast::ExprKind;
    let ExprKind::Call { callee, .. } = &unparen(call).kind else {
        return None;
    };
    let mut callee = unparen(callee);
    while let ExprKind::CallOptions { callee: inner, .. } = &callee.kind {
        callee = unparen(inner);
    }
    match &callee.kind {
        ExprKind::Member { base, .. } => Some(unparen(base).id),
        _ => None,
    }
}
