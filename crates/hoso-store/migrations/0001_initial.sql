-- HoSo schema version 1: catalogue cache, dossiers with their form values, components' pages,
-- the outbox and the audit trail. Times are milliseconds since the Unix epoch (UTC).

CREATE TABLE catalogue_cache (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    version     TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    etag        TEXT,
    body        TEXT    NOT NULL,
    stored_at   INTEGER NOT NULL
);

CREATE TABLE dossier (
    id             TEXT    PRIMARY KEY,        -- UUIDv7 made by the client
    procedure_code TEXT    NOT NULL,
    state          TEXT    NOT NULL DEFAULT 'draft' CHECK (state IN (
                       'draft', 'queued', 'uploading', 'received', 'processing',
                       'supplement_requested', 'result_ready', 'rejected')),
    title          TEXT    NOT NULL DEFAULT '', -- the applicant's name, for the list
    search_text    TEXT    NOT NULL DEFAULT '', -- folded (no diacritics, đ→d) text for search
    missing        INTEGER NOT NULL DEFAULT 0,  -- fields and documents still to fix or add
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    deleted_at     INTEGER                      -- set while the dossier is in the trash
) STRICT;

CREATE INDEX dossier_active ON dossier (updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX dossier_trash  ON dossier (deleted_at DESC, id DESC) WHERE deleted_at IS NOT NULL;

CREATE TABLE form_value (
    dossier_id TEXT    NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (dossier_id, key)
) STRICT, WITHOUT ROWID;

-- One row per stored file, named by the SHA-256 of its bytes.
CREATE TABLE blob (
    sha256     TEXT    PRIMARY KEY,
    byte_size  INTEGER NOT NULL,
    media_type TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- The pages (files) attached to a component of a dossier, in order.
CREATE TABLE page (
    id             INTEGER PRIMARY KEY,
    dossier_id     TEXT    NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    component_code TEXT    NOT NULL,
    position       INTEGER NOT NULL,
    sha256         TEXT    NOT NULL REFERENCES blob (sha256),
    original_name  TEXT    NOT NULL DEFAULT '',
    added_at       INTEGER NOT NULL,
    UNIQUE (dossier_id, component_code, position)
) STRICT;

-- Work to send to the portal; filled by the outbox once sending exists.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    dossier_id      TEXT    NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

-- What happened to each dossier and when: its status history and audit trail.
CREATE TABLE dossier_event (
    id         INTEGER PRIMARY KEY,
    dossier_id TEXT    NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    detail     TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX dossier_event_by_dossier ON dossier_event (dossier_id, id);
