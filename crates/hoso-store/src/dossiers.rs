//! Dossiers: their rows, form values, attached pages, trash and history.
//!
//! The store does not know the catalogue. Whenever a dossier's content changes, the caller's
//! `summarize` function turns the new content into a [`Summary`] (list title, search text,
//! number of missing items), inside the same transaction as the change, so the list can never
//! disagree with the dossier.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use crate::{Error, Result, Store};

/// Where a dossier is, from draft to result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DossierState {
    Draft,
    Queued,
    Uploading,
    Received,
    Processing,
    SupplementRequested,
    ResultReady,
    Rejected,
}

impl DossierState {
    pub const ALL: [Self; 8] = [
        Self::Draft,
        Self::Queued,
        Self::Uploading,
        Self::Received,
        Self::Processing,
        Self::SupplementRequested,
        Self::ResultReady,
        Self::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Queued => "queued",
            Self::Uploading => "uploading",
            Self::Received => "received",
            Self::Processing => "processing",
            Self::SupplementRequested => "supplement_requested",
            Self::ResultReady => "result_ready",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// What the list shows of a dossier, derived from its content by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub title: String,
    /// Folded text the list search matches against.
    pub search_text: String,
    pub missing: u32,
}

/// A dossier's content as `summarize` sees it.
#[derive(Debug)]
pub struct Content<'a> {
    pub procedure_code: &'a str,
    pub values: &'a BTreeMap<String, String>,
    /// Components that have at least one page.
    pub components_with_pages: &'a BTreeSet<String>,
}

/// A new dossier to insert.
#[derive(Debug)]
pub struct NewDossier<'a> {
    pub id: &'a str,
    pub procedure_code: &'a str,
    pub values: &'a BTreeMap<String, String>,
    pub now: i64,
}

/// One line of the dossier list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierRow {
    pub id: String,
    pub procedure_code: String,
    pub state: DossierState,
    pub title: String,
    pub missing: u32,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    /// The portal's receipt code, once it has the dossier.
    pub receipt: Option<String>,
    /// Where its outbox job is, once finalised.
    pub job_state: Option<crate::JobState>,
    /// Why the job is waiting or set aside, if it is.
    pub job_error: Option<String>,
}

/// A file attached to a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub id: i64,
    pub component_code: String,
    pub position: u32,
    pub sha256: String,
    pub media_type: String,
    pub byte_size: i64,
    pub original_name: String,
    pub added_at: i64,
    /// How the page was made from the photo (the façade's JSON), once it was scanned.
    pub scan: Option<String>,
    /// The scanned page: its file and size.
    pub out: Option<(String, i64)>,
    /// A small preview of the scanned page.
    pub thumb_sha256: Option<String>,
}

/// The files a scan made from a page's photo (none when it failed), and how or why not
/// (see [`Page::scan`]).
#[derive(Debug)]
pub struct ScanFiles<'a> {
    pub scan: &'a str,
    /// The page and its media type.
    pub out: Option<(&'a [u8], &'a str)>,
    /// Its thumbnail, a JPEG.
    pub thumb: Option<&'a [u8]>,
}

/// A whole dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierRecord {
    pub row: DossierRow,
    pub values: BTreeMap<String, String>,
    pub pages: Vec<Page>,
}

/// An entry of a dossier's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierEvent {
    pub at: i64,
    pub kind: String,
    pub detail: String,
}

/// Which dossiers to list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// The trash instead of the live dossiers.
    pub trash: bool,
    /// Folded words that must all appear in the search text.
    pub words: Vec<String>,
    pub limit: u32,
    pub offset: u32,
}

/// A page of the list and how many dossiers match in all.
#[derive(Debug, Clone)]
pub struct ListPage {
    pub rows: Vec<DossierRow>,
    pub total: i64,
}

const ROW_COLUMNS: &str =
    "id, procedure_code, state, title, missing, created_at, updated_at, deleted_at, receipt,
     (SELECT j.state FROM outbox_job j WHERE j.dossier_id = dossier.id),
     (SELECT j.error_code FROM outbox_job j WHERE j.dossier_id = dossier.id)";

