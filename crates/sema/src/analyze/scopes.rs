//! File scopes (own declarations plus imports, as solc exports them), C3
//! linearization and contract member tables.

use std::borrow::Cow;
use std::collections::HashMap;

use bulwark_syntax::ast::{IdentPath, ImportKind, Visibility};
use rayon::prelude::*;

use super::names::{insert, Ids, NameTable};
use super::Analyzer;
use crate::decl::{DeclAst, DeclId, DeclKind};
use crate::model::{BaseSpec, OwnMembers};
use crate::project::{DiagnosticKind, FileId, ProjectDiagnostic, Severity};
use crate::Res;

impl<'p> Analyzer<'p> {
    /// Builds every file's scope: its own top-level declarations, then
    /// imported names (a plain `import "x";` re-exports everything `x`
    /// sees). Files are visited with their imports first, so one pass is
    /// exact unless imports are cyclic; then passes repeat until nothing
    /// changes.
    pub(crate) fn build_file_scopes(&mut self) {
        let project = self.model.project;
        let mut scopes: Vec<NameTable<'p>> = (0..project.files.len())
            .map(|_| self.hash.table())
            .collect();
        for (id, decl) in self.model.decls() {
            if decl.container.is_none() && decl.kind != DeclKind::Param {
                insert(
                    &mut scopes[decl.file.index()],
                    self.model.names[id.index()],
                    &[id],
                );
            }
        }
        let order = self.import_order();
        let mut position = vec![0usize; order.len()];
        for (i, f) in order.iter().enumerate() {
            position[f.index()] = i;
        }
        for _round in 0..64 {
            let mut changed = false;
            // An import of a file not completed yet (a cycle) needs
            // another pass.
            let mut cyclic = false;
            for &f in &order {
                let file = &project.files[f.index()];
                for (import, resolved) in file.parsed.unit.imports().zip(&file.imports) {
                    let Some(target) = resolved.target else {
                        continue;
                    };
                    if target == f {
                        continue;
                    }
                    cyclic |= position[target.index()] >= position[f.index()];
                    let (scope, imported) = scope_and_import(&mut scopes, f, target);
                    match &import.kind {
                        ImportKind::Plain { alias: None } => {
                            for (&name, ids) in imported.iter() {
                                changed |= insert(scope, name, ids.as_slice());
                            }
                        }
                        ImportKind::Symbols(symbols) => {
                            for sym in symbols {
                                let Some(ids) = imported.get(sym.name.name.as_str()) else {
                                    continue;
                                };
                                let local = sym.alias.as_ref().unwrap_or(&sym.name);
                                changed |= insert(scope, &local.name, ids.as_slice());
                            }
                        }
                        _ => {}
                    }
                }
            }
            if !changed || !cyclic {
                break;
            }
        }
        // Record what imported symbols refer to; report those that do not exist.
        for file in &project.files {
            for (import, resolved) in file.parsed.unit.imports().zip(&file.imports) {
                let (ImportKind::Symbols(symbols), Some(target)) = (&import.kind, resolved.target)
                else {
                    continue;
                };
                for sym in symbols {
                    if let Some(ids) = scopes[target.index()].get(sym.name.name.as_str()) {
                        let res = to_res(ids.as_slice().to_vec());
                        self.add_span_fact(file.id, sym.name.span, Some(res), None);
                    } else {
                        self.model.diagnostics.push(ProjectDiagnostic {
                            severity: Severity::Error,
                            kind: DiagnosticKind::ImportedSymbolNotFound,
                            file: Some(file.id),
                            span: Some(sym.name.span),
                            message: format!(
                                "`{}` is not declared in \"{}\"",
                                sym.name.name, import.path
                            ),
                        });
                    }
                }
            }
        }
        self.file_scopes = scopes;
    }

