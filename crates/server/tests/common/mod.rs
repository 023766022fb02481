//! Shared test harness: a real server on a loopback port, backed by a fresh
//! SQLite file or a fresh PostgreSQL database, driven over HTTP.
#![allow(dead_code)]

pub mod engine;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bulwark_server::{RunningServer, ServerConfig};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};
use sqlx::Connection;

pub use engine::MarkerEngine;

pub const PG_ENV: &str = "BULWARK_TEST_POSTGRES_URL";

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A scratch directory removed at drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "bulwark-test-{tag}-{}",
            bulwark_server::util::new_id("t")
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Test databases are never dropped by the test that made it (the server
/// may still hold connections when the test ends); instead every new one
/// drops those created more than an hour ago, so a developer's PostgreSQL
/// does not fill up with them. Failures (a database still in use) are fine.
async fn drop_stale_test_databases(conn: &mut sqlx::AnyConnection, now: u64) {
    let Ok(rows) = sqlx::query_scalar::<_, String>(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'bwtest_%'",
    )
    .fetch_all(&mut *conn)
    .await
    else {
        return;
    };
    for name in rows {
        let created = name.split('_').nth(1).and_then(|t| t.parse::<u64>().ok());
        // Names from before this scheme carry no time: treat them as stale.
        if created.is_none_or(|t| t + 3600 < now) {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                .execute(&mut *conn)
                .await;
        }
    }
}

/// A new, empty PostgreSQL database for one test; `None` (with a message)
/// when no server was given.
pub async fn fresh_postgres_database() -> Option<String> {
    let Ok(base) = std::env::var(PG_ENV) else {
        eprintln!("SKIPPED: set {PG_ENV}=postgres://user:pass@127.0.0.1/postgres to run the PostgreSQL tests (.ci/run does)");
        return None;
    };
    sqlx::any::install_default_drivers();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // The creation time is in the name so later runs can tell abandoned
    // databases from those of tests running right now.
    let name = bulwark_server::util::new_id(&format!("bwtest_{now}"));
    let mut conn = sqlx::AnyConnection::connect(&base)
        .await
        .expect("connect to BULWARK_TEST_POSTGRES_URL");
    drop_stale_test_databases(&mut conn, now).await;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let _ = conn.close().await;
    let (prefix, query) = match base.split_once('?') {
        Some((p, q)) => (p.to_string(), format!("?{q}")),
        None => (base.clone(), String::new()),
    };
    let root = prefix
        .rsplit_once('/')
        .map(|(r, _)| r.to_string())
        .unwrap_or(prefix);
    Some(format!("{root}/{name}{query}"))
}

/// Drops a database made by `fresh_postgres_database`, closing whatever
/// connections a server left open (each one holds several MB of disk; runs
/// in a loop would otherwise fill the disk before the hourly clean-up).
async fn drop_postgres_database(url: &str) {
    let (Ok(base), Some(name)) = (
        std::env::var(PG_ENV),
        url.split('?').next().and_then(|u| u.rsplit('/').next()),
    ) else {
        return;
    };
    if !name.starts_with("bwtest_") {
        return;
    }
    let Ok(mut conn) = sqlx::AnyConnection::connect(&base).await else {
        return;
    };
    // FORCE (PostgreSQL 13+) ends the connections of a server still running
    // because its test panicked; older servers get the plain form.
    let forced = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .execute(&mut conn)
        .await;
    if forced.is_err() {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\""))
            .execute(&mut conn)
            .await;
    }
    let _ = conn.close().await;
}

/// The database value for `backend`, or `None` when the test must skip.
pub async fn database_for(backend: Backend, dir: &TempDir) -> Option<String> {
    match backend {
        Backend::Sqlite => Some(dir.0.join("bulwark.db").display().to_string()),
        Backend::Postgres => fresh_postgres_database().await,
    }
}

/// A fast-moving configuration for tests; scratch files go under `dir`.
pub fn test_config(database: String, dir: &std::path::Path) -> ServerConfig {
    let mut config = ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database,
        ..ServerConfig::default()
    };
    config.jobs.poll_ms = 20;
    config.jobs.lease_secs = 2;
    config.jobs.retry_base_secs = 0;
    config.jobs.concurrency = 2;
    config.jobs.scratch_dir = Some(dir.join("scratch"));
    config.limits.rate_per_sec = 1000.0;
    config.limits.rate_burst = 1000;
    config
}

pub struct TestServer {
    pub server: Option<RunningServer>,
    pub base: String,
    pub admin: String,
    pub client: Client,
    pub dir: TempDir,
    pub database: String,
}

/// A PostgreSQL test database is dropped with its test, passed or failed.
impl Drop for TestServer {
    fn drop(&mut self) {
        if !self.database.starts_with("postgres") {
            return;
        }
        let database = self.database.clone();
        // Drop cannot await: a thread with its own runtime does the work
        // (the test's runtime may be the one this thread is blocking).
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|runtime| runtime.block_on(drop_postgres_database(&database)))
        })
        .join();
    }
}

impl TestServer {
    /// `None` when the backend is not available (PostgreSQL without its URL).
    pub async fn start(backend: Backend) -> Option<TestServer> {
        Self::start_with(backend, |_| {}).await
    }

    pub async fn start_with(
        backend: Backend,
        tweak: impl FnOnce(&mut ServerConfig),
    ) -> Option<TestServer> {
        Self::start_with_engine(backend, Arc::new(MarkerEngine::default()), tweak).await
    }

