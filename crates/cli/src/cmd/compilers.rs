//! `bulwark compilers`.

use clap::Args;

#[derive(Args)]
pub struct CompilersArgs {}

pub fn run(_args: CompilersArgs) -> i32 {
    eprintln!("error: `bulwark compilers` is not implemented yet");
    2
}
