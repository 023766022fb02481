//! A generic monotone data-flow framework over [`Cfg`]s, and the analyses
//! built on it.
//!
//! An analysis names its fact type, a direction, the fact at the boundary
//! (entry for forward problems, both exits for backward ones), how two
//! facts join and how a node transforms a fact. [`solve`] runs a worklist
//! to the fixpoint, starting from reverse postorder (or postorder for
//! backward problems) so most nodes are visited once per round.
//!
//! Edge-insensitive: a condition's `True` and `False` successors receive
//! the same fact. Unreachable nodes keep the bottom fact.

pub mod reaching;

use std::collections::VecDeque;

use crate::cfg::{Cfg, NodeIx};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

/// A data-flow problem.
pub trait Analysis<'a> {
    type Fact: Clone + PartialEq;

    const DIRECTION: Direction;

    /// The fact of nodes not yet reached (the lattice's least element).
    fn bottom(&self, cfg: &Cfg<'a>) -> Self::Fact;

    /// The fact flowing into the entry (forward) or out of the exits
    /// (backward).
    fn boundary(&self, cfg: &Cfg<'a>) -> Self::Fact;

    /// Joins `from` into `into`; returns whether `into` changed.
    fn join(&self, into: &mut Self::Fact, from: &Self::Fact) -> bool;

    /// Writes into `out` the fact after `node` (forward: out from in;
    /// backward: in from out). `out` holds a stale fact of the right shape
    /// and must be overwritten entirely (`out.clone_from(fact)` then edit:
    /// reusing its allocation keeps the solver from allocating per visit).
    fn transfer(&self, cfg: &Cfg<'a>, node: NodeIx, fact: &Self::Fact, out: &mut Self::Fact);
}

/// Facts at every node: `before[n]` holds before `n` executes and
/// `after[n]` after it, whatever the direction.
#[derive(Clone, Debug)]
pub struct Solution<F> {
    pub before: Vec<F>,
    pub after: Vec<F>,
}

impl<F> Solution<F> {
    pub fn before(&self, node: NodeIx) -> &F {
        &self.before[node.index()]
    }

    pub fn after(&self, node: NodeIx) -> &F {
        &self.after[node.index()]
    }
}

/// Runs `analysis` on `cfg` to its fixpoint.
pub fn solve<'a, A: Analysis<'a>>(cfg: &Cfg<'a>, analysis: &A) -> Solution<A::Fact> {
    let n = cfg.len();
    let bottom = analysis.bottom(cfg);
    // `input[n]` is the fact flowing into the transfer function of n (the
    // "before" fact for forward problems, the "after" fact for backward).
    let mut input = vec![bottom.clone(); n];
    let mut output = vec![bottom; n];
    let forward = A::DIRECTION == Direction::Forward;

    let mut order = cfg.reverse_postorder().to_vec();
    let boundary_nodes: Vec<NodeIx> = if forward {
        vec![cfg.entry]
    } else {
        order.reverse();
        vec![cfg.exit, cfg.revert_exit]
    };
    let boundary = analysis.boundary(cfg);
    for &b in &boundary_nodes {
        input[b.index()] = boundary.clone();
    }

    let mut queued = vec![false; n];
    let mut work: VecDeque<NodeIx> = VecDeque::with_capacity(n);
    for ix in order {
        queued[ix.index()] = true;
        work.push_back(ix);
    }
    // Backward problems start at the exits even when no path from entry
    // reaches them (a body that always reverts never reaches `exit`).
    for &b in &boundary_nodes {
        if !queued[b.index()] {
            queued[b.index()] = true;
            work.push_back(b);
        }
    }

    let mut first_visit = vec![true; n];
    let mut scratch = analysis.bottom(cfg);
    let mut next: Vec<NodeIx> = Vec::new();
    while let Some(ix) = work.pop_front() {
        queued[ix.index()] = false;
        analysis.transfer(cfg, ix, &input[ix.index()], &mut scratch);
        let changed =
            std::mem::replace(&mut first_visit[ix.index()], false) || scratch != output[ix.index()];
        if !changed {
            continue;
        }
        std::mem::swap(&mut output[ix.index()], &mut scratch);
        next.clear();
        if forward {
            next.extend(cfg.succs(ix));
        } else {
            next.extend_from_slice(cfg.preds(ix));
        }
        for &s in &next {
            let grew = analysis.join(&mut input[s.index()], &output[ix.index()]);
            if (grew || first_visit[s.index()]) && !queued[s.index()] {
                queued[s.index()] = true;
                work.push_back(s);
            }
        }
    }

    if forward {
        Solution {
            before: input,
            after: output,
        }
    } else {
        Solution {
            before: output,
            after: input,
        }
    }
}

/// A growable bit set, the usual fact of gen/kill problems.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    pub fn new(bits: usize) -> BitSet {
        BitSet {
            words: vec![0; bits.div_ceil(64)],
        }
    }

    pub fn insert(&mut self, i: usize) -> bool {
        let (w, b) = (i / 64, i % 64);
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        let before = self.words[w];
        self.words[w] |= 1 << b;
        before != self.words[w]
    }

    pub fn remove(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }

    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// `self |= other`; returns whether `self` changed.
    pub fn union_with(&mut self, other: &BitSet) -> bool {
        if other.words.len() > self.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        let mut changed = false;
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            let before = *a;
            *a |= b;
            changed |= before != *a;
        }
        changed
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            (0..64)
                .filter(move |b| word & (1 << b) != 0)
                .map(move |b| w * 64 + b)
        })
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }
}

#[cfg(test)]
mod tests;
