//! Photos in a dossier: made into pages, adjusted by hand, reordered, removed and restored, and
//! sent as one PDF per component.

use hoso_api::ErrorCode;
use hoso_api::types::{PageEdit, ScanMode, ScanState};

use crate::{certified_copy_draft, open};

fn photo() -> Vec<u8> {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/../hoso-scan/tests/fixtures/p003_normal.jpg");
    std::fs::read(p).expect("fixture photo")
}

fn draft(hoso: &hoso_api::Hoso) -> String {
    certified_copy_draft(hoso).id
}

fn pages(d: &hoso_api::types::Dossier) -> Vec<hoso_api::types::PageInfo> {
    d.components.iter().find(|c| c.code == "van_ban").map(|c| c.pages.clone()).unwrap_or_default()
}

fn is_jpeg(b: &[u8]) -> bool {
    b.starts_with(&[0xFF, 0xD8, 0xFF]) && b.ends_with(&[0xFF, 0xD9])
}

#[test]
fn a_photo_becomes_a_clean_a4_page_and_can_be_adjusted_by_hand() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let id = draft(&hoso);
    let jpeg = photo();
    let d = hoso.add_page(&id, "van_ban", &jpeg, "image/jpeg", "to-1.jpg").expect("add");
    let p = &pages(&d)[0];
    assert_eq!(p.scan_state, ScanState::Pending);
    assert_eq!(hoso.pending_pages(&id).expect("pending"), vec![p.id]);

    let d = hoso.scan_page(&id, p.id, None).expect("scan");
    let p = pages(&d)[0].clone();
    assert_eq!(p.scan_state, ScanState::Done);
    let s = p.scan.clone().expect("scan info");
    assert_eq!((s.width, s.height, s.dpi), (1654, 2339, 200), "A4 at 200 dpi");
    assert!(s.detected);
    assert_eq!(s.kind, "a4");
    assert_ne!(s.used, ScanMode::Auto);
    assert!(s.bytes > 1000 && s.bytes < 200_000, "page of {} bytes", s.bytes);
    assert!(s.bytes * 5 < jpeg.len() as i64, "the page is far smaller than the photo");
    assert_eq!(p.byte_size, jpeg.len() as i64, "the original is kept as it is");
    assert!(hoso.pending_pages(&id).expect("pending").is_empty());
    let thumb = hoso.page_thumbnail(&id, p.id).expect("thumb");
    assert!(is_jpeg(&thumb) && thumb.len() < 40_000, "thumbnail of {} bytes", thumb.len());
    let preview = hoso.page_photo(&id, p.id).expect("preview");
    assert!(is_jpeg(&preview));

    // Turned a quarter: landscape, same outline.
    let turned = PageEdit { mode: ScanMode::Gray, corners: Some(s.corners), turn: 1 };
    let d = hoso.scan_page(&id, p.id, Some(&turned)).expect("turn");
    let t = pages(&d)[0].scan.clone().expect("scan");
    assert_eq!((t.width, t.height), (2339, 1654));
    assert_eq!(t.used, ScanMode::Gray);
    assert_eq!(t.encoding, "gray4", "a text page in grey: four levels, losslessly");
    assert!(!t.detected);
    assert_eq!(t.corners[0], s.corners[3], "the old bottom-left is the new top-left");

    // Undo the crop: the whole photo.
    let (w, h) = (f64::from(s.photo_width), f64::from(s.photo_height));
    let whole = PageEdit {
        mode: ScanMode::Bw,
        corners: Some([[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]]),
        turn: 0,
    };
    let d = hoso.scan_page(&id, p.id, Some(&whole)).expect("whole");
    let u = pages(&d)[0].scan.clone().expect("scan");
    assert_eq!(u.corners, [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]]);
    assert_eq!(u.encoding, "g4");

    // Found again automatically: the same page as the first time.
    let d = hoso.scan_page(&id, p.id, None).expect("auto again");
    assert_eq!(pages(&d)[0].scan.clone().expect("scan").corners, s.corners);

    // The component's PDF: one A4 page, the same bytes every time.
    let pdf = hoso.component_pdf(&id, "van_ban").expect("pdf").expect("has pages");
    assert!(pdf.starts_with(b"%PDF-"));
    // Made again in the same process (printpdf's own names would differ): the same bytes.
    let again = hoso.component_pdf(&id, "van_ban").expect("pdf").expect("again");
    assert!(again == pdf, "the component's PDF differs between two runs");
    let text = String::from_utf8_lossy(&pdf);
    let images = text.matches("/Subtype/Image").count() + text.matches("/Subtype /Image").count();
    assert_eq!(images, 1, "one page image");
    assert_eq!(hoso.component_pdf(&id, "giay_to_khac").expect("none"), None);
}

