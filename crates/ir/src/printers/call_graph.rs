//! The call graph in DOT.
//!
//! One cluster per contract (interfaces and libraries included when a
//! function of theirs is called), one node per function or modifier, one
//! edge per distinct (caller, callee, kind). Internal calls are resolved
//! with virtual dispatch in the caller's own contract. Edge styles:
//! internal solid, `super` solid grey, modifier dashed, base constructor
//! dotted, external blue, library green, low-level red to a pseudo-node
//! per operation (and to `<selfdestruct>`), creation purple.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use bulwark_sema::DeclId;

use super::{input_contracts, signature};
use crate::callgraph::CallEdgeKind;
use crate::facts::CallSiteKind;
use crate::project::ProjectIr;

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn node_id(d: DeclId) -> String {
    format!("f{}", d.0)
}

fn edge_style(kind: CallEdgeKind) -> &'static str {
    match kind {
        CallEdgeKind::Internal => "",
        CallEdgeKind::Super => " [color=\"gray40\", label=\"super\"]",
        CallEdgeKind::Modifier => " [style=dashed, label=\"modifier\"]",
        CallEdgeKind::BaseConstructor => " [style=dotted, label=\"base constructor\"]",
        CallEdgeKind::External => " [color=\"#1f77b4\", label=\"external\"]",
        CallEdgeKind::Library => " [color=\"#2ca02c\", label=\"library\"]",
        CallEdgeKind::LowLevel(_) => " [color=\"#d62728\"]",
        CallEdgeKind::Creation => " [color=\"#9467bd\", label=\"new\"]",
    }
}

/// Renders the call graph of the project's own contracts and free
/// functions (callees in dependencies are drawn too, so every edge has
/// both ends).
pub fn call_graph_dot(ir: &ProjectIr<'_, '_>) -> String {
    let model = ir.model();
    let graph = ir.call_graph();
    // Callers: every function and modifier declared in an input file.
    let callers: Vec<DeclId> = model
        .functions()
        .iter()
        .filter(|f| !model.file(f.file).is_dependency)
        .map(|f| f.decl)
        .collect();
    let mut nodes: BTreeSet<DeclId> = callers.iter().copied().collect();
    let mut edges: BTreeSet<(String, String, String)> = BTreeSet::new();
    let mut low_level: BTreeSet<&'static str> = BTreeSet::new();
    for &caller in &callers {
        let contract = model.function(caller).and_then(|f| f.contract);
        for e in graph.callees_in(ir, contract, caller) {
            let to = match (e.callee, e.kind) {
                (Some(c), _) => {
                    nodes.insert(c);
                    node_id(c)
                }
                (None, CallEdgeKind::LowLevel(op)) => {
                    low_level.insert(op.name());
                    format!("lowlevel_{}", op.name())
                }
                (None, CallEdgeKind::Creation) => {
                    low_level.insert("create");
                    "lowlevel_create".to_string()
                }
                (None, _) => continue,
            };
            let style = match e.kind {
                CallEdgeKind::LowLevel(op) => {
                    format!(" [color=\"#d62728\", label=\"{}\"]", op.name())
                }
                k => edge_style(k).to_string(),
            };
            edges.insert((node_id(caller), to, style));
        }
        // `selfdestruct` ends the contract: worth a node of its own.
        let destructs = ir.function_ir(caller).is_some_and(|f| {
            f.calls()
                .any(|(_, c)| matches!(c.kind, CallSiteKind::SelfDestruct { .. }))
        });
        if destructs {
            low_level.insert("selfdestruct");
            edges.insert((
                node_id(caller),
                "lowlevel_selfdestruct".to_string(),
                " [color=\"#d62728\"]".to_string(),
            ));
        }
    }
    // Group nodes by contract (free functions in a cluster per file).
    let mut clusters: BTreeMap<(String, String), Vec<DeclId>> = BTreeMap::new();
    for &d in &nodes {
        let decl = model.decl(d);
        let file = model.file(decl.file).rel_path.clone();
        let owner = model
            .function(d)
            .and_then(|f| f.contract)
            .map(|c| model.decl(c).name.clone())
            .unwrap_or_default();
        clusters.entry((file, owner)).or_default().push(d);
    }
    let mut out = String::from(
        "digraph call_graph {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for (i, ((file, owner), members)) in clusters.iter().enumerate() {
        let label = if owner.is_empty() {
            format!("{file} (free functions)")
        } else {
            format!("{owner} ({file})")
        };
        let _ = writeln!(out, "  subgraph cluster_{i} {{");
        let _ = writeln!(out, "    label=\"{}\";", escape(&label));
        for &d in members {
            let is_modifier = model.function(d).is_some_and(|f| f.is_modifier());
            let shape = if is_modifier { ", shape=hexagon" } else { "" };
            let _ = writeln!(
                out,
                "    {} [label=\"{}\"{shape}];",
                node_id(d),
                escape(&signature(model, d))
            );
        }
        out.push_str("  }\n");
    }
    for op in &low_level {
        let _ = writeln!(
            out,
            "  lowlevel_{op} [label=\"<{op}>\", shape=ellipse, color=\"#d62728\"];"
        );
    }
    for (from, to, style) in &edges {
        let _ = writeln!(out, "  {from} -> {to}{style};");
    }
    // Contracts with no function still deserve a mention for completeness
    // of the review: list them as a comment.
    let empty: Vec<String> = input_contracts(model)
        .filter(|c| c.own.functions.is_empty() && c.own.modifiers.is_empty())
        .map(|c| model.decl(c.decl).name.clone())
        .collect();
    if !empty.is_empty() {
        let _ = writeln!(
            out,
            "  // contracts without functions: {}",
            empty.join(", ")
        );
    }
    out.push_str("}\n");
    out
}
