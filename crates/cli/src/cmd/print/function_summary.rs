//! `bulwark print function-summary`: per contract and function the
//! visibility, mutability, modifiers, calls and state read/written. The
//! rendering lives in `bulwark_ir::printers` (tested there on the IR
//! fixtures).

use bulwark_ir::ProjectIr;
use bulwark_sema::Model;

pub fn render(model: &Model) -> String {
    let ir = ProjectIr::new(model);
    ir.build_functions();
    bulwark_ir::printers::function_summary(&ir)
}
