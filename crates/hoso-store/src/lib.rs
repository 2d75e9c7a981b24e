//! HoSo's offline store: the single source of truth for drafts, the catalogue cache, the outbox
//! and the audit trail, plus the content-addressed store of document files.
//!
//! Everything lives in one data directory: `hoso.sqlite3` (SQLite in WAL mode) and `files/`
//! (files named by their SHA-256). Opening never creates a database over an existing file that
//! cannot be read: a damaged, locked, read-only or newer database is reported as such.

mod blobs;
mod catalogue_cache;
mod dossiers;
mod inbox;
mod migrate;
mod outbox;
mod payment;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

pub use blobs::BlobStore;
pub use catalogue_cache::CachedCatalogue;
pub use dossiers::{
    Content, DossierEvent, DossierRecord, DossierRow, DossierState, ListFilter, ListPage,
    NewDossier, Page, PageFile, ScanFiles, Summary,
};
pub use inbox::{Found, InboxItem, Seen, Taken, WatchFolder};
pub use migrate::SCHEMA_VERSION;
pub use outbox::{Job, JobFile, JobState, StatusChange};
pub use payment::{Payment, StoreFigures};

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "hoso.sqlite3";
/// The folder of document files inside the data directory.
pub const FILES_DIR: &str = "files";

/// How long a write waits for another process (a second HoSo, the CLI) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// Errors of the store. Paths are added by the caller, which knows where the store lives.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the database is damaged: {0}")]
    Corrupt(String),
    #[error("the database is in use by another program")]
    Locked,
    #[error("the database or its folder is read-only")]
    ReadOnly,
    #[error(
        "the database was written by a newer HoSo (schema {found}, this build knows up to {known})"
    )]
    TooNew { found: u32, known: u32 },
    #[error("the disk is full")]
    DiskFull,
    #[error("dossier {0} does not exist")]
    DossierNotFound(String),
    #[error("dossier {0} already exists")]
    DossierExists(String),
    #[error("the dossier is no longer a draft (it is {0})")]
    NotADraft(String),
    #[error("page {0} does not exist")]
    PageNotFound(i64),
    #[error("file store: {0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                Self::Corrupt(e.to_string())
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Locked,
            Some(ErrorCode::ReadOnly) => Self::ReadOnly,
            Some(ErrorCode::DiskFull) => Self::DiskFull,
            _ => Self::Sqlite(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// An open store. One per process; it is `Send`, callers share it behind a mutex.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    blobs: BlobStore,
    db_path: PathBuf,
}

impl Store {
    /// Opens (creating if absent) the store in `data_dir`, checks the database and migrates it.
    pub fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(io_error)?;
        let db_path = data_dir.join(DB_FILE);
        if let Ok(meta) = std::fs::metadata(&db_path)
            && meta.permissions().readonly()
        {
            // Root ignores permission bits; HoSo honours them anyway, so a file a person made
            // read-only is never written.
            return Err(Error::ReadOnly);
        }
        let conn = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        check_integrity(&conn)?;
        let mode = journal_mode_wal(&conn)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Corrupt(format!("journal mode is {mode}, not WAL")));
        }
        // FULL: a save the user was told about survives a power cut, not only a crash.
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        backup_before_migrating(&conn, data_dir)?;
        migrate::migrate(&conn)?;
        let blobs = BlobStore::open(&data_dir.join(FILES_DIR))?;
        Ok(Self { conn, blobs, db_path })
    }

    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    pub fn blobs(&self) -> &BlobStore {
        &self.blobs
    }

    /// `PRAGMA integrity_check`: "ok" or the problems found.
    pub fn integrity_check(&self) -> Result<String> {
        let rows: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows.join("\n"))
    }
}

/// Where copies of the database are kept before a newer HoSo changes its schema.
pub const BACKUP_DIR: &str = "backups";

/// Before migrations change an existing database, a consistent copy of it goes to
/// `backups/hoso-v<old schema>-<ms>.sqlite3` (`VACUUM INTO`: written whole, then kept), so an
/// upgrade can always be undone by hand. A new database (schema 0) needs none.
fn backup_before_migrating(conn: &Connection, data_dir: &Path) -> Result<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == 0 || current >= SCHEMA_VERSION {
        return Ok(());
    }
    let dir = data_dir.join(BACKUP_DIR);
    std::fs::create_dir_all(&dir).map_err(io_error)?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let path = dir.join(format!("hoso-v{current}-{stamp}.sqlite3"));
    conn.execute("VACUUM INTO ?1", [path.to_string_lossy()])?;
    Ok(())
}

/// A quick structural check at open, so a damaged file is reported before anything uses it.
fn check_integrity(conn: &Connection) -> Result<()> {
    let first: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?;
    if first == "ok" { Ok(()) } else { Err(Error::Corrupt(first)) }
}

fn io_error(e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            Error::ReadOnly
        }
        std::io::ErrorKind::StorageFull => Error::DiskFull,
        _ => Error::Io(e),
    }
}

/// Switches `conn` to WAL and returns the journal mode now in force. Switching a new database
/// does not wait on the busy handler: when another process (the CLI, a second window) creates
/// it at the same moment, this waits a little (at most 3 s) and tries again.
pub fn journal_mode_wal(conn: &Connection) -> rusqlite::Result<String> {
    let mut attempt = 0;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)) {
            Err(e) if attempt < 30 && e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            other => return other,
        }
    }
}
