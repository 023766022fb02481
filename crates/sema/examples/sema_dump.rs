//! Prints every resolution, type and call kind the model records for a
//! path, one line each, in file and node order: a diff of two dumps shows
//! exactly what a change to the analysis altered.
//! `cargo run --release -p bulwark-sema --example sema_dump -- <path> > out.txt`

use std::io::Write;
use std::path::PathBuf;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: sema_dump <path>");
        std::process::exit(2);
    };
    let project = bulwark_sema::load_project(&[PathBuf::from(&path)], &Default::default())
        .unwrap_or_else(|e| {
            eprintln!("error: {e}");
            std::process::exit(2);
        });
    let model = bulwark_sema::analyze(&project);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for file in &project.files {
        let name = &file.rel_path;
        for (node, span, res) in model.resolutions(file.id) {
            let _ = writeln!(out, "{name} {} {span:?} res {res:?}", node.0);
        }
        for (node, span, ty) in model.typed_nodes(file.id) {
            let _ = writeln!(
                out,
                "{name} {} {span:?} type {}",
                node.0,
                model.type_string(ty)
            );
            if let Some(k) = model.call_kind(file.id, node) {
                let _ = writeln!(out, "{name} {} call {k:?}", node.0);
            }
        }
        for fact in model.span_facts(file.id) {
            let _ = writeln!(out, "{name} fact {fact:?}");
        }
        for r in model.all_assembly_refs(file.id) {
            let _ = writeln!(out, "{name} asm {r:?}");
        }
    }
    for c in model.contracts() {
        let _ = writeln!(
            out,
            "contract {:?} lin {:?} fns {:?}",
            c.decl, c.linearization, c.functions
        );
    }
    for f in model.functions() {
        let _ = writeln!(
            out,
            "function {:?} overrides {:?} mods {:?}",
            f.decl, f.overrides, f.modifiers
        );
    }
    for d in model.diagnostics() {
        let _ = writeln!(out, "diag {}", d.render(&project));
    }
}
