//! Taint: which untrusted or environment values an expression depends on.
//!
//! Sources: `msg.sender`, `msg.value`, `msg.data`/`msg.sig`, `tx.origin`,
//! block values (timestamp/`now`, number, difficulty/prevrandao,
//! `blockhash`, coinbase, others), the function's parameters (with their
//! index), and return values of external calls.
//!
//! Propagation (explicit data flow only; a value assigned under an `if`
//! that reads `msg.sender` is not tainted by it):
//! - through locals, flow-sensitively (a forward data-flow problem per
//!   function, see [`crate::dataflow`]);
//! - through state variables, flow-insensitively and across functions: a
//!   state variable is tainted by everything any function writes into it.
//!   Parameters written to state become [`Source::StoredInput`] (they are
//!   no parameter of the reader); constructor writes contribute no
//!   parameter or message taint (the deployer chose those values);
//! - through internal, library and `using for` calls by summaries: which
//!   parameters flow to the return value, and which sources the callee adds
//!   by itself. Calls of overridable functions use the union of every
//!   override's summary;
//! - through storage parameters: what a callee writes through one
//!   (`Ledger.credit(book, who, amount)`, `set.add(msg.sender)`) taints the
//!   state variable the caller passed, in the caller's terms.
//!
//! Summaries and state taint are computed together to a fixpoint with a
//! worklist of functions, callees first: a function is analysed again only
//! when the summary of a callee or the taint of a state variable it reads
//! has grown.

mod eval;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet, VecDeque};

use crate::declmap::DeclMap;

use bulwark_sema::{Builtin, DeclId};
use bulwark_syntax::ast::{ExprKind, FunctionKind, NodeId};

use crate::cfg::{NodeIx, NodeKind};
use crate::dataflow::{solve, Analysis, Direction};
use crate::facts::{CallSiteKind, StorageRoot};
use crate::function::FunctionIr;
use crate::project::ProjectIr;
use crate::walk::{call_args, unparen};

pub(crate) use eval::Evaluator;

/// Where a tainted value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Source {
    MsgSender,
    MsgValue,
    /// `msg.data`, `msg.sig`.
    MsgData,
    TxOrigin,
    /// `tx.gasprice`.
    GasPrice,
    /// `block.timestamp`, `now`.
    Timestamp,
    BlockNumber,
    /// `block.difficulty`, `block.prevrandao`.
    Prevrandao,
    /// `blockhash(n)`, `block.blockhash(n)`.
    Blockhash,
    Coinbase,
    /// `block.gaslimit`, `basefee`, `chainid`, `gasleft()`, `msg.gas`, ...
    OtherEnv,
    /// A parameter of the function being analysed (see [`Taint::params`]).
    Param,
    /// A parameter of some function that was stored into a state variable
    /// read here.
    StoredInput,
    /// The return value of an external or low-level call (or data bound
    /// by `try`/`catch`).
    ExternalCall,
}

impl Source {
    pub const ALL: [Source; 14] = [
        Source::MsgSender,
        Source::MsgValue,
        Source::MsgData,
        Source::TxOrigin,
        Source::GasPrice,
        Source::Timestamp,
        Source::BlockNumber,
        Source::Prevrandao,
        Source::Blockhash,
        Source::Coinbase,
        Source::OtherEnv,
        Source::Param,
        Source::StoredInput,
        Source::ExternalCall,
    ];

    fn bit(self) -> u32 {
        1 << (self as u8)
    }

    /// The source an environment built-in reads, if it is one.
    pub fn of_builtin(b: Builtin) -> Option<Source> {
        Some(match b {
            Builtin::MsgSender => Source::MsgSender,
            Builtin::MsgValue => Source::MsgValue,
            Builtin::MsgData | Builtin::MsgSig => Source::MsgData,
            Builtin::TxOrigin => Source::TxOrigin,
            Builtin::TxGasprice => Source::GasPrice,
            Builtin::Now | Builtin::BlockTimestamp => Source::Timestamp,
            Builtin::BlockNumber => Source::BlockNumber,
            Builtin::BlockDifficulty | Builtin::BlockPrevrandao => Source::Prevrandao,
            Builtin::Blockhash | Builtin::BlockBlockhash => Source::Blockhash,
            Builtin::BlockCoinbase => Source::Coinbase,
            Builtin::MsgGas
            | Builtin::Gasleft
            | Builtin::BlockGaslimit
            | Builtin::BlockBasefee
            | Builtin::BlockBlobbasefee
            | Builtin::BlockChainid
            | Builtin::Blobhash => Source::OtherEnv,
            _ => return None,
        })
    }

