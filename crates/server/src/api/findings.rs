//! Findings: paged listing with filters, detail, triage and history.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use bulwark_report::Severity;

use super::audits::owned_audit;
use super::dto::{
    Event, FindingDetail, FindingOut, FindingPage, FindingQuery, NewComment, RuleDocsOut,
    SnippetLine, Triage,
};
use super::extract::{Caller, IdPath, JsonBody, QueryParams};
use super::validate::Checks;
use super::AppState;
use crate::auth::Scope;
use crate::jobs::AuditSummary;
use crate::problem::{ApiError, ApiResult, Problem};
use crate::store::findings::{FindingFilter, FindingRecord, TriageChange, TRIAGE_STATUSES};

const DEFAULT_PAGE: i64 = 100;
const MAX_PAGE: i64 = 500;
/// Lines of context around the primary location in a snippet.
const CONTEXT_LINES: u32 = 3;

fn encode_cursor(seq: i64) -> String {
    format!("s{seq:x}")
}

fn decode_cursor(cursor: &str) -> Option<i64> {
    i64::from_str_radix(cursor.strip_prefix('s')?, 16)
        .ok()
        .filter(|n| *n >= 0)
}

/// One page of an audit's findings, most severe first. Pages are keyed by
/// position, so a page never repeats or skips a finding while others are
/// being triaged.
#[utoipa::path(get, path = "/api/v1/audits/{audit_id}/findings", tag = "findings",
    params(("audit_id" = String, Path, description = "Audit id"), FindingQuery),
    responses((status = 200, body = FindingPage), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn list_findings(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(audit_id): IdPath,
    QueryParams(query): QueryParams<FindingQuery>,
) -> ApiResult<Json<FindingPage>> {
    let p = caller.require(Scope::Read)?;
    let mut checks = Checks::default();
    let mut severities = Vec::new();
    if let Some(list) = &query.severity {
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match name.parse::<Severity>() {
                Ok(s) => severities.push(s.as_str().to_string()),
                Err(e) => checks.add("query.severity", e.to_string()),
            }
        }
    }
    if let Some(status) = &query.status {
        if !TRIAGE_STATUSES.contains(&status.as_str()) {
            checks.add(
                "query.status",
                format!("expected one of: {}", TRIAGE_STATUSES.join(", ")),
            );
        }
    }
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        checks.add("query.limit", format!("must be between 1 and {MAX_PAGE}"));
    }
    let after = match query.cursor.as_deref() {
        None => 0,
        Some(c) => decode_cursor(c).unwrap_or_else(|| {
            checks.add("query.cursor", "not a cursor returned by this endpoint");
            0
        }),
    };
    checks.finish()?;
    let audit = owned_audit(&state, &p.org_id, &audit_id).await?;
    let filter = FindingFilter {
        severities,
        detector: query.detector.clone(),
        status: query.status.clone(),
        file: query.file.clone(),
    };
    // One extra row tells whether another page exists.
    let mut rows = state
        .store
        .list_findings(&p.org_id, &audit.id, &filter, after, limit + 1)
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| encode_cursor(r.seq))
    } else {
        None
    };
    Ok(Json(FindingPage {
        items: rows.iter().map(FindingOut::from).collect(),
        next_cursor,
    }))
}

async fn owned_finding(state: &AppState, org_id: &str, id: &str) -> ApiResult<FindingRecord> {
    state
        .store
        .finding(org_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("finding"))
}

