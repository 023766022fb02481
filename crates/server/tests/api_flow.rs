//! The main user journey over HTTP: upload → audit → findings → triage →
//! report → retest, on SQLite and PostgreSQL.

mod common;

use std::time::Duration;

use common::{Backend, TestServer, TOKEN_V1, VAULT_V1, VAULT_V2};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn full_journey(backend: Backend) {
    let Some(mut srv) = TestServer::start(backend).await else {
        return;
    };
    let (_, admin) = srv.new_org("acme").await;
    let key = srv.new_key(&admin, &["write"]).await;
    let project = srv.new_project(&key, "vault").await;
    let upload = srv
        .upload_files(
            &key,
            &project,
            &[
                ("src/Vault.sol", VAULT_V1),
                ("src/Token.sol", TOKEN_V1),
                ("README.md", "hi"),
            ],
        )
        .await;

    // Audit with a gate at medium.
    let audit_id = srv
        .start_audit(
            &key,
            &project,
            json!({"upload_id": upload, "fail_on": "medium"}),
        )
        .await;
    let audit = srv
        .wait_audit(&key, &audit_id, Duration::from_secs(30))
        .await;
    assert_eq!(audit["status"], "succeeded", "{audit}");
    assert_eq!(audit["progress"], 1.0);
    let summary = &audit["summary"];
    assert_eq!(summary["files_analysed"], 2);
    assert_eq!(summary["total_findings"], 3);
    assert_eq!(summary["by_severity"]["high"], 1);
    assert_eq!(summary["by_severity"]["critical"], 0);
    assert_eq!(summary["gate_passed"], false);

    // Findings: most severe first, paged with a cursor, filterable.
    let page1 = srv
        .get(&format!("/api/v1/audits/{audit_id}/findings?limit=2"), &key)
        .await;
    let items = page1["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["severity"], "high");
    assert_eq!(items[0]["detector"], "reentrancy-eth");
    assert_eq!(items[0]["locations"][0]["start_line"], 4);
    assert_eq!(items[0]["status"], "open");
    let cursor = page1["next_cursor"].as_str().expect("a second page");
    let page2 = srv
        .get(
            &format!("/api/v1/audits/{audit_id}/findings?limit=2&cursor={cursor}"),
            &key,
        )
        .await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    assert_eq!(page2["items"][0]["severity"], "low");
    assert!(page2["next_cursor"].is_null());
    let filtered = srv
        .get(
            &format!("/api/v1/audits/{audit_id}/findings?severity=medium,low&file=src/"),
            &key,
        )
        .await;
    assert_eq!(filtered["items"].as_array().unwrap().len(), 2);
    let by_detector = srv
        .get(
            &format!("/api/v1/audits/{audit_id}/findings?detector=weak-prng"),
            &key,
        )
        .await;
    assert_eq!(
        by_detector["items"][0]["locations"][0]["file"],
        "src/Token.sol"
    );
    let by_file = srv
        .get(
            &format!("/api/v1/audits/{audit_id}/findings?file=src/Token.sol"),
            &key,
        )
        .await;
    assert_eq!(by_file["items"].as_array().unwrap().len(), 1);

    // Detail: snippet around the primary line and the rule's explanation.
    let high_id = items[0]["id"].as_str().unwrap().to_string();
    let detail = srv.get(&format!("/api/v1/findings/{high_id}"), &key).await;
    let snippet = detail["snippet"].as_array().unwrap();
    assert!(snippet.iter().any(|l| l["highlight"] == true
        && l["line"] == 4
        && l["text"].as_str().unwrap().contains("msg.sender.call")));
    assert_eq!(detail["rule"]["fix"], "Remove the marker.");

    // Triage: status, assignee, comments; each change is in the history.
    let triaged = srv
        .expect(
            Method::PATCH,
            &format!("/api/v1/findings/{high_id}"),
            Some(&key),
            Some(json!({"status": "confirmed", "assignee": "alice", "comment": "real bug"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(triaged["status"], "confirmed");
    assert_eq!(triaged["assignee"], "alice");
    srv.expect(
        Method::POST,
        &format!("/api/v1/findings/{high_id}/comments"),
        Some(&key),
        Some(json!({"body": "fix in PR 12"})),
        StatusCode::CREATED,
    )
    .await;
    srv.expect(
        Method::PATCH,
        &format!("/api/v1/findings/{high_id}"),
        Some(&key),
        Some(json!({"assignee": null})),
        StatusCode::OK,
    )
    .await;
    let history = srv
        .get(&format!("/api/v1/findings/{high_id}/history"), &key)
        .await;
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["status", "assignee", "comment", "comment", "assignee"]
    );
    assert_eq!(history[0]["old_value"], "open");
    assert_eq!(history[0]["new_value"], "confirmed");
    assert_eq!(history[4]["old_value"], "alice");
    assert!(history[4]["new_value"].is_null());
    assert!(history[0]["actor"].as_str().unwrap().contains("key_"));
    let confirmed = srv
        .get(
            &format!("/api/v1/audits/{audit_id}/findings?status=confirmed"),
            &key,
        )
        .await;
    assert_eq!(confirmed["items"].as_array().unwrap().len(), 1);

    // Mark the low finding a false positive: reports leave it out by default.
    let low_id = page2["items"][0]["id"].as_str().unwrap().to_string();
    srv.expect(
        Method::PATCH,
        &format!("/api/v1/findings/{low_id}"),
        Some(&key),
        Some(json!({"status": "false-positive"})),
        StatusCode::OK,
    )
    .await;

    // Reports in every format, rendered by bulwark-report.
    for (format, content_type, needle) in [
        ("json", "application/json", "\"schema_version\""),
        ("sarif", "application/sarif+json", "\"2.1.0\""),
        ("markdown", "text/markdown", "reentrancy-eth"),
        ("html", "text/html", "<html"),
    ] {
        let response = srv
            .call(
                Method::GET,
                &format!("/api/v1/audits/{audit_id}/report?format={format}"),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{format}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(content_type),
            "{format}"
        );
        let text = response.text().await.unwrap();
        assert!(text.contains(needle), "{format} report lacks {needle}");
        assert!(
            !text.contains("planted weak-prng:"),
            "{format} report shows a false positive"
        );
    }
    let json_report = srv
        .get(
            &format!("/api/v1/audits/{audit_id}/report?format=json&include_false_positives=true"),
            &key,
        )
        .await;
    assert_eq!(json_report["findings"].as_array().unwrap().len(), 3);
    srv.expect(
        Method::GET,
        &format!("/api/v1/audits/{audit_id}/report?format=pdf"),
        Some(&key),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    // Retest after the fix: classified by fingerprint, triage carried over.
    let upload2 = srv
        .upload_files(
            &key,
            &project,
            &[("src/Vault.sol", VAULT_V2), ("src/Token.sol", TOKEN_V1)],
        )
        .await;
    let retest = srv
        .expect(
            Method::POST,
            &format!("/api/v1/audits/{audit_id}/retest"),
            Some(&key),
            Some(json!({"upload_id": upload2})),
            StatusCode::ACCEPTED,
        )
        .await;
    let retest_id = retest["id"].as_str().unwrap().to_string();
    assert_eq!(retest["baseline_audit_id"], audit_id.as_str());
    assert_eq!(
        retest["options"]["fail_on"], "medium",
        "options default to the baseline's"
    );
    let done = srv
        .wait_audit(&key, &retest_id, Duration::from_secs(30))
        .await;
    assert_eq!(done["status"], "succeeded", "{done}");
    let cmp = srv
        .get(&format!("/api/v1/audits/{retest_id}/comparison"), &key)
        .await;
    assert_eq!(
        cmp["counts"],
        json!({"fixed": 1, "persisting": 2, "new": 1}),
        "{cmp}"
    );
    assert_eq!(cmp["fixed"][0]["detector"], "reentrancy-eth");
    assert_eq!(cmp["new"][0]["detector"], "tx-origin");
    let persisting_fp = cmp["persisting"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["detector"] == "weak-prng")
        .unwrap();
    assert_eq!(
        persisting_fp["status"], "false-positive",
        "triage carries over to persisting findings"
    );
    assert_eq!(persisting_fp["retest_class"], "persisting");
    // A first audit is no retest.
    srv.expect(
        Method::GET,
        &format!("/api/v1/audits/{audit_id}/comparison"),
        Some(&key),
        None,
        StatusCode::CONFLICT,
    )
    .await;

    let audits = srv
        .get(&format!("/api/v1/projects/{project}/audits"), &key)
        .await;
    assert_eq!(audits.as_array().unwrap().len(), 2);
    srv.stop().await;
}
both_backends!(journey, full_journey);

async fn zip_upload_and_detector_filter(backend: Backend) {
    let Some(mut srv) = TestServer::start(backend).await else {
        return;
    };
    let project = srv.new_project(&srv.admin.clone(), "zipped").await;
    let response = srv
        .upload(
            &srv.admin,
            &project,
            common::zip(&[("contracts/Vault.sol", VAULT_V1)]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let upload: serde_json::Value = response.json().await.unwrap();
    assert_eq!(upload["format"], "zip");
    assert_eq!(upload["file_count"], 1);
    // No upload id: the latest upload is audited.
    let audit_id = srv
        .start_audit(
            &srv.admin,
            &project,
            json!({"detectors": ["state-after-call"]}),
        )
        .await;
    let audit = srv
        .wait_audit(&srv.admin, &audit_id, Duration::from_secs(30))
        .await;
    assert_eq!(audit["summary"]["total_findings"], 1, "{audit}");
    assert_eq!(
        audit["summary"]["gate_passed"], true,
        "medium is below the default gate"
    );
    srv.stop().await;
}
both_backends!(zip_and_filter, zip_upload_and_detector_filter);
