//! Fees worked out offline before sending, sent with the dossier, and how the result comes back.

use hoso_api::ErrorCode;
use hoso_api::types::FeeKind;

use crate::{certified_copy_draft, change, open};

#[test]
fn the_fee_is_worked_out_from_the_form_and_goes_with_the_dossier() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());

    // Certified copies: by page and copy, with the cap.
    let d = hoso
        .create_dossier(
            "2.000815",
            &[change("document.pages", "3"), change("document.copies", "2")],
        )
        .expect("create");
    assert_eq!(
        (d.fee.kind, d.fee.total, d.fee.total_text.as_str()),
        (FeeKind::Amount, 10_000, "10.000đ")
    );
    let labels: Vec<&str> = d.fee.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Trang 1–2: 2 trang × 2.000đ", "Từ trang 3: 1 trang × 1.000đ", "Thêm 1 bản × 5.000đ"]
    );
    hoso.save_fields(&d.id, &[change("document.pages", "250")]).expect("save");
    let fee = hoso.fee(&d.id).expect("fee");
    assert_eq!(fee.total, 400_000, "200.000đ a copy at most, two copies");
    hoso.save_fields(&d.id, &[change("document.pages", "")]).expect("save");
    assert_eq!(hoso.fee(&d.id).expect("fee").kind, FeeKind::Incomplete);

    // Birth registration: free on time; the province sets it when late.
    let birth =
        hoso.create_dossier("1.001193", &[change("child.dob", "01/10/2026")]).expect("create");
    assert_eq!(birth.fee.kind, FeeKind::Free, "{:?}", birth.fee);
    let late =
        hoso.create_dossier("1.001193", &[change("child.dob", "01/01/2020")]).expect("create");
    assert_eq!(late.fee.kind, FeeKind::Province);
    assert!(late.fee.note.contains("quá hạn"), "{}", late.fee.note);

    // A fixed fee goes in the frozen body; no payment request until the portal makes one.
    let sig = certified_copy_draft(&hoso);
    assert_eq!((sig.fee.kind, sig.fee.total), (FeeKind::Amount, 10_000));
    hoso.add_page(&sig.id, "van_ban", b"%PDF-1.7 x", "application/pdf", "x.pdf").expect("page");
    let queued = hoso.finalize(&sig.id).expect("finalize");
    assert_eq!(queued.fee.total, 10_000);
    assert!(queued.payment.is_none());
    assert_eq!(hoso.payment(&sig.id).expect_err("none yet").code, ErrorCode::NotReady);
    let store = hoso_store::Store::open(dir.path()).expect("store");
    let job =
        store.jobs().expect("jobs").into_iter().find(|j| j.dossier_id == sig.id).expect("job");
    let body: serde_json::Value = serde_json::from_str(&job.payload).expect("json");
    assert_eq!(body["fee"]["total"], 10_000);
    assert_eq!(body["fee"]["lines"][0]["label"], "Lệ phí chứng thực chữ ký");
}

#[test]
fn the_result_comes_back_at_the_desk_by_post_or_as_a_download() {
    let dir = tempfile::tempdir().expect("tmp");
    let hoso = open(dir.path());
    let d = certified_copy_draft(&hoso);
    hoso.add_page(&d.id, "van_ban", b"%PDF-1.7 x", "application/pdf", "x.pdf").expect("page");
    let e = hoso.save_fields(&d.id, &[change("delivery.method", "pigeon")]).expect_err("unknown");
    assert_eq!(e.code, ErrorCode::InvalidInput);
    hoso.save_fields(&d.id, &[change("delivery.method", "post")]).expect("save");
    // By post needs an address.
    assert_eq!(hoso.finalize(&d.id).expect_err("no address").code, ErrorCode::NotReady);
    hoso.save_fields(&d.id, &[change("delivery.address", "Thôn 3, Xã Tả Van, Tỉnh Lào Cai")])
        .expect("save");
    let queued = hoso.finalize(&d.id).expect("finalize");
    assert_eq!(queued.values["delivery.method"], "post");
    let store = hoso_store::Store::open(dir.path()).expect("store");
    let job = store.jobs().expect("jobs").into_iter().next().expect("job");
    let body: serde_json::Value = serde_json::from_str(&job.payload).expect("json");
    assert_eq!(body["values"]["delivery.address"], "Thôn 3, Xã Tả Van, Tỉnh Lào Cai");
}