    /// Files with their imports before them (post-order), so one round of
    /// the fixpoint usually suffices.
    fn import_order(&self) -> Vec<FileId> {
        let files = &self.model.project.files;
        let mut state = vec![0u8; files.len()];
        let mut order = Vec::with_capacity(files.len());
        for start in 0..files.len() {
            if state[start] != 0 {
                continue;
            }
            // Iterative DFS: (file, next import index).
            let mut stack = vec![(start, 0usize)];
            state[start] = 1;
            while let Some(&mut (f, ref mut next)) = stack.last_mut() {
                let imports = &files[f].imports;
                if *next < imports.len() {
                    let target = imports[*next].target;
                    *next += 1;
                    if let Some(t) = target {
                        if state[t.index()] == 0 {
                            state[t.index()] = 1;
                            stack.push((t.index(), 0));
                        }
                    }
                } else {
                    order.push(FileId(f as u32));
                    stack.pop();
                }
            }
        }
        order
    }

    /// Resolves every contract's direct bases (in its file's scope).
    pub(crate) fn resolve_bases(&mut self) {
        for ci in 0..self.model.contracts.len() {
            let (file, ast) = (self.model.contracts[ci].file, self.model.contracts[ci].ast);
            let mut bases = Vec::new();
            for spec in &ast.bases {
                let res = self.resolve_path_in(file, None, &spec.base);
                let contract = res
                    .as_ref()
                    .and_then(Res::decl)
                    .filter(|d| self.model.decl(*d).kind == DeclKind::Contract);
                if contract.is_none() {
                    let name = spec
                        .base
                        .segments
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(".");
                    let message = if res.is_some() {
                        format!("base `{name}` of `{}` is not a contract", ast.name.name)
                    } else {
                        format!("base contract `{name}` of `{}` not found", ast.name.name)
                    };
                    self.model.diagnostics.push(ProjectDiagnostic {
                        severity: Severity::Warning,
                        file: Some(file),
                        span: Some(spec.base.span),
                        message,
                        kind: DiagnosticKind::BaseNotFound,
                    });
                }
                if let Some(r) = res {
                    self.set_span(file, spec.base.id, spec.base.span);
                    self.set_res(file, spec.base.id, r);
                }
                bases.push(BaseSpec {
                    node: spec.id,
                    contract,
                    has_args: spec.args.is_some(),
                });
            }
            self.model.contracts[ci].bases = bases;
        }
    }

    /// C3 linearization of every contract (solc's rule: `is A, B` makes B
    /// more derived than A).
    pub(crate) fn linearize_all(&mut self) {
        let n = self.model.contracts.len();
        let mut memo: HashMap<DeclId, Option<Vec<DeclId>>> = HashMap::new();
        for ci in 0..n {
            let id = self.model.contracts[ci].decl;
            let mut visiting = Vec::new();
            let lin = self.linearize(id, &mut memo, &mut visiting);
            let lin = match lin {
                Some(l) => l,
                None => {
                    let c = &self.model.contracts[ci];
                    self.model.diagnostics.push(ProjectDiagnostic {
                        severity: Severity::Error,
                        kind: DiagnosticKind::Linearization,
                        file: Some(c.file),
                        span: Some(c.ast.name.span),
                        message: format!(
                            "linearization of inheritance graph impossible for `{}`",
                            c.ast.name.name
                        ),
                    });
                    // Best effort: the contract then its bases, most derived first.
                    let mut l = vec![id];
                    l.extend(c.bases.iter().rev().filter_map(|b| b.contract));
                    l
                }
            };
            self.model.contracts[ci].linearization = lin;
        }
    }

