//! [`ProjectIr`]: the entry point for detectors. Holds the IR of every
//! function of a semantic [`Model`], built lazily (or all at once, in
//! parallel, with [`ProjectIr::build_all`]), and the project-wide
//! analyses on top: call graph, read/write sets, taint, guards.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use bulwark_sema::{DeclId, FunctionInfo, Model};
use bulwark_syntax::ast::NodeId;
use rayon::prelude::*;

use crate::access::{AccessSet, AccessSets};
use crate::callgraph::CallGraph;
use crate::cfg::NodeIx;
use crate::declmap::DeclMap;
use crate::function::{function_cfg, FunctionIr, Termination};
use crate::guards::FunctionGuards;
use crate::guards::Guards;
use crate::taint::TaintAnalysis;
use crate::taint::{Source, Taint};

thread_local! {
    /// Functions whose termination this thread is computing.
    static IN_PROGRESS: std::cell::RefCell<Vec<DeclId>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The IR of a whole project.
pub struct ProjectIr<'m, 'p> {
    model: &'m Model<'p>,
    /// Parallel to `model.functions()`.
    functions: Vec<OnceLock<FunctionIr<'p>>>,
    /// Function `DeclId` → index in `functions` (`u32::MAX`: not one).
    index: DeclMap<u32>,
    /// Number of declarations in the model (the size of dense maps).
    decl_count: usize,
    call_graph: OnceLock<CallGraph>,
    access: OnceLock<AccessSets>,
    taint: OnceLock<TaintAnalysis>,
    guards: OnceLock<Guards>,
    /// Function → every function overriding it, directly or not.
    overriders: OnceLock<HashMap<DeclId, Vec<DeclId>>>,
    /// How each function's body ends, once computed.
    terminations: Mutex<HashMap<DeclId, Termination>>,
}

impl<'m, 'p> ProjectIr<'m, 'p> {
    /// Prepares the IR of `model`; nothing is built until asked for.
    pub fn new(model: &'m Model<'p>) -> ProjectIr<'m, 'p> {
        let decl_count = model.decls().count();
        let mut index = DeclMap::with_len(decl_count);
        for d in 0..decl_count {
            *index.get_mut(DeclId(d as u32)) = u32::MAX;
        }
        for (i, f) in model.functions().iter().enumerate() {
            *index.get_mut(f.decl) = i as u32;
        }
        ProjectIr {
            model,
            functions: (0..model.functions().len())
                .map(|_| OnceLock::new())
                .collect(),
            index,
            decl_count,
            call_graph: OnceLock::new(),
            access: OnceLock::new(),
            taint: OnceLock::new(),
            guards: OnceLock::new(),
            overriders: OnceLock::new(),
            terminations: Mutex::new(HashMap::new()),
        }
    }

    pub fn model(&self) -> &'m Model<'p> {
        self.model
    }

    pub(crate) fn decl_count(&self) -> usize {
        self.decl_count
    }

    /// The IR of the function or modifier `decl` (`None` if `decl` is not
    /// one).
    pub fn function_ir(&self, decl: DeclId) -> Option<&FunctionIr<'p>> {
        let i = *self.index.get(decl).filter(|&&i| i != u32::MAX)? as usize;
        Some(self.functions[i].get_or_init(|| self.build_function(i)))
    }

    fn build_function(&self, i: usize) -> FunctionIr<'p> {
        let termination = |callee: DeclId| self.termination(callee);
        FunctionIr::build_with(self.model, &self.model.functions()[i], Some(&termination))
    }

    /// How `function`'s body ends: returns, always reverts, or always halts
    /// (a virtual function with overrides, a declaration without body and
    /// recursive cycles count as returning).
    pub fn termination(&self, function: DeclId) -> Termination {
        if let Some(&t) = self
            .terminations
            .lock()
            .ok()
            .as_ref()
            .and_then(|m| m.get(&function))
        {
            return t;
        }
        let Some(info) = self.model.function(function) else {
            return Termination::Returns;
        };
        if !self.overriders(function).is_empty() || !may_not_return(info.ast.body.as_ref()) {
            return Termination::Returns;
        }
        // Recursion is cut per thread (another thread computing the same
        // function concurrently is not a cycle).
        let cyclic = IN_PROGRESS.with(|p| {
            let mut p = p.borrow_mut();
            if p.contains(&function) {
                true
            } else {
                p.push(function);
                false
            }
        });
        if cyclic {
            return Termination::Returns;
        }
        // A CFG of its own (the cached IR cannot be used: building it may
        // be what asked).
        let nested = |callee: DeclId| self.termination(callee);
        let cfg = function_cfg(self.model, info, Some(&nested));
        let t = Termination::of(&cfg);
        IN_PROGRESS.with(|p| p.borrow_mut().retain(|&d| d != function));
        if let Ok(mut memo) = self.terminations.lock() {
            memo.insert(function, t);
        }
        t
    }

    /// The semantic view of `decl`, when it is a function or modifier.
    pub fn function_info(&self, decl: DeclId) -> Option<&'m FunctionInfo<'p>> {
        self.model.function(decl)
    }

    /// Every function (or modifier) that overrides `function`, directly
    /// or through intermediate overrides.
    pub fn overriders(&self, function: DeclId) -> &[DeclId] {
        self.overriders
            .get_or_init(|| transitive_overriders(self.model))
            .get(&function)
            .map_or(&[], Vec::as_slice)
    }

    /// The implementation of `function` that runs when it is called
    /// internally (by name) in an instance of `contract`: among `function`
    /// and its overriders, the one whose contract comes first in
    /// `contract`'s linearization. Returns `function` when none applies.
    pub fn dispatch(&self, contract: DeclId, function: DeclId) -> DeclId {
        let Some(c) = self.model.contract(contract) else {
            return function;
        };
        let candidates = self.overriders(function);
        if candidates.is_empty() {
            return function;
        }
        for &base in &c.linearization {
            if self.model.function(function).and_then(|f| f.contract) == Some(base) {
                return function;
            }
            if let Some(&o) = candidates
                .iter()
                .find(|&&o| self.model.function(o).and_then(|f| f.contract) == Some(base))
            {
                return o;
            }
        }
        function
    }

    /// The function a `super.f()` call written in `caller` runs in an
    /// instance of `contract`: the next implementation of `target` (the
    /// statically resolved base function) after `caller`'s contract in
    /// `contract`'s linearization — in a diamond that can be a sibling
    /// base, not the function sema saw from `caller`'s own bases.
    pub fn super_dispatch(&self, contract: DeclId, caller: DeclId, target: DeclId) -> DeclId {
        let (Some(c), Some(from)) = (
            self.model.contract(contract),
            self.model.function(caller).and_then(|f| f.contract),
        ) else {
            return target;
        };
        // `target` and everything overriding it are implementations of the
        // same function.
        // (Bounded: broken code may declare override cycles.)
        let mut root = target;
        for _ in 0..64 {
            match self.model.function(root).and_then(|f| f.overrides.first()) {
                Some(&base) if base != root => root = base,
                _ => break,
            }
        }
        let candidates: Vec<DeclId> = std::iter::once(root)
            .chain(self.overriders(root).iter().copied())
            .collect();
        let Some(pos) = c.linearization.iter().position(|&b| b == from) else {
            return target;
        };
        for &base in &c.linearization[pos + 1..] {
            if let Some(&f) = candidates
                .iter()
                .find(|&&f| self.model.function(f).and_then(|i| i.contract) == Some(base))
            {
                return f;
            }
        }
        target
    }

    /// Builds every function's IR now, in parallel, then the project-wide
    /// analyses. Detectors that visit everything call this first; queries
    /// work without it.
    pub fn build_all(&self) {
        self.build_functions();
        self.call_graph();
        self.access();
        self.taint();
        self.guards();
    }

    /// Builds the IR of every function now, in parallel (the CFGs and
    /// fact tables; no project-wide analysis).
    pub fn build_functions(&self) {
        self.functions.par_iter().enumerate().for_each(|(i, cell)| {
            cell.get_or_init(|| self.build_function(i));
        });
    }

    /// Every function and modifier with its IR, in model order.
    pub fn functions(&self) -> impl Iterator<Item = &FunctionIr<'p>> {
        self.model
            .functions()
            .iter()
            .filter_map(|f| self.function_ir(f.decl))
    }

    /// The call graph (built on first use).
    pub fn call_graph(&self) -> &CallGraph {
        self.call_graph.get_or_init(|| CallGraph::build(self))
    }

    /// State variables read and written per function, directly and
    /// transitively (built on first use).
    pub fn access(&self) -> &AccessSets {
        self.access.get_or_init(|| AccessSets::build(self))
    }

    /// The taint analysis (built on first use).
    pub fn taint(&self) -> &TaintAnalysis {
        self.taint.get_or_init(|| TaintAnalysis::build(self))
    }

    /// Access-control and reentrancy guards (built on first use).
    pub fn guards(&self) -> &Guards {
        self.guards.get_or_init(|| Guards::build(self))
    }

    // --- shorthands for the common questions ------------------------------

    /// The taint of expression `expr` of `function` (empty if `expr` is
    /// not in its body).
    pub fn expr_taint(&self, function: DeclId, expr: NodeId) -> Taint {
        self.taint().expr(self, function, expr)
    }

    /// Whether `source` influences expression `expr` of `function`.
    pub fn is_influenced_by(&self, function: DeclId, expr: NodeId, source: Source) -> bool {
        self.expr_taint(function, expr).has(source)
    }

    /// The taint of what `node` tests: an `if`/loop condition or the
    /// first argument of a `require`/`assert`.
    pub fn condition_taint(&self, function: DeclId, node: NodeIx) -> Taint {
        self.taint().condition(self, function, node)
    }

    /// State variables `function` reads and writes with everything it
    /// runs (modifiers, internal and library callees), dispatched as in
    /// `contract` (`None`: as written).
    pub fn state_access(&self, contract: Option<DeclId>, function: DeclId) -> Arc<AccessSet> {
        self.access().transitive(self, contract, function)
    }

    /// State variables read and written by one node, its internal calls
    /// included.
    pub fn node_access(
        &self,
        contract: Option<DeclId>,
        function: DeclId,
        node: NodeIx,
    ) -> AccessSet {
        self.access().at_node(self, contract, function, node)
    }

    /// Sender checks and reentrancy locks of `function`.
    pub fn function_guards(&self, function: DeclId) -> FunctionGuards {
        self.guards().of(self, function)
    }
}

