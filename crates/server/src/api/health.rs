//! Liveness, readiness and metrics.

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::dto::Health;
use super::extract::Caller;
use super::AppState;
use crate::auth::Scope;
use crate::metrics::Gauge;
use crate::problem::{ApiError, ApiResult, Problem};

/// The process is up (no key needed).
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// The process can serve: the database answers and no shutdown is under
/// way (no key needed).
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let ready = !state.shutting_down.load(Ordering::Relaxed) && state.store.ping().await;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let text = if ready { "ok" } else { "unavailable" };
    (
        status,
        Json(Health {
            status: text.into(),
        }),
    )
}

/// Prometheus metrics in the text exposition format (an admin key of the
/// operator organisation: they cover every organisation).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain"),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn metrics(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let p = caller.require(Scope::Admin)?;
    // The counts cover every organisation: only the operator may read them.
    if !p.operator {
        return Err(ApiError::forbidden(
            "metrics need an admin key of the operator organisation",
        ));
    }
    let jobs = state.store.job_state_counts().await?;
    let audits = state.store.audit_status_counts().await?;
    let text = state.metrics.render(&[
        Gauge {
            name: "bulwark_jobs",
            help: "Audit jobs in the queue by state.",
            values: jobs,
        },
        Gauge {
            name: "bulwark_audits",
            help: "Audits by status.",
            values: audits,
        },
    ]);
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(response)
}
