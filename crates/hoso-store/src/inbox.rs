//! Watched folders, the files seen in them, and the "Ảnh mới" inbox of photos taken from them.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use crate::{Result, Store};

/// A folder HoSo watches for new photos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchFolder {
    pub path: String,
    pub added_at: i64,
    /// The folder could not be read at the last look (unplugged, unmounted), since when.
    pub missing_at: Option<i64>,
}

/// A photo waiting in (or gone from) the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxItem {
    pub id: i64,
    pub sha256: String,
    pub source_path: String,
    pub original_name: String,
    pub byte_size: u64,
    pub thumb_sha256: Option<String>,
    pub found_at: i64,
    /// Where it went, once put into a dossier.
    pub dossier_id: Option<String>,
    pub component_code: Option<String>,
    pub dismissed_at: Option<i64>,
}

/// A file as last seen: its size and modification time (nanoseconds since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    pub size: u64,
    pub mtime_ns: i64,
}

/// A photo found in a watched folder, as the inbox takes it.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    pub folder: &'a str,
    pub path: &'a str,
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub media_type: &'a str,
    pub thumbnail: Option<&'a [u8]>,
}

/// What taking a photo into the inbox did, with the item's id and the photo's SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// A new inbox item.
    New { id: i64, sha256: String },
    /// The same content is already in the inbox (or was put into a dossier from it).
    Duplicate { id: i64, sha256: String },
}

fn item(r: &rusqlite::Row<'_>) -> rusqlite::Result<InboxItem> {
    Ok(InboxItem {
        id: r.get(0)?,
        sha256: r.get(1)?,
        source_path: r.get(2)?,
        original_name: r.get(3)?,
        byte_size: r.get::<_, i64>(4)?.max(0) as u64,
        found_at: r.get(5)?,
        dossier_id: r.get(6)?,
        component_code: r.get(7)?,
        dismissed_at: r.get(8)?,
        thumb_sha256: r.get(9)?,
    })
}

const ITEM_COLUMNS: &str = "id, sha256, source_path, original_name, byte_size, found_at, \
                            dossier_id, component_code, dismissed_at, thumb_sha256";

impl Store {
    /// Starts watching `path`; false when it was watched already.
    pub fn add_watch_folder(&self, path: &str, now: i64) -> Result<bool> {
        let n = self.conn.execute(
            "INSERT INTO watch_folder (path, added_at) VALUES (?1, ?2) ON CONFLICT (path) DO NOTHING",
            params![path, now],
        )?;
        Ok(n == 1)
    }

    /// Stops watching `path` and forgets what was seen there; photos already in the inbox stay.
    pub fn remove_watch_folder(&self, path: &str) -> Result<bool> {
        Ok(self.conn.execute("DELETE FROM watch_folder WHERE path = ?1", [path])? == 1)
    }

