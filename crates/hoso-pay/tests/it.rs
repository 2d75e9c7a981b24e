//! The payload against its specification's fields, the QR image read back by a decoder that
//! did not write it (rqrr), and the payload read by an independent VietQR library
//! (`vietnam-qr-pay` from PyPI, MIT, run in Python by this test).

use std::process::Command;

use hoso_pay::{Transfer, crc16, payload, qr_png};

const TRANSFER: Transfer<'static> = Transfer {
    bank_bin: "970415",
    account: "113366668888",
    amount: 15_000,
    purpose: "HOSO HS2511220001",
};

/// Splits one level of ID-length-value fields.
fn tlv(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    while rest.len() >= 4 {
        let id = rest[..2].to_owned();
        let len: usize = rest[2..4].parse().expect("a 2-digit length");
        out.push((id, rest[4..4 + len].to_owned()));
        rest = &rest[4 + len..];
    }
    assert!(rest.is_empty(), "trailing {rest:?}");
    out
}

#[test]
fn the_payload_has_napas_fields_and_a_correct_crc() {
    let p = payload(&TRANSFER).unwrap();
    let top = tlv(&p);
    let get = |id: &str| top.iter().find(|(i, _)| i == id).map(|(_, v)| v.clone()).unwrap();
    assert_eq!(get("00"), "01");
    assert_eq!(get("01"), "12");
    let merchant = tlv(&get("38"));
    assert_eq!(merchant[0], ("00".into(), "A000000727".into()));
    assert_eq!(
        tlv(&merchant[1].1),
        vec![("00".into(), "970415".into()), ("01".into(), "113366668888".into())]
    );
    assert_eq!(merchant[2], ("02".into(), "QRIBFTTA".into()));
    assert_eq!(get("53"), "704");
    assert_eq!(get("54"), "15000");
    assert_eq!(get("58"), "VN");
    assert_eq!(tlv(&get("62")), vec![("08".into(), "HOSO HS2511220001".into())]);
    let crc = get("63");
    assert_eq!(crc, format!("{:04X}", crc16(&p.as_bytes()[..p.len() - 4])));
    // One changed digit breaks the CRC.
    let tampered = p.replacen("15000", "16000", 1);
    assert_ne!(
        &tampered[tampered.len() - 4..],
        format!("{:04X}", crc16(&tampered.as_bytes()[..tampered.len() - 4]))
    );
}

#[test]
fn the_png_reads_back_as_the_payload() {
    let p = payload(&TRANSFER).unwrap();
    let png = qr_png(&p, 6).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, text) = grids[0].decode().unwrap();
    assert_eq!(text, p);
}

/// The wheel of `vietnam-qr-pay`, fetched and checked by `scripts/setup.sh`.
fn peer_wheel() -> std::path::PathBuf {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.join(".cache/peers/vietnam_qr_pay-1.0.0-py3-none-any.whl")
}

#[test]
fn an_independent_vietqr_library_reads_bank_account_amount_and_purpose() {
    let wheel = peer_wheel();
    assert!(wheel.exists(), "{} is missing: run scripts/setup.sh", wheel.display());
    for (amount, purpose) in
        [(15_000u64, "HOSO HS2511220001"), (7_000, "Le phi ho so"), (200_000, "HOSO HS2611010042")]
    {
        let t = Transfer { amount, purpose, ..TRANSFER };
        let p = payload(&t).unwrap();
        let script = "import sys, json\nfrom vietnam_qr_pay import QRPay\nq = QRPay(sys.argv[1])\n\
print(json.dumps({'valid': q.is_valid, 'provider': str(q.provider.name), 'bin': q.consumer.bank_bin, \
'account': q.consumer.bank_number, 'amount': q.amount, 'purpose': q.additional_data.purpose, \
'currency': q.currency, 'country': q.nation, 'service': q.provider.service}))";
        let out = Command::new("python3")
            .arg("-c")
            .arg(script)
            .arg(&p)
            .env("PYTHONPATH", &wheel)
            .output()
            .expect("python3 runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let v: serde_json::Value = serde_json::from_str(&text).expect("JSON from the peer");
        assert_eq!(v["valid"], true, "{text}");
        assert!(v["provider"].as_str().unwrap_or_default().contains("VIETQR"), "{text}");
        assert_eq!(v["bin"], "970415");
        assert_eq!(v["account"], "113366668888");
        assert_eq!(v["amount"], amount.to_string());
        assert_eq!(v["purpose"], purpose);
        assert_eq!(v["currency"], "704");
        assert_eq!(v["country"], "VN");
        assert_eq!(v["service"], "QRIBFTTA");
    }
}
