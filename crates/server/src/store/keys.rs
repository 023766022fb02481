//! Organisations and their API keys.

use sqlx::any::AnyRow;

use super::{RowExt, Store};
use crate::auth::{generate_key, scopes_from_text, scopes_to_text, Scope};
use crate::util::{new_id, now_ms};

#[derive(Clone, Debug)]
pub struct OrgRecord {
    pub id: String,
    pub name: String,
    pub operator: bool,
    pub created_at: i64,
}

#[derive(Clone, Debug)]
pub struct KeyRecord {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub secret_hash: String,
    pub scopes: Vec<Scope>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

fn org_from_row(row: &AnyRow) -> Result<OrgRecord, sqlx::Error> {
    Ok(OrgRecord {
        id: row.text("id")?,
        name: row.text("name")?,
        operator: row.int("operator")? != 0,
        created_at: row.int("created_at")?,
    })
}

fn key_from_row(row: &AnyRow) -> Result<KeyRecord, sqlx::Error> {
    Ok(KeyRecord {
        id: row.text("id")?,
        org_id: row.text("org_id")?,
        name: row.text("name")?,
        secret_hash: row.text("secret_hash")?,
        scopes: scopes_from_text(&row.text("scopes")?),
        created_at: row.int("created_at")?,
        revoked_at: row.opt_int("revoked_at")?,
    })
}

impl Store {
    pub async fn create_org(&self, name: &str, operator: bool) -> Result<OrgRecord, sqlx::Error> {
        let org = OrgRecord {
            id: new_id("org"),
            name: name.to_string(),
            operator,
            created_at: now_ms(),
        };
        sqlx::query("INSERT INTO orgs (id, name, operator, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&org.id)
            .bind(&org.name)
            .bind(operator as i64)
            .bind(org.created_at)
            .execute(&self.pool)
            .await?;
        Ok(org)
    }

    pub async fn org(&self, id: &str) -> Result<Option<OrgRecord>, sqlx::Error> {
        sqlx::query("SELECT * FROM orgs WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| org_from_row(&r))
            .transpose()
    }

    pub async fn org_by_name(&self, name: &str) -> Result<Option<OrgRecord>, sqlx::Error> {
        sqlx::query("SELECT * FROM orgs WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| org_from_row(&r))
            .transpose()
    }

    pub async fn list_orgs(&self) -> Result<Vec<OrgRecord>, sqlx::Error> {
        sqlx::query("SELECT * FROM orgs ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(org_from_row)
            .collect()
    }

    /// Creates a key and returns its record with the one-time token.
    pub async fn create_key(
        &self,
        org_id: &str,
        name: &str,
        scopes: &[Scope],
    ) -> Result<(KeyRecord, String), sqlx::Error> {
        let new = generate_key();
        let record = KeyRecord {
            id: new.id,
            org_id: org_id.to_string(),
            name: name.to_string(),
            secret_hash: new.secret_hash,
            scopes: scopes.to_vec(),
            created_at: now_ms(),
            revoked_at: None,
        };
        sqlx::query(
            "INSERT INTO api_keys (id, org_id, name, secret_hash, scopes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&record.id)
        .bind(&record.org_id)
        .bind(&record.name)
        .bind(&record.secret_hash)
        .bind(scopes_to_text(scopes))
        .bind(record.created_at)
        .execute(&self.pool)
        .await?;
        Ok((record, new.token))
    }

    pub async fn key(&self, id: &str) -> Result<Option<KeyRecord>, sqlx::Error> {
        sqlx::query("SELECT * FROM api_keys WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| key_from_row(&r))
            .transpose()
    }

    pub async fn list_keys(&self, org_id: &str) -> Result<Vec<KeyRecord>, sqlx::Error> {
        sqlx::query("SELECT * FROM api_keys WHERE org_id = $1 ORDER BY created_at, id")
            .bind(org_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(key_from_row)
            .collect()
    }

    /// Revokes a key of `org_id`; false when no such live key exists there.
    pub async fn revoke_key(&self, org_id: &str, id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(id)
        .bind(org_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
