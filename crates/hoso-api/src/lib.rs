//! The façade of HoSo: the one API that the desktop shell, the `hoso` CLI and the tests call.
//!
//! It ties the catalogue (what a procedure asks for, validation) to the store (what the user
//! entered) and speaks only in the transport types of [`types`], which are serialisable and
//! have generated TypeScript twins. Time comes from a [`Clock`], so tests are deterministic.

pub mod archive;
mod bridge;
mod bundle;
mod card;
mod diagnostics;
mod dossiers;
mod error;
mod fee;
pub mod log;
mod papers;
mod procedures;
mod scan;
mod secrets;
mod sending;
mod support;
pub mod types;
mod units;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use hoso_catalogue::{Catalogue, compare_versions};
use hoso_store::{CachedCatalogue, Store};

pub use bridge::BRIDGE_ADDRESS_ENV;
pub use bundle::{BEHALF_KEY, DEVICE_LABEL_KEY};
pub use dossiers::{MAX_PAGE_BYTES, media_type_of};
pub use error::{ApiError, ErrorCode, Result};
pub use fee::{DELIVERY_ADDRESS, DELIVERY_METHOD, DELIVERY_METHODS};
pub use hoso_outbox::{Clock, PortalConfig, Progress, SystemClock};
pub use hoso_store::DB_FILE;
pub use hoso_watch::Config as WatchConfig;
pub use scan::{DPI, PREVIEW_SIDE, pdf_page};
pub use sending::SendSession;
pub use watch::{OnWatch, WatchEvent};

/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "HOSO_DATA_DIR";

/// The data directory: `$HOSO_DATA_DIR` if set, else the platform's per-user data folder
/// (`$XDG_DATA_HOME/hoso`, usually `~/.local/share/hoso`, on Linux).
pub fn default_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir().map(|d| d.join("hoso")).ok_or_else(|| {
        ApiError::new(
            ErrorCode::StoreUnavailable,
            format!("no per-user data folder is known on this system; set {DATA_DIR_ENV}"),
        )
    })
}

/// An open HoSo: the store, the catalogue in use and the clock. Cheap to share (`Send + Sync`).
#[derive(Debug)]
pub struct Hoso {
    store: Mutex<Store>,
    catalogue: Arc<Catalogue>,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    /// Upload progress from the sender running in this process, if one runs.
    progress: Mutex<Option<Progress>>,
    secrets: secrets::Secrets,
    /// The phone bridge, while its dialog is open.
    bridge: Mutex<Option<bridge::OpenBridge>>,
    /// The folder watcher, while it runs.
    watching: Mutex<Option<watch::Watching>>,
    /// `logs/hoso.log` (masked lines; see [`log`]).
    log: Arc<log::Logger>,
    /// The digitised archive, once opened (see [`archive`]).
    archive: Mutex<Option<Arc<hoso_archive::Archive>>>,
}

/// Vietnam's calendar day at `unix_ms` (for the shell's file names).
pub fn civil_date_at(unix_ms: i64) -> hoso_catalogue::CivilDate {
    hoso_catalogue::CivilDate::in_vietnam_at(unix_ms)
}

impl Hoso {
    /// Opens the store in `data_dir` and loads the newest catalogue (cached or bundled).
    pub fn open(data_dir: &Path, clock: Arc<dyn Clock>) -> Result<Self> {
        let store = Store::open(data_dir).map_err(|e| ApiError::from_store(e, data_dir))?;
        let catalogue = load_catalogue(&store, clock.now_ms())
            .map_err(|e| ApiError::from_store(e, data_dir))?;
        let hoso = Self {
            store: Mutex::new(store),
            catalogue: Arc::new(catalogue),
            clock,
            data_dir: data_dir.to_owned(),
            log: Arc::new(log::Logger::new(data_dir)),
            progress: Mutex::new(None),
            secrets: secrets::Secrets::default(),
            bridge: Mutex::new(None),
            watching: Mutex::new(None),
            archive: Mutex::new(None),
        };
        hoso.log(&format!(
            "open hoso={} schema={} catalogue={} os={}",
            env!("CARGO_PKG_VERSION"),
            hoso_store::SCHEMA_VERSION,
            hoso.catalogue.version,
            std::env::consts::OS
        ));
        Ok(hoso)
    }

    /// Writes one line to the log (masked; see [`log`]): codes, counts, short ids — never a
    /// name or a form value.
    pub fn log(&self, text: &str) {
        self.log.line(self.clock.now_ms(), text);
    }

    /// The log's last `n` lines, for the diagnostics file.
    pub fn recent_log(&self, n: usize) -> Vec<String> {
        self.log.tail(n)
    }

    /// Versions and paths, for the about box, diagnostics and the CLI.
    pub fn info(&self) -> types::AppInfo {
        types::AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.display().to_string(),
            db_path: self.data_dir.join(hoso_store::DB_FILE).display().to_string(),
            catalogue_version: self.catalogue.version.clone(),
            schema_version: hoso_store::SCHEMA_VERSION,
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back), so a poisoned lock is still safe to use.
        self.store.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn store_err(&self, e: hoso_store::Error) -> ApiError {
        ApiError::from_store(e, &self.data_dir)
    }
}

/// The cached catalogue when it is newer than the bundled one and readable; otherwise the
/// bundled one, which then becomes the cache.
fn load_catalogue(store: &Store, now: i64) -> hoso_store::Result<Catalogue> {
    let bundled = Catalogue::bundled();
    let cached = store.cached_catalogue()?;
    if let Some(c) = &cached
        && compare_versions(&c.version, &bundled.version).is_ge()
        && let Ok(parsed) = Catalogue::from_json(&c.body)
    {
        return Ok(parsed);
    }
    store.put_catalogue(&CachedCatalogue {
        version: bundled.version.clone(),
        source: "bundled".to_owned(),
        etag: None,
        body: hoso_catalogue::BUNDLED_JSON.to_owned(),
        stored_at: now,
    })?;
    Ok(bundled)
}
