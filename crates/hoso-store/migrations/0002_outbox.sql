-- HoSo schema version 2: sending. A finalised dossier is frozen into an outbox job (the exact
-- body the portal will get), each of its files is uploaded resumably (the upload URL and the
-- server-confirmed offset survive restarts), and the portal's receipt, status changes and
-- result documents come back into the dossier.

-- Version 1's placeholder outbox was never written to.
DROP TABLE outbox;

ALTER TABLE dossier ADD COLUMN receipt TEXT;
ALTER TABLE dossier ADD COLUMN status_message TEXT NOT NULL DEFAULT '';

CREATE TABLE outbox_job (
    dossier_id      TEXT    PRIMARY KEY REFERENCES dossier (id) ON DELETE CASCADE,
    payload         TEXT    NOT NULL,   -- the submission body, without upload references
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'uploading', 'submitting', 'sent', 'set_aside')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    error_code      TEXT,
    error_detail    TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX outbox_job_due ON outbox_job (state, next_attempt_at);

CREATE TABLE outbox_file (
    dossier_id       TEXT    NOT NULL REFERENCES outbox_job (dossier_id) ON DELETE CASCADE,
    sha256           TEXT    NOT NULL,
    size             INTEGER NOT NULL,
    upload_url       TEXT,
    confirmed_offset INTEGER NOT NULL DEFAULT 0,
    done             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dossier_id, sha256)
) STRICT;

-- Result documents the portal returned.
CREATE TABLE result_doc (
    dossier_id TEXT    NOT NULL REFERENCES dossier (id) ON DELETE CASCADE,
    remote_id  TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    media_type TEXT    NOT NULL,
    sha256     TEXT    NOT NULL REFERENCES blob (sha256),
    received_at INTEGER NOT NULL,
    PRIMARY KEY (dossier_id, remote_id)
) STRICT;

-- Small named values: the status feed cursor, the catalogue's ETag, settings.
CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
