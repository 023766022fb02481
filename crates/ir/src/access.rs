//! State variables read and written per function: directly (the body
//! alone) and transitively (with its modifiers, the internal and library
//! functions it calls, and writes made by callees through storage
//! parameters, mapped back to the caller's arguments).
//!
//! External calls are not followed: the callee runs in another contract's
//! storage. Transitive sets depend on the most-derived contract (virtual
//! dispatch), so they are computed per `(contract, function)` on demand and
//! cached.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use bulwark_sema::DeclId;

use crate::callgraph::CallEdge;
use crate::cfg::NodeIx;
use crate::facts::StorageRoot;
use crate::project::ProjectIr;

/// A set of state variables read and written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessSet {
    /// Sorted, without duplicates.
    pub reads: Vec<DeclId>,
    /// Sorted, without duplicates.
    pub writes: Vec<DeclId>,
    /// Struct fields read through storage pointers with no known state
    /// variable behind them (namespaced storage; see
    /// [`crate::facts::NodeFacts::field_reads`]). Sorted.
    pub field_reads: Vec<DeclId>,
    /// Such fields written. Sorted.
    pub field_writes: Vec<DeclId>,
}

impl AccessSet {
    pub fn reads(&self, var: DeclId) -> bool {
        self.reads.binary_search(&var).is_ok()
    }

    pub fn writes(&self, var: DeclId) -> bool {
        self.writes.binary_search(&var).is_ok()
    }

    /// Whether namespaced field `field` is written.
    pub fn writes_field(&self, field: DeclId) -> bool {
        self.field_writes.binary_search(&field).is_ok()
    }

    pub fn reads_field(&self, field: DeclId) -> bool {
        self.field_reads.binary_search(&field).is_ok()
    }

    fn from_sets(s: Sets) -> AccessSet {
        AccessSet {
            reads: s.reads.into_iter().collect(),
            writes: s.writes.into_iter().collect(),
            field_reads: s.field_reads.into_iter().collect(),
            field_writes: s.field_writes.into_iter().collect(),
        }
    }
}

/// An [`AccessSet`] under construction.
#[derive(Default)]
struct Sets {
    reads: BTreeSet<DeclId>,
    writes: BTreeSet<DeclId>,
    field_reads: BTreeSet<DeclId>,
    field_writes: BTreeSet<DeclId>,
}

impl Sets {
    fn add_facts(&mut self, facts: &crate::facts::NodeFacts) {
        self.reads.extend(facts.state_reads.iter().map(|a| a.var));
        self.writes.extend(facts.state_writes.iter().map(|a| a.var));
        self.field_reads
            .extend(facts.field_reads.iter().map(|a| a.var));
        self.field_writes
            .extend(facts.field_writes.iter().map(|a| a.var));
    }

    fn add_set(&mut self, set: &AccessSet) {
        self.reads.extend(set.reads.iter().copied());
        self.writes.extend(set.writes.iter().copied());
        self.field_reads.extend(set.field_reads.iter().copied());
        self.field_writes.extend(set.field_writes.iter().copied());
    }
}

/// Storage-parameter effects of a function, its callees included:
/// indices of storage parameters read and written through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ParamEffects {
    reads: BTreeSet<u16>,
    writes: BTreeSet<u16>,
}

type CacheKey = (Option<DeclId>, DeclId);

/// Read/write sets of every function.
#[derive(Debug, Default)]
pub struct AccessSets {
    direct: HashMap<DeclId, AccessSet>,
    params: HashMap<DeclId, ParamEffects>,
    cache: Mutex<HashMap<CacheKey, Arc<AccessSet>>>,
}

