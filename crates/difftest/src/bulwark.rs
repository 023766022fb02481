//! Bulwark's side of the differential test: the one function that turns
//! Bulwark's semantic model into [`Facts`].
//!
//! # Wiring it (for the `bulwark-sema` owner)
//!
//! Add `bulwark-sema` (and `bulwark-syntax` if needed) to this crate's
//! `[dependencies]`, load `project` the way `bulwark` itself would — root
//! `project.root`, the files `project.files`, remappings
//! `project.remappings`, extra import roots `project.include_paths` — and
//! fill a [`Facts`] for exactly the files in `project.files`:
//!
//! - [`Facts::contracts`]: one [`crate::facts::Contract`] per contract,
//!   interface and library of those files, with its C3 linearization by name
//!   (most derived first, itself included) and its own members
//!   ([`crate::facts::Item`]). Effective visibility, not the written one.
//!   Constructors, fallbacks and `receive` have an empty name.
//! - [`Facts::file_items`]: file-level functions (kind `Free`), constants
//!   (`StateVariable`, visibility internal, mutability constant), structs,
//!   enums, errors, events and value types.
//! - [`Facts::references`]: every resolved name use, keyed by the range of
//!   the whole use (`x`, `a.b`, `L.S`, `x.slot` in assembly), pointing at
//!   the declaration's *name* range (see [`crate::facts::DeclLoc`]) or
//!   at a built-in by its written name. Unresolved uses are simply absent.
//! - [`Facts::expression_types`]: every typed expression's type in solc's
//!   `typeString` notation, keyed by the expression's range, plus each named
//!   variable declaration's type keyed by its name range
//!   ([`crate::facts::ExprKind::Declaration`]).
//!
//! Ranges use source unit names (paths relative to `project.root`, `/`
//! separators) and UTF-8 byte offsets. Then remove the `#[ignore]` from
//! `tests/against_solc.rs::bulwark_matches_solc_on_fixtures` and run
//! `cargo test -p bulwark-difftest -- --nocapture` to see the report.

use std::collections::HashSet;
use std::fmt;

use bulwark_sema::{
    analyze, load_project, DeclAst, DeclId, DeclKind, LoadOptions, Model, Res, VarMutability,
};
use bulwark_syntax::ast::{self, FunctionKind as AstFnKind};

use crate::facts::{
    Contract, ContractKind, DeclLoc, ExprKind, ExprType, Facts, FileItem, FunctionKind, Item,
    Mutability, RefKind, Reference, SourceRange, Target, Visibility,
};
use crate::project::Project;

#[derive(Debug)]
pub enum BulwarkFactsError {
    /// The semantic model is not connected to the differential test yet.
    NotWired,
    /// Bulwark could not analyse the project.
    Failed(String),
}

impl fmt::Display for BulwarkFactsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BulwarkFactsError::NotWired => f.write_str(
                "bulwark_facts() is not wired to bulwark-sema yet (see crates/difftest/src/bulwark.rs)",
            ),
            BulwarkFactsError::Failed(why) => write!(f, "bulwark could not analyse the project: {why}"),
        }
    }
}

impl std::error::Error for BulwarkFactsError {}

/// Bulwark's facts about `project`, to compare with solc's.
pub fn bulwark_facts(project: &Project) -> Result<Facts, BulwarkFactsError> {
    let inputs: Vec<_> = project.files.iter().map(|f| project.root.join(f)).collect();
    let opts = LoadOptions {
        remappings: project.remappings.clone(),
        include_paths: project.include_paths.clone(),
        root: Some(project.root.clone()),
        solc_version: project
            .preferred_version
            .map(|v| bulwark_sema::Version::new(v.major as u16, v.minor as u16, v.patch as u16)),
        confine_to_root: false,
    };
    let loaded =
        load_project(&inputs, &opts).map_err(|e| BulwarkFactsError::Failed(e.to_string()))?;
    let model = analyze(&loaded);
    let wanted: HashSet<&str> = project.files.iter().map(String::as_str).collect();
    let mut facts = Facts::default();
    for file in loaded
        .files
        .iter()
        .filter(|f| wanted.contains(f.rel_path.as_str()))
    {
        structure(&model, file.id, &mut facts);
        references(&model, file.id, &mut facts);
        types(&model, file.id, &mut facts);
    }
    facts.canonicalize();
    Ok(facts)
}

