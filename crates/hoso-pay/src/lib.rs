//! VietQR — the code every Vietnamese banking app scans to make a transfer: the EMVCo
//! merchant-presented payload as NAPAS specifies it for transfers to an account (service
//! `QRIBFTTA`), with the bank's BIN, the account number, the amount in đồng, the purpose of the
//! transfer, and a CRC-16/CCITT-FALSE over everything before it.
//!
//! Each field is `ID` (2 digits) + length (2 digits) + value. Top level: 00 payload format
//! "01"; 01 point of initiation "12" (an amount is given); 38 the beneficiary (00 the NAPAS
//! GUID `A000000727`, 01 the bank BIN and the account, 02 the service code); 53 currency
//! "704" (VND); 54 amount; 58 country "VN"; 62 additional data with 08 the purpose; 63 the CRC.

use std::fmt::Write as _;

/// Why a payload cannot be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PayError {
    #[error("the bank BIN must be 6 digits, not {0:?}")]
    Bin(String),
    #[error("the account must be 1–19 letters or digits, not {0:?}")]
    Account(String),
    #[error("the amount must be at least 1 đồng")]
    Amount,
    #[error("the QR code cannot hold this payload: {0}")]
    Qr(String),
}

/// A transfer to ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer<'a> {
    pub bank_bin: &'a str,
    pub account: &'a str,
    /// Đồng.
    pub amount: u64,
    /// What the transfer is for (the dossier's reference); made ASCII, at most 25 characters.
    pub purpose: &'a str,
}

/// The NAPAS GUID of VietQR.
const NAPAS_GUID: &str = "A000000727";
/// Transfer to an account (not to a card).
const SERVICE_TO_ACCOUNT: &str = "QRIBFTTA";
/// Banks' apps show at most this many characters of the purpose.
const MAX_PURPOSE: usize = 25;

fn field(out: &mut String, id: &str, value: &str) {
    // Values are ASCII here (checked or made so), so bytes and characters agree.
    let _ = write!(out, "{id}{:02}{value}", value.len());
}

/// CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final xor).
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &b in data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

/// The purpose as banks carry it: no diacritics (`đ`→`d`), letters, digits and spaces only,
/// upper case kept, at most 25 characters.
pub fn ascii_purpose(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let mut out = String::with_capacity(MAX_PURPOSE);
    // Decomposed, a letter's diacritics are separate (non-ASCII) marks and drop out.
    for c in text.nfd() {
        let c = match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_whitespace() && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        if out.len() >= MAX_PURPOSE {
            break;
        }
    }
    out.trim_end().to_owned()
}

/// The VietQR payload for a transfer.
pub fn payload(t: &Transfer<'_>) -> Result<String, PayError> {
    if t.bank_bin.len() != 6 || !t.bank_bin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PayError::Bin(t.bank_bin.to_owned()));
    }
    if t.account.is_empty()
        || t.account.len() > 19
        || !t.account.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(PayError::Account(t.account.to_owned()));
    }
    if t.amount == 0 {
        return Err(PayError::Amount);
    }
    let mut beneficiary = String::new();
    field(&mut beneficiary, "00", t.bank_bin);
    field(&mut beneficiary, "01", t.account);
    let mut merchant = String::new();
    field(&mut merchant, "00", NAPAS_GUID);
    field(&mut merchant, "01", &beneficiary);
    field(&mut merchant, "02", SERVICE_TO_ACCOUNT);
    let mut out = String::new();
    field(&mut out, "00", "01");
    field(&mut out, "01", "12");
    field(&mut out, "38", &merchant);
    field(&mut out, "53", "704");
    field(&mut out, "54", &t.amount.to_string());
    field(&mut out, "58", "VN");
    let purpose = ascii_purpose(t.purpose);
    if !purpose.is_empty() {
        let mut extra = String::new();
        field(&mut extra, "08", &purpose);
        field(&mut out, "62", &extra);
    }
    out.push_str("6304");
    let crc = crc16(out.as_bytes());
    let _ = write!(out, "{crc:04X}");
    Ok(out)
}

