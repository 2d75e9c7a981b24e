//! The façade as Tauri state. The store may fail to open (damaged, locked, read-only); the
//! window still opens and shows why, and "Thử lại" tries again without restarting.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use hoso_api::types::Startup;
use hoso_api::{ApiError, Hoso, SystemClock};
use tauri::{Manager, Runtime};

/// The open façade, or what stops it from opening.
pub struct Backend {
    data_dir: Result<PathBuf, ApiError>,
    hoso: RwLock<Option<Arc<Hoso>>>,
    /// Wakes the background sender.
    pub wake: Arc<crate::sending::Wake>,
    /// Called once with the façade when it opens (starts the sender).
    on_open: std::sync::Mutex<Option<OnOpen>>,
}

/// What to do once the façade opens.
type OnOpen = Box<dyn FnOnce(Arc<Hoso>) + Send>;

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Backend")
            .field("data_dir", &self.data_dir)
            .field("hoso", &self.hoso)
            .finish_non_exhaustive()
    }
}

impl Backend {
    /// The data directory from `HOSO_DATA_DIR` or the platform default; opened lazily.
    pub fn from_env() -> Self {
        Self::new(hoso_api::default_data_dir())
    }

    pub fn new(data_dir: Result<PathBuf, ApiError>) -> Self {
        Self {
            data_dir,
            hoso: RwLock::new(None),
            wake: Arc::default(),
            on_open: std::sync::Mutex::new(None),
        }
    }

    /// The data folder, when one is known.
    pub fn data_dir(&self) -> Option<&std::path::Path> {
        self.data_dir.as_deref().ok()
    }

    /// Runs `f` with the façade once it opens (now, if it is open already).
    pub fn when_open(&self, f: impl FnOnce(Arc<Hoso>) + Send + 'static) {
        let open = self.hoso.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        match open {
            Some(h) => f(h),
            None => {
                *self.on_open.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some(Box::new(f))
            }
        }
    }

    /// Opens the store if it is not open yet and reports the outcome.
    pub fn startup(&self) -> Startup {
        let (data_dir, db_path) = match &self.data_dir {
            Ok(d) => (d.display().to_string(), d.join(hoso_api::DB_FILE).display().to_string()),
            Err(_) => (String::new(), String::new()),
        };
        let opened = self.hoso();
        Startup {
            data_dir,
            db_path,
            info: opened.as_ref().ok().map(|h| h.info()),
            error: opened.err(),
        }
    }

    /// The façade, opening it on first use.
    pub fn hoso(&self) -> Result<Arc<Hoso>, ApiError> {
        if let Some(h) =
            self.hoso.read().unwrap_or_else(std::sync::PoisonError::into_inner).as_ref()
        {
            return Ok(Arc::clone(h));
        }
        let mut slot = self.hoso.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(h) = slot.as_ref() {
            return Ok(Arc::clone(h));
        }
        let dir = self.data_dir.as_ref().map_err(Clone::clone)?;
        let opened = Arc::new(Hoso::open(dir, Arc::new(SystemClock))?);
        *slot = Some(Arc::clone(&opened));
        drop(slot);
        let hook = self.on_open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(f) = hook {
            f(Arc::clone(&opened));
        }
        Ok(opened)
    }
}

/// `app.hoso()` from any Tauri handle.
pub trait HosoExt<R: Runtime> {
    fn hoso(&self) -> Result<Arc<Hoso>, ApiError>;
}

impl<R: Runtime, M: Manager<R>> HosoExt<R> for M {
    fn hoso(&self) -> Result<Arc<Hoso>, ApiError> {
        self.state::<Backend>().hoso()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_that_cannot_open_is_reported_and_retried_without_a_restart() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join(hoso_api::DB_FILE);
        std::fs::write(&db, b"not sqlite ".repeat(100)).expect("write");
        let backend = Backend::new(Ok(dir.path().to_owned()));
        let first = backend.startup();
        assert_eq!(first.db_path, db.display().to_string());
        assert!(first.info.is_none());
        assert_eq!(first.error.expect("error").code, hoso_api::ErrorCode::StoreCorrupt);
        assert!(backend.hoso().is_err());

        // The person moves the damaged file aside and presses "Thử lại".
        std::fs::rename(&db, dir.path().join("hoso.sqlite3.damaged")).expect("rename");
        let second = backend.startup();
        assert!(second.error.is_none(), "{:?}", second.error);
        assert!(second.info.is_some());
        assert!(backend.hoso().is_ok());
    }

    #[test]
    fn no_data_directory_is_an_error_not_a_crash() {
        let backend = Backend::new(Err(ApiError::new(
            hoso_api::ErrorCode::StoreUnavailable,
            "no per-user data folder",
        )));
        let s = backend.startup();
        assert_eq!(s.error.expect("error").code, hoso_api::ErrorCode::StoreUnavailable);
    }
}
