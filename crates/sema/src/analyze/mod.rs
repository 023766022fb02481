//! Building the [`Model`]: the passes in order, and the state they share.
//!
//! 1. `collect`: declarations and empty views;
//! 2. `scopes`: file scopes through imports, base contracts, C3
//!    linearization, contract member tables;
//! 3. `typename`: declared types of every declaration;
//! 4. `infos`: effective visibility/mutability, overrides, modifiers, the
//!    contract views (inherited functions, storage order, abstractness);
//! 5. `body`: name resolution and typing of every expression (function
//!    bodies, initializers, modifier and base-constructor arguments).

mod address;
mod body;
mod builtin_types;
mod collect;
mod constant;
mod convert;
mod infos;
mod names;
mod scopes;
pub(crate) mod typename;
mod using;

use std::collections::HashMap;

use bulwark_syntax::ast::NodeId;
use bulwark_syntax::Span;

use crate::decl::DeclId;
use crate::model::Model;
use crate::project::{DiagnosticKind, FileId, Project, ProjectDiagnostic, Severity};
use crate::ty::Type;
use crate::Res;

pub(crate) use infos::same_params;
pub(crate) use names::{NameHash, NameTable};
pub(crate) use using::UsingEntry;

pub(crate) struct Analyzer<'p> {
    pub model: Model<'p>,
    /// The hash of every name table of this analysis.
    pub hash: NameHash,
    /// Per file: the names visible at file level.
    pub file_scopes: Vec<NameTable<'p>>,
    /// Per contract: own and inherited members by name.
    pub members: HashMap<DeclId, NameTable<'p>, NameHash>,
    /// `using ... for` directives in force per contract (own, and inherited
    /// before 0.7) and per file (file-level directives), plus `global` ones.
    pub usings_contract: HashMap<DeclId, Vec<UsingEntry>>,
    pub usings_file: Vec<Vec<UsingEntry>>,
    pub usings_global: Vec<UsingEntry>,
    /// User-defined type names that named nothing, as `(file, span, name)`:
    /// type names are resolved from several passes (some parallel, some
    /// repeated), so they are collected here and reported once each at the
    /// end.
    pub unresolved_types: std::sync::Mutex<Vec<(FileId, Span, String)>>,
}

pub(crate) fn analyze(project: &Project) -> Model<'_> {
    let hash = NameHash::new();
    let mut a = Analyzer {
        model: Model::empty(project),
        file_scopes: Vec::new(),
        members: HashMap::with_hasher(hash.clone()),
        hash,
        usings_contract: HashMap::new(),
        usings_file: Vec::new(),
        usings_global: Vec::new(),
        unresolved_types: Default::default(),
    };
    collect::run(&mut a.model);
    a.build_file_scopes();
    a.resolve_bases();
    a.linearize_all();
    a.build_member_tables();
    a.declare_types();
    a.function_infos();
    a.contract_infos();
    a.collect_usings();
    a.bodies();
    a.report_unresolved_types();
    a.model
}

impl Analyzer<'_> {
    /// One warning per user-defined type name that named nothing (each
    /// occurrence once, however many passes resolved it).
    fn report_unresolved_types(&mut self) {
        let mut found = std::mem::take(
            self.unresolved_types
                .get_mut()
                .unwrap_or_else(|e| e.into_inner()),
        );
        found.sort_by_key(|(file, span, _)| (*file, span.start, span.end));
        found.dedup_by_key(|(file, span, _)| (*file, *span));
        for (file, span, name) in found {
            self.model.diagnostics.push(ProjectDiagnostic {
                severity: Severity::Warning,
                file: Some(file),
                span: Some(span),
                message: format!("type `{name}` not found"),
                kind: DiagnosticKind::TypeNotFound,
            });
        }
    }

    pub(crate) fn set_res(&mut self, file: FileId, node: NodeId, res: Res) {
        if let Some(slot) = self.model.files[file.index()].res.get_mut(node.index()) {
            *slot = Some(res);
        }
    }

    pub(crate) fn set_span(&mut self, file: FileId, node: NodeId, span: bulwark_syntax::Span) {
        if let Some(slot) = self.model.files[file.index()].spans.get_mut(node.index()) {
            *slot = span;
        }
    }

    pub(crate) fn add_span_fact(
        &mut self,
        file: FileId,
        span: bulwark_syntax::Span,
        res: Option<Res>,
        ty: Option<Type>,
    ) {
        self.model.files[file.index()]
            .span_facts
            .push(crate::model::SpanFact { span, res, ty });
    }

    pub(crate) fn set_type(&mut self, file: FileId, node: NodeId, ty: Type) {
        if let Some(slot) = self.model.files[file.index()].types.get_mut(node.index()) {
            *slot = Some(ty);
        }
    }

    pub(crate) fn decl_type(&self, id: DeclId) -> Type {
        self.model
            .decl_types
            .get(id.index())
            .cloned()
            .unwrap_or(Type::Unknown)
    }
}
