//! The audit job runner: claims jobs from the persistent queue, runs the
//! engine on a blocking thread, keeps the lease alive and stores the result.
//!
//! The same loop runs inside `bulwark serve` and in `bulwark worker`
//! processes; they coordinate only through the database.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bulwark_report::{
    assign_fingerprints, canonical_order, exit_code, FailOn, FileInfo, Finding, InputError,
    RuleMeta, Severity, EXIT_FINDINGS,
};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::archive;
use crate::config::{JobSettings, Limits};
use crate::engine::{AuditEngine, AuditOptions, AuditOutput, EngineError};
use crate::metrics::Metrics;
use crate::store::findings::AuditResult;
use crate::store::jobs::ClaimedJob;
use crate::store::Store;
use crate::util::{new_id, now_ms};

/// What is kept about a finished audit besides its findings (JSON in
/// `audits.result`): enough to chart it and to render its reports.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct AuditSummary {
    pub files_analysed: usize,
    pub nsloc: usize,
    pub total_findings: usize,
    /// Findings per severity, every severity present.
    pub by_severity: BTreeMap<String, usize>,
    pub by_detector: BTreeMap<String, usize>,
    /// The `fail-on` gate: false when a finding is at or above it.
    pub gate_passed: bool,
    pub errors: Vec<InputError>,
    pub rules: Vec<RuleMeta>,
}

impl AuditSummary {
    fn of(
        files: &[FileInfo],
        findings: &[Finding],
        errors: Vec<InputError>,
        rules: Vec<RuleMeta>,
        fail_on: FailOn,
    ) -> AuditSummary {
        let mut by_severity: BTreeMap<String, usize> = Severity::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), 0))
            .collect();
        let mut by_detector = BTreeMap::new();
        for f in findings {
            *by_severity
                .entry(f.severity.as_str().to_string())
                .or_default() += 1;
            *by_detector.entry(f.detector.clone()).or_default() += 1;
        }
        AuditSummary {
            files_analysed: files.len(),
            nsloc: files.iter().map(|f| f.nsloc).sum(),
            total_findings: findings.len(),
            by_severity,
            by_detector,
            gate_passed: exit_code(findings, fail_on) != EXIT_FINDINGS,
            errors,
            rules,
        }
    }
}

/// Everything a runner needs; cheap to clone.
#[derive(Clone)]
pub struct RunnerContext {
    pub store: Store,
    pub engine: Arc<dyn AuditEngine>,
    pub settings: JobSettings,
    pub limits: Limits,
    pub metrics: Arc<Metrics>,
    /// Grace period on shutdown before running audits are re-queued.
    pub shutdown_grace: Duration,
}

/// Starts `settings.concurrency` runner loops; each stops when `shutdown`
/// turns true, after finishing or re-queueing its current job.
pub fn spawn_runners(ctx: RunnerContext, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let process = new_id("wrk");
    (0..ctx.settings.concurrency)
        .map(|slot| {
            let ctx = ctx.clone();
            let owner = format!("{process}-{slot}");
            let shutdown = shutdown.clone();
            tokio::spawn(async move { runner_loop(ctx, owner, shutdown).await })
        })
        .collect()
}

