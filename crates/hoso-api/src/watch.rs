//! Watched folders and the "Ảnh mới" inbox: `hoso-watch` finds complete photos, this module
//! keeps them (store) and puts them into dossiers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};
use std::time::Duration;

use hoso_store::Taken;

use crate::types::{Dossier, InboxItemInfo, InboxPage, WatchFolderInfo, WatchedFile};
use crate::{ApiError, ErrorCode, Hoso, Result, media_type_of};

/// Side of the inbox's thumbnails, in pixels.
const THUMB_SIDE: u32 = 320;

/// What the watcher reports as it works (the desktop turns these into a window event, the CLI
/// into lines of JSON).
#[derive(Debug, Clone)]
pub enum WatchEvent {
    /// A photo was taken into the inbox (or was there already).
    Taken(WatchedFile),
    /// A file was left alone (not a photo HoSo reads, too large, damaged).
    Skipped { path: String, reason: String },
    /// A folder could not be read, or can again.
    Folder { path: String, present: bool },
    /// Something went wrong keeping a photo (disk full…).
    Failed { path: String, error: ApiError },
}

/// Called from the watcher's thread.
pub type OnWatch = Box<dyn FnMut(WatchEvent) + Send>;

/// The running watcher.
pub(crate) struct Watching {
    watcher: hoso_watch::Watcher,
}

impl std::fmt::Debug for Watching {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watching").finish_non_exhaustive()
    }
}

/// The watcher's link to the store, and where photos go straight away (`hoso watch --dossier`).
struct ApiHost {
    hoso: Weak<Hoso>,
    on_event: OnWatch,
    target: Option<(String, String)>,
}

fn stamp(s: hoso_store::Seen) -> hoso_watch::Stamp {
    hoso_watch::Stamp { size: s.size, mtime_ns: s.mtime_ns }
}

fn seen(s: hoso_watch::Stamp) -> hoso_store::Seen {
    hoso_store::Seen { size: s.size, mtime_ns: s.mtime_ns }
}

