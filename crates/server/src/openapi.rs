//! The OpenAPI 3.1 document, generated from the handlers' annotations and
//! the request/response types, served at `/openapi.json`.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::{audits, findings, health, orgs, projects, AppState};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bulwark audit service",
        version = "1.0.0",
        description = "Upload Solidity projects, run Bulwark audits as persistent jobs, triage findings, \
            download reports and retest after fixes. Every route except `/healthz` and `/readyz` needs an API key \
            (`Authorization: Bearer <key>`). Errors are `application/problem+json` documents; validation failures \
            (422) list the offending fields."
    ),
    paths(
        health::healthz, health::readyz, health::metrics,
        orgs::current_org, orgs::create_org, orgs::list_keys, orgs::create_key, orgs::revoke_key,
        projects::list_projects, projects::create_project, projects::get_project,
        projects::list_uploads, projects::create_upload,
        audits::start_audit, audits::list_audits, audits::get_audit, audits::cancel_audit,
        audits::start_retest, audits::comparison, audits::report,
        findings::list_findings, findings::get_finding, findings::triage, findings::add_comment, findings::history,
    ),
    modifiers(&Security),
    tags(
        (name = "organisations", description = "The caller's organisation; operators create others"),
        (name = "keys", description = "API keys of the organisation (admin scope)"),
        (name = "projects", description = "Projects and their uploaded sources"),
        (name = "audits", description = "Audit jobs, retests, comparisons and reports"),
        (name = "findings", description = "Findings and their triage"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API key `bwk_...` (also accepted in an `X-Api-Key` header)",
                    ))
                    .build(),
            ),
        );
        // Documented for clients that cannot set Authorization.
        components.add_security_scheme(
            "api_key_header",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-api-key"))),
        );
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(openapi_json))
}
