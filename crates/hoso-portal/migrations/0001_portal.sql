-- The reference portal's own database: device tokens, tus uploads, dossiers with their files,
-- the status-change feed and result documents. Times are milliseconds since the Unix epoch.

CREATE TABLE token (
    hash       TEXT    PRIMARY KEY,   -- SHA-256 of the bearer token; the token itself is not kept
    label      TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE upload (
    id           TEXT    PRIMARY KEY,
    token_hash   TEXT    NOT NULL,
    length       INTEGER NOT NULL,
    metadata     TEXT    NOT NULL DEFAULT '',
    sha256       TEXT,                -- set when every byte has arrived
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    completed_at INTEGER
) STRICT;

CREATE INDEX upload_expiry ON upload (expires_at);

CREATE TABLE dossier (
    client_id      TEXT    PRIMARY KEY,   -- the client's dossier UUID
    token_hash     TEXT    NOT NULL,
    receipt        TEXT    NOT NULL UNIQUE,
    body_sha256    TEXT    NOT NULL,
    procedure_code TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    received_at    INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE dossier_file (
    client_id  TEXT    NOT NULL REFERENCES dossier (client_id),
    upload_id  TEXT    NOT NULL,
    component  TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    media_type TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    supplement TEXT                       -- the supplement that brought it, if any
) STRICT;

CREATE TABLE supplement (
    supplement_id TEXT    PRIMARY KEY,
    client_id     TEXT    NOT NULL REFERENCES dossier (client_id),
    body_sha256   TEXT    NOT NULL,
    received_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE change (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id  TEXT    NOT NULL REFERENCES dossier (client_id),
    token_hash TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    message    TEXT    NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
) STRICT;

CREATE INDEX change_by_token ON change (token_hash, seq);

CREATE TABLE result (
    id         TEXT    PRIMARY KEY,
    seq        INTEGER NOT NULL REFERENCES change (seq),
    client_id  TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    media_type TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    size       INTEGER NOT NULL
) STRICT;

CREATE TABLE receipt_day (
    day  TEXT    PRIMARY KEY,             -- YYMMDD
    last INTEGER NOT NULL
) STRICT;
