//! The caller's organisation, other organisations (operators only) and
//! API keys.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

use super::dto::{ApiKey, CreateKey, CreateOrg, KeyCreated, Org, OrgCreated};
use super::extract::{Caller, IdPath, JsonBody};
use super::validate::{check_name, Checks};
use super::AppState;
use crate::auth::Scope;
use crate::problem::{ApiError, ApiResult, Problem};

/// The organisation of the calling key.
#[utoipa::path(get, path = "/api/v1/org", tag = "organisations",
    responses((status = 200, body = Org), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn current_org(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Org>> {
    let p = caller.require(Scope::Read)?;
    let org = state
        .store
        .org(&p.org_id)
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    Ok(Json(Org::from(&org)))
}

/// Creates an organisation and its first admin key (operator admins only).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "organisations", request_body = CreateOrg,
    responses((status = 201, body = OrgCreated), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn create_org(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<CreateOrg>,
) -> ApiResult<(StatusCode, Json<OrgCreated>)> {
    let p = caller.require(Scope::Admin)?;
    if !p.operator {
        return Err(ApiError::forbidden(
            "only an admin key of the operator organisation can create organisations",
        ));
    }
    let mut checks = Checks::default();
    check_name(&mut checks, "body.name", &body.name);
    checks.finish()?;
    if state.store.org_by_name(body.name.trim()).await?.is_some() {
        return Err(ApiError::conflict(format!(
            "an organisation named `{}` exists",
            body.name.trim()
        )));
    }
    let org = state.store.create_org(body.name.trim(), false).await?;
    let (key, token) = state
        .store
        .create_key(&org.id, "admin", &[Scope::Admin])
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(OrgCreated {
            org: Org::from(&org),
            admin_key: KeyCreated {
                key: ApiKey::from(&key),
                token,
            },
        }),
    ))
}

/// The organisation's API keys (admin).
#[utoipa::path(get, path = "/api/v1/keys", tag = "keys",
    responses((status = 200, body = Vec<ApiKey>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn list_keys(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ApiKey>>> {
    let p = caller.require(Scope::Admin)?;
    let keys = state.store.list_keys(&p.org_id).await?;
    Ok(Json(keys.iter().map(ApiKey::from).collect()))
}

/// Creates a key of the caller's organisation (admin). The token is in the
/// response only.
#[utoipa::path(post, path = "/api/v1/keys", tag = "keys", request_body = CreateKey,
    responses((status = 201, body = KeyCreated), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn create_key(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<CreateKey>,
) -> ApiResult<(StatusCode, Json<KeyCreated>)> {
    let p = caller.require(Scope::Admin)?;
    let mut checks = Checks::default();
    check_name(&mut checks, "body.name", &body.name);
    if body.scopes.is_empty() {
        checks.add(
            "body.scopes",
            "give at least one scope: read, write or admin",
        );
    }
    checks.finish()?;
    let mut scopes = body.scopes.clone();
    scopes.sort();
    scopes.dedup();
    let (key, token) = state
        .store
        .create_key(&p.org_id, body.name.trim(), &scopes)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(KeyCreated {
            key: ApiKey::from(&key),
            token,
        }),
    ))
}

/// Revokes a key of the caller's organisation (admin).
#[utoipa::path(delete, path = "/api/v1/keys/{key_id}", tag = "keys",
    params(("key_id" = String, Path, description = "Key id (`key_...`)")),
    responses((status = 204, description = "Revoked"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn revoke_key(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(key_id): IdPath,
) -> ApiResult<StatusCode> {
    let p = caller.require(Scope::Admin)?;
    // An admin cannot lock the organisation out by revoking the key it is
    // using; another admin key has to do it.
    if key_id == p.key_id {
        return Err(ApiError::conflict(
            "a key cannot revoke itself; use another admin key",
        ));
    }
    if !state.store.revoke_key(&p.org_id, &key_id).await? {
        return Err(ApiError::not_found("API key"));
    }
    state.key_cache.evict(&key_id);
    Ok(StatusCode::NO_CONTENT)
}
