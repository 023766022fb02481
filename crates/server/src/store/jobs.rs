//! The persistent job queue.
//!
//! A job is claimed by setting a lease (owner + expiry). The owner renews it
//! with heartbeats; a job whose lease expired — its process was killed or
//! lost the database — is claimable again, so work survives `kill -9`.
//! Every state change after the claim is conditioned on still owning the
//! lease, so a process that lost its job can never overwrite the result of
//! the process that took it over.

use super::{RowExt, Store};
use crate::util::now_ms;

#[derive(Clone, Debug)]
pub struct ClaimedJob {
    pub id: String,
    pub audit_id: String,
    /// Attempts including this one.
    pub attempt: i64,
    pub max_attempts: i64,
}

/// What became of a cancel request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelOutcome {
    /// The job had not started: the audit is cancelled now.
    Cancelled,
    /// The job is running: its runner stops at its next heartbeat.
    Requested,
    /// The audit had already finished.
    AlreadyFinished,
}

impl Store {
    /// Claims the oldest runnable job: queued and due, or running with an
    /// expired lease.
    pub async fn claim_job(
        &self,
        owner: &str,
        lease_ms: i64,
    ) -> Result<Option<ClaimedJob>, sqlx::Error> {
        let now = now_ms();
        let sql = format!(
            "UPDATE jobs SET state = 'running', lease_owner = $1, lease_expires_at = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM jobs WHERE (state = 'queued' AND run_after <= $3) \
                 OR (state = 'running' AND lease_expires_at < $3) \
                 ORDER BY run_after, created_at, id LIMIT 1 {}) \
             RETURNING id, audit_id, attempts, max_attempts",
            self.backend.claim_lock_clause()
        );
        let row = sqlx::query(&sql)
            .bind(owner)
            .bind(now + lease_ms)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(ClaimedJob {
                id: r.text("id")?,
                audit_id: r.text("audit_id")?,
                attempt: r.int("attempts")?,
                max_attempts: r.int("max_attempts")?,
            })
        })
        .transpose()
    }

    /// Extends the lease. `Ok(None)`: the lease is lost (another process
    /// took the job); `Ok(Some(true))`: cancellation was requested.
    pub async fn heartbeat(
        &self,
        job_id: &str,
        owner: &str,
        lease_ms: i64,
    ) -> Result<Option<bool>, sqlx::Error> {
        let row = sqlx::query(
            "UPDATE jobs SET lease_expires_at = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'running' \
             RETURNING cancel_requested",
        )
        .bind(now_ms() + lease_ms)
        .bind(job_id)
        .bind(owner)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| r.int("cancel_requested").map(|c| c != 0))
            .transpose()
    }

    /// Ends a run that was cancelled; false when the lease was lost.
    pub async fn finish_cancelled(
        &self,
        job: &ClaimedJob,
        owner: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let owned = sqlx::query(
            "UPDATE jobs SET state = 'cancelled', lease_owner = NULL WHERE id = $1 AND lease_owner = $2 AND state = 'running'",
        )
        .bind(&job.id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
        if owned.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query("UPDATE audits SET status = 'cancelled', finished_at = $1 WHERE id = $2")
            .bind(now_ms())
            .bind(&job.audit_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records a failed attempt: queued again after `retry_at`, or the audit
    /// fails when `retry_at` is `None`.
    pub async fn finish_failed(
        &self,
        job: &ClaimedJob,
        owner: &str,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let owned = match retry_at {
            Some(at) => sqlx::query(
                "UPDATE jobs SET state = 'queued', run_after = $1, lease_owner = NULL, lease_expires_at = NULL, \
                 last_error = $2 WHERE id = $3 AND lease_owner = $4 AND state = 'running'",
            )
            .bind(at),
            None => sqlx::query(
                "UPDATE jobs SET state = 'failed', run_after = $1, lease_owner = NULL, lease_expires_at = NULL, \
                 last_error = $2 WHERE id = $3 AND lease_owner = $4 AND state = 'running'",
            )
            .bind(now_ms()),
        }
        .bind(error)
        .bind(&job.id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
        if owned.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        let audit_update = match retry_at {
            Some(_) => sqlx::query(
                "UPDATE audits SET status = 'queued', progress = 0, error = $1 WHERE id = $2",
            )
            .bind(error)
            .bind(&job.audit_id),
            None => sqlx::query(
                "UPDATE audits SET status = 'failed', error = $1, finished_at = $2 WHERE id = $3",
            )
            .bind(error)
            .bind(now_ms())
            .bind(&job.audit_id),
        };
        audit_update.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Gives a job back on shutdown; the attempt is not counted, it was not
    /// the job's fault.
    pub async fn requeue(&self, job: &ClaimedJob, owner: &str) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let owned = sqlx::query(
            "UPDATE jobs SET state = 'queued', attempts = attempts - 1, run_after = $1, lease_owner = NULL, \
             lease_expires_at = NULL WHERE id = $2 AND lease_owner = $3 AND state = 'running'",
        )
        .bind(now_ms())
        .bind(&job.id)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
        if owned.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        sqlx::query("UPDATE audits SET status = 'queued', progress = 0 WHERE id = $1")
            .bind(&job.audit_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn request_cancel(&self, audit_id: &str) -> Result<CancelOutcome, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let queued = sqlx::query(
            "UPDATE jobs SET state = 'cancelled', cancel_requested = 1 WHERE audit_id = $1 AND state = 'queued'",
        )
        .bind(audit_id)
        .execute(&mut *tx)
        .await?;
        let outcome = if queued.rows_affected() > 0 {
            sqlx::query("UPDATE audits SET status = 'cancelled', finished_at = $1 WHERE id = $2")
                .bind(now_ms())
                .bind(audit_id)
                .execute(&mut *tx)
                .await?;
            CancelOutcome::Cancelled
        } else {
            let running = sqlx::query(
                "UPDATE jobs SET cancel_requested = 1 WHERE audit_id = $1 AND state = 'running'",
            )
            .bind(audit_id)
            .execute(&mut *tx)
            .await?;
            if running.rows_affected() > 0 {
                CancelOutcome::Requested
            } else {
                CancelOutcome::AlreadyFinished
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Jobs per state (for `/metrics`).
    pub async fn job_state_counts(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state ORDER BY state")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.text("state")?, r.int("n")?)))
            .collect()
    }
}
