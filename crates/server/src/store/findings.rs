//! Findings of an audit, their triage state and history, and the analysed
//! files kept for snippets and reports.

use std::collections::HashMap;

use bulwark_report::{FileInfo, Finding};
use sqlx::any::AnyRow;

use super::jobs::ClaimedJob;
use super::{RowExt, Store};
use crate::util::{new_id, now_ms};

/// Triage states a finding can be in.
pub const TRIAGE_STATUSES: [&str; 5] = [
    "open",
    "confirmed",
    "false-positive",
    "acknowledged",
    "fixed",
];

#[derive(Clone, Debug)]
pub struct FindingRecord {
    pub id: String,
    pub audit_id: String,
    pub seq: i64,
    pub fingerprint: String,
    pub status: String,
    pub assignee: Option<String>,
    /// `new` or `persisting` in a retest; `None` in a first audit.
    pub retest_class: Option<String>,
    pub finding: Finding,
    pub updated_at: i64,
}

#[derive(Clone, Debug)]
pub struct EventRecord {
    pub id: String,
    pub finding_id: String,
    pub at: i64,
    pub actor: String,
    pub kind: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub body: Option<String>,
}

/// Filters of the findings list; `None` means "any".
#[derive(Clone, Debug, Default)]
pub struct FindingFilter {
    pub severities: Vec<String>,
    pub detector: Option<String>,
    pub status: Option<String>,
    /// An exact path, or a directory prefix when it ends with `/`.
    pub file: Option<String>,
}

/// A triage change; every present field becomes one history event.
#[derive(Clone, Debug, Default)]
pub struct TriageChange {
    pub status: Option<String>,
    /// `Some(None)` clears the assignee.
    pub assignee: Option<Option<String>>,
    pub comment: Option<String>,
}

fn finding_from_row(row: &AnyRow) -> Result<FindingRecord, sqlx::Error> {
    let data = row.text("data")?;
    let finding: Finding =
        serde_json::from_str(&data).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(FindingRecord {
        id: row.text("id")?,
        audit_id: row.text("audit_id")?,
        seq: row.int("seq")?,
        fingerprint: row.text("fingerprint")?,
        status: row.text("status")?,
        assignee: row.opt_text("assignee")?,
        retest_class: row.opt_text("retest_class")?,
        finding,
        updated_at: row.int("updated_at")?,
    })
}

fn event_from_row(row: &AnyRow) -> Result<EventRecord, sqlx::Error> {
    Ok(EventRecord {
        id: row.text("id")?,
        finding_id: row.text("finding_id")?,
        at: row.int("at")?,
        actor: row.text("actor")?,
        kind: row.text("kind")?,
        old_value: row.opt_text("old_value")?,
        new_value: row.opt_text("new_value")?,
        body: row.opt_text("body")?,
    })
}

/// The outcome of a successful audit run, as stored.
pub struct AuditResult<'a> {
    pub org_id: &'a str,
    /// The audit a retest is compared with.
    pub baseline_audit_id: Option<&'a str>,
    pub files: &'a [FileInfo],
    /// In canonical order.
    pub findings: &'a [Finding],
    /// JSON of [`crate::jobs::AuditSummary`].
    pub summary_json: &'a str,
}

/// A history entry about to be written.
struct PendingEvent {
    kind: &'static str,
    old_value: Option<String>,
    new_value: Option<String>,
    body: Option<String>,
}

/// File metadata stored beside the text (JSON in `audit_files.info`).
#[derive(serde::Serialize, serde::Deserialize)]
struct FileMeta {
    nsloc: usize,
    contracts: Vec<String>,
    compiler_versions: Vec<String>,
}

/// The columns a [`FindingRecord`] is read from. Naming them (rather than
/// `*`) keeps rows narrow: the filter columns are not decoded again, which
/// shows when a page of hundreds of findings is listed.
const FINDING_COLUMNS: &str =
    "id, audit_id, seq, fingerprint, status, assignee, retest_class, data, updated_at";

/// Rows per multi-row INSERT: keeps every statement under SQLite's
/// parameter limit while avoiding one round trip per finding.
const INSERT_CHUNK: usize = 50;

