//! Audits: one analysis of one upload, with its status and result summary.

use sqlx::any::AnyRow;

use super::{RowExt, Store};
use crate::util::{new_id, now_ms};

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const SUCCEEDED: &str = "succeeded";
pub const FAILED: &str = "failed";
pub const CANCELLED: &str = "cancelled";

/// True for the states an audit never leaves.
pub fn is_terminal(status: &str) -> bool {
    matches!(status, SUCCEEDED | FAILED | CANCELLED)
}

#[derive(Clone, Debug)]
pub struct AuditRecord {
    pub id: String,
    pub org_id: String,
    pub project_id: String,
    pub upload_id: String,
    pub baseline_audit_id: Option<String>,
    pub status: String,
    pub progress: f64,
    /// JSON of [`crate::engine::AuditOptions`].
    pub options: String,
    pub error: Option<String>,
    /// JSON of [`crate::jobs::AuditSummary`] once succeeded.
    pub result: Option<String>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

fn audit_from_row(row: &AnyRow) -> Result<AuditRecord, sqlx::Error> {
    use sqlx::Row;
    Ok(AuditRecord {
        id: row.text("id")?,
        org_id: row.text("org_id")?,
        project_id: row.text("project_id")?,
        upload_id: row.text("upload_id")?,
        baseline_audit_id: row.opt_text("baseline_audit_id")?,
        status: row.text("status")?,
        progress: row.try_get::<f64, _>("progress")?,
        options: row.text("options")?,
        error: row.opt_text("error")?,
        result: row.opt_text("result")?,
        created_at: row.int("created_at")?,
        started_at: row.opt_int("started_at")?,
        finished_at: row.opt_int("finished_at")?,
    })
}

/// What starting an audit needs.
pub struct NewAudit<'a> {
    pub org_id: &'a str,
    pub project_id: &'a str,
    pub upload_id: &'a str,
    pub baseline_audit_id: Option<&'a str>,
    pub options_json: String,
    pub max_attempts: u32,
}

impl Store {
    /// Creates the audit and its queued job in one transaction, so an audit
    /// never exists without the job that will run it.
    pub async fn create_audit(&self, new: NewAudit<'_>) -> Result<AuditRecord, sqlx::Error> {
        let now = now_ms();
        let audit = AuditRecord {
            id: new_id("aud"),
            org_id: new.org_id.to_string(),
            project_id: new.project_id.to_string(),
            upload_id: new.upload_id.to_string(),
            baseline_audit_id: new.baseline_audit_id.map(str::to_string),
            status: QUEUED.to_string(),
            progress: 0.0,
            options: new.options_json,
            error: None,
            result: None,
            created_at: now,
            started_at: None,
            finished_at: None,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO audits (id, org_id, project_id, upload_id, baseline_audit_id, status, progress, \
             options, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&audit.id)
        .bind(&audit.org_id)
        .bind(&audit.project_id)
        .bind(&audit.upload_id)
        .bind(audit.baseline_audit_id.clone())
        .bind(&audit.status)
        .bind(0.0f64)
        .bind(&audit.options)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO jobs (id, audit_id, state, attempts, max_attempts, run_after, cancel_requested, created_at) \
             VALUES ($1, $2, 'queued', 0, $3, $4, 0, $5)",
        )
        .bind(new_id("job"))
        .bind(&audit.id)
        .bind(new.max_attempts.max(1) as i64)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(audit)
    }

    /// An audit of `org_id`: another organisation's id reads as absent.
    pub async fn audit(&self, org_id: &str, id: &str) -> Result<Option<AuditRecord>, sqlx::Error> {
        sqlx::query("SELECT * FROM audits WHERE id = $1 AND org_id = $2")
            .bind(id)
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| audit_from_row(&r))
            .transpose()
    }

    /// For the job runner, which works for every organisation.
    pub async fn audit_any_org(&self, id: &str) -> Result<Option<AuditRecord>, sqlx::Error> {
        sqlx::query("SELECT * FROM audits WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| audit_from_row(&r))
            .transpose()
    }

    pub async fn list_audits(
        &self,
        org_id: &str,
        project_id: &str,
    ) -> Result<Vec<AuditRecord>, sqlx::Error> {
        sqlx::query(
            "SELECT * FROM audits WHERE org_id = $1 AND project_id = $2 ORDER BY created_at, id",
        )
        .bind(org_id)
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(audit_from_row)
        .collect()
    }

    pub async fn mark_audit_running(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE audits SET status = 'running', started_at = COALESCE(started_at, $1), error = NULL \
             WHERE id = $2 AND status IN ('queued', 'running')",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn set_audit_progress(&self, id: &str, progress: f64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE audits SET progress = $1 WHERE id = $2 AND status = 'running'")
            .bind(progress)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records the audit's last error while it waits for a retry.
    pub async fn note_audit_retry(&self, id: &str, error: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE audits SET status = 'queued', error = $1 WHERE id = $2 AND status IN ('queued', 'running')")
            .bind(error)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Audits per status across all organisations (for `/metrics`).
    pub async fn audit_status_counts(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query("SELECT status, COUNT(*) AS n FROM audits GROUP BY status ORDER BY status")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.text("status")?, r.int("n")?)))
            .collect()
    }
}
