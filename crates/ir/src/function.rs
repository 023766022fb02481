//! [`FunctionIr`]: the CFG of one function or modifier with the facts of
//! every node, and the lookups detectors need around them.

use std::sync::OnceLock;

use bulwark_sema::{Builtin, CallKind, DeclId, FileId, FunctionInfo, Model};
use bulwark_syntax::ast::{Expr, ExprKind, FunctionDefinition, Literal, NodeId};

use crate::cfg::{
    build_cfg, syntactic_effect, Cfg, NodeIx, NodeKind, StatementEffect, TerminatorOracle,
};
use crate::dataflow::reaching::ReachingDefs;
use crate::facts::collect::{collect_node_facts, Ctx};
use crate::facts::{
    storage_aliases, value_roots, CallSite, CallSiteKind, NodeFacts, ResultUse, StateAccess,
    StorageAliases, StorageRoot,
};
use crate::walk::{call_args, unparen, walk_expr};

/// The IR of one function, constructor, fallback/receive function or
/// modifier.
#[derive(Debug)]
pub struct FunctionIr<'p> {
    pub decl: DeclId,
    pub file: FileId,
    /// `None` for free functions.
    pub contract: Option<DeclId>,
    pub ast: &'p FunctionDefinition,
    pub cfg: Cfg<'p>,
    facts: Vec<NodeFacts>,
    exprs: ExprIndex<'p>,
    aliases: StorageAliases,
    /// The file's compiler checks arithmetic (0.8+).
    checked_version: bool,
    reaching: OnceLock<ReachingDefs>,
}

/// Expressions of one function by `NodeId`, with the node evaluating them.
/// The parser numbers a function's nodes contiguously, so a `Vec` offset by
/// the smallest id is dense.
#[derive(Debug, Default)]
struct ExprIndex<'p> {
    first: u32,
    slots: Vec<Option<(&'p Expr, NodeIx)>>,
}

impl<'p> ExprIndex<'p> {
    fn build(cfg: &Cfg<'p>) -> ExprIndex<'p> {
        let mut all: Vec<(&'p Expr, NodeIx)> = Vec::new();
        for (ix, node) in cfg.nodes() {
            for root in node.exprs() {
                walk_expr(root, &mut |e| all.push((e, ix)));
            }
        }
        let ids = all
            .iter()
            .map(|(e, _)| e.id.0)
            .filter(|&i| i != NodeId::DUMMY.0);
        let (Some(first), Some(last)) = (ids.clone().min(), ids.max()) else {
            return ExprIndex::default();
        };
        let mut slots = vec![None; (last - first + 1) as usize];
        for (e, ix) in all {
            if e.id != NodeId::DUMMY {
                slots[(e.id.0 - first) as usize].get_or_insert((e, ix));
            }
        }
        ExprIndex { first, slots }
    }

    fn get(&self, id: NodeId) -> Option<(&'p Expr, NodeIx)> {
        let i = id.0.checked_sub(self.first)? as usize;
        *self.slots.get(i)?
    }
}

/// How a function's body can end, for callers deciding whether a call
/// statement falls through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Termination {
    /// Some path returns to the caller.
    Returns,
    /// Every path reverts (`_revertNotOwner()`-style helpers).
    AlwaysReverts,
    /// No path returns, some end the call frame successfully (assembly
    /// `return`, `selfdestruct`: a proxy's `_delegate`).
    AlwaysHalts,
}

impl Termination {
    /// How the body of `cfg` ends.
    pub fn of(cfg: &Cfg<'_>) -> Termination {
        let mut returns = false;
        let mut halts = false;
        for &p in cfg.preds(cfg.exit) {
            if !cfg.reaches(cfg.entry, p) {
                continue;
            }
            let node = cfg.node(p);
            let only_halt = node
                .succs()
                .iter()
                .filter(|&&(s, _)| s == cfg.exit)
                .all(|&(_, k)| k == crate::cfg::EdgeKind::Halt);
            let is_return = matches!(node.kind, NodeKind::Return(_));
            if only_halt && !is_return {
                halts = true;
            } else {
                returns = true;
            }
        }
        match (returns, halts) {
            (true, _) => Termination::Returns,
            (false, true) => Termination::AlwaysHalts,
            (false, false) => Termination::AlwaysReverts,
        }
    }
}

/// Decides statement effects with the model: `require` the built-in, not a
/// user function that happens to be called `require`; and calls of
/// internal helpers that never return (through `callee_termination`).
struct SemaOracle<'m, 'p, 'c> {
    model: &'m Model<'p>,
    file: FileId,
    callee_termination: Option<&'c dyn Fn(DeclId) -> Termination>,
}