    /// Block values miners/validators influence (weak randomness, time
    /// dependence).
    pub fn is_block_value(self) -> bool {
        matches!(
            self,
            Source::Timestamp
                | Source::BlockNumber
                | Source::Prevrandao
                | Source::Blockhash
                | Source::Coinbase
        )
    }
}

/// A set of sources, plus which parameters of the current function.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Taint {
    kinds: u32,
    /// Bit `i`: parameter `i` (parameters beyond 63 share bit 63).
    params: u64,
}

impl Taint {
    pub const EMPTY: Taint = Taint {
        kinds: 0,
        params: 0,
    };

    pub fn of(source: Source) -> Taint {
        Taint {
            kinds: source.bit(),
            params: 0,
        }
    }

    pub fn param(index: usize) -> Taint {
        Taint {
            kinds: Source::Param.bit(),
            params: 1 << index.min(63),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.kinds == 0
    }

    pub fn has(&self, source: Source) -> bool {
        self.kinds & source.bit() != 0
    }

    /// Any of `sources` flows here.
    pub fn has_any(&self, sources: &[Source]) -> bool {
        sources.iter().any(|&s| self.has(s))
    }

    /// Parameter `index` of the function flows here.
    pub fn has_param(&self, index: usize) -> bool {
        self.params & (1 << index.min(63)) != 0
    }

    pub fn sources(&self) -> impl Iterator<Item = Source> + '_ {
        Source::ALL.into_iter().filter(|&s| self.has(s))
    }

    pub fn params(&self) -> impl Iterator<Item = usize> + '_ {
        (0..64).filter(|&i| self.params & (1 << i) != 0)
    }

    /// Some block value flows here.
    pub fn has_block_value(&self) -> bool {
        self.sources().any(Source::is_block_value)
    }

    /// `self |= other`; returns whether `self` changed.
    pub fn join(&mut self, other: Taint) -> bool {
        let before = *self;
        self.kinds |= other.kinds;
        self.params |= other.params;
        before != *self
    }

    pub fn union(mut self, other: Taint) -> Taint {
        self.join(other);
        self
    }

    /// The taint as seen after storing into a state variable: parameters
    /// become [`Source::StoredInput`]. A constructor's caller is the
    /// deployer, so its parameters and message values taint nothing.
    fn stored(self, from_constructor: bool) -> Taint {
        let deployer = if from_constructor {
            Source::MsgSender.bit()
                | Source::MsgValue.bit()
                | Source::MsgData.bit()
                | Source::TxOrigin.bit()
                | Source::GasPrice.bit()
        } else {
            0
        };
        let mut t = Taint {
            kinds: self.kinds & !Source::Param.bit() & !deployer,
            params: 0,
        };
        if self.has(Source::Param) && !from_constructor {
            t.kinds |= Source::StoredInput.bit();
        }
        t
    }

    /// Without the current function's parameters (a summary's intrinsic
    /// part).
    fn without_params(self) -> Taint {
        Taint {
            kinds: self.kinds & !Source::Param.bit(),
            params: 0,
        }
    }
}

/// What a call of a function returns, as a function of its arguments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaintSummary {
    /// Sources the function adds by itself (environment, state, external
    /// calls).
    pub intrinsic: Taint,
    /// Bit `i`: argument `i` flows to the return value.
    pub param_mask: u64,
}

/// A state-variable write with the taint of the stored value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateWrite {
    pub function: DeclId,
    pub node: NodeIx,
    /// Taint of the stored value in the writer's terms (its own
    /// parameters included).
    pub taint: Taint,
    /// Written by a constructor (the deployer's choice, not a user's).
    pub in_constructor: bool,
}

