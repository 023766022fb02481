//! `bulwark fuzz`.

use clap::Args;

#[derive(Args)]
pub struct FuzzArgs {}

pub fn run(_args: FuzzArgs) -> i32 {
    eprintln!("error: `bulwark fuzz` is not implemented yet");
    2
}
