//! Helpers for unit tests: build a project, model and IR from in-memory
//! sources and find functions and nodes by name and text.

use bulwark_sema::{analyze, DeclId, LoadOptions, Model, Project};

use crate::cfg::NodeIx;
use crate::function::FunctionIr;

/// Owns a project built from one source text named `t.sol`.
pub struct Fixture {
    pub project: Project,
}

impl Fixture {
    pub fn new(src: &str) -> Fixture {
        let project = Project::from_sources(&[("t.sol", src)], &LoadOptions::default());
        for f in &project.files {
            assert!(
                !f.parsed.has_errors(),
                "fixture has syntax errors: {:?}",
                f.parsed.diagnostics
            );
        }
        Fixture { project }
    }

    pub fn model(&self) -> Model<'_> {
        analyze(&self.project)
    }

    pub fn source(&self) -> &str {
        &self.project.files[0].source
    }
}

/// The function `Contract.name` (`name` may be `constructor`).
pub fn func(model: &Model<'_>, contract: &str, name: &str) -> DeclId {
    model
        .functions()
        .iter()
        .find(|f| {
            let fname = model.decl(f.decl).name.as_str();
            let fname = if fname.is_empty() {
                match f.kind {
                    bulwark_syntax::ast::FunctionKind::Constructor => "constructor",
                    bulwark_syntax::ast::FunctionKind::Fallback => "fallback",
                    bulwark_syntax::ast::FunctionKind::Receive => "receive",
                    _ => "",
                }
            } else {
                fname
            };
            fname == name && f.contract.map(|c| model.decl(c).name.as_str()) == Some(contract)
        })
        .unwrap_or_else(|| panic!("no function {contract}.{name}"))
        .decl
}

/// The state variable `Contract.name`.
pub fn state_var(model: &Model<'_>, contract: &str, name: &str) -> DeclId {
    model
        .state_vars()
        .iter()
        .find(|v| {
            model.decl(v.decl).name == name
                && v.contract.map(|c| model.decl(c).name.as_str()) == Some(contract)
        })
        .unwrap_or_else(|| panic!("no state variable {contract}.{name}"))
        .decl
}

/// The first node of `f` whose source text starts with `text`.
pub fn node(f: &FunctionIr<'_>, src: &str, text: &str) -> NodeIx {
    f.cfg
        .nodes()
        .find(|(_, n)| n.stmt.is_some() && n.span.text(src).trim_start().starts_with(text))
        .map(|(ix, _)| ix)
        .unwrap_or_else(|| panic!("no node starting with {text:?}"))
}

/// Names of declarations, sorted, for readable assertions.
pub fn names(model: &Model<'_>, ids: impl IntoIterator<Item = DeclId>) -> Vec<String> {
    let mut v: Vec<String> = ids
        .into_iter()
        .map(|d| model.decl(d).name.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}
