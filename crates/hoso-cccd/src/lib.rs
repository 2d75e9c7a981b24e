//! The QR code on a chip-based citizen ID card (CCCD gắn chip): found in a phone photo or a
//! scanned page, decoded, parsed, and cross-checked.
//!
//! The code holds plain UTF-8 text, fields split by `|`, by position: 12-digit ID | old 9-digit
//! ID (may be empty) | full name | date of birth ddMMyyyy | sex (Nam/Nữ) | permanent address |
//! issue date ddMMyyyy. Cards issued from 2024 add empty fields (11 in all); any extra field is
//! tolerated. Text is made NFC. The 12-digit number's province, sex/century and year digits are
//! checked against the decoded fields, and a disagreement is reported, not hidden.
//!
//! Finding the code: the photo's grey level is searched at half size first (fast, and the
//! averaging helps with blur and grain), then at full size (small codes), then with the paper
//! level divided out (shadows, glare). Every code found is decoded; the first that reads as a
//! CCCD wins, and a code that is something else (a bank transfer, a web address) is named.

#[cfg(feature = "synth")]
pub mod synth;

use hoso_scan::image::Gray;
use serde::Serialize;

/// What was read from a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    pub id_number: String,
    /// The old 9-digit ID (CMND), when the card carries one.
    pub old_id: Option<String>,
    pub full_name: String,
    /// YYYY-MM-DD.
    pub date_of_birth: String,
    /// "Nam" or "Nữ".
    pub sex: String,
    pub address: String,
    /// The address in its form after the 2025 reform (34 provinces, no districts), when the
    /// card prints it with the old units and the commune can be told for sure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_new: Option<String>,
    /// YYYY-MM-DD.
    pub issue_date: String,
    /// The 12-digit number disagrees with the other fields: `cccd_province`, `cccd_century`,
    /// `cccd_year` or `cccd_sex`.
    pub mismatch: Option<&'static str>,
}

/// Why no card was read, in Vietnamese with what to do.
#[derive(Debug, thiserror::Error)]
pub enum CccdError {
    #[error(transparent)]
    Image(#[from] hoso_scan::ScanError),
    #[error(
        "Không tìm thấy mã QR trong ảnh. Hãy chụp mặt trước thẻ căn cước, gần hơn, đủ sáng, không bị lóa, giữ máy thẳng."
    )]
    NoQr,
    #[error("Mã QR này không phải của thẻ căn cước ({0}). Hãy chụp mã QR ở mặt trước thẻ.")]
    NotCccd(&'static str),
    #[error("Mã QR của thẻ đọc được nhưng thiếu hoặc sai thông tin ({0}). Hãy chụp lại rõ hơn.")]
    Malformed(String),
}

impl CccdError {
    /// A short stable code for scripts and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Image(e) => e.code(),
            Self::NoQr => "no_qr",
            Self::NotCccd(_) => "not_cccd",
            Self::Malformed(_) => "malformed",
        }
    }
}

/// ddMMyyyy → (YYYY-MM-DD, dd/mm/yyyy), if it is a real calendar day.
fn date(field: &str) -> Option<(String, String)> {
    let b = field.as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let (d, m, y) = (&field[0..2], &field[2..4], &field[4..8]);
    let ok =
        hoso_catalogue::CivilDate::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).is_some();
    ok.then(|| (format!("{y}-{m}-{d}"), format!("{d}/{m}/{y}")))
}

/// What a QR code that is not a card holds, in a few words.
fn kind_of(text: &str) -> &'static str {
    let t = text.trim_start();
    let lower = t.to_ascii_lowercase();
    if t.starts_with("000201") {
        "mã chuyển tiền ngân hàng"
    } else if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
    {
        "địa chỉ trang web"
    } else if lower.starts_with("wifi:") {
        "mã Wi-Fi"
    } else {
        "nội dung khác"
    }
}