    pub fn watch_folders(&self) -> Result<Vec<WatchFolder>> {
        let mut st = self.conn.prepare(
            "SELECT path, added_at, CASE WHEN missing = 1 THEN missing_at END
             FROM watch_folder ORDER BY added_at, path",
        )?;
        let rows = st.query_map([], |r| {
            Ok(WatchFolder { path: r.get(0)?, added_at: r.get(1)?, missing_at: r.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records whether the folder can be read; true when that changed.
    pub fn set_folder_missing(&self, path: &str, missing: bool, now: i64) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE watch_folder SET missing = ?2, missing_at = CASE WHEN ?2 = 1 THEN ?3 END
             WHERE path = ?1 AND missing <> ?2",
            params![path, i64::from(missing), now],
        )?;
        Ok(n == 1)
    }

    /// Every file seen in a folder, by path.
    pub fn seen_in(&self, folder: &str) -> Result<HashMap<String, Seen>> {
        let mut st =
            self.conn.prepare("SELECT path, size, mtime_ns FROM watch_seen WHERE folder = ?1")?;
        let rows = st.query_map([folder], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Seen { size: r.get::<_, i64>(1)?.max(0) as u64, mtime_ns: r.get(2)? },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remembers files as seen without taking them (those already in a folder when it was
    /// added), in one transaction.
    pub fn mark_seen(&self, folder: &str, files: &[(String, Seen)]) -> Result<()> {
        let tx = self.immediate()?;
        {
            let mut st = tx.prepare(
                "INSERT INTO watch_seen (path, folder, size, mtime_ns) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (path) DO UPDATE SET size = ?3, mtime_ns = ?4",
            )?;
            for (path, s) in files {
                st.execute(params![path, folder, s.size as i64, s.mtime_ns])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Takes a photo found at `path` into the inbox: the files (photo, thumbnail) are stored
    /// first, then, in one transaction, the inbox row (unless the same content is there
    /// already) and the note that this path was seen with this size and time.
    pub fn take_into_inbox(&self, found: &Found<'_>, seen: Seen, now: i64) -> Result<Taken> {
        let Found { folder, path, name, bytes, media_type, thumbnail } = *found;
        let sha = self.blobs.put(bytes)?;
        let thumb = thumbnail.map(|t| self.blobs.put(t)).transpose()?;
        let tx = self.immediate()?;
        if let (Some(t), Some(bytes)) = (&thumb, thumbnail) {
            tx.execute(
                "INSERT INTO blob (sha256, byte_size, media_type, created_at) VALUES (?1, ?2, 'image/jpeg', ?3)
                 ON CONFLICT (sha256) DO NOTHING",
                params![t, bytes.len() as i64, now],
            )?;
        }
        tx.execute(
            "INSERT INTO blob (sha256, byte_size, media_type, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (sha256) DO NOTHING",
            params![sha, bytes.len() as i64, media_type, now],
        )?;
        let existing: Option<i64> = tx
            .query_row("SELECT id FROM inbox_item WHERE sha256 = ?1", [&sha], |r| r.get(0))
            .optional()?;
        let taken = match existing {
            Some(id) => Taken::Duplicate { id, sha256: sha.clone() },
            None => {
                tx.execute(
                    "INSERT INTO inbox_item (sha256, source_path, original_name, byte_size, found_at, thumb_sha256)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![sha, path, name, bytes.len() as i64, now, thumb],
                )?;
                Taken::New { id: tx.last_insert_rowid(), sha256: sha.clone() }
            }
        };
        // A folder removed meanwhile: the photo is kept, the note is not needed.
        tx.execute(
            "INSERT INTO watch_seen (path, folder, size, mtime_ns, sha256)
             SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM watch_folder WHERE path = ?2)
             ON CONFLICT (path) DO UPDATE SET size = ?3, mtime_ns = ?4, sha256 = ?5",
            params![path, folder, seen.size as i64, seen.mtime_ns, sha],
        )?;
        tx.commit()?;
        Ok(taken)
    }

    /// Photos waiting in the inbox (not put into a dossier, not set aside), newest first, and
    /// how many there are in all.
    pub fn inbox(&self, limit: u32, offset: u32) -> Result<(Vec<InboxItem>, u32)> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {ITEM_COLUMNS} FROM inbox_item
             WHERE assigned_at IS NULL AND dismissed_at IS NULL
             ORDER BY found_at DESC, id DESC LIMIT ?1 OFFSET ?2"
        ))?;
        let items = st.query_map(params![limit, offset], item)?.collect::<rusqlite::Result<_>>()?;
        let total: u32 = self.conn.query_row(
            "SELECT count(*) FROM inbox_item WHERE assigned_at IS NULL AND dismissed_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok((items, total))
    }

    pub fn inbox_item(&self, id: i64) -> Result<Option<InboxItem>> {
        Ok(self
            .conn
            .query_row(&format!("SELECT {ITEM_COLUMNS} FROM inbox_item WHERE id = ?1"), [id], item)
            .optional()?)
    }

    /// Notes that the photo went into a dossier's component.
    pub fn assign_inbox(&self, id: i64, dossier: &str, component: &str, now: i64) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE inbox_item SET dossier_id = ?2, component_code = ?3, assigned_at = ?4,
             dismissed_at = NULL WHERE id = ?1",
            params![id, dossier, component, now],
        )?;
        Ok(n == 1)
    }

    /// Sets a photo aside (`Some(now)`) or puts it back (`None`).
    pub fn dismiss_inbox(&self, id: i64, at: Option<i64>) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE inbox_item SET dismissed_at = ?2 WHERE id = ?1 AND assigned_at IS NULL",
            params![id, at],
        )?;
        Ok(n == 1)
    }
}
