//! The solver on a hand-written backward problem (liveness) and reaching
//! definitions on a real function.

use bulwark_sema::DeclId;

use super::reaching::ReachingDefs;
use super::{solve, Analysis, BitSet, Direction};
use crate::cfg::{Cfg, NodeIx};
use crate::facts::NodeFacts;
use crate::testutil::{func, names, node, Fixture};
use crate::ProjectIr;

/// Live locals: a backward may-problem over declaration indices.
struct Liveness<'f> {
    facts: &'f [NodeFacts],
    vars: Vec<DeclId>,
}

impl<'a> Analysis<'a> for Liveness<'_> {
    type Fact = BitSet;
    const DIRECTION: Direction = Direction::Backward;

    fn bottom(&self, _: &Cfg<'a>) -> BitSet {
        BitSet::new(self.vars.len())
    }

    fn boundary(&self, _: &Cfg<'a>) -> BitSet {
        BitSet::new(self.vars.len())
    }

    fn join(&self, into: &mut BitSet, from: &BitSet) -> bool {
        into.union_with(from)
    }

    fn transfer(&self, _: &Cfg<'a>, node: NodeIx, live_out: &BitSet, live: &mut BitSet) {
        let facts = &self.facts[node.index()];
        live.clone_from(live_out);
        for d in facts.defs.iter().filter(|d| d.strong) {
            if let Some(i) = self.vars.iter().position(|&v| v == d.var) {
                live.remove(i);
            }
        }
        for u in &facts.uses {
            if let Some(i) = self.vars.iter().position(|v| v == u) {
                live.insert(i);
            }
        }
    }
}

const LOOP: &str = "pragma solidity ^0.8.0;
contract C {
    function f(uint n) public pure returns (uint) {
        uint acc = 0;
        uint i = 0;
        while (i < n) {
            acc = acc + i;
            i++;
        }
        uint dead = 7;
        return acc;
    }
}";

#[test]
fn backward_liveness_through_a_loop() {
    let fx = Fixture::new(LOOP);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let f = ir.function_ir(func(&model, "C", "f")).unwrap();
    let src = fx.source();
    let mut vars: Vec<DeclId> = f
        .all_facts()
        .iter()
        .flat_map(|x| x.defs.iter().map(|d| d.var))
        .collect();
    vars.sort();
    vars.dedup();
    let problem = Liveness {
        facts: f.all_facts(),
        vars: vars.clone(),
    };
    let sol = solve(&f.cfg, &problem);
    let live_at = |text: &str| -> Vec<String> {
        let n = node(f, src, text);
        names(&model, sol.before(n).iter().map(|i| vars[i]))
    };
    // At the loop condition, acc, i and n are live (the loop reads them).
    assert_eq!(live_at("i < n"), ["acc", "i", "n"]);
    // `dead` is never read: not live after its definition.
    let d = node(f, src, "uint dead");
    assert!(names(&model, sol.after(d).iter().map(|i| vars[i])) == ["acc"]);
    // Before `acc = 0`, acc is dead (it is overwritten).
    assert_eq!(live_at("uint acc"), ["n"]);
}

#[test]
fn reaching_definitions_and_def_use_chains() {
    let fx = Fixture::new(LOOP);
    let model = fx.model();
    let ir = ProjectIr::new(&model);
    let f = ir.function_ir(func(&model, "C", "f")).unwrap();
    let src = fx.source();
    let rd: &ReachingDefs = f.reaching_defs();
    let acc = f.facts(node(f, src, "uint acc")).defs[0].var;
    let init = node(f, src, "uint acc");
    let update = node(f, src, "acc = acc + i");
    let ret = node(f, src, "return acc");
    // Both the initialisation and the loop update reach the return.
    let mut reaching = rd.reaching(ret, acc);
    reaching.sort();
    assert_eq!(reaching, [init, update]);
    // Only the initialisation... and the update itself (loop) reach the update.
    let mut at_update = rd.reaching(update, acc);
    at_update.sort();
    assert_eq!(at_update, [init, update]);
    // Def-use: the initialisation is used by the update and the return.
    let mut uses = rd.uses_of(f.all_facts(), init, acc);
    uses.sort();
    assert_eq!(uses, [update, ret]);
    // A strong redefinition kills: the parameter's entry definition of `n`
    // is the only one.
    let n = f.facts(f.cfg.entry).defs[0].var;
    assert_eq!(rd.reaching(ret, n), [f.cfg.entry]);
}

#[test]
fn bitset_basics() {
    let mut a = BitSet::new(10);
    assert!(a.insert(3));
    assert!(!a.insert(3));
    assert!(a.insert(130));
    let mut b = BitSet::new(0);
    assert!(b.union_with(&a));
    assert!(!b.union_with(&a));
    assert_eq!(b.iter().collect::<Vec<_>>(), [3, 130]);
    b.remove(3);
    assert!(!b.contains(3) && b.contains(130));
}
