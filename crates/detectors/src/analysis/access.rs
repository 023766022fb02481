//! Access control as an auditor judges it: a statement is protected when
//! every way an outsider can reach it passes a check on `msg.sender`, and
//! that check compares the caller with an authority nobody else can
//! rewrite.
//!
//! The IR's guard analysis ([`bulwark_ir::guards`]) recognises sender
//! checks by behaviour. This module adds the two questions detectors need
//! on top, which belong in the IR eventually:
//! - *soundness of an authority*: every write of the variables a check
//!   reads happens in a constructor or behind a sound check itself (an
//!   owner that any caller can overwrite protects nothing; a membership
//!   set that only members extend does);
//! - *open entry points*: which externally callable function reaches a
//!   given statement, through internal calls and modifiers, without
//!   passing a sound check.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use bulwark_ir::cfg::{NodeIx, NodeKind};
use bulwark_ir::facts::CallSiteKind;
use bulwark_ir::taint::Source;
use bulwark_ir::walk::unparen;
use bulwark_ir::{CallEdgeKind, FunctionIr, SenderCheck, Taint};
use bulwark_sema::{Builtin, DeclId, ModifierTarget, VarMutability};
use bulwark_syntax::ast::{BinaryOp, Expr, ExprKind, FunctionKind, UnaryOp};

use crate::analysis::conditions::{
    equality, is_guard, passing_clauses, require_conditions, tested,
};
use crate::analysis::expr::{conjuncts, mentions_builtin};
use crate::analysis::provenance::{origins, Origin};
use crate::detector::AnalysisContext;

/// Memoised access-control questions over one analysis. Not shared between
/// threads: each detector run builds its own (the answers are cheap).
pub struct Access<'c, 'a> {
    cx: &'c AnalysisContext<'a>,
    /// Authority variable → sound. An entry of `true` is inserted while a
    /// variable is being decided, so that a set guarded by itself
    /// (`admins` extended only by admins) is sound.
    sound: RefCell<HashMap<DeclId, bool>>,
    /// Function → it compares the caller with a fixed identity on every
    /// path to its normal exit (`None` while being decided).
    always_fixed: RefCell<HashMap<DeclId, Option<bool>>>,
}

impl<'c, 'a> Access<'c, 'a> {
    pub fn new(cx: &'c AnalysisContext<'a>) -> Self {
        Access {
            cx,
            sound: RefCell::new(HashMap::new()),
            always_fixed: RefCell::new(HashMap::new()),
        }
    }

    /// Whether `function` can be called from outside: public or external,
    /// fallback and receive functions; not constructors or modifiers.
    pub fn is_entry_point(&self, function: DeclId) -> bool {
        self.cx.model.function(function).is_some_and(|f| {
            f.has_body()
                && match f.kind {
                    FunctionKind::Fallback | FunctionKind::Receive => true,
                    FunctionKind::Function => f.is_externally_callable(),
                    FunctionKind::Constructor | FunctionKind::Modifier => false,
                }
        })
    }

    /// Whether the check compares the caller with sound authorities only.
    pub fn check_is_sound(&self, check: &SenderCheck) -> bool {
        check.state_vars.iter().all(|&v| self.authority_is_sound(v))
    }

    /// Whether every write of `var` is made by a constructor, or behind a
    /// sound sender check (constants and immutables are always sound).
    pub fn authority_is_sound(&self, var: DeclId) -> bool {
        if let Some(info) = self.cx.model.state_var(var) {
            if matches!(
                info.mutability,
                VarMutability::Constant | VarMutability::Immutable
            ) {
                return true;
            }
        }
        if let Some(&known) = self.sound.borrow().get(&var) {
            return known;
        }
        self.sound.borrow_mut().insert(var, true);
        let sound = self.open_write_of(var).is_none();
        self.sound.borrow_mut().insert(var, sound);
        sound
    }

    /// A write of `var` that an outsider can reach: the writing function
    /// and node.
    pub fn open_write_of(&self, var: DeclId) -> Option<(DeclId, NodeIx)> {
        let taint = self.cx.ir.taint();
        taint
            .writes_of(var)
            .iter()
            .find(|w| self.open_entry(w.function, w.node).is_some())
            .map(|w| (w.function, w.node))
    }

    /// A write of `var` that an outsider can reach and whose stored value's
    /// taint satisfies `pred` (in the writer's terms: its parameters count
    /// as [`bulwark_ir::taint::Source::Param`]).
    pub fn open_write_matching(
        &self,
        var: DeclId,
        pred: impl Fn(Taint) -> bool,
    ) -> Option<(DeclId, NodeIx)> {
        let taint = self.cx.ir.taint();
        taint
            .writes_of(var)
            .iter()
            .filter(|w| pred(w.taint))
            .find(|w| self.open_entry(w.function, w.node).is_some())
            .map(|w| (w.function, w.node))
    }

