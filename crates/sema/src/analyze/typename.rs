//! Declared types: type names resolved to [`Type`]s with their data
//! locations, for every variable, parameter, field and type declaration.

use bulwark_syntax::ast::{
    DataLocation as AstLoc, ElementaryType, FunctionKind as AstFnKind, NodeId, StateMutability,
    TypeName, TypeNameKind, Visibility,
};
use bulwark_syntax::Span;
use num_traits::ToPrimitive;
use rayon::prelude::*;

use super::Analyzer;
use crate::decl::{DeclAst, DeclId, DeclKind};
use crate::project::FileId;
use crate::ty::{DataLocation, FunctionKind, FunctionType, Mutability, Type};
use crate::Res;

pub(crate) fn elementary(e: ElementaryType, loc: DataLocation) -> Type {
    match e {
        ElementaryType::Address { payable } => Type::Address { payable },
        ElementaryType::Bool => Type::Bool,
        ElementaryType::String => Type::String(loc),
        ElementaryType::Bytes => Type::Bytes(loc),
        ElementaryType::FixedBytes(n) => Type::FixedBytes(n),
        ElementaryType::Int(bits) => Type::Int { signed: true, bits },
        ElementaryType::Uint(bits) => Type::Int {
            signed: false,
            bits,
        },
        ElementaryType::Fixed(bits, decimals) => Type::Fixed {
            signed: true,
            bits,
            decimals,
        },
        ElementaryType::Ufixed(bits, decimals) => Type::Fixed {
            signed: false,
            bits,
            decimals,
        },
    }
}

pub(crate) fn mutability_of(m: Option<StateMutability>) -> Mutability {
    match m {
        Some(StateMutability::Pure) => Mutability::Pure,
        Some(StateMutability::View) | Some(StateMutability::Constant) => Mutability::View,
        Some(StateMutability::Payable) => Mutability::Payable,
        None => Mutability::NonPayable,
    }
}

pub(crate) fn location_of(loc: AstLoc) -> DataLocation {
    match loc {
        AstLoc::Memory => DataLocation::Memory,
        AstLoc::Storage => DataLocation::StoragePointer,
        AstLoc::Calldata => DataLocation::Calldata,
    }
}

/// What the user-defined names inside a type name resolve to, for the
/// caller to record in the tables of the file being analysed.
pub(crate) type PathRecords = Vec<(NodeId, Span, Res)>;

