//! Service configuration: defaults, then a TOML file, then the environment
//! and flags (the CLI applies those last two through [`ServerConfig`]'s
//! public fields). Every knob has a safe default so `bulwark serve` runs
//! with no configuration at all.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// Limits that protect the service from large or hostile input.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest request body accepted (uploads included), in bytes.
    pub max_body_bytes: usize,
    /// Most files an uploaded archive may hold.
    pub max_archive_files: usize,
    /// Largest total uncompressed size of an archive, in bytes (counted while
    /// decompressing, never trusted from headers: archive bombs).
    pub max_uncompressed_bytes: u64,
    /// Largest single file inside an archive, in bytes.
    pub max_file_bytes: u64,
    /// Time limit for one request (uploads included), in seconds.
    pub request_timeout_secs: u64,
    /// Sustained requests per second allowed for one API key.
    pub rate_per_sec: f64,
    /// Burst size of the per-key token bucket.
    pub rate_burst: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 32 * 1024 * 1024,
            max_archive_files: 20_000,
            max_uncompressed_bytes: 256 * 1024 * 1024,
            max_file_bytes: 16 * 1024 * 1024,
            request_timeout_secs: 30,
            rate_per_sec: 50.0,
            rate_burst: 100,
        }
    }
}

/// How audit jobs are run.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct JobSettings {
    /// Audits run at once by this process (0: none, the API only).
    pub concurrency: usize,
    /// How long a claimed job stays ours without a heartbeat, in seconds;
    /// after that another process (or this one after a restart) takes it.
    pub lease_secs: u64,
    /// How often an idle runner looks for work, in milliseconds.
    pub poll_ms: u64,
    /// Attempts before an audit is marked failed.
    pub max_attempts: u32,
    /// First retry delay, doubled on each further attempt, in seconds.
    pub retry_base_secs: u64,
    /// Where uploads are unpacked while they are audited.
    pub scratch_dir: Option<PathBuf>,
    /// On shutdown, how long running audits may take to finish before they
    /// are re-queued for another process, in seconds.
    pub shutdown_grace_secs: u64,
}

impl Default for JobSettings {
    fn default() -> JobSettings {
        JobSettings {
            concurrency: 1,
            lease_secs: 30,
            poll_ms: 250,
            max_attempts: 3,
            retry_base_secs: 5,
            scratch_dir: None,
            shutdown_grace_secs: 10,
        }
    }
}

impl JobSettings {
    pub fn lease(&self) -> Duration {
        Duration::from_secs(self.lease_secs.max(1))
    }

    pub fn scratch_dir(&self) -> PathBuf {
        self.scratch_dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("bulwark-scratch"))
    }
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address the HTTP server listens on.
    pub listen: SocketAddr,
    /// `sqlite://path`, a plain file path (SQLite), or `postgres://...`.
    pub database: String,
    /// Log lines as JSON (for log shippers) instead of text.
    pub log_json: bool,
    pub limits: Limits,
    pub jobs: JobSettings,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: "bulwark.db".to_string(),
            log_json: false,
            limits: Limits::default(),
            jobs: JobSettings::default(),
        }
    }
}

impl ServerConfig {
    /// Reads a TOML configuration file; unknown keys are errors so a typo
    /// does not silently fall back to a default.
    pub fn from_file(path: &Path) -> Result<ServerConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{}: cannot read the configuration file: {e}",
                path.display()
            )
        })?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_overrides_only_what_it_names() {
        let config: ServerConfig = toml::from_str(
            "listen = \"0.0.0.0:9000\"\n[limits]\nrate_burst = 7\n[jobs]\nconcurrency = 4\n",
        )
        .unwrap();
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.limits.rate_burst, 7);
        assert_eq!(config.limits.rate_per_sec, Limits::default().rate_per_sec);
        assert_eq!(config.jobs.concurrency, 4);
        assert_eq!(config.database, "bulwark.db");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = toml::from_str::<ServerConfig>("[limits]\nrate_brust = 7\n").unwrap_err();
        assert!(err.to_string().contains("rate_brust"), "{err}");
    }
}
