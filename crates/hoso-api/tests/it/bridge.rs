//! Photos sent from a phone through the bridge land in the chosen paper of the dossier.

use std::sync::Arc;

use hoso_api::ErrorCode;
use hoso_api::types::ScanState;

use crate::{certified_copy_draft, open};

fn post(url: &str, name: &str, body: &[u8]) -> (u16, String) {
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut r = agent
        .post(&format!("{url}up"))
        .header("X-File-Name", name)
        .header("User-Agent", "Mozilla/5.0 (Linux; Android 13; SM-A515F)")
        .send(body)
        .expect("the bridge answers");
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap_or_default())
}

#[test]
fn a_phone_photo_lands_in_the_chosen_paper_until_the_bridge_closes() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = Arc::new(open(dir.path()));
    let id = certified_copy_draft(&hoso).id;
    let jpeg = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../hoso-scan/tests/fixtures/p003_normal.jpg"
    ))
    .expect("fixture photo");

    let status = hoso.bridge_open(&id, "van_ban", Some("127.0.0.1")).expect("open");
    assert!(status.url.starts_with("http://127.0.0.1:"));
    assert!(status.qr_svg.starts_with("<?xml") && status.qr_svg.contains("<svg"));
    assert!(status.only_this_computer);
    assert!((890..=900).contains(&status.expires_in_s), "15 minutes");

    let (code, body) = post(&status.url, "IMG_0001.jpg", &jpeg);
    assert_eq!(code, 201, "{body}");
    let d = hoso.dossier(&id).expect("dossier");
    let pages = &d.components.iter().find(|c| c.code == "van_ban").expect("component").pages;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].original_name, "IMG_0001.jpg");
    assert_eq!(pages[0].scan_state, ScanState::Pending, "made into a page by the app's queue");
    let status = hoso.bridge_status().expect("open");
    assert_eq!(status.received, 1);
    assert_eq!(status.phones.len(), 1);
    assert_eq!(status.phones[0].label, "Android · SM-A515F");

    // Finalised meanwhile: the phone is told why, in Vietnamese.
    hoso.finalize(&id).expect("finalise");
    let (code, body) = post(&status.url, "IMG_0002.jpg", &jpeg);
    assert_eq!(code, 409);
    assert!(body.contains("đã chốt để gửi"), "{body}");

    // And a dossier that is not a draft cannot open a bridge.
    let e = hoso.bridge_open(&id, "van_ban", Some("127.0.0.1")).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotEditable);
    assert!(hoso.bridge_status().is_some(), "a refused open leaves the open bridge alone");
}

#[test]
fn closing_the_bridge_closes_its_port_and_only_this_computer_addresses_are_taken() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = Arc::new(open(dir.path()));
    let id = certified_copy_draft(&hoso).id;
    let e = hoso.bridge_open(&id, "van_ban", Some("8.8.8.8")).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    let e = hoso.bridge_open(&id, "no_such_paper", Some("127.0.0.1")).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownComponent);

    let first = hoso.bridge_open(&id, "van_ban", Some("127.0.0.1")).expect("open");
    let again = hoso.bridge_open(&id, "van_ban", Some("127.0.0.1")).expect("reopen");
    assert_ne!(first.url, again.url, "a new code each time");
    let old: std::net::SocketAddr =
        first.url.trim_start_matches("http://").split('/').next().unwrap().parse().unwrap();
    assert!(std::net::TcpStream::connect(old).is_err(), "the old code's server is gone");
    assert_eq!(hoso.bridge_cut_off(42).unwrap_err().code, ErrorCode::NotFound);
    hoso.bridge_close();
    assert!(hoso.bridge_status().is_none());
    let addr: std::net::SocketAddr =
        again.url.trim_start_matches("http://").split('/').next().unwrap().parse().unwrap();
    assert!(std::net::TcpStream::connect(addr).is_err());
    hoso.bridge_close();
}

