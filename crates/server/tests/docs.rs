//! The OpenAPI document and the offline pages served by the binary.

mod common;

use common::{Backend, TestServer};
use reqwest::{Method, StatusCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_describes_every_route() {
    let mut srv = TestServer::start(Backend::Sqlite).await.unwrap();
    let doc = srv
        .expect(Method::GET, "/openapi.json", None, None, StatusCode::OK)
        .await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (path, methods) in [
        ("/healthz", &["get"][..]),
        ("/readyz", &["get"]),
        ("/metrics", &["get"]),
        ("/api/v1/org", &["get"]),
        ("/api/v1/orgs", &["post"]),
        ("/api/v1/keys", &["get", "post"]),
        ("/api/v1/keys/{key_id}", &["delete"]),
        ("/api/v1/projects", &["get", "post"]),
        ("/api/v1/projects/{project_id}", &["get"]),
        ("/api/v1/projects/{project_id}/uploads", &["get", "post"]),
        ("/api/v1/projects/{project_id}/audits", &["get", "post"]),
        ("/api/v1/audits/{audit_id}", &["get"]),
        ("/api/v1/audits/{audit_id}/cancel", &["post"]),
        ("/api/v1/audits/{audit_id}/retest", &["post"]),
        ("/api/v1/audits/{audit_id}/comparison", &["get"]),
        ("/api/v1/audits/{audit_id}/report", &["get"]),
        ("/api/v1/audits/{audit_id}/findings", &["get"]),
        ("/api/v1/findings/{finding_id}", &["get", "patch"]),
        ("/api/v1/findings/{finding_id}/comments", &["post"]),
        ("/api/v1/findings/{finding_id}/history", &["get"]),
    ] {
        for method in methods {
            let op = &paths[path][method];
            assert!(op.is_object(), "{method} {path} is not documented");
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            let public = matches!(path, "/healthz" | "/readyz");
            assert_eq!(secured, !public, "{method} {path}: security");
            if !public {
                assert!(
                    op["responses"]["401"].is_object(),
                    "{method} {path} documents 401"
                );
                assert!(
                    op["responses"]["429"].is_object(),
                    "{method} {path} documents 429"
                );
            }
        }
    }
    assert_eq!(paths.len(), 20, "a route is documented but not tested here");
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "Problem",
        "FieldError",
        "Audit",
        "FindingOut",
        "FindingPage",
        "Triage",
        "Comparison",
    ] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["api_key"]["scheme"],
        "bearer"
    );
    srv.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_served_offline_with_a_strict_policy() {
    let mut srv = TestServer::start(Backend::Sqlite).await.unwrap();
    for (path, content_type, needle) in [
        ("/", "text/html", "Bulwark workspace"),
        ("/app.js", "text/javascript", "/api/v1/projects"),
        ("/app.css", "text/css", "--critical"),
        ("/docs", "text/html", "/docs.js"),
        ("/docs.js", "text/javascript", "/openapi.json"),
    ] {
        let response = srv
            .client
            .get(format!("{}{path}", srv.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(content_type),
            "{path}"
        );
        assert!(response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'"));
        let text = response.text().await.unwrap();
        assert!(text.contains(needle), "{path} lacks {needle}");
        // Offline: nothing is loaded from another origin.
        for external in ["https://", "http://", "//cdn"] {
            let loads_external = text.contains(&format!("src=\"{external}"))
                || text.contains(&format!("href=\"{external}"));
            assert!(!loads_external, "{path} loads from {external}");
        }
    }
    let body = srv
        .expect(
            Method::GET,
            "/no/such/page",
            None,
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
    assert_eq!(body["status"], 404);
    srv.stop().await;
}