/// Parses the text of a card's QR code.
pub fn parse(text: &str) -> Result<Card, CccdError> {
    let text = hoso_catalogue::text::nfc(
        text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'),
    );
    let f: Vec<&str> = text.split('|').map(str::trim).collect();
    let looks_like_id =
        f.first().is_some_and(|id| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()));
    if f.len() < 7 || !looks_like_id {
        return Err(CccdError::NotCccd(kind_of(&text)));
    }
    let bad = |what: &str| CccdError::Malformed(what.to_owned());
    let old_id = match f[1] {
        "" => None,
        o if o.len() == 9 && o.bytes().all(|b| b.is_ascii_digit()) => Some(o.to_owned()),
        _ => return Err(bad("số CMND cũ")),
    };
    let full_name = f[2].split_whitespace().collect::<Vec<_>>().join(" ");
    if full_name.is_empty() {
        return Err(bad("họ tên"));
    }
    let (dob, dob_vn) = date(f[3]).ok_or_else(|| bad("ngày sinh"))?;
    let sex = match f[4] {
        "Nam" => "Nam",
        "Nữ" => "Nữ",
        _ => return Err(bad("giới tính")),
    };
    let address = f[5].split_whitespace().collect::<Vec<_>>().join(" ");
    let (issue_date, _) = date(f[6]).ok_or_else(|| bad("ngày cấp"))?;
    let mismatch = hoso_catalogue::check_cccd(f[0], Some(&dob_vn), Some(sex)).map(|i| {
        use hoso_catalogue::IssueCode as I;
        match i {
            I::CccdProvince => "cccd_province",
            I::CccdCentury => "cccd_century",
            I::CccdYear => "cccd_year",
            I::CccdSex => "cccd_sex",
            _ => "cccd_format",
        }
    });
    Ok(Card {
        id_number: f[0].to_owned(),
        old_id,
        full_name,
        date_of_birth: dob,
        sex: sex.to_owned(),
        address_new: hoso_units::units().convert(&address).map(|c| c.address),
        address,
        issue_date,
        mismatch,
    })
}

/// The texts of the QR codes rqrr finds in `g`.
fn codes_in(g: &Gray) -> Vec<String> {
    let (w, h) = (g.w as usize, g.h as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| g.data[y * w + x]);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// `g` resized by `num/den` (nearest pixel): a different sampling of the same photo, which is
/// often what makes the finder patterns line up for the detector.
fn resized(g: &Gray, num: u32, den: u32) -> Gray {
    let (w, h) = ((g.w * num / den).max(1), (g.h * num / den).max(1));
    let xs: Vec<usize> =
        (0..w).map(|x| (((2 * x + 1) * den / (2 * num)).min(g.w - 1)) as usize).collect();
    let mut data = Vec::with_capacity((w * h) as usize);
    for y in 0..h {
        let sy = ((2 * y + 1) * den / (2 * num)).min(g.h - 1) as usize;
        let row = &g.data[sy * g.w as usize..][..g.w as usize];
        data.extend(xs.iter().map(|&x| row[x]));
    }
    Gray { w, h, data }
}

/// A part of `g`.
fn crop(g: &Gray, [x0, y0, x1, y1]: [u32; 4]) -> Gray {
    let (w, h) = (x1 - x0, y1 - y0);
    let mut data = Vec::with_capacity((w * h) as usize);
    for y in y0..y1 {
        data.extend_from_slice(&g.data[(y * g.w + x0) as usize..(y * g.w + x1) as usize]);
    }
    Gray { w, h, data }
}

/// Where QR codes may be, likeliest first, as boxes in `g`'s pixels: blocks dense with edges in
/// both directions (a code's modules), grouped, with a margin. Searching only there keeps the
/// detector fast and away from the false finder patterns that wood grain and cloth make, which
/// can cost it minutes on a whole photo.
fn qr_regions(g: &Gray) -> Vec<[u32; 4]> {
    const B: usize = 16;
    let f = if g.w.max(g.h) > 1600 { 2 } else { 1 };
    let s = if f == 2 { g.shrink(2) } else { Gray { w: g.w, h: g.h, data: g.data.clone() } };
    let (w, h) = (s.w as usize, s.h as usize);
    if w < 3 * B || h < 3 * B {
        return vec![[0, 0, g.w, g.h]];
    }
    let (bw, bh) = (w / B, h / B);
    let mut score = vec![0f32; bw * bh];
    for by in 0..bh {
        for bx in 0..bw {
            let (mut cx, mut cy) = (0u32, 0u32);
            for y in (by * B).max(1)..((by + 1) * B).min(h - 1) {
                let row = &s.data[y * w..][..w];
                let (up, down) = (&s.data[(y - 1) * w..][..w], &s.data[(y + 1) * w..][..w]);
                for x in (bx * B).max(1)..((bx + 1) * B).min(w - 1) {
                    cx += u32::from(row[x + 1].abs_diff(row[x - 1]) > 30);
                    cy += u32::from(down[x].abs_diff(up[x]) > 30);
                }
            }
            score[by * bw + bx] = cx.min(cy) as f32 / (B * B) as f32;
        }
    }
    let best = score.iter().cloned().fold(0f32, f32::max);
    let cut = (0.45 * best).max(0.06);
    // Groups of neighbouring dense blocks.
    let mut group = vec![usize::MAX; bw * bh];
    let mut boxes: Vec<([usize; 4], f32)> = Vec::new();
    for start in 0..bw * bh {
        if score[start] < cut || group[start] != usize::MAX {
            continue;
        }
        let id = boxes.len();
        let mut stack = vec![start];
        group[start] = id;
        let (mut bb, mut sum) = ([usize::MAX, usize::MAX, 0, 0], 0f32);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % bw, i / bw);
            bb = [bb[0].min(x), bb[1].min(y), bb[2].max(x + 1), bb[3].max(y + 1)];
            sum += score[i];
            let mut push = |j: usize| {
                if score[j] >= cut && group[j] == usize::MAX {
                    group[j] = id;
                    stack.push(j);
                }
            };
            if x > 0 {
                push(i - 1);
            }
            if x + 1 < bw {
                push(i + 1);
            }
            if y > 0 {
                push(i - bw);
            }
            if y + 1 < bh {
                push(i + bw);
            }
        }
        boxes.push((bb, sum));
    }
    boxes.retain(|(bb, _)| (bb[2] - bb[0]) * (bb[3] - bb[1]) >= 4);
    boxes.sort_by(|a, b| b.1.total_cmp(&a.1));
    boxes
        .into_iter()
        .take(3)
        .map(|(bb, _)| {
            // A third of the box's size around it (finder patterns sit at the code's edges and
            // the quiet zone must be in), in the full photo's pixels.
            let (bwid, bhgt) = (bb[2] - bb[0], bb[3] - bb[1]);
            let m = bwid.max(bhgt) / 3 + 2;
            let px = |v: usize| (v * B * f) as u32;
            [
                px(bb[0].saturating_sub(m)),
                px(bb[1].saturating_sub(m)),
                px((bb[2] + m).min(bw)).min(g.w),
                px((bb[3] + m).min(bh)).min(g.h),
            ]
        })
        .collect()
}