#[test]
fn card_photos_from_the_phone_are_read_and_proposed_and_a_photo_without_a_card_is_refused() {
    use hoso_cccd::synth::{Difficulty, Rng, card_photo, card_text};
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = Arc::new(open(dir.path()));
    let id = hoso.create_dossier("1.001193", &[]).expect("draft").id;
    let status = hoso.bridge_open_card(&id, Some("127.0.0.1")).expect("open");
    assert_eq!(status.component, "");
    assert_eq!((status.cards_read, status.card.is_some()), (0, false));

    // A page with no card code: the phone is told to retake it.
    let page = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../hoso-scan/tests/fixtures/p003_normal.jpg"
    ))
    .expect("fixture photo");
    let (code, body) = post(&status.url, "IMG_0001.jpg", &page);
    assert_eq!(code, 409, "{body}");
    assert!(body.contains("Không tìm thấy mã QR"), "{body}");
    assert_eq!(hoso.bridge_status().expect("open").cards_read, 0);

    let text = card_text(&mut Rng::new(21));
    let (code, body) =
        post(&status.url, "IMG_0002.jpg", &card_photo(&text, 21, Difficulty::Realistic));
    assert_eq!(code, 201, "{body}");
    let status = hoso.bridge_status().expect("open");
    assert_eq!(status.cards_read, 1);
    let card = status.card.expect("a card read");
    assert_eq!(card.card.id_number, hoso_cccd::parse(&text).unwrap().id_number);
    assert_eq!(card.changes.len(), 5, "an empty applicant block: every field proposed");
    // The card photo is not kept in the dossier.
    let d = hoso.dossier(&id).expect("dossier");
    assert!(d.components.iter().all(|c| c.pages.is_empty()));
    hoso.bridge_close();
}

#[test]
fn a_guided_session_takes_the_card_then_each_photo_into_the_paper_it_is_aimed_at() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = Arc::new(open(dir.path()));
    let id = hoso.create_dossier("1.001193", &[]).expect("birth draft").id;
    let card = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../hoso-cccd/tests/fixtures/cccd-front.jpg"
    ))
    .expect("card photo");
    let photo = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../hoso-scan/tests/fixtures/p003_normal.jpg"
    ))
    .expect("fixture photo");
    let pages = |code: &str| {
        hoso.dossier(&id)
            .expect("dossier")
            .components
            .iter()
            .find(|c| c.code == code)
            .map_or(0, |c| c.pages.len())
    };

    // Not a guided bridge: its aim cannot change.
    hoso.bridge_open(&id, "to_khai", Some("127.0.0.1")).expect("open");
    assert_eq!(hoso.bridge_aim(&id, "card").unwrap_err().code, ErrorCode::NotFound);

    let s = hoso.bridge_open_guided(&id, "card", Some("127.0.0.1")).expect("open guided");
    assert!(s.guided);
    assert_eq!((s.aim.as_str(), s.component.as_str()), ("card", ""));
    // A photo that is not a card is refused with the reader's advice; the card is read.
    let (code, body) = post(&s.url, "not-a-card.jpg", &photo);
    assert_eq!(code, 409, "{body}");
    assert!(body.contains("Không tìm thấy mã QR"), "{body}");
    let (code, body) = post(&s.url, "the.jpg", &card);
    assert_eq!(code, 201, "{body}");
    let s = hoso.bridge_status().expect("open");
    assert_eq!(s.cards_read, 1);
    assert!(s.card.is_some());

    // "auto": the first required paper without a page, in the procedure's order.
    let s = hoso.bridge_aim(&id, "auto").expect("aim");
    assert_eq!((s.aim.as_str(), s.component.as_str()), ("auto", "to_khai"));
    assert_eq!(post(&s.url, "a.jpg", &photo).0, 201);
    let s = hoso.bridge_status().expect("open");
    assert_eq!(s.component, "giay_chung_sinh", "the next photo goes to the next missing paper");
    assert_eq!(post(&s.url, "b.jpg", &photo).0, 201);
    assert_eq!((pages("to_khai"), pages("giay_chung_sinh")), (1, 1));
    // Then the optional paper; and a paper chosen by hand.
    assert_eq!(hoso.bridge_status().expect("open").component, "uy_quyen");
    let s = hoso.bridge_aim(&id, "to_khai").expect("aim");
    assert_eq!(post(&s.url, "c.jpg", &photo).0, 201);
    assert_eq!(pages("to_khai"), 2);
    assert_eq!(hoso.bridge_aim(&id, "nope").unwrap_err().code, ErrorCode::UnknownComponent);
    hoso.bridge_close();
}