async fn runner_loop(ctx: RunnerContext, owner: String, mut shutdown: watch::Receiver<bool>) {
    let poll = Duration::from_millis(ctx.settings.poll_ms.max(10));
    let lease_ms = ctx.settings.lease().as_millis() as i64;
    loop {
        if *shutdown.borrow() {
            break;
        }
        match ctx.store.claim_job(&owner, lease_ms).await {
            Ok(Some(job)) => {
                let span =
                    tracing::info_span!("audit", audit_id = %job.audit_id, attempt = job.attempt);
                run_job(&ctx, &owner, job, shutdown.clone())
                    .instrument(span)
                    .await
            }
            Ok(None) => {
                tokio::select! {
                    _ = tokio::time::sleep(poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot claim a job; retrying");
                tokio::time::sleep(poll * 4).await;
            }
        }
    }
}

/// Why the engine's cancel flag was raised.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum StopReason {
    None,
    UserCancel,
    Shutdown,
    LeaseLost,
}

async fn run_job(
    ctx: &RunnerContext,
    owner: &str,
    job: ClaimedJob,
    mut shutdown: watch::Receiver<bool>,
) {
    let started = Instant::now();
    let audit = match ctx.store.audit_any_org(&job.audit_id).await {
        Ok(Some(audit)) => audit,
        Ok(None) => {
            let _ = ctx
                .store
                .finish_failed(&job, owner, "the audit no longer exists", None)
                .await;
            return;
        }
        Err(err) => {
            tracing::warn!(error = %err, "cannot load the audit; leaving the job to its lease");
            return;
        }
    };
    let options: AuditOptions = serde_json::from_str(&audit.options).unwrap_or_default();
    if let Err(err) = ctx.store.mark_audit_running(&audit.id).await {
        tracing::warn!(error = %err, "cannot mark the audit running");
    }
    tracing::info!("audit started");

    let cancel = Arc::new(AtomicBool::new(false));
    let progress = Arc::new(AtomicU32::new(0f32.to_bits()));
    let work = {
        let ctx = ctx.clone();
        let cancel = cancel.clone();
        let progress = progress.clone();
        let upload_id = audit.upload_id.clone();
        let options = options.clone();
        let store = ctx.store.clone();
        async move {
            let archive = match store.upload_archive(&upload_id).await {
                Ok(Some(bytes)) => bytes,
                Ok(None) => return Err(EngineError::Failed("the upload no longer exists".into())),
                Err(err) => {
                    return Err(EngineError::Failed(format!(
                        "cannot read the upload: {err}"
                    )))
                }
            };
            tokio::task::spawn_blocking(move || {
                analyse(&ctx, &archive, &options, &progress, &cancel)
            })
            .await
            .unwrap_or_else(|e| Err(EngineError::Failed(format!("the analysis panicked: {e}"))))
        }
    };
    tokio::pin!(work);

    // At most a second between beats: they also carry progress to the
    // audit and notice cancel requests, which users watch for.
    let beat = (ctx.settings.lease() / 3).min(Duration::from_secs(1));
    let lease_ms = ctx.settings.lease().as_millis() as i64;
    let mut reason = StopReason::None;
    let mut shutdown_deadline: Option<tokio::time::Instant> = None;
    let mut last_progress = -1.0f64;
    let outcome = loop {
        let deadline = shutdown_deadline
            .unwrap_or_else(|| tokio::time::Instant::now() + Duration::from_secs(86_400));
        tokio::select! {
            result = &mut work => break result,
            _ = tokio::time::sleep(beat) => {
                match ctx.store.heartbeat(&job.id, owner, lease_ms).await {
                    Ok(None) => {
                        tracing::warn!("lease lost; abandoning this run");
                        reason = StopReason::LeaseLost;
                        cancel.store(true, Ordering::Relaxed);
                    }
                    Ok(Some(true)) if reason == StopReason::None => {
                        reason = StopReason::UserCancel;
                        cancel.store(true, Ordering::Relaxed);
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "heartbeat failed"),
                }
                let current = f32::from_bits(progress.load(Ordering::Relaxed)) as f64;
                if (current - last_progress).abs() > f64::EPSILON {
                    last_progress = current;
                    let _ = ctx.store.set_audit_progress(&audit.id, current.clamp(0.0, 0.99)).await;
                }
            }
            _ = shutdown.changed(), if shutdown_deadline.is_none() => {
                if *shutdown.borrow() {
                    tracing::info!(grace_secs = ctx.shutdown_grace.as_secs(), "shutdown: letting the audit finish within the grace period");
                    shutdown_deadline = Some(tokio::time::Instant::now() + ctx.shutdown_grace);
                }
            }
            _ = tokio::time::sleep_until(deadline), if shutdown_deadline.is_some() && reason == StopReason::None => {
                reason = StopReason::Shutdown;
                cancel.store(true, Ordering::Relaxed);
            }
        }
    };

    let elapsed = started.elapsed();
    let result = match (outcome, reason) {
        (_, StopReason::LeaseLost) => {
            ctx.metrics.observe_audit("lease-lost", elapsed);
            return;
        }
        (Err(EngineError::Cancelled), StopReason::Shutdown) => {
            tracing::info!("re-queued for another process");
            ctx.metrics.observe_audit("requeued", elapsed);
            ctx.store.requeue(&job, owner).await
        }
        (Err(EngineError::Cancelled), _) => {
            tracing::info!("audit cancelled");
            ctx.metrics.observe_audit("cancelled", elapsed);
            ctx.store.finish_cancelled(&job, owner).await
        }
        (Err(EngineError::Failed(message)), _) => {
            let retry_at = (job.attempt < job.max_attempts).then(|| {
                let backoff = ctx
                    .settings
                    .retry_base_secs
                    .saturating_mul(1 << (job.attempt - 1).clamp(0, 16));
                now_ms() + (backoff as i64) * 1000
            });
            tracing::warn!(error = %message, will_retry = retry_at.is_some(), "audit attempt failed");
            ctx.metrics.observe_audit(
                if retry_at.is_some() {
                    "retried"
                } else {
                    "failed"
                },
                elapsed,
            );
            ctx.store
                .finish_failed(&job, owner, &message, retry_at)
                .await
        }
        (Ok(output), _) => {
            let summary = AuditSummary::of(
                &output.files,
                &output.findings,
                output.errors,
                output.rules,
                options.fail_on(),
            );
            let summary_json = serde_json::to_string(&summary).unwrap_or_default();
            tracing::info!(
                findings = output.findings.len(),
                elapsed_ms = elapsed.as_millis() as u64,
                "audit succeeded"
            );
            ctx.metrics.observe_audit("succeeded", elapsed);
            ctx.store
                .store_audit_result(
                    &job,
                    owner,
                    AuditResult {
                        org_id: &audit.org_id,
                        baseline_audit_id: audit.baseline_audit_id.as_deref(),
                        files: &output.files,
                        findings: &output.findings,
                        summary_json: &summary_json,
                    },
                )
                .await
        }
    };
    match result {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!("lease lost before the result was stored; another process owns the job")
        }
        Err(err) => {
            tracing::error!(error = %err, "cannot record the audit's outcome; the lease will expire and it will run again")
        }
    }
}