impl Analyzer<'_> {
    /// The type a type name denotes, reference types placed in `loc`.
    /// Records the resolution of user-defined names.
    pub(crate) fn typename(
        &mut self,
        file: FileId,
        contract: Option<DeclId>,
        tn: &TypeName,
        loc: DataLocation,
    ) -> Type {
        let mut records = PathRecords::new();
        let ty = self.typename_in(file, contract, tn, loc, &mut records);
        for (node, span, res) in records {
            self.set_span(file, node, span);
            self.set_res(file, node, res);
        }
        ty
    }

    /// [`Analyzer::typename`] without writing to the model: resolutions go
    /// to `records` (the body pass keeps per-file tables of its own).
    pub(crate) fn typename_in(
        &self,
        file: FileId,
        contract: Option<DeclId>,
        tn: &TypeName,
        loc: DataLocation,
        records: &mut PathRecords,
    ) -> Type {
        let ty = match &tn.kind {
            TypeNameKind::Elementary(e) => elementary(*e, loc),
            TypeNameKind::UserDefined(path) => {
                let res = self.resolve_path_in(file, contract, path);
                let ty = match res.as_ref().and_then(Res::decl) {
                    Some(d) => self.type_of_type_decl(d, loc),
                    None => Type::Unknown,
                };
                match res {
                    Some(r) => records.push((path.id, path.span, r)),
                    None => {
                        let name = path
                            .segments
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(".");
                        self.unresolved_types
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push((file, path.span, name));
                    }
                }
                ty
            }
            TypeNameKind::Array { base, length } => {
                let elem_loc = if loc == DataLocation::StoragePointer {
                    DataLocation::StorageRef
                } else {
                    loc
                };
                let base = self.typename_in(file, contract, base, elem_loc, records);
                let len = length.as_ref().map(|e| {
                    self.const_value(file, contract, e)
                        .filter(|v| v.is_integer())
                        .and_then(|v| v.to_integer().to_u64())
                        .unwrap_or(0)
                });
                Type::Array {
                    base: Box::new(base),
                    len,
                    loc,
                }
            }
            TypeNameKind::Mapping { key, value, .. } => {
                // solc keeps reference-type keys (`bytes`, `string`) in memory.
                let key = self.typename_in(file, contract, key, DataLocation::Memory, records);
                let value =
                    self.typename_in(file, contract, value, DataLocation::StorageRef, records);
                Type::Mapping {
                    key: Box::new(key),
                    value: Box::new(value),
                }
            }
            TypeNameKind::Function(f) => {
                let params = f
                    .params
                    .iter()
                    .map(|p| {
                        let l = p.location.map_or(DataLocation::Memory, location_of);
                        self.typename_in(file, contract, &p.ty, l, records)
                    })
                    .collect();
                let returns = f
                    .returns
                    .iter()
                    .map(|p| {
                        let l = p.location.map_or(DataLocation::Memory, location_of);
                        self.typename_in(file, contract, &p.ty, l, records)
                    })
                    .collect();
                let kind = match f.visibility {
                    Some(Visibility::External) | Some(Visibility::Public) => FunctionKind::External,
                    _ => FunctionKind::Internal,
                };
                Type::Function(Box::new(FunctionType {
                    kind,
                    params,
                    returns,
                    mutability: mutability_of(f.mutability),
                    decl: None,
                    bound: false,
                }))
            }
        };
        ty
    }

    /// The value type named by a contract, struct, enum or value type
    /// declaration.
    pub(crate) fn type_of_type_decl(&self, d: DeclId, loc: DataLocation) -> Type {
        match self.model.decl(d).kind {
            DeclKind::Contract => Type::Contract(d),
            DeclKind::Struct => Type::Struct { decl: d, loc },
            DeclKind::Enum => Type::Enum(d),
            DeclKind::Udvt => Type::Udvt(d),
            _ => Type::Unknown,
        }
    }

    /// The contract enclosing a declaration (through its containers).
    pub(crate) fn contract_of(&self, d: DeclId) -> Option<DeclId> {
        let mut cur = Some(d);
        while let Some(c) = cur {
            if self.model.decl(c).kind == DeclKind::Contract {
                return Some(c);
            }
            cur = self.model.decl(c).container;
        }
        None
    }

    /// Declared types of variables, parameters, fields, value types and
    /// the `type(...)` of type declarations. Function types come later
    /// (they need effective mutability).
    pub(crate) fn declare_types(&mut self) {
        let declared: Vec<(Type, PathRecords)> = (0..self.model.decls.len())
            .into_par_iter()
            .map(|i| {
                let mut records = PathRecords::new();
                let ty = self.declared_type(DeclId(i as u32), &mut records);
                (ty, records)
            })
            .collect();
        for (i, (ty, records)) in declared.into_iter().enumerate() {
            let file = self.model.decls[i].file;
            for (node, span, res) in records {
                self.set_span(file, node, span);
                self.set_res(file, node, res);
            }
            self.model.decl_types[i] = ty;
        }
        for sv in 0..self.model.state_vars.len() {
            let d = self.model.state_vars[sv].decl;
            self.model.state_vars[sv].ty = self.decl_type(d);
        }
    }

    /// The declared type of one declaration (see [`Analyzer::declare_types`]),
    /// resolutions of the names in it going to `records`.
    fn declared_type(&self, id: DeclId, records: &mut PathRecords) -> Type {
        let decl = self.model.decl(id);
        let (file, kind, container, ast) = (decl.file, decl.kind, decl.container, decl.ast);
        let contract = self.contract_of(id);
        let version = self.model.project.file(file).version.effective;
        let ty = match ast {
            DeclAst::StateVar(v) => {
                // A constant is not stored: its value lives in memory.
                let loc = if v.is_constant {
                    DataLocation::Memory
                } else if v.is_transient {
                    DataLocation::Transient
                } else {
                    DataLocation::StorageRef
                };
                self.typename_in(file, contract, &v.ty, loc, records)
            }
            DeclAst::Param(p) => {
                let container =
                    container.map(|c| (self.model.decl(c).kind, self.model.decl(c).ast));
                let loc = match p.location {
                    Some(l) => location_of(l),
                    None => match container {
                        Some((DeclKind::Struct, _)) => DataLocation::StoragePointer,
                        Some((DeclKind::Function, DeclAst::Function(f)))
                            if kind == DeclKind::Param
                                && !version.is_05()
                                && (f.visibility == Some(Visibility::External)
                                    || self
                                        .model
                                        .contract(contract.unwrap_or(DeclId(u32::MAX)))
                                        .is_some_and(|c| {
                                            c.kind == bulwark_syntax::ast::ContractKind::Interface
                                        }))
                                && f.kind != AstFnKind::Modifier =>
                        {
                            DataLocation::Calldata
                        }
                        _ => DataLocation::Memory,
                    },
                };
                self.typename_in(file, contract, &p.ty, loc, records)
            }
            DeclAst::Local(l) => match &l.ty {
                Some(tn) => {
                    let loc = match l.location {
                        Some(loc) => location_of(loc),
                        None if !version.is_05() => DataLocation::StoragePointer,
                        None => DataLocation::Memory,
                    };
                    self.typename_in(file, contract, tn, loc, records)
                }
                // `var`: inferred from the initializer by the body pass.
                None => Type::Unknown,
            },
            DeclAst::Udvt(u) => {
                // Resolve the underlying type name for its side effects;
                // the declaration's own type is `type(T)`.
                self.typename_in(file, contract, &u.underlying, DataLocation::Memory, records);
                Type::TypeType(Box::new(Type::Udvt(id)))
            }
            DeclAst::Contract(_) => Type::TypeType(Box::new(Type::Contract(id))),
            DeclAst::Struct(_) => Type::TypeType(Box::new(Type::Struct {
                decl: id,
                loc: DataLocation::StoragePointer,
            })),
            DeclAst::Enum(_) => Type::TypeType(Box::new(Type::Enum(id))),
            DeclAst::EnumVariant(_) => Type::Enum(container.unwrap_or(id)),
            DeclAst::Import(_) => match self.import_target(id) {
                Some(t) => Type::Module(t),
                None => Type::Unknown,
            },
            DeclAst::Function(_) | DeclAst::Event(_) | DeclAst::Error(_) => Type::Unknown,
        };
        ty
    }

    /// The underlying type of a user-defined value type.
    pub(crate) fn udvt_underlying(&self, d: DeclId) -> Type {
        match self.model.decl(d).ast {
            DeclAst::Udvt(u) => match &u.underlying.kind {
                TypeNameKind::Elementary(e) => elementary(*e, DataLocation::Memory),
                _ => Type::Unknown,
            },
            _ => Type::Unknown,
        }
    }
}