fn range(model: &Model, file: bulwark_sema::FileId, span: bulwark_syntax::Span) -> SourceRange {
    SourceRange::new(model.file(file).rel_path.clone(), span.start, span.end)
}

fn visibility(v: ast::Visibility) -> Visibility {
    match v {
        ast::Visibility::Public => Visibility::Public,
        ast::Visibility::External => Visibility::External,
        ast::Visibility::Internal => Visibility::Internal,
        ast::Visibility::Private => Visibility::Private,
    }
}

/// The structural item a declaration contributes, if any.
fn item(model: &Model, d: DeclId) -> Option<Item> {
    let decl = model.decl(d);
    Some(match decl.kind {
        DeclKind::Function => {
            let f = model.function(d)?;
            let kind = match f.kind {
                _ if f.contract.is_none() => FunctionKind::Free,
                AstFnKind::Constructor => FunctionKind::Constructor,
                AstFnKind::Fallback => FunctionKind::Fallback,
                AstFnKind::Receive => FunctionKind::Receive,
                _ => FunctionKind::Function,
            };
            let name = match kind {
                FunctionKind::Function | FunctionKind::Free => decl.name.clone(),
                _ => String::new(),
            };
            Item::Function {
                name,
                kind,
                visibility: visibility(f.visibility),
            }
        }
        DeclKind::Modifier => Item::Modifier {
            name: decl.name.clone(),
        },
        DeclKind::StateVar => {
            let v = model.state_var(d)?;
            Item::StateVariable {
                name: decl.name.clone(),
                visibility: visibility(v.visibility),
                mutability: match v.mutability {
                    VarMutability::Mutable => Mutability::Mutable,
                    VarMutability::Constant => Mutability::Constant,
                    VarMutability::Immutable => Mutability::Immutable,
                    VarMutability::Transient => Mutability::Transient,
                },
            }
        }
        DeclKind::Event => Item::Event {
            name: decl.name.clone(),
        },
        DeclKind::Error => Item::Error {
            name: decl.name.clone(),
        },
        DeclKind::Struct => Item::Struct {
            name: decl.name.clone(),
        },
        DeclKind::Enum => Item::Enum {
            name: decl.name.clone(),
        },
        DeclKind::Udvt => Item::ValueType {
            name: decl.name.clone(),
        },
        _ => return None,
    })
}

fn structure(model: &Model, file: bulwark_sema::FileId, facts: &mut Facts) {
    let rel = model.file(file).rel_path.clone();
    for c in model.contracts().iter().filter(|c| c.file == file) {
        let own = &c.own;
        let items = own
            .functions
            .iter()
            .chain(&own.modifiers)
            .chain(&own.state_vars)
            .chain(&own.events)
            .chain(&own.errors)
            .chain(&own.structs)
            .chain(&own.enums)
            .chain(&own.udvts)
            .filter_map(|&d| item(model, d))
            .collect();
        facts.contracts.push(Contract {
            file: rel.clone(),
            name: c.ast.name.name.clone(),
            kind: match c.kind {
                ast::ContractKind::Contract => ContractKind::Contract,
                ast::ContractKind::Interface => ContractKind::Interface,
                ast::ContractKind::Library => ContractKind::Library,
            },
            is_abstract: c.is_abstract,
            linearization: c
                .linearization
                .iter()
                .map(|&b| model.decl(b).name.clone())
                .collect(),
            items,
        });
    }
    for (d, decl) in model.decls() {
        if decl.file == file && decl.container.is_none() {
            if let Some(item) = item(model, d) {
                facts.file_items.push(FileItem {
                    file: rel.clone(),
                    item,
                });
            }
        }
    }
}