/// Per-function result: local-variable taint before every node.
#[derive(Clone, Debug, Default)]
pub(crate) struct FunctionTaint {
    /// The function's locals (parameters included), sorted: a local's
    /// slot is its index here.
    pub slots: Vec<DeclId>,
    /// `before[node][slot]`.
    pub before: Vec<Vec<Taint>>,
}

impl FunctionTaint {
    pub fn slot(&self, var: DeclId) -> Option<usize> {
        self.slots.binary_search(&var).ok()
    }
}

/// The project-wide taint analysis.
#[derive(Debug)]
pub struct TaintAnalysis {
    pub(crate) state: DeclMap<Taint>,
    pub(crate) summaries: DeclMap<Option<TaintSummary>>,
    pub(crate) functions: DeclMap<Option<FunctionTaint>>,
    writes: HashMap<DeclId, Vec<StateWrite>>,
    /// Per function: taint of what it writes through each storage
    /// parameter (index, taint in the function's own terms), callees
    /// included.
    param_stores: DeclMap<Vec<(u16, Taint)>>,
}

/// Upper bound on analyses per function.
const MAX_ROUNDS: usize = 12;

impl TaintAnalysis {
    pub(crate) fn build(ir: &ProjectIr<'_, '_>) -> TaintAnalysis {
        let n_decls = ir.decl_count();
        let mut analysis = TaintAnalysis {
            state: DeclMap::with_len(n_decls),
            summaries: DeclMap::with_len(n_decls),
            functions: DeclMap::with_len(n_decls),
            writes: HashMap::new(),
            param_stores: DeclMap::with_len(n_decls),
        };
        let order: Vec<DeclId> = bottom_up_order(ir)
            .into_iter()
            .filter(|&d| ir.function_ir(d).is_some_and(|f| f.ast.body.is_some()))
            .collect();
        // Who must be re-analysed when a summary or a state variable's
        // taint grows: callers of a function (and of the functions it
        // overrides, whose calls may land on it), readers of a variable.
        let mut callers: DeclMap<Vec<DeclId>> = DeclMap::with_len(n_decls);
        let mut readers: DeclMap<Vec<DeclId>> = DeclMap::with_len(n_decls);
        for &decl in &order {
            let f = ir.function_ir(decl).expect("filtered above");
            for (_, call) in f.calls() {
                if let Some(callee) = call.kind.callee() {
                    callers.get_mut(callee).push(decl);
                }
            }
            for (_, read) in f.state_reads() {
                readers.get_mut(read.var).push(decl);
            }
        }
        let mut overridden: DeclMap<Vec<DeclId>> = DeclMap::with_len(n_decls);
        for &decl in &order {
            for &o in ir.overriders(decl) {
                overridden.get_mut(o).push(decl);
            }
        }
        let mut queue: VecDeque<DeclId> = order.iter().copied().collect();
        let mut queued: DeclMap<bool> = DeclMap::with_len(n_decls);
        for &d in &order {
            *queued.get_mut(d) = true;
        }
        let mut writes_by_fn: DeclMap<Vec<(DeclId, StateWrite)>> = DeclMap::with_len(n_decls);
        // Each function is analysed once per growth of one of its inputs;
        // the lattice is finite, this bound only stops a bug from hanging.
        let mut budget = order.len() * MAX_ROUNDS + 16;
        while let Some(decl) = queue.pop_front() {
            *queued.get_mut(decl) = false;
            if budget == 0 {
                break;
            }
            budget -= 1;
            let f = ir.function_ir(decl).expect("filtered above");
            let ft = analysis.run_function(ir, f);
            let is_ctor = ir
                .function_info(decl)
                .is_some_and(|i| i.kind == FunctionKind::Constructor);
            let ev = Evaluator::new(ir, &analysis, f, &ft);
            // Summary from returns.
            let mut ret = Taint::EMPTY;
            for (ix, node) in f.cfg.nodes() {
                if let NodeKind::Return(Some(e)) = node.kind {
                    ret.join(ev.eval(e, ix));
                }
            }
            let info = ir.function_info(decl);
            for r in info.map(|i| i.returns.as_slice()).unwrap_or(&[]) {
                ret.join(ev.var_before(*r, f.cfg.exit));
            }
            let summary = TaintSummary {
                intrinsic: ret.without_params(),
                param_mask: ret.params,
            };
            // State writes.
            let mut writes: Vec<(DeclId, StateWrite)> = Vec::new();
            for (ix, access) in f.state_writes() {
                let t = match access.value.and_then(|v| f.expr(v)) {
                    Some(v) => ev.eval(v, ix),
                    None => ev.eval_node(ix),
                };
                writes.push((
                    access.var,
                    StateWrite {
                        function: decl,
                        node: ix,
                        taint: t,
                        in_constructor: is_ctor,
                    },
                ));
            }
            // Writes through this function's own storage parameters, in
            // its terms (conservatively: everything the writing node reads).
            let mut stores: Vec<(u16, Taint)> = Vec::new();
            for (ix, _) in f.cfg.nodes() {
                for &i in &f.facts(ix).param_writes {
                    let t = ev.eval_node(ix);
                    match stores.iter_mut().find(|(p, _)| *p == i) {
                        Some((_, acc)) => {
                            acc.join(t);
                        }
                        None => stores.push((i, t)),
                    }
                }
            }
            // Writes callees make through storage parameters, mapped to the
            // arguments passed here: state variables, or this function's
            // own storage parameters (passed on).
            for edge in ir.call_graph().edges_from(decl) {
                let (Some(callee), Some(node), Some(expr)) = (edge.callee, edge.node, edge.expr)
                else {
                    continue;
                };
                let Some(callee_stores) = analysis.param_stores.get(callee) else {
                    continue;
                };
                if callee_stores.is_empty() || !edge.kind.shares_storage() {
                    continue;
                }
                let args = call_arguments(f, expr);
                let arg_taints: Vec<Taint> = args
                    .iter()
                    .map(|&a| f.expr(a).map_or(Taint::EMPTY, |e| ev.eval(e, node)))
                    .collect();
                for &(i, t) in callee_stores.iter() {
                    let mut mapped = t.without_params();
                    for p in t.params() {
                        if let Some(a) = arg_taints.get(p) {
                            mapped.join(*a);
                        }
                    }
                    for root in edge.arg_roots.get(i as usize).into_iter().flatten() {
                        match *root {
                            StorageRoot::State(v) => writes.push((
                                v,
                                StateWrite {
                                    function: decl,
                                    node,
                                    taint: mapped,
                                    in_constructor: is_ctor,
                                },
                            )),
                            StorageRoot::Param(j) => {
                                match stores.iter_mut().find(|(p, _)| *p == j) {
                                    Some((_, acc)) => {
                                        acc.join(mapped);
                                    }
                                    None => stores.push((j, mapped)),
                                }
                            }
                        }
                    }
                }
            }
            let mut wake = Vec::new();
            for (var, w) in &writes {
                if analysis.state.get_mut(*var).join(w.taint.stored(is_ctor)) {
                    wake.extend(readers.get(*var).into_iter().flatten().copied());
                }
            }
            stores.sort_by_key(|(p, _)| *p);
            let stores_changed = analysis.param_stores.get(decl) != Some(&stores);
            if stores_changed {
                *analysis.param_stores.get_mut(decl) = stores;
            }
            if analysis.summaries.get(decl) != Some(&Some(summary)) || stores_changed {
                *analysis.summaries.get_mut(decl) = Some(summary);
                wake.extend(callers.get(decl).into_iter().flatten().copied());
                for &base in overridden.get(decl).into_iter().flatten() {
                    wake.extend(callers.get(base).into_iter().flatten().copied());
                }
            }
            *writes_by_fn.get_mut(decl) = writes;
            *analysis.functions.get_mut(decl) = Some(ft);
            for w in wake {
                let q = queued.get_mut(w);
                if !*q {
                    *q = true;
                    queue.push_back(w);
                }
            }
        }
        for &decl in &order {
            for (var, w) in std::mem::take(writes_by_fn.get_mut(decl)) {
                analysis.writes.entry(var).or_default().push(w);
            }
        }
        analysis
    }

