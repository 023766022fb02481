//! Every security rule of the API, over HTTP: authentication, scopes,
//! organisation isolation, hostile archives, body limits and rate limits.

mod common;

use common::{tar_gz, Backend, TestServer, VAULT_V1};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn assert_problem(body: &Value, status: u16) {
    assert_eq!(body["status"], status, "{body}");
    assert!(
        body["type"].as_str().unwrap().contains("/problems/"),
        "{body}"
    );
    assert!(!body["detail"].as_str().unwrap().is_empty(), "{body}");
}

async fn authentication(backend: Backend) {
    let Some(mut srv) = TestServer::start(backend).await else {
        return;
    };
    // Health needs no key; everything else does.
    srv.expect(Method::GET, "/healthz", None, None, StatusCode::OK)
        .await;
    srv.expect(Method::GET, "/readyz", None, None, StatusCode::OK)
        .await;
    for path in [
        "/api/v1/projects",
        "/api/v1/org",
        "/metrics",
        "/api/v1/audits/aud_x/findings",
    ] {
        let response = srv.call(Method::GET, path, None, None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        assert!(response.headers().contains_key("x-request-id"));
        let body: Value = response.json().await.unwrap();
        assert_problem(&body, 401);
        assert!(body["request_id"].is_string());
    }
    // Malformed, unknown and wrong-secret keys.
    let admin = srv.admin.clone();
    let forged = format!(
        "{}{}",
        &admin[..admin.len() - 4],
        if admin.ends_with("0000") {
            "1111"
        } else {
            "0000"
        }
    );
    for bad in [
        "nope",
        "bwk_0123456789abcdef_0000000000000000000000000000000000000000000000000000000000000000",
        forged.as_str(),
    ] {
        let body = srv
            .expect(
                Method::GET,
                "/api/v1/projects",
                Some(bad),
                None,
                StatusCode::UNAUTHORIZED,
            )
            .await;
        assert_problem(&body, 401);
    }
    // X-Api-Key works as well as Bearer.
    let response = srv
        .client
        .get(format!("{}/api/v1/org", srv.base))
        .header("x-api-key", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // A revoked key stops working at once.
    let created = srv
        .expect(
            Method::POST,
            "/api/v1/keys",
            Some(&admin),
            Some(json!({"name": "temp", "scopes": ["read"]})),
            StatusCode::CREATED,
        )
        .await;
    let token = created["token"].as_str().unwrap();
    let key_id = created["key"]["id"].as_str().unwrap();
    srv.expect(
        Method::GET,
        "/api/v1/projects",
        Some(token),
        None,
        StatusCode::OK,
    )
    .await;
    srv.expect(
        Method::DELETE,
        &format!("/api/v1/keys/{key_id}"),
        Some(&admin),
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    srv.expect(
        Method::GET,
        "/api/v1/projects",
        Some(token),
        None,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    // An admin key cannot revoke itself (no lock-out).
    let own = srv.get("/api/v1/keys", &admin).await;
    let own_id = own
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "bootstrap-admin")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    srv.expect(
        Method::DELETE,
        &format!("/api/v1/keys/{own_id}"),
        Some(&admin),
        None,
        StatusCode::CONFLICT,
    )
    .await;
    // Keys are stored hashed: the token's secret is nowhere in the listing.
    let keys = srv.get("/api/v1/keys", &admin).await;
    assert!(!keys.to_string().contains(&token[21..]));
    srv.stop().await;
}
both_backends!(auth, authentication);

async fn scopes(backend: Backend) {
    let Some(mut srv) = TestServer::start(backend).await else {
        return;
    };
    let (_, admin) = srv.new_org("scoped").await;
    let read = srv.new_key(&admin, &["read"]).await;
    let write = srv.new_key(&admin, &["write"]).await;
    // read cannot write, write cannot administer, and only the operator
    // organisation creates organisations.
    let body = srv
        .expect(
            Method::POST,
            "/api/v1/projects",
            Some(&read),
            Some(json!({"name": "p"})),
            StatusCode::FORBIDDEN,
        )
        .await;
    assert_problem(&body, 403);
    assert!(body["detail"].as_str().unwrap().contains("`write`"));
    srv.expect(
        Method::GET,
        "/api/v1/keys",
        Some(&write),
        None,
        StatusCode::FORBIDDEN,
    )
    .await;
    srv.expect(
        Method::POST,
        "/api/v1/keys",
        Some(&write),
        Some(json!({"name": "x", "scopes": ["admin"]})),
        StatusCode::FORBIDDEN,
    )
    .await;
    srv.expect(
        Method::GET,
        "/metrics",
        Some(&write),
        None,
        StatusCode::FORBIDDEN,
    )
    .await;
    // An admin of an ordinary organisation does not see service-wide counts.
    srv.expect(
        Method::GET,
        "/metrics",
        Some(&admin),
        None,
        StatusCode::FORBIDDEN,
    )
    .await;
    srv.expect(
        Method::POST,
        "/api/v1/orgs",
        Some(&admin),
        Some(json!({"name": "other"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    let project = srv.new_project(&write, "p").await;
    srv.expect(
        Method::GET,
        &format!("/api/v1/projects/{project}"),
        Some(&read),
        None,
        StatusCode::OK,
    )
    .await;
    let response = srv
        .upload(&read, &project, tar_gz(&[("A.sol", VAULT_V1)]))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // Metrics for the operator's admin key.
    let metrics = srv
        .client
        .get(format!("{}/metrics", srv.base))
        .bearer_auth(&srv.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    assert!(text.contains("bulwark_http_requests_total{method=\"POST\",route=\"/api/v1/projects\",status=\"403\"} 1"), "{text}");
    srv.stop().await;
}
both_backends!(scope_rules, scopes);

async fn organisation_isolation(backend: Backend) {
    let Some(mut srv) = TestServer::start(backend).await else {
        return;
    };
    let (_, alice_admin) = srv.new_org("alice-org").await;
    let (_, bob_admin) = srv.new_org("bob-org").await;
    let project = srv.new_project(&alice_admin, "secret").await;
    srv.upload_files(&alice_admin, &project, &[("A.sol", VAULT_V1)])
        .await;
    let audit = srv.start_audit(&alice_admin, &project, json!({})).await;
    let done = srv
        .wait_audit(&alice_admin, &audit, std::time::Duration::from_secs(30))
        .await;
    assert_eq!(done["status"], "succeeded");
    let findings = srv
        .get(&format!("/api/v1/audits/{audit}/findings"), &alice_admin)
        .await;
    let finding = findings["items"][0]["id"].as_str().unwrap().to_string();
    let upload = done["upload_id"].as_str().unwrap().to_string();

    // Bob sees nothing of Alice's, by listing or by id, and cannot act on it.
    assert_eq!(srv.get("/api/v1/projects", &bob_admin).await, json!([]));
    for path in [
        format!("/api/v1/projects/{project}"),
        format!("/api/v1/projects/{project}/uploads"),
        format!("/api/v1/projects/{project}/audits"),
        format!("/api/v1/audits/{audit}"),
        format!("/api/v1/audits/{audit}/findings"),
        format!("/api/v1/audits/{audit}/report?format=html"),
        format!("/api/v1/findings/{finding}"),
        format!("/api/v1/findings/{finding}/history"),
    ] {
        let body = srv
            .expect(
                Method::GET,
                &path,
                Some(&bob_admin),
                None,
                StatusCode::NOT_FOUND,
            )
            .await;
        assert_problem(&body, 404);
    }
    srv.expect(
        Method::PATCH,
        &format!("/api/v1/findings/{finding}"),
        Some(&bob_admin),
        Some(json!({"status": "fixed"})),
        StatusCode::NOT_FOUND,
    )
    .await;
    srv.expect(
        Method::POST,
        &format!("/api/v1/findings/{finding}/comments"),
        Some(&bob_admin),
        Some(json!({"body": "x"})),
        StatusCode::NOT_FOUND,
    )
    .await;
    srv.expect(
        Method::POST,
        &format!("/api/v1/audits/{audit}/cancel"),
        Some(&bob_admin),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    srv.expect(
        Method::POST,
        &format!("/api/v1/audits/{audit}/retest"),
        Some(&bob_admin),
        Some(json!({"upload_id": upload})),
        StatusCode::NOT_FOUND,
    )
    .await;
    srv.expect(
        Method::POST,
        &format!("/api/v1/projects/{project}/audits"),
        Some(&bob_admin),
        Some(json!({})),
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(
        srv.upload(&bob_admin, &project, tar_gz(&[("A.sol", "x")]))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Bob's own project cannot borrow Alice's upload.
    let bob_project = srv.new_project(&bob_admin, "mine").await;
    let body = srv
        .expect(
            Method::POST,
            &format!("/api/v1/projects/{bob_project}/audits"),
            Some(&bob_admin),
            Some(json!({"upload_id": upload})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(body["errors"][0]["field"], "body.upload_id");
    // Bob cannot revoke Alice's keys either.
    let alice_keys = srv.get("/api/v1/keys", &alice_admin).await;
    let alice_key = alice_keys[0]["id"].as_str().unwrap();
    srv.expect(
        Method::DELETE,
        &format!("/api/v1/keys/{alice_key}"),
        Some(&bob_admin),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Nothing of Bob's changed Alice's finding.
    let history = srv
        .get(&format!("/api/v1/findings/{finding}/history"), &alice_admin)
        .await;
    assert_eq!(history, json!([]));
    srv.stop().await;
}
both_backends!(isolation, organisation_isolation);

/// A tar.gz whose single entry has a raw, unchecked name (the tar crate's
/// builder refuses `..`, so the header is written by hand).
fn tar_gz_raw_entry(name: &str, kind: tar::EntryType, link: Option<&str>, data: &[u8]) -> Vec<u8> {
    let mut header = tar::Header::new_old();
    {
        let bytes = header.as_old_mut();
        bytes.name[..name.len()].copy_from_slice(name.as_bytes());
        if let Some(link) = link {
            bytes.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
    }
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_entry_type(kind);
    header.set_cksum();
    let mut raw = header.as_bytes().to_vec();
    raw.extend_from_slice(data);
    raw.resize(raw.len().div_ceil(512) * 512 + 1024, 0);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &raw).unwrap();
    gz.finish().unwrap()
}

async fn hostile_archives(backend: Backend) {
    let Some(mut srv) = TestServer::start_with(backend, |c| {
        c.limits.max_archive_files = 10;
        c.limits.max_uncompressed_bytes = 1024 * 1024;
        c.limits.max_file_bytes = 512 * 1024;
    })
    .await
    else {
        return;
    };
    let key = srv.admin.clone();
    let project = srv.new_project(&key, "hostile").await;
    let rejected = |name: &'static str, archive: Vec<u8>| (name, archive);
    let many: Vec<(String, String)> = (0..11)
        .map(|i| (format!("f{i}.sol"), "x".to_string()))
        .collect();
    let many_refs: Vec<(&str, &str)> = many.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    // 2 MiB of zeros compresses to a few KiB: an archive bomb for our limits.
    let bomb_data = "\0".repeat(2 * 1024 * 1024);
    let zip_traversal = {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        writer
            .start_file("../../escape.sol", zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut writer, b"x").unwrap();
        writer.finish().unwrap().into_inner()
    };
    for (what, archive) in [
        rejected(
            "path traversal",
            tar_gz_raw_entry("../../etc/cron.d/x", tar::EntryType::Regular, None, b"boom"),
        ),
        rejected(
            "absolute path",
            tar_gz_raw_entry("/etc/passwd", tar::EntryType::Regular, None, b"root"),
        ),
        rejected("zip traversal", zip_traversal),
        rejected("too many files", tar_gz(&many_refs)),
        rejected("archive bomb", tar_gz(&[("big.sol", bomb_data.as_str())])),
        rejected(
            "truncated gzip",
            tar_gz(&[("A.sol", VAULT_V1)])[..20].to_vec(),
        ),
    ] {
        let response = srv.upload(&key, &project, archive).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}"
        );
        let body: Value = response.json().await.unwrap();
        assert_problem(&body, 422);
        assert_eq!(body["errors"][0]["field"], "body", "{what}");
    }
    // Not an archive at all.
    let response = srv
        .upload(&key, &project, b"#!/bin/sh\nrm -rf /\n".to_vec())
        .await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Links are skipped, never created: the upload keeps only regular files.
    let with_link = {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut builder = tar::Builder::new(gz);
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Symlink);
        header.set_size(0);
        builder
            .append_link(&mut header, "evil", "/etc/passwd")
            .unwrap();
        let mut file = tar::Header::new_gnu();
        file.set_size(VAULT_V1.len() as u64);
        file.set_mode(0o644);
        builder
            .append_data(&mut file, "Vault.sol", VAULT_V1.as_bytes())
            .unwrap();
        builder.into_inner().unwrap().finish().unwrap()
    };
    let response = srv.upload(&key, &project, with_link).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["file_count"], 1);
    assert_eq!(body["skipped"], json!(["evil"]));
    // Nothing was written outside the server's own directories.
    assert!(!std::path::Path::new("/etc/cron.d/x").exists());
    srv.stop().await;
}
both_backends!(archives, hostile_archives);

async fn body_limits_and_validation(backend: Backend) {
    let Some(mut srv) =
        TestServer::start_with(backend, |c| c.limits.max_body_bytes = 64 * 1024).await
    else {
        return;
    };
    let key = srv.admin.clone();
    let project = srv.new_project(&key, "limits").await;
    // Oversized bodies: announced by Content-Length, and streamed.
    let response = srv.upload(&key, &project, vec![0x1f; 65 * 1024]).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_problem(&body, 413);
    let stream = futures_stream(vec![vec![0x1f; 40 * 1024], vec![0; 40 * 1024]]);
    let response = srv
        .client
        .post(format!("{}/api/v1/projects/{project}/uploads", srv.base))
        .bearer_auth(&key)
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let big_name = "x".repeat(70 * 1024);
    srv.expect(
        Method::POST,
        "/api/v1/projects",
        Some(&key),
        Some(json!({"name": big_name})),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;

    // Validation failures are 422 with the offending fields.
    let body = srv
        .expect(
            Method::POST,
            "/api/v1/projects",
            Some(&key),
            Some(json!({"name": 5})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(body["errors"][0]["field"], "body.name");
    let body = srv
        .expect(
            Method::POST,
            "/api/v1/projects",
            Some(&key),
            Some(json!({"name": "  "})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(
        body["errors"][0],
        json!({"field": "body.name", "message": "must not be empty"})
    );
    let body = srv
        .expect(
            Method::POST,
            &format!("/api/v1/projects/{project}/audits"),
            Some(&key),
            Some(json!({"fail_on": "severe", "detectors": ["Bad Id"]})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["body.detectors[0]", "body.fail_on"]);
    let body = srv
        .expect(
            Method::POST,
            "/api/v1/keys",
            Some(&key),
            Some(json!({"name": "k", "scopes": ["root"]})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(body["errors"][0]["field"], "body.scopes[0]");
    let body = srv
        .expect(
            Method::GET,
            "/api/v1/audits/aud_x/findings?limit=0&severity=huge",
            Some(&key),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
    let body = srv
        .expect(
            Method::GET,
            "/api/v1/audits/aud_x/findings?limit=ten",
            Some(&key),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(body["errors"][0]["field"], "query.limit");
    // A body that is not JSON is refused before it is parsed.
    let response = srv
        .client
        .post(format!("{}/api/v1/projects", srv.base))
        .bearer_auth(&key)
        .body("name=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    srv.stop().await;
}
both_backends!(limits, body_limits_and_validation);

fn futures_stream(
    chunks: Vec<Vec<u8>>,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    struct Chunks(std::vec::IntoIter<Vec<u8>>);
    impl futures_core::Stream for Chunks {
        type Item = Result<Vec<u8>, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next().map(Ok))
        }
    }
    Chunks(chunks.into_iter())
}

async fn rate_limit(backend: Backend) {
    let Some(mut srv) = TestServer::start_with(backend, |c| {
        // Slow refill: a loaded machine cannot earn a token back mid-test.
        c.limits.rate_per_sec = 0.1;
        c.limits.rate_burst = 3;
    })
    .await
    else {
        return;
    };
    // A fresh key with a full bucket; the operator key is the "other" one.
    let (_, key) = srv.new_org("other").await;
    let other = srv.admin.clone();
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(
            srv.call(Method::GET, "/api/v1/org", Some(&key), None)
                .await
                .status(),
        );
    }
    let limited = srv.call(Method::GET, "/api/v1/org", Some(&key), None).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&retry), "Retry-After {retry}");
    let body: Value = limited.json().await.unwrap();
    assert_problem(&body, 429);
    // The limit is per key: another key is unaffected, and health has none.
    assert_eq!(
        srv.call(Method::GET, "/api/v1/org", Some(&other), None)
            .await
            .status(),
        StatusCode::OK
    );
    for _ in 0..10 {
        assert_eq!(
            srv.call(Method::GET, "/healthz", None, None).await.status(),
            StatusCode::OK
        );
    }
    srv.stop().await;
}
both_backends!(rate_limits, rate_limit);
