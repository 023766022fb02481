//! Per contract, per function: visibility, mutability, modifiers, calls
//! and the state variables read and written (transitively, with the
//! contract's virtual dispatch), as plain text.

use std::collections::BTreeSet;
use std::fmt::Write;

use bulwark_sema::{ContractInfo, DeclId, DeclKind, Model};
use bulwark_syntax::ast::{ContractKind, FunctionKind, Visibility};

use super::{input_contracts, qualified_signature, signature};
use crate::callgraph::CallEdgeKind;
use crate::facts::CallSiteKind;
use crate::project::ProjectIr;

fn visibility(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "public",
        Visibility::Private => "private",
        Visibility::Internal => "internal",
        Visibility::External => "external",
    }
}

fn kind_word(c: &ContractInfo<'_>) -> &'static str {
    match c.kind {
        ContractKind::Interface => "interface",
        ContractKind::Library => "library",
        ContractKind::Contract if c.is_abstract => "abstract contract",
        ContractKind::Contract => "contract",
    }
}

fn list(items: &BTreeSet<String>) -> String {
    if items.is_empty() {
        "-".to_string()
    } else {
        items.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// Renders the summary of every contract of the analysed files.
pub fn function_summary(ir: &ProjectIr<'_, '_>) -> String {
    let model = ir.model();
    let mut out = String::new();
    for c in input_contracts(model) {
        write_contract(ir, model, c, &mut out);
    }
    out
}

fn write_contract(
    ir: &ProjectIr<'_, '_>,
    model: &Model<'_>,
    c: &ContractInfo<'_>,
    out: &mut String,
) {
    let name = &model.decl(c.decl).name;
    let _ = writeln!(
        out,
        "{} {name} ({})",
        kind_word(c),
        model.file(c.file).rel_path
    );
    if c.linearization.len() > 1 {
        let lin: Vec<&str> = c
            .linearization
            .iter()
            .map(|&b| model.decl(b).name.as_str())
            .collect();
        let _ = writeln!(out, "  linearization: {}", lin.join(" -> "));
    }
    // Constructor first, then the callable functions (own and inherited),
    // then the modifiers.
    let mut functions: Vec<DeclId> = Vec::new();
    let all = c
        .constructor
        .into_iter()
        .chain(c.functions.iter().copied())
        .chain(c.fallback)
        .chain(c.receive)
        .chain(c.modifiers.iter().copied());
    for d in all {
        if !functions.contains(&d) {
            functions.push(d);
        }
    }
    for f in functions {
        write_function(ir, model, c, f, out);
    }
    out.push('\n');
}

fn write_function(
    ir: &ProjectIr<'_, '_>,
    model: &Model<'_>,
    c: &ContractInfo<'_>,
    f: DeclId,
    out: &mut String,
) {
    let Some(info) = model.function(f) else {
        return;
    };
    let inherited = match info.contract {
        Some(owner) if owner != c.decl => format!(" [from {}]", model.decl(owner).name),
        _ => String::new(),
    };
    // `constructor(...)` already says what it is.
    let what = match info.kind {
        FunctionKind::Modifier => "modifier ",
        FunctionKind::Constructor => "",
        _ => "function ",
    };
    let declared_only = if info.ast.body.is_none() {
        " (no body)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "  {what}{} {} {}{inherited}{declared_only}",
        signature(model, f),
        visibility(info.visibility),
        info.mutability.as_str()
    );
    if info.ast.body.is_none() {
        // A declaration (interface, abstract): nothing runs.
        return;
    }
    let mut modifiers = BTreeSet::new();
    let mut bases = BTreeSet::new();
    let mut internal = BTreeSet::new();
    let mut external = BTreeSet::new();
    let mut low_level = BTreeSet::new();
    let mut events = BTreeSet::new();
    for e in ir.call_graph().callees_in(ir, Some(c.decl), f) {
        let callee = e.callee.map(|d| qualified_signature(model, d));
        match (e.kind, callee) {
            (CallEdgeKind::Modifier, Some(m)) => {
                modifiers.insert(m);
            }
            (CallEdgeKind::Internal | CallEdgeKind::Super | CallEdgeKind::Library, Some(g)) => {
                internal.insert(g);
            }
            (CallEdgeKind::BaseConstructor, Some(g)) => {
                bases.insert(g);
            }
            (CallEdgeKind::External | CallEdgeKind::Creation, Some(g)) => {
                external.insert(g);
            }
            (CallEdgeKind::LowLevel(op), _) => {
                low_level.insert(op.name().to_string());
            }
            (CallEdgeKind::Creation, None) => {
                external.insert("new (unresolved)".to_string());
            }
            _ => {}
        }
    }
    if let Some(fir) = ir.function_ir(f) {
        for (_, call) in fir.calls() {
            match call.kind {
                CallSiteKind::Event(Some(e)) => {
                    events.insert(model.decl(e).name.clone());
                }
                CallSiteKind::SelfDestruct { .. } => {
                    low_level.insert("selfdestruct".to_string());
                }
                _ => {}
            }
        }
    }
    let access = ir.access().transitive(ir, Some(c.decl), f);
    let names = |ids: &[DeclId]| -> BTreeSet<String> {
        ids.iter()
            .map(|&v| match model.decl(v).container {
                // A namespaced field: `Struct.field`.
                Some(s) if model.decl(v).kind == DeclKind::StructField => {
                    format!("{}.{}", model.decl(s).name, model.decl(v).name)
                }
                _ => model.qualified_name(v),
            })
            .collect()
    };
    if info.kind != FunctionKind::Modifier {
        let _ = writeln!(out, "    modifiers: {}", list(&modifiers));
    }
    if !bases.is_empty() {
        let _ = writeln!(out, "    base constructors: {}", list(&bases));
    }
    let _ = writeln!(out, "    internal calls: {}", list(&internal));
    let _ = writeln!(out, "    external calls: {}", list(&external));
    if !low_level.is_empty() {
        let _ = writeln!(out, "    low-level calls: {}", list(&low_level));
    }
    if !events.is_empty() {
        let _ = writeln!(out, "    events: {}", list(&events));
    }
    let _ = writeln!(out, "    state read: {}", list(&names(&access.reads)));
    let _ = writeln!(out, "    state written: {}", list(&names(&access.writes)));
    // ERC-7201 namespaced storage: fields named `Struct.field`.
    if !access.field_reads.is_empty() {
        let _ = writeln!(
            out,
            "    namespaced storage read: {}",
            list(&names(&access.field_reads))
        );
    }
    if !access.field_writes.is_empty() {
        let _ = writeln!(
            out,
            "    namespaced storage written: {}",
            list(&names(&access.field_writes))
        );
    }
}