    fn run_function<'p>(&self, ir: &ProjectIr<'_, 'p>, f: &FunctionIr<'p>) -> FunctionTaint {
        let mut slots: Vec<DeclId> = Vec::new();
        for facts in f.all_facts() {
            slots.extend(facts.defs.iter().map(|d| d.var));
            slots.extend(facts.uses.iter().copied());
        }
        slots.sort_unstable();
        slots.dedup();
        let mut ft = FunctionTaint {
            slots,
            before: Vec::new(),
        };
        let params: Vec<DeclId> = ir
            .function_info(f.decl)
            .map(|i| i.params.clone())
            .unwrap_or_default();
        let problem = LocalTaint {
            ir,
            analysis: self,
            f,
            ft: &ft,
            params: &params,
        };
        let solution = solve(&f.cfg, &problem);
        ft.before = solution.before;
        ft
    }

    /// The taint of a state variable: everything written into it anywhere.
    pub fn state_var(&self, var: DeclId) -> Taint {
        self.state.get(var).copied().unwrap_or_default()
    }

    /// Writes of `var` with the taint of each stored value.
    pub fn writes_of(&self, var: DeclId) -> &[StateWrite] {
        self.writes.get(&var).map_or(&[], Vec::as_slice)
    }

    /// The summary of a function's return value.
    pub fn summary(&self, function: DeclId) -> TaintSummary {
        self.summaries
            .get(function)
            .copied()
            .flatten()
            .unwrap_or_default()
    }

    /// The taint of local `var` just before `node` of `function`.
    pub fn var_before(&self, function: DeclId, node: NodeIx, var: DeclId) -> Taint {
        let Some(Some(ft)) = self.functions.get(function) else {
            return Taint::EMPTY;
        };
        match (ft.slot(var), ft.before.get(node.index())) {
            (Some(s), Some(state)) => state.get(s).copied().unwrap_or_default(),
            _ => Taint::EMPTY,
        }
    }

    /// The taint of the expression `expr` of `function`, evaluated in the
    /// state before its node.
    pub fn expr(&self, ir: &ProjectIr<'_, '_>, function: DeclId, expr: NodeId) -> Taint {
        let (Some(f), Some(Some(ft))) = (ir.function_ir(function), self.functions.get(function))
        else {
            return Taint::EMPTY;
        };
        let (Some(e), Some(node)) = (f.expr(expr), f.node_of_expr(expr)) else {
            return Taint::EMPTY;
        };
        Evaluator::new(ir, self, f, ft).eval(e, node)
    }

    /// The taint of the condition a node tests: an `if`/loop condition, or
    /// the first argument of a `require`/`assert` call made there (joined
    /// over several). Empty for other nodes.
    pub fn condition(&self, ir: &ProjectIr<'_, '_>, function: DeclId, node: NodeIx) -> Taint {
        let (Some(f), Some(Some(ft))) = (ir.function_ir(function), self.functions.get(function))
        else {
            return Taint::EMPTY;
        };
        let ev = Evaluator::new(ir, self, f, ft);
        let mut t = Taint::EMPTY;
        for e in condition_exprs(f, node) {
            t.join(ev.eval(e, node));
        }
        t
    }
}

