//! Completing the typed views: effective visibility and mutability,
//! virtual/override relations, modifier invocations (told apart from base
//! constructor calls), and per contract the inherited functions, storage
//! order and abstractness.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use bulwark_syntax::ast::{ContractKind, FunctionKind as AstFnKind, Visibility};

use super::{Analyzer, NameHash};
use crate::decl::{DeclAst, DeclId, DeclKind};
use crate::model::{ContractInfo, ModifierTarget, ModifierUse};
use crate::ty::{FunctionKind, FunctionType, Mutability, Type};
use crate::Res;

/// Equal types once data locations are ignored (how solc compares
/// parameter lists for overriding and overloading).
pub(crate) fn same_ignoring_location(a: &Type, b: &Type) -> bool {
    match (a, b) {
        (Type::Bytes(_), Type::Bytes(_)) | (Type::String(_), Type::String(_)) => true,
        (Type::Struct { decl: x, .. }, Type::Struct { decl: y, .. }) => x == y,
        (
            Type::Array {
                base: x, len: lx, ..
            },
            Type::Array {
                base: y, len: ly, ..
            },
        ) => lx == ly && same_ignoring_location(x, y),
        (Type::Mapping { key: kx, value: vx }, Type::Mapping { key: ky, value: vy }) => {
            same_ignoring_location(kx, ky) && same_ignoring_location(vx, vy)
        }
        (Type::Address { .. }, Type::Address { .. }) => true,
        _ => a == b,
    }
}

pub(crate) fn same_params(a: &[Type], b: &[Type]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_ignoring_location(x, y))
}

impl<'p> Analyzer<'p> {
    fn param_types(&self, ids: &[DeclId]) -> Vec<Type> {
        ids.iter().map(|&p| self.decl_type(p)).collect()
    }