/// Reads a card from the grey pixels of a photo or page (any orientation). Each likely region
/// is tried on several samplings, most often right first (measured on generated card photos):
/// as is, two thirds, half, then with the paper level divided out (shadows, glare).
pub fn read_gray(g: &Gray) -> Result<Card, CccdError> {
    let mut other: Option<CccdError> = None;
    let mut attempt = |img: &Gray| -> Option<Card> {
        for text in codes_in(img) {
            match parse(&text) {
                Ok(card) => return Some(card),
                // A card's code read with a damaged field beats any other code.
                Err(e @ CccdError::Malformed(_)) => other = Some(e),
                Err(e) => {
                    if other.is_none() {
                        other = Some(e);
                    }
                }
            }
        }
        None
    };
    for region in qr_regions(g) {
        let part = crop(g, region);
        if part.w < 21 || part.h < 21 {
            continue;
        }
        // The paper level divided out, made at most once per region.
        let flat = std::cell::OnceCell::new();
        let flat = || {
            flat.get_or_init(|| {
                hoso_scan::clean::flatten(&part, &hoso_scan::clean::Background::estimate(&part))
            })
        };
        for step in 0..8 {
            let made;
            let img: &Gray = match step {
                0 => &part,
                1 => {
                    made = resized(&part, 2, 3);
                    &made
                }
                2 => {
                    made = part.shrink(2);
                    &made
                }
                3 => flat(),
                4 => {
                    made = resized(&part, 3, 4);
                    &made
                }
                5 => {
                    made = flat().shrink(2);
                    &made
                }
                6 => {
                    made = resized(flat(), 2, 3);
                    &made
                }
                _ => {
                    made = resized(&part, 4, 5);
                    &made
                }
            };
            if let Some(c) = attempt(img) {
                return Ok(c);
            }
        }
    }
    Err(other.unwrap_or(CccdError::NoQr))
}

