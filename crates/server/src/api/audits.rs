//! Audits: start, follow, cancel, retest, compare and report.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bulwark_report::{render, AuditReport, OutputFormat, RenderOptions, ToolInfo};

use super::dto::{
    Audit, Comparison, ComparisonCounts, FindingOut, ReportQuery, StartAudit, StartRetest,
};
use super::extract::{Caller, IdPath, JsonBody, QueryParams};
use super::projects::owned_project;
use super::validate::{check_detectors, check_fail_on, Checks};
use super::AppState;
use crate::auth::Scope;
use crate::engine::AuditOptions;
use crate::jobs::AuditSummary;
use crate::problem::{ApiError, ApiResult, Problem};
use crate::store::audits::{is_terminal, AuditRecord, NewAudit, SUCCEEDED};
use crate::store::jobs::CancelOutcome;
use crate::util::rfc3339;

pub async fn owned_audit(state: &AppState, org_id: &str, id: &str) -> ApiResult<AuditRecord> {
    state
        .store
        .audit(org_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("audit"))
}

/// Validates the requested options, falling back to `defaults`.
fn audit_options(
    state: &AppState,
    detectors: Option<Vec<String>>,
    fail_on: Option<String>,
    defaults: AuditOptions,
) -> ApiResult<AuditOptions> {
    let mut checks = Checks::default();
    let detectors = detectors.unwrap_or(defaults.detectors);
    let known = state.engine.detector_ids();
    check_detectors(&mut checks, "body.detectors", &detectors, known.as_deref());
    let fail_on = fail_on.unwrap_or(defaults.fail_on);
    check_fail_on(&mut checks, "body.fail_on", &fail_on);
    checks.finish()?;
    Ok(AuditOptions {
        detectors,
        fail_on: fail_on.trim().to_ascii_lowercase(),
    })
}

