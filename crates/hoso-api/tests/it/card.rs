//! "Quét CCCD": a card photo proposes the applicant's fields, showing what each would replace.

use hoso_api::ErrorCode;
use hoso_cccd::synth::{Difficulty, Rng, card_photo, card_text};

use crate::{change, open};

#[test]
fn a_card_photo_proposes_the_applicant_fields_with_what_they_replace() {
    let dir = tempfile::tempdir().unwrap();
    let hoso = open(dir.path());
    let d = hoso
        .create_dossier(
            "1.001193",
            &[change("applicant.full_name", "Tên gõ tay"), change("applicant.phone", "0912345678")],
        )
        .unwrap();
    let text = card_text(&mut Rng::new(11));
    let photo = card_photo(&text, 11, Difficulty::Realistic);
    let expected = hoso_cccd::parse(&text).unwrap();

    let p = hoso.read_card(&d.id, &photo).unwrap();
    assert_eq!(p.card.id_number, expected.id_number);
    let iso: Vec<&str> = expected.date_of_birth.split('-').collect();
    assert_eq!(p.card.date_of_birth, format!("{}/{}/{}", iso[2], iso[1], iso[0]));
    let keys: Vec<&str> = p.changes.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "applicant.full_name",
            "applicant.cccd",
            "applicant.dob",
            "applicant.sex",
            "applicant.address"
        ]
    );
    let name = &p.changes[0];
    assert_eq!(
        (name.current.as_str(), name.proposed.as_str()),
        ("Tên gõ tay", expected.full_name.as_str())
    );
    assert_eq!(name.label, "Họ, chữ đệm và tên");
    assert!(p.changes[1].current.is_empty());

    // Once filled, nothing is left to change; the same from a page of the dossier.
    let values: Vec<_> = p.changes.iter().map(|c| change(&c.key, &c.proposed)).collect();
    hoso.save_fields(&d.id, &values).unwrap();
    let d = hoso.add_page(&d.id, "giay_chung_sinh", &photo, "image/jpeg", "cccd.jpg").unwrap();
    let page = d.components.iter().flat_map(|c| &c.pages).next().unwrap().id;
    let again = hoso.read_card_from_page(&d.id, page).unwrap();
    assert!(again.changes.is_empty(), "{:?}", again.changes);

    let e = hoso.read_card(&d.id, b"%PDF-1.4").unwrap_err();
    assert_eq!(e.code, ErrorCode::BadImage);
    assert!(e.message.contains("không phải ảnh"), "{}", e.message);
}