/// Reads a card from a photo's bytes (JPEG, PNG, WebP, TIFF, HEIC), with the scan pipeline's
/// checks on size and format.
pub fn read_photo(bytes: &[u8]) -> Result<Card, CccdError> {
    let decoded = hoso_scan::decode::decode(bytes, false)?;
    read_gray(&decoded.gray)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str = "001190012345|123456789|Nguyễn Thị Hoa|05091990|Nữ|Thôn 3, xã Tả Van, huyện Sa Pa, tỉnh Lào Cai|12032021";

    #[test]
    fn seven_fields_parse_by_position() {
        let c = parse(CARD).unwrap();
        assert_eq!(c.id_number, "001190012345");
        assert_eq!(c.old_id.as_deref(), Some("123456789"));
        assert_eq!(c.full_name, "Nguyễn Thị Hoa");
        assert_eq!(c.date_of_birth, "1990-09-05");
        assert_eq!(c.sex, "Nữ");
        assert_eq!(c.address, "Thôn 3, xã Tả Van, huyện Sa Pa, tỉnh Lào Cai");
        assert_eq!(c.address_new.as_deref(), Some("Thôn 3, Xã Tả Van, Tỉnh Lào Cai"));
        assert_eq!(c.issue_date, "2021-03-12");
        assert_eq!(c.mismatch, None);
    }

    #[test]
    fn an_address_already_in_the_new_form_gets_no_new_form() {
        let new = CARD.replace("xã Tả Van, huyện Sa Pa, tỉnh Lào Cai", "Xã Tả Van, Tỉnh Lào Cai");
        let c = parse(&new).unwrap();
        assert_eq!(c.address, "Thôn 3, Xã Tả Van, Tỉnh Lào Cai");
        assert_eq!(c.address_new, None);
    }

    #[test]
    fn eleven_fields_an_empty_old_id_and_nfd_text_are_fine() {
        let nfd = "079205001234||Tra\u{302}\u{300}n Va\u{306}n Bi\u{300}nh|01012005|Nam|Phu\u{31b}o\u{31b}\u{300}ng 1, Qua\u{323}\u{302}n 3, TP. Ho\u{302}\u{300} Chi\u{301} Minh|15062024||||";
        let c = parse(nfd).unwrap();
        assert_eq!(c.old_id, None);
        assert_eq!(c.full_name, "Trần Văn Bình");
        assert_eq!(c.address, "Phường 1, Quận 3, TP. Hồ Chí Minh");
        let new = c.address_new.as_deref().unwrap_or_default();
        assert!(new.ends_with(", Thành phố Hồ Chí Minh") && !new.contains("Quận"), "{new}");
        assert_eq!(c.date_of_birth, "2005-01-01");
        assert_eq!(c.mismatch, None);
        // Extra fields beyond 11 are tolerated too.
        assert!(parse(&format!("{CARD}||||||x")).is_ok());
    }

    #[test]
    fn the_number_is_cross_checked_against_the_fields() {
        // 4th digit 1 = woman born 1900–1999; the card says Nam.
        let c = parse(&CARD.replace("|Nữ|", "|Nam|")).unwrap();
        assert_eq!(c.mismatch, Some("cccd_sex"));
        let c = parse(&CARD.replace("05091990", "05091991")).unwrap();
        assert_eq!(c.mismatch, Some("cccd_year"));
        let c = parse(&CARD.replace("001190", "003190")).unwrap();
        assert_eq!(c.mismatch, Some("cccd_province"));
    }

    #[test]
    fn a_code_on_a_scanned_page_is_found() {
        // A 200-dpi A4 page, the card's code 6 px a module in its lower right.
        let code = qrcode::QrCode::new(CARD.as_bytes()).unwrap();
        let (n, colours) = (code.width(), code.to_colors());
        let mut page = Gray::new(1654, 2339, 250);
        for my in 0..n {
            for mx in 0..n {
                if colours[my * n + mx] == qrcode::Color::Dark {
                    for y in 0..6 {
                        for x in 0..6 {
                            let (px, py) = (1100 + mx * 6 + x, 1800 + my * 6 + y);
                            page.data[py * 1654 + px] = 20;
                        }
                    }
                }
            }
        }
        assert_eq!(read_gray(&page).unwrap(), parse(CARD).unwrap());
        assert!(matches!(read_gray(&Gray::new(1654, 2339, 250)), Err(CccdError::NoQr)));
    }

    #[test]
    fn other_codes_and_garbage_are_refused_by_name() {
        let vietqr = "00020101021238570010A00000072701270006970436011300110123456780208QRIBFTTA53037045405100005802VN62150811HS12345678963042B4C";
        assert_eq!(
            parse(vietqr).unwrap_err().to_string(),
            CccdError::NotCccd("mã chuyển tiền ngân hàng").to_string()
        );
        assert!(matches!(
            parse("https://dichvucong.gov.vn/p/123"),
            Err(CccdError::NotCccd("địa chỉ trang web"))
        ));
        assert!(matches!(parse(""), Err(CccdError::NotCccd(_))));
        assert!(matches!(parse("||||||"), Err(CccdError::NotCccd(_))));
        assert!(matches!(parse("001190012345|x|y"), Err(CccdError::NotCccd(_))));
        assert_eq!(parse(&CARD.replace("05091990", "31021990")).unwrap_err().code(), "malformed");
        assert_eq!(parse(&CARD.replace("|Nữ|", "|F|")).unwrap_err().code(), "malformed");
        assert_eq!(parse(&CARD.replace("123456789", "12345")).unwrap_err().code(), "malformed");
        assert_eq!(parse(&CARD.replace("Nguyễn Thị Hoa", " ")).unwrap_err().code(), "malformed");
    }
}
