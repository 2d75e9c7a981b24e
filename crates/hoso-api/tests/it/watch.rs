//! Watched folders through the façade: photos become inbox items once, go into a dossier's
//! paper, and can be set aside and put back.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hoso_api::{ErrorCode, WatchConfig, WatchEvent};

use crate::{certified_copy_draft, open};

fn photo() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../hoso-scan/tests/fixtures/p003_normal.jpg"
    ))
    .expect("fixture photo")
}

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

#[test]
fn new_photos_in_a_watched_folder_wait_in_the_inbox_once_and_go_into_a_dossier() {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let hoso = Arc::new(open(data.path()));
    let id = certified_copy_draft(&hoso).id;
    std::fs::write(folder.path().join("old.jpg"), photo()).unwrap();

    let events: Arc<Mutex<Vec<WatchEvent>>> = Arc::default();
    let ev = Arc::clone(&events);
    let cfg = WatchConfig {
        settle: Duration::from_millis(300),
        tick: Duration::from_millis(30),
        ..WatchConfig::default()
    };
    hoso.start_watching_with(cfg, Box::new(move |e| ev.lock().unwrap().push(e))).unwrap();
    let folders = hoso.add_watch_folder(&folder.path().to_string_lossy(), false).unwrap();
    assert_eq!(folders.len(), 1);
    assert!(!folders[0].missing);

    std::fs::write(folder.path().join("IMG_0001.jpg"), photo()).unwrap();
    // Generous: storing the photo waits for fsync, which a busy disk can hold up for seconds
    // (the time it takes is a figure of `capture-bench`, not of this test).
    assert!(wait_for(15_000, || hoso.inbox(50, 0).unwrap().total == 1), "never reached the inbox");
    std::thread::sleep(Duration::from_millis(700));
    let page = hoso.inbox(50, 0).unwrap();
    assert_eq!(page.total, 1, "the photo there before the folder was added is left alone");
    assert_eq!(page.items[0].name, "IMG_0001.jpg");
    let thumb = hoso.inbox_thumbnail(page.items[0].id).unwrap();
    assert!(thumb.starts_with(&[0xFF, 0xD8, 0xFF]), "a JPEG thumbnail");

    // The same photo under another name is shown once.
    std::fs::write(folder.path().join("IMG_0001 (1).jpg"), photo()).unwrap();
    assert!(wait_for(15_000, || events
        .lock()
        .unwrap()
        .iter()
        .any(|e| matches!(e, WatchEvent::Taken(f) if f.duplicate))));
    assert_eq!(hoso.inbox(50, 0).unwrap().total, 1);

    let item = page.items[0].id;
    hoso.inbox_dismiss(item).unwrap();
    assert_eq!(hoso.inbox(50, 0).unwrap().total, 0);
    hoso.inbox_restore(item).unwrap();
    assert_eq!(hoso.inbox(50, 0).unwrap().total, 1);
    let d = hoso.inbox_assign(item, &id, "van_ban").unwrap();
    let pages = &d.components.iter().find(|c| c.code == "van_ban").unwrap().pages;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].original_name, "IMG_0001.jpg");
    assert_eq!(hoso.inbox(50, 0).unwrap().total, 0);
    assert_eq!(hoso.inbox_dismiss(9999).unwrap_err().code, ErrorCode::NotFound);

    hoso.remove_watch_folder(&folders[0].path).unwrap();
    assert!(hoso.watch_folders().unwrap().is_empty());
    hoso.stop_watching();
}

#[test]
fn once_puts_photos_straight_into_a_paper_and_refuses_what_is_not_a_folder() {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let hoso = Arc::new(open(data.path()));
    let id = certified_copy_draft(&hoso).id;
    std::fs::write(folder.path().join("scan_001.jpg"), photo()).unwrap();
    std::fs::write(folder.path().join("scan_002.jpg.part"), photo()).unwrap();
    let lines: Arc<Mutex<Vec<WatchEvent>>> = Arc::default();
    let l = Arc::clone(&lines);
    hoso.watch_once(
        &[folder.path().to_owned()],
        Some((id.clone(), "van_ban".into())),
        Duration::from_secs(20),
        Box::new(move |e| l.lock().unwrap().push(e)),
    )
    .unwrap();
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let WatchEvent::Taken(f) = &lines[0] else { panic!("{:?}", lines[0]) };
    assert!(f.path.ends_with("scan_001.jpg"));
    assert_eq!(
        (f.dossier_id.as_deref(), f.component.as_deref()),
        (Some(id.as_str()), Some("van_ban"))
    );
    assert_eq!(f.sha256.len(), 64);
    let d = hoso.dossier(&id).unwrap();
    assert_eq!(d.components.iter().find(|c| c.code == "van_ban").unwrap().pages.len(), 1);

    assert_eq!(
        hoso.add_watch_folder("relative/dir", true).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    let file = folder.path().join("scan_001.jpg");
    assert_eq!(
        hoso.add_watch_folder(&file.to_string_lossy(), true).unwrap_err().code,
        ErrorCode::NotFound
    );
    let e = hoso
        .watch_once(
            &[folder.path().to_owned()],
            Some((id, "nope".into())),
            Duration::from_secs(1),
            Box::new(|_| {}),
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownComponent);
}