/// A finding with its code snippet and the detector's explanation and fix.
#[utoipa::path(get, path = "/api/v1/findings/{finding_id}", tag = "findings",
    params(("finding_id" = String, Path, description = "Finding id (`fnd_...`)")),
    responses((status = 200, body = FindingDetail), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn get_finding(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(finding_id): IdPath,
) -> ApiResult<Json<FindingDetail>> {
    let p = caller.require(Scope::Read)?;
    let record = owned_finding(&state, &p.org_id, &finding_id).await?;
    let mut snippet = Vec::new();
    if let Some(primary) = record.finding.primary() {
        if let Some(source) = state
            .store
            .audit_file_source(&record.audit_id, &primary.file)
            .await?
        {
            let first = primary.start_line.saturating_sub(CONTEXT_LINES).max(1);
            let last = primary.end_line.saturating_add(CONTEXT_LINES);
            for (index, text) in source.lines().enumerate() {
                let line = index as u32 + 1;
                if (first..=last).contains(&line) {
                    snippet.push(SnippetLine {
                        line,
                        text: text.to_string(),
                        highlight: primary.contains_line(line),
                    });
                }
            }
        }
    }
    let audit = owned_audit(&state, &p.org_id, &record.audit_id).await?;
    let summary: AuditSummary = audit
        .result
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    let rule = summary
        .rules
        .iter()
        .find(|r| r.id == record.finding.detector)
        .map(|r| RuleDocsOut {
            summary: r.summary.clone(),
            what: r.docs.what.clone(),
            why: r.docs.why.clone(),
            exploit: r.docs.exploit.clone(),
            fix: r.docs.fix.clone(),
            references: r.docs.references.clone(),
        });
    Ok(Json(FindingDetail {
        finding: FindingOut::from(&record),
        snippet,
        rule,
    }))
}

/// Triage: change the status and/or assignee, optionally with a comment.
/// Each change is recorded in the finding's history.
#[utoipa::path(patch, path = "/api/v1/findings/{finding_id}", tag = "findings",
    params(("finding_id" = String, Path, description = "Finding id")),
    request_body = Triage,
    responses((status = 200, body = FindingOut), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn triage(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(finding_id): IdPath,
    JsonBody(body): JsonBody<Triage>,
) -> ApiResult<Json<FindingOut>> {
    let p = caller.require(Scope::Write)?;
    let mut checks = Checks::default();
    if let Some(Some(assignee)) = &body.assignee {
        if assignee.trim().is_empty() || assignee.chars().count() > 100 {
            checks.add("body.assignee", "1-100 characters, or null to clear");
        }
    }
    if let Some(comment) = &body.comment {
        check_comment(&mut checks, "body.comment", comment);
    }
    if body.status.is_none() && body.assignee.is_none() && body.comment.is_none() {
        checks.add("body", "give at least one of status, assignee, comment");
    }
    checks.finish()?;
    let change = TriageChange {
        status: body.status.map(|s| s.as_str().to_string()),
        assignee: body.assignee.map(|a| a.map(|s| s.trim().to_string())),
        comment: body.comment,
    };
    let updated = state
        .store
        .triage(&p.org_id, &finding_id, &p.actor(), &change)
        .await?
        .ok_or_else(|| ApiError::not_found("finding"))?;
    Ok(Json(FindingOut::from(&updated)))
}

fn check_comment(checks: &mut Checks, field: &str, body: &str) {
    if body.trim().is_empty() || body.chars().count() > 10_000 {
        checks.add(field, "1-10000 characters");
    }
}

#[utoipa::path(post, path = "/api/v1/findings/{finding_id}/comments", tag = "findings",
    params(("finding_id" = String, Path, description = "Finding id")),
    request_body = NewComment,
    responses((status = 201, body = Vec<Event>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 415, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn add_comment(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(finding_id): IdPath,
    JsonBody(body): JsonBody<NewComment>,
) -> ApiResult<(StatusCode, Json<Vec<Event>>)> {
    let p = caller.require(Scope::Write)?;
    let mut checks = Checks::default();
    check_comment(&mut checks, "body.body", &body.body);
    checks.finish()?;
    let change = TriageChange {
        comment: Some(body.body),
        ..TriageChange::default()
    };
    state
        .store
        .triage(&p.org_id, &finding_id, &p.actor(), &change)
        .await?
        .ok_or_else(|| ApiError::not_found("finding"))?;
    let events = state.store.history(&finding_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(events.iter().map(Event::from).collect()),
    ))
}

/// Every triage change and comment, oldest first.
#[utoipa::path(get, path = "/api/v1/findings/{finding_id}/history", tag = "findings",
    params(("finding_id" = String, Path, description = "Finding id")),
    responses((status = 200, body = Vec<Event>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 429, body = Problem, content_type = "application/problem+json")),
    security(("api_key" = [])))]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(finding_id): IdPath,
) -> ApiResult<Json<Vec<Event>>> {
    let p = caller.require(Scope::Read)?;
    let record = owned_finding(&state, &p.org_id, &finding_id).await?;
    let events = state.store.history(&record.id).await?;
    Ok(Json(events.iter().map(Event::from).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        assert_eq!(decode_cursor(&encode_cursor(1234)), Some(1234));
        assert_eq!(decode_cursor("x12"), None);
        assert_eq!(decode_cursor("s-1"), None);
        assert_eq!(decode_cursor("szz"), None);
    }
}
