-- HoSo schema version 4: watched folders and the "Ảnh mới" inbox.
-- A watched folder is scanned at start and watched while the app runs; `seen` remembers each
-- file it has looked at by path, size and modification time, so nothing is read twice and files
-- already there when the folder was added can be left alone. A photo taken from a folder is
-- copied into the blob store at once (the folder may be a USB stick that goes away) and waits in
-- the inbox until it is put into a dossier or set aside; the same content is shown once.

CREATE TABLE watch_folder (
    path       TEXT    PRIMARY KEY,
    added_at   INTEGER NOT NULL,
    -- 1 while the folder cannot be read (unplugged, unmounted), with when that was noticed.
    missing    INTEGER NOT NULL DEFAULT 0 CHECK (missing IN (0, 1)),
    missing_at INTEGER
) STRICT;

CREATE TABLE watch_seen (
    path     TEXT    PRIMARY KEY,
    folder   TEXT    NOT NULL REFERENCES watch_folder (path) ON DELETE CASCADE,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    -- NULL for files there before the folder was added and not taken.
    sha256   TEXT
) STRICT;

CREATE INDEX watch_seen_folder ON watch_seen (folder);

CREATE TABLE inbox_item (
    id             INTEGER PRIMARY KEY,
    sha256         TEXT    NOT NULL UNIQUE REFERENCES blob (sha256),
    source_path    TEXT    NOT NULL,
    original_name  TEXT    NOT NULL,
    byte_size      INTEGER NOT NULL,
    -- A small grey preview (JPEG), made when the photo was taken.
    thumb_sha256   TEXT    REFERENCES blob (sha256),
    found_at       INTEGER NOT NULL,
    -- Where it went, once put into a dossier.
    dossier_id     TEXT    REFERENCES dossier (id) ON DELETE SET NULL,
    component_code TEXT,
    assigned_at    INTEGER,
    -- Set aside ("Bỏ qua"); undone by clearing it.
    dismissed_at   INTEGER
) STRICT;

CREATE INDEX inbox_waiting ON inbox_item (found_at DESC) WHERE assigned_at IS NULL AND dismissed_at IS NULL;