    /// Whether `node` of `function` runs only after a sound sender check:
    /// a restricting modifier with a sound check, a sound check of the
    /// function's own that dominates the node, or an `if` on a sound
    /// sender comparison whose passing branch alone leads to the node
    /// (`if (msg.sender == newOwner) { owner = newOwner; }`).
    pub fn node_is_guarded(&self, function: DeclId, node: NodeIx) -> bool {
        let guards = self.cx.ir.guards().of(self.cx.ir, function);
        let by_modifier = guards.restricting_modifiers.iter().any(|&m| {
            guards
                .sender_checks
                .iter()
                .any(|c| c.function == m && self.check_is_sound(c) && !self.admits_outsiders(c))
        });
        if by_modifier || self.modifier_checks_fixed_identity(function) {
            return true;
        }
        let Some(f) = self.cx.ir.function_ir(function) else {
            return false;
        };
        guards.sender_checks.iter().any(|c| {
            c.function == function
                && c.node != node
                && f.cfg.dominates(c.node, node)
                && self.check_is_sound(c)
                && !self.admits_outsiders(c)
        }) || self
            .cx
            .ir
            .guards()
            .gating_checks(self.cx.ir, function, node)
            .iter()
            .any(|c| self.check_is_sound(c))
            || f.cfg.nodes().any(|(d, _)| {
                d != node && f.cfg.dominates(d, node) && self.checks_fixed_identity(f, d, 0)
            })
    }

    /// Whether a sender check only turns members of a set away
    /// (`require(!registered[msg.sender])`, one entry per address): every
    /// other caller passes, so it restricts nobody in particular. Read from
    /// `require` conditions, whose polarity is explicit.
    fn admits_outsiders(&self, check: &SenderCheck) -> bool {
        let Some(f) = self.cx.ir.function_ir(check.function) else {
            return false;
        };
        let taint = self.cx.ir.taint();
        let conds = require_conditions(f, check.node);
        !conds.is_empty()
            && conds.iter().all(|cond| {
                let about_sender: Vec<&Expr> = conjuncts(cond)
                    .into_iter()
                    .filter(|p| taint.expr(self.cx.ir, f.decl, p.id).has(Source::MsgSender))
                    .collect();
                !about_sender.is_empty()
                    && about_sender.iter().all(|p| {
                        matches!(
                            &unparen(p).kind,
                            ExprKind::Unary { op: UnaryOp::Not, operand }
                                if matches!(unparen(operand).kind, ExprKind::Index { .. })
                        )
                    })
            })
    }

    /// Whether a modifier applied to `function` lets its body run only
    /// after a fixed-identity check.
    fn modifier_checks_fixed_identity(&self, function: DeclId) -> bool {
        let Some(info) = self.cx.model.function(function) else {
            return false;
        };
        info.modifiers.iter().any(|m| {
            let ModifierTarget::Modifier(m) = m.target else {
                return false;
            };
            let Some(mf) = self.cx.ir.function_ir(m) else {
                return false;
            };
            let placeholders: Vec<NodeIx> = mf
                .cfg
                .nodes()
                .filter(|(_, n)| matches!(n.kind, NodeKind::Placeholder))
                .map(|(ix, _)| ix)
                .collect();
            !placeholders.is_empty()
                && placeholders.iter().all(|&p| {
                    mf.cfg.nodes().any(|(d, _)| {
                        d != p && mf.cfg.dominates(d, p) && self.checks_fixed_identity(mf, d, 0)
                    })
                })
        })
    }

    /// Whether `node` reverts unless the caller is a fixed identity — this
    /// contract, a constant, or the value of a function of neither state
    /// nor input (`msg.sender == address(this)`, `msg.sender ==
    /// entryPoint()`) — directly or through an internal helper that makes
    /// such a check on every path. The IR's sender checks need a state
    /// variable on the other side; these complete them.
    fn checks_fixed_identity(&self, f: &FunctionIr<'_>, node: NodeIx, depth: u32) -> bool {
        if is_guard(f, node) {
            let fixed = tested(f, node).into_iter().any(|cond| {
                let clauses = passing_clauses(f, node, cond);
                !clauses.is_empty()
                    && clauses.iter().all(|clause| {
                        clause.iter().any(|l| {
                            equality(l).is_some_and(|(a, b)| {
                                let ta = self.identity_taint(f, a);
                                let tb = self.identity_taint(f, b);
                                (ta.has(Source::MsgSender) && tb.is_empty())
                                    || (tb.has(Source::MsgSender) && ta.is_empty())
                            })
                        })
                    })
            });
            if fixed {
                return true;
            }
        }
        if depth > 4 {
            return false;
        }
        f.facts(node).calls.iter().any(|c| {
            let CallSiteKind::Internal { function, .. } = c.kind else {
                return false;
            };
            let callee = match f.contract {
                Some(contract) => self.cx.model.dispatch(contract, function),
                None => function,
            };
            self.always_checks_fixed_identity(callee, depth + 1)
        })
    }

