//! Control-flow graph of one function or modifier body.
//!
//! Granularity follows Slither: one node per simple statement and one per
//! condition (an `if`/loop condition is its own node with `True`/`False`
//! out-edges). Expressions are not split: short-circuit `&&`/`||` and `?:`
//! stay inside their node. There are no join nodes; a node may have many
//! predecessors.
//!
//! Every CFG has three distinguished nodes: `entry`, the normal `exit`
//! (reached by `return`, falling off the end, or halting successfully with
//! `selfdestruct` / assembly `return`/`stop`) and `revert_exit` (reached by
//! `throw`, `revert`, failing `require`/`assert`, assembly `revert`/`invalid`).
//! A detector asking "does this path end in a revert" compares against
//! `revert_exit`.
//!
//! Modifiers are **linked, not inlined**: a function's CFG starts with one
//! [`NodeKind::Invocation`] node per modifier or base-constructor invocation
//! (in source order), which evaluates the arguments; the modifier's own body
//! has its own CFG with a [`NodeKind::Placeholder`] node at `_;`. Inlining
//! would mix nodes of several source files (a base contract's modifier
//! lives elsewhere) and several parameter scopes in one graph; the guard
//! analysis ([`crate::guards`]) instead composes the modifier CFGs with the
//! function's, which is what the detectors need.
//!
//! Nodes borrow the AST (`'a`), so a detector can go from a node to the
//! expression it evaluates without a lookup table.

mod assembly;
mod build;
#[cfg(test)]
mod tests;

pub use assembly::{AsmCall, AsmCallKind, AsmSummary};
pub use build::{build_cfg, syntactic_effect, StatementEffect, SyntacticOracle, TerminatorOracle};

use bulwark_syntax::ast::{
    AssemblyStmt, CallArgs, CallArgsKind, CatchClause, Expr, ModifierInvocation, NamedArg, NodeId,
    TryStmt, VarDeclStmt,
};
use bulwark_syntax::Span;

/// Index of a node in its [`Cfg`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeIx(pub u32);

impl NodeIx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Why control moves along an edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// Fall-through to the next statement.
    Normal,
    /// Condition held.
    True,
    /// Condition failed.
    False,
    /// From the end of a loop body (or its update expression) back to the
    /// loop header.
    Back,
    /// `break` out of a loop.
    Break,
    /// `continue` to the next iteration.
    Continue,
    /// `try` call succeeded.
    TrySuccess,
    /// `try` call reverted and was caught by the catch clause with this
    /// index (source order).
    Catch(u16),
    /// To `revert_exit`: `throw`, `revert`, a failing `require`/`assert`,
    /// assembly `revert`/`invalid`.
    Revert,
    /// To `exit` without returning through the function's tail:
    /// `return`, `selfdestruct`, assembly `return`/`stop`.
    Halt,
}

/// Which statement a condition node decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConditionOrigin {
    If,
    While,
    DoWhile,
    For,
}