fn text(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

impl hoso_watch::Host for ApiHost {
    fn seen_in(&mut self, folder: &Path) -> HashMap<PathBuf, hoso_watch::Stamp> {
        let Some(h) = self.hoso.upgrade() else { return HashMap::new() };
        let known = h.store().seen_in(&text(folder)).unwrap_or_default();
        known.into_iter().map(|(p, s)| (PathBuf::from(p), stamp(s))).collect()
    }

    fn take(&mut self, f: hoso_watch::Found<'_>) {
        let Some(h) = self.hoso.upgrade() else { return };
        let path = text(f.path);
        let event = match h.take_found(&f, self.target.as_ref()) {
            Ok(file) => WatchEvent::Taken(file),
            Err(error) => WatchEvent::Failed { path, error },
        };
        (self.on_event)(event);
    }

    fn skip(&mut self, folder: &Path, path: &Path, s: hoso_watch::Stamp, why: &str) {
        if let Some(h) = self.hoso.upgrade() {
            let _ = h.store().mark_seen(&text(folder), &[(text(path), seen(s))]);
        }
        (self.on_event)(WatchEvent::Skipped { path: text(path), reason: why.to_owned() });
    }

    fn folder_state(&mut self, folder: &Path, present: bool) {
        if let Some(h) = self.hoso.upgrade() {
            let now = h.clock.now_ms();
            let _ = h.store().set_folder_missing(&text(folder), !present, now);
        }
        (self.on_event)(WatchEvent::Folder { path: text(folder), present });
    }
}

fn info(i: hoso_store::InboxItem) -> InboxItemInfo {
    InboxItemInfo {
        id: i.id,
        name: i.original_name,
        source_path: i.source_path,
        byte_size: i.byte_size,
        found_at: i.found_at,
        sha256: i.sha256,
    }
}

impl Hoso {
    /// The watched folders.
    pub fn watch_folders(&self) -> Result<Vec<WatchFolderInfo>> {
        let folders = self.store().watch_folders().map_err(|e| self.store_err(e))?;
        Ok(folders
            .into_iter()
            .map(|f| WatchFolderInfo {
                path: f.path,
                added_at: f.added_at,
                missing: f.missing_at.is_some(),
            })
            .collect())
    }

    /// Starts watching a folder. With `take_existing` false, the photos already in it are left
    /// alone and only new ones are taken (a phone's sync folder may hold years of photos).
    pub fn add_watch_folder(
        &self,
        path: &str,
        take_existing: bool,
    ) -> Result<Vec<WatchFolderInfo>> {
        let dir = PathBuf::from(path.trim());
        if !dir.is_absolute() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("{path} is not a full path"),
            ));
        }
        let dir = dir.canonicalize().ok().filter(|d| d.is_dir()).ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("{path} is not a folder this computer can read"),
            )
        })?;
        let key = text(&dir);
        let now = self.clock.now_ms();
        let added = self.store().add_watch_folder(&key, now).map_err(|e| self.store_err(e))?;
        if added && !take_existing {
            let cfg = hoso_watch::Config::default();
            let there: Vec<(String, hoso_store::Seen)> =
                hoso_watch::list_files(&dir, cfg.max_depth, cfg.max_files_per_walk)
                    .into_iter()
                    .map(|(p, s)| (text(&p), seen(s)))
                    .collect();
            self.store().mark_seen(&key, &there).map_err(|e| self.store_err(e))?;
        }
        self.refresh_watcher()?;
        self.watch_folders()
    }

    /// Stops watching a folder; photos taken from it stay in the inbox.
    pub fn remove_watch_folder(&self, path: &str) -> Result<Vec<WatchFolderInfo>> {
        self.store().remove_watch_folder(path).map_err(|e| self.store_err(e))?;
        self.refresh_watcher()?;
        self.watch_folders()
    }

    /// Starts the watcher over the watched folders (restarting it if it runs); `on_event` is
    /// called from its thread for everything it does.
    pub fn start_watching(self: &Arc<Self>, on_event: OnWatch) -> Result<()> {
        self.start_watching_with(hoso_watch::Config::default(), on_event)
    }

    /// [`Hoso::start_watching`] with the watcher's timings given (tests).
    pub fn start_watching_with(
        self: &Arc<Self>,
        cfg: hoso_watch::Config,
        on_event: OnWatch,
    ) -> Result<()> {
        self.stop_watching();
        let folders = self.folder_paths()?;
        let host = ApiHost { hoso: Arc::downgrade(self), on_event, target: None };
        let watcher = hoso_watch::Watcher::start(folders, cfg, host).map_err(|e| {
            ApiError::new(ErrorCode::Internal, format!("cannot start watching: {e}"))
        })?;
        *self.watching_slot() = Some(Watching { watcher });
        Ok(())
    }

    pub fn stop_watching(&self) {
        let w = self.watching_slot().take();
        if let Some(w) = w {
            w.watcher.stop();
        }
    }

    /// One pass over `folders` (added to the watched ones): every complete photo not yet taken
    /// is taken — into the dossier's component too when `target` is given — and reported to
    /// `on_event`; returns once nothing is left waiting (at most `limit`).
    pub fn watch_once(
        self: &Arc<Self>,
        folders: &[PathBuf],
        target: Option<(String, String)>,
        limit: Duration,
        on_event: OnWatch,
    ) -> Result<()> {
        let dirs = self.watch_dirs(folders, target.as_ref())?;
        let host = ApiHost { hoso: Arc::downgrade(self), on_event, target };
        hoso_watch::run_once(dirs, hoso_watch::Config::default(), host, limit);
        Ok(())
    }

    /// Watches `folders` (added to the watched ones) until `stop` returns true, checked every
    /// half second.
    pub fn watch_until(
        self: &Arc<Self>,
        folders: &[PathBuf],
        target: Option<(String, String)>,
        on_event: OnWatch,
        stop: impl Fn() -> bool,
    ) -> Result<()> {
        let dirs = self.watch_dirs(folders, target.as_ref())?;
        let host = ApiHost { hoso: Arc::downgrade(self), on_event, target };
        let w =
            hoso_watch::Watcher::start(dirs, hoso_watch::Config::default(), host).map_err(|e| {
                ApiError::new(ErrorCode::Internal, format!("cannot start watching: {e}"))
            })?;
        while !stop() {
            std::thread::sleep(Duration::from_millis(500));
        }
        w.stop();
        Ok(())
    }

    /// Adds the folders to the watched ones (taking what is in them) and checks the target.
    fn watch_dirs(
        &self,
        folders: &[PathBuf],
        target: Option<&(String, String)>,
    ) -> Result<Vec<PathBuf>> {
        if let Some((id, component)) = target {
            let d = self.dossier(id)?;
            if !d.components.iter().any(|c| &c.code == component) {
                return Err(ApiError::new(
                    ErrorCode::UnknownComponent,
                    format!("the dossier has no component {component}"),
                ));
            }
        }
        let mut out = Vec::new();
        for f in folders {
            let abs = std::path::absolute(f).unwrap_or_else(|_| f.clone());
            self.add_watch_folder(&text(&abs), true)?;
            out.push(abs.canonicalize().unwrap_or(abs));
        }
        Ok(out)
    }

    /// Takes a complete photo into the inbox, and into `target` when given.
    fn take_found(
        &self,
        f: &hoso_watch::Found<'_>,
        target: Option<&(String, String)>,
    ) -> Result<WatchedFile> {
        // A thumbnail for the inbox, from the pixels the watcher decoded.
        let (thumb, _) = hoso_scan::preview_of(f.decoded, THUMB_SIDE);
        let (folder, path) = (text(f.folder), text(f.path));
        let found = hoso_store::Found {
            folder: &folder,
            path: &path,
            name: f.name,
            bytes: f.bytes,
            media_type: media_type_of(f.bytes),
            thumbnail: Some(&thumb),
        };
        let now = self.clock.now_ms();
        let taken = self
            .store()
            .take_into_inbox(&found, seen(f.stamp), now)
            .map_err(|e| self.store_err(e))?;
        let (id, duplicate, sha256) = match taken {
            Taken::New { id, sha256 } => (id, false, sha256),
            Taken::Duplicate { id, sha256 } => (id, true, sha256),
        };
        let mut file = WatchedFile {
            path,
            sha256,
            inbox_id: id,
            duplicate,
            dossier_id: None,
            component: None,
        };
        if let Some((dossier, component)) = target
            && !duplicate
        {
            self.inbox_assign(id, dossier, component)?;
            file.dossier_id = Some(dossier.clone());
            file.component = Some(component.clone());
        }
        Ok(file)
    }

    /// Photos waiting in the inbox, newest first.
    pub fn inbox(&self, limit: u32, offset: u32) -> Result<InboxPage> {
        let (items, total) =
            self.store().inbox(limit.min(500), offset).map_err(|e| self.store_err(e))?;
        Ok(InboxPage { items: items.into_iter().map(info).collect(), total })
    }

    /// An inbox photo's thumbnail (grey JPEG).
    pub fn inbox_thumbnail(&self, id: i64) -> Result<Vec<u8>> {
        let item = self.inbox_item(id)?;
        let store = self.store();
        match &item.thumb_sha256 {
            Some(t) => store.blobs().read(t).map_err(|e| self.store_err(e)),
            None => {
                let bytes = store.blobs().read(&item.sha256).map_err(|e| self.store_err(e))?;
                drop(store);
                hoso_scan::preview(&bytes, THUMB_SIDE)
                    .map(|(j, _)| j)
                    .map_err(|e| crate::scan::bad_image(&e))
            }
        }
    }

    /// Puts an inbox photo into a component of a draft; it leaves the inbox.
    pub fn inbox_assign(&self, id: i64, dossier: &str, component: &str) -> Result<Dossier> {
        let item = self.inbox_item(id)?;
        let bytes = self.store().blobs().read(&item.sha256).map_err(|e| self.store_err(e))?;
        let d =
            self.add_page(dossier, component, &bytes, media_type_of(&bytes), &item.original_name)?;
        let now = self.clock.now_ms();
        self.store().assign_inbox(id, dossier, component, now).map_err(|e| self.store_err(e))?;
        Ok(d)
    }

    /// Sets an inbox photo aside ("Bỏ qua"); [`Hoso::inbox_restore`] puts it back.
    pub fn inbox_dismiss(&self, id: i64) -> Result<()> {
        let now = self.clock.now_ms();
        self.inbox_item(id)?;
        self.store().dismiss_inbox(id, Some(now)).map_err(|e| self.store_err(e))?;
        Ok(())
    }

    pub fn inbox_restore(&self, id: i64) -> Result<()> {
        self.inbox_item(id)?;
        self.store().dismiss_inbox(id, None).map_err(|e| self.store_err(e))?;
        Ok(())
    }

    fn inbox_item(&self, id: i64) -> Result<hoso_store::InboxItem> {
        self.store()
            .inbox_item(id)
            .map_err(|e| self.store_err(e))?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no inbox photo {id}")))
    }

    fn folder_paths(&self) -> Result<Vec<PathBuf>> {
        Ok(self.watch_folders()?.into_iter().map(|f| PathBuf::from(f.path)).collect())
    }

    /// Tells a running watcher the folders changed.
    fn refresh_watcher(&self) -> Result<()> {
        let folders = self.folder_paths()?;
        if let Some(w) = self.watching_slot().as_ref() {
            w.watcher.set_folders(folders);
        }
        Ok(())
    }

    fn watching_slot(&self) -> std::sync::MutexGuard<'_, Option<Watching>> {
        self.watching.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
