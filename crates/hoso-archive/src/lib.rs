//! The digitised archive of a commune's one-stop desk (số hóa hồ sơ).
//!
//! - **Intake** ([`Archive::digitise`]): a scanner's output folder or a folder of phone photos
//!   becomes records. Each photo is cleaned by the scan pipeline; HoSo's separator sheets (a QR
//!   code) and blank pages start a new record and are not kept. The original file is kept with
//!   every page, and a file taken in once is never taken in twice.
//! - **OCR** ([`Archive::ocr_pending`]): Tesseract with Debian's Vietnamese data reads each page
//!   in the background, a page at a time per core. Each page's words are stored as soon as it is
//!   read, so a kill loses at most the pages being read, and a page read once is never read
//!   again.
//! - **Search** ([`Archive::search`]): SQLite FTS5 over the text and the records' details, both
//!   folded (no diacritics, `đ`→`d`, lower case), so `nguyen van duc` finds `Nguyễn Văn Đức`.
//! - **PDF** ([`Archive::record_pdf`], [`Archive::export`]): each record as one PDF with the
//!   text invisible over the images, and a folder tree with an index for other tools.
//!
//! Everything lives in `<data>/archive/`: `archive.sqlite3` and the files by SHA-256.

mod export;
mod intake;
mod ocr;
mod search;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

pub use export::{ExportReport, ImportReport};
pub use intake::{
    Grouping, IntakeOptions, IntakeReport, SEPARATOR_PREFIX, UnknownGrouping, separator_payload,
};
pub use ocr::{OcrReport, page_text, tesseract_available};
pub use search::{Hit, fold, fold_with_map};

/// The archive's database file, inside the archive folder.
pub const DB_FILE: &str = "archive.sqlite3";

/// The schema this build writes (SQLite's `user_version`).
pub const SCHEMA_VERSION: u32 = 1;

const SCHEMA_V1: &str = "
CREATE TABLE record (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT '',
    number TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    people TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    batch TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE TABLE page (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    source_name TEXT NOT NULL,
    source_sha256 TEXT NOT NULL UNIQUE,
    image_sha256 TEXT NOT NULL,
    encoding TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    dpi INTEGER NOT NULL,
    byte_size INTEGER NOT NULL,
    thumb BLOB NOT NULL,
    ocr_state TEXT NOT NULL DEFAULT 'none'
        CHECK (ocr_state IN ('none', 'pending', 'done', 'failed')),
    ocr_text TEXT NOT NULL DEFAULT '',
    ocr_words TEXT NOT NULL DEFAULT '[]',
    ocr_error TEXT NOT NULL DEFAULT '',
    ocr_runs INTEGER NOT NULL DEFAULT 0,
    ocr_ms INTEGER,
    ocr_done_at INTEGER
);
CREATE INDEX page_record ON page(record_id, position);
CREATE INDEX page_pending ON page(id) WHERE ocr_state = 'pending';
-- Folded text and details of each page (rowid = page id); the text itself stays in `page`.
CREATE VIRTUAL TABLE page_fts USING fts5(
    body, meta, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
);
";

/// Errors of the archive.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the archive database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("the archive's files: {0}")]
    Files(#[from] hoso_store::Error),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "the archive was written by a newer HoSo (schema {0}, this build knows up to {SCHEMA_VERSION})"
    )]
    TooNew(u32),
    #[error("record {0} does not exist")]
    NotFound(i64),
    #[error("PDF: {0}")]
    Pdf(#[from] hoso_pdf::Error),
    #[error("OCR: {0}")]
    Ocr(String),
    #[error("page {page}: {why}")]
    Damaged { page: i64, why: String },
    #[error("the PDF cannot be read: {0}")]
    UnreadablePdf(String),
    #[error("record {id} has {count} pages: it cannot be split before page {position}")]
    Split { id: i64, position: u32, count: u32 },
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io { path: path.to_owned(), source }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// What an official records about a record; every field is free text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ArchiveMeta")]
pub struct RecordMeta {
    /// "Sổ đăng ký khai sinh", "Hồ sơ đất đai", …
    pub kind: String,
    /// Number and symbol ("12/2019/QĐ-UBND", "Quyển 01").
    pub number: String,
    /// As written on the paper ("12/03/1998", "1998").
    pub date: String,
    /// The people named, separated by semicolons.
    pub people: String,
    /// Free tags, separated by commas.
    pub tags: String,
}

impl RecordMeta {
    /// The five columns `kind, number, date, people, tags` of a row, from column `first` on.
    pub(crate) fn from_row(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(Self {
            kind: r.get(first)?,
            number: r.get(first + 1)?,
            date: r.get(first + 2)?,
            people: r.get(first + 3)?,
            tags: r.get(first + 4)?,
        })
    }

    /// The folded text the search finds a record by.
    pub(crate) fn folded(&self, source_name: &str) -> String {
        fold(
            &[&self.kind, &self.number, &self.date, &self.people, &self.tags, source_name]
                .join(" "),
        )
    }
}

/// Where a page's text stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum OcrState {
    None,
    Pending,
    Done,
    Failed,
}

