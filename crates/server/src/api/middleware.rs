//! Cross-cutting request handling: request ids, structured access logs,
//! metrics, the time limit, and API-key authentication with rate limiting.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

use super::AppState;
use crate::auth::{hash_secret, hashes_equal, parse_token, Principal};
use crate::problem::ApiError;
use crate::util::{hex, random_bytes};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
pub const API_KEY_HEADER: &str = "x-api-key";

tokio::task_local! {
    /// The id of the request being handled, for problem documents.
    pub static CURRENT_REQUEST_ID: String;
}

/// Assigns (or keeps a sane client-given) request id, logs the request,
/// records metrics and enforces the time limit.
pub async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| hex(&random_bytes(8)));
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        req.headers_mut().insert(REQUEST_ID, value);
    }
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let span =
        tracing::info_span!("request", request_id = %request_id, method = %method, route = %route);
    let started = Instant::now();
    let limit = Duration::from_secs(state.config.limits.request_timeout_secs.max(1));
    let id_for_task = request_id.clone();
    let mut response = CURRENT_REQUEST_ID
        .scope(id_for_task, async move {
            match tokio::time::timeout(limit, next.run(req)).await {
                Ok(response) => response,
                Err(_) => ApiError::timeout().into_response(),
            }
        })
        .instrument(span.clone())
        .await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    state
        .metrics
        .observe_request(method.as_str(), &route, status, elapsed);
    span.in_scope(|| {
        tracing::info!(status, path = %path, elapsed_us = elapsed.as_micros() as u64, "request");
    });
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// Per-key token buckets.
pub struct RateLimiter {
    rate_per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(rate_per_sec: f64, burst: u32) -> RateLimiter {
        RateLimiter {
            rate_per_sec: rate_per_sec.max(0.001),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; `Err(seconds)` tells when one is available.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let (tokens, last) = buckets.entry(key.to_string()).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*last).as_secs_f64() * self.rate_per_sec).min(self.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.rate_per_sec).ceil().max(1.0) as u64)
        }
    }
}

/// Validated keys, remembered briefly so that a hot client does not cost a
/// database round trip per request. Revoking through the API evicts the
/// key at once; a key revoked by another process is honoured within the TTL.
pub struct KeyCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (String, Principal, Instant)>>,
}

impl KeyCache {
    pub fn new(ttl: Duration) -> KeyCache {
        KeyCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, key_id: &str) -> Option<(String, Principal)> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key_id)
            .filter(|(_, _, at)| at.elapsed() < self.ttl)
            .map(|(hash, p, _)| (hash.clone(), p.clone()))
    }

    fn put(&self, key_id: &str, hash: String, principal: Principal) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 10_000 {
            entries.clear();
        }
        entries.insert(key_id.to_string(), (hash, principal, Instant::now()));
    }

    pub fn evict(&self, key_id: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key_id);
    }
}

/// The key presented as `Authorization: Bearer <key>` or `X-Api-Key: <key>`.
fn presented_key(req: &Request) -> Option<&str> {
    if let Some(value) = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let (scheme, token) = value.split_once(' ')?;
        return scheme.eq_ignore_ascii_case("bearer").then(|| token.trim());
    }
    req.headers()
        .get(API_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

async fn authenticate(state: &AppState, token: &str) -> Result<Principal, ApiError> {
    let invalid = || ApiError::unauthorized("the API key is invalid or revoked");
    let (key_id, secret) = parse_token(token).ok_or_else(invalid)?;
    let presented = hash_secret(secret);
    if let Some((hash, principal)) = state.key_cache.get(&key_id) {
        return if hashes_equal(&hash, &presented) {
            Ok(principal)
        } else {
            Err(invalid())
        };
    }
    let key = state.store.key(&key_id).await?.ok_or_else(invalid)?;
    if key.revoked_at.is_some() || !hashes_equal(&key.secret_hash, &presented) {
        return Err(invalid());
    }
    let org = state.store.org(&key.org_id).await?.ok_or_else(invalid)?;
    let principal = Principal {
        key_id: key.id.clone(),
        key_name: key.name.clone(),
        org_id: key.org_id.clone(),
        operator: org.operator,
        scopes: key.scopes.clone(),
    };
    state
        .key_cache
        .put(&key.id, key.secret_hash, principal.clone());
    Ok(principal)
}

/// Requires a valid key, applies its rate limit and hands the caller to
/// the handlers.
pub async fn require_key(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(token) = presented_key(&req).map(str::to_string) else {
        return ApiError::unauthorized(
            "an API key is required: send `Authorization: Bearer <key>` or `X-Api-Key: <key>`",
        )
        .into_response();
    };
    let principal = match authenticate(&state, &token).await {
        Ok(p) => p,
        Err(err) => return err.into_response(),
    };
    if let Err(retry_after) = state.rate_limiter.check(&principal.key_id) {
        state.metrics.observe_rate_limited();
        return ApiError::rate_limited(retry_after).into_response();
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_the_burst_then_refuses_with_a_retry_time() {
        let limiter = RateLimiter::new(1.0, 3);
        for _ in 0..3 {
            assert!(limiter.check("k").is_ok());
        }
        assert_eq!(limiter.check("k"), Err(1));
        assert!(limiter.check("other").is_ok(), "buckets are per key");
    }
}