    pub async fn start_with_engine(
        backend: Backend,
        engine: Arc<dyn bulwark_server::AuditEngine>,
        tweak: impl FnOnce(&mut ServerConfig),
    ) -> Option<TestServer> {
        let dir = TempDir::new("srv");
        let database = database_for(backend, &dir).await?;
        let mut config = test_config(database.clone(), &dir.0);
        tweak(&mut config);
        let (_, admin) = bulwark_server::bootstrap_admin(&database, "operator")
            .await
            .unwrap();
        let server = bulwark_server::start(config, engine).await.unwrap();
        let base = format!("http://{}", server.addr);
        Some(TestServer {
            server: Some(server),
            base,
            admin,
            client: Client::new(),
            dir,
            database,
        })
    }

    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(key) = key {
            req = req.bearer_auth(key);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.unwrap()
    }

    /// Sends and expects `status`, returning the JSON body.
    pub async fn expect(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
        status: StatusCode,
    ) -> Value {
        let response = self.call(method.clone(), path, key, body).await;
        let got = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(got, status, "{method} {path} answered {got}: {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn get(&self, path: &str, key: &str) -> Value {
        self.expect(Method::GET, path, Some(key), None, StatusCode::OK)
            .await
    }

    pub async fn upload(&self, key: &str, project_id: &str, archive: Vec<u8>) -> Response {
        self.client
            .post(format!(
                "{}/api/v1/projects/{project_id}/uploads",
                self.base
            ))
            .bearer_auth(key)
            .header("content-type", "application/octet-stream")
            .body(archive)
            .send()
            .await
            .unwrap()
    }

    /// Creates an organisation through the operator key; returns (org id, admin token).
    pub async fn new_org(&self, name: &str) -> (String, String) {
        let body = self
            .expect(
                Method::POST,
                "/api/v1/orgs",
                Some(&self.admin),
                Some(json!({"name": name})),
                StatusCode::CREATED,
            )
            .await;
        (
            body["org"]["id"].as_str().unwrap().to_string(),
            body["admin_key"]["token"].as_str().unwrap().to_string(),
        )
    }

    pub async fn new_key(&self, admin: &str, scopes: &[&str]) -> String {
        let body = self
            .expect(
                Method::POST,
                "/api/v1/keys",
                Some(admin),
                Some(json!({"name": "test", "scopes": scopes})),
                StatusCode::CREATED,
            )
            .await;
        body["token"].as_str().unwrap().to_string()
    }

    pub async fn new_project(&self, key: &str, name: &str) -> String {
        let body = self
            .expect(
                Method::POST,
                "/api/v1/projects",
                Some(key),
                Some(json!({"name": name})),
                StatusCode::CREATED,
            )
            .await;
        body["id"].as_str().unwrap().to_string()
    }

    /// Uploads `files` as a .tar.gz and returns the upload id.
    pub async fn upload_files(
        &self,
        key: &str,
        project_id: &str,
        files: &[(&str, &str)],
    ) -> String {
        let response = self.upload(key, project_id, tar_gz(files)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.unwrap();
        body["id"].as_str().unwrap().to_string()
    }

    pub async fn start_audit(&self, key: &str, project_id: &str, body: Value) -> String {
        let audit = self
            .expect(
                Method::POST,
                &format!("/api/v1/projects/{project_id}/audits"),
                Some(key),
                Some(body),
                StatusCode::ACCEPTED,
            )
            .await;
        audit["id"].as_str().unwrap().to_string()
    }

    /// Polls until the audit reaches a final state (or panics after `limit`).
    pub async fn wait_audit(&self, key: &str, audit_id: &str, limit: Duration) -> Value {
        let started = Instant::now();
        loop {
            let audit = self.get(&format!("/api/v1/audits/{audit_id}"), key).await;
            let status = audit["status"].as_str().unwrap().to_string();
            if ["succeeded", "failed", "cancelled"].contains(&status.as_str()) {
                return audit;
            }
            assert!(
                started.elapsed() < limit,
                "audit {audit_id} still {status} after {limit:?}: {audit}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// A .tar.gz holding `files` (path, text).
pub fn tar_gz(files: &[(&str, &str)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for (path, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, path, text.as_bytes())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

/// A .zip holding `files` (path, text).
pub fn zip(files: &[(&str, &str)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, text) in files {
        writer.start_file(*path, options).unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Runs a test body once per backend. The PostgreSQL variant skips (with a
/// message) unless `BULWARK_TEST_POSTGRES_URL` is set.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $body($crate::common::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $body($crate::common::Backend::Postgres).await;
            }
        }
    };
}

/// The sample project: two files with planted findings of several
/// severities.
pub const VAULT_V1: &str = "pragma solidity ^0.8.0;\ncontract Vault {\n    function withdraw() external {\n        (bool ok, ) = msg.sender.call{value: 1}(\"\"); // FINDING high reentrancy-eth\n        balance = 0; // FINDING medium state-after-call\n    }\n}\n";
pub const TOKEN_V1: &str = "pragma solidity ^0.8.0;\ncontract Token {\n    function rand() public view returns (uint) {\n        return block.timestamp % 7; // FINDING low weak-prng\n    }\n}\n";
/// The vault after a fix: the reentrancy is gone, the rest moved down a
/// few lines, and a new finding appears.
pub const VAULT_V2: &str = "pragma solidity ^0.8.0;\n\n// fixed version\ncontract Vault {\n    function withdraw() external {\n        balance = 0; // FINDING medium state-after-call\n        tx.origin; // FINDING high tx-origin\n    }\n}\n";
