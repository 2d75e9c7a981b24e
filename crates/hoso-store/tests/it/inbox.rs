//! Watched folders, what was seen in them, and the inbox of photos taken from them.

use hoso_store::{Found, Seen, Store, Taken};

fn found<'a>(folder: &'a str, path: &'a str, bytes: &'a [u8]) -> Found<'a> {
    let name = path.rsplit('/').next().unwrap_or(path);
    Found { folder, path, name, bytes, media_type: "image/jpeg", thumbnail: Some(b"thumb") }
}

const NOW: i64 = 1_795_312_800_000;

#[test]
fn the_same_photo_is_in_the_inbox_once_and_can_be_set_aside_and_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.add_watch_folder("/media/usb", NOW).unwrap());
    assert!(!store.add_watch_folder("/media/usb", NOW).unwrap());
    let s = Seen { size: 5, mtime_ns: 7 };
    let a = store
        .take_into_inbox(&found("/media/usb", "/media/usb/a.jpg", b"\xFF\xD8\xFFab"), s, NOW)
        .unwrap();
    let Taken::New { id, sha256 } = a.clone() else { panic!("{a:?}") };
    let b = store
        .take_into_inbox(
            &found("/media/usb", "/media/usb/copy of a.jpg", b"\xFF\xD8\xFFab"),
            s,
            NOW + 1,
        )
        .unwrap();
    assert_eq!(b, Taken::Duplicate { id, sha256 });
    let (items, total) = store.inbox(50, 0).unwrap();
    assert_eq!((items.len(), total), (1, 1));
    assert_eq!(items[0].original_name, "a.jpg");
    assert_eq!(store.blobs().read(&items[0].sha256).unwrap(), b"\xFF\xD8\xFFab");
    assert_eq!(store.blobs().read(items[0].thumb_sha256.as_deref().unwrap()).unwrap(), b"thumb");
    // Both paths are remembered, so neither is read again.
    let seen = store.seen_in("/media/usb").unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen["/media/usb/copy of a.jpg"], s);

    assert!(store.dismiss_inbox(id, Some(NOW + 2)).unwrap());
    assert_eq!(store.inbox(50, 0).unwrap().1, 0);
    assert!(store.dismiss_inbox(id, None).unwrap());
    assert_eq!(store.inbox(50, 0).unwrap().1, 1);
    crate::new_dossier(&store, "d1", &[], NOW);
    assert!(store.assign_inbox(id, "d1", "van_ban", NOW + 3).unwrap());
    assert_eq!(store.inbox(50, 0).unwrap().1, 0);
    let it = store.inbox_item(id).unwrap().unwrap();
    assert_eq!(
        (it.dossier_id.as_deref(), it.component_code.as_deref()),
        (Some("d1"), Some("van_ban"))
    );
    assert!(
        !store.dismiss_inbox(id, Some(NOW + 4)).unwrap(),
        "a photo put into a dossier stays there"
    );
}

#[test]
fn folders_remember_what_was_there_and_whether_they_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.add_watch_folder("/home/a/Zalo", NOW).unwrap();
    let files: Vec<(String, Seen)> = (0..1000)
        .map(|i| (format!("/home/a/Zalo/{i}.jpg"), Seen { size: i, mtime_ns: i as i64 }))
        .collect();
    store.mark_seen("/home/a/Zalo", &files).unwrap();
    assert_eq!(store.seen_in("/home/a/Zalo").unwrap().len(), 1000);
    assert!(store.set_folder_missing("/home/a/Zalo", true, NOW + 5).unwrap());
    assert!(!store.set_folder_missing("/home/a/Zalo", true, NOW + 6).unwrap(), "no change");
    assert_eq!(store.watch_folders().unwrap()[0].missing_at, Some(NOW + 5));
    assert!(store.set_folder_missing("/home/a/Zalo", false, NOW + 7).unwrap());
    assert_eq!(store.watch_folders().unwrap()[0].missing_at, None);
    // A photo taken, then the folder removed: the photo stays, the notes go.
    store
        .take_into_inbox(
            &found("/home/a/Zalo", "/home/a/Zalo/x.jpg", b"\xFF\xD8\xFFxx"),
            Seen { size: 5, mtime_ns: 1 },
            NOW,
        )
        .unwrap();
    assert!(store.remove_watch_folder("/home/a/Zalo").unwrap());
    assert!(store.seen_in("/home/a/Zalo").unwrap().is_empty());
    assert!(store.watch_folders().unwrap().is_empty());
    assert_eq!(store.inbox(10, 0).unwrap().1, 1);
}
