//! Construction of a [`Cfg`] from a function or modifier body.
//!
//! The builder walks statements in source order keeping a list of
//! *pending* edges: the dangling out-edges that flow into whatever node is
//! created next. Branches save and merge pending lists instead of creating
//! join nodes; `break` and `continue` move the current pending edges to
//! their loop's target. Code after a `return` gets no pending edges, so it
//! is built (dead-code detectors see it) but unreachable from `entry`.

use bulwark_syntax::ast::{
    Block, Expr, ExprKind, FunctionDefinition, Literal, Stmt, StmtKind, TryStmt,
};
use bulwark_syntax::Span;

use super::assembly::summarize;
use super::{Cfg, CfgNode, ConditionOrigin, EdgeKind, NodeIx, NodeKind};
use crate::walk::{call_args, unparen};

/// How an expression statement affects control flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementEffect {
    /// Continues to the next statement.
    Continues,
    /// May revert, otherwise continues (`require(c)`, `assert(c)`).
    MayRevert,
    /// Always reverts (`revert(...)`, `require(false)`).
    Reverts,
    /// Ends the call frame successfully (`selfdestruct(a)`).
    Halts,
}

/// Decides the [`StatementEffect`] of an expression statement. The CFG
/// builder cannot tell `require` the built-in from a user function named
/// `require`; the semantic layer can, so it is asked through this trait.
pub trait TerminatorOracle<'a> {
    fn effect(&self, stmt_expr: &'a Expr) -> StatementEffect;
}

/// Decides by the callee's name, ignoring shadowing. Used when no semantic
/// model is at hand (tests) and as the fallback of the semantic oracle.
pub struct SyntacticOracle;

impl<'a> TerminatorOracle<'a> for SyntacticOracle {
    fn effect(&self, stmt_expr: &'a Expr) -> StatementEffect {
        syntactic_effect(stmt_expr)
    }
}

/// The effect of an expression statement judged by the callee's name.
pub fn syntactic_effect(stmt_expr: &Expr) -> StatementEffect {
    let ExprKind::Call { callee, args } = &unparen(stmt_expr).kind else {
        return StatementEffect::Continues;
    };
    let ExprKind::Ident(name) = &unparen(callee).kind else {
        return StatementEffect::Continues;
    };
    let first_is_false = call_args(args)
        .first()
        .is_some_and(|a| matches!(unparen(a).kind, ExprKind::Literal(Literal::Bool(false))));
    match name.name.as_str() {
        "require" | "assert" if first_is_false => StatementEffect::Reverts,
        "require" | "assert" => StatementEffect::MayRevert,
        "revert" => StatementEffect::Reverts,
        "selfdestruct" | "suicide" => StatementEffect::Halts,
        _ => StatementEffect::Continues,
    }
}

/// Builds the CFG of `function` (a function, constructor, fallback,
/// receive function or modifier). A declaration without body yields
/// `entry -> invocations -> exit`.
pub fn build_cfg<'a>(
    function: &'a FunctionDefinition,
    oracle: &dyn TerminatorOracle<'a>,
) -> Cfg<'a> {
    let mut b = Builder {
        nodes: Vec::new(),
        pending: Vec::new(),
        loops: Vec::new(),
        unchecked: 0,
        oracle,
    };
    let entry = b.new_node(NodeKind::Entry, function.span, None);
    let exit = b.new_node(NodeKind::Exit, function.span, None);
    let revert_exit = b.new_node(NodeKind::RevertExit, function.span, None);
    b.pending.push((entry, EdgeKind::Normal));
    for invocation in &function.modifiers {
        b.add(NodeKind::Invocation(invocation), invocation.span, None);
    }
    if let Some(body) = &function.body {
        b.block(body);
    }
    b.connect_pending(exit);
    let mut cfg = Cfg {
        nodes: b.nodes,
        rpo: Vec::new(),
        idom: std::sync::OnceLock::new(),
        entry,
        exit,
        revert_exit,
    };
    fill_preds(&mut cfg);
    cfg.rpo = cfg.compute_reverse_postorder();
    cfg
}

