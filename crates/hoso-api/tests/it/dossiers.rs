//! Drafts through the façade: create, autosave with validation, list, search, trash, duplicate.

use hoso_api::ErrorCode;
use hoso_api::types::{DossierState, IssueCode, ListQuery};
use unicode_normalization_check::is_nfc;

use crate::{change, open};

mod unicode_normalization_check {
    /// NFC text has no combining marks that could have been composed; for these Vietnamese
    /// samples that means no U+0300–U+036F at all.
    pub fn is_nfc(s: &str) -> bool {
        !s.chars().any(|c| ('\u{0300}'..='\u{036F}').contains(&c))
    }
}

fn list(hoso: &hoso_api::Hoso, query: &str, trash: bool) -> Vec<String> {
    hoso.list_dossiers(&ListQuery { query: query.into(), trash, ..Default::default() })
        .expect("list")
        .items
        .into_iter()
        .map(|i| i.id)
        .collect()
}

#[test]
fn a_draft_is_created_autosaved_validated_and_found_after_reopening() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let d = hoso
        .create_dossier("1.001193", &[change("applicant.full_name", "Nguyễn Văn An")])
        .expect("create");
    assert_eq!(d.id.len(), 36);
    assert_eq!(&d.id[14..15], "7", "UUIDv7");
    assert_eq!(d.state, DossierState::Draft);
    assert_eq!(d.title, "Nguyễn Văn An");
    assert!(d.procedure.is_some());
    // Everything required but the name is missing, plus the required documents.
    let required_fields = d
        .procedure
        .as_ref()
        .expect("p")
        .sections
        .iter()
        .flat_map(|s| &s.fields)
        .filter(|f| f.required)
        .count();
    let required_docs = d.components.iter().filter(|c| c.missing).count();
    assert_eq!(required_docs, 2);
    assert_eq!(d.missing as usize, required_fields - 1 + required_docs);

    let out = hoso
        .save_fields(
            &d.id,
            &[
                change("applicant.cccd", "001090012345"),
                change("applicant.dob", "05/09/1990"),
                change("applicant.sex", "Nữ"),
            ],
        )
        .expect("save");
    let cccd_issue = out.issues.iter().find(|i| i.key == "applicant.cccd").map(|i| i.code);
    assert_eq!(cccd_issue, Some(IssueCode::CccdSex), "the 4th digit says a man");
    let out = hoso.save_fields(&d.id, &[change("applicant.cccd", "001190012345")]).expect("fix");
    assert!(out.issues.iter().all(|i| i.key != "applicant.cccd"));
    assert_eq!(out.missing as usize, required_fields - 4 + required_docs);

    // Decomposed input from some keyboards is stored composed.
    let nfd = "Nguye\u{0302}\u{0303}n Thi\u{0323} Hoa";
    hoso.save_fields(&d.id, &[change("child.mother_name", nfd)]).expect("nfd");
    drop(hoso);

    let hoso = open(dir.path());
    let again = hoso.dossier(&d.id).expect("reopen");
    assert_eq!(again.values["applicant.cccd"], "001190012345");
    assert_eq!(again.values["child.mother_name"], "Nguyễn Thị Hoa");
    assert!(is_nfc(&again.values["child.mother_name"]));
    assert_eq!(again.missing, out.missing - 1);
    assert_eq!(list(&hoso, "", false), [d.id.as_str()]);
    assert_eq!(list(&hoso, "nguyen thi hoa", false), [d.id.as_str()]);
    assert_eq!(list(&hoso, "NGUYỄN văn an", false), [d.id.as_str()]);
    assert_eq!(list(&hoso, "khai sinh", false), [d.id.as_str()]);
    assert_eq!(list(&hoso, "001190012345", false), [d.id.as_str()]);
    assert!(list(&hoso, "tran", false).is_empty());
    let item = &hoso.list_dossiers(&ListQuery::default()).expect("list").items[0];
    assert_eq!((item.procedure_name.as_str(), item.missing), ("Đăng ký khai sinh", again.missing));
}