/// Removes a scratch directory when the analysis ends, however it ends.
struct ScratchDir(PathBuf);

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Unpacks the upload and runs the engine (on a blocking thread).
fn analyse(
    ctx: &RunnerContext,
    archive_bytes: &[u8],
    options: &AuditOptions,
    progress: &AtomicU32,
    cancel: &AtomicBool,
) -> Result<AuditOutput, EngineError> {
    let (_, tree) = archive::unpack(archive_bytes, &ctx.limits)
        .map_err(|e| EngineError::Failed(format!("cannot unpack the upload: {e}")))?;
    let scratch = ScratchDir(ctx.settings.scratch_dir().join(new_id("run")));
    std::fs::create_dir_all(&scratch.0)
        .and_then(|_| archive::write_tree(&scratch.0, &tree))
        .map_err(|e| EngineError::Failed(format!("cannot write the scratch directory: {e}")))?;
    drop(tree);
    let report_progress = |p: f32| progress.store(p.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
    let mut output = ctx
        .engine
        .run(&scratch.0, options, &report_progress, cancel)?;
    if cancel.load(Ordering::Relaxed) {
        return Err(EngineError::Cancelled);
    }
    normalise_output(&mut output, options);
    Ok(output)
}

/// Applies what the service guarantees whatever the engine: only the
/// requested detectors, fingerprints on every finding, canonical order.
pub fn normalise_output(output: &mut AuditOutput, options: &AuditOptions) {
    if !options.detectors.is_empty() {
        output
            .findings
            .retain(|f| options.detectors.contains(&f.detector));
    }
    if output.findings.iter().any(|f| f.fingerprint.is_empty()) {
        assign_fingerprints(&mut output.findings, &output.files);
    }
    output.findings.sort_by(canonical_order);
}