/// Queues an audit of an upload (the latest by default). The analysis runs
/// as a persistent job; follow it with `GET /api/v1/audits/{audit_id}`.
#[utoipa::path(post, path = "/api/v1/projects/{project_id}/audits", tag = "audits",
    params(("project_id" = String, Path, description = "Project id")),
    request_body = StartAudit,
    responses((status = 202, body = Audit), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn start_audit(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(project_id): IdPath,
    JsonBody(body): JsonBody<StartAudit>,
) -> ApiResult<(StatusCode, Json<Audit>)> {
    let p = caller.require(Scope::Write)?;
    let project = owned_project(&state, &p.org_id, &project_id).await?;
    let options = audit_options(
        &state,
        body.detectors,
        body.fail_on,
        AuditOptions::default_gate(),
    )?;
    let upload = match body.upload_id {
        Some(id) => state
            .store
            .upload(&p.org_id, &id)
            .await?
            .filter(|u| u.project_id == project.id)
            .ok_or_else(|| ApiError::field("body.upload_id", "no such upload in this project"))?,
        None => state
            .store
            .latest_upload(&project.id)
            .await?
            .ok_or_else(|| ApiError::field("body.upload_id", "the project has no upload yet"))?,
    };
    let audit = state
        .store
        .create_audit(NewAudit {
            org_id: &p.org_id,
            project_id: &project.id,
            upload_id: &upload.id,
            baseline_audit_id: None,
            options_json: serde_json::to_string(&options).map_err(ApiError::internal)?,
            max_attempts: state.config.jobs.max_attempts,
        })
        .await?;
    Ok((StatusCode::ACCEPTED, Json(Audit::from(&audit))))
}

#[utoipa::path(get, path = "/api/v1/projects/{project_id}/audits", tag = "audits",
    params(("project_id" = String, Path, description = "Project id")),
    responses((status = 200, body = Vec<Audit>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn list_audits(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(project_id): IdPath,
) -> ApiResult<Json<Vec<Audit>>> {
    let p = caller.require(Scope::Read)?;
    let project = owned_project(&state, &p.org_id, &project_id).await?;
    let audits = state.store.list_audits(&p.org_id, &project.id).await?;
    Ok(Json(audits.iter().map(Audit::from).collect()))
}

/// Status, progress and (once succeeded) the summary of an audit.
#[utoipa::path(get, path = "/api/v1/audits/{audit_id}", tag = "audits",
    params(("audit_id" = String, Path, description = "Audit id (`aud_...`)")),
    responses((status = 200, body = Audit), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn get_audit(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(audit_id): IdPath,
) -> ApiResult<Json<Audit>> {
    let p = caller.require(Scope::Read)?;
    Ok(Json(Audit::from(
        &owned_audit(&state, &p.org_id, &audit_id).await?,
    )))
}

/// Cancels a queued or running audit (a running one stops at its next
/// heartbeat). 409 when it already finished.
#[utoipa::path(post, path = "/api/v1/audits/{audit_id}/cancel", tag = "audits",
    params(("audit_id" = String, Path, description = "Audit id")),
    responses((status = 202, body = Audit), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn cancel_audit(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(audit_id): IdPath,
) -> ApiResult<(StatusCode, Json<Audit>)> {
    let p = caller.require(Scope::Write)?;
    let audit = owned_audit(&state, &p.org_id, &audit_id).await?;
    if is_terminal(&audit.status) {
        return Err(ApiError::conflict(format!(
            "the audit already finished ({})",
            audit.status
        )));
    }
    if state.store.request_cancel(&audit.id).await? == CancelOutcome::AlreadyFinished {
        return Err(ApiError::conflict("the audit already finished"));
    }
    let audit = owned_audit(&state, &p.org_id, &audit_id).await?;
    Ok((StatusCode::ACCEPTED, Json(Audit::from(&audit))))
}

/// Audits a new upload of the same project and classifies each finding
/// against this audit by fingerprint: `new`, `persisting` (triage carried
/// over) or `fixed` (see the comparison).
#[utoipa::path(post, path = "/api/v1/audits/{audit_id}/retest", tag = "audits",
    params(("audit_id" = String, Path, description = "The audit to compare with")),
    request_body = StartRetest,
    responses((status = 202, body = Audit), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn start_retest(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(audit_id): IdPath,
    JsonBody(body): JsonBody<StartRetest>,
) -> ApiResult<(StatusCode, Json<Audit>)> {
    let p = caller.require(Scope::Write)?;
    let baseline = owned_audit(&state, &p.org_id, &audit_id).await?;
    let defaults: AuditOptions = serde_json::from_str(&baseline.options).unwrap_or_default();
    let options = audit_options(&state, body.detectors, body.fail_on, defaults)?;
    let upload = state
        .store
        .upload(&p.org_id, &body.upload_id)
        .await?
        .filter(|u| u.project_id == baseline.project_id)
        .ok_or_else(|| {
            ApiError::field("body.upload_id", "no such upload in the audited project")
        })?;
    if baseline.status != SUCCEEDED {
        return Err(ApiError::conflict("only a succeeded audit can be retested"));
    }
    let audit = state
        .store
        .create_audit(NewAudit {
            org_id: &p.org_id,
            project_id: &baseline.project_id,
            upload_id: &upload.id,
            baseline_audit_id: Some(&baseline.id),
            options_json: serde_json::to_string(&options).map_err(ApiError::internal)?,
            max_attempts: state.config.jobs.max_attempts,
        })
        .await?;
    Ok((StatusCode::ACCEPTED, Json(Audit::from(&audit))))
}

/// A retest compared with its baseline: fixed, persisting and new findings.
#[utoipa::path(get, path = "/api/v1/audits/{audit_id}/comparison", tag = "audits",
    params(("audit_id" = String, Path, description = "A retest audit id")),
    responses((status = 200, body = Comparison), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn comparison(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(audit_id): IdPath,
) -> ApiResult<Json<Comparison>> {
    let p = caller.require(Scope::Read)?;
    let audit = owned_audit(&state, &p.org_id, &audit_id).await?;
    let Some(baseline_id) = audit.baseline_audit_id.clone() else {
        return Err(ApiError::conflict(
            "this audit is not a retest: it has no baseline",
        ));
    };
    if audit.status != SUCCEEDED {
        return Err(ApiError::conflict(format!(
            "the retest has not succeeded yet ({})",
            audit.status
        )));
    }
    let current = state.store.all_findings(&p.org_id, &audit.id).await?;
    let baseline = state.store.all_findings(&p.org_id, &baseline_id).await?;
    let present: HashSet<&str> = current.iter().map(|f| f.fingerprint.as_str()).collect();
    let fixed: Vec<FindingOut> = baseline
        .iter()
        .filter(|f| !present.contains(f.fingerprint.as_str()))
        .map(FindingOut::from)
        .collect();
    let (persisting, new): (Vec<_>, Vec<_>) = current
        .iter()
        .partition(|f| f.retest_class.as_deref() == Some("persisting"));
    let persisting: Vec<FindingOut> = persisting.into_iter().map(FindingOut::from).collect();
    let new: Vec<FindingOut> = new.into_iter().map(FindingOut::from).collect();
    Ok(Json(Comparison {
        audit_id: audit.id,
        baseline_audit_id: baseline_id,
        counts: ComparisonCounts {
            fixed: fixed.len(),
            persisting: persisting.len(),
            new: new.len(),
        },
        fixed,
        persisting,
        new,
    }))
}

/// The audit report in `json`, `sarif`, `markdown` or `html`, rendered by
/// the same code as `bulwark audit --format`.
#[utoipa::path(get, path = "/api/v1/audits/{audit_id}/report", tag = "audits",
    params(("audit_id" = String, Path, description = "Audit id"), ReportQuery),
    responses(
        (status = 200, description = "The report", content(
            (serde_json::Value = "application/json"), (serde_json::Value = "application/sarif+json"),
            (String = "text/markdown"), (String = "text/html"))),
        (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(audit_id): IdPath,
    QueryParams(query): QueryParams<ReportQuery>,
) -> ApiResult<Response> {
    let p = caller.require(Scope::Read)?;
    let format = match query.format.as_deref().unwrap_or("json") {
        "json" => OutputFormat::Json,
        "sarif" => OutputFormat::Sarif,
        "markdown" => OutputFormat::Markdown,
        "html" => OutputFormat::Html,
        _ => {
            return Err(ApiError::field(
                "query.format",
                "expected json, sarif, markdown or html",
            ))
        }
    };
    let audit = owned_audit(&state, &p.org_id, &audit_id).await?;
    if audit.status != SUCCEEDED {
        return Err(ApiError::conflict(format!(
            "the audit has not succeeded ({})",
            audit.status
        )));
    }
    let project = owned_project(&state, &p.org_id, &audit.project_id).await?;
    let summary: AuditSummary = audit
        .result
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let include_fp = query.include_false_positives.unwrap_or(false);
    let findings = state
        .store
        .all_findings(&p.org_id, &audit.id)
        .await?
        .into_iter()
        .filter(|f| include_fp || f.status != "false-positive")
        .map(|f| f.finding)
        .collect();
    let report = AuditReport {
        tool: ToolInfo::default(),
        root: project.name.clone(),
        root_uri: None,
        generated_at: audit.finished_at.map(rfc3339),
        files: state.store.audit_files(&audit.id).await?,
        findings,
        errors: summary.errors,
        warnings: Vec::new(),
        rules: summary.rules,
    };
    let text =
        tokio::task::spawn_blocking(move || render(&report, format, RenderOptions::default()))
            .await
            .map_err(ApiError::internal)?;
    let (content_type, extension) = match format {
        OutputFormat::Json => ("application/json", "json"),
        OutputFormat::Sarif => ("application/sarif+json", "sarif"),
        OutputFormat::Markdown => ("text/markdown; charset=utf-8", "md"),
        _ => ("text/html; charset=utf-8", "html"),
    };
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"bulwark-{}.{extension}\"",
        audit.id
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
