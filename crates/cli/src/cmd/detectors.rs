//! `bulwark detectors` and `bulwark explain <id>`.

use clap::Args;

#[derive(Args)]
pub struct DetectorsArgs {}

#[derive(Args)]
pub struct ExplainArgs {
    /// Detector id, e.g. `reentrancy-eth`.
    pub id: String,
}

pub fn run_list(_args: DetectorsArgs) -> i32 {
    eprintln!("error: `bulwark detectors` is not implemented yet");
    2
}

pub fn run_explain(args: ExplainArgs) -> i32 {
    eprintln!("error: no detector named `{}`", args.id);
    2
}