    /// Parameter types of a function, modifier, event or error (borrowed
    /// from its function type once that is known: overload resolution
    /// asks for them at every call).
    pub(crate) fn signature_of(&self, f: DeclId) -> Cow<'_, [Type]> {
        match self.model.decl_type(f) {
            Type::Function(ft) => Cow::Borrowed(&ft.params),
            _ => match self.model.function(f) {
                Some(fi) => Cow::Owned(self.param_types(&fi.params)),
                None => Cow::Borrowed(&[]),
            },
        }
    }

    pub(crate) fn function_infos(&mut self) {
        for i in 0..self.model.functions.len() {
            let fi = &self.model.functions[i];
            let (id, ast, contract) = (fi.decl, fi.ast, fi.contract);
            let file = fi.file;
            let version = self.model.project.file(file).version.effective;
            let contract_kind = contract
                .and_then(|c| self.model.contract(c))
                .map(|c| c.kind);
            let is_abstract_contract = contract
                .and_then(|c| self.model.contract(c))
                .is_some_and(|c| c.is_abstract);
            let visibility = ast.visibility.unwrap_or(match ast.kind {
                AstFnKind::Modifier => Visibility::Internal,
                _ if contract.is_none() => Visibility::Internal,
                _ if contract_kind == Some(ContractKind::Interface) => Visibility::External,
                AstFnKind::Fallback | AstFnKind::Receive if version.is_06() => Visibility::External,
                AstFnKind::Constructor if version.is_07() && is_abstract_contract => {
                    Visibility::Internal
                }
                _ => Visibility::Public,
            });
            let mutability = super::typename::mutability_of(ast.mutability);
            let is_virtual = ast.is_virtual
                || contract_kind == Some(ContractKind::Interface)
                || (!version.is_06() && visibility != Visibility::Private);
            let fi = &mut self.model.functions[i];
            fi.visibility = visibility;
            fi.mutability = mutability;
            fi.is_virtual = is_virtual;
            let params = fi.params.clone();
            let returns = fi.returns.clone();
            let ty = if ast.kind == AstFnKind::Modifier {
                Type::Modifier(id)
            } else {
                Type::Function(Box::new(FunctionType {
                    kind: if visibility == Visibility::External {
                        FunctionKind::External
                    } else {
                        FunctionKind::Internal
                    },
                    params: self.param_types(&params),
                    returns: self.param_types(&returns),
                    mutability,
                    decl: Some(id),
                    bound: false,
                }))
            };
            self.model.decl_types[id.index()] = ty;
        }
        // Events and errors.
        for i in 0..self.model.decls.len() {
            let id = DeclId(i as u32);
            let (kind, params) = match self.model.decl(id).ast {
                DeclAst::Event(e) => (FunctionKind::Event, &e.params),
                DeclAst::Error(e) => (FunctionKind::Error, &e.params),
                _ => continue,
            };
            let file = self.model.decl(id).file;
            let params: Vec<Type> = params
                .iter()
                .map(|p| match self.model.decl_at(file, p.id) {
                    Some(d) => self.decl_type(d),
                    None => Type::Unknown,
                })
                .collect();
            self.model.decl_types[i] = Type::Function(Box::new(FunctionType {
                kind,
                params,
                returns: if kind == FunctionKind::Error {
                    vec![Type::Error]
                } else {
                    Vec::new()
                },
                mutability: if kind == FunctionKind::Error {
                    Mutability::Pure
                } else {
                    Mutability::NonPayable
                },
                decl: Some(id),
                bound: false,
            }));
        }
        // Modifiers and overrides need the function types of bases.
        let overrides: Vec<Vec<DeclId>> = self
            .model
            .functions
            .par_iter()
            .map(|fi| self.find_overrides(fi.decl, fi.contract))
            .collect();
        for (i, overrides) in overrides.into_iter().enumerate() {
            let fi = &self.model.functions[i];
            let (ast, contract, file) = (fi.ast, fi.contract, fi.file);
            let mut uses = Vec::new();
            for m in &ast.modifiers {
                let res = self.resolve_path_in(file, contract, &m.name);
                let target = match res.as_ref() {
                    Some(r) => {
                        let d = match r {
                            Res::Decl(d) => Some(*d),
                            Res::Overloaded(ds) => ds.first().copied(),
                            Res::Builtin(_) => None,
                        };
                        match d.map(|d| (d, self.model.decl(d).kind)) {
                            Some((d, DeclKind::Modifier)) => ModifierTarget::Modifier(d),
                            Some((d, DeclKind::Contract)) => ModifierTarget::BaseConstructor(d),
                            _ => ModifierTarget::Unresolved,
                        }
                    }
                    None => ModifierTarget::Unresolved,
                };
                if let Some(r) = res {
                    let r = match (&r, &target) {
                        (Res::Overloaded(_), ModifierTarget::Modifier(d)) => Res::Decl(*d),
                        _ => r,
                    };
                    self.set_span(file, m.name.id, m.name.span);
                    match target {
                        ModifierTarget::Modifier(d) => {
                            self.set_type(file, m.name.id, Type::Modifier(d));
                        }
                        ModifierTarget::BaseConstructor(c) => {
                            let t = Type::TypeType(Box::new(Type::Contract(c)));
                            self.set_type(file, m.name.id, t);
                        }
                        ModifierTarget::Unresolved => {}
                    }
                    self.set_res(file, m.name.id, r);
                }
                uses.push(ModifierUse { node: m.id, target });
            }
            if let Some(spec) = &ast.overrides {
                self.resolve_override_paths(file, contract, spec);
            }
            let fi = &mut self.model.functions[i];
            fi.modifiers = uses;
            fi.overrides = overrides;
        }
    }

    /// Records what the names in `override(A, B)` refer to.
    pub(crate) fn resolve_override_paths(
        &mut self,
        file: crate::project::FileId,
        contract: Option<DeclId>,
        spec: &bulwark_syntax::ast::OverrideSpecifier,
    ) {
        for path in &spec.bases {
            if let Some(r) = self.resolve_path_in(file, contract, path) {
                self.set_span(file, path.id, path.span);
                self.set_res(file, path.id, r);
            }
        }
    }

    /// The functions (or modifiers) of `contract`'s bases that `f`
    /// overrides: for each base, the nearest one with the same name and
    /// parameter types.
    fn find_overrides(&self, f: DeclId, contract: Option<DeclId>) -> Vec<DeclId> {
        let Some(c) = contract.and_then(|c| self.model.contract(c)) else {
            return Vec::new();
        };
        let decl = self.model.decl(f);
        if decl.name.is_empty() {
            return self.special_overrides(f, c.decl);
        }
        let sig = self.signature_of(f);
        let mut out = Vec::new();
        for base in c.bases.iter().filter_map(|b| b.contract) {
            let Some(bc) = self.model.contract(base) else {
                continue;
            };
            'lin: for &anc in &bc.linearization {
                let Some(ac) = self.model.contract(anc) else {
                    continue;
                };
                for &g in ac.own.functions.iter().chain(&ac.own.modifiers) {
                    let gd = self.model.decl(g);
                    if gd.name == decl.name
                        && gd.kind == decl.kind
                        && (decl.kind == DeclKind::Modifier
                            || same_params(&self.signature_of(g), &sig))
                    {
                        if !out.contains(&g) {
                            out.push(g);
                        }
                        break 'lin;
                    }
                }
            }
        }
        out
    }

    /// Fallback and receive functions override the bases' ones.
    fn special_overrides(&self, f: DeclId, contract: DeclId) -> Vec<DeclId> {
        let kind = self.model.function(f).map(|fi| fi.ast.kind);
        if !matches!(kind, Some(AstFnKind::Fallback | AstFnKind::Receive)) {
            return Vec::new();
        }
        let Some(c) = self.model.contract(contract) else {
            return Vec::new();
        };
        c.linearization[1..]
            .iter()
            .filter_map(|&b| self.model.contract(b))
            .flat_map(|bc| bc.own.functions.iter().copied())
            .filter(|&g| self.model.function(g).map(|gi| gi.ast.kind) == kind)
            .take(1)
            .collect()
    }

    /// Completes every contract's view (inherited functions, storage
    /// order, abstractness), contracts in parallel.
    pub(crate) fn contract_infos(&mut self) {
        let completed: Vec<ContractInfo<'p>> = self
            .model
            .contracts
            .par_iter()
            .map(|c| self.completed_contract(c))
            .collect();
        self.model.contracts = completed;
    }

    fn completed_contract(&self, c: &ContractInfo<'p>) -> ContractInfo<'p> {
        let lin = &c.linearization;
        let mut functions: Vec<DeclId> = Vec::new();
        // Functions taken so far, by name: a base's function with the
        // same name and parameters is overridden.
        let mut taken: HashMap<&str, Vec<DeclId>, NameHash> =
            HashMap::with_hasher(self.hash.clone());
        let mut modifiers: Vec<DeclId> = Vec::new();
        let mut modifier_names: HashSet<&str, NameHash> = HashSet::with_hasher(self.hash.clone());
        let mut events = Vec::new();
        let mut errors = Vec::new();
        let mut fallback = None;
        let mut receive = None;
        for (i, &b) in lin.iter().enumerate() {
            let Some(bc) = self.model.contract(b) else {
                continue;
            };
            for &f in &bc.own.functions {
                let Some(fi) = self.model.function(f) else {
                    continue;
                };
                match fi.ast.kind {
                    AstFnKind::Constructor => {
                        if i == 0 {
                            functions.push(f);
                        }
                        continue;
                    }
                    AstFnKind::Fallback => {
                        if fallback.is_none() {
                            fallback = Some(f);
                            functions.push(f);
                        }
                        continue;
                    }
                    AstFnKind::Receive => {
                        if receive.is_none() {
                            receive = Some(f);
                            functions.push(f);
                        }
                        continue;
                    }
                    _ => {}
                }
                if i > 0 && fi.visibility == Visibility::Private {
                    continue;
                }
                let sig = self.signature_of(f);
                let same_name = taken.entry(self.model.names[f.index()]).or_default();
                if same_name
                    .iter()
                    .any(|&g| same_params(&self.signature_of(g), &sig))
                {
                    continue;
                }
                same_name.push(f);
                functions.push(f);
            }
            for &m in &bc.own.modifiers {
                if modifier_names.insert(self.model.names[m.index()]) {
                    modifiers.push(m);
                }
            }
            events.extend(bc.own.events.iter().copied());
            errors.extend(bc.own.errors.iter().copied());
        }
        let mut state_vars = Vec::new();
        for &b in lin.iter().rev() {
            if let Some(bc) = self.model.contract(b) {
                state_vars.extend(bc.own.state_vars.iter().copied());
            }
        }
        let constructor = c.own.functions.iter().copied().find(|&f| {
            self.model.function(f).map(|fi| fi.ast.kind) == Some(AstFnKind::Constructor)
        });
        let unimplemented = functions.iter().any(|&f| {
            self.model
                .function(f)
                .is_some_and(|fi| fi.ast.body.is_none())
        });
        // 0.6+ requires `abstract` on such contracts, so the keyword
        // decides; before, a missing implementation makes it abstract.
        let version = self.model.project.file(c.file).version.effective;
        let is_abstract = c.ast.is_abstract
            || (!version.is_06() && c.kind == ContractKind::Contract && unimplemented);
        ContractInfo {
            functions,
            modifiers,
            state_vars,
            events,
            errors,
            constructor,
            fallback,
            receive,
            is_abstract,
            ..c.clone()
        }
    }
}
