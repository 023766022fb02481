//! The persistent job queue seen from the API: progress, cancellation,
//! retries with backoff, and graceful shutdown that re-queues work.

mod common;

use std::time::{Duration, Instant};

use common::{Backend, TestServer, VAULT_V1};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Polls the audit until `pred` holds.
async fn wait_for(
    srv: &TestServer,
    key: &str,
    audit: &str,
    what: &str,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    let started = Instant::now();
    loop {
        let body = srv.get(&format!("/api/v1/audits/{audit}"), key).await;
        if pred(&body) {
            return body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never saw {what}: {body}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Long enough that the audit cannot finish between the moment the test
/// sees it running and its cancel request, however loaded the machine; the
/// cancel ends it within a heartbeat, so the test stays short.
const SLOW: &str = "contract Slow {\n  // SLOW 120000\n  uint x; // FINDING low slow-marker\n}\n";

async fn progress_and_cancel(backend: Backend) {
    let Some(mut srv) = TestServer::start(backend).await else {
        return;
    };
    let key = srv.admin.clone();
    let project = srv.new_project(&key, "slow").await;
    srv.upload_files(&key, &project, &[("Slow.sol", SLOW)])
        .await;
    let audit = srv.start_audit(&key, &project, json!({})).await;
    // Progress is reported while the engine runs.
    let running = wait_for(&srv, &key, &audit, "progress", |a| {
        a["status"] == "running" && a["progress"].as_f64().unwrap() > 0.0
    })
    .await;
    assert!(running["progress"].as_f64().unwrap() < 1.0);
    assert!(running["started_at"].is_string());
    let cancelled = srv
        .expect(
            Method::POST,
            &format!("/api/v1/audits/{audit}/cancel"),
            Some(&key),
            None,
            StatusCode::ACCEPTED,
        )
        .await;
    assert_eq!(
        cancelled["status"], "running",
        "a running audit stops at its next heartbeat"
    );
    let done = srv.wait_audit(&key, &audit, Duration::from_secs(30)).await;
    assert_eq!(done["status"], "cancelled");
    srv.expect(
        Method::POST,
        &format!("/api/v1/audits/{audit}/cancel"),
        Some(&key),
        None,
        StatusCode::CONFLICT,
    )
    .await;
    let body = srv
        .expect(
            Method::GET,
            &format!("/api/v1/audits/{audit}/report"),
            Some(&key),
            None,
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(body["status"], 409);
    srv.stop().await;
}
both_backends!(cancel_running, progress_and_cancel);

async fn cancel_before_start(backend: Backend) {
    // No runner: the audit stays queued until cancelled.
    let Some(mut srv) = TestServer::start_with(backend, |c| c.jobs.concurrency = 0).await else {
        return;
    };
    let key = srv.admin.clone();
    let project = srv.new_project(&key, "queued").await;
    srv.upload_files(&key, &project, &[("A.sol", VAULT_V1)])
        .await;
    let audit = srv.start_audit(&key, &project, json!({})).await;
    let body = srv
        .expect(
            Method::POST,
            &format!("/api/v1/audits/{audit}/cancel"),
            Some(&key),
            None,
            StatusCode::ACCEPTED,
        )
        .await;
    assert_eq!(body["status"], "cancelled");
    assert!(body["finished_at"].is_string());
    srv.stop().await;
}
both_backends!(cancel_queued, cancel_before_start);

async fn retries_with_backoff(backend: Backend) {
    let Some(mut srv) = TestServer::start_with(backend, |c| c.jobs.max_attempts = 3).await else {
        return;
    };
    let key = srv.admin.clone();
    let project = srv.new_project(&key, "flaky").await;
    // Fails twice, then succeeds on the third and last attempt.
    srv.upload_files(
        &key,
        &project,
        &[("A.sol", "// FAIL-TIMES 2\nuint x; // FINDING high flaky\n")],
    )
    .await;
    let audit = srv.start_audit(&key, &project, json!({})).await;
    let done = srv.wait_audit(&key, &audit, Duration::from_secs(30)).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["summary"]["total_findings"], 1);
    assert!(done["error"].is_null());
    // Always failing: the audit fails after max_attempts with the reason.
    srv.upload_files(&key, &project, &[("B.sol", "// FAIL-TIMES 99\n")])
        .await;
    let audit = srv.start_audit(&key, &project, json!({})).await;
    let done = srv.wait_audit(&key, &audit, Duration::from_secs(30)).await;
    assert_eq!(done["status"], "failed", "{done}");
    assert_eq!(done["error"], "planted failure 3 of 99");
    srv.stop().await;
}
both_backends!(retries, retries_with_backoff);

async fn backoff_delays_the_retry(backend: Backend) {
    let Some(mut srv) = TestServer::start_with(backend, |c| c.jobs.retry_base_secs = 2).await
    else {
        return;
    };
    let key = srv.admin.clone();
    let project = srv.new_project(&key, "backoff").await;
    srv.upload_files(&key, &project, &[("A.sol", "// FAIL-TIMES 1\n")])
        .await;
    let started = Instant::now();
    let audit = srv.start_audit(&key, &project, json!({})).await;
    let queued = wait_for(&srv, &key, &audit, "a retry wait", |a| {
        a["error"].is_string()
    })
    .await;
    assert_eq!(
        queued["status"], "queued",
        "waiting for its retry: {queued}"
    );
    let done = srv.wait_audit(&key, &audit, Duration::from_secs(30)).await;
    assert_eq!(done["status"], "succeeded");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "the retry waited for its backoff"
    );
    srv.stop().await;
}
both_backends!(backoff, backoff_delays_the_retry);

async fn shutdown_requeues_running_audits(backend: Backend) {
    // A long lease: if shutdown left the job to its lease instead of
    // re-queueing it, the restarted server could not take it within the test.
    // The first server's engine is slowed (the 1.5 s audit lasts 60 s there)
    // so the audit is surely still running when the server stops.
    let slowed = std::sync::Arc::new(common::MarkerEngine::slowed(40));
    let Some(mut srv) = TestServer::start_with_engine(backend, slowed, |c| {
        c.jobs.shutdown_grace_secs = 0;
        c.jobs.lease_secs = 120;
    })
    .await
    else {
        return;
    };
    let key = srv.admin.clone();
    let project = srv.new_project(&key, "restart").await;
    srv.upload_files(
        &key,
        &project,
        &[("Slow.sol", "// SLOW 1500\nuint x; // FINDING medium kept\n")],
    )
    .await;
    let audit = srv.start_audit(&key, &project, json!({})).await;
    wait_for(&srv, &key, &audit, "running", |a| a["status"] == "running").await;
    srv.stop().await;

    // A new server on the same database picks the audit up at once (it was
    // re-queued, not left to its lease) and completes it.
    let database = srv.database.clone();
    let dir = common::TempDir::new("restart");
    let config = common::test_config(database, &dir.0);
    let server =
        bulwark_server::start(config, std::sync::Arc::new(common::MarkerEngine::default()))
            .await
            .unwrap();
    srv.base = format!("http://{}", server.addr);
    srv.server = Some(server);
    let queued = srv.get(&format!("/api/v1/audits/{audit}"), &key).await;
    assert!(
        ["queued", "running"].contains(&queued["status"].as_str().unwrap()),
        "{queued}"
    );
    let done = srv.wait_audit(&key, &audit, Duration::from_secs(30)).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(done["summary"]["total_findings"], 1);
    srv.stop().await;
}
both_backends!(graceful_shutdown, shutdown_requeues_running_audits);
