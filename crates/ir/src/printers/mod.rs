//! Architecture printers auditors read first: the call graph (DOT) and a
//! per-contract function summary (text). The `bulwark print` subcommands
//! are thin wrappers over these; the rendering lives here, next to the
//! analyses it shows, so it is tested without building the CLI.

mod call_graph;
mod function_summary;
#[cfg(test)]
mod tests;

pub use call_graph::call_graph_dot;
pub use function_summary::function_summary;

use bulwark_sema::{ContractInfo, DeclId, Model};
use bulwark_syntax::ast::FunctionKind;

/// Contracts of the analysed (non-dependency) files, in model order.
fn input_contracts<'m, 'p>(model: &'m Model<'p>) -> impl Iterator<Item = &'m ContractInfo<'p>> {
    model
        .contracts()
        .iter()
        .filter(|c| !model.file(c.file).is_dependency)
}

/// `name(type,type)`, with `constructor`, `fallback`, `receive` for the
/// unnamed kinds: unique within a contract even with overloads.
fn signature(model: &Model<'_>, function: DeclId) -> String {
    let Some(info) = model.function(function) else {
        return model.decl(function).name.clone();
    };
    let name = match info.kind {
        FunctionKind::Constructor => "constructor".to_string(),
        FunctionKind::Fallback => "fallback".to_string(),
        FunctionKind::Receive => "receive".to_string(),
        _ => model.decl(function).name.clone(),
    };
    let params: Vec<String> = info
        .params
        .iter()
        .map(|&p| model.type_string_short(model.decl_type(p)))
        .collect();
    format!("{name}({})", params.join(","))
}

/// `Contract.signature`, or the bare signature for free functions.
fn qualified_signature(model: &Model<'_>, function: DeclId) -> String {
    let sig = signature(model, function);
    match model.function(function).and_then(|f| f.contract) {
        Some(c) => format!("{}.{sig}", model.decl(c).name),
        None => sig,
    }
}