#[test]
fn bad_requests_get_their_codes_and_change_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    assert_eq!(
        hoso.create_dossier("0.000000", &[]).expect_err("proc").code,
        ErrorCode::UnknownProcedure
    );
    let d = hoso.create_dossier("2.000815", &[]).expect("create");
    let err = hoso.save_fields(&d.id, &[change("child.full_name", "x")]).expect_err("field");
    assert_eq!(err.code, ErrorCode::UnknownField);
    let err =
        hoso.save_fields(&d.id, &[change("document.name", &"a".repeat(10_001))]).expect_err("long");
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(hoso.save_fields("nope", &[]).expect_err("id").code, ErrorCode::NotFound);
    assert_eq!(hoso.dossier("nope").expect_err("id").code, ErrorCode::NotFound);
    // A failed batch saves none of its changes.
    let err = hoso
        .save_fields(&d.id, &[change("document.name", "Bằng tốt nghiệp"), change("nope.nope", "x")])
        .expect_err("batch");
    assert_eq!(err.code, ErrorCode::UnknownField);
    assert!(hoso.dossier(&d.id).expect("d").values.is_empty());
    let err = hoso.add_page(&d.id, "nope", b"x", "image/jpeg", "a.jpg").expect_err("component");
    assert_eq!(err.code, ErrorCode::UnknownComponent);
}

#[test]
fn hostile_text_is_kept_as_text() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let long = "Ư".repeat(500);
    let d = hoso
        .create_dossier(
            "2.000884",
            &[
                change("applicant.full_name", "<script>alert(1)</script>"),
                change("document.name", &long),
            ],
        )
        .expect("create");
    assert_eq!(d.title, "<script>alert(1)</script>");
    assert_eq!(d.values["document.name"], long);
    assert!(
        d.issues.iter().any(|i| i.key == "applicant.full_name" && i.code == IssueCode::NameChars)
    );
    let out = hoso.save_fields(&d.id, &[change("applicant.full_name", "Hoa 🌸")]).expect("emoji");
    assert_eq!(out.title, "Hoa 🌸");
    assert_eq!(list(&hoso, "hoa", false), [d.id.as_str()]);
}

#[test]
fn trash_restore_purge_and_duplicate() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let a =
        hoso.create_dossier("1.004873", &[change("applicant.full_name", "Lý Thị Mỷ")]).expect("a");
    let b = hoso.duplicate_dossier(&a.id).expect("dup");
    assert_ne!(a.id, b.id);
    assert_eq!(b.values, a.values);
    assert_eq!(list(&hoso, "", false), [b.id.as_str(), a.id.as_str()]);
    hoso.trash_dossier(&a.id).expect("trash");
    assert_eq!(list(&hoso, "", false), [b.id.as_str()]);
    assert_eq!(list(&hoso, "", true), [a.id.as_str()]);
    assert_eq!(hoso.save_fields(&a.id, &[]).expect_err("trashed").code, ErrorCode::NotFound);
    assert!(hoso.dossier(&a.id).expect("still readable").deleted_at.is_some());
    hoso.restore_dossier(&a.id).expect("restore");
    assert_eq!(list(&hoso, "", true), Vec::<String>::new());
    hoso.trash_dossier(&b.id).expect("trash b");
    hoso.purge_dossier(&b.id).expect("purge");
    assert_eq!(hoso.dossier(&b.id).expect_err("gone").code, ErrorCode::NotFound);
}

#[test]
fn attaching_a_required_document_ticks_it_off_the_checklist() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let d = hoso.create_dossier("2.000884", &[]).expect("create");
    let before = d.missing;
    assert!(d.components[0].missing);
    let d = hoso
        .add_page(&d.id, "van_ban", b"\xFF\xD8\xFF fake jpeg", "image/jpeg", "anh 1.jpg")
        .expect("add");
    assert!(!d.components[0].missing);
    assert_eq!(d.components[0].pages.len(), 1);
    assert_eq!(d.components[0].pages[0].original_name, "anh 1.jpg");
    assert_eq!(d.missing, before - 1);
    let listed = &hoso.list_dossiers(&ListQuery::default()).expect("list").items[0];
    assert_eq!(listed.missing, d.missing);
}