impl AccessSets {
    pub(crate) fn build(ir: &ProjectIr<'_, '_>) -> AccessSets {
        let graph = ir.call_graph();
        let mut direct = HashMap::new();
        let mut params: HashMap<DeclId, ParamEffects> = HashMap::new();
        for f in ir.functions() {
            let mut sets = Sets::default();
            let mut effects = ParamEffects::default();
            for facts in f.all_facts() {
                sets.add_facts(facts);
                effects.reads.extend(facts.param_reads.iter().copied());
                effects.writes.extend(facts.param_writes.iter().copied());
            }
            direct.insert(f.decl, AccessSet::from_sets(sets));
            params.insert(f.decl, effects);
        }
        // Storage-parameter effects flow up through calls that pass a
        // caller's storage parameter on (`_add(set._inner, x)`).
        // Only edges passing one of the caller's own storage parameters on
        // matter here; collect them once.
        let forwarding: Vec<&CallEdge> = graph
            .callers()
            .flat_map(|c| graph.edges_from(c))
            .filter(|e| {
                e.kind.shares_storage()
                    && e.callee.is_some()
                    && e.arg_roots
                        .iter()
                        .flatten()
                        .any(|r| matches!(r, StorageRoot::Param(_)))
            })
            .collect();
        loop {
            let mut changed = false;
            for edge in &forwarding {
                let Some(callee) = edge.callee else { continue };
                let Some(callee_fx) = params.get(&callee) else {
                    continue;
                };
                let mut add_reads = Vec::new();
                let mut add_writes = Vec::new();
                for (i, roots) in edge.arg_roots.iter().enumerate() {
                    for root in roots {
                        if let StorageRoot::Param(j) = root {
                            if callee_fx.reads.contains(&(i as u16)) {
                                add_reads.push(*j);
                            }
                            if callee_fx.writes.contains(&(i as u16)) {
                                add_writes.push(*j);
                            }
                        }
                    }
                }
                let fx = params.entry(edge.caller).or_default();
                for j in add_reads {
                    changed |= fx.reads.insert(j);
                }
                for j in add_writes {
                    changed |= fx.writes.insert(j);
                }
            }
            if !changed {
                break;
            }
        }
        AccessSets {
            direct,
            params,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// What `function`'s own body reads and writes (through storage
    /// pointers included, modifiers and callees excluded).
    pub fn direct(&self, function: DeclId) -> Option<&AccessSet> {
        self.direct.get(&function)
    }

    /// Storage parameters of `function` written through (directly or by
    /// its callees).
    pub fn param_writes(&self, function: DeclId) -> Vec<u16> {
        self.params
            .get(&function)
            .map(|p| p.writes.iter().copied().collect())
            .unwrap_or_default()
    }

    /// Adds to `reads`/`writes` the state variables a storage-sharing
    /// call edge touches through the callee's storage parameters.
    fn mapped_param_effects(
        &self,
        edge: &CallEdge,
        callee: DeclId,
        reads: &mut BTreeSet<DeclId>,
        writes: &mut BTreeSet<DeclId>,
    ) {
        let Some(fx) = self.params.get(&callee) else {
            return;
        };
        for (i, roots) in edge.arg_roots.iter().enumerate() {
            let i = i as u16;
            for root in roots {
                if let StorageRoot::State(v) = root {
                    if fx.reads.contains(&i) {
                        reads.insert(*v);
                    }
                    if fx.writes.contains(&i) {
                        writes.insert(*v);
                    }
                }
            }
        }
    }

    /// Everything `function` reads and writes when called on an instance
    /// of `contract` (`None`: no virtual dispatch): its body, modifiers
    /// and the internal/library functions it reaches.
    pub fn transitive(
        &self,
        ir: &ProjectIr<'_, '_>,
        contract: Option<DeclId>,
        function: DeclId,
    ) -> Arc<AccessSet> {
        let key = (contract, function);
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let graph = ir.call_graph();
        let mut sets = Sets::default();
        for f in graph.reachable_in(ir, contract, function) {
            if let Some(d) = self.direct.get(&f) {
                sets.add_set(d);
            }
            for edge in graph.callees_in(ir, contract, f) {
                if let (Some(callee), true) = (edge.callee, edge.kind.shares_storage()) {
                    self.mapped_param_effects(&edge, callee, &mut sets.reads, &mut sets.writes);
                }
            }
        }
        let set = Arc::new(AccessSet::from_sets(sets));
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, set.clone());
        }
        set
    }

    /// What the CFG node `node` of `function` reads and writes, including
    /// everything the internal/library calls made there do.
    pub fn at_node(
        &self,
        ir: &ProjectIr<'_, '_>,
        contract: Option<DeclId>,
        function: DeclId,
        node: NodeIx,
    ) -> AccessSet {
        let mut sets = Sets::default();
        if let Some(f) = ir.function_ir(function) {
            sets.add_facts(f.facts(node));
        }
        for edge in ir.call_graph().callees_in(ir, contract, function) {
            if edge.node != Some(node) || !edge.kind.shares_storage() {
                continue;
            }
            let Some(callee) = edge.callee else { continue };
            let sub = self.transitive(ir, contract, callee);
            sets.add_set(&sub);
            self.mapped_param_effects(&edge, callee, &mut sets.reads, &mut sets.writes);
        }
        AccessSet::from_sets(sets)
    }
}
