//! Finalising: only complete drafts go to the outbox, and then they cannot be edited.

use hoso_api::ErrorCode;
use hoso_api::types::JobState;

use crate::{certified_copy_draft, change, open};

fn complete_certified_copy(hoso: &hoso_api::Hoso) -> String {
    let d = certified_copy_draft(hoso);
    assert_eq!(d.missing, 1, "only the document is missing: {:?}", d.issues);
    d.id
}

#[test]
fn only_a_complete_draft_is_finalised_and_then_it_is_frozen() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let id = complete_certified_copy(&hoso);
    let err = hoso.finalize(&id).expect_err("a document is missing");
    assert_eq!(err.code, ErrorCode::NotReady);

    hoso.add_page(&id, "van_ban", b"%PDF-1.7 hop dong", "application/pdf", "hop-dong.pdf")
        .expect("page");
    let d = hoso.finalize(&id).expect("finalize");
    assert_eq!(d.state, hoso_api::types::DossierState::Queued);
    let sending = d.sending.expect("sending");
    assert_eq!(sending.job_state, JobState::Queued);
    assert_eq!(sending.total_bytes, 17);
    assert_eq!(sending.sent_bytes, 0);
    assert!(d.timeline.iter().any(|e| e.kind == "state:queued"));
    let listed = &hoso.list_dossiers(&Default::default()).expect("list").items[0];
    assert_eq!(listed.job_state, Some(JobState::Queued));

    // Frozen: no edits, no new pages, no second finalise.
    assert_eq!(
        hoso.save_fields(&id, &[change("document.name", "Khác")]).expect_err("frozen").code,
        ErrorCode::NotEditable
    );
    assert_eq!(
        hoso.add_page(&id, "van_ban", b"x", "image/jpeg", "x.jpg").expect_err("frozen").code,
        ErrorCode::NotEditable
    );
    assert_eq!(hoso.finalize(&id).expect_err("twice").code, ErrorCode::NotEditable);

    // Taken back before it went: a draft again, editable.
    let d = hoso.unqueue(&id).expect("unqueue");
    assert_eq!(d.state, hoso_api::types::DossierState::Draft);
    assert!(d.sending.is_none());
    hoso.save_fields(&id, &[change("document.name", "Hợp đồng mua bán")]).expect("editable again");
}

#[test]
fn portal_settings_need_a_web_address_and_keep_the_token_out_of_the_database() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    if std::env::var_os("HOSO_PORTAL_URL").is_some()
        || std::env::var_os("HOSO_PORTAL_TOKEN").is_some()
    {
        return; // The environment decides; nothing to check about the settings here.
    }
    let empty = hoso.portal_settings().expect("settings");
    assert_eq!(empty.url, "");
    assert!(hoso.portal_config().expect("config").is_none());
    assert_eq!(hoso.set_portal("ftp://x", None).expect_err("scheme").code, ErrorCode::InvalidInput);
    let s = hoso.set_portal("http://127.0.0.1:8787/", Some("bi-mat-123")).expect("set");
    assert_eq!(s.url, "http://127.0.0.1:8787");
    assert_ne!(s.token_source, hoso_api::types::TokenSource::None);
    let config = hoso.portal_config().expect("config").expect("configured");
    assert_eq!(config.token, "bi-mat-123");
    drop(hoso);
    let db = std::fs::read(dir.path().join(hoso_api::DB_FILE)).expect("db");
    let wal = std::fs::read(dir.path().join("hoso.sqlite3-wal")).unwrap_or_default();
    let needle = b"bi-mat-123";
    assert!(!db.windows(needle.len()).any(|w| w == needle), "the token is in the database");
    assert!(!wal.windows(needle.len()).any(|w| w == needle), "the token is in the WAL");
}