    /// The taint of `e` with an internal call resolved to the function that
    /// runs in `f`'s own contract (`_executor()` is `address(this)` in
    /// `Governor` whatever its overrides elsewhere return).
    fn identity_taint(&self, f: &FunctionIr<'_>, e: &bulwark_syntax::ast::Expr) -> Taint {
        let taint = self.cx.ir.taint();
        let e = crate::analysis::expr::strip_conversions(self.cx, f.file, e);
        let site = f
            .node_of_expr(e.id)
            .and_then(|n| f.facts(n).calls.iter().find(|c| c.expr == e.id));
        let Some(CallSiteKind::Internal { function, .. }) = site.map(|c| &c.kind) else {
            return taint.expr(self.cx.ir, f.decl, e.id);
        };
        let callee = match f.contract {
            Some(contract) => self.cx.model.dispatch(contract, *function),
            None => *function,
        };
        let summary = taint.summary(callee);
        let mut out = summary.intrinsic;
        for (i, &arg) in site
            .map(|c| c.args.as_slice())
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if summary.param_mask & (1 << i.min(63)) != 0 {
                out.join(taint.expr(self.cx.ir, f.decl, arg));
            }
        }
        out
    }

    fn always_checks_fixed_identity(&self, function: DeclId, depth: u32) -> bool {
        if let Some(known) = self.always_fixed.borrow().get(&function) {
            return known.unwrap_or(false);
        }
        self.always_fixed.borrow_mut().insert(function, None);
        let result = self.cx.ir.function_ir(function).is_some_and(|g| {
            g.cfg.reaches(g.cfg.entry, g.cfg.exit)
                && g.cfg.nodes().any(|(d, _)| {
                    g.cfg.dominates(d, g.cfg.exit) && self.checks_fixed_identity(g, d, depth)
                })
        });
        self.always_fixed
            .borrow_mut()
            .insert(function, Some(result));
        result
    }

    /// An externally callable function from which `node` of `function` is
    /// reachable without passing a sound sender check (through internal
    /// calls and modifier applications), or `None` when every such path is
    /// guarded or the statement only runs at construction.
    pub fn open_entry(&self, function: DeclId, node: NodeIx) -> Option<DeclId> {
        let mut seen = HashSet::new();
        self.open_entry_from(function, node, &mut seen)
    }

    fn open_entry_from(
        &self,
        function: DeclId,
        node: NodeIx,
        seen: &mut HashSet<(DeclId, NodeIx)>,
    ) -> Option<DeclId> {
        if !seen.insert((function, node)) || self.node_is_guarded(function, node) {
            return None;
        }
        if self.is_entry_point(function) {
            return Some(function);
        }
        let graph = self.cx.ir.call_graph();
        let callers: Vec<(DeclId, NodeIx)> = graph
            .edges_into(function)
            .filter(|e| {
                matches!(
                    e.kind,
                    CallEdgeKind::Internal
                        | CallEdgeKind::Super
                        | CallEdgeKind::Library
                        | CallEdgeKind::Modifier
                )
            })
            .filter_map(|e| Some((e.caller, e.node?)))
            .collect();
        callers
            .into_iter()
            .find_map(|(caller, at)| self.open_entry_from(caller, at, seen))
    }
}

/// Whether a reverting check dominating `node` (in the function or in a
/// modifier applied to it, before its `_`) compares `tx.origin` with
/// something the caller does not choose (`require(tx.origin == owner)`):
/// a weak restriction, which is `tx-origin`'s finding, but a restriction:
/// detectors of *missing* access control leave such code alone.
pub fn origin_checked(cx: &AnalysisContext<'_>, f: &FunctionIr<'_>, node: NodeIx) -> bool {
    let checks_origin = |g: &FunctionIr<'_>, at: NodeIx| {
        is_guard(g, at)
            && tested(g, at).into_iter().any(|cond| {
                let mut atoms = Vec::new();
                crate::analysis::conditions::atoms(cond, &mut atoms);
                atoms.into_iter().any(|atom| match &unparen(atom).kind {
                    ExprKind::Binary {
                        op: BinaryOp::Eq | BinaryOp::Ne,
                        lhs,
                        rhs,
                    } => [(lhs, rhs), (rhs, lhs)].into_iter().any(|(o, other)| {
                        mentions_builtin(cx, g.file, o, &[Builtin::TxOrigin])
                            && origins(cx, g, at, other)
                                .iter()
                                .any(|x| matches!(x, Origin::State(_)))
                    }),
                    _ => false,
                })
            })
    };
    if f.cfg
        .nodes()
        .any(|(g, _)| g != node && f.cfg.dominates(g, node) && checks_origin(f, g))
    {
        return true;
    }
    cx.ir
        .call_graph()
        .edges_from(f.decl)
        .iter()
        .filter(|e| e.kind == CallEdgeKind::Modifier)
        .filter_map(|e| e.callee.and_then(|m| cx.ir.function_ir(m)))
        .any(|m| {
            m.cfg
                .nodes()
                .filter(|(_, n)| matches!(n.kind, NodeKind::Placeholder))
                .any(|(p, _)| {
                    m.cfg
                        .nodes()
                        .any(|(g, _)| g != p && m.cfg.dominates(g, p) && checks_origin(m, g))
                })
        })
}
