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

    /// Builds every function's IR now, in parallel, then the project-wide
    /// analyses. Detectors that visit everything call this first; queries
    /// work without it.
    pub fn build_all(&self) {
        self.functions.par_iter().enumerate().for_each(|(i, cell)| {
            cell.get_or_init(|| FunctionIr::build(self.model, &self.model.functions()[i]));
        });
        self.call_graph();
        self.access();
        self.taint();
        self.guards();
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
