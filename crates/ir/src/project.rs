//! [`ProjectIr`]: the entry point for detectors. Holds the IR of every
//! function of a semantic [`Model`], built lazily (or all at once, in
//! parallel, with [`ProjectIr::build_all`]), and the project-wide
//! analyses on top: call graph, read/write sets, taint, guards.

use std::collections::HashMap;
use std::sync::OnceLock;

use bulwark_sema::{DeclId, FunctionInfo, Model};
use rayon::prelude::*;

use crate::access::AccessSets;
use crate::callgraph::CallGraph;
use crate::function::FunctionIr;
use crate::guards::Guards;
use crate::taint::TaintAnalysis;

/// The IR of a whole project.
pub struct ProjectIr<'m, 'p> {
    model: &'m Model<'p>,
    /// Parallel to `model.functions()`.
    functions: Vec<OnceLock<FunctionIr<'p>>>,
    index: HashMap<DeclId, usize>,
    call_graph: OnceLock<CallGraph>,
    access: OnceLock<AccessSets>,
    taint: OnceLock<TaintAnalysis>,
    guards: OnceLock<Guards>,
    /// Function → every function overriding it, directly or not.
    overriders: OnceLock<HashMap<DeclId, Vec<DeclId>>>,
}

impl<'m, 'p> ProjectIr<'m, 'p> {
    /// Prepares the IR of `model`; nothing is built until asked for.
    pub fn new(model: &'m Model<'p>) -> ProjectIr<'m, 'p> {
        let index = model
            .functions()
            .iter()
            .enumerate()
            .map(|(i, f)| (f.decl, i))
            .collect();
        ProjectIr {
            model,
            functions: (0..model.functions().len())
                .map(|_| OnceLock::new())
                .collect(),
            index,
            call_graph: OnceLock::new(),
            access: OnceLock::new(),
            taint: OnceLock::new(),
            guards: OnceLock::new(),
            overriders: OnceLock::new(),
        }
    }

    pub fn model(&self) -> &'m Model<'p> {
        self.model
    }

    /// The IR of the function or modifier `decl` (`None` if `decl` is not
    /// one).
    pub fn function_ir(&self, decl: DeclId) -> Option<&FunctionIr<'p>> {
        let &i = self.index.get(&decl)?;
        Some(
            self.functions[i]
                .get_or_init(|| FunctionIr::build(self.model, &self.model.functions()[i])),
        )
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
            cell.get_or_init(|| FunctionIr::build(self.model, &self.model.functions()[i]));
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
