//! The catalogue in use: bundled, cached, and replaced only by a newer readable one.

use hoso_store::{CachedCatalogue, Store};

use crate::open;

#[test]
fn the_bundled_catalogue_is_cached_and_searchable() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let info = hoso.info();
    assert_eq!(info.catalogue_version, hoso_catalogue::Catalogue::bundled().version);
    let all = hoso.procedures("");
    assert!(all.len() >= 8);
    assert_eq!(all[0].code, "1.001193");
    let hits = hoso.procedures("xac nhan tinh trang hon nhan");
    assert_eq!(hits.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["1.004873"]);
    let birth = hoso.procedure("1.001193").expect("detail");
    assert!(birth.sections.iter().flat_map(|s| &s.fields).any(|f| f.key == "child.birth_place"));
    assert!(birth.components.iter().any(|c| c.required));
    assert_eq!(
        hoso.procedure("9.999999").expect_err("unknown").code,
        hoso_api::ErrorCode::UnknownProcedure
    );
    drop(hoso);
    let store = Store::open(dir.path()).expect("store");
    let cached = store.cached_catalogue().expect("read").expect("cached");
    assert_eq!(cached.version, info.catalogue_version);
}

fn cache(dir: &std::path::Path, version: &str, body: String) {
    let store = Store::open(dir).expect("store");
    store
        .put_catalogue(&CachedCatalogue {
            version: version.to_owned(),
            source: "portal".into(),
            etag: Some("\"e1\"".into()),
            body,
            stored_at: 1,
        })
        .expect("put");
}

#[test]
fn a_newer_cached_catalogue_is_used_and_an_older_or_broken_one_is_not() {
    let dir = tempfile::tempdir().expect("tmp");
    let newer = hoso_catalogue::BUNDLED_JSON
        .replace("\"version\": \"2026.11.1\"", "\"version\": \"2099.1.0\"")
        .replace("Đăng ký khai sinh", "Đăng ký khai sinh (mẫu mới)");
    assert!(newer.contains("2099.1.0"), "the test must change the version");
    cache(dir.path(), "2099.1.0", newer);
    let hoso = open(dir.path());
    assert_eq!(hoso.info().catalogue_version, "2099.1.0");
    assert_eq!(hoso.procedure("1.001193").expect("p").summary.name, "Đăng ký khai sinh (mẫu mới)");
    drop(hoso);

    cache(dir.path(), "2000.1.0", hoso_catalogue::BUNDLED_JSON.replace("2026.11.1", "2000.1.0"));
    assert_eq!(open(dir.path()).info().catalogue_version, "2026.11.1");

    cache(dir.path(), "2099.2.0", "{ broken".to_owned());
    assert_eq!(open(dir.path()).info().catalogue_version, "2026.11.1");
}
