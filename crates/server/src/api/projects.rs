//! Projects and uploads.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::dto::{CreateProject, Project, Upload};
use super::extract::{Caller, IdPath, JsonBody, RawBody};
use super::validate::{check_name, Checks};
use super::AppState;
use crate::archive::{self, ArchiveError};
use crate::auth::Scope;
use crate::problem::{ApiError, ApiResult, Problem};
use crate::store::projects::{NewUpload, ProjectRecord};
use crate::util::hex;

/// The raw bytes of a `.tar.gz` or `.zip` archive.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct ArchiveBytes(#[allow(dead_code)] Vec<u8>);

/// A project of the caller's organisation, or 404.
pub async fn owned_project(state: &AppState, org_id: &str, id: &str) -> ApiResult<ProjectRecord> {
    state
        .store
        .project(org_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("project"))
}

#[utoipa::path(get, path = "/api/v1/projects", tag = "projects",
    responses((status = 200, body = Vec<Project>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn list_projects(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<Project>>> {
    let p = caller.require(Scope::Read)?;
    let projects = state.store.list_projects(&p.org_id).await?;
    Ok(Json(projects.iter().map(Project::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = CreateProject,
    responses((status = 201, body = Project), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn create_project(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<CreateProject>,
) -> ApiResult<(StatusCode, Json<Project>)> {
    let p = caller.require(Scope::Write)?;
    let mut checks = Checks::default();
    check_name(&mut checks, "body.name", &body.name);
    checks.finish()?;
    let project = state
        .store
        .create_project(&p.org_id, body.name.trim())
        .await?
        .ok_or_else(|| {
            ApiError::conflict(format!("a project named `{}` exists", body.name.trim()))
        })?;
    Ok((StatusCode::CREATED, Json(Project::from(&project))))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}", tag = "projects",
    params(("project_id" = String, Path, description = "Project id (`prj_...`)")),
    responses((status = 200, body = Project), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn get_project(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(project_id): IdPath,
) -> ApiResult<Json<Project>> {
    let p = caller.require(Scope::Read)?;
    let project = owned_project(&state, &p.org_id, &project_id).await?;
    Ok(Json(Project::from(&project)))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/uploads", tag = "projects",
    params(("project_id" = String, Path, description = "Project id")),
    responses((status = 200, body = Vec<Upload>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn list_uploads(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(project_id): IdPath,
) -> ApiResult<Json<Vec<Upload>>> {
    let p = caller.require(Scope::Read)?;
    let project = owned_project(&state, &p.org_id, &project_id).await?;
    let uploads = state.store.list_uploads(&project.id).await?;
    Ok(Json(
        uploads
            .iter()
            .map(|u| Upload::from_record(u, Vec::new()))
            .collect(),
    ))
}

/// Uploads the project's sources as a `.tar.gz` or `.zip` archive (the
/// format is recognised from the bytes). The archive is checked before it is
/// stored: no absolute paths or `..`, links are skipped, file count and
/// uncompressed size are limited. Nothing in it is ever executed.
#[utoipa::path(post, path = "/api/v1/projects/{project_id}/uploads", tag = "projects",
    params(("project_id" = String, Path, description = "Project id")),
    request_body(content = inline(ArchiveBytes), content_type = "application/octet-stream"),
    responses((status = 201, body = Upload), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn create_upload(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(project_id): IdPath,
    RawBody(bytes): RawBody,
) -> ApiResult<(StatusCode, Json<Upload>)> {
    let p = caller.require(Scope::Write)?;
    let project = owned_project(&state, &p.org_id, &project_id).await?;
    let limits = state.config.limits.clone();
    let checked = bytes.clone();
    let (format, tree) = tokio::task::spawn_blocking(move || archive::unpack(&checked, &limits))
        .await
        .map_err(ApiError::internal)?
        .map_err(|err| match err {
            ArchiveError::UnknownFormat => ApiError::unsupported_media_type(err.to_string()),
            ArchiveError::Rejected(msg) => ApiError::field("body", msg),
        })?;
    if tree.files.is_empty() {
        return Err(ApiError::field("body", "the archive holds no files"));
    }
    let sha256 = hex(&Sha256::digest(&bytes));
    let upload = state
        .store
        .create_upload(
            &project,
            NewUpload {
                format: format.as_str(),
                archive: &bytes,
                file_count: tree.files.len() as i64,
                total_bytes: tree.total_bytes as i64,
                sha256: &sha256,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Upload::from_record(&upload, tree.skipped)),
    ))
}
