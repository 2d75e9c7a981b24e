//! Made-up papers drawn by HoSo, for tests and benchmarks of reading them (feature `synth`):
//! never a scan of a real document.

use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

use crate::{PAGE_H, PAGE_W, Result, Writer, pages};

/// What a made-up birth certificate (giấy chứng sinh, laid out as the Ministry of Health's
/// form) says.
#[derive(Debug, Clone)]
pub struct BirthCertificate {
    pub facility: String,
    pub number: String,
    pub mother_name: String,
    pub mother_birth_year: u32,
    pub mother_address: String,
    pub mother_id: String,
    pub ethnicity: String,
    /// (hour, minute, day, month, year)
    pub born: (u32, u32, u32, u32, u32),
    pub place: String,
    /// "Nam" or "Nữ".
    pub sex: String,
    pub weight_g: u32,
    pub child_name: String,
}

/// The certificate as a one-page A4 PDF.
pub fn birth_certificate(c: &BirthCertificate) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new("Giấy chứng sinh (mẫu của HoSo)");
    let mut w = Writer::new(&mut doc)?;
    w.text("SỞ Y TẾ", 11.0, true, 0.0);
    w.text(&c.facility.to_uppercase(), 11.0, true, 0.0);
    w.gap(3.0);
    w.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0, true, 30.0);
    w.text("Độc lập - Tự do - Hạnh phúc", 12.0, true, 45.0);
    w.gap(8.0);
    w.text("GIẤY CHỨNG SINH", 20.0, true, 45.0);
    w.text(&format!("Số: {}", c.number), 12.0, false, 65.0);
    w.gap(8.0);
    let (hh, mi, dd, mm, yy) = c.born;
    let lines = [
        format!("Họ và tên mẹ: {}", c.mother_name),
        format!("Năm sinh: {}", c.mother_birth_year),
        format!("Nơi đăng ký thường trú: {}", c.mother_address),
        format!("Số CCCD: {}", c.mother_id),
        format!("Dân tộc: {}", c.ethnicity),
        format!(
            "Đã sinh con vào lúc: {hh:02} giờ {mi:02} phút, ngày {dd:02} tháng {mm:02} năm {yy}"
        ),
        format!("Tại: {}", c.place),
        "Số con trong lần sinh này: 1".to_owned(),
        format!("Giới tính của con: {}", c.sex),
        format!("Cân nặng: {} gam", c.weight_g),
        format!("Dự định đặt tên con là: {}", c.child_name),
    ];
    for l in &lines {
        w.text(l, 13.0, false, 0.0);
        w.gap(2.5);
    }
    w.gap(10.0);
    w.text(&format!("Ngày {dd:02} tháng {mm:02} năm {yy}"), 12.0, false, 100.0);
    w.text("Người đỡ đẻ                                      Trạm trưởng", 12.0, true, 10.0);
    w.text("(ký, ghi rõ họ tên)                              (ký, đóng dấu)", 10.0, false, 10.0);
    let page = PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), w.ops);
    let opts = PdfSaveOptions { optimize: false, subset_fonts: true, ..Default::default() };
    Ok(pages::stable_ids(doc.with_pages(vec![page]).save(&opts, &mut Vec::new())))
}

/// A certificate as the tests use it: a mother and her son born at a commune health station.
pub fn example_birth_certificate() -> BirthCertificate {
    BirthCertificate {
        facility: "Trạm y tế xã Lũng Cú".into(),
        number: "125/GCS".into(),
        mother_name: "Lò Thị Mai".into(),
        mother_birth_year: 1998,
        mother_address: "Thôn Lũng Cú, Xã Lũng Cú, Tỉnh Tuyên Quang".into(),
        mother_id: "002198001234".into(),
        ethnicity: "Lô Lô".into(),
        born: (8, 30, 1, 11, 2026),
        place: "Trạm y tế xã Lũng Cú".into(),
        sex: "Nam".into(),
        weight_g: 3200,
        child_name: "Lò Văn Páo".into(),
    }
}
