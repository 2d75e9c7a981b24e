//! Watched folders: photos that appear in a folder the person chose (a phone's sync folder, Zalo
//! PC's downloads, a scanner's output) are handed over once they are complete.
//!
//! A file is complete when its size and modification time have not changed for
//! [`Config::settle`] and it decodes as an image HoSo reads (a photo still being copied is
//! truncated and does not decode; it is looked at again a little later). Partial and temporary
//! names are never read (`.part`, `.crdownload`, `.tmp`, `~$…`, dotfiles…): a browser or sync
//! tool renames the finished file, and the new name is what is taken.
//!
//! Filesystem events (inotify and friends, through `notify`) make new files show up at once; a
//! walk of every folder at start and then every few seconds catches what events miss — network
//! shares, files added while HoSo was closed, a folder that was unplugged and comes back. What
//! was already dealt with is remembered by the [`Host`] (path, size and time), so nothing is
//! read twice; the same content under two names is the host's to recognise.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, UNIX_EPOCH};

/// How the watcher behaves. [`Config::default`] is what the app uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// How long a file's size and time must stay the same before it is read.
    pub settle: Duration,
    /// How often waiting files are looked at.
    pub tick: Duration,
    /// The shortest pause between two walks of every folder (longer for big folders).
    pub rescan_every: Duration,
    /// Use filesystem events (false: walks only, as for a network share).
    pub events: bool,
    /// How deep into subfolders to look.
    pub max_depth: usize,
    /// Files above this are not read.
    pub max_file_bytes: u64,
    /// At most this many files are looked at per folder and walk.
    pub max_files_per_walk: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            settle: Duration::from_millis(1000),
            tick: Duration::from_millis(150),
            rescan_every: Duration::from_secs(5),
            events: true,
            max_depth: 6,
            max_file_bytes: 30 * 1024 * 1024,
            max_files_per_walk: 100_000,
        }
    }
}

/// A file's size and modification time (nanoseconds since the Unix epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub size: u64,
    pub mtime_ns: i64,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Self {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
        Self { size: meta.len(), mtime_ns }
    }
}

/// A complete photo.
#[derive(Debug)]
pub struct Found<'a> {
    pub folder: &'a Path,
    pub path: &'a Path,
    /// The file's name, for showing.
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// The photo as decoded to check it was complete (so the host need not decode it again).
    pub decoded: &'a hoso_scan::decode::Decoded,
    pub stamp: Stamp,
}

/// What the watcher needs from its owner, who keeps what was seen and takes the photos.
pub trait Host {
    /// The files of `folder` already dealt with (taken, or deliberately left alone), by path.
    fn seen_in(&mut self, folder: &Path) -> HashMap<PathBuf, Stamp>;
    /// Takes a complete photo.
    fn take(&mut self, found: Found<'_>);
    /// A complete file that will not be taken (not an image, too large, damaged): remember it
    /// so it is not read again until it changes.
    fn skip(&mut self, folder: &Path, path: &Path, stamp: Stamp, why: &str);
    /// The folder could not be read (`false`: unplugged, unmounted, deleted) or can again.
    fn folder_state(&mut self, folder: &Path, present: bool);
}

/// Whether a file name may be a finished photo (not partial, temporary or hidden).
pub fn is_candidate(name: &str) -> bool {
    if name.is_empty() || name.starts_with('.') || name.starts_with("~$") || name.ends_with('~') {
        return false;
    }
    let lower = name.to_lowercase();
    const PARTIAL: [&str; 11] = [
        ".part",
        ".partial",
        ".crdownload",
        ".download",
        ".tmp",
        ".temp",
        ".!ut",
        ".swp",
        ".opdownload",
        ".filepart",
        ".unconfirmed",
    ];
    if PARTIAL.iter().any(|s| lower.ends_with(s)) || lower.contains(".crdownload") {
        return false;
    }
    !matches!(lower.as_str(), "thumbs.db" | "desktop.ini")
}

struct Folder {
    path: PathBuf,
    /// `None` until the first look.
    present: Option<bool>,
    /// Loaded from the host when the folder is (again) present.
    seen: Option<HashMap<PathBuf, Stamp>>,
}

struct Pending {
    folder: PathBuf,
    stamp: Stamp,
    /// Since when the stamp has not changed.
    since: Instant,
    /// Reads that found a damaged (probably unfinished) image.
    tries: u32,
    not_before: Instant,
}

/// Reads that found a damaged image before the file is left alone (until it changes).
const MAX_TRIES: u32 = 4;

struct Engine<H: Host> {
    cfg: Config,
    host: H,
    folders: Vec<Folder>,
    pending: HashMap<PathBuf, Pending>,
    last_walk: Option<Instant>,
    /// The pause before the next walk, longer for folders that take long to walk.
    walk_pause: Duration,
}

impl<H: Host> Engine<H> {
    fn new(cfg: Config, host: H, folders: Vec<PathBuf>) -> Self {
        let walk_pause = cfg.rescan_every;
        let mut e = Self {
            cfg,
            host,
            folders: Vec::new(),
            pending: HashMap::new(),
            last_walk: None,
            walk_pause,
        };
        e.set_folders(folders);
        e
    }