fn transitive_overriders(model: &Model<'_>) -> HashMap<DeclId, Vec<DeclId>> {
    let mut direct: HashMap<DeclId, Vec<DeclId>> = HashMap::new();
    for info in model.functions() {
        for &base in &info.overrides {
            direct.entry(base).or_default().push(info.decl);
        }
    }
    let mut all = HashMap::new();
    for (&base, _) in direct.iter() {
        let mut out: Vec<DeclId> = Vec::new();
        let mut work = direct[&base].clone();
        while let Some(o) = work.pop() {
            if !out.contains(&o) {
                out.push(o);
                work.extend(direct.get(&o).into_iter().flatten().copied());
            }
        }
        all.insert(base, out);
    }
    all
}

/// Cheap pre-check for [`ProjectIr::termination`]: a body whose last
/// statement is a `return`, a declaration, an `emit` or a non-call
/// expression returns (barring dead code), so no CFG needs building. Only
/// bodies ending in something that may end the frame are examined.
fn may_not_return(body: Option<&bulwark_syntax::ast::Block>) -> bool {
    use bulwark_syntax::ast::{ExprKind, StmtKind};
    let Some(mut last) = body.and_then(|b| b.stmts.last()) else {
        return false;
    };
    loop {
        match &last.kind {
            StmtKind::Block(b) | StmtKind::Unchecked(b) => match b.stmts.last() {
                Some(s) => last = s,
                None => return false,
            },
            StmtKind::Expr(e) => {
                return matches!(crate::walk::unparen(e).kind, ExprKind::Call { .. })
            }
            StmtKind::Return(_)
            | StmtKind::VarDecl(_)
            | StmtKind::Emit { .. }
            | StmtKind::Placeholder
            | StmtKind::Continue
            | StmtKind::Break => return false,
            _ => return true,
        }
    }
}
