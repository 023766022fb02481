//! `using L for T;`, `using {f, g} for T global;`: which functions become
//! callable as members of which types, where.
//!
//! Scope rules: a contract's directives apply in its body (and, before
//! 0.7, in derived contracts too); file-level ones in the file; `global`
//! ones wherever the type is used.

use bulwark_syntax::ast::{UsingDirective, UsingTarget};

use super::infos::same_ignoring_location;
use super::Analyzer;
use crate::decl::{DeclId, DeclKind};
use crate::project::FileId;
use crate::ty::{DataLocation, Type};
use crate::Res;

#[derive(Clone, Debug)]
pub(crate) struct UsingEntry {
    /// A library (all its functions) or a list of functions.
    pub library: Option<DeclId>,
    pub functions: Vec<DeclId>,
    /// `None` for `for *`.
    pub ty: Option<Type>,
}

impl Analyzer<'_> {
    fn using_entry(
        &mut self,
        file: FileId,
        contract: Option<DeclId>,
        u: &UsingDirective,
    ) -> UsingEntry {
        let mut entry = UsingEntry {
            library: None,
            functions: Vec::new(),
            ty: None,
        };
        match &u.target {
            UsingTarget::Library(path) => {
                let res = self.resolve_path_in(file, contract, path);
                entry.library = res
                    .as_ref()
                    .and_then(Res::decl)
                    .filter(|d| self.model.decl(*d).kind == DeclKind::Contract);
                if let Some(r) = res {
                    self.set_span(file, path.id, path.span);
                    self.set_res(file, path.id, r);
                }
            }
            UsingTarget::Functions(list) => {
                for f in list {
                    if let Some(r) = self.resolve_path_in(file, contract, &f.path) {
                        match &r {
                            Res::Decl(d) => entry.functions.push(*d),
                            Res::Overloaded(ds) => entry.functions.extend(ds.iter().copied()),
                            Res::Builtin(_) => {}
                        }
                        self.set_span(file, f.path.id, f.path.span);
                        self.set_res(file, f.path.id, r);
                    }
                }
            }
        }
        entry.ty =
            u.ty.as_ref()
                .map(|t| self.typename(file, contract, t, DataLocation::StoragePointer));
        entry
    }

    pub(crate) fn collect_usings(&mut self) {
        let project = self.model.project;
        self.usings_file = vec![Vec::new(); project.files.len()];
        for file in &project.files {
            let directives: Vec<&UsingDirective> = file
                .parsed
                .unit
                .items
                .iter()
                .filter_map(|i| match i {
                    bulwark_syntax::ast::SourceItem::Using(u) => Some(u),
                    _ => None,
                })
                .collect();
            for u in directives {
                let entry = self.using_entry(file.id, None, u);
                if u.is_global {
                    self.usings_global.push(entry);
                } else {
                    self.usings_file[file.id.index()].push(entry);
                }
            }
        }
        let mut own: std::collections::HashMap<DeclId, Vec<UsingEntry>> = Default::default();
        for ci in 0..self.model.contracts.len() {
            let c = &self.model.contracts[ci];
            let (id, file, ast) = (c.decl, c.file, c.ast);
            let mut entries = Vec::new();
            for m in &ast.members {
                if let bulwark_syntax::ast::ContractMember::Using(u) = m {
                    let e = self.using_entry(file, Some(id), u);
                    if u.is_global {
                        self.usings_global.push(e);
                    } else {
                        entries.push(e);
                    }
                }
            }
            own.insert(id, entries);
        }
        for c in &self.model.contracts {
            let version = self.model.project.file(c.file).version.effective;
            let mut entries = own.get(&c.decl).cloned().unwrap_or_default();
            if !version.is_07() {
                for b in &c.linearization[1..] {
                    entries.extend(own.get(b).cloned().unwrap_or_default());
                }
            }
            self.usings_contract.insert(c.decl, entries);
        }
    }

    /// Functions named `name` attached to values of type `ty` by the
    /// directives in force in `(file, contract)`.
    pub(crate) fn bound_functions(
        &self,
        file: FileId,
        contract: Option<DeclId>,
        ty: &Type,
        name: &str,
    ) -> Vec<DeclId> {
        let mut out = Vec::new();
        let entries = contract
            .and_then(|c| self.usings_contract.get(&c))
            .into_iter()
            .flatten()
            .chain(self.usings_file.get(file.index()).into_iter().flatten())
            .chain(self.usings_global.iter());
        for e in entries {
            if let Some(t) = &e.ty {
                if !same_ignoring_location(t, ty) && !self.bound_type_matches(t, ty) {
                    continue;
                }
            }
            let candidates: Vec<DeclId> = match e.library {
                Some(lib) => self
                    .model
                    .contract(lib)
                    .map(|c| c.own.functions.clone())
                    .unwrap_or_default(),
                None => e.functions.clone(),
            };
            for f in candidates {
                if self.model.decl(f).name != name || out.contains(&f) {
                    continue;
                }
                let sig = self.signature_of(f);
                let Some(first) = sig.first() else {
                    continue;
                };
                if self.implicitly_convertible(ty, first) || same_ignoring_location(ty, first) {
                    out.push(f);
                }
            }
        }
        out
    }

    /// `using L for uint` also matches `uint256` values typed from
    /// literals etc.: the directive's type accepts the value implicitly.
    fn bound_type_matches(&self, directive: &Type, value: &Type) -> bool {
        matches!(value, Type::Rational(_)) && self.implicitly_convertible(value, directive)
    }
}
