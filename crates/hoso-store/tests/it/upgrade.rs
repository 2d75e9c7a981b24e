//! Upgrading: data folders left by every earlier schema version (committed fixtures, see
//! `examples/make_schema_fixtures.rs`) open in this build; migrations run, nothing is lost, and
//! a copy of the old database is kept before anything changes.

use std::path::Path;

use hoso_store::{BACKUP_DIR, JobState, SCHEMA_VERSION, Store};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

fn user_version(db: &Path) -> u32 {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("v")
}

#[test]
fn every_earlier_schema_opens_migrates_loses_nothing_and_is_backed_up_first() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let versions: Vec<u32> = (1..SCHEMA_VERSION).collect();
    for v in versions {
        let fixture = fixtures.join(format!("schema-v{v}"));
        assert!(
            fixture.exists(),
            "no fixture for schema {v}: add it (examples/make_schema_fixtures.rs)"
        );
        let tmp = tempfile::tempdir().expect("tmp");
        copy_dir(&fixture, tmp.path());
        let store = Store::open(tmp.path()).unwrap_or_else(|e| panic!("schema {v}: {e}"));
        assert_eq!(user_version(store.db_path()), SCHEMA_VERSION, "schema {v} migrated");

        // The draft, its values and both pages with their bytes.
        let d1 = store.dossier("0193f000-0000-7000-8000-000000000001").expect("draft");
        assert_eq!(d1.row.title, "Nguyễn Thị Hoa");
        assert_eq!(d1.values["applicant.cccd"], "001190012345");
        assert_eq!(d1.values["child.full_name"], "Lò Văn An");
        assert_eq!(d1.pages.len(), 2, "schema {v}");
        for p in &d1.pages {
            let bytes = store.blobs().read(&p.sha256).expect("page file");
            assert!(bytes.ends_with(b"(fixture)"), "schema {v}: {}", p.original_name);
        }
        assert!(
            store
                .events("0193f000-0000-7000-8000-000000000001")
                .expect("events")
                .iter()
                .any(|e| e.kind == "created")
        );
        if v >= 2 {
            let job = store
                .job("0193f000-0000-7000-8000-000000000002")
                .expect("job")
                .expect("queued job kept");
            assert_eq!((job.state, job.attempts), (JobState::Uploading, 2), "schema {v}");
            let files = store.job_files("0193f000-0000-7000-8000-000000000002").expect("files");
            assert_eq!((files.len(), files[0].confirmed_offset), (1, 10), "upload progress kept");
            let (receipt, message) =
                store.receipt("0193f000-0000-7000-8000-000000000003").expect("receipt");
            assert_eq!(receipt.as_deref(), Some("HS-251101-000007-K"));
            assert_eq!(message, "Mời nhận kết quả");
            let results = store.results("0193f000-0000-7000-8000-000000000003").expect("results");
            assert_eq!(
                store.blobs().read(&results[0].2).expect("result"),
                b"%PDF-1.7 ket qua (fixture)"
            );
            assert_eq!(store.kv("portal.changes_cursor").expect("kv").as_deref(), Some("42"));
        }
        if v >= 4 {
            assert_eq!(store.inbox(10, 0).expect("inbox").1, 1, "the inbox photo is kept");
        }
        drop(store);

        // The copy made before migrating is the old database, whole.
        let backups: Vec<_> =
            std::fs::read_dir(tmp.path().join(BACKUP_DIR)).expect("backups").flatten().collect();
        assert_eq!(backups.len(), 1, "schema {v}");
        let name = backups[0].file_name().to_string_lossy().into_owned();
        assert!(name.starts_with(&format!("hoso-v{v}-")), "{name}");
        assert_eq!(user_version(&backups[0].path()), v);
        let old = rusqlite::Connection::open(backups[0].path()).expect("backup");
        let n: i64 =
            old.query_row("SELECT COUNT(*) FROM dossier", [], |r| r.get(0)).expect("count");
        assert_eq!(n, if v >= 2 { 3 } else { 1 });

        // Opening again migrates nothing and copies nothing.
        Store::open(tmp.path()).expect("again");
        assert_eq!(std::fs::read_dir(tmp.path().join(BACKUP_DIR)).expect("backups").count(), 1);
    }
}
