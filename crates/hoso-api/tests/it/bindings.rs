//! The committed TypeScript twins of the transport types are up to date.

use std::path::PathBuf;

#[test]
fn committed_typescript_bindings_match_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings.ts");
    let want = hoso_api::types::typescript_bindings();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &want).expect("write bindings");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is stale: run `make bindings` (UPDATE_BINDINGS=1 cargo test -p hoso-api --test it bindings) and commit it",
        path.display()
    );
}