impl Store {
    /// Stores a successful audit's files and findings and marks the job done,
    /// all in one transaction; false (nothing written) when the lease was lost.
    ///
    /// `findings` must be in canonical order: their position becomes `seq`,
    /// the cursor key of the findings list. In a retest, a finding whose
    /// fingerprint the baseline had is `persisting` and inherits its triage
    /// (a finding marked fixed that is still there is reopened).
    pub async fn store_audit_result(
        &self,
        job: &ClaimedJob,
        owner: &str,
        result: AuditResult<'_>,
    ) -> Result<bool, sqlx::Error> {
        let AuditResult {
            org_id,
            baseline_audit_id,
            files,
            findings,
            summary_json,
        } = result;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        // A write first: SQLite takes the write lock now rather than failing
        // to upgrade a read transaction later.
        let owned = sqlx::query(
            "UPDATE jobs SET state = 'done', lease_owner = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'running'",
        )
        .bind(&job.id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
        if owned.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }

        for file in files {
            let meta = FileMeta {
                nsloc: file.nsloc,
                contracts: file.contracts.clone(),
                compiler_versions: file.compiler_versions.clone(),
            };
            sqlx::query(
                "INSERT INTO audit_files (audit_id, path, source, info) VALUES ($1, $2, $3, $4)",
            )
            .bind(&job.audit_id)
            .bind(&file.path)
            .bind(&file.source)
            .bind(serde_json::to_string(&meta).unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        }

        let mut baseline: HashMap<String, (String, Option<String>)> = HashMap::new();
        if let Some(base) = baseline_audit_id {
            let rows = sqlx::query(
                "SELECT fingerprint, status, assignee FROM findings WHERE audit_id = $1",
            )
            .bind(base)
            .fetch_all(&mut *tx)
            .await?;
            for row in rows {
                baseline.insert(
                    row.text("fingerprint")?,
                    (row.text("status")?, row.opt_text("assignee")?),
                );
            }
        }

        for (chunk_index, chunk) in findings.chunks(INSERT_CHUNK).enumerate() {
            const COLS: usize = 13;
            let mut sql = String::from(
                "INSERT INTO findings (id, audit_id, org_id, seq, fingerprint, detector, severity, file, status, \
                 assignee, retest_class, data, updated_at) VALUES ",
            );
            for row in 0..chunk.len() {
                let cells: Vec<String> =
                    (1..=COLS).map(|c| format!("${}", row * COLS + c)).collect();
                sql.push_str(if row == 0 { "(" } else { ", (" });
                sql.push_str(&cells.join(", "));
                sql.push(')');
            }
            let mut query = sqlx::query(&sql);
            for (offset, finding) in chunk.iter().enumerate() {
                let seq = (chunk_index * INSERT_CHUNK + offset + 1) as i64;
                let (status, assignee, class) =
                    match (baseline_audit_id, baseline.get(&finding.fingerprint)) {
                        (None, _) => ("open".to_string(), None, None),
                        (Some(_), None) => ("open".to_string(), None, Some("new")),
                        (Some(_), Some((status, assignee))) => {
                            let status = if status == "fixed" {
                                "open".to_string()
                            } else {
                                status.clone()
                            };
                            (status, assignee.clone(), Some("persisting"))
                        }
                    };
                let file = finding
                    .primary()
                    .map(|l| l.file.clone())
                    .unwrap_or_default();
                query = query
                    .bind(new_id("fnd"))
                    .bind(&job.audit_id)
                    .bind(org_id)
                    .bind(seq)
                    .bind(&finding.fingerprint)
                    .bind(&finding.detector)
                    .bind(finding.severity.as_str())
                    .bind(file)
                    .bind(status)
                    .bind(assignee)
                    .bind(class.map(str::to_string))
                    .bind(serde_json::to_string(finding).unwrap_or_default())
                    .bind(now);
            }
            query.execute(&mut *tx).await?;
        }

        sqlx::query(
            "UPDATE audits SET status = 'succeeded', progress = 1, error = NULL, result = $1, finished_at = $2 WHERE id = $3",
        )
        .bind(summary_json)
        .bind(now_ms())
        .bind(&job.audit_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A page of an audit's findings after `after_seq`, in canonical order.
    pub async fn list_findings(
        &self,
        org_id: &str,
        audit_id: &str,
        filter: &FindingFilter,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<FindingRecord>, sqlx::Error> {
        let mut sql =
            format!("SELECT {FINDING_COLUMNS} FROM findings WHERE org_id = $1 AND audit_id = $2 AND seq > $3");
        let mut args: Vec<String> = Vec::new();
        let mut next = 4;
        let mut placeholder = |args: &mut Vec<String>, value: String| {
            args.push(value);
            let p = format!("${next}");
            next += 1;
            p
        };
        if !filter.severities.is_empty() {
            let list: Vec<String> = filter
                .severities
                .iter()
                .map(|s| placeholder(&mut args, s.clone()))
                .collect();
            sql.push_str(&format!(" AND severity IN ({})", list.join(", ")));
        }
        if let Some(detector) = &filter.detector {
            let p = placeholder(&mut args, detector.clone());
            sql.push_str(&format!(" AND detector = {p}"));
        }
        if let Some(status) = &filter.status {
            let p = placeholder(&mut args, status.clone());
            sql.push_str(&format!(" AND status = {p}"));
        }
        if let Some(file) = &filter.file {
            if file.ends_with('/') {
                // Prefix match without LIKE, whose wildcards a path may contain.
                let p = placeholder(&mut args, file.clone());
                sql.push_str(&format!(" AND substr(file, 1, length({p})) = {p}"));
            } else {
                let p = placeholder(&mut args, file.clone());
                sql.push_str(&format!(" AND file = {p}"));
            }
        }
        sql.push_str(&format!(" ORDER BY seq LIMIT {}", limit.max(1)));
        let mut query = sqlx::query(&sql)
            .bind(org_id)
            .bind(audit_id)
            .bind(after_seq);
        for arg in args {
            query = query.bind(arg);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(finding_from_row)
            .collect()
    }

    /// Every finding of an audit, in canonical order (reports, comparisons).
    pub async fn all_findings(
        &self,
        org_id: &str,
        audit_id: &str,
    ) -> Result<Vec<FindingRecord>, sqlx::Error> {
        sqlx::query(&format!("SELECT {FINDING_COLUMNS} FROM findings WHERE org_id = $1 AND audit_id = $2 ORDER BY seq"))
            .bind(org_id)
            .bind(audit_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(finding_from_row)
            .collect()
    }

    pub async fn finding(
        &self,
        org_id: &str,
        id: &str,
    ) -> Result<Option<FindingRecord>, sqlx::Error> {
        sqlx::query(&format!(
            "SELECT {FINDING_COLUMNS} FROM findings WHERE id = $1 AND org_id = $2"
        ))
        .bind(id)
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| finding_from_row(&r))
        .transpose()
    }

    /// Applies a triage change and records one history event per changed
    /// field; returns the updated finding (`None` if it is not the org's).
    pub async fn triage(
        &self,
        org_id: &str,
        id: &str,
        actor: &str,
        change: &TriageChange,
    ) -> Result<Option<FindingRecord>, sqlx::Error> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        // Touch first (a write) so the row is locked for the read below on
        // PostgreSQL and SQLite takes its write lock up front.
        let touched =
            sqlx::query("UPDATE findings SET updated_at = $1 WHERE id = $2 AND org_id = $3")
                .bind(now)
                .bind(id)
                .bind(org_id)
                .execute(&mut *tx)
                .await?;
        if touched.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(None);
        }
        let current = sqlx::query(&format!(
            "SELECT {FINDING_COLUMNS} FROM findings WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let current = finding_from_row(&current)?;
        let mut events: Vec<PendingEvent> = Vec::new();
        if let Some(status) = &change.status {
            if *status != current.status {
                sqlx::query("UPDATE findings SET status = $1 WHERE id = $2")
                    .bind(status)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                events.push(PendingEvent {
                    kind: "status",
                    old_value: Some(current.status.clone()),
                    new_value: Some(status.clone()),
                    body: None,
                });
            }
        }
        if let Some(assignee) = &change.assignee {
            if *assignee != current.assignee {
                sqlx::query("UPDATE findings SET assignee = $1 WHERE id = $2")
                    .bind(assignee.clone())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                events.push(PendingEvent {
                    kind: "assignee",
                    old_value: current.assignee.clone(),
                    new_value: assignee.clone(),
                    body: None,
                });
            }
        }
        if let Some(comment) = &change.comment {
            events.push(PendingEvent {
                kind: "comment",
                old_value: None,
                new_value: None,
                body: Some(comment.clone()),
            });
        }
        for event in events {
            sqlx::query(
                "INSERT INTO finding_events (id, finding_id, at, actor, kind, old_value, new_value, body) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(new_id("evt"))
            .bind(id)
            .bind(now_ms())
            .bind(actor)
            .bind(event.kind)
            .bind(event.old_value)
            .bind(event.new_value)
            .bind(event.body)
            .execute(&mut *tx)
            .await?;
        }
        let updated = sqlx::query(&format!(
            "SELECT {FINDING_COLUMNS} FROM findings WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        finding_from_row(&updated).map(Some)
    }

    /// The finding's history, oldest first (the caller checked the org).
    pub async fn history(&self, finding_id: &str) -> Result<Vec<EventRecord>, sqlx::Error> {
        sqlx::query("SELECT * FROM finding_events WHERE finding_id = $1 ORDER BY at, id")
            .bind(finding_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(event_from_row)
            .collect()
    }

    /// The analysed files of an audit, with their text.
    pub async fn audit_files(&self, audit_id: &str) -> Result<Vec<FileInfo>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT path, source, info FROM audit_files WHERE audit_id = $1 ORDER BY path",
        )
        .bind(audit_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let mut info = FileInfo::new(row.text("path")?, row.text("source")?);
                if let Ok(meta) = serde_json::from_str::<FileMeta>(&row.text("info")?) {
                    info.nsloc = meta.nsloc;
                    info.contracts = meta.contracts;
                    info.compiler_versions = meta.compiler_versions;
                }
                Ok(info)
            })
            .collect()
    }

    /// The text of one analysed file (for snippets).
    pub async fn audit_file_source(
        &self,
        audit_id: &str,
        path: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        sqlx::query("SELECT source FROM audit_files WHERE audit_id = $1 AND path = $2")
            .bind(audit_id)
            .bind(path)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| r.text("source"))
            .transpose()
    }
}