fn code(payload: &str) -> Result<qrcode::QrCode, PayError> {
    // M: a quarter of the code may be damaged or glared on a phone screen and still read.
    qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::M)
        .map_err(|e| PayError::Qr(e.to_string()))
}

/// The QR code as an SVG document (black on white, with its quiet zone).
pub fn qr_svg(payload: &str) -> Result<String, PayError> {
    Ok(code(payload)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(320, 320)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

/// The QR code as a greyscale PNG, `scale` pixels per module, with a 4-module quiet zone.
pub fn qr_png(payload: &str, scale: u32) -> Result<Vec<u8>, PayError> {
    let code = code(payload)?;
    let n = code.width() as u32;
    let scale = scale.max(1);
    let quiet = 4;
    let side = (n + 2 * quiet) * scale;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; (side * side) as usize];
    for y in 0..n {
        for x in 0..n {
            if colors[(y * n + x) as usize] == qrcode::Color::Dark {
                for dy in 0..scale {
                    let row = ((y + quiet) * scale + dy) * side;
                    let start = (row + (x + quiet) * scale) as usize;
                    pixels[start..start + scale as usize].fill(0);
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side, side);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|e| PayError::Qr(e.to_string()))?;
        w.write_image_data(&pixels).map_err(|e| PayError::Qr(e.to_string()))?;
    }
    Ok(out)
}

/// The short name of a bank by its NAPAS BIN, for people (the BIN itself when unknown).
pub fn bank_name(bin: &str) -> &str {
    match bin {
        "970405" => "Agribank",
        "970415" => "VietinBank",
        "970418" => "BIDV",
        "970436" => "Vietcombank",
        "970422" => "MB",
        "970407" => "Techcombank",
        "970416" => "ACB",
        "970432" => "VPBank",
        "970403" => "Sacombank",
        "970423" => "TPBank",
        "970448" => "OCB",
        "970441" => "VIB",
        "970443" => "SHB",
        "970431" => "Eximbank",
        "970437" => "HDBank",
        "970426" => "MSB",
        "970452" => "KienlongBank",
        "971011" => "VNPT Money",
        "970400" => "Saigonbank",
        "970409" => "BacABank",
        "970412" => "PVcomBank",
        "970414" => "Oceanbank",
        "970424" => "Shinhan Bank",
        "970427" => "VietABank",
        "970428" => "Nam A Bank",
        "970429" => "SCB",
        "970430" => "PG Bank",
        "970433" => "VietBank",
        "970438" => "BaoViet Bank",
        "970440" => "SeABank",
        "970454" => "Viet Capital Bank",
        "970449" => "LienVietPostBank",
        _ => bin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_is_ccitt_false() {
        // The standard check value of CRC-16/CCITT-FALSE.
        assert_eq!(crc16(b"123456789"), 0x29B1);
        assert_eq!(crc16(b""), 0xFFFF);
    }

    #[test]
    fn purposes_are_plain_ascii_and_short() {
        assert_eq!(ascii_purpose("Lệ phí hồ sơ HS-251122-0001"), "Le phi ho so HS2511220001");
        assert_eq!(ascii_purpose("Đăng ký"), "Dang ky");
        assert_eq!(ascii_purpose("HOSO HS2511220001").len(), 17);
        assert!(ascii_purpose(&"x".repeat(80)).len() == 25);
    }

    #[test]
    fn bad_transfers_are_refused() {
        let ok =
            Transfer { bank_bin: "970415", account: "113366668888", amount: 7000, purpose: "X" };
        assert!(payload(&ok).is_ok());
        assert_eq!(
            payload(&Transfer { bank_bin: "97041", ..ok.clone() }),
            Err(PayError::Bin("97041".into()))
        );
        assert!(matches!(
            payload(&Transfer { account: "11 33", ..ok.clone() }),
            Err(PayError::Account(_))
        ));
        assert_eq!(payload(&Transfer { amount: 0, ..ok }), Err(PayError::Amount));
    }
}
