//! Opening: fresh, reopened, damaged, locked, read-only and newer databases.

use std::fs;

use hoso_store::{DB_FILE, Error, SCHEMA_VERSION, Store};
use rusqlite::Connection;

use crate::new_dossier;

#[test]
fn a_fresh_directory_gets_a_wal_database_at_the_current_schema() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("nested/data");
    let store = Store::open(&data).expect("open");
    assert_eq!(store.db_path(), data.join(DB_FILE));
    assert_eq!(store.integrity_check().expect("check"), "ok");
    drop(store);
    let conn = Connection::open(data.join(DB_FILE)).expect("raw");
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("mode");
    assert_eq!(mode, "wal");
    let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("v");
    assert_eq!(v, SCHEMA_VERSION);
    assert!(data.join("files/tmp").is_dir());
}

#[test]
fn data_survives_reopening() {
    let dir = tempfile::tempdir().expect("tmp");
    {
        let store = Store::open(dir.path()).expect("open");
        new_dossier(&store, "d1", &[("applicant.full_name", "Lò Văn Páo")], 1);
    }
    let store = Store::open(dir.path()).expect("reopen");
    let d = store.dossier("d1").expect("d1");
    assert_eq!(d.values["applicant.full_name"], "Lò Văn Páo");
}

#[test]
fn a_file_that_is_not_a_database_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(DB_FILE);
    let junk = b"this is not a database, it is somebody's letter".repeat(200);
    fs::write(&path, &junk).expect("write");
    let err = Store::open(dir.path()).expect_err("must refuse");
    assert!(matches!(err, Error::Corrupt(_)), "{err:?}");
    assert_eq!(fs::read(&path).expect("read"), junk, "the file was changed");
}

#[test]
fn a_database_with_damaged_pages_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    {
        let store = Store::open(dir.path()).expect("open");
        for i in 0..300 {
            new_dossier(
                &store,
                &format!("d{i}"),
                &[("applicant.full_name", &"Nguyễn Văn A ".repeat(20))],
                i,
            );
        }
    }
    // Fold the WAL into the main file, then overwrite pages in the middle of it.
    let path = dir.path().join(DB_FILE);
    Connection::open(&path)
        .expect("raw")
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .expect("checkpoint");
    let mut bytes = fs::read(&path).expect("read");
    assert!(bytes.len() > 64 * 1024, "database too small to damage: {}", bytes.len());
    for b in &mut bytes[16 * 1024..48 * 1024] {
        *b = 0xA5;
    }
    fs::write(&path, &bytes).expect("damage");
    let err = Store::open(dir.path()).expect_err("must refuse");
    assert!(matches!(err, Error::Corrupt(_)), "{err:?}");
    assert_eq!(fs::read(&path).expect("read"), bytes, "the file was changed");
}

#[test]
fn a_database_held_by_another_program_is_reported_as_locked() {
    let dir = tempfile::tempdir().expect("tmp");
    drop(Store::open(dir.path()).expect("create"));
    let holder = Connection::open(dir.path().join(DB_FILE)).expect("holder");
    holder.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;").expect("lock");
    let err = Store::open(dir.path()).expect_err("must refuse");
    assert!(matches!(err, Error::Locked), "{err:?}");
    holder.execute_batch("COMMIT").expect("unlock");
    drop(holder);
    Store::open(dir.path()).expect("opens once released");
}

#[test]
fn a_read_only_database_is_reported_even_to_root() {
    let dir = tempfile::tempdir().expect("tmp");
    drop(Store::open(dir.path()).expect("create"));
    let path = dir.path().join(DB_FILE);
    let before = fs::read(&path).expect("read");
    let mut perms = fs::metadata(&path).expect("meta").permissions();
    perms.set_readonly(true);
    fs::set_permissions(&path, perms).expect("chmod");
    let err = Store::open(dir.path()).expect_err("must refuse");
    assert!(matches!(err, Error::ReadOnly), "{err:?}");
    assert_eq!(fs::read(&path).expect("read"), before);
}

#[test]
fn a_database_from_a_newer_hoso_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    drop(Store::open(dir.path()).expect("create"));
    let path = dir.path().join(DB_FILE);
    Connection::open(&path)
        .expect("raw")
        .pragma_update(None, "user_version", SCHEMA_VERSION + 5)
        .expect("bump");
    let err = Store::open(dir.path()).expect_err("must refuse");
    assert!(
        matches!(err, Error::TooNew { found, known } if found == SCHEMA_VERSION + 5 && known == SCHEMA_VERSION),
        "{err:?}"
    );
}
