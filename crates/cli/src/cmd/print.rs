//! `bulwark print`.

use clap::Args;

#[derive(Args)]
pub struct PrintArgs {}

pub fn run(_args: PrintArgs) -> i32 {
    eprintln!("error: `bulwark print` is not implemented yet");
    2
}
