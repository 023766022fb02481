//! bulwark-server: the audit service behind `bulwark serve` and
//! `bulwark worker`.
//!
//! - [`api`]: HTTP API v1 (axum), problem+json errors, auth and rate limits;
//! - [`store`]: SQLite or PostgreSQL through one `sqlx::Any` code path;
//! - [`jobs`]: the persistent audit queue and its runners;
//! - [`engine`]: the [`AuditEngine`] trait the runners call;
//! - [`archive`]: safe unpacking of uploads;
//! - [`openapi`] and [`web`]: the generated API document, its docs page and
//!   the web workspace, all served offline by the binary.
//!
//! Entry points: [`start`] (API + runners, returns a handle), [`serve`]
//! (until a signal), [`run_worker`] (runners only), [`bootstrap_admin`].

pub mod api;
pub mod archive;
pub mod auth;
pub mod config;
pub mod engine;
pub mod jobs;
pub mod metrics;
pub mod openapi;
pub mod problem;
pub mod store;
pub mod util;
pub mod web;

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use config::{JobSettings, Limits, ServerConfig};
pub use engine::{AuditEngine, AuditOptions, AuditOutput, EngineError, PipelineEngine};
pub use store::Store;

use api::AppState;
use jobs::RunnerContext;
use metrics::Metrics;

/// Sets up structured logging (text or JSON lines) filtered by `RUST_LOG`
/// (default `info`). Safe to call more than once.
pub fn init_logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Colours only on a terminal: log files and shippers get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init()
    } else {
        builder.try_init()
    };
}

/// A running server: its address, and the way to stop it.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    http: JoinHandle<()>,
    runners: Vec<JoinHandle<()>>,
}

impl RunningServer {
    /// Graceful shutdown: `/readyz` turns unavailable, the listener stops,
    /// in-flight requests complete, running audits finish within the grace
    /// period or are re-queued.
    pub async fn shutdown(self) {
        self.state.shutting_down.store(true, Ordering::Relaxed);
        let _ = self.shutdown.send(true);
        let _ = self.http.await;
        for runner in self.runners {
            let _ = runner.await;
        }
        self.state.store.pool.close().await;
        tracing::info!("shut down");
    }
}

fn runner_context(state: &AppState) -> RunnerContext {
    RunnerContext {
        store: state.store.clone(),
        engine: state.engine.clone(),
        settings: state.config.jobs.clone(),
        limits: state.config.limits.clone(),
        metrics: state.metrics.clone(),
        shutdown_grace: Duration::from_secs(state.config.jobs.shutdown_grace_secs),
    }
}

fn pool_size(config: &ServerConfig) -> u32 {
    (config.jobs.concurrency as u32 * 2 + 8).min(64)
}

/// Connects to the database (running migrations), binds the listener and
/// starts the API and `config.jobs.concurrency` job runners.
pub async fn start(
    config: ServerConfig,
    engine: Arc<dyn AuditEngine>,
) -> Result<RunningServer, String> {
    let store = Store::connect(&config.database, pool_size(&config))
        .await
        .map_err(|e| {
            format!(
                "cannot open the database `{}`: {e}",
                redact(&config.database)
            )
        })?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let state = AppState::new(store, engine, config, Arc::new(Metrics::default()));
    let (shutdown, shutdown_rx) = watch::channel(false);
    let runners = jobs::spawn_runners(runner_context(&state), shutdown_rx.clone());
    let app = api::router(state.clone());
    let mut stop = shutdown_rx;
    let http = tokio::spawn(async move {
        let result = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|&s| s).await;
            })
            .await;
        if let Err(err) = result {
            tracing::error!(error = %err, "HTTP server failed");
        }
    });
    tracing::info!(%addr, backend = state.store.backend.name(), runners = runners.len(), "bulwark serve listening");
    Ok(RunningServer {
        addr,
        state,
        shutdown,
        http,
        runners,
    })
}

/// The multi-threaded runtime the service runs on, for callers (the CLI)
/// that do not depend on tokio themselves.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// `bulwark serve`: runs until Ctrl-C or SIGTERM, then shuts down gracefully.
pub async fn serve(config: ServerConfig, engine: Arc<dyn AuditEngine>) -> Result<(), String> {
    let server = start(config, engine).await?;
    shutdown_signal().await;
    tracing::info!("shutdown requested");
    server.shutdown().await;
    Ok(())
}

/// `bulwark worker`: job runners only, sharing the queue of a PostgreSQL
/// database with the server and other workers.
pub async fn run_worker(config: ServerConfig, engine: Arc<dyn AuditEngine>) -> Result<(), String> {
    let store = Store::connect(&config.database, pool_size(&config))
        .await
        .map_err(|e| {
            format!(
                "cannot open the database `{}`: {e}",
                redact(&config.database)
            )
        })?;
    if config.jobs.concurrency == 0 {
        return Err("a worker needs at least one job runner (--concurrency)".into());
    }
    let state = AppState::new(store, engine, config, Arc::new(Metrics::default()));
    let (shutdown, shutdown_rx) = watch::channel(false);
    let runners = jobs::spawn_runners(runner_context(&state), shutdown_rx);
    tracing::info!(
        backend = state.store.backend.name(),
        runners = runners.len(),
        "bulwark worker started"
    );
    shutdown_signal().await;
    tracing::info!("shutdown requested; finishing or re-queueing running audits");
    let _ = shutdown.send(true);
    for runner in runners {
        let _ = runner.await;
    }
    state.store.pool.close().await;
    Ok(())
}

/// Creates the operator organisation `org_name` (if missing) and a new
/// admin key in it; returns the organisation id and the one-time token.
pub async fn bootstrap_admin(database: &str, org_name: &str) -> Result<(String, String), String> {
    let store = Store::connect(database, 2)
        .await
        .map_err(|e| format!("cannot open the database `{}`: {e}", redact(database)))?;
    let org = match store
        .org_by_name(org_name)
        .await
        .map_err(|e| e.to_string())?
    {
        Some(org) => org,
        None => store
            .create_org(org_name, true)
            .await
            .map_err(|e| e.to_string())?,
    };
    if !org.operator {
        return Err(format!(
            "organisation `{org_name}` exists and is not the operator organisation"
        ));
    }
    let (_, token) = store
        .create_key(&org.id, "bootstrap-admin", &[auth::Scope::Admin])
        .await
        .map_err(|e| e.to_string())?;
    store.pool.close().await;
    Ok((org.id, token))
}

/// Hides a password in a database URL before it is printed.
pub fn redact(database: &str) -> String {
    match (database.find("://"), database.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &database[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => {
                    format!("{}{user}:***{}", &database[..scheme + 3], &database[at..])
                }
                None => database.to_string(),
            }
        }
        _ => database.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted_from_database_urls() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("bulwark.db"), "bulwark.db");
    }
}