impl OcrState {
    fn parse(s: &str) -> Self {
        match s {
            "pending" => Self::Pending,
            "done" => Self::Done,
            "failed" => Self::Failed,
            _ => Self::None,
        }
    }
}

/// One page of a record.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ArchivePage")]
pub struct PageInfo {
    pub id: i64,
    /// From 1.
    pub position: u32,
    pub source_name: String,
    pub source_sha256: String,
    pub width: u32,
    pub height: u32,
    pub dpi: u32,
    /// `g4`, `gray4`, `jpeg_gray`, `jpeg_rgb` or `palette4`.
    pub encoding: String,
    pub byte_size: u64,
    pub ocr: OcrState,
    /// How many times the page was read (1 once read; a page is never read twice unless asked).
    pub ocr_runs: u32,
    pub ocr_done_at: Option<i64>,
}

/// A record and its pages.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ArchiveRecord")]
pub struct Record {
    pub id: i64,
    #[serde(flatten)]
    pub meta: RecordMeta,
    /// The intake it came from.
    pub batch: String,
    pub created_at: i64,
    pub pages: Vec<PageInfo>,
}

/// The archive: its database and files.
#[derive(Debug)]
pub struct Archive {
    conn: Mutex<Connection>,
    blobs: hoso_store::BlobStore,
    dir: PathBuf,
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Archive {
    /// Opens (or makes) the archive in `dir` and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let conn = Connection::open(dir.join(DB_FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        hoso_store::journal_mode_wal(&conn)?;
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        // The version is read under the write lock, so two programs opening a new archive at
        // once (the app and `hoso digitise`) do not both make the schema.
        let tx =
            rusqlite::Transaction::new_unchecked(&conn, rusqlite::TransactionBehavior::Immediate)?;
        let version: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Error::TooNew(version));
        }
        if version < 1 {
            tx.execute_batch(SCHEMA_V1)?;
            tx.pragma_update(None, "user_version", 1)?;
        }
        tx.commit()?;
        let blobs = hoso_store::BlobStore::open(&dir.join("files"))?;
        Ok(Self { conn: Mutex::new(conn), blobs, dir: dir.to_owned() })
    }

    /// The archive's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn db(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn blobs(&self) -> &hoso_store::BlobStore {
        &self.blobs
    }

    /// Every record, newest first, with its pages.
    pub fn records(&self) -> Result<Vec<Record>> {
        self.recent(usize::MAX)
    }

    /// The newest `limit` records, with their pages.
    pub fn recent(&self, limit: usize) -> Result<Vec<Record>> {
        let ids: Vec<i64> = {
            let db = self.db();
            let mut st = db.prepare("SELECT id FROM record ORDER BY id DESC LIMIT ?")?;
            st.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        ids.into_iter().map(|id| self.record(id)).collect()
    }

    /// One record with its pages in order.
    pub fn record(&self, id: i64) -> Result<Record> {
        let db = self.db();
        let head = db
            .query_row(
                "SELECT kind, number, date, people, tags, batch, created_at FROM record WHERE id = ?",
                [id],
                |r| Ok((RecordMeta::from_row(r, 0)?, r.get::<_, String>(5)?, r.get::<_, i64>(6)?)),
            )
            .optional()?
            .ok_or(Error::NotFound(id))?;
        let mut st = db.prepare(
            "SELECT id, position, source_name, source_sha256, width, height, dpi, encoding,
                    byte_size, ocr_state, ocr_runs, ocr_done_at
             FROM page WHERE record_id = ? ORDER BY position",
        )?;
        let pages = st
            .query_map([id], |r| {
                Ok(PageInfo {
                    id: r.get(0)?,
                    position: r.get(1)?,
                    source_name: r.get(2)?,
                    source_sha256: r.get(3)?,
                    width: r.get(4)?,
                    height: r.get(5)?,
                    dpi: r.get(6)?,
                    encoding: r.get(7)?,
                    byte_size: u64::try_from(r.get::<_, i64>(8)?).unwrap_or(0),
                    ocr: OcrState::parse(&r.get::<_, String>(9)?),
                    ocr_runs: r.get(10)?,
                    ocr_done_at: r.get(11)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (meta, batch, created_at) = head;
        Ok(Record { id, meta, batch, created_at, pages })
    }

    /// Changes a record's details; the search finds it by the new ones at once.
    pub fn set_meta(&self, id: i64, meta: &RecordMeta) -> Result<()> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let n = tx.execute(
            "UPDATE record SET kind = ?, number = ?, date = ?, people = ?, tags = ? WHERE id = ?",
            params![meta.kind, meta.number, meta.date, meta.people, meta.tags, id],
        )?;
        if n == 0 {
            return Err(Error::NotFound(id));
        }
        let pages: Vec<(i64, String, String)> = {
            let mut st =
                tx.prepare("SELECT id, source_name, ocr_text FROM page WHERE record_id = ?")?;
            st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (page, source, text) in pages {
            search::index_page(&tx, page, &text, &meta.folded(&source))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Splits a record before its page `position` (from 2): that page and the ones after it
    /// become a new record with the same details, which is returned. [`Archive::merge`] undoes
    /// it.
    pub fn split(&self, id: i64, position: u32) -> Result<i64> {
        let mut db = self.db();
        let tx = db.transaction()?;
        let (meta, batch): (RecordMeta, String) = tx
            .query_row(
                "SELECT kind, number, date, people, tags, batch FROM record WHERE id = ?",
                [id],
                |r| Ok((RecordMeta::from_row(r, 0)?, r.get(5)?)),
            )
            .optional()?
            .ok_or(Error::NotFound(id))?;
        let count: u32 =
            tx.query_row("SELECT count(*) FROM page WHERE record_id = ?", [id], |r| r.get(0))?;
        if position < 2 || position > count {
            return Err(Error::Split { id, position, count });
        }
        tx.execute(
            "INSERT INTO record (kind, number, date, people, tags, batch, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            params![meta.kind, meta.number, meta.date, meta.people, meta.tags, batch, now_ms()],
        )?;
        let new = tx.last_insert_rowid();
        tx.execute(
            "UPDATE page SET record_id = ?, position = position - ? + 1
             WHERE record_id = ? AND position >= ?",
            params![new, position, id, position],
        )?;
        tx.commit()?;
        Ok(new)
    }

    /// Appends the pages of record `from` to record `into` (which keeps its details) and
    /// removes `from`. [`Archive::split`] undoes it.
    pub fn merge(&self, into: i64, from: i64) -> Result<()> {
        if into == from {
            return Ok(());
        }
        let mut db = self.db();
        let tx = db.transaction()?;
        let meta = tx
            .query_row(
                "SELECT kind, number, date, people, tags FROM record WHERE id = ?",
                [into],
                |r| RecordMeta::from_row(r, 0),
            )
            .optional()?
            .ok_or(Error::NotFound(into))?;
        let last: u32 = tx.query_row(
            "SELECT coalesce(max(position), 0) FROM page WHERE record_id = ?",
            [into],
            |r| r.get(0),
        )?;
        let moved = tx.execute(
            "UPDATE page SET record_id = ?, position = position + ? WHERE record_id = ?",
            params![into, last, from],
        )?;
        if tx.execute("DELETE FROM record WHERE id = ?", [from])? == 0 {
            return Err(Error::NotFound(from));
        }
        if moved > 0 {
            let pages: Vec<(i64, String, String)> = {
                let mut st = tx.prepare(
                    "SELECT id, source_name, ocr_text FROM page WHERE record_id = ? AND position > ?",
                )?;
                st.query_map(params![into, last], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?
            };
            for (page, source, text) in pages {
                search::index_page(&tx, page, &text, &meta.folded(&source))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The text read on a page (empty until it is read).
    pub fn page_text(&self, page_id: i64) -> Result<String> {
        Ok(self
            .db()
            .query_row("SELECT ocr_text FROM page WHERE id = ?", [page_id], |r| r.get(0))?)
    }

    /// A page's thumbnail (a small grey JPEG).
    pub fn page_thumbnail(&self, page_id: i64) -> Result<Vec<u8>> {
        Ok(self.db().query_row("SELECT thumb FROM page WHERE id = ?", [page_id], |r| r.get(0))?)
    }

    /// A page as a grey JPEG for reading on screen, at most about `side` pixels a side.
    pub fn page_view(&self, page_id: i64, side: u32) -> Result<Vec<u8>> {
        let (sha, encoding, width, height, dpi): (String, String, u32, u32, u32) =
            self.db().query_row(
                "SELECT image_sha256, encoding, width, height, dpi FROM page WHERE id = ?",
                [page_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
        let damaged = |why: String| Error::Damaged { page: page_id, why };
        let encoding =
            encoding.parse().map_err(|e: hoso_scan::UnknownEncoding| damaged(e.to_string()))?;
        let page =
            hoso_scan::EncodedPage { width, height, dpi, encoding, data: self.blobs.read(&sha)? };
        hoso_scan::page_view(&page, side)
            .ok_or_else(|| damaged("its image cannot be unpacked".into()))
    }

    /// The record as one PDF: its pages in order, each with its text invisible over the image.
    pub fn record_pdf(&self, id: i64) -> Result<Vec<u8>> {
        let record = self.record(id)?;
        let rows: Vec<(String, String)> = {
            let db = self.db();
            let mut st = db.prepare(
                "SELECT image_sha256, ocr_words FROM page WHERE record_id = ? ORDER BY position",
            )?;
            st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
        };
        let mut images = Vec::with_capacity(rows.len());
        let mut words = Vec::with_capacity(rows.len());
        for (sha, json) in &rows {
            images.push(self.blobs.read(sha)?);
            words.push(ocr::words_from_json(json));
        }
        let pages: Vec<hoso_pdf::ImagePage<'_>> =
            record.pages.iter().zip(&images).map(|(p, data)| image_page(p, data)).collect();
        let title = record_title(&record);
        Ok(hoso_pdf::searchable_pdf(&title, &pages, &words)?)
    }
}

/// A page about to be stored; its image is in the file store already.
pub(crate) struct NewPage {
    pub source_name: String,
    pub source_sha256: String,
    pub image_sha256: String,
    pub byte_size: usize,
    pub encoding: String,
    pub width: u32,
    pub height: u32,
    pub dpi: u32,
    pub thumb: Vec<u8>,
    pub ocr: OcrState,
    pub text: String,
    pub words_json: String,
}

impl Archive {
    /// Stores a record and its pages (whose images are stored already, so a crash leaves at
    /// most files nothing refers to) in one transaction, and indexes them for the search.
    pub(crate) fn insert_record(
        &self,
        meta: &RecordMeta,
        batch: &str,
        pages: &[NewPage],
    ) -> Result<i64> {
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            "INSERT INTO record (kind, number, date, people, tags, batch, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            params![meta.kind, meta.number, meta.date, meta.people, meta.tags, batch, now_ms()],
        )?;
        let id = tx.last_insert_rowid();
        for (n, p) in pages.iter().enumerate() {
            let state = match p.ocr {
                OcrState::None => "none",
                OcrState::Pending => "pending",
                OcrState::Done => "done",
                OcrState::Failed => "failed",
            };
            let done_at = (p.ocr == OcrState::Done).then(now_ms);
            tx.execute(
                "INSERT INTO page (record_id, position, source_name, source_sha256, image_sha256,
                     encoding, width, height, dpi, byte_size, thumb, ocr_state, ocr_text, ocr_words,
                     ocr_runs, ocr_done_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                params![
                    id,
                    i64::try_from(n + 1).unwrap_or(i64::MAX),
                    p.source_name,
                    p.source_sha256,
                    p.image_sha256,
                    p.encoding,
                    p.width,
                    p.height,
                    p.dpi,
                    i64::try_from(p.byte_size).unwrap_or(i64::MAX),
                    p.thumb,
                    state,
                    p.text,
                    p.words_json,
                    i64::from(done_at.is_some()),
                    done_at,
                ],
            )?;
            let page = tx.last_insert_rowid();
            search::index_page(&tx, page, &p.text, &meta.folded(&p.source_name))?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Whether a page was made from a file with this SHA-256.
    pub(crate) fn has_source(&self, sha: &str) -> Result<bool> {
        Ok(self
            .db()
            .query_row("SELECT 1 FROM page WHERE source_sha256 = ?", [sha], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

/// "Sổ đăng ký khai sinh 01/2019 — Nguyễn Văn An", or "Hồ sơ số hóa 12" without details.
pub(crate) fn record_title(r: &Record) -> String {
    let head = [r.meta.kind.trim(), r.meta.number.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let head = if head.is_empty() { format!("Hồ sơ số hóa {}", r.id) } else { head };
    if r.meta.people.trim().is_empty() {
        head
    } else {
        format!("{head} — {}", r.meta.people.trim())
    }
}

/// A stored page as `hoso-pdf` takes it.
pub(crate) fn image_page<'a>(p: &PageInfo, data: &'a [u8]) -> hoso_pdf::ImagePage<'a> {
    let encoding = p.encoding.parse().unwrap_or(hoso_scan::Encoding::Palette4);
    pdf_page(p.width, p.height, p.dpi, &encoding, data)
}

/// A page as `hoso_scan` encoded it, as `hoso-pdf` takes it (passed through, never re-encoded).
pub fn pdf_page<'a>(
    width: u32,
    height: u32,
    dpi: u32,
    encoding: &hoso_scan::Encoding,
    data: &'a [u8],
) -> hoso_pdf::ImagePage<'a> {
    use hoso_scan::Encoding;
    let kind = match encoding {
        Encoding::G4 => hoso_pdf::ImageData::G4,
        Encoding::JpegGray => hoso_pdf::ImageData::JpegGray,
        Encoding::JpegRgb => hoso_pdf::ImageData::JpegRgb,
        Encoding::Palette4 => hoso_pdf::ImageData::Palette4(*hoso_scan::EncodedPage::palette()),
        Encoding::Gray4 => hoso_pdf::ImageData::Gray2,
    };
    hoso_pdf::ImagePage { width, height, dpi, kind, data }
}

/// Reads the text of an image file (PNG, JPEG, TIFF) with Tesseract as the archive reads its
/// pages (for measuring it against ground truth).
pub fn read_image_text(path: &Path, dpi: u32) -> Result<String> {
    Ok(ocr::read_file(path, dpi)?.text)
}

#[cfg(feature = "synth")]
impl Archive {
    /// Adds a record whose pages are text only (no image), already read, for benchmarks of the
    /// search at scale. Returns the record's id.
    pub fn add_text_record(&self, meta: &RecordMeta, texts: &[String]) -> Result<i64> {
        let mut db = self.db();
        let tx = db.transaction()?;
        tx.execute(
            "INSERT INTO record (kind, number, date, people, tags, batch, created_at)
             VALUES (?, ?, ?, ?, ?, 'synth', ?)",
            params![meta.kind, meta.number, meta.date, meta.people, meta.tags, now_ms()],
        )?;
        let id = tx.last_insert_rowid();
        for (n, text) in texts.iter().enumerate() {
            let source = format!("synth-{id}-{n}");
            tx.execute(
                "INSERT INTO page (record_id, position, source_name, source_sha256, image_sha256,
                     encoding, width, height, dpi, byte_size, thumb, ocr_state, ocr_text)
                 VALUES (?, ?, ?, ?, '', 'g4', 0, 0, 200, 0, x'', 'done', ?)",
                params![id, i64::try_from(n + 1).unwrap_or(0), source, source, text],
            )?;
            let page = tx.last_insert_rowid();
            search::index_page(&tx, page, text, &meta.folded(&source))?;
        }
        tx.commit()?;
        Ok(id)
    }
}