impl<'a> TerminatorOracle<'a> for SemaOracle<'_, '_, '_> {
    fn effect(&self, stmt_expr: &'a Expr) -> StatementEffect {
        let e = unparen(stmt_expr);
        let ExprKind::Call { args, .. } = &e.kind else {
            return StatementEffect::Continues;
        };
        let first_is_false = call_args(args)
            .first()
            .is_some_and(|a| matches!(unparen(a).kind, ExprKind::Literal(Literal::Bool(false))));
        match self.model.call_kind(self.file, e.id) {
            Some(CallKind::Builtin(Builtin::Require | Builtin::Assert)) if first_is_false => {
                StatementEffect::Reverts
            }
            Some(CallKind::Builtin(Builtin::Require | Builtin::Assert)) => {
                StatementEffect::MayRevert
            }
            Some(CallKind::Builtin(Builtin::Revert)) => StatementEffect::Reverts,
            Some(CallKind::Builtin(Builtin::Selfdestruct | Builtin::Suicide)) => {
                StatementEffect::Halts
            }
            Some(CallKind::Unknown) | None => syntactic_effect(e),
            Some(CallKind::Internal(f))
                if crate::assert_helper::asserted_param(self.model, *f).is_some() =>
            {
                StatementEffect::MayRevert
            }
            Some(
                CallKind::Internal(f)
                | CallKind::BoundInternal(f)
                | CallKind::Library { function: f, .. },
            ) => match self.callee_termination.map(|t| t(*f)) {
                Some(Termination::AlwaysReverts) => StatementEffect::Reverts,
                Some(Termination::AlwaysHalts) => StatementEffect::Halts,
                _ => StatementEffect::Continues,
            },
            Some(_) => StatementEffect::Continues,
        }
    }
}

/// The CFG alone of `info`'s body.
pub(crate) fn function_cfg<'p>(
    model: &Model<'p>,
    info: &FunctionInfo<'p>,
    callee_termination: Option<&dyn Fn(DeclId) -> Termination>,
) -> Cfg<'p> {
    build_cfg(
        info.ast,
        &SemaOracle {
            model,
            file: info.file,
            callee_termination,
        },
    )
}

