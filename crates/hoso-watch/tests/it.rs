//! The watcher with real files in temporary folders: written slowly, renamed from temporary
//! names, truncated then finished, deleted, not images, already there, in a folder that goes
//! away and comes back, among thousands. Every wait is bounded.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hoso_watch::{Config, Found, Host, Stamp, Watcher};

#[derive(Default)]
struct Log {
    seen: HashMap<PathBuf, HashMap<PathBuf, Stamp>>,
    taken: Vec<(PathBuf, String, usize, Instant)>,
    skipped: Vec<(PathBuf, String)>,
    states: Vec<(PathBuf, bool)>,
}

#[derive(Clone, Default)]
struct TestHost(Arc<Mutex<Log>>);

impl Host for TestHost {
    fn seen_in(&mut self, folder: &Path) -> HashMap<PathBuf, Stamp> {
        self.0.lock().unwrap().seen.get(folder).cloned().unwrap_or_default()
    }
    fn take(&mut self, f: Found<'_>) {
        let mut log = self.0.lock().unwrap();
        log.taken.push((f.path.to_owned(), f.name.to_owned(), f.bytes.len(), Instant::now()));
        log.seen.entry(f.folder.to_owned()).or_default().insert(f.path.to_owned(), f.stamp);
    }
    fn skip(&mut self, folder: &Path, path: &Path, stamp: Stamp, why: &str) {
        let mut log = self.0.lock().unwrap();
        log.skipped.push((path.to_owned(), why.to_owned()));
        log.seen.entry(folder.to_owned()).or_default().insert(path.to_owned(), stamp);
    }
    fn folder_state(&mut self, folder: &Path, present: bool) {
        self.0.lock().unwrap().states.push((folder.to_owned(), present));
    }
}

impl TestHost {
    fn taken(&self) -> Vec<String> {
        self.0.lock().unwrap().taken.iter().map(|t| t.1.clone()).collect()
    }
    fn skipped(&self) -> Vec<(String, String)> {
        let log = self.0.lock().unwrap();
        log.skipped
            .iter()
            .map(|(p, w)| (p.file_name().unwrap().to_string_lossy().to_string(), w.clone()))
            .collect()
    }
}

fn photo() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../hoso-scan/tests/fixtures/p003_normal.jpg"
    ))
    .expect("fixture photo")
}

fn fast() -> Config {
    Config {
        settle: Duration::from_millis(300),
        tick: Duration::from_millis(30),
        rescan_every: Duration::from_millis(400),
        ..Config::default()
    }
}

/// Polls `cond` every 20 ms for at most `ms`.
fn wait_for(ms: u64, cond: impl Fn() -> bool) -> bool {
    let end = Instant::now() + Duration::from_millis(ms);
    while Instant::now() < end {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    cond()
}

fn start(dir: &Path, cfg: Config, host: &TestHost) -> Watcher {
    let w = Watcher::start(vec![dir.to_owned()], cfg, host.clone()).expect("start");
    // Let the first walk and the filesystem watch happen.
    std::thread::sleep(Duration::from_millis(150));
    w
}

#[test]
fn a_photo_written_slowly_is_taken_once_complete_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::default();
    let _w = start(dir.path(), fast(), &host);
    let bytes = photo();
    let mut f = std::fs::File::create(dir.path().join("IMG_0001.jpg")).unwrap();
    // Five pieces, 200 ms apart: longer than the whole settle period in all, never still for it.
    for piece in bytes.chunks(bytes.len().div_ceil(5)) {
        f.write_all(piece).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(200));
        assert!(host.taken().is_empty(), "taken while still being written");
    }
    drop(f);
    let complete = Instant::now();
    assert!(wait_for(3000, || host.taken().len() == 1), "never taken");
    let log = host.0.lock().unwrap();
    let (_, name, len, at) = &log.taken[0];
    assert_eq!((name.as_str(), *len), ("IMG_0001.jpg", bytes.len()));
    let latency = at.duration_since(complete);
    assert!(latency < Duration::from_secs(2), "{latency:?} from complete to taken");
    drop(log);
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(host.taken().len(), 1, "taken once");
    assert!(host.skipped().is_empty(), "{:?}", host.skipped());
}

#[test]
fn a_temporary_name_is_ignored_and_the_renamed_file_taken() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::default();
    let _w = start(dir.path(), fast(), &host);
    let part = dir.path().join("Zalo_123.jpg.crdownload");
    std::fs::write(&part, photo()).unwrap();
    std::fs::write(dir.path().join("~$note.jpg"), photo()).unwrap();
    std::fs::write(dir.path().join(".hidden.jpg"), photo()).unwrap();
    std::thread::sleep(Duration::from_millis(900));
    assert!(host.taken().is_empty() && host.skipped().is_empty(), "temporary names were read");
    std::fs::rename(&part, dir.path().join("Zalo_123.jpg")).unwrap();
    assert!(wait_for(3000, || host.taken() == ["Zalo_123.jpg"]), "{:?}", host.taken());
}

