//! `bulwark serve`: the audit service (HTTP API, web workspace, job
//! runners), and the configuration flags it shares with `bulwark worker`.
//!
//! Configuration precedence: flags, then environment variables (named in
//! `--help`), then the `--config` TOML file, then built-in defaults.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use bulwark_server::{PipelineEngine, ServerConfig};
use clap::Args;

/// Flags shared by `serve` and `worker`.
#[derive(Args)]
pub struct ServiceFlags {
    /// TOML configuration file (see the README's Service section).
    #[arg(long, env = "BULWARK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// SQLite file path (default `bulwark.db`) or `postgres://user:pass@host/db`.
    #[arg(long, env = "BULWARK_DATABASE", value_name = "PATH|URL")]
    pub database: Option<String>,
    /// Audits run at once by this process (0: API only, no job runner).
    #[arg(long, env = "BULWARK_CONCURRENCY", value_name = "N")]
    pub concurrency: Option<usize>,
    /// Where uploads are unpacked while audited (default: the system temp dir).
    #[arg(long, env = "BULWARK_SCRATCH_DIR", value_name = "DIR")]
    pub scratch_dir: Option<PathBuf>,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "BULWARK_LOG_JSON")]
    pub log_json: bool,
}

impl ServiceFlags {
    /// The configuration file (if any) with these flags applied on top.
    pub fn load(&self) -> Result<ServerConfig, String> {
        let mut config = match &self.config {
            Some(path) => ServerConfig::from_file(path)?,
            None => ServerConfig::default(),
        };
        if let Some(database) = &self.database {
            config.database = database.clone();
        }
        if let Some(n) = self.concurrency {
            config.jobs.concurrency = n;
        }
        if let Some(dir) = &self.scratch_dir {
            config.jobs.scratch_dir = Some(dir.clone());
        }
        config.log_json |= self.log_json;
        Ok(config)
    }
}

#[derive(Args)]
#[command(
    about = "Run the audit service: HTTP API, web workspace and audit job runners",
    long_about = "Runs the audit service: the HTTP API (/api/v1, documented at /docs and \
                  /openapi.json), the web workspace (/), health (/healthz, /readyz) and \
                  metrics (/metrics), and job runners that audit uploaded projects.\n\n\
                  The database is an SQLite file by default; give a postgres:// URL to share \
                  the job queue with `bulwark worker` processes on other machines.\n\n\
                  First start: `bulwark serve --bootstrap-admin` prints an admin API key for \
                  the operator organisation, then `bulwark serve` serves.\n\n\
                  Example: bulwark serve --listen 127.0.0.1:8080 --database /var/lib/bulwark/bulwark.db"
)]
pub struct ServeArgs {
    #[command(flatten)]
    pub service: ServiceFlags,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "BULWARK_LISTEN", value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Largest request body, uploads included, in bytes.
    #[arg(long, env = "BULWARK_MAX_BODY_BYTES", value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Sustained requests per second per API key.
    #[arg(long, env = "BULWARK_RATE_PER_SEC", value_name = "N")]
    pub rate_per_sec: Option<f64>,
    /// Burst of requests per API key above the sustained rate.
    #[arg(long, env = "BULWARK_RATE_BURST", value_name = "N")]
    pub rate_burst: Option<u32>,
    /// Time limit of one request, in seconds.
    #[arg(long, env = "BULWARK_REQUEST_TIMEOUT_SECS", value_name = "SECS")]
    pub request_timeout_secs: Option<u64>,
    /// Create the operator organisation ORG (default `operator`) if needed,
    /// print a new admin API key for it, and exit.
    #[arg(long, value_name = "ORG", num_args = 0..=1, default_missing_value = "operator")]
    pub bootstrap_admin: Option<String>,
}

pub fn run(args: ServeArgs) -> i32 {
    let mut config = match args.service.load() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            return 2;
        }
    };
    if let Some(listen) = args.listen {
        config.listen = listen;
    }
    if let Some(n) = args.max_body_bytes {
        config.limits.max_body_bytes = n;
    }
    if let Some(n) = args.rate_per_sec {
        config.limits.rate_per_sec = n;
    }
    if let Some(n) = args.rate_burst {
        config.limits.rate_burst = n;
    }
    if let Some(n) = args.request_timeout_secs {
        config.limits.request_timeout_secs = n;
    }
    bulwark_server::init_logging(config.log_json);
    let runtime = match bulwark_server::runtime() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return 2;
        }
    };
    if let Some(org) = args.bootstrap_admin {
        return match runtime.block_on(bulwark_server::bootstrap_admin(&config.database, &org)) {
            Ok((org_id, token)) => {
                println!("{token}");
                eprintln!(
                    "created an admin API key for organisation `{org}` ({org_id}); it is shown only once"
                );
                0
            }
            Err(err) => {
                eprintln!("error: {err}");
                2
            }
        };
    }
    match runtime.block_on(bulwark_server::serve(config, Arc::new(PipelineEngine))) {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("error: {err}");
            2
        }
    }
}
