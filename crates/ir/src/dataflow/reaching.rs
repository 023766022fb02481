//! Reaching definitions of local variables, and the def-use chains they
//! give.
//!
//! A definition is a (node, variable) pair from [`NodeFacts::defs`]; a
//! strong definition (`x = e`) kills the others of its variable, a weak one
//! (`x[i] = e`) does not. Parameters are defined at `entry`.

use std::collections::HashMap;

use bulwark_sema::DeclId;

use super::{solve, Analysis, BitSet, Direction, Solution};
use crate::cfg::{Cfg, NodeIx};
use crate::facts::NodeFacts;

/// One definition site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DefSite {
    pub node: NodeIx,
    pub var: DeclId,
}

/// Reaching definitions of one function.
#[derive(Clone, Debug)]
pub struct ReachingDefs {
    defs: Vec<DefSite>,
    by_var: HashMap<DeclId, Vec<usize>>,
    solution: Solution<BitSet>,
}

struct Problem<'f> {
    facts: &'f [NodeFacts],
    /// Definition indices generated at each node, and whether they kill.
    gen: Vec<Vec<(usize, bool)>>,
    by_var: &'f HashMap<DeclId, Vec<usize>>,
    defs: &'f [DefSite],
    n_defs: usize,
}

impl<'a> Analysis<'a> for Problem<'_> {
    type Fact = BitSet;
    const DIRECTION: Direction = Direction::Forward;

    fn bottom(&self, _: &Cfg<'a>) -> BitSet {
        BitSet::new(self.n_defs)
    }

    fn boundary(&self, _: &Cfg<'a>) -> BitSet {
        BitSet::new(self.n_defs)
    }

    fn join(&self, into: &mut BitSet, from: &BitSet) -> bool {
        into.union_with(from)
    }

    fn transfer(&self, _: &Cfg<'a>, node: NodeIx, fact: &BitSet, out: &mut BitSet) {
        out.clone_from(fact);
        for &(d, strong) in &self.gen[node.index()] {
            if strong {
                let var = self.defs[d].var;
                for &other in &self.by_var[&var] {
                    out.remove(other);
                }
            }
        }
        for &(d, _) in &self.gen[node.index()] {
            out.insert(d);
        }
        let _ = self.facts;
    }
}

impl ReachingDefs {
    /// Solves reaching definitions for `cfg` with per-node `facts`
    /// (indexed like the CFG's nodes).
    pub fn compute(cfg: &Cfg<'_>, facts: &[NodeFacts]) -> ReachingDefs {
        let mut defs = Vec::new();
        let mut by_var: HashMap<DeclId, Vec<usize>> = HashMap::new();
        let mut gen = vec![Vec::new(); cfg.len()];
        for (ix, _) in cfg.nodes() {
            for d in &facts[ix.index()].defs {
                let i = defs.len();
                defs.push(DefSite {
                    node: ix,
                    var: d.var,
                });
                by_var.entry(d.var).or_default().push(i);
                gen[ix.index()].push((i, d.strong));
            }
        }
        let solution = {
            let problem = Problem {
                facts,
                gen,
                by_var: &by_var,
                defs: &defs,
                n_defs: defs.len(),
            };
            solve(cfg, &problem)
        };
        ReachingDefs {
            defs,
            by_var,
            solution,
        }
    }

    /// Every definition site.
    pub fn defs(&self) -> &[DefSite] {
        &self.defs
    }

    /// The nodes whose definition of `var` may reach the start of `node`.
    pub fn reaching(&self, node: NodeIx, var: DeclId) -> Vec<NodeIx> {
        let before = self.solution.before(node);
        self.by_var
            .get(&var)
            .into_iter()
            .flatten()
            .filter(|&&d| before.contains(d))
            .map(|&d| self.defs[d].node)
            .collect()
    }

    /// Def-use chain: the nodes that read `var` and that the definition of
    /// `var` at `def` reaches.
    pub fn uses_of(&self, facts: &[NodeFacts], def: NodeIx, var: DeclId) -> Vec<NodeIx> {
        let Some(d) = self
            .by_var
            .get(&var)
            .and_then(|ds| ds.iter().copied().find(|&d| self.defs[d].node == def))
        else {
            return Vec::new();
        };
        (0..facts.len())
            .filter(|&n| facts[n].uses.contains(&var) && self.solution.before[n].contains(d))
            .map(|n| NodeIx(n as u32))
            .collect()
    }
}
