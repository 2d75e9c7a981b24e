//! A paper's photo read to fill the form: the birth certificate of a birth registration.

use crate::{change, open};

fn certificate_photo() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/giay-chung-sinh.jpg"))
        .expect("fixture")
}

#[test]
fn a_birth_certificate_photo_proposes_the_childs_details_and_the_mother_as_applicant() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let d = hoso
        .create_dossier(
            "1.001193",
            &[change("applicant.full_name", "LÒ THỊ MAI"), change("child.sex", "Nam")],
        )
        .expect("draft");
    let d = hoso
        .add_page(&d.id, "giay_chung_sinh", &certificate_photo(), "image/jpeg", "gcs.jpg")
        .expect("add");
    let page =
        d.components.iter().find(|c| c.code == "giay_chung_sinh").expect("paper").pages[0].id;
    // Not made into a page yet: nothing to read.
    assert_eq!(
        hoso.read_paper(&d.id, page).expect_err("not scanned").code,
        hoso_api::ErrorCode::NotReady
    );
    let scanned = hoso.scan_page(&d.id, page, None).expect("scan");
    let s = scanned.components.iter().find(|c| c.code == "giay_chung_sinh").expect("paper").pages
        [0]
    .scan
    .clone()
    .expect("scan");
    assert!(!s.flags.contains(&"wrong_paper".to_owned()), "{:?}", s.flags);

    let reading = hoso.read_paper(&d.id, page).expect("read");
    assert_eq!(reading.component, "giay_chung_sinh");
    let got: Vec<(&str, &str, &str)> = reading
        .changes
        .iter()
        .map(|c| (c.key.as_str(), c.current.as_str(), c.proposed.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("child.mother_name", "", "Lò Thị Mai"),
            ("child.ethnicity", "", "Lô Lô"),
            ("child.dob", "", "01/11/2026"),
            ("child.birth_place", "", "Trạm y tế xã Lũng Cú"),
            ("child.full_name", "", "Lò Văn Páo"),
            // The applicant's name is the mother's, written in capitals.
            ("applicant.relationship", "", "Mẹ"),
        ],
        "the sex was already Nam, so it is not proposed"
    );
    // Made into a grey page instead (four grey levels), it reads the same.
    let grey = hoso_api::types::PageEdit {
        mode: hoso_api::types::ScanMode::Gray,
        corners: Some(s.corners),
        turn: 0,
    };
    let d2 = hoso.scan_page(&d.id, page, Some(&grey)).expect("grey");
    let g = d2.components.iter().find(|c| c.code == "giay_chung_sinh").expect("paper").pages[0]
        .scan
        .clone()
        .expect("scan");
    assert_eq!(g.encoding, "gray4");
    let again = hoso.read_paper(&d.id, page).expect("read grey");
    let proposed: Vec<&str> = again.changes.iter().map(|c| c.proposed.as_str()).collect();
    assert_eq!(proposed, got.iter().map(|c| c.2).collect::<Vec<_>>());
    // Only papers HoSo knows how to read are read.
    let d =
        hoso.add_page(&d.id, "to_khai", &certificate_photo(), "image/jpeg", "tk.jpg").expect("add");
    let other = d.components.iter().find(|c| c.code == "to_khai").expect("paper").pages[0].id;
    assert_eq!(
        hoso.read_paper(&d.id, other).expect_err("not readable").code,
        hoso_api::ErrorCode::InvalidInput
    );
}