/// The tested expressions of a node: a branch/loop condition, or the first
/// argument of each `require`/`assert` it calls.
pub(crate) fn condition_exprs<'p>(
    f: &FunctionIr<'p>,
    node: NodeIx,
) -> Vec<&'p bulwark_syntax::ast::Expr> {
    if let NodeKind::Condition { expr, .. } = f.cfg.node(node).kind {
        return vec![expr];
    }
    f.facts(node)
        .calls
        .iter()
        .filter_map(|c| {
            let index = match c.kind {
                CallSiteKind::Builtin(Builtin::Require | Builtin::Assert) => 0,
                _ => c.asserted_arg?,
            };
            match &unparen(f.expr(c.expr)?).kind {
                ExprKind::Call { args, .. } => call_args(args).get(index).copied(),
                _ => None,
            }
        })
        .collect()
}

/// The forward problem for one function's locals.
struct LocalTaint<'r, 'm, 'p> {
    ir: &'r ProjectIr<'m, 'p>,
    analysis: &'r TaintAnalysis,
    f: &'r FunctionIr<'p>,
    ft: &'r FunctionTaint,
    params: &'r [DeclId],
}

impl<'a> Analysis<'a> for LocalTaint<'_, '_, '_> {
    type Fact = Vec<Taint>;
    const DIRECTION: Direction = Direction::Forward;

    fn bottom(&self, _: &crate::cfg::Cfg<'a>) -> Vec<Taint> {
        vec![Taint::EMPTY; self.ft.slots.len()]
    }

    fn boundary(&self, cfg: &crate::cfg::Cfg<'a>) -> Vec<Taint> {
        self.bottom(cfg)
    }

    fn join(&self, into: &mut Vec<Taint>, from: &Vec<Taint>) -> bool {
        let mut changed = false;
        for (a, b) in into.iter_mut().zip(from) {
            changed |= a.join(*b);
        }
        changed
    }

    fn transfer(
        &self,
        _: &crate::cfg::Cfg<'a>,
        node: NodeIx,
        fact: &Vec<Taint>,
        out: &mut Vec<Taint>,
    ) {
        out.clone_from(fact);
        let kind = self.f.cfg.node(node).kind;
        let facts = self.f.facts(node);
        if facts.defs.is_empty() {
            return;
        }
        let ev = Evaluator::with_state(self.ir, self.analysis, self.f, self.ft, fact);
        let whole = match kind {
            NodeKind::TrySuccess(_) | NodeKind::Catch(_) => Taint::of(Source::ExternalCall),
            NodeKind::Assembly(_) => ev.eval_assembly(node),
            _ => ev.eval_node_here(node),
        };
        for d in &facts.defs {
            let Some(slot) = self.ft.slot(d.var) else {
                continue;
            };
            let t = match kind {
                NodeKind::Entry => match self.params.iter().position(|&p| p == d.var) {
                    Some(i) => Taint::param(i),
                    None => Taint::EMPTY,
                },
                _ => match d.value.and_then(|v| self.f.expr(v)) {
                    Some(v) => ev.eval_here(v),
                    None => whole,
                },
            };
            if d.strong {
                out[slot] = t;
            } else {
                out[slot].join(t);
            }
        }
    }
}

