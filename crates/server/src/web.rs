//! The web workspace and the API documentation page: static files compiled
//! into the binary, so the service works offline with no CDN.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::api::AppState;

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Same-origin only: the pages load nothing from elsewhere.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/",
            get(|| async { asset(include_str!("../web/index.html"), HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset(include_str!("../web/app.js"), JS) }),
        )
        .route(
            "/app.css",
            get(|| async { asset(include_str!("../web/app.css"), CSS) }),
        )
        .route(
            "/docs",
            get(|| async { asset(include_str!("../web/docs.html"), HTML) }),
        )
        .route(
            "/docs.js",
            get(|| async { asset(include_str!("../web/docs.js"), JS) }),
        )
}
