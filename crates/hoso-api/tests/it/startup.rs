//! Opening a store that cannot be used gives a coded error that names the file.

use hoso_api::{ErrorCode, Hoso, SystemClock};
use std::sync::Arc;

#[test]
fn damaged_locked_read_only_and_newer_databases_have_their_own_codes() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join(hoso_store::DB_FILE);
    std::fs::write(&db, b"not a database at all, just text ".repeat(100)).expect("write");
    let err = Hoso::open(dir.path(), Arc::new(SystemClock)).expect_err("corrupt");
    assert_eq!(err.code, ErrorCode::StoreCorrupt);
    assert!(err.message.contains(&db.display().to_string()), "{}", err.message);
    std::fs::remove_file(&db).expect("rm");

    drop(Hoso::open(dir.path(), Arc::new(SystemClock)).expect("fresh"));
    let mut perms = std::fs::metadata(&db).expect("meta").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&db, perms.clone()).expect("chmod");
    let err = Hoso::open(dir.path(), Arc::new(SystemClock)).expect_err("read-only");
    assert_eq!(err.code, ErrorCode::StoreReadOnly);
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&db, perms).expect("chmod back");

    rusqlite_user_version(&db, 999);
    let err = Hoso::open(dir.path(), Arc::new(SystemClock)).expect_err("newer");
    assert_eq!(err.code, ErrorCode::StoreTooNew);
    let json = serde_json::to_value(&err).expect("json");
    assert_eq!(json["code"], "store_too_new");
    assert!(json["message"].as_str().is_some_and(|m| m.contains("999")));
}

fn rusqlite_user_version(db: &std::path::Path, v: u32) {
    let conn = rusqlite::Connection::open(db).expect("raw");
    conn.pragma_update(None, "user_version", v).expect("bump");
}

#[test]
fn the_support_desk_is_kept_with_the_data_and_a_bad_phone_number_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = crate::open(dir.path());
    assert_eq!(hoso.support_desk().expect("desk"), hoso_api::types::SupportDesk::default());
    let desk = hoso_api::types::SupportDesk {
        name: "  Bộ phận một cửa UBND xã Lũng Cú ".into(),
        phone: "0219 3861 234".into(),
        address: "Thôn Lũng Cú, Xã Lũng Cú, Tỉnh Tuyên Quang".into(),
        hours: "Sáng 7:30–11:30, chiều 13:30–17:00".into(),
    };
    let saved = hoso.set_support_desk(&desk).expect("set");
    assert_eq!(saved.name, "Bộ phận một cửa UBND xã Lũng Cú");
    drop(hoso);
    let hoso = crate::open(dir.path());
    assert_eq!(hoso.support_desk().expect("desk"), saved, "kept in the data folder");
    for bad in ["12345", "0219-3861-234", "phone", "+84 219 3861 234 567 890"] {
        let e = hoso
            .set_support_desk(&hoso_api::types::SupportDesk { phone: bad.into(), ..saved.clone() });
        assert_eq!(e.expect_err(bad).code, hoso_api::ErrorCode::InvalidInput, "{bad}");
    }
    assert_eq!(hoso.support_desk().expect("desk"), saved, "a refused change changes nothing");
}