    fn linearize(
        &self,
        id: DeclId,
        memo: &mut HashMap<DeclId, Option<Vec<DeclId>>>,
        visiting: &mut Vec<DeclId>,
    ) -> Option<Vec<DeclId>> {
        if let Some(l) = memo.get(&id) {
            return l.clone();
        }
        if visiting.contains(&id) {
            return None;
        }
        visiting.push(id);
        let bases: Vec<DeclId> = self
            .model
            .contract(id)
            .map(|c| c.bases.iter().filter_map(|b| b.contract).collect())
            .unwrap_or_default();
        let mut lists: Vec<Vec<DeclId>> = Vec::new();
        let mut ok = true;
        for &b in bases.iter().rev() {
            match self.linearize(b, memo, visiting) {
                Some(l) => lists.push(l),
                None => ok = false,
            }
        }
        lists.push(bases.iter().rev().copied().collect());
        visiting.pop();
        let result = if ok { c3_merge(id, lists) } else { None };
        memo.insert(id, result.clone());
        result
    }

    /// Member tables: for each contract, its own members then those of its
    /// bases in linearization order (private members of bases excluded).
    /// Contracts are independent, so they are built in parallel.
    pub(crate) fn build_member_tables(&mut self) {
        let tables: Vec<(DeclId, NameTable<'p>)> = self
            .model
            .contracts
            .par_iter()
            .map(|c| (c.decl, self.member_table(&c.linearization)))
            .collect();
        let mut members = HashMap::with_capacity_and_hasher(tables.len(), self.hash.clone());
        members.extend(tables);
        self.members = members;
    }

    fn member_table(&self, linearization: &[DeclId]) -> NameTable<'p> {
        let bases: Vec<&OwnMembers> = linearization
            .iter()
            .filter_map(|&b| self.model.contract(b))
            .map(|bc| &bc.own)
            .collect();
        let size: usize = bases.iter().map(|own| own_member_count(own)).sum();
        let mut table = HashMap::with_capacity_and_hasher(size, self.hash.clone());
        for (i, own) in bases.into_iter().enumerate() {
            for &m in own
                .functions
                .iter()
                .chain(&own.modifiers)
                .chain(&own.state_vars)
                .chain(&own.events)
                .chain(&own.errors)
                .chain(&own.structs)
                .chain(&own.enums)
                .chain(&own.udvts)
            {
                if i > 0 && self.is_private(m) {
                    continue;
                }
                insert(&mut table, self.model.names[m.index()], &[m]);
            }
        }
        table
    }

    fn is_private(&self, m: DeclId) -> bool {
        match self.model.decl(m).ast {
            DeclAst::Function(f) => f.visibility == Some(Visibility::Private),
            DeclAst::StateVar(v) => v.visibility == Some(Visibility::Private),
            _ => false,
        }
    }

    /// Resolves a dotted path (`A`, `M.C`, `L.S`) in `contract`'s scope (or
    /// the file scope), recording nothing.
    pub(crate) fn resolve_path_in(
        &self,
        file: FileId,
        contract: Option<DeclId>,
        path: &IdentPath,
    ) -> Option<Res> {
        let first = &path.segments.first()?.name;
        let mut cur = Cow::Borrowed(self.lookup_scoped(file, contract, first)?);
        for seg in &path.segments[1..] {
            let container = cur.first().copied()?;
            cur = self.static_members(container, &seg.name)?;
        }
        Some(to_res(cur.into_owned()))
    }

    /// A name in a contract's member table, then the file scope.
    pub(crate) fn lookup_scoped(
        &self,
        file: FileId,
        contract: Option<DeclId>,
        name: &str,
    ) -> Option<&[DeclId]> {
        if let Some(c) = contract {
            if let Some(ids) = self.members.get(&c).and_then(|t| t.get(name)) {
                return Some(ids.as_slice());
            }
        }
        self.file_scopes
            .get(file.index())?
            .get(name)
            .map(Ids::as_slice)
    }