#[test]
fn an_unfinished_photo_that_pauses_is_taken_when_finished_and_a_deleted_one_never() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::default();
    let _w = start(dir.path(), fast(), &host);
    let bytes = photo();
    let half = bytes.len() / 2;
    // Stalls half-way for longer than the settle period: it does not decode, so it waits.
    let path = dir.path().join("scan_0007.jpg");
    std::fs::write(&path, &bytes[..half]).unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    assert!(host.taken().is_empty(), "a truncated photo was taken");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(&bytes[half..])
        .unwrap();
    assert!(wait_for(3000, || host.taken() == ["scan_0007.jpg"]), "{:?}", host.taken());

    // Written and deleted before it was still long enough.
    let gone = dir.path().join("gone.jpg");
    std::fs::write(&gone, &bytes[..half]).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    std::fs::remove_file(&gone).unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(host.taken(), ["scan_0007.jpg"]);
    assert!(host.skipped().is_empty(), "{:?}", host.skipped());
}

#[test]
fn what_is_not_a_photo_is_left_alone_once() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::default();
    let _w = start(dir.path(), fast(), &host);
    std::fs::write(dir.path().join("ghi-chu.txt"), "không phải ảnh").unwrap();
    std::fs::write(dir.path().join("to-khai.pdf"), b"%PDF-1.7\n...").unwrap();
    std::fs::write(dir.path().join("fake.jpg"), b"MZ\x90\x00 not a photo at all").unwrap();
    assert!(wait_for(3000, || host.skipped().len() == 3));
    let mut s = host.skipped();
    s.sort();
    assert_eq!(
        s,
        [
            ("fake.jpg".to_string(), "not_an_image".to_string()),
            ("ghi-chu.txt".to_string(), "not_an_image".to_string()),
            ("to-khai.pdf".to_string(), "not_an_image".to_string()),
        ]
    );
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(host.skipped().len(), 3, "read again");
    assert!(host.taken().is_empty());
}

#[test]
fn files_added_while_closed_are_taken_at_start_and_known_ones_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::default();
    let sub = dir.path().join("DCIM").join("Camera");
    std::fs::create_dir_all(&sub).unwrap();
    let known = sub.join("old.jpg");
    std::fs::write(&known, photo()).unwrap();
    std::fs::write(sub.join("new.jpg"), photo()).unwrap();
    let stamp = {
        let m = std::fs::metadata(&known).unwrap();
        let ns = m.modified().unwrap().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        Stamp { size: m.len(), mtime_ns: ns as i64 }
    };
    host.0.lock().unwrap().seen.entry(dir.path().to_owned()).or_default().insert(known, stamp);
    let _w = start(dir.path(), fast(), &host);
    assert!(wait_for(3000, || host.taken() == ["new.jpg"]), "{:?}", host.taken());
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(host.taken(), ["new.jpg"]);
}

#[test]
fn a_folder_that_goes_away_is_reported_and_watched_again_when_it_returns() {
    let base = tempfile::tempdir().unwrap();
    let usb = base.path().join("USB");
    std::fs::create_dir(&usb).unwrap();
    let host = TestHost::default();
    let _w = start(&usb, fast(), &host);
    std::fs::remove_dir(&usb).unwrap();
    assert!(wait_for(3000, || host.0.lock().unwrap().states == [(usb.clone(), false)]));
    std::fs::create_dir(&usb).unwrap();
    std::fs::write(usb.join("IMG_2.jpg"), photo()).unwrap();
    assert!(wait_for(4000, || host.taken() == ["IMG_2.jpg"]), "{:?}", host.taken());
    assert_eq!(host.0.lock().unwrap().states, [(usb.clone(), false), (usb, true)]);
}

#[test]
fn without_events_a_walk_finds_new_photos_as_on_a_network_share() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::default();
    let _w = start(dir.path(), Config { events: false, ..fast() }, &host);
    std::fs::write(dir.path().join("IMG_3.jpg"), photo()).unwrap();
    assert!(wait_for(3000, || host.taken() == ["IMG_3.jpg"]), "{:?}", host.taken());
}

#[test]
fn thousands_of_known_files_do_not_hold_up_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let host = TestHost::default();
    let n = 3000;
    {
        let mut log = host.0.lock().unwrap();
        let seen = log.seen.entry(dir.path().to_owned()).or_default();
        for i in 0..n {
            let p = dir.path().join(format!("old_{i:05}.jpg"));
            std::fs::write(&p, [0xFF, 0xD8, 0xFF, (i % 251) as u8]).unwrap();
            let m = std::fs::metadata(&p).unwrap();
            let ns =
                m.modified().unwrap().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
            seen.insert(p, Stamp { size: m.len(), mtime_ns: ns as i64 });
        }
    }
    let _w = start(dir.path(), fast(), &host);
    std::fs::write(dir.path().join("moi.jpg"), photo()).unwrap();
    assert!(wait_for(3000, || host.taken() == ["moi.jpg"]), "{:?}", host.taken());
    assert!(host.skipped().is_empty(), "known files were read again");
}

#[test]
fn once_takes_what_is_there_and_returns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.jpg"), photo()).unwrap();
    std::fs::write(dir.path().join("b.jpg.part"), photo()).unwrap();
    std::fs::write(dir.path().join("c.txt"), "x").unwrap();
    let host = hoso_watch::run_once(
        vec![dir.path().to_owned()],
        fast(),
        TestHost::default(),
        Duration::from_secs(10),
    );
    assert_eq!(host.taken(), ["a.jpg"]);
    assert_eq!(host.skipped(), [("c.txt".to_string(), "not_an_image".to_string())]);
}
