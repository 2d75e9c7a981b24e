//! "Quét CCCD": a card photo proposes the applicant's fields, showing what each would replace.

use hoso_api::ErrorCode;
use hoso_api::types::{CardOption, CardOptionKind};
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
    assert!(name.options.is_empty());

    // The card prints the old units: the address is offered in its new form first, as printed
    // second, then in the other communes the old one was split into.
    let address = &p.changes[4];
    let new = expected.address_new.clone().expect("generated cards print old units");
    assert_eq!(p.card.address_new.as_deref(), Some(new.as_str()));
    assert_eq!(address.proposed, new);
    assert_eq!(address.options[0], CardOption { value: new.clone(), kind: CardOptionKind::New });
    assert_eq!(
        address.options[1],
        CardOption { value: expected.address.clone(), kind: CardOptionKind::Card }
    );
    assert!(address.options[2..].iter().all(|o| o.kind == CardOptionKind::Split));

    // Once filled, nothing is left to change; the same from a page of the dossier.
    let values: Vec<_> = p.changes.iter().map(|c| change(&c.key, &c.proposed)).collect();
    hoso.save_fields(&d.id, &values).unwrap();
    let d = hoso.add_page(&d.id, "giay_chung_sinh", &photo, "image/jpeg", "cccd.jpg").unwrap();
    let page = d.components.iter().flat_map(|c| &c.pages).next().unwrap().id;
    let again = hoso.read_card_from_page(&d.id, page).unwrap();
    assert!(again.changes.is_empty(), "{:?}", again.changes);

    // The old form typed by hand is offered its new form.
    hoso.save_fields(&d.id, &[change("applicant.address", &expected.address)]).unwrap();
    let old = hoso.read_card_from_page(&d.id, page).unwrap();
    assert_eq!(old.changes.len(), 1);
    assert_eq!(
        (old.changes[0].current.as_str(), old.changes[0].proposed.as_str()),
        (expected.address.as_str(), new.as_str())
    );

    let e = hoso.read_card(&d.id, b"%PDF-1.4").unwrap_err();
    assert_eq!(e.code, ErrorCode::BadImage);
    assert!(e.message.contains("không phải ảnh"), "{}", e.message);
}

#[test]
fn the_address_picker_searches_the_new_units_and_old_addresses_get_their_new_form() {
    let dir = tempfile::tempdir().unwrap();
    let hoso = open(dir.path());
    let provinces = hoso.unit_provinces();
    assert_eq!(provinces.len(), 34);
    assert_eq!(provinces.iter().map(|p| p.communes).sum::<u32>(), 3321);
    let hits = hoso.unit_search("lung cu", Some("08"));
    assert_eq!(hits[0].commune, "Xã Lũng Cú");
    assert_eq!(hits[0].province, "Tỉnh Tuyên Quang");
    assert!(hoso.unit_search("", None).len() <= 60);

    let a = hoso.address_new("Ngõ 45, phường Ô Chợ Dừa, quận Đống Đa, thành phố Hà Nội").unwrap();
    assert_eq!(a.address, "Ngõ 45, Phường Ô Chợ Dừa, Thành phố Hà Nội");
    assert_eq!(a.detail, "Ngõ 45");
    assert_eq!(a.old, "Phường Ô Chợ Dừa, Quận Đống Đa, Thành phố Hà Nội");
    assert_eq!(a.split, ["Ngõ 45, Phường Đống Đa, Thành phố Hà Nội"]);
    assert_eq!(hoso.address_new("Ngõ 45, Phường Ô Chợ Dừa, Thành phố Hà Nội"), None);
}