impl<'p> FunctionIr<'p> {
    /// Builds the IR of `info`'s body. Calls of helpers that never return
    /// are treated as plain statements; see [`FunctionIr::build_with`].
    pub fn build(model: &Model<'p>, info: &FunctionInfo<'p>) -> FunctionIr<'p> {
        FunctionIr::build_with(model, info, None)
    }

    /// Builds the IR of `info`'s body; `callee_termination` tells how an
    /// internally called function ends, so that a call statement of an
    /// always-reverting helper ends its path like a `revert`.
    pub fn build_with(
        model: &Model<'p>,
        info: &FunctionInfo<'p>,
        callee_termination: Option<&dyn Fn(DeclId) -> Termination>,
    ) -> FunctionIr<'p> {
        let file = info.file;
        let cfg = function_cfg(model, info, callee_termination);
        let aliases = storage_aliases(model, file, info.ast);
        let ctx = Ctx {
            model,
            file,
            aliases: &aliases,
            entry_params: info.params.iter().chain(&info.returns).copied().collect(),
        };
        let facts: Vec<NodeFacts> = cfg
            .nodes()
            .map(|(_, node)| collect_node_facts(&ctx, node))
            .collect();
        let exprs = ExprIndex::build(&cfg);
        let checked_version = model.file(file).version.effective.has_checked_arithmetic();
        let mut ir = FunctionIr {
            decl: info.decl,
            file,
            contract: info.contract,
            ast: info.ast,
            cfg,
            facts,
            exprs,
            aliases,
            checked_version,
            reaching: OnceLock::new(),
        };
        ir.mark_checked_results(model);
        ir
    }

    /// The facts of `node`.
    pub fn facts(&self, node: NodeIx) -> &NodeFacts {
        &self.facts[node.index()]
    }

    /// The facts of every node, indexed like the CFG's nodes.
    pub fn all_facts(&self) -> &[NodeFacts] {
        &self.facts
    }

    /// Every call of the body with its node, in node order.
    pub fn calls(&self) -> impl Iterator<Item = (NodeIx, &CallSite)> {
        self.facts
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.calls.iter().map(move |c| (NodeIx(i as u32), c)))
    }

    /// Every state variable read of the body (not of callees).
    pub fn state_reads(&self) -> impl Iterator<Item = (NodeIx, &StateAccess)> {
        self.facts
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.state_reads.iter().map(move |a| (NodeIx(i as u32), a)))
    }

    /// Every state variable write of the body (not of callees).
    pub fn state_writes(&self) -> impl Iterator<Item = (NodeIx, &StateAccess)> {
        self.facts
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.state_writes.iter().map(move |a| (NodeIx(i as u32), a)))
    }

    /// The expression with id `id` in this body.
    pub fn expr(&self, id: NodeId) -> Option<&'p Expr> {
        self.exprs.get(id).map(|(e, _)| e)
    }

    /// The node evaluating the expression `id`.
    pub fn node_of_expr(&self, id: NodeId) -> Option<NodeIx> {
        self.exprs.get(id).map(|(_, n)| n)
    }

    /// Reaching definitions and def-use chains (computed on first use).
    pub fn reaching_defs(&self) -> &ReachingDefs {
        self.reaching
            .get_or_init(|| ReachingDefs::compute(&self.cfg, &self.facts))
    }

    /// Whether arithmetic at `node` reverts on overflow: 0.8+ and outside
    /// `unchecked`.
    pub fn is_checked_arithmetic(&self, node: NodeIx) -> bool {
        self.checked_version && !self.cfg.node(node).unchecked
    }

    /// Whether the local `var` is a storage pointer (or storage parameter).
    pub fn is_storage_pointer(&self, var: DeclId) -> bool {
        self.aliases.is_pointer(var)
    }

    /// What the storage pointer `var` may point into.
    pub fn storage_roots(&self, var: DeclId) -> &[StorageRoot] {
        self.aliases.roots_of(var)
    }

    /// The storage roots of a storage-typed expression of this body: the
    /// state variable at the bottom of `x.f[i]`, or a pointer's roots.
    pub fn storage_roots_of_expr(&self, model: &Model<'p>, expr: &Expr) -> Vec<StorageRoot> {
        let mut out = Vec::new();
        value_roots(model, self.file, &self.aliases, expr, &mut out);
        out
    }

    /// Nodes with an external call (message call, low-level call,
    /// creation, assembly call).
    pub fn external_call_nodes(&self) -> Vec<NodeIx> {
        (0..self.facts.len())
            .filter(|&i| self.facts[i].has_external_call())
            .map(|i| NodeIx(i as u32))
            .collect()
    }

    /// Sets [`CallSite::checked`] for results assigned to locals that a
    /// later condition, `require`/`assert`, `return` or internal call
    /// reads.
    fn mark_checked_results(&mut self, model: &Model<'p>) {
        let mut updates = Vec::new();
        for (ix, call_i, locals) in self.facts.iter().enumerate().flat_map(|(i, f)| {
            f.calls
                .iter()
                .enumerate()
                .filter_map(move |(ci, c)| match &c.result {
                    ResultUse::Assigned(locals) => Some((NodeIx(i as u32), ci, locals)),
                    _ => None,
                })
        }) {
            // Returned to the caller through a named return variable
            // (`(success, data) = t.call(d)` in a helper), or read by a
            // later check.
            let returned = locals
                .iter()
                .any(|&l| model.decl(l).kind == bulwark_sema::DeclKind::ReturnParam);
            let checked = returned
                || self
                    .reachable_from(ix)
                    .into_iter()
                    .any(|n| locals.iter().any(|&l| self.node_checks_local(model, n, l)));
            if checked {
                updates.push((ix, call_i));
            }
        }
        for (ix, ci) in updates {
            self.facts[ix.index()].calls[ci].checked = true;
        }
    }

    /// Nodes reachable from `from` (excluding `from` unless on a cycle).
    fn reachable_from(&self, from: NodeIx) -> Vec<NodeIx> {
        let mut seen = vec![false; self.cfg.len()];
        let mut out = Vec::new();
        let mut work: Vec<NodeIx> = self.cfg.succs(from).collect();
        while let Some(n) = work.pop() {
            if std::mem::replace(&mut seen[n.index()], true) {
                continue;
            }
            out.push(n);
            work.extend(self.cfg.succs(n));
        }
        out
    }

    /// Whether `node` reads `local` in a checking position.
    fn node_checks_local(&self, model: &Model<'p>, node: NodeIx, local: DeclId) -> bool {
        let facts = &self.facts[node.index()];
        if !facts.uses_local(local) {
            return false;
        }
        match self.cfg.node(node).kind {
            NodeKind::Condition { .. } | NodeKind::Return(_) => true,
            _ => facts.calls.iter().any(|c| match &c.kind {
                CallSiteKind::Builtin(Builtin::Require | Builtin::Assert) => c
                    .args
                    .first()
                    .and_then(|&a| self.expr(a))
                    .is_some_and(|a| expr_mentions(model, self.file, a, local)),
                CallSiteKind::Internal { .. }
                | CallSiteKind::BoundInternal { .. }
                | CallSiteKind::Library { .. } => c
                    .args
                    .iter()
                    .filter_map(|&a| self.expr(a))
                    .any(|a| expr_mentions(model, self.file, a, local)),
                _ => false,
            }),
        }
    }
}

/// Whether `expr` contains an identifier resolving to `var`.
pub(crate) fn expr_mentions(model: &Model<'_>, file: FileId, expr: &Expr, var: DeclId) -> bool {
    let mut found = false;
    walk_expr(expr, &mut |e| {
        if matches!(e.kind, ExprKind::Ident(_))
            && model.resolution(file, e.id).and_then(|r| r.decl()) == Some(var)
        {
            found = true;
        }
    });
    found
}
