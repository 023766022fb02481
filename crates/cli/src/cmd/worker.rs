//! `bulwark worker`: audit job runners without the HTTP API.

use std::sync::Arc;

use bulwark_server::PipelineEngine;
use clap::Args;

use super::serve::ServiceFlags;

#[derive(Args)]
#[command(
    about = "Run audit job runners that share the service's PostgreSQL queue",
    long_about = "Runs audit job runners without the HTTP API. Workers on several machines \
                  share one PostgreSQL job queue with `bulwark serve` (jobs are claimed with \
                  row locks that skip what another worker holds, and leases that expire if a \
                  worker dies). On Ctrl-C or SIGTERM running audits finish within a grace \
                  period or are re-queued.\n\n\
                  Example: bulwark worker --database postgres://bulwark:secret@db/bulwark --concurrency 4"
)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub service: ServiceFlags,
}

pub fn run(args: WorkerArgs) -> i32 {
    let config = match args.service.load() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            return 2;
        }
    };
    bulwark_server::init_logging(config.log_json);
    if !config.database.starts_with("postgres") {
        eprintln!(
            "note: `{}` is an SQLite file: only processes on this machine can share it; use a postgres:// URL to spread work over machines",
            config.database
        );
    }
    let runtime = match bulwark_server::runtime() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return 2;
        }
    };
    match runtime.block_on(bulwark_server::run_worker(config, Arc::new(PipelineEngine))) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("error: {err}");
            2
        }
    }
}