fn fill_preds(cfg: &mut Cfg<'_>) {
    let edges: Vec<(NodeIx, NodeIx)> = cfg
        .nodes()
        .flat_map(|(ix, n)| n.succs.iter().map(move |&(s, _)| (ix, s)))
        .collect();
    for (from, to) in edges {
        let preds = &mut cfg.nodes[to.index()].preds;
        if !preds.contains(&from) {
            preds.push(from);
        }
    }
}

type Pending = Vec<(NodeIx, EdgeKind)>;

struct LoopFrame {
    /// Where `continue` goes, when that node already exists (while loops);
    /// otherwise `continues` collects the edges until it is built.
    continue_target: Option<NodeIx>,
    continues: Pending,
    breaks: Pending,
}

struct Builder<'a, 'o> {
    nodes: Vec<CfgNode<'a>>,
    pending: Pending,
    loops: Vec<LoopFrame>,
    unchecked: u32,
    oracle: &'o dyn TerminatorOracle<'a>,
}

impl<'a> Builder<'a, '_> {
    fn new_node(&mut self, kind: NodeKind<'a>, span: Span, stmt: Option<&Stmt>) -> NodeIx {
        let ix = NodeIx(self.nodes.len() as u32);
        self.nodes.push(CfgNode {
            kind,
            span,
            stmt: stmt.map(|s| s.id),
            unchecked: self.unchecked > 0,
            loop_depth: self.loops.len() as u32,
            asm: None,
            succs: Vec::new(),
            preds: Vec::new(),
        });
        ix
    }

    fn edge(&mut self, from: NodeIx, to: NodeIx, kind: EdgeKind) {
        let succs = &mut self.nodes[from.index()].succs;
        if !succs.contains(&(to, kind)) {
            succs.push((to, kind));
        }
    }

    fn connect_pending(&mut self, to: NodeIx) {
        for (from, kind) in std::mem::take(&mut self.pending) {
            self.edge(from, to, kind);
        }
    }

    /// Creates a node fed by the pending edges; it becomes the only
    /// pending source (normal fall-through).
    fn add(&mut self, kind: NodeKind<'a>, span: Span, stmt: Option<&Stmt>) -> NodeIx {
        let ix = self.new_node(kind, span, stmt);
        self.connect_pending(ix);
        self.pending.push((ix, EdgeKind::Normal));
        ix
    }

    fn exit(&self) -> NodeIx {
        NodeIx(1)
    }

    fn revert_exit(&self) -> NodeIx {
        NodeIx(2)
    }

    fn block(&mut self, block: &'a Block) {
        for stmt in &block.stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt) {
        match &stmt.kind {
            StmtKind::Block(b) => self.block(b),
            StmtKind::Unchecked(b) => {
                self.unchecked += 1;
                self.block(b);
                self.unchecked -= 1;
            }
            StmtKind::VarDecl(d) => {
                self.add(NodeKind::VarDecl(d), stmt.span, Some(stmt));
            }
            StmtKind::Expr(e) => {
                let ix = self.add(NodeKind::Expr(e), stmt.span, Some(stmt));
                self.apply_effect(ix, self.oracle.effect(e));
            }
            StmtKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                let c = self.condition(cond, ConditionOrigin::If, stmt);
                self.pending = vec![(c, EdgeKind::True)];
                self.stmt(then_branch);
                let after_then = std::mem::replace(&mut self.pending, vec![(c, EdgeKind::False)]);
                if let Some(e) = else_branch {
                    self.stmt(e);
                }
                self.pending.extend(after_then);
            }
            StmtKind::While { cond, body } => {
                let c = self.condition(cond, ConditionOrigin::While, stmt);
                self.loop_body(c, Some(c), body, stmt);
                self.finish_loop(c, cond);
            }
            StmtKind::DoWhile { body, cond } => {
                let head = self.add(NodeKind::LoopStart, stmt.span, Some(stmt));
                self.loops.push(LoopFrame {
                    continue_target: None,
                    continues: Vec::new(),
                    breaks: Vec::new(),
                });
                self.nodes[head.index()].loop_depth += 1;
                self.stmt(body);
                let frame = self.loops.last_mut().expect("frame pushed above");
                let continues = std::mem::take(&mut frame.continues);
                self.pending.extend(continues);
                // The condition belongs to the loop (its depth counts the loop).
                let c = self.new_node(
                    NodeKind::Condition {
                        expr: cond,
                        origin: ConditionOrigin::DoWhile,
                    },
                    cond.span,
                    Some(stmt),
                );
                self.connect_pending(c);
                let frame = self.loops.pop().expect("frame pushed above");
                self.edge(c, head, EdgeKind::Back);
                self.pending = frame.breaks;
                if !is_true_literal(cond) {
                    self.pending.push((c, EdgeKind::False));
                }
            }
            StmtKind::For {
                init,
                cond,
                update,
                body,
            } => {
                if let Some(init) = init {
                    self.stmt(init);
                }
                let head = match cond {
                    Some(c) => self.condition(c, ConditionOrigin::For, stmt),
                    None => self.add(NodeKind::LoopStart, stmt.span, Some(stmt)),
                };
                // `continue` goes to the update expression, built after the body.
                self.loop_body(head, None, body, stmt);
                let frame = self.loops.last_mut().expect("loop_body leaves the frame");
                let continues = std::mem::take(&mut frame.continues);
                self.pending.extend(continues);
                if let Some(u) = update {
                    // Still inside the loop for depth purposes.
                    let ix = self.new_node(NodeKind::Expr(u), u.span, Some(stmt));
                    self.connect_pending(ix);
                    self.pending.push((ix, EdgeKind::Normal));
                }
                match cond {
                    Some(c) => self.finish_loop(head, c),
                    None => {
                        self.close_back_edges(head);
                        let frame = self.loops.pop().expect("loop_body leaves the frame");
                        self.pending = frame.breaks;
                    }
                }
            }
            StmtKind::Continue => {
                let pending = std::mem::take(&mut self.pending);
                let target = self.loops.last().and_then(|f| f.continue_target);
                match (target, self.loops.last_mut()) {
                    (Some(t), _) => {
                        for (from, _) in pending {
                            self.edge(from, t, EdgeKind::Continue);
                        }
                    }
                    (None, Some(frame)) => frame
                        .continues
                        .extend(pending.into_iter().map(|(f, _)| (f, EdgeKind::Continue))),
                    // `continue` outside a loop: sema reports it; the path ends.
                    (None, None) => {}
                }
            }
            StmtKind::Break => {
                let pending = std::mem::take(&mut self.pending);
                if let Some(frame) = self.loops.last_mut() {
                    frame
                        .breaks
                        .extend(pending.into_iter().map(|(f, _)| (f, EdgeKind::Break)));
                }
            }
            StmtKind::Return(e) => {
                let ix = self.add(NodeKind::Return(e.as_ref()), stmt.span, Some(stmt));
                self.pending.clear();
                self.edge(ix, self.exit(), EdgeKind::Halt);
            }
            StmtKind::Throw => {
                let ix = self.add(NodeKind::Throw, stmt.span, Some(stmt));
                self.pending.clear();
                self.edge(ix, self.revert_exit(), EdgeKind::Revert);
            }
            StmtKind::Revert { error, args } => {
                let ix = self.add(NodeKind::Revert { error, args }, stmt.span, Some(stmt));
                self.pending.clear();
                self.edge(ix, self.revert_exit(), EdgeKind::Revert);
            }
            StmtKind::Emit { event, args } => {
                self.add(NodeKind::Emit { event, args }, stmt.span, Some(stmt));
            }
            StmtKind::Try(t) => self.try_stmt(t, stmt),
            StmtKind::Assembly(a) => {
                let ix = self.add(NodeKind::Assembly(a), stmt.span, Some(stmt));
                let summary = summarize(&a.block);
                if summary.may_revert {
                    self.edge(ix, self.revert_exit(), EdgeKind::Revert);
                }
                if summary.may_halt {
                    self.edge(ix, self.exit(), EdgeKind::Halt);
                }
                if !summary.falls_through {
                    self.pending.clear();
                }
                self.nodes[ix.index()].asm = Some(Box::new(summary));
            }
            StmtKind::Placeholder => {
                self.add(NodeKind::Placeholder, stmt.span, Some(stmt));
            }
        }
    }

    fn apply_effect(&mut self, ix: NodeIx, effect: StatementEffect) {
        match effect {
            StatementEffect::Continues => {}
            StatementEffect::MayRevert => self.edge(ix, self.revert_exit(), EdgeKind::Revert),
            StatementEffect::Reverts => {
                self.pending.clear();
                self.edge(ix, self.revert_exit(), EdgeKind::Revert);
            }
            StatementEffect::Halts => {
                self.pending.clear();
                self.edge(ix, self.exit(), EdgeKind::Halt);
            }
        }
    }

    fn condition(&mut self, cond: &'a Expr, origin: ConditionOrigin, stmt: &Stmt) -> NodeIx {
        let ix = self.add(
            NodeKind::Condition { expr: cond, origin },
            cond.span,
            Some(stmt),
        );
        self.pending.clear();
        ix
    }

    /// Builds a loop body entered through the `True` edge of `head` (or the
    /// normal edge of a `LoopStart`), leaving its frame on the stack.
    fn loop_body(
        &mut self,
        head: NodeIx,
        continue_target: Option<NodeIx>,
        body: &'a Stmt,
        _stmt: &Stmt,
    ) {
        let entry_kind = match self.nodes[head.index()].kind {
            NodeKind::Condition { .. } => EdgeKind::True,
            _ => EdgeKind::Normal,
        };
        self.pending = vec![(head, entry_kind)];
        self.loops.push(LoopFrame {
            continue_target,
            continues: Vec::new(),
            breaks: Vec::new(),
        });
        // Nodes of the body are created with the frame pushed, so their
        // loop depth counts this loop; the header was created outside it,
        // which is fixed up here.
        self.nodes[head.index()].loop_depth += 1;
        self.stmt(body);
    }

    /// Closes a loop whose header is the condition node `head`.
    fn finish_loop(&mut self, head: NodeIx, cond: &Expr) {
        self.close_back_edges(head);
        let frame = self.loops.pop().expect("loop_body leaves the frame");
        self.pending = frame.breaks;
        if !is_true_literal(cond) {
            self.pending.push((head, EdgeKind::False));
        }
    }

    fn close_back_edges(&mut self, head: NodeIx) {
        for (from, kind) in std::mem::take(&mut self.pending) {
            let kind = if kind == EdgeKind::Normal {
                EdgeKind::Back
            } else {
                kind
            };
            self.edge(from, head, kind);
        }
    }

    fn try_stmt(&mut self, t: &'a TryStmt, stmt: &'a Stmt) {
        let call = self.add(NodeKind::Try(t), t.expr.span, Some(stmt));
        self.pending = vec![(call, EdgeKind::TrySuccess)];
        self.add(NodeKind::TrySuccess(t), t.body.span, None);
        self.block(&t.body);
        let mut after = std::mem::take(&mut self.pending);
        for (i, clause) in t.catches.iter().enumerate() {
            self.pending = vec![(call, EdgeKind::Catch(i as u16))];
            self.add(NodeKind::Catch(clause), clause.span, None);
            self.block(&clause.body);
            after.append(&mut self.pending);
        }
        self.pending = after;
    }
}

fn is_true_literal(e: &Expr) -> bool {
    matches!(unparen(e).kind, ExprKind::Literal(Literal::Bool(true)))
}