#[test]
fn pages_are_reordered_removed_with_undo_and_sent_as_one_pdf() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let id = draft(&hoso);
    let jpeg = photo();
    hoso.add_page(&id, "van_ban", &jpeg, "image/jpeg", "a.jpg").expect("a");
    hoso.add_page(&id, "van_ban", b"%PDF-1.7 phu luc", "application/pdf", "b.pdf").expect("b");
    let d = hoso
        .add_page(&id, "van_ban", b"\xFF\xD8\xFF not really", "image/jpeg", "c.jpg")
        .expect("c");
    let ids: Vec<i64> = pages(&d).iter().map(|p| p.id).collect();
    assert_eq!(pages(&d)[1].scan_state, ScanState::NotImage);

    // A photo that cannot be read keeps its page, with the reason in Vietnamese.
    let err = hoso.scan_page(&id, ids[2], None).expect_err("broken photo");
    assert_eq!(err.code, ErrorCode::BadImage);
    let d = hoso.dossier(&id).expect("d");
    let c = &pages(&d)[2];
    assert_eq!(c.scan_state, ScanState::Failed);
    assert!(c.scan_error.as_deref().is_some_and(|e| e.contains("ảnh")), "{:?}", c.scan_error);
    assert_eq!(hoso.pending_pages(&id).expect("pending"), vec![ids[0]], "a failure is not retried");

    // Last to first.
    let d = hoso.move_page(&id, ids[2], 0).expect("move");
    assert_eq!(pages(&d).iter().map(|p| p.id).collect::<Vec<_>>(), vec![ids[2], ids[0], ids[1]]);
    // Removed, then put back in its place.
    let d = hoso.remove_page(&id, ids[2]).expect("remove");
    assert_eq!(pages(&d).iter().map(|p| p.id).collect::<Vec<_>>(), vec![ids[0], ids[1]]);
    let d = hoso.restore_page(&id, ids[2]).expect("restore");
    assert_eq!(pages(&d).iter().map(|p| p.id).collect::<Vec<_>>(), vec![ids[2], ids[0], ids[1]]);
    hoso.remove_page(&id, ids[2]).expect("remove again");
    assert_eq!(hoso.remove_page(&id, 9999).expect_err("no such page").code, ErrorCode::NotFound);

    // Finalising makes the photo waiting in line into a page, and the component goes as one
    // PDF of its scanned pages, plus the attached PDF as it is.
    let d = hoso.finalize(&id).expect("finalize");
    let scanned = pages(&d)[0].scan.clone().expect("made at finalising");
    let sending = d.sending.expect("sending");
    assert!(
        sending.total_bytes < scanned.bytes + 16 + 20_000,
        "{} bytes to send",
        sending.total_bytes
    );
    assert!(sending.total_bytes > scanned.bytes);
    let store = hoso_store::Store::open(dir.path()).expect("store");
    let job = store.job(&id).expect("job").expect("queued");
    let body: serde_json::Value = serde_json::from_str(&job.payload).expect("json");
    let files = body["files"].as_array().expect("files");
    let kinds: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f["name"].as_str().unwrap_or(""), f["mediaType"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(kinds, vec![("van_ban.pdf", "application/pdf"), ("b.pdf", "application/pdf")]);
}

#[test]
fn a_card_photographed_for_a_form_is_flagged_as_the_wrong_paper() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let card = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../hoso-scan/tests/fixtures/p028_idcard.jpg"
    ))
    .expect("card photo");
    // The birth registration's form is a sheet: a card there is the wrong paper.
    let birth = hoso.create_dossier("1.001193", &[]).expect("birth draft").id;
    let d = hoso.add_page(&birth, "to_khai", &card, "image/jpeg", "the.jpg").expect("add");
    let page = d.components.iter().find(|c| c.code == "to_khai").expect("to_khai").pages[0].id;
    let d = hoso.scan_page(&birth, page, None).expect("scan");
    let s = d.components.iter().find(|c| c.code == "to_khai").expect("to_khai").pages[0]
        .scan
        .clone()
        .expect("scan");
    assert_eq!(s.kind, "id_card");
    assert!(s.flags.contains(&"wrong_paper".to_owned()), "{:?}", s.flags);
    // The same photo of an A4 form there is fine; and any paper may be a card where the
    // catalogue does not say what the paper looks like ("any").
    let d = hoso.add_page(&birth, "to_khai", &photo(), "image/jpeg", "form.jpg").expect("add");
    let page = d.components.iter().find(|c| c.code == "to_khai").expect("to_khai").pages[1].id;
    let d = hoso.scan_page(&birth, page, None).expect("scan");
    let s = d.components.iter().find(|c| c.code == "to_khai").expect("to_khai").pages[1]
        .scan
        .clone()
        .expect("scan");
    assert!(!s.flags.contains(&"wrong_paper".to_owned()), "{:?}", s.flags);
    let copy = draft(&hoso);
    let d = hoso.add_page(&copy, "van_ban", &card, "image/jpeg", "card.jpg").expect("add");
    let d = hoso.scan_page(&copy, pages(&d)[0].id, None).expect("scan");
    let s = pages(&d)[0].scan.clone().expect("scan");
    assert_eq!(s.kind, "id_card");
    assert!(!s.flags.contains(&"wrong_paper".to_owned()), "{:?}", s.flags);
}
