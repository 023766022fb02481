//! `bulwark print call-graph`: the call graph in DOT. The rendering lives
//! in `bulwark_ir::printers` (tested there on the IR fixtures).

use bulwark_ir::ProjectIr;
use bulwark_sema::Model;

pub fn render(model: &Model) -> String {
    let ir = ProjectIr::new(model);
    ir.build_functions();
    bulwark_ir::printers::call_graph_dot(&ir)
}
