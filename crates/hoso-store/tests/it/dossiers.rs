//! Dossier rows, values, pages, list, trash and duplicates.

use hoso_store::{DossierState, Error, ListFilter, PageFile, ScanFiles, Store};

use crate::{count_values, new_dossier};

fn list(store: &Store, trash: bool, words: &[&str]) -> Vec<String> {
    store
        .list(&ListFilter {
            trash,
            words: words.iter().map(|w| (*w).to_owned()).collect(),
            limit: 100,
            offset: 0,
        })
        .expect("list")
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn values_are_saved_updated_cleared_and_summarised_in_one_step() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    new_dossier(&store, "d1", &[], 10);
    let d = store.dossier("d1").expect("d1");
    assert_eq!(d.row.state, DossierState::Draft);
    assert_eq!((d.row.missing, d.row.created_at, d.row.updated_at), (3, 10, 10));

    let s = store
        .update_values(
            "d1",
            &[("applicant.full_name", "Hoàng Thị Mai"), ("child.dob", "01/02/2026")],
            20,
            count_values,
        )
        .expect("save");
    assert_eq!((s.title.as_str(), s.missing), ("Hoàng Thị Mai", 1));
    let d = store.dossier("d1").expect("d1");
    assert_eq!(d.values.len(), 2);
    assert_eq!((d.row.title.as_str(), d.row.missing, d.row.updated_at), ("Hoàng Thị Mai", 1, 20));

    store.update_values("d1", &[("child.dob", "")], 30, count_values).expect("clear");
    assert!(!store.dossier("d1").expect("d1").values.contains_key("child.dob"));

    let err =
        store.update_values("nobody", &[("a.b", "c")], 40, count_values).expect_err("missing");
    assert!(matches!(err, Error::DossierNotFound(id) if id == "nobody"));
    assert!(matches!(
        store.insert_dossier(
            &hoso_store::NewDossier {
                id: "d1",
                procedure_code: "x",
                values: &Default::default(),
                now: 1
            },
            count_values
        ),
        Err(Error::DossierExists(_))
    ));
}

#[test]
fn hostile_and_unusual_text_is_stored_exactly() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let long = "Ằ".repeat(500);
    let samples = [
        "<script>alert('x')</script>",
        "Hoa 🌸👨‍👩‍👧",
        &long,
        "Nguye\u{0302}\u{0303}n",
        "'; DROP TABLE dossier; --",
    ];
    new_dossier(&store, "d1", &[], 1);
    for (i, s) in samples.iter().enumerate() {
        let key = format!("t.{i}");
        store.update_values("d1", &[(&key, s)], 2, count_values).expect("save");
    }
    let d = store.dossier("d1").expect("d1");
    for (i, s) in samples.iter().enumerate() {
        assert_eq!(d.values[&format!("t.{i}")], *s);
    }
}

#[test]
fn list_orders_by_last_change_searches_all_words_and_pages() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    new_dossier(&store, "a", &[("applicant.full_name", "nguyen van an")], 1);
    new_dossier(&store, "b", &[("applicant.full_name", "tran thi binh")], 2);
    new_dossier(&store, "c", &[("applicant.full_name", "nguyen thi 100%_x")], 3);
    assert_eq!(list(&store, false, &[]), ["c", "b", "a"]);
    store.update_values("a", &[("x.y", "z")], 4, count_values).expect("touch");
    assert_eq!(list(&store, false, &[]), ["a", "c", "b"]);
    assert_eq!(list(&store, false, &["nguyen"]), ["a", "c"]);
    assert_eq!(list(&store, false, &["thi", "nguyen"]), ["c"]);
    // LIKE wildcards in a query are plain characters.
    assert_eq!(list(&store, false, &["100%_"]), ["c"]);
    assert!(list(&store, false, &["%"]).len() == 1);
    assert!(list(&store, false, &["_"]).len() == 1);
    let page = store.list(&ListFilter { limit: 2, offset: 1, ..Default::default() }).expect("page");
    assert_eq!(page.total, 3);
    assert_eq!(page.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["c", "b"]);
}

#[test]
fn trash_hides_restore_brings_back_and_purge_needs_the_trash() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    new_dossier(&store, "a", &[("applicant.full_name", "A")], 1);
    new_dossier(&store, "b", &[], 2);
    assert!(
        matches!(store.purge("a"), Err(Error::DossierNotFound(_))),
        "live dossiers are not purged"
    );
    store.trash("a", 5).expect("trash");
    assert_eq!(list(&store, false, &[]), ["b"]);
    assert_eq!(list(&store, true, &[]), ["a"]);
    assert!(matches!(store.trash("a", 6), Err(Error::DossierNotFound(_))), "already in the trash");
    assert!(
        matches!(
            store.update_values("a", &[("k.k", "v")], 6, count_values),
            Err(Error::DossierNotFound(_))
        ),
        "a trashed dossier is not edited"
    );
    store.restore("a", 7).expect("restore");
    assert_eq!(list(&store, true, &[]), Vec::<String>::new());
    assert_eq!(store.dossier("a").expect("a").values["applicant.full_name"], "A");
    store.trash("b", 8).expect("trash b");
    store.purge("b").expect("purge");
    assert!(matches!(store.dossier("b"), Err(Error::DossierNotFound(_))));
    let kinds: Vec<String> =
        store.events("a").expect("events").into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["created", "trashed", "restored"]);
}

