//! HTTP API v1, the documentation and the web workspace, as one router.

pub mod audits;
pub mod dto;
pub mod extract;
pub mod findings;
pub mod health;
pub mod middleware;
pub mod orgs;
pub mod projects;
pub mod validate;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

use crate::config::ServerConfig;
use crate::engine::AuditEngine;
use crate::metrics::Metrics;
use crate::problem::ApiError;
use crate::store::Store;
use middleware::{KeyCache, RateLimiter};

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub engine: Arc<dyn AuditEngine>,
    pub config: Arc<ServerConfig>,
    pub metrics: Arc<Metrics>,
    pub rate_limiter: Arc<RateLimiter>,
    pub key_cache: Arc<KeyCache>,
    /// Set when shutdown begins, so `/readyz` takes the server out of a
    /// load balancer before it stops.
    pub shutting_down: Arc<AtomicBool>,
}

impl AppState {
    pub fn new(
        store: Store,
        engine: Arc<dyn AuditEngine>,
        config: ServerConfig,
        metrics: Arc<Metrics>,
    ) -> AppState {
        AppState {
            rate_limiter: Arc::new(RateLimiter::new(
                config.limits.rate_per_sec,
                config.limits.rate_burst,
            )),
            key_cache: Arc::new(KeyCache::new(Duration::from_secs(10))),
            shutting_down: Arc::new(AtomicBool::new(false)),
            store,
            engine,
            config: Arc::new(config),
            metrics,
        }
    }
}

async fn not_found() -> impl IntoResponse {
    ApiError::not_found("route")
}

pub fn router(state: AppState) -> Router {
    let authenticated = Router::new()
        .route("/api/v1/org", get(orgs::current_org))
        .route("/api/v1/orgs", post(orgs::create_org))
        .route("/api/v1/keys", get(orgs::list_keys).post(orgs::create_key))
        .route(
            "/api/v1/keys/{key_id}",
            axum::routing::delete(orgs::revoke_key),
        )
        .route(
            "/api/v1/projects",
            get(projects::list_projects).post(projects::create_project),
        )
        .route("/api/v1/projects/{project_id}", get(projects::get_project))
        .route(
            "/api/v1/projects/{project_id}/uploads",
            get(projects::list_uploads).post(projects::create_upload),
        )
        .route(
            "/api/v1/projects/{project_id}/audits",
            get(audits::list_audits).post(audits::start_audit),
        )
        .route("/api/v1/audits/{audit_id}", get(audits::get_audit))
        .route(
            "/api/v1/audits/{audit_id}/cancel",
            post(audits::cancel_audit),
        )
        .route(
            "/api/v1/audits/{audit_id}/retest",
            post(audits::start_retest),
        )
        .route(
            "/api/v1/audits/{audit_id}/comparison",
            get(audits::comparison),
        )
        .route("/api/v1/audits/{audit_id}/report", get(audits::report))
        .route(
            "/api/v1/audits/{audit_id}/findings",
            get(findings::list_findings),
        )
        .route(
            "/api/v1/findings/{finding_id}",
            get(findings::get_finding).patch(findings::triage),
        )
        .route(
            "/api/v1/findings/{finding_id}/comments",
            post(findings::add_comment),
        )
        .route(
            "/api/v1/findings/{finding_id}/history",
            get(findings::history),
        )
        .route("/metrics", get(health::metrics))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::require_key,
        ));

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(crate::openapi::routes())
        .merge(crate::web::routes())
        .merge(authenticated)
        .fallback(not_found)
        // Our extractors enforce the configured limit themselves (with a
        // problem document); this only lifts axum's fixed 2 MB default.
        .layer(DefaultBodyLimit::max(state.config.limits.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::observe,
        ))
        .with_state(state)
}