/// What a node does.
#[derive(Clone, Copy, Debug)]
pub enum NodeKind<'a> {
    /// Parameters are defined here.
    Entry,
    /// Normal end of the body.
    Exit,
    /// Every reverting path ends here.
    RevertExit,
    /// A modifier or base-constructor invocation on the function header,
    /// evaluating its arguments (sema tells which of the two it is).
    Invocation(&'a ModifierInvocation),
    /// `T x = e;` and the tuple forms.
    VarDecl(&'a VarDeclStmt),
    /// An expression statement.
    Expr(&'a Expr),
    /// A branch or loop condition; out-edges `True` and `False`.
    Condition {
        expr: &'a Expr,
        origin: ConditionOrigin,
    },
    /// Header of a `do { } while` loop or of a `for` without a condition
    /// (no expression of its own).
    LoopStart,
    Return(Option<&'a Expr>),
    /// Legacy `throw;`.
    Throw,
    /// `revert Err(args);`
    Revert {
        error: &'a Expr,
        args: &'a CallArgs,
    },
    /// `emit E(args);`
    Emit {
        event: &'a Expr,
        args: &'a CallArgs,
    },
    /// The call of a `try` statement; out-edges `TrySuccess` and `Catch(i)`.
    Try(&'a TryStmt),
    /// Start of the success block: the `returns (...)` variables are defined here.
    TrySuccess(&'a TryStmt),
    /// Start of a catch clause: its parameters are defined here.
    Catch(&'a CatchClause),
    /// An inline assembly block, one opaque node with its effects summarised.
    Assembly(&'a AssemblyStmt),
    /// `_;` in a modifier: the modified function's body runs here.
    Placeholder,
}

/// One CFG node.
#[derive(Clone, Debug)]
pub struct CfgNode<'a> {
    pub kind: NodeKind<'a>,
    /// Source range of the statement (or of the condition expression).
    pub span: Span,
    /// The AST statement this node comes from (`None` for entry/exit,
    /// loop starts, invocations and try/catch branch starts).
    pub stmt: Option<NodeId>,
    /// Inside an `unchecked { }` block (0.8+): arithmetic wraps.
    pub unchecked: bool,
    /// Number of loops enclosing the node (0 outside loops).
    pub loop_depth: u32,
    /// Effects of an assembly block (empty for other nodes).
    pub asm: Option<Box<AsmSummary>>,
    succs: Vec<(NodeIx, EdgeKind)>,
    preds: Vec<NodeIx>,
}

impl<'a> CfgNode<'a> {
    /// Successors with the kind of each edge.
    pub fn succs(&self) -> &[(NodeIx, EdgeKind)] {
        &self.succs
    }

    pub fn preds(&self) -> &[NodeIx] {
        &self.preds
    }

    /// The root expressions this node evaluates, in evaluation order
    /// (sub-expressions are reached by walking them). Allocation-free.
    pub fn exprs(&self) -> NodeExprs<'a> {
        fn args(a: &CallArgs) -> NodeExprs<'_> {
            match &a.kind {
                CallArgsKind::Positional(v) => NodeExprs::Positional(v.iter()),
                CallArgsKind::Named(v) => NodeExprs::Named(v.iter()),
            }
        }
        match self.kind {
            NodeKind::Entry
            | NodeKind::Exit
            | NodeKind::RevertExit
            | NodeKind::LoopStart
            | NodeKind::Throw
            | NodeKind::TrySuccess(_)
            | NodeKind::Catch(_)
            | NodeKind::Assembly(_)
            | NodeKind::Placeholder => NodeExprs::One(None),
            NodeKind::Invocation(inv) => inv.args.as_ref().map_or(NodeExprs::One(None), args),
            NodeKind::VarDecl(d) => NodeExprs::One(d.init.as_ref()),
            NodeKind::Expr(e) | NodeKind::Condition { expr: e, .. } => NodeExprs::One(Some(e)),
            NodeKind::Return(e) => NodeExprs::One(e),
            NodeKind::Revert { args: a, .. } => args(a),
            NodeKind::Emit { args: a, .. } => args(a),
            NodeKind::Try(t) => NodeExprs::One(Some(&t.expr)),
        }
    }
}

/// Iterator over a node's root expressions ([`CfgNode::exprs`]).
#[derive(Clone, Debug)]
pub enum NodeExprs<'a> {
    One(Option<&'a Expr>),
    Positional(std::slice::Iter<'a, Expr>),
    Named(std::slice::Iter<'a, NamedArg>),
}

impl<'a> Iterator for NodeExprs<'a> {
    type Item = &'a Expr;

    fn next(&mut self) -> Option<&'a Expr> {
        match self {
            NodeExprs::One(e) => e.take(),
            NodeExprs::Positional(it) => it.next(),
            NodeExprs::Named(it) => it.next().map(|n| &n.value),
        }
    }
}

/// The control-flow graph of one body.
#[derive(Clone, Debug)]
pub struct Cfg<'a> {
    nodes: Vec<CfgNode<'a>>,
    /// Reverse postorder from `entry`, computed once at construction.
    rpo: Vec<NodeIx>,
    /// Immediate dominators, computed on first use (see `compute_idom`).
    idom: std::sync::OnceLock<Vec<u32>>,
    pub entry: NodeIx,
    pub exit: NodeIx,
    pub revert_exit: NodeIx,
}

impl<'a> Cfg<'a> {
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node(&self, ix: NodeIx) -> &CfgNode<'a> {
        &self.nodes[ix.index()]
    }

    pub fn nodes(&self) -> impl Iterator<Item = (NodeIx, &CfgNode<'a>)> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (NodeIx(i as u32), n))
    }

    pub fn succs(&self, ix: NodeIx) -> impl Iterator<Item = NodeIx> + '_ {
        self.nodes[ix.index()].succs.iter().map(|&(s, _)| s)
    }

    pub fn preds(&self, ix: NodeIx) -> &[NodeIx] {
        &self.nodes[ix.index()].preds
    }

    /// The node built for the AST statement `stmt` (the first one, for a
    /// `for` loop: its initialiser's or condition's node).
    pub fn node_of_stmt(&self, stmt: NodeId) -> Option<NodeIx> {
        self.nodes()
            .find(|(_, n)| n.stmt == Some(stmt))
            .map(|(ix, _)| ix)
    }

    /// The node whose root expressions contain the expression `expr`.
    pub fn node_of_expr(&self, expr: NodeId) -> Option<NodeIx> {
        self.nodes().find_map(|(ix, n)| {
            n.exprs()
                .any(|root| contains_expr(root, expr))
                .then_some(ix)
        })
    }

    /// Nodes reachable from `entry`, in reverse postorder (a topological
    /// order when back edges are ignored: the usual iteration order for
    /// forward data-flow problems).
    pub fn reverse_postorder(&self) -> &[NodeIx] {
        &self.rpo
    }

    pub(crate) fn compute_reverse_postorder(&self) -> Vec<NodeIx> {
        let mut order = Vec::with_capacity(self.nodes.len());
        let mut visited = vec![false; self.nodes.len()];
        // Iterative DFS: (node, next successor index).
        let mut stack = vec![(self.entry, 0usize)];
        visited[self.entry.index()] = true;
        while let Some((ix, i)) = stack.last_mut() {
            let node = &self.nodes[ix.index()];
            if let Some(&(succ, _)) = node.succs.get(*i) {
                *i += 1;
                if !visited[succ.index()] {
                    visited[succ.index()] = true;
                    stack.push((succ, 0));
                }
            } else {
                order.push(*ix);
                stack.pop();
            }
        }
        order.reverse();
        order
    }

    /// Whether `to` can be reached from `from` by following edges
    /// (`from` reaches itself).
    pub fn reaches(&self, from: NodeIx, to: NodeIx) -> bool {
        let mut seen = vec![false; self.nodes.len()];
        let mut work = vec![from];
        while let Some(ix) = work.pop() {
            if ix == to {
                return true;
            }
            if std::mem::replace(&mut seen[ix.index()], true) {
                continue;
            }
            work.extend(self.succs(ix));
        }
        false
    }

    /// Whether every path from `entry` to `target` goes through `via`
    /// (`via` dominates `target`; vacuously true for unreachable targets).
    /// Uses the dominator tree, computed on first use.
    pub fn dominates(&self, via: NodeIx, target: NodeIx) -> bool {
        if via == target {
            return true;
        }
        let idom = self.idom.get_or_init(|| self.compute_idom());
        const NONE: u32 = u32::MAX;
        if idom[target.index()] == NONE {
            return true;
        }
        if idom[via.index()] == NONE {
            return false;
        }
        let mut t = target;
        while t != self.entry {
            t = NodeIx(idom[t.index()]);
            if t == via {
                return true;
            }
        }
        false
    }

    /// The immediate dominator of every node reachable from `entry`
    /// (`entry` is its own), `u32::MAX` for unreachable nodes: the
    /// iterative algorithm of Cooper, Harvey and Kennedy over reverse
    /// postorder.
    fn compute_idom(&self) -> Vec<u32> {
        const NONE: u32 = u32::MAX;
        let n = self.nodes.len();
        let mut order = vec![usize::MAX; n];
        for (i, ix) in self.rpo.iter().enumerate() {
            order[ix.index()] = i;
        }
        let mut idom = vec![NONE; n];
        idom[self.entry.index()] = self.entry.0;
        let intersect = |idom: &[u32], mut a: usize, mut b: usize| {
            while a != b {
                while order[a] > order[b] {
                    a = idom[a] as usize;
                }
                while order[b] > order[a] {
                    b = idom[b] as usize;
                }
            }
            a
        };
        let mut changed = true;
        while changed {
            changed = false;
            for &b in self.rpo.iter().skip(1) {
                let mut new_idom: Option<usize> = None;
                for &p in self.preds(b) {
                    if idom[p.index()] == NONE {
                        continue;
                    }
                    new_idom = Some(match new_idom {
                        None => p.index(),
                        Some(cur) => intersect(&idom, p.index(), cur),
                    });
                }
                if let Some(d) = new_idom {
                    if idom[b.index()] != d as u32 {
                        idom[b.index()] = d as u32;
                        changed = true;
                    }
                }
            }
        }
        idom
    }

    /// Nodes reachable from `from` (itself included), as a mask indexed
    /// by node.
    pub fn reachable_from(&self, from: NodeIx) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut work = vec![from];
        while let Some(ix) = work.pop() {
            if std::mem::replace(&mut seen[ix.index()], true) {
                continue;
            }
            work.extend(self.succs(ix));
        }
        seen
    }

    /// Graphviz rendering, one box per node labelled with its source text.
    pub fn to_dot(&self, source: &str, name: &str) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "digraph \"{}\" {{", escape(name));
        let _ = writeln!(out, "  node [shape=box fontname=\"monospace\"];");
        for (ix, n) in self.nodes() {
            let label = match n.kind {
                NodeKind::Entry => "ENTRY".to_string(),
                NodeKind::Exit => "EXIT".to_string(),
                NodeKind::RevertExit => "REVERT".to_string(),
                NodeKind::LoopStart => "LOOP".to_string(),
                _ => n.span.text(source).lines().next().unwrap_or("").to_string(),
            };
            let _ = writeln!(out, "  n{} [label=\"{}\"];", ix.0, escape(&label));
        }
        for (ix, n) in self.nodes() {
            for &(s, kind) in &n.succs {
                let _ = writeln!(out, "  n{} -> n{} [label=\"{:?}\"];", ix.0, s.0, kind);
            }
        }
        out.push_str("}\n");
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Whether `root` is or contains the expression with id `id`.
pub(crate) fn contains_expr(root: &Expr, id: NodeId) -> bool {
    let mut found = false;
    crate::walk::walk_expr(root, &mut |e| {
        if e.id == id {
            found = true;
        }
    });
    found
}