fn decl_loc(model: &Model, d: DeclId) -> DeclLoc {
    let decl = model.decl(d);
    DeclLoc {
        name: decl.name.clone(),
        at: range(model, decl.file, decl.name_span),
    }
}

fn references(model: &Model, file: bulwark_sema::FileId, facts: &mut Facts) {
    let source = &model.file(file).source;
    let ast = &model.file(file).parsed.unit;
    let _ = ast;
    for (_, span, res) in model.resolutions(file) {
        if span.is_empty() {
            continue;
        }
        let text = span.text(source);
        let kind = if text.contains('.') && !text.contains('(') {
            RefKind::Member
        } else {
            RefKind::Identifier
        };
        let target = match res {
            Res::Decl(d) => Target::Declaration(decl_loc(model, *d)),
            Res::Overloaded(ds) => match ds.first() {
                Some(d) => Target::Declaration(decl_loc(model, *d)),
                None => continue,
            },
            Res::Builtin(_) => Target::Builtin {
                name: text.rsplit('.').next().unwrap_or(text).trim().to_string(),
            },
        };
        facts.references.push(Reference {
            at: range(model, file, span),
            kind,
            target,
        });
    }
    for fact in model.span_facts(file) {
        let Some(res) = &fact.res else { continue };
        let target = match res {
            Res::Decl(d) => Target::Declaration(decl_loc(model, *d)),
            Res::Overloaded(ds) => match ds.first() {
                Some(d) => Target::Declaration(decl_loc(model, *d)),
                None => continue,
            },
            Res::Builtin(b) => Target::Builtin {
                name: b.name().to_string(),
            },
        };
        facts.references.push(Reference {
            at: range(model, file, fact.span),
            kind: RefKind::Identifier,
            target,
        });
    }
    for r in model.all_assembly_refs(file) {
        facts.references.push(Reference {
            at: range(model, file, r.span),
            kind: RefKind::Assembly,
            target: Target::Declaration(decl_loc(model, r.decl)),
        });
    }
}

fn types(model: &Model, file: bulwark_sema::FileId, facts: &mut Facts) {
    let source = model.file(file).source.as_bytes();
    for (_, mut span, ty) in model.typed_nodes(file) {
        if span.is_empty() {
            continue;
        }
        // solc's range for the `payable` of `payable(x)` takes in the
        // parenthesis.
        let text = &source[span.start as usize..span.end as usize];
        if text == b"payable" && source.get(span.end as usize) == Some(&b'(') {
            span.end += 1;
        }
        facts.expression_types.push(ExprType {
            at: range(model, file, span),
            kind: ExprKind::Other,
            type_string: model.type_string(ty),
        });
    }
    for fact in model.span_facts(file) {
        if let Some(ty) = &fact.ty {
            facts.expression_types.push(ExprType {
                at: range(model, file, fact.span),
                kind: ExprKind::Other,
                type_string: model.type_string(ty),
            });
        }
    }
    for (d, decl) in model.decls() {
        if decl.file != file || decl.name.is_empty() {
            continue;
        }
        let is_var = matches!(
            decl.kind,
            DeclKind::StateVar
                | DeclKind::LocalVar
                | DeclKind::Param
                | DeclKind::ReturnParam
                | DeclKind::StructField
        );
        if !is_var || matches!(decl.ast, DeclAst::Import(_)) {
            continue;
        }
        let ty = model.decl_type(d);
        if ty.is_unknown() {
            continue;
        }
        facts.expression_types.push(ExprType {
            at: range(model, file, decl.name_span),
            kind: ExprKind::Declaration,
            type_string: model.type_string_short(ty),
        });
    }
}
