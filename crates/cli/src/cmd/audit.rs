//! `bulwark audit`.

use clap::Args;

#[derive(Args)]
pub struct AuditArgs {}

pub fn run(_args: AuditArgs) -> i32 {
    eprintln!("error: `bulwark audit` is not implemented yet");
    2
}
