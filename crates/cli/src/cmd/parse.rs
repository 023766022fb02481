//! `bulwark parse`.

use clap::Args;

#[derive(Args)]
pub struct ParseArgs {}

pub fn run(_args: ParseArgs) -> i32 {
    eprintln!("error: `bulwark parse` is not implemented yet");
    2
}