    fn set_folders(&mut self, folders: Vec<PathBuf>) {
        let mut old: HashMap<PathBuf, Folder> =
            self.folders.drain(..).map(|f| (f.path.clone(), f)).collect();
        self.folders = folders
            .into_iter()
            .map(|p| old.remove(&p).unwrap_or(Folder { path: p, present: None, seen: None }))
            .collect();
        let kept: Vec<PathBuf> = self.folders.iter().map(|f| f.path.clone()).collect();
        self.pending.retain(|_, p| kept.contains(&p.folder));
        self.last_walk = None;
    }

    /// The watched folder a path lies in.
    fn folder_of(&self, path: &Path) -> Option<usize> {
        self.folders.iter().position(|f| path.starts_with(&f.path))
    }

    /// Looks at a file that may be new or changed.
    fn consider(&mut self, fi: usize, path: PathBuf, stamp: Stamp, now: Instant) {
        let f = &self.folders[fi];
        if f.seen.as_ref().and_then(|s| s.get(&path)) == Some(&stamp) {
            return;
        }
        let folder = f.path.clone();
        match self.pending.get_mut(&path) {
            Some(p) if p.stamp == stamp => {}
            Some(p) => {
                p.stamp = stamp;
                p.since = now;
                p.tries = 0;
                p.not_before = now;
            }
            None => {
                self.pending
                    .insert(path, Pending { folder, stamp, since: now, tries: 0, not_before: now });
            }
        }
    }

    /// A path an event named.
    fn touched(&mut self, path: &Path, now: Instant) {
        let Some(fi) = self.folder_of(path) else { return };
        if self.folders[fi].seen.is_none() {
            return; // not loaded yet: the next walk looks at everything
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !is_candidate(name) {
            return;
        }
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_file() => self.consider(fi, path.to_owned(), Stamp::of(&m), now),
            _ => {
                // Gone (deleted, renamed away) before it was complete: nothing to take.
                self.pending.remove(path);
            }
        }
    }

    /// Walks every folder: notes folders that vanished or came back, and every file not yet
    /// dealt with.
    fn walk(&mut self, now: Instant) {
        let started = Instant::now();
        for fi in 0..self.folders.len() {
            let path = self.folders[fi].path.clone();
            let present = std::fs::read_dir(&path).is_ok();
            if self.folders[fi].present != Some(present) {
                if self.folders[fi].present.is_some() || !present {
                    self.host.folder_state(&path, present);
                }
                self.folders[fi].present = Some(present);
            }
            if !present {
                self.folders[fi].seen = None;
                continue;
            }
            if self.folders[fi].seen.is_none() {
                self.folders[fi].seen = Some(self.host.seen_in(&path));
            }
            for (file, stamp) in list_files(&path, self.cfg.max_depth, self.cfg.max_files_per_walk)
            {
                self.consider(fi, file, stamp, now);
            }
        }
        self.last_walk = Some(now);
        // A walk should cost at most about 5% of the time.
        self.walk_pause = self.cfg.rescan_every.max(started.elapsed() * 20);
    }

    fn due_walk(&self, now: Instant) -> bool {
        self.last_walk.is_none_or(|t| now.duration_since(t) >= self.walk_pause)
    }

