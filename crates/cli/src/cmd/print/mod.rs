//! `bulwark print <printer> <path>`: architecture printers for review.
//!
//! Each printer loads the project, builds the semantic model and writes
//! its report to stdout: `inheritance` (DOT), `storage-layout` (a table
//! per contract), `call-graph` (DOT) and `function-summary` (text per
//! contract), the last two rendered by `bulwark_ir::printers`.

mod call_graph;
mod function_summary;
mod inheritance;
mod storage_layout;

use std::path::PathBuf;

use bulwark_sema::{analyze, load_project, LoadOptions, Model, Project};
use clap::{Args, ValueEnum};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Printer {
    /// Inheritance graph in DOT (contracts, interfaces and libraries drawn differently).
    Inheritance,
    /// Call graph in DOT.
    CallGraph,
    /// Per function: visibility, modifiers, state read/written, calls.
    FunctionSummary,
    /// Storage slots, offsets and sizes of every contract's state variables.
    StorageLayout,
}

#[derive(Args)]
pub struct PrintArgs {
    /// What to print.
    #[arg(value_enum)]
    pub printer: Printer,
    /// A `.sol` file, a directory, or a Foundry/Hardhat project root.
    pub path: PathBuf,
    /// Extra import remapping `[context:]prefix=target` (repeatable).
    #[arg(long = "remap")]
    pub remappings: Vec<String>,
}

pub fn run(args: PrintArgs) -> i32 {
    let opts = LoadOptions {
        remappings: args.remappings.clone(),
        ..LoadOptions::default()
    };
    let project = match load_project(std::slice::from_ref(&args.path), &opts) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    report_problems(&project);
    let model = analyze(&project);
    let text = match args.printer {
        Printer::Inheritance => inheritance::render(&model),
        Printer::StorageLayout => storage_layout::render(&model),
        Printer::CallGraph => call_graph::render(&model),
        Printer::FunctionSummary => function_summary::render(&model),
    };
    print!("{text}");
    // The process exits right after: freeing the model and the trees node
    // by node would only delay that (the OS reclaims the memory at once).
    std::mem::forget(model);
    std::mem::forget(project);
    0
}

/// Loading problems go to stderr; the printers still run on what loaded.
fn report_problems(project: &Project) {
    for d in &project.diagnostics {
        eprintln!("{}", d.render(project));
    }
}

/// Contracts of the analysed (non-dependency) files.
pub(crate) fn input_contracts<'m, 'p>(
    model: &'m Model<'p>,
) -> impl Iterator<Item = &'m bulwark_sema::ContractInfo<'p>> {
    model
        .contracts()
        .iter()
        .filter(|c| !model.file(c.file).is_dependency)
}
