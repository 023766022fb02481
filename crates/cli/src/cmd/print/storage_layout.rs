//! Storage layout per contract: slot, offset, size, type, variable and the
//! contract declaring it; transient storage listed separately. Interfaces
//! and libraries have no storage and are skipped.

use std::fmt::Write;

use bulwark_sema::{Model, StorageEntry};
use bulwark_syntax::ast::ContractKind;

fn table(model: &Model, entries: &[StorageEntry], out: &mut String) {
    let rows: Vec<[String; 6]> = entries
        .iter()
        .map(|e| {
            [
                e.slot.to_string(),
                e.offset.to_string(),
                e.size.to_string(),
                model.type_string_short(model.decl_type(e.var)),
                model.decl(e.var).name.clone(),
                model.decl(e.contract).name.clone(),
            ]
        })
        .collect();
    let header = ["slot", "offset", "size", "type", "variable", "contract"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.len());
        }
    }
    let mut line = |cells: [&str; 6]| {
        let mut s = String::from(" ");
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            // Numbers right-aligned, text left-aligned.
            if i < 3 {
                let _ = write!(s, " {cell:>w$} ");
            } else {
                let _ = write!(s, " {cell:<w$} ");
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(header);
    for row in &rows {
        line(row.each_ref().map(String::as_str));
    }
}

pub fn render(model: &Model) -> String {
    let mut out = String::new();
    for c in super::input_contracts(model) {
        if c.kind != ContractKind::Contract {
            continue;
        }
        let layout = model.storage_layout(c.decl);
        let _ = writeln!(out, "{} ({})", c.ast.name.name, model.file(c.file).rel_path);
        if layout.storage.is_empty() {
            out.push_str("  (no storage variables)\n");
        } else {
            table(model, &layout.storage, &mut out);
        }
        if !layout.transient.is_empty() {
            out.push_str("  transient:\n");
            table(model, &layout.transient, &mut out);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use bulwark_sema::{analyze, LoadOptions, Project};

    #[test]
    fn one_table_per_contract_with_packed_offsets() {
        let src = "pragma solidity ^0.8.0; contract C { uint128 a; uint128 b; uint256 constant K = 1; address o; } interface I {}";
        let project = Project::from_sources(&[("c.sol", src)], &LoadOptions::default());
        let text = super::render(&analyze(&project));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "C (c.sol)");
        assert_eq!(
            lines[2].split_whitespace().collect::<Vec<_>>(),
            ["0", "0", "16", "uint128", "a", "C"]
        );
        assert_eq!(
            lines[3].split_whitespace().collect::<Vec<_>>(),
            ["0", "16", "16", "uint128", "b", "C"]
        );
        assert_eq!(
            lines[4].split_whitespace().collect::<Vec<_>>(),
            ["1", "0", "20", "address", "o", "C"]
        );
        assert!(!text.contains("K "), "constants take no storage");
        assert!(!text.contains("I ("), "interfaces have no storage");
    }
}