/// Functions in an order where callees (over internal edges) come before
/// their callers, so one round settles most summaries.
fn bottom_up_order(ir: &ProjectIr<'_, '_>) -> Vec<DeclId> {
    let graph = ir.call_graph();
    let all: Vec<DeclId> = ir.model().functions().iter().map(|f| f.decl).collect();
    let mut seen: HashSet<DeclId> = HashSet::new();
    let mut order = Vec::with_capacity(all.len());
    for &root in &all {
        if !seen.insert(root) {
            continue;
        }
        // Iterative post-order DFS.
        let mut stack: Vec<(DeclId, usize)> = vec![(root, 0)];
        while let Some((f, i)) = stack.last_mut() {
            let edges = graph.edges_from(*f);
            if let Some(e) = edges.get(*i) {
                *i += 1;
                if let (Some(c), true) = (e.callee, e.kind.shares_storage()) {
                    if seen.insert(c) {
                        stack.push((c, 0));
                    }
                }
            } else {
                order.push(*f);
                stack.pop();
            }
        }
    }
    order
}

/// The argument expressions of the call `expr` of `f`, numbered as the
/// callee numbers its parameters (the receiver first for `using for`
/// calls).
fn call_arguments(
    f: &FunctionIr<'_>,
    expr: bulwark_syntax::ast::NodeId,
) -> Vec<bulwark_syntax::ast::NodeId> {
    let Some(call) = f.calls().map(|(_, c)| c).find(|c| c.expr == expr) else {
        return Vec::new();
    };
    let receiver = match &call.kind {
        CallSiteKind::BoundInternal { receiver, .. } => Some(*receiver),
        CallSiteKind::Library { bound: true, .. } => f.expr(expr).and_then(|e| {
            let ExprKind::Call { callee, .. } = &unparen(e).kind else {
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
        }),
        _ => None,
    };
    receiver
        .into_iter()
        .chain(call.args.iter().copied())
        .collect()
}
