//! Request extractors whose rejections are problem documents: JSON bodies
//! and query strings fail with 422 and the path of the offending field,
//! bodies over the size limit with 413.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::request::Parts;
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;

use super::AppState;
use crate::auth::{Principal, Scope};
use crate::problem::{ApiError, FieldError};

/// The raw body, read under the configured size limit.
pub struct RawBody(pub Bytes);

/// How much of an oversized body is still read (and thrown away) before the
/// 413 is sent, and for how long. HTTP/1.1 clients send the whole body
/// before they read the response; if the server closes the connection with
/// unread bytes in its socket, the kernel resets it and the client sees a
/// broken connection instead of the 413. Draining a bounded amount lets
/// well-behaved clients get the problem document; a client sending far more
/// is cut off.
const DRAIN_MAX_BYTES: usize = 4 * 1024 * 1024;
const DRAIN_MAX_TIME: Duration = Duration::from_secs(2);

impl FromRequest<AppState> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let limit = state.config.limits.max_body_bytes;
        let too_large = || {
            ApiError::payload_too_large(format!("the request body is larger than {limit} bytes"))
        };
        let announced = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut body = req.into_body();
        // Refuse early when the client announces the size: nothing is kept,
        // and an announced size within the drain bound is read and dropped.
        if let Some(length) = announced.filter(|&n| n > limit) {
            if length <= DRAIN_MAX_BYTES {
                drain(body).await;
            }
            return Err(too_large());
        }
        let mut buffer = Vec::new();
        loop {
            match body.frame().await {
                None => return Ok(RawBody(Bytes::from(buffer))),
                Some(Err(_)) => {
                    return Err(ApiError::bad_request("the request body could not be read"))
                }
                Some(Ok(frame)) => {
                    let Ok(data) = frame.into_data() else {
                        continue;
                    };
                    if buffer.len() + data.len() > limit {
                        drain(body).await;
                        return Err(too_large());
                    }
                    buffer.extend_from_slice(&data);
                }
            }
        }
    }
}

/// Reads and discards what is left of `body`, within the drain bounds.
async fn drain(mut body: Body) {
    let discard = async {
        let mut discarded = 0usize;
        while let Some(Ok(frame)) = body.frame().await {
            if let Ok(data) = frame.into_data() {
                discarded += data.len();
                if discarded > DRAIN_MAX_BYTES {
                    break;
                }
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_MAX_TIME, discard).await;
}

/// A JSON body deserialised into `T`.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let mime = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json"
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::unsupported_media_type(
                "send the body as `Content-Type: application/json`",
            ));
        }
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value: T = serde_path_to_error::deserialize(&mut de).map_err(|err| {
            let path = err.path().to_string();
            let field = if path == "." {
                "body".to_string()
            } else {
                format!("body.{path}")
            };
            ApiError::validation(vec![FieldError {
                field,
                message: err.inner().to_string(),
            }])
        })?;
        de.end()
            .map_err(|e| ApiError::field("body", e.to_string()))?;
        Ok(JsonBody(value))
    }
}

/// Query parameters deserialised into `T`.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(query));
        serde_path_to_error::deserialize(de)
            .map(QueryParams)
            .map_err(|err| {
                let path = err.path().to_string();
                let field = if path == "." {
                    "query".to_string()
                } else {
                    format!("query.{path}")
                };
                ApiError::validation(vec![FieldError {
                    field,
                    message: err.inner().to_string(),
                }])
            })
    }
}

fn form_urlencoded_parse(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// The authenticated caller (set by the auth middleware).
pub struct Caller(pub Principal);

impl Caller {
    /// Fails with 403 unless the key carries `scope` (or a wider one).
    pub fn require(&self, scope: Scope) -> Result<&Principal, ApiError> {
        if self.0.allows(scope) {
            Ok(&self.0)
        } else {
            Err(ApiError::forbidden(format!(
                "this API key lacks the `{scope}` scope (it has: {})",
                self.0
                    .scopes
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .map(Caller)
            .ok_or_else(|| ApiError::unauthorized("an API key is required"))
    }
}

/// The single id in a route's path. An id that cannot be decoded cannot
/// name anything: it answers 404 in the API's error shape (axum's own
/// rejection would be a plain-text 400).
pub struct IdPath(pub String);

impl FromRequestParts<AppState> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(id)| IdPath(id))
            .map_err(|_| ApiError::not_found("object"))
    }
}