    /// `X.name` where `X` is a contract/library (its members, inherited
    /// included), an import alias (the target file's scope) or an enum.
    pub(crate) fn static_members(
        &self,
        container: DeclId,
        name: &str,
    ) -> Option<Cow<'_, [DeclId]>> {
        let decl = self.model.decl(container);
        match decl.kind {
            DeclKind::Contract => {
                if let Some(ids) = self.members.get(&container).and_then(|t| t.get(name)) {
                    return Some(Cow::Borrowed(ids.as_slice()));
                }
                // Before member tables exist (base resolution): own members.
                let c = self.model.contract(container)?;
                let own = &c.own;
                let found: Vec<DeclId> = own
                    .functions
                    .iter()
                    .chain(&own.structs)
                    .chain(&own.enums)
                    .chain(&own.udvts)
                    .chain(&own.events)
                    .chain(&own.errors)
                    .chain(&own.state_vars)
                    .copied()
                    .filter(|&m| self.model.names[m.index()] == name)
                    .collect();
                (!found.is_empty()).then_some(Cow::Owned(found))
            }
            DeclKind::ImportAlias => {
                let target = self.import_target(container)?;
                let ids = self.file_scopes.get(target.index())?.get(name)?;
                Some(Cow::Borrowed(ids.as_slice()))
            }
            DeclKind::Enum => self
                .enum_variant(container, name)
                .map(|v| Cow::Owned(vec![v])),
            _ => None,
        }
    }

    pub(crate) fn enum_variant(&self, e: DeclId, name: &str) -> Option<DeclId> {
        let DeclAst::Enum(def) = self.model.decl(e).ast else {
            return None;
        };
        let file = self.model.decl(e).file;
        let v = def.variants.iter().find(|v| v.name.name == name)?;
        self.model.decl_at(file, v.id)
    }

    /// The file an import alias refers to.
    pub(crate) fn import_target(&self, alias: DeclId) -> Option<FileId> {
        let decl = self.model.decl(alias);
        let file = self.model.project.file(decl.file);
        file.imports
            .iter()
            .find(|i| i.node == decl.node)
            .and_then(|i| i.target)
    }
}

fn own_member_count(own: &OwnMembers) -> usize {
    own.functions.len()
        + own.modifiers.len()
        + own.state_vars.len()
        + own.events.len()
        + own.errors.len()
        + own.structs.len()
        + own.enums.len()
        + own.udvts.len()
}

/// The scope of `file` (to add to) and that of `target` (to read), which
/// are distinct files.
fn scope_and_import<'s, 'p>(
    scopes: &'s mut [NameTable<'p>],
    file: FileId,
    target: FileId,
) -> (&'s mut NameTable<'p>, &'s NameTable<'p>) {
    let (f, t) = (file.index(), target.index());
    if f < t {
        let (low, high) = scopes.split_at_mut(t);
        (&mut low[f], &high[0])
    } else {
        let (low, high) = scopes.split_at_mut(f);
        (&mut high[0], &low[t])
    }
}

pub(crate) fn to_res(ids: Vec<DeclId>) -> Res {
    if ids.len() == 1 {
        Res::Decl(ids[0])
    } else {
        Res::Overloaded(ids)
    }
}

/// The C3 merge: repeatedly take the first head that appears in no tail.
fn c3_merge(id: DeclId, mut lists: Vec<Vec<DeclId>>) -> Option<Vec<DeclId>> {
    let mut out = vec![id];
    loop {
        lists.retain(|l| !l.is_empty());
        if lists.is_empty() {
            return Some(out);
        }
        let head = lists
            .iter()
            .map(|l| l[0])
            .find(|&cand| lists.iter().all(|l| !l[1..].contains(&cand)))?;
        out.push(head);
        for l in &mut lists {
            if l.first() == Some(&head) {
                l.remove(0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c3_diamond() {
        // D is B, C; B is A; C is A  =>  D, C, B, A
        let (a, b, c, d) = (DeclId(0), DeclId(1), DeclId(2), DeclId(3));
        let lin = c3_merge(d, vec![vec![c, a], vec![b, a], vec![c, b]]).unwrap();
        assert_eq!(lin, vec![d, c, b, a]);
        // Inconsistent order fails.
        assert!(c3_merge(d, vec![vec![a, b], vec![b, a], vec![a, b]]).is_none());
    }
}