fn read_row(r: &Row<'_>) -> rusqlite::Result<DossierRow> {
    let state: String = r.get(2)?;
    Ok(DossierRow {
        id: r.get(0)?,
        procedure_code: r.get(1)?,
        state: DossierState::parse(&state).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown state {state}").into(),
            )
        })?,
        title: r.get(3)?,
        missing: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
        deleted_at: r.get(7)?,
        receipt: r.get(8)?,
        job_state: r.get::<_, Option<String>>(9)?.as_deref().and_then(crate::JobState::parse),
        job_error: r.get(10)?,
    })
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_escape(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Store {
    pub(crate) fn immediate(&self) -> Result<rusqlite::Transaction<'_>> {
        Ok(rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?)
    }

    /// Inserts a dossier with its first values and returns its summary.
    pub fn insert_dossier(
        &self,
        new: &NewDossier<'_>,
        summarize: impl FnOnce(&Content<'_>) -> Summary,
    ) -> Result<Summary> {
        let tx = self.immediate()?;
        let inserted = tx.execute(
            "INSERT INTO dossier (id, procedure_code, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (id) DO NOTHING",
            params![new.id, new.procedure_code, new.now],
        )?;
        if inserted == 0 {
            return Err(Error::DossierExists(new.id.to_owned()));
        }
        for (k, v) in new.values {
            upsert_value(&tx, new.id, k, v, new.now)?;
        }
        add_event(&tx, new.id, new.now, "created", "")?;
        let summary = resummarize(&tx, new.id, new.now, summarize)?;
        tx.commit()?;
        Ok(summary)
    }

    /// The whole dossier, whether live or in the trash.
    pub fn dossier(&self, id: &str) -> Result<DossierRecord> {
        let row = self
            .conn
            .prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM dossier WHERE id = ?1"))?
            .query_row([id], read_row)
            .optional()?
            .ok_or_else(|| Error::DossierNotFound(id.to_owned()))?;
        let values = load_values(&self.conn, id)?;
        let pages = self
            .conn
            .prepare_cached(
                "SELECT p.id, p.component_code, p.position, p.sha256, b.media_type, b.byte_size,
                        p.original_name, p.added_at, p.scan, p.out_sha256, o.byte_size, p.thumb_sha256
                 FROM page p JOIN blob b ON b.sha256 = p.sha256
                 LEFT JOIN blob o ON o.sha256 = p.out_sha256
                 WHERE p.dossier_id = ?1 AND p.removed_at IS NULL
                 ORDER BY p.component_code, p.position",
            )?
            .query_map([id], |r| {
                Ok(Page {
                    id: r.get(0)?,
                    component_code: r.get(1)?,
                    position: r.get(2)?,
                    sha256: r.get(3)?,
                    media_type: r.get(4)?,
                    byte_size: r.get(5)?,
                    original_name: r.get(6)?,
                    added_at: r.get(7)?,
                    scan: r.get(8)?,
                    out: match (r.get::<_, Option<String>>(9)?, r.get::<_, Option<i64>>(10)?) {
                        (Some(sha), Some(size)) => Some((sha, size)),
                        _ => None,
                    },
                    thumb_sha256: r.get(11)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(DossierRecord { row, values, pages })
    }

    /// Sets form values (an empty value removes the field) and re-summarises, in one transaction.
    pub fn update_values(
        &self,
        id: &str,
        changes: &[(&str, &str)],
        now: i64,
        summarize: impl FnOnce(&Content<'_>) -> Summary,
    ) -> Result<Summary> {
        let tx = self.immediate()?;
        ensure_live(&tx, id)?;
        for (k, v) in changes {
            upsert_value(&tx, id, k, v, now)?;
        }
        let summary = resummarize(&tx, id, now, summarize)?;
        tx.commit()?;
        Ok(summary)
    }

    /// Attaches a file to a component, after the other pages of that component.
    pub fn add_page(
        &self,
        id: &str,
        component_code: &str,
        file: PageFile<'_>,
        now: i64,
        summarize: impl FnOnce(&Content<'_>) -> Summary,
    ) -> Result<(Page, Summary)> {
        // The file is on disk before any row names it; a crash in between leaves only an
        // unreferenced file.
        let sha = self.blobs.put(file.bytes)?;
        let tx = self.immediate()?;
        ensure_live(&tx, id)?;
        tx.execute(
            "INSERT INTO blob (sha256, byte_size, media_type, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (sha256) DO NOTHING",
            params![sha, byte_len(file.bytes), file.media_type, now],
        )?;
        let position: u32 = tx.query_row(
            "SELECT coalesce(max(position), 0) + 1 FROM page WHERE dossier_id = ?1 AND component_code = ?2",
            [id, component_code],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO page (dossier_id, component_code, position, sha256, original_name, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, component_code, position, sha, file.original_name, now],
        )?;
        let page = Page {
            id: tx.last_insert_rowid(),
            component_code: component_code.to_owned(),
            position,
            sha256: sha,
            media_type: file.media_type.to_owned(),
            byte_size: byte_len(file.bytes),
            original_name: file.original_name.to_owned(),
            added_at: now,
            scan: None,
            out: None,
            thumb_sha256: None,
        };
        let summary = resummarize(&tx, id, now, summarize)?;
        tx.commit()?;
        Ok((page, summary))
    }

    /// Removes a page from its component; [`Store::restore_page`] puts it back in its place.
    /// The files stay in the store (another dossier may use them).
    pub fn remove_page(
        &self,
        id: &str,
        page_id: i64,
        now: i64,
        summarize: impl FnOnce(&Content<'_>) -> Summary,
    ) -> Result<Summary> {
        self.set_page_removed(id, page_id, Some(now), now, summarize)
    }

    /// Undoes [`Store::remove_page`].
    pub fn restore_page(
        &self,
        id: &str,
        page_id: i64,
        now: i64,
        summarize: impl FnOnce(&Content<'_>) -> Summary,
    ) -> Result<Summary> {
        self.set_page_removed(id, page_id, None, now, summarize)
    }

    fn set_page_removed(
        &self,
        id: &str,
        page_id: i64,
        removed_at: Option<i64>,
        now: i64,
        summarize: impl FnOnce(&Content<'_>) -> Summary,
    ) -> Result<Summary> {
        let tx = self.immediate()?;
        ensure_live(&tx, id)?;
        let n = tx.execute(
            "UPDATE page SET removed_at = ?3 WHERE id = ?1 AND dossier_id = ?2",
            params![page_id, id, removed_at],
        )?;
        if n == 0 {
            return Err(Error::PageNotFound(page_id));
        }
        let summary = resummarize(&tx, id, now, summarize)?;
        tx.commit()?;
        Ok(summary)
    }

    /// Moves a page to `index` (from 0) among its component's pages.
    pub fn move_page(&self, id: &str, page_id: i64, index: usize, now: i64) -> Result<()> {
        let tx = self.immediate()?;
        ensure_live(&tx, id)?;
        let component: String = tx
            .query_row(
                "SELECT component_code FROM page WHERE id = ?1 AND dossier_id = ?2 AND removed_at IS NULL",
                params![page_id, id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::PageNotFound(page_id))?;
        let rows: Vec<(i64, u32)> = tx
            .prepare_cached(
                "SELECT id, position FROM page
                 WHERE dossier_id = ?1 AND component_code = ?2 AND removed_at IS NULL ORDER BY position",
            )?
            .query_map(params![id, component], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // The same positions, handed out in the new order (removed pages keep theirs).
        let slots: Vec<u32> = rows.iter().map(|r| r.1).collect();
        let mut order: Vec<i64> = rows.iter().map(|r| r.0).filter(|&p| p != page_id).collect();
        order.insert(index.min(order.len()), page_id);
        let mut set = tx.prepare_cached("UPDATE page SET position = ?2 WHERE id = ?1")?;
        for (pid, slot) in order.iter().zip(&slots) {
            set.execute(params![pid, -i64::from(*slot)])?;
        }
        for (pid, slot) in order.iter().zip(&slots) {
            set.execute(params![pid, slot])?;
        }
        drop(set);
        tx.execute("UPDATE dossier SET updated_at = ?2 WHERE id = ?1", params![id, now])?;
        tx.commit()?;
        Ok(())
    }

    /// Records what a scan made from a page's photo. The files are on disk before the row
    /// names them.
    pub fn set_page_scan(
        &self,
        id: &str,
        page_id: i64,
        files: &ScanFiles<'_>,
        now: i64,
    ) -> Result<()> {
        let out = files.out.map(|(b, _)| self.blobs.put(b)).transpose()?;
        let thumb = files.thumb.map(|b| self.blobs.put(b)).transpose()?;
        let tx = self.immediate()?;
        ensure_live(&tx, id)?;
        let mut blob = tx.prepare_cached(
            "INSERT INTO blob (sha256, byte_size, media_type, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (sha256) DO NOTHING",
        )?;
        if let (Some(sha), Some((bytes, media_type))) = (&out, files.out) {
            blob.execute(params![sha, byte_len(bytes), media_type, now])?;
        }
        if let (Some(sha), Some(bytes)) = (&thumb, files.thumb) {
            blob.execute(params![sha, byte_len(bytes), "image/jpeg", now])?;
        }
        drop(blob);
        let n = tx.execute(
            "UPDATE page SET scan = ?3, out_sha256 = ?4, thumb_sha256 = ?5
             WHERE id = ?1 AND dossier_id = ?2 AND removed_at IS NULL",
            params![page_id, id, files.scan, out, thumb],
        )?;
        if n == 0 {
            return Err(Error::PageNotFound(page_id));
        }
        tx.execute("UPDATE dossier SET updated_at = ?2 WHERE id = ?1", params![id, now])?;
        tx.commit()?;
        Ok(())
    }

    /// Keeps a file (a component's PDF made for sending) in the store; returns its SHA-256.
    pub fn put_file(&self, bytes: &[u8], media_type: &str, now: i64) -> Result<String> {
        let sha = self.blobs.put(bytes)?;
        self.conn.execute(
            "INSERT INTO blob (sha256, byte_size, media_type, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (sha256) DO NOTHING",
            params![sha, byte_len(bytes), media_type, now],
        )?;
        Ok(sha)
    }

    /// The dossiers matching `filter`, most recently changed (or trashed) first.
    pub fn list(&self, filter: &ListFilter) -> Result<ListPage> {
        let (live_clause, order) = if filter.trash {
            ("deleted_at IS NOT NULL", "deleted_at DESC, id DESC")
        } else {
            ("deleted_at IS NULL", "updated_at DESC, id DESC")
        };
        let mut where_sql = live_clause.to_owned();
        let patterns: Vec<String> = filter
            .words
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| format!("%{}%", like_escape(w)))
            .collect();
        for i in 0..patterns.len() {
            where_sql.push_str(&format!(" AND search_text LIKE ?{} ESCAPE '\\'", i + 1));
        }
        let args = rusqlite::params_from_iter(patterns.iter());
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM dossier WHERE {where_sql}"))?
            .query_row(args.clone(), |r| r.get(0))?;
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT {ROW_COLUMNS} FROM dossier WHERE {where_sql} ORDER BY {order} LIMIT {} OFFSET {}",
                filter.limit, filter.offset
            ))?
            .query_map(args, read_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ListPage { rows, total })
    }

    /// Moves a dossier to the trash; it can be restored.
    pub fn trash(&self, id: &str, now: i64) -> Result<()> {
        self.set_deleted(id, Some(now), now, "trashed")
    }

    /// Brings a dossier back from the trash.
    pub fn restore(&self, id: &str, now: i64) -> Result<()> {
        self.set_deleted(id, None, now, "restored")
    }

    fn set_deleted(&self, id: &str, deleted_at: Option<i64>, now: i64, event: &str) -> Result<()> {
        let tx = self.immediate()?;
        let n = tx.execute(
            "UPDATE dossier SET deleted_at = ?2 WHERE id = ?1 AND (deleted_at IS NULL) = (?2 IS NOT NULL)",
            params![id, deleted_at],
        )?;
        if n == 0 {
            return Err(Error::DossierNotFound(id.to_owned()));
        }
        add_event(&tx, id, now, event, "")?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a dossier that is in the trash, for good. Its files stay in the file store.
    pub fn purge(&self, id: &str) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM dossier WHERE id = ?1 AND deleted_at IS NOT NULL", [id])?;
        if n == 0 {
            return Err(Error::DossierNotFound(id.to_owned()));
        }
        Ok(())
    }

    /// Copies a dossier's values and pages into a new draft with id `new_id`.
    pub fn duplicate(&self, source: &str, new_id: &str, now: i64) -> Result<()> {
        let tx = self.immediate()?;
        let n = tx.execute(
            "INSERT INTO dossier (id, procedure_code, title, search_text, missing, created_at, updated_at)
             SELECT ?2, procedure_code, title, search_text, missing, ?3, ?3 FROM dossier WHERE id = ?1",
            params![source, new_id, now],
        )?;
        if n == 0 {
            return Err(Error::DossierNotFound(source.to_owned()));
        }
        tx.execute(
            "INSERT INTO form_value (dossier_id, key, value, updated_at)
             SELECT ?2, key, value, ?3 FROM form_value WHERE dossier_id = ?1",
            params![source, new_id, now],
        )?;
        tx.execute(
            "INSERT INTO page (dossier_id, component_code, position, sha256, original_name, added_at,
                               scan, out_sha256, thumb_sha256)
             SELECT ?2, component_code, position, sha256, original_name, ?3, scan, out_sha256, thumb_sha256
             FROM page WHERE dossier_id = ?1 AND removed_at IS NULL",
            params![source, new_id, now],
        )?;
        add_event(&tx, new_id, now, "duplicated", source)?;
        tx.commit()?;
        Ok(())
    }

    /// Moves a dossier to another state and records it in the history.
    pub fn set_state(&self, id: &str, state: DossierState, detail: &str, now: i64) -> Result<()> {
        let tx = self.immediate()?;
        let n = tx.execute(
            "UPDATE dossier SET state = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, state.as_str(), now],
        )?;
        if n == 0 {
            return Err(Error::DossierNotFound(id.to_owned()));
        }
        add_event(&tx, id, now, &format!("state:{}", state.as_str()), detail)?;
        tx.commit()?;
        Ok(())
    }

    /// A dossier's history, oldest first.
    pub fn events(&self, id: &str) -> Result<Vec<DossierEvent>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT at, kind, detail FROM dossier_event WHERE dossier_id = ?1 ORDER BY id",
            )?
            .query_map([id], |r| {
                Ok(DossierEvent { at: r.get(0)?, kind: r.get(1)?, detail: r.get(2)? })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }
}

/// The bytes and description of a file to attach.
#[derive(Debug, Clone, Copy)]
pub struct PageFile<'a> {
    pub bytes: &'a [u8],
    pub media_type: &'a str,
    pub original_name: &'a str,
}

fn byte_len(bytes: &[u8]) -> i64 {
    i64::try_from(bytes.len()).unwrap_or(i64::MAX)
}

/// A dossier that can be edited: live (not in the trash) and still a draft.
fn ensure_live(tx: &rusqlite::Transaction<'_>, id: &str) -> Result<()> {
    let state: Option<String> = tx
        .prepare_cached("SELECT state FROM dossier WHERE id = ?1 AND deleted_at IS NULL")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match state.as_deref() {
        None => Err(Error::DossierNotFound(id.to_owned())),
        Some("draft") => Ok(()),
        Some(other) => Err(Error::NotADraft(other.to_owned())),
    }
}

fn upsert_value(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    key: &str,
    value: &str,
    now: i64,
) -> Result<()> {
    if value.is_empty() {
        tx.prepare_cached("DELETE FROM form_value WHERE dossier_id = ?1 AND key = ?2")?
            .execute([id, key])?;
    } else {
        tx.prepare_cached(
            "INSERT INTO form_value (dossier_id, key, value, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (dossier_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )?
        .execute(params![id, key, value, now])?;
    }
    Ok(())
}

fn load_values(conn: &rusqlite::Connection, id: &str) -> Result<BTreeMap<String, String>> {
    Ok(conn
        .prepare_cached("SELECT key, value FROM form_value WHERE dossier_id = ?1")?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn add_event(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    now: i64,
    kind: &str,
    detail: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO dossier_event (dossier_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, now, kind, detail])?;
    Ok(())
}

fn resummarize(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    now: i64,
    summarize: impl FnOnce(&Content<'_>) -> Summary,
) -> Result<Summary> {
    let procedure_code: String = tx
        .prepare_cached("SELECT procedure_code FROM dossier WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    let values = load_values(tx, id)?;
    let components_with_pages: BTreeSet<String> = tx
        .prepare_cached(
            "SELECT DISTINCT component_code FROM page WHERE dossier_id = ?1 AND removed_at IS NULL",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let summary = summarize(&Content {
        procedure_code: &procedure_code,
        values: &values,
        components_with_pages: &components_with_pages,
    });
    tx.prepare_cached(
        "UPDATE dossier SET title = ?2, search_text = ?3, missing = ?4, updated_at = ?5 WHERE id = ?1",
    )?
    .execute(params![id, summary.title, summary.search_text, summary.missing, now])?;
    Ok(summary)
}

impl Store {
    /// The procedure code of a live dossier (not in the trash).
    pub fn dossier_procedure(&self, id: &str) -> Result<String> {
        self.conn
            .prepare_cached(
                "SELECT procedure_code FROM dossier WHERE id = ?1 AND deleted_at IS NULL",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::DossierNotFound(id.to_owned()))
    }
}
