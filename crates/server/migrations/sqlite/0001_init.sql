-- Bulwark service schema (SQLite). Keep in step with ../postgres/0001_init.sql:
-- the two differ only in the binary column type and nothing else.
-- Times are milliseconds since the Unix epoch (BIGINT) on both backends so the
-- same queries and the same `sqlx::Any` decoding work everywhere.

CREATE TABLE orgs (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    operator    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs(id),
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX api_keys_org ON api_keys(org_id);

CREATE TABLE projects (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE uploads (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL,
    project_id    TEXT NOT NULL REFERENCES projects(id),
    format        TEXT NOT NULL,
    archive       BLOB NOT NULL,
    archive_bytes BIGINT NOT NULL,
    file_count    BIGINT NOT NULL,
    total_bytes   BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX uploads_project ON uploads(project_id, created_at);

CREATE TABLE audits (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL,
    project_id         TEXT NOT NULL REFERENCES projects(id),
    upload_id          TEXT NOT NULL REFERENCES uploads(id),
    baseline_audit_id  TEXT,
    status             TEXT NOT NULL,
    progress           DOUBLE PRECISION NOT NULL DEFAULT 0,
    options            TEXT NOT NULL,
    error              TEXT,
    result             TEXT,
    created_at         BIGINT NOT NULL,
    started_at         BIGINT,
    finished_at        BIGINT
);
CREATE INDEX audits_project ON audits(project_id, created_at);

CREATE TABLE jobs (
    id                TEXT PRIMARY KEY,
    audit_id          TEXT NOT NULL REFERENCES audits(id),
    state             TEXT NOT NULL,
    attempts          BIGINT NOT NULL DEFAULT 0,
    max_attempts      BIGINT NOT NULL,
    run_after         BIGINT NOT NULL,
    lease_owner       TEXT,
    lease_expires_at  BIGINT,
    cancel_requested  BIGINT NOT NULL DEFAULT 0,
    last_error        TEXT,
    created_at        BIGINT NOT NULL
);
CREATE INDEX jobs_claim ON jobs(state, run_after);

CREATE TABLE audit_files (
    audit_id  TEXT NOT NULL REFERENCES audits(id),
    path      TEXT NOT NULL,
    source    TEXT NOT NULL,
    info      TEXT NOT NULL,
    PRIMARY KEY (audit_id, path)
);

CREATE TABLE findings (
    id             TEXT PRIMARY KEY,
    audit_id       TEXT NOT NULL REFERENCES audits(id),
    org_id         TEXT NOT NULL,
    seq            BIGINT NOT NULL,
    fingerprint    TEXT NOT NULL,
    detector       TEXT NOT NULL,
    severity       TEXT NOT NULL,
    file           TEXT NOT NULL,
    status         TEXT NOT NULL,
    assignee       TEXT,
    retest_class   TEXT,
    data           TEXT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (audit_id, seq)
);
CREATE INDEX findings_audit_fp ON findings(audit_id, fingerprint);

CREATE TABLE finding_events (
    id          TEXT PRIMARY KEY,
    finding_id  TEXT NOT NULL REFERENCES findings(id),
    at          BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    body        TEXT
);
CREATE INDEX finding_events_finding ON finding_events(finding_id, at);