#[test]
fn duplicates_copy_values_and_pages_into_a_new_draft() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    new_dossier(&store, "a", &[("applicant.full_name", "Vàng A Dính")], 1);
    let file = PageFile {
        bytes: b"%PDF-1.7 page",
        media_type: "application/pdf",
        original_name: "to-khai.pdf",
    };
    store.add_page("a", "to_khai", file, 2, count_values).expect("page");
    store.set_state("a", DossierState::Queued, "", 3).expect("queue");
    store.duplicate("a", "b", 4).expect("dup");
    let b = store.dossier("b").expect("b");
    assert_eq!(b.row.state, DossierState::Draft);
    assert_eq!(b.values["applicant.full_name"], "Vàng A Dính");
    assert_eq!(b.row.title, "Vàng A Dính");
    assert_eq!(b.pages.len(), 1);
    assert_eq!(b.pages[0].sha256, store.dossier("a").expect("a").pages[0].sha256);
    assert_eq!(store.events("b").expect("events")[0].detail, "a");
    assert!(matches!(store.duplicate("zzz", "c", 5), Err(Error::DossierNotFound(_))));
}

#[test]
fn pages_are_numbered_per_component_and_their_files_are_content_addressed() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    new_dossier(&store, "a", &[], 1);
    let add = |bytes: &'static [u8], component: &str| {
        store
            .add_page(
                "a",
                component,
                PageFile { bytes, media_type: "image/jpeg", original_name: "anh.jpg" },
                2,
                count_values,
            )
            .expect("add")
    };
    let (p1, _) = add(b"one", "to_khai");
    let (p2, s) = add(b"two", "to_khai");
    let (p3, _) = add(b"one", "giay_chung_sinh");
    assert_eq!((p1.position, p2.position, p3.position), (1, 2, 1));
    assert_eq!(p1.sha256, p3.sha256, "same bytes, same file");
    assert_eq!(s.missing, 2);
    assert_eq!(store.blobs().read(&p2.sha256).expect("read"), b"two");
    let s = store.remove_page("a", p2.id, 3, count_values).expect("remove");
    assert_eq!(s.missing, 1, "both components still have a page");
    assert_eq!(store.dossier("a").expect("a").pages.len(), 2);
}

#[test]
fn pages_move_around_a_removed_one_which_comes_back_in_its_place_with_its_scan() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    new_dossier(&store, "a", &[], 1);
    let add = |bytes: &'static [u8]| {
        let file = PageFile { bytes, media_type: "image/jpeg", original_name: "p.jpg" };
        store.add_page("a", "to_khai", file, 2, count_values).expect("add").0.id
    };
    let (p1, p2, p3, p4) = (add(b"1"), add(b"2"), add(b"3"), add(b"4"));
    let ids = |s: &Store| s.dossier("a").expect("a").pages.iter().map(|p| p.id).collect::<Vec<_>>();
    store.remove_page("a", p2, 3, count_values).expect("remove");
    assert_eq!(ids(&store), vec![p1, p3, p4]);
    store.move_page("a", p4, 0, 4).expect("move first");
    assert_eq!(ids(&store), vec![p4, p1, p3]);
    store.move_page("a", p4, 99, 5).expect("move last");
    assert_eq!(ids(&store), vec![p1, p3, p4]);
    store.restore_page("a", p2, 6, count_values).expect("restore");
    assert_eq!(ids(&store), vec![p1, p2, p3, p4], "back in its own place");
    assert!(matches!(store.move_page("a", 999, 0, 7), Err(Error::PageNotFound(999))));

    let files = ScanFiles {
        scan: "{\"k\":1}",
        out: Some((b"page bytes", "image/x-ccitt-g4")),
        thumb: Some(b"thumb"),
    };
    store.set_page_scan("a", p3, &files, 8).expect("scan");
    let page = store.dossier("a").expect("a").pages.into_iter().find(|p| p.id == p3).expect("p3");
    assert_eq!(page.scan.as_deref(), Some("{\"k\":1}"));
    let (out, size) = page.out.expect("out");
    assert_eq!((store.blobs().read(&out).expect("out"), size), (b"page bytes".to_vec(), 10));
    assert_eq!(store.blobs().read(&page.thumb_sha256.expect("thumb")).expect("t"), b"thumb");
    assert_eq!(
        page.sha256,
        Store::open(dir.path()).expect("again").dossier("a").expect("a").pages[2].sha256
    );
    // A duplicate keeps the live pages and what was made from them.
    store.remove_page("a", p1, 9, count_values).expect("remove");
    store.duplicate("a", "b", 10).expect("dup");
    let b = store.dossier("b").expect("b");
    assert_eq!(b.pages.len(), 3);
    assert_eq!(b.pages[1].out, store.dossier("a").expect("a").pages[1].out);
}
