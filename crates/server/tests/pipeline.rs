//! The shipped engine (`PipelineEngine`, the pipeline of `bulwark audit`)
//! behind the service: the same findings as the CLI's pipeline, and nothing
//! read from outside the upload.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use common::{tar_gz, Backend, TempDir, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Every file under `root` as (relative path, text).
fn read_tree(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, text));
            }
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_reports_what_the_cli_pipeline_reports() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/vulnerable-vault");
    let files = read_tree(&example);
    assert!(
        files.iter().any(|(p, _)| p.ends_with(".sol")),
        "the bundled example has sources"
    );
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();

    let engine = Arc::new(bulwark_server::PipelineEngine);
    let mut srv = TestServer::start_with_engine(Backend::Sqlite, engine, |_| {})
        .await
        .unwrap();
    let key = srv.admin.clone();
    let project = srv.new_project(&key, "vulnerable-vault").await;
    srv.upload_files(&key, &project, &refs).await;
    let audit = srv
        .start_audit(&key, &project, json!({"fail_on": "none"}))
        .await;
    let done = srv.wait_audit(&key, &audit, Duration::from_secs(60)).await;
    assert_eq!(done["status"], "succeeded", "{done}");

    // The same pipeline run directly on the same sources.
    let request = bulwark_engine::AuditRequest {
        inputs: vec![example.clone()],
        ..Default::default()
    };
    let direct = bulwark_engine::audit(&request, &mut |_| {}).unwrap().report;
    let report = srv
        .get(&format!("/api/v1/audits/{audit}/report?format=json"), &key)
        .await;
    let mut served: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect();
    let mut expected: Vec<String> = direct
        .findings
        .iter()
        .map(|f| f.fingerprint.clone())
        .collect();
    served.sort();
    expected.sort();
    assert_eq!(
        served, expected,
        "the service and the CLI pipeline disagree"
    );
    assert_eq!(done["summary"]["files_analysed"], direct.files.len());
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remappings_cannot_read_files_outside_the_upload() {
    let outside = TempDir::new("outside");
    std::fs::create_dir_all(outside.0.join("secret")).unwrap();
    std::fs::write(
        outside.0.join("secret/Secret.sol"),
        "pragma solidity ^0.8.0;\ncontract Secret { string s = \"TOPSECRET-42\"; }\n",
    )
    .unwrap();
    let remapping = format!("secret/={}/secret/\n", outside.0.display());
    let escape = "pragma solidity ^0.8.0;\nimport \"secret/Secret.sol\";\nimport \"../../../../../../../../etc/hostname\";\ncontract A is Secret {}\n";
    let engine = Arc::new(bulwark_server::PipelineEngine);
    let mut srv = TestServer::start_with_engine(Backend::Sqlite, engine, |_| {})
        .await
        .unwrap();
    let key = srv.admin.clone();
    let project = srv.new_project(&key, "escape").await;
    let response = srv
        .upload(
            &key,
            &project,
            tar_gz(&[
                ("remappings.txt", remapping.as_str()),
                ("src/A.sol", escape),
            ]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let audit = srv.start_audit(&key, &project, json!({})).await;
    let done = srv.wait_audit(&key, &audit, Duration::from_secs(60)).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    for format in ["json", "markdown"] {
        let text = srv
            .call(
                Method::GET,
                &format!("/api/v1/audits/{audit}/report?format={format}"),
                Some(&key),
                None,
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !text.contains("TOPSECRET-42"),
            "{format} report shows a file from outside the upload"
        );
        assert!(
            !text.contains(&outside.0.display().to_string()),
            "{format} report names an outside path"
        );
    }
    assert!(!done.to_string().contains(&outside.0.display().to_string()));
    // The loader itself refused to read them, and says so at the import.
    let report = srv
        .get(&format!("/api/v1/audits/{audit}/report?format=json"), &key)
        .await;
    let errors = report["errors"].to_string();
    assert!(
        errors.contains("leads outside the project root; not read"),
        "{errors}"
    );
    srv.stop().await;
}
