//! Projects and their uploaded archives.
//!
//! Archives are kept in the database (not on a local disk) so that a
//! `bulwark worker` on another machine can unpack the same upload.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{RowExt, Store};
use crate::util::{new_id, now_ms};

#[derive(Clone, Debug)]
pub struct ProjectRecord {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub created_at: i64,
}

#[derive(Clone, Debug)]
pub struct UploadRecord {
    pub id: String,
    pub org_id: String,
    pub project_id: String,
    pub format: String,
    pub archive_bytes: i64,
    pub file_count: i64,
    pub total_bytes: i64,
    pub sha256: String,
    pub created_at: i64,
}

/// What is recorded about a new upload besides the archive itself.
pub struct NewUpload<'a> {
    pub format: &'a str,
    pub archive: &'a [u8],
    pub file_count: i64,
    pub total_bytes: i64,
    pub sha256: &'a str,
}

fn project_from_row(row: &AnyRow) -> Result<ProjectRecord, sqlx::Error> {
    Ok(ProjectRecord {
        id: row.text("id")?,
        org_id: row.text("org_id")?,
        name: row.text("name")?,
        created_at: row.int("created_at")?,
    })
}

fn upload_from_row(row: &AnyRow) -> Result<UploadRecord, sqlx::Error> {
    Ok(UploadRecord {
        id: row.text("id")?,
        org_id: row.text("org_id")?,
        project_id: row.text("project_id")?,
        format: row.text("format")?,
        archive_bytes: row.int("archive_bytes")?,
        file_count: row.int("file_count")?,
        total_bytes: row.int("total_bytes")?,
        sha256: row.text("sha256")?,
        created_at: row.int("created_at")?,
    })
}

const UPLOAD_COLUMNS: &str =
    "id, org_id, project_id, format, archive_bytes, file_count, total_bytes, sha256, created_at";

impl Store {
    /// `None` when the organisation already has a project of that name.
    pub async fn create_project(
        &self,
        org_id: &str,
        name: &str,
    ) -> Result<Option<ProjectRecord>, sqlx::Error> {
        let project = ProjectRecord {
            id: new_id("prj"),
            org_id: org_id.to_string(),
            name: name.to_string(),
            created_at: now_ms(),
        };
        let inserted = sqlx::query(
            "INSERT INTO projects (id, org_id, name, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (org_id, name) DO NOTHING",
        )
        .bind(&project.id)
        .bind(&project.org_id)
        .bind(&project.name)
        .bind(project.created_at)
        .execute(&self.pool)
        .await?;
        Ok((inserted.rows_affected() == 1).then_some(project))
    }

    /// A project of `org_id`: another organisation's id reads as absent.
    pub async fn project(
        &self,
        org_id: &str,
        id: &str,
    ) -> Result<Option<ProjectRecord>, sqlx::Error> {
        sqlx::query("SELECT * FROM projects WHERE id = $1 AND org_id = $2")
            .bind(id)
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| project_from_row(&r))
            .transpose()
    }

    pub async fn list_projects(&self, org_id: &str) -> Result<Vec<ProjectRecord>, sqlx::Error> {
        sqlx::query("SELECT * FROM projects WHERE org_id = $1 ORDER BY created_at, id")
            .bind(org_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(project_from_row)
            .collect()
    }

    pub async fn create_upload(
        &self,
        project: &ProjectRecord,
        upload: NewUpload<'_>,
    ) -> Result<UploadRecord, sqlx::Error> {
        let record = UploadRecord {
            id: new_id("upl"),
            org_id: project.org_id.clone(),
            project_id: project.id.clone(),
            format: upload.format.to_string(),
            archive_bytes: upload.archive.len() as i64,
            file_count: upload.file_count,
            total_bytes: upload.total_bytes,
            sha256: upload.sha256.to_string(),
            created_at: now_ms(),
        };
        sqlx::query(
            "INSERT INTO uploads (id, org_id, project_id, format, archive, archive_bytes, file_count, \
             total_bytes, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&record.id)
        .bind(&record.org_id)
        .bind(&record.project_id)
        .bind(&record.format)
        .bind(upload.archive.to_vec())
        .bind(record.archive_bytes)
        .bind(record.file_count)
        .bind(record.total_bytes)
        .bind(&record.sha256)
        .bind(record.created_at)
        .execute(&self.pool)
        .await?;
        Ok(record)
    }

    pub async fn upload(
        &self,
        org_id: &str,
        id: &str,
    ) -> Result<Option<UploadRecord>, sqlx::Error> {
        sqlx::query(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = $1 AND org_id = $2"
        ))
        .bind(id)
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| upload_from_row(&r))
        .transpose()
    }

    pub async fn latest_upload(
        &self,
        project_id: &str,
    ) -> Result<Option<UploadRecord>, sqlx::Error> {
        sqlx::query(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE project_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1"
        ))
        .bind(project_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| upload_from_row(&r))
        .transpose()
    }

    pub async fn list_uploads(&self, project_id: &str) -> Result<Vec<UploadRecord>, sqlx::Error> {
        sqlx::query(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE project_id = $1 ORDER BY created_at, id"
        ))
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(upload_from_row)
        .collect()
    }

    /// The archive bytes, for the job runner (no org check: jobs are
    /// trusted internal work that already carries the right upload id).
    pub async fn upload_archive(&self, id: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
        let row = sqlx::query("SELECT archive FROM uploads WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get::<Vec<u8>, _>("archive")).transpose()
    }
}
