//! Several processes share one job queue: every audit runs exactly once.
//! On PostgreSQL this exercises `FOR UPDATE SKIP LOCKED`; on SQLite the
//! single-writer claim.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Backend, MarkerEngine, TempDir, TestServer};
use serde_json::json;
use sqlx::Row;

async fn shared_queue(backend: Backend) {
    // The API server runs no audit itself; two other "workers" do. The
    // lease is the production one (30 s), not the tests' 2 s: a heartbeat
    // delayed by a loaded machine must not let a second runner take a job
    // legitimately, which would count as an attempt; only a double claim
    // (the bug this test is for) may.
    let Some(mut srv) = TestServer::start_with(backend, |c| {
        c.jobs.concurrency = 0;
        c.jobs.lease_secs = 30;
    })
    .await
    else {
        return;
    };
    let mut workers = Vec::new();
    for _ in 0..2 {
        let dir = TempDir::new("worker");
        let mut config = common::test_config(srv.database.clone(), &dir.0);
        config.jobs.concurrency = 3;
        config.jobs.lease_secs = 30;
        let worker = bulwark_server::start(config, Arc::new(MarkerEngine::default()))
            .await
            .unwrap();
        workers.push((worker, dir));
    }
    let key = srv.admin.clone();
    let project = srv.new_project(&key, "fleet").await;
    srv.upload_files(
        &key,
        &project,
        &[("A.sol", "// SLOW 100\nuint a; // FINDING medium m\n")],
    )
    .await;
    let mut audits = Vec::new();
    for _ in 0..12 {
        audits.push(srv.start_audit(&key, &project, json!({})).await);
    }
    for audit in &audits {
        let done = srv.wait_audit(&key, audit, Duration::from_secs(60)).await;
        assert_eq!(done["status"], "succeeded", "{done}");
        assert_eq!(done["summary"]["total_findings"], 1);
    }
    // Each job was claimed exactly once.
    let store = bulwark_server::Store::connect(&srv.database, 2)
        .await
        .unwrap();
    let rows = sqlx::query("SELECT attempts FROM jobs")
        .fetch_all(&store.pool)
        .await
        .unwrap();
    assert_eq!(rows.len(), 12);
    assert!(rows
        .iter()
        .all(|r| r.try_get::<i64, _>("attempts").unwrap() == 1));
    let findings = sqlx::query("SELECT COUNT(*) AS n FROM findings")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    assert_eq!(
        findings.try_get::<i64, _>("n").unwrap(),
        12,
        "no audit stored twice"
    );
    for (worker, _dir) in workers {
        worker.shutdown().await;
    }
    srv.stop().await;
}
both_backends!(fleet, shared_queue);
