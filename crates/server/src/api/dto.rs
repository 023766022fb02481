//! Request and response bodies of API v1. Their derived schemas are the
//! OpenAPI document's components, so a field documented here is documented
//! for clients too.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Scope;
use crate::jobs::AuditSummary;
use crate::store::audits::AuditRecord;
use crate::store::findings::{EventRecord, FindingRecord};
use crate::store::keys::{KeyRecord, OrgRecord};
use crate::store::projects::{ProjectRecord, UploadRecord};
use crate::util::rfc3339;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` from `/readyz` while the database is down or
    /// the server is shutting down.
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct Org {
    pub id: String,
    pub name: String,
    /// Operator organisations may create other organisations.
    pub operator: bool,
    pub created_at: String,
}

impl From<&OrgRecord> for Org {
    fn from(r: &OrgRecord) -> Org {
        Org {
            id: r.id.clone(),
            name: r.name.clone(),
            operator: r.operator,
            created_at: rfc3339(r.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrg {
    /// Unique name, 1-100 characters.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct OrgCreated {
    pub org: Org,
    /// The new organisation's first admin key (shown once).
    pub admin_key: KeyCreated,
}

#[derive(Serialize, ToSchema)]
pub struct ApiKey {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

impl From<&KeyRecord> for ApiKey {
    fn from(r: &KeyRecord) -> ApiKey {
        ApiKey {
            id: r.id.clone(),
            org_id: r.org_id.clone(),
            name: r.name.clone(),
            scopes: r.scopes.clone(),
            created_at: rfc3339(r.created_at),
            revoked_at: r.revoked_at.map(rfc3339),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateKey {
    /// What the key is for (`ci`, `alice`), 1-100 characters.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    /// At least one of `read`, `write`, `admin`.
    #[schema(min_items = 1)]
    pub scopes: Vec<Scope>,
}

#[derive(Serialize, ToSchema)]
pub struct KeyCreated {
    pub key: ApiKey,
    /// The secret token; only its hash is stored, it cannot be shown again.
    pub token: String,
}

#[derive(Serialize, ToSchema)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub created_at: String,
}

impl From<&ProjectRecord> for Project {
    fn from(r: &ProjectRecord) -> Project {
        Project {
            id: r.id.clone(),
            name: r.name.clone(),
            created_at: rfc3339(r.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProject {
    /// Unique within the organisation, 1-100 characters.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct Upload {
    pub id: String,
    pub project_id: String,
    /// `tar.gz` or `zip`, recognised from the bytes.
    pub format: String,
    pub archive_bytes: i64,
    pub file_count: i64,
    /// Uncompressed size of the unpacked files.
    pub total_bytes: i64,
    pub sha256: String,
    /// Entries not unpacked (links, devices); only returned on creation.
    pub skipped: Vec<String>,
    pub created_at: String,
}

impl Upload {
    pub fn from_record(r: &UploadRecord, skipped: Vec<String>) -> Upload {
        Upload {
            id: r.id.clone(),
            project_id: r.project_id.clone(),
            format: r.format.clone(),
            archive_bytes: r.archive_bytes,
            file_count: r.file_count,
            total_bytes: r.total_bytes,
            sha256: r.sha256.clone(),
            skipped,
            created_at: rfc3339(r.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct StartAudit {
    /// The upload to audit; the project's latest upload when absent.
    #[serde(default)]
    pub upload_id: Option<String>,
    /// Run only these detectors; all enabled detectors when absent or empty.
    #[serde(default)]
    pub detectors: Option<Vec<String>>,
    /// `none` or a severity: the gate fails when a finding is at or above it
    /// (default `high`).
    #[serde(default)]
    pub fail_on: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRetest {
    /// The new upload of the same project (after fixes).
    pub upload_id: String,
    /// Defaults to the audited detectors of the original audit.
    #[serde(default)]
    pub detectors: Option<Vec<String>>,
    /// Defaults to the original audit's `fail_on`.
    #[serde(default)]
    pub fail_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditOptionsOut {
    pub detectors: Vec<String>,
    pub fail_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct InputErrorOut {
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditSummaryOut {
    pub files_analysed: usize,
    pub nsloc: usize,
    pub total_findings: usize,
    /// Findings per severity (every severity present, zeros included).
    pub by_severity: BTreeMap<String, usize>,
    pub by_detector: BTreeMap<String, usize>,
    /// False when a finding is at or above `fail_on`.
    pub gate_passed: bool,
    pub errors: Vec<InputErrorOut>,
}

impl From<&AuditSummary> for AuditSummaryOut {
    fn from(s: &AuditSummary) -> AuditSummaryOut {
        AuditSummaryOut {
            files_analysed: s.files_analysed,
            nsloc: s.nsloc,
            total_findings: s.total_findings,
            by_severity: s.by_severity.clone(),
            by_detector: s.by_detector.clone(),
            gate_passed: s.gate_passed,
            errors: s
                .errors
                .iter()
                .map(|e| InputErrorOut {
                    file: e.file.clone(),
                    line: e.line,
                    column: e.column,
                    message: e.message.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Audit {
    pub id: String,
    pub project_id: String,
    pub upload_id: String,
    /// Set on a retest: the audit it is compared with.
    pub baseline_audit_id: Option<String>,
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    /// 0 to 1.
    pub progress: f64,
    pub options: AuditOptionsOut,
    /// Why the last attempt failed.
    pub error: Option<String>,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Present once the audit succeeded.
    pub summary: Option<AuditSummaryOut>,
}

impl From<&AuditRecord> for Audit {
    fn from(r: &AuditRecord) -> Audit {
        let options: crate::engine::AuditOptions =
            serde_json::from_str(&r.options).unwrap_or_default();
        let summary = r
            .result
            .as_deref()
            .and_then(|json| serde_json::from_str::<AuditSummary>(json).ok());
        Audit {
            id: r.id.clone(),
            project_id: r.project_id.clone(),
            upload_id: r.upload_id.clone(),
            baseline_audit_id: r.baseline_audit_id.clone(),
            status: r.status.clone(),
            progress: r.progress,
            options: AuditOptionsOut {
                detectors: options.detectors,
                fail_on: options.fail_on,
            },
            error: r.error.clone(),
            created_at: rfc3339(r.created_at),
            started_at: r.started_at.map(rfc3339),
            finished_at: r.finished_at.map(rfc3339),
            summary: summary.as_ref().map(AuditSummaryOut::from),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LocationOut {
    pub file: String,
    pub start_line: u32,
    pub end_line: u32,
    pub start_column: u32,
    pub end_column: u32,
    pub contract: Option<String>,
    pub function: Option<String>,
    pub label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FindingOut {
    pub id: String,
    pub audit_id: String,
    /// Position in the audit's canonical order (most severe first).
    pub seq: i64,
    pub fingerprint: String,
    pub detector: String,
    pub title: String,
    pub severity: String,
    pub confidence: String,
    pub swc: Vec<String>,
    pub message: String,
    /// First: the vulnerable statement; then related statements.
    pub locations: Vec<LocationOut>,
    /// `open`, `confirmed`, `false-positive`, `acknowledged` or `fixed`.
    pub status: String,
    pub assignee: Option<String>,
    /// In a retest: `new` or `persisting`.
    pub retest_class: Option<String>,
    pub updated_at: String,
}

impl From<&FindingRecord> for FindingOut {
    fn from(r: &FindingRecord) -> FindingOut {
        let f = &r.finding;
        FindingOut {
            id: r.id.clone(),
            audit_id: r.audit_id.clone(),
            seq: r.seq,
            fingerprint: r.fingerprint.clone(),
            detector: f.detector.clone(),
            title: f.title.clone(),
            severity: f.severity.as_str().to_string(),
            confidence: f.confidence.as_str().to_string(),
            swc: f.swc.clone(),
            message: f.message.clone(),
            locations: f
                .locations
                .iter()
                .map(|l| LocationOut {
                    file: l.file.clone(),
                    start_line: l.start_line,
                    end_line: l.end_line,
                    start_column: l.start_column,
                    end_column: l.end_column,
                    contract: l.contract.clone(),
                    function: l.function.clone(),
                    label: l.label.clone(),
                })
                .collect(),
            status: r.status.clone(),
            assignee: r.assignee.clone(),
            retest_class: r.retest_class.clone(),
            updated_at: rfc3339(r.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FindingPage {
    pub items: Vec<FindingOut>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FindingQuery {
    /// Comma-separated severities (`critical,high`).
    pub severity: Option<String>,
    pub detector: Option<String>,
    /// A triage status.
    pub status: Option<String>,
    /// A file path, or a directory when it ends with `/`.
    pub file: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1-500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SnippetLine {
    pub line: u32,
    pub text: String,
    /// True for the lines of the primary location.
    pub highlight: bool,
}

#[derive(Serialize, ToSchema)]
pub struct RuleDocsOut {
    pub summary: String,
    pub what: String,
    pub why: String,
    pub exploit: String,
    pub fix: String,
    pub references: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FindingDetail {
    #[serde(flatten)]
    pub finding: FindingOut,
    /// The primary location with a few lines of context.
    pub snippet: Vec<SnippetLine>,
    /// The detector's explanation and recommended fix, when known.
    pub rule: Option<RuleDocsOut>,
}

/// Triage statuses.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum TriageStatus {
    Open,
    Confirmed,
    FalsePositive,
    Acknowledged,
    Fixed,
}

impl TriageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TriageStatus::Open => "open",
            TriageStatus::Confirmed => "confirmed",
            TriageStatus::FalsePositive => "false-positive",
            TriageStatus::Acknowledged => "acknowledged",
            TriageStatus::Fixed => "fixed",
        }
    }
}

/// Distinguishes an absent field (leave unchanged) from `null` (clear it).
fn present<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(de).map(Some)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    pub status: Option<TriageStatus>,
    /// Who handles the finding; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub assignee: Option<Option<String>>,
    /// A comment recorded in the history with the change.
    pub comment: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// 1-10000 characters.
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct Event {
    pub id: String,
    pub at: String,
    /// The API key that made the change (`name (id)`).
    pub actor: String,
    /// `status`, `assignee` or `comment`.
    pub kind: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub body: Option<String>,
}

impl From<&EventRecord> for Event {
    fn from(r: &EventRecord) -> Event {
        Event {
            id: r.id.clone(),
            at: rfc3339(r.at),
            actor: r.actor.clone(),
            kind: r.kind.clone(),
            old_value: r.old_value.clone(),
            new_value: r.new_value.clone(),
            body: r.body.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ComparisonCounts {
    pub fixed: usize,
    pub persisting: usize,
    pub new: usize,
}

#[derive(Serialize, ToSchema)]
pub struct Comparison {
    pub audit_id: String,
    pub baseline_audit_id: String,
    pub counts: ComparisonCounts,
    /// Baseline findings whose fingerprint is gone from the retest.
    pub fixed: Vec<FindingOut>,
    pub persisting: Vec<FindingOut>,
    pub new: Vec<FindingOut>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `json` (default), `sarif`, `markdown` or `html`.
    #[param(pattern = "^(json|sarif|markdown|html)$")]
    pub format: Option<String>,
    /// Include findings triaged as false positives (default false).
    pub include_false_positives: Option<bool>,
}
