//! The inheritance graph as DOT: one node per contract of the analysed
//! files and every base they reach; an edge from each contract to each
//! direct base (labelled with its position when there are several, since
//! order decides the linearization).

use std::collections::BTreeSet;
use std::fmt::Write;

use bulwark_sema::{DeclId, Model};
use bulwark_syntax::ast::ContractKind;

/// Node style per kind, so interfaces and libraries stand out.
fn style(kind: ContractKind, is_abstract: bool) -> &'static str {
    match kind {
        ContractKind::Interface => "shape=box, style=\"dashed\", color=\"#1f77b4\"",
        ContractKind::Library => "shape=box, style=\"rounded,filled\", fillcolor=\"#e8f4e8\"",
        ContractKind::Contract if is_abstract => "shape=box, style=\"dotted\"",
        ContractKind::Contract => "shape=box",
    }
}

fn kind_word(kind: ContractKind, is_abstract: bool) -> &'static str {
    match kind {
        ContractKind::Interface => "interface",
        ContractKind::Library => "library",
        ContractKind::Contract if is_abstract => "abstract contract",
        ContractKind::Contract => "contract",
    }
}

fn node_id(model: &Model, d: DeclId) -> String {
    // Names may repeat across files: qualify by file for uniqueness.
    let decl = model.decl(d);
    format!("{}:{}", model.file(decl.file).rel_path, decl.name)
}

pub fn render(model: &Model) -> String {
    let mut nodes: BTreeSet<DeclId> = BTreeSet::new();
    for c in super::input_contracts(model) {
        nodes.extend(c.linearization.iter().copied());
    }
    let mut out =
        String::from("digraph inheritance {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n");
    for &d in &nodes {
        let Some(c) = model.contract(d) else { continue };
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\\n<<{}>>\", {}];",
            node_id(model, d),
            c.ast.name.name,
            kind_word(c.kind, c.is_abstract),
            style(c.kind, c.is_abstract)
        );
    }
    for &d in &nodes {
        let Some(c) = model.contract(d) else { continue };
        let bases: Vec<DeclId> = c.bases.iter().filter_map(|b| b.contract).collect();
        for (i, &b) in bases.iter().enumerate() {
            let label = if bases.len() > 1 {
                format!(" [label=\"{}\"]", i + 1)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{}\"{label};",
                node_id(model, d),
                node_id(model, b)
            );
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use bulwark_sema::{analyze, LoadOptions, Project};

    #[test]
    fn edges_point_to_bases_and_kinds_are_marked() {
        let src = "interface I {} library L {} abstract contract A is I {} contract B is A, I {}";
        let project = Project::from_sources(&[("x.sol", src)], &LoadOptions::default());
        let dot = super::render(&analyze(&project));
        assert!(
            dot.contains("\"x.sol:B\" -> \"x.sol:A\" [label=\"1\"];"),
            "{dot}"
        );
        assert!(
            dot.contains("\"x.sol:B\" -> \"x.sol:I\" [label=\"2\"];"),
            "{dot}"
        );
        assert!(dot.contains("\"x.sol:A\" -> \"x.sol:I\";"), "{dot}");
        assert!(dot.contains("I\\n<<interface>>"));
        assert!(dot.contains("L\\n<<library>>"));
        assert!(dot.contains("A\\n<<abstract contract>>"));
    }
}
