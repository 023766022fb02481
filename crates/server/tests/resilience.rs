//! `kill -9` of the server in the middle of an audit: after a restart on
//! the same database the audit completes and nothing recorded is lost.
//!
//! The server runs in a child process: this test binary started again with
//! `--exact child_server --ignored` (the test engine lives in the tests, so
//! the child cannot be the shipped `bulwark` binary). SIGKILL gives the
//! server no chance to clean up, exactly like a crash or an OOM kill.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Backend, TempDir, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

const CHILD_DB: &str = "BULWARK_CHILD_DATABASE";
const CHILD_ADDR_FILE: &str = "BULWARK_CHILD_ADDR_FILE";
const CHILD_SLOW_FACTOR: &str = "BULWARK_CHILD_SLOW_FACTOR";

/// The child side: serve until killed. Ignored in normal runs.
#[test]
#[ignore = "started as a child process by kill9"]
fn child_server() {
    let (Ok(database), Ok(addr_file)) = (std::env::var(CHILD_DB), std::env::var(CHILD_ADDR_FILE))
    else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async move {
        // Scratch space inside the parent's directory: SIGKILL gives the
        // child no chance to clean up, the parent's TempDir does it.
        let parent = PathBuf::from(&addr_file).parent().unwrap().to_path_buf();
        let config = common::test_config(database, &parent);
        let slow_factor = std::env::var(CHILD_SLOW_FACTOR)
            .ok()
            .and_then(|f| f.parse().ok())
            .unwrap_or(1);
        let engine = std::sync::Arc::new(common::MarkerEngine::slowed(slow_factor));
        let server = bulwark_server::start(config, engine).await.unwrap();
        let tmp = PathBuf::from(format!("{addr_file}.tmp"));
        std::fs::write(&tmp, server.addr.to_string()).unwrap();
        std::fs::rename(&tmp, &addr_file).unwrap();
        std::future::pending::<()>().await;
    });
}

/// The child server; killed (SIGKILL) and reaped when dropped, so a failing
/// test leaves no process behind.
struct ChildServer(Child);

impl ChildServer {
    fn kill9(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// `slow_factor`: how many times longer `SLOW` markers last in the child.
fn spawn_child(database: &str, addr_file: &Path, slow_factor: u64) -> (ChildServer, String) {
    let _ = std::fs::remove_file(addr_file);
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_server",
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(CHILD_DB, database)
        .env(CHILD_ADDR_FILE, addr_file)
        .env(CHILD_SLOW_FACTOR, slow_factor.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(ChildServer)
        .unwrap();
    let started = Instant::now();
    loop {
        if let Ok(addr) = std::fs::read_to_string(addr_file) {
            return (child, format!("http://{addr}"));
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the child server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

async fn kill9(backend: Backend) {
    let dir = TempDir::new("kill9");
    let Some(database) = common::database_for(backend, &dir).await else {
        return;
    };
    let (_, admin) = bulwark_server::bootstrap_admin(&database, "operator")
        .await
        .unwrap();
    let addr_file = dir.0.join("addr");

    // The child killed mid-audit runs `SLOW` 20 times slower (the 3 s audit
    // lasts a minute there), so the audit is surely still running when it is
    // killed; the restarted one runs it at the normal pace.
    let (mut child, base) = spawn_child(&database, &addr_file, 20);
    // Drive the child through the same helpers as an in-process server.
    let mut srv = TestServer {
        server: None,
        base,
        admin: admin.clone(),
        client: reqwest::Client::new(),
        dir: TempDir::new("kill9-client"),
        database: database.clone(),
    };
    let project = srv.new_project(&admin, "crashy").await;
    // A first audit finishes and gets triaged before the crash.
    srv.upload_files(
        &admin,
        &project,
        &[("A.sol", "uint a; // FINDING high before-crash\n")],
    )
    .await;
    let first = srv.start_audit(&admin, &project, json!({})).await;
    assert_eq!(
        srv.wait_audit(&admin, &first, Duration::from_secs(30))
            .await["status"],
        "succeeded"
    );
    let findings = srv
        .get(&format!("/api/v1/audits/{first}/findings"), &admin)
        .await;
    let finding = findings["items"][0]["id"].as_str().unwrap().to_string();
    srv.expect(
        Method::PATCH,
        &format!("/api/v1/findings/{finding}"),
        Some(&admin),
        Some(json!({"status": "confirmed", "comment": "before the crash"})),
        StatusCode::OK,
    )
    .await;

    // A slow audit is running when the server is killed.
    let slow =
        "// SLOW 3000\nuint a; // FINDING critical survived\nuint b; // FINDING low survived-too\n";
    srv.upload_files(&admin, &project, &[("Slow.sol", slow)])
        .await;
    let audit = srv.start_audit(&admin, &project, json!({})).await;
    let started = Instant::now();
    loop {
        let body = srv.get(&format!("/api/v1/audits/{audit}"), &admin).await;
        if body["status"] == "running" && body["progress"].as_f64().unwrap() > 0.0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the audit never ran: {body}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill9();
    assert!(
        srv.client
            .get(format!("{}/healthz", srv.base))
            .send()
            .await
            .is_err(),
        "the server is dead"
    );

    // Restart: the expired lease makes the job claimable again.
    let (_child, base) = spawn_child(&database, &addr_file, 1);
    srv.base = base;
    let done = srv
        .wait_audit(&admin, &audit, Duration::from_secs(60))
        .await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["summary"]["total_findings"], 2);
    assert_eq!(done["summary"]["by_severity"]["critical"], 1);
    // What was recorded before the crash is intact.
    let detail = srv
        .get(&format!("/api/v1/findings/{finding}"), &admin)
        .await;
    assert_eq!(detail["status"], "confirmed");
    let history = srv
        .get(&format!("/api/v1/findings/{finding}/history"), &admin)
        .await;
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(
        srv.get(&format!("/api/v1/projects/{project}/audits"), &admin)
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill9_sqlite() {
    kill9(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill9_postgres() {
    kill9(Backend::Postgres).await;
}