    /// Reads the files that have been still long enough.
    fn tick(&mut self, now: Instant) {
        let due: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|(_, p)| now >= p.not_before)
            .map(|(k, _)| k.clone())
            .collect();
        for path in due {
            let Some(p) = self.pending.get_mut(&path) else { continue };
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_file() => m,
                _ => {
                    self.pending.remove(&path);
                    continue;
                }
            };
            let stamp = Stamp::of(&meta);
            if stamp != p.stamp {
                p.stamp = stamp;
                p.since = now;
                p.tries = 0;
                continue;
            }
            if now.duration_since(p.since) < self.cfg.settle {
                continue;
            }
            self.read(&path, now);
        }
    }

    fn remember(&mut self, folder: &Path, path: &Path, stamp: Stamp) {
        self.pending.remove(path);
        if let Some(f) = self.folders.iter_mut().find(|f| f.path == folder)
            && let Some(seen) = f.seen.as_mut()
        {
            seen.insert(path.to_owned(), stamp);
        }
    }

    /// A file that has been still for the settle period: take it, skip it, or try again later.
    fn read(&mut self, path: &Path, now: Instant) {
        let Some(p) = self.pending.get(path) else { return };
        let (folder, stamp) = (p.folder.clone(), p.stamp);
        if stamp.size > self.cfg.max_file_bytes {
            self.host.skip(&folder, path, stamp, "too_large");
            self.remember(&folder, path, stamp);
            return;
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(_) => {
                // Locked or vanished: look again later.
                self.retry_later(path, now);
                return;
            }
        };
        if bytes.len() as u64 != stamp.size {
            if let Some(p) = self.pending.get_mut(path) {
                p.since = now;
            }
            return;
        }
        if let Err(e) = hoso_scan::decode::sniff(&bytes) {
            self.host.skip(&folder, path, stamp, e.code());
            self.remember(&folder, path, stamp);
            return;
        }
        match hoso_scan::decode::decode(&bytes, false) {
            Ok(decoded) => {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                let found =
                    Found { folder: &folder, path, name, bytes: &bytes, decoded: &decoded, stamp };
                self.host.take(found);
                self.remember(&folder, path, stamp);
            }
            Err(e) if matches!(e, hoso_scan::ScanError::TooLarge { .. }) => {
                self.host.skip(&folder, path, stamp, e.code());
                self.remember(&folder, path, stamp);
            }
            Err(e) => {
                // Damaged: perhaps still being written by something that pauses. A few more
                // looks, further apart, then leave it until it changes.
                let tries = self.pending.get(path).map_or(MAX_TRIES, |p| p.tries + 1);
                if tries >= MAX_TRIES {
                    self.host.skip(&folder, path, stamp, e.code());
                    self.remember(&folder, path, stamp);
                } else if let Some(p) = self.pending.get_mut(path) {
                    p.tries = tries;
                    p.not_before = now + self.cfg.settle * (1 << tries);
                }
            }
        }
    }

    fn retry_later(&mut self, path: &Path, now: Instant) {
        if let Some(p) = self.pending.get_mut(path) {
            p.not_before = now + self.cfg.settle;
        }
    }
}

/// The candidate files under `root`, depth-first, without following symbolic links or going
/// into hidden folders.
pub fn list_files(root: &Path, max_depth: usize, cap: usize) -> Vec<(PathBuf, Stamp)> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_owned(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            if out.len() >= cap {
                return out;
            }
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                if depth < max_depth && !name.starts_with('.') {
                    stack.push((entry.path(), depth + 1));
                }
            } else if ft.is_file()
                && is_candidate(name)
                && let Ok(m) = entry.metadata()
            {
                out.push((entry.path(), Stamp::of(&m)));
            }
        }
    }
    out
}

enum Msg {
    Event(notify::Event),
    Folders(Vec<PathBuf>),
    Stop,
}

/// A running watcher, on a thread of its own. Dropping it stops it.
pub struct Watcher {
    tx: mpsc::Sender<Msg>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").finish_non_exhaustive()
    }
}

