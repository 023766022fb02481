//! Storage pointers: which state variables (or storage parameters) a local
//! `storage` variable may point into.
//!
//! Flow-insensitive on purpose: a pointer is usually assigned once
//! (`S storage s = data[id];`), and a write through it must count as a write
//! of `data` wherever it happens. Storage *parameters* of internal and
//! library functions are roots of their own ([`StorageRoot::Param`]); the
//! project layer maps them to the caller's arguments.

use std::collections::HashMap;

use bulwark_sema::{DeclAst, DeclId, DeclKind, FileId, Model, VarMutability};
use bulwark_syntax::ast::{
    DataLocation as AstLocation, Expr, ExprKind, FunctionDefinition, StmtKind,
};

use crate::walk::{unparen, walk_expr, walk_stmt};

/// Where a storage pointer may point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StorageRoot {
    State(DeclId),
    /// The storage parameter with this index of the function being
    /// analysed (0-based, among all its parameters).
    Param(u16),
}

/// Storage-pointer locals and parameters of one function and their roots.
#[derive(Clone, Debug, Default)]
pub(crate) struct StorageAliases {
    pub roots: HashMap<DeclId, Vec<StorageRoot>>,
}

impl StorageAliases {
    pub fn is_pointer(&self, var: DeclId) -> bool {
        self.roots.contains_key(&var)
    }

    pub fn roots_of(&self, var: DeclId) -> &[StorageRoot] {
        self.roots.get(&var).map_or(&[], Vec::as_slice)
    }
}

/// Whether a local or parameter declaration is a storage reference.
pub(crate) fn is_storage_var(model: &Model<'_>, var: DeclId) -> bool {
    let decl = model.decl(var);
    let location = match decl.ast {
        DeclAst::Local(l) => l.location,
        DeclAst::Param(p) => p.location,
        _ => return false,
    };
    if location == Some(AstLocation::Storage) {
        return true;
    }
    // Before 0.5 a struct or array local without location is a storage
    // pointer, and so is a `var` local initialised from storage; the
    // declared (or inferred) type of the variable says so. (The type table
    // has no entry for a local's type name, so the declaration's type is
    // asked instead.)
    model
        .decl_type(var)
        .location()
        .is_some_and(|l| l.is_storage())
}

/// Whether `var` is a state variable that lives in storage (not a constant
/// or immutable, which are compiled into the code).
pub(crate) fn is_storage_state_var(model: &Model<'_>, var: DeclId) -> bool {
    model.decl(var).kind == DeclKind::StateVar
        && model.state_var(var).is_none_or(|v| {
            matches!(
                v.mutability,
                VarMutability::Mutable | VarMutability::Transient
            )
        })
}

/// The declaration an identifier or member expression refers to.
pub(crate) fn referenced_decl(model: &Model<'_>, file: FileId, expr: &Expr) -> Option<DeclId> {
    model.resolution(file, expr.id).and_then(|r| r.decl())
}

/// Computes the storage pointers of `function` and what they point into.
pub(crate) fn storage_aliases(
    model: &Model<'_>,
    file: FileId,
    function: &FunctionDefinition,
) -> StorageAliases {
    let mut aliases = StorageAliases::default();
    for (i, p) in function.params.iter().enumerate() {
        if let Some(var) = model.decl_at(file, p.id) {
            if is_storage_var(model, var) {
                aliases
                    .roots
                    .insert(var, vec![StorageRoot::Param(i as u16)]);
            }
        }
    }
    // (pointer, value) pairs: declarations with initialisers and plain
    // assignments to a pointer.
    let mut bindings: Vec<(DeclId, &Expr)> = Vec::new();
    let Some(body) = &function.body else {
        return aliases;
    };
    for stmt in &body.stmts {
        walk_stmt(stmt, &mut |s| {
            if let StmtKind::VarDecl(d) = &s.kind {
                for local in d.decls.iter().flatten() {
                    if let Some(var) = model.decl_at(file, local.id) {
                        if is_storage_var(model, var) {
                            aliases.roots.entry(var).or_default();
                            if let ([Some(_)], Some(init)) = (d.decls.as_slice(), &d.init) {
                                bindings.push((var, init));
                            }
                        }
                    }
                }
            }
        });
    }
    // Most functions have no storage pointer: skip the expression walk.
    if aliases.roots.is_empty() {
        return aliases;
    }
    for stmt in &body.stmts {
        walk_stmt(stmt, &mut |s| {
            for root in statement_exprs(s) {
                walk_expr(root, &mut |e| {
                    let ExprKind::Assign { op: None, lhs, rhs } = &e.kind else {
                        return;
                    };
                    let lhs = unparen(lhs);
                    if !matches!(lhs.kind, ExprKind::Ident(_)) {
                        return;
                    }
                    if let Some(var) = referenced_decl(model, file, lhs) {
                        if aliases.roots.contains_key(&var) {
                            bindings.push((var, rhs));
                        }
                    }
                });
            }
        });
    }
    // Pointers copied from pointers need a few rounds; chains are short.
    for _ in 0..4 {
        let mut changed = false;
        for &(var, value) in &bindings {
            let mut roots = Vec::new();
            value_roots(model, file, &aliases, value, &mut roots);
            let entry = aliases.roots.entry(var).or_default();
            for r in roots {
                if !entry.contains(&r) {
                    entry.push(r);
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    aliases
}

/// The expressions directly held by a statement (not by nested statements).
fn statement_exprs(s: &bulwark_syntax::ast::Stmt) -> Vec<&Expr> {
    match &s.kind {
        StmtKind::Expr(e) => vec![e],
        StmtKind::VarDecl(d) => d.init.iter().collect(),
        StmtKind::If { cond, .. }
        | StmtKind::While { cond, .. }
        | StmtKind::DoWhile { cond, .. } => {
            vec![cond]
        }
        StmtKind::For { cond, update, .. } => cond.iter().chain(update.iter()).collect(),
        StmtKind::Return(e) => e.iter().collect(),
        StmtKind::Try(t) => vec![&t.expr],
        _ => Vec::new(),
    }
}

/// The storage roots an expression of storage type designates: the state
/// variable at the bottom of `x.f[i].g`, or a pointer's roots.
pub(crate) fn value_roots(
    model: &Model<'_>,
    file: FileId,
    aliases: &StorageAliases,
    expr: &Expr,
    out: &mut Vec<StorageRoot>,
) {
    let expr = unparen(expr);
    if let Some(var) = referenced_decl(model, file, expr) {
        if is_storage_state_var(model, var) {
            push_unique(out, StorageRoot::State(var));
            return;
        }
        if aliases.is_pointer(var) {
            for &r in aliases.roots_of(var) {
                push_unique(out, r);
            }
            return;
        }
    }
    match &expr.kind {
        ExprKind::Member { base, .. } | ExprKind::Index { base, .. } => {
            value_roots(model, file, aliases, base, out)
        }
        ExprKind::Conditional {
            then_expr,
            else_expr,
            ..
        } => {
            value_roots(model, file, aliases, then_expr, out);
            value_roots(model, file, aliases, else_expr, out);
        }
        _ => {}
    }
}

fn push_unique(out: &mut Vec<StorageRoot>, r: StorageRoot) {
    if !out.contains(&r) {
        out.push(r);
    }
}
