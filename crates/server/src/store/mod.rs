//! Persistence: one code path for SQLite and PostgreSQL through `sqlx::Any`.
//!
//! Queries are written once with `$n` placeholders (both drivers accept
//! them), times are `BIGINT` milliseconds and flags are `BIGINT` 0/1, so the
//! backends only differ in their schema file (binary column type) and in
//! the job-claim query ([`Backend::claim_lock_clause`]).

pub mod audits;
pub mod findings;
pub mod jobs;
pub mod keys;
pub mod projects;

use std::borrow::Cow;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// PostgreSQL workers on several machines claim from one queue: the
    /// row lock skips jobs another worker is claiming at the same moment.
    /// SQLite has a single writer, so the claim statement is atomic as is.
    pub fn claim_lock_clause(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// Turns the `--database` value into a driver URL: a plain path means an
/// SQLite file (created if missing).
pub fn database_url(database: &str) -> (String, Backend) {
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        (database.to_string(), Backend::Postgres)
    } else if database.starts_with("sqlite:") {
        let url = if database.contains('?') {
            database.to_string()
        } else {
            format!("{database}?mode=rwc")
        };
        (url, Backend::Sqlite)
    } else {
        (format!("sqlite://{database}?mode=rwc"), Backend::Sqlite)
    }
}

fn migrations(backend: Backend) -> Migrator {
    let init = match backend {
        Backend::Sqlite => include_str!("../../migrations/sqlite/0001_init.sql"),
        Backend::Postgres => include_str!("../../migrations/postgres/0001_init.sql"),
    };
    Migrator {
        migrations: Cow::Owned(vec![Migration::new(
            1,
            Cow::Borrowed("init"),
            MigrationType::Simple,
            Cow::Borrowed(init),
            false,
        )]),
        ignore_missing: false,
        // PostgreSQL: an advisory lock, so several workers starting together
        // do not race to create the schema.
        locking: true,
        no_tx: false,
    }
}

impl Store {
    /// Connects, applies SQLite's durability settings and runs migrations.
    pub async fn connect(database: &str, max_connections: u32) -> Result<Store, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let (url, backend) = database_url(database);
        let mut options = AnyPoolOptions::new()
            .max_connections(max_connections.max(2))
            .acquire_timeout(std::time::Duration::from_secs(10));
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL: readers never block the writer (listing findings
                    // while an audit is being stored); busy_timeout: writers
                    // wait for each other instead of failing at once.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(&url).await?;
        migrations(backend)
            .run(&pool)
            .await
            .map_err(|e| sqlx::Error::Migrate(Box::new(e)))?;
        Ok(Store { pool, backend })
    }

    /// True when the database answers a trivial query (`/readyz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Column readers that keep the row-mapping code short. Decoding errors
/// are returned, never defaulted: a type mismatch between the backends must
/// fail loudly in tests.
pub(crate) trait RowExt {
    fn text(&self, col: &str) -> Result<String, sqlx::Error>;
    fn opt_text(&self, col: &str) -> Result<Option<String>, sqlx::Error>;
    fn int(&self, col: &str) -> Result<i64, sqlx::Error>;
    fn opt_int(&self, col: &str) -> Result<Option<i64>, sqlx::Error>;
}

impl RowExt for AnyRow {
    fn text(&self, col: &str) -> Result<String, sqlx::Error> {
        self.try_get::<String, _>(col)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, sqlx::Error> {
        self.try_get::<Option<String>, _>(col)
    }
    fn int(&self, col: &str) -> Result<i64, sqlx::Error> {
        self.try_get::<i64, _>(col)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>, sqlx::Error> {
        self.try_get::<Option<i64>, _>(col)
    }
}