impl Watcher {
    /// Starts watching `folders`: what is there and not yet dealt with is looked at first.
    pub fn start<H: Host + Send + 'static>(
        folders: Vec<PathBuf>,
        cfg: Config,
        host: H,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let events_tx = tx.clone();
        let thread = std::thread::Builder::new().name("hoso-watch".into()).spawn(move || {
            let use_events = cfg.events;
            let mut engine = Engine::new(cfg, host, folders);
            let mut fs_watcher = if use_events {
                let tx = events_tx;
                notify::recommended_watcher(move |r: notify::Result<notify::Event>| {
                    if let Ok(ev) = r {
                        let _ = tx.send(Msg::Event(ev));
                    }
                })
                .ok()
            } else {
                None
            };
            let mut watching: Vec<PathBuf> = Vec::new();
            loop {
                let now = Instant::now();
                if engine.due_walk(now) {
                    engine.walk(now);
                    if let Some(w) = fs_watcher.as_mut() {
                        rewatch(w, &mut watching, &engine.folders);
                    }
                }
                match rx.recv_timeout(engine.cfg.tick) {
                    Ok(Msg::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    Ok(Msg::Folders(f)) => engine.set_folders(f),
                    Ok(Msg::Event(ev)) => {
                        let now = Instant::now();
                        for p in &ev.paths {
                            engine.touched(p, now);
                        }
                        // Drain what else is queued before looking at files.
                        while let Ok(m) = rx.try_recv() {
                            match m {
                                Msg::Event(ev) => {
                                    ev.paths.iter().for_each(|p| engine.touched(p, now))
                                }
                                Msg::Folders(f) => engine.set_folders(f),
                                Msg::Stop => return,
                            }
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                }
                engine.tick(Instant::now());
            }
        })?;
        Ok(Self { tx, thread: Some(thread) })
    }

    /// Watches these folders from now on (a walk follows at once).
    pub fn set_folders(&self, folders: Vec<PathBuf>) {
        let _ = self.tx.send(Msg::Folders(folders));
    }

    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.tx.send(Msg::Stop);
        if let Some(t) = self.thread.take() {
            // Dropped by its own thread (its host held the last handle on the owner): it stops
            // by itself at the next message check, and cannot wait for itself.
            if t.thread().id() != std::thread::current().id() {
                let _ = t.join();
            }
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Keeps filesystem watches on exactly the folders that are present.
fn rewatch(w: &mut notify::RecommendedWatcher, watching: &mut Vec<PathBuf>, folders: &[Folder]) {
    use notify::Watcher as _;
    let want: Vec<PathBuf> =
        folders.iter().filter(|f| f.present == Some(true)).map(|f| f.path.clone()).collect();
    watching.retain(|p| {
        let keep = want.contains(p) && p.is_dir();
        if !keep {
            let _ = w.unwatch(p);
        }
        keep
    });
    for p in want {
        // A folder that cannot be watched (some network shares) is still walked.
        if !watching.contains(&p) && w.watch(&p, notify::RecursiveMode::Recursive).is_ok() {
            watching.push(p);
        }
    }
}

/// One pass, for `hoso watch --once`: every file not yet dealt with is taken once it is
/// complete; returns when nothing is left waiting, or after `limit` (files still changing are
/// left for next time).
pub fn run_once<H: Host>(folders: Vec<PathBuf>, cfg: Config, host: H, limit: Duration) -> H {
    let start = Instant::now();
    let tick = cfg.tick;
    let mut engine = Engine::new(cfg, host, folders);
    engine.walk(start);
    while !engine.pending.is_empty() && start.elapsed() < limit {
        std::thread::sleep(tick);
        engine.tick(Instant::now());
    }
    engine.host
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_temporary_and_hidden_names_are_not_candidates() {
        for bad in [
            "IMG_1.jpg.part",
            "IMG_1.JPG.crdownload",
            "Unconfirmed 1234.crdownload",
            "scan.tmp",
            "~$scan.jpg",
            ".IMG_1.jpg",
            ".DS_Store",
            "photo.jpg~",
            "Thumbs.db",
            "x.opdownload",
            "",
        ] {
            assert!(!is_candidate(bad), "{bad}");
        }
        for good in ["IMG_1.jpg", "ảnh CCCD.HEIC", "scan 0001.tif", "photo"] {
            assert!(is_candidate(good), "{good}");
        }
    }
}
