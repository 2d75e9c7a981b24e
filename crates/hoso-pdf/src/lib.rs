//! HoSo's own printable documents, as PDF: the receipt (giấy biên nhận) of a dossier the
//! portal received, which a person can print or keep as proof; and the whole dossier on paper,
//! a cover sheet then its papers' pages, for those who bring it to the desk.
//!
//! Text is set in DejaVu Sans (embedded, subset), which covers Vietnamese; lines are wrapped
//! with the font's real glyph widths. The layout and its words are Vietnamese: this is a paper
//! for Vietnamese offices. The text layer is real text, so it can be searched and copied.

pub mod pages;
#[cfg(feature = "synth")]
pub mod sample;
pub use pages::{ImageData, ImagePage, pages_pdf};

/// One paper on the cover sheet's checklist.
#[derive(Debug, Clone)]
pub struct CoverItem {
    pub name: String,
    pub required: bool,
    /// Pages printed after the cover.
    pub pages: usize,
    /// Files that cannot be printed here (a PDF attached as it is), to bring separately.
    pub separate: usize,
}

/// What the cover sheet of a dossier says.
#[derive(Debug, Clone)]
pub struct Cover {
    pub procedure_name: String,
    pub procedure_code: String,
    pub agency: String,
    pub applicant: String,
    pub dossier_id: String,
    pub receipt: Option<String>,
    /// "10.000đ", "Miễn lệ phí", "Theo mức của tỉnh".
    pub fee: String,
    pub time_limit: String,
    pub checklist: Vec<CoverItem>,
    /// The day it was printed, as forms write it.
    pub date: String,
}

mod text_layer;
pub use text_layer::{Word, searchable_pdf};

use printpdf::{
    Color, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem,
};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A4 in millimetres, and the margins.
const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 20.0;

/// Errors of making a PDF.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the embedded font cannot be read")]
    Font,
    #[error("QR code: {0}")]
    Qr(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// One file the dossier carried.
#[derive(Debug, Clone)]
pub struct ReceiptFile {
    /// The component (document) it belongs to, as the catalogue names it.
    pub component: String,
    pub name: String,
    pub size: String,
    pub sha256: String,
}

/// What the receipt says.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub receipt_code: String,
    pub procedure_name: String,
    pub procedure_code: String,
    pub applicant: String,
    /// When the portal received it, as forms write it (09:31 22/11/2026).
    pub received_at: String,
    /// The current state, in words.
    pub state: String,
    pub portal: String,
    pub dossier_id: String,
    /// The fee and what was paid ("15.000đ — đã thanh toán lúc 10:02 22/11/2026, nội dung
    /// HOSO…"), empty when there was none to pay.
    pub payment: String,
    /// How the result comes back, in words.
    pub delivery: String,
    pub files: Vec<ReceiptFile>,
    /// When this paper was made.
    pub printed_at: String,
}

/// A text writer that wraps lines to the page width and moves down the page.
struct Writer {
    ops: Vec<Op>,
    y: f32,
    regular: (printpdf::FontId, ParsedFont),
    bold: (printpdf::FontId, ParsedFont),
}

impl Writer {
    /// A writer at the top of an A4 page, with the embedded fonts added to `doc`.
    fn new(doc: &mut PdfDocument) -> Result<Self> {
        let regular = load(REGULAR)?;
        let bold = load(BOLD)?;
        let regular_id = add_font(doc, &regular, "F1");
        let bold_id = add_font(doc, &bold, "F2");
        Ok(Self {
            ops: Vec::new(),
            y: PAGE_H - MARGIN,
            regular: (regular_id, regular),
            bold: (bold_id, bold),
        })
    }

    /// The width of `text` at `size` points, in millimetres.
    fn width(font: &ParsedFont, text: &str, size: f32) -> f32 {
        let upem = f32::from(font.units_per_em.max(1));
        let units: f32 = text
            .chars()
            .map(|c| {
                font.lookup_glyph_index(u32::from(c))
                    .and_then(|g| font.get_glyph_width(g))
                    .map_or(upem * 0.6, f32::from)
            })
            .sum();
        units / upem * size * 25.4 / 72.0
    }

    /// Splits `text` into lines no wider than `max` millimetres (at word boundaries, and inside
    /// a word only when a single word is wider than the line).
    fn wrap(font: &ParsedFont, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ') {
            let candidate =
                if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if Self::width(font, &candidate, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if Self::width(font, &piece, size) > max {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn text(&mut self, text: &str, size: f32, bold: bool, indent: f32) {
        let (id, font) = if bold { &self.bold } else { &self.regular };
        let lines = Self::wrap(font, text, size, PAGE_W - 2.0 * MARGIN - indent);
        let line_height = size * 0.3528 * 1.45;
        for l in lines {
            self.y -= line_height;
            self.ops.extend([
                Op::StartTextSection,
                Op::SetTextCursor { pos: Point::new(Mm(MARGIN + indent), Mm(self.y)) },
                Op::SetFont { font: PdfFontHandle::External(id.clone()), size: Pt(size) },
                Op::ShowText { items: vec![TextItem::Text(l)] },
                Op::EndTextSection,
            ]);
        }
    }

    fn gap(&mut self, mm: f32) {
        self.y -= mm;
    }

    fn rule(&mut self) {
        self.y -= 3.0;
        self.ops.extend([
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb { r: 0.6, g: 0.65, b: 0.7, icc_profile: None }),
            },
            Op::SetOutlineThickness { pt: Pt(0.8) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint { p: Point::new(Mm(MARGIN), Mm(self.y)), bezier: false },
                        LinePoint { p: Point::new(Mm(PAGE_W - MARGIN), Mm(self.y)), bezier: false },
                    ],
                    is_closed: false,
                },
            },
        ]);
        self.y -= 2.0;
    }
}

/// A QR code of `text` drawn at (`x`, `y`) (its lower-left corner, mm), `side` mm wide, as one
/// filled path (one square per dark module), so it prints sharp at any size.
fn qr_ops(text: &str, x: f32, y: f32, side: f32) -> Result<Vec<Op>> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|e| Error::Qr(e.to_string()))?;
    let n = code.width();
    let module = side / n as f32;
    let colors = code.to_colors();
    let mut rings = Vec::new();
    for row in 0..n {
        for col in 0..n {
            if colors[row * n + col] != qrcode::Color::Dark {
                continue;
            }
            let (x0, y1) = (x + col as f32 * module, y + side - row as f32 * module);
            let (x1, y0) = (x0 + module, y1 - module);
            let corner =
                |px: f32, py: f32| LinePoint { p: Point::new(Mm(px), Mm(py)), bezier: false };
            rings.push(printpdf::PolygonRing {
                points: vec![corner(x0, y0), corner(x1, y0), corner(x1, y1), corner(x0, y1)],
            });
        }
    }
    Ok(vec![
        Op::SetFillColor { col: Color::Rgb(Rgb { r: 0.0, g: 0.0, b: 0.0, icc_profile: None }) },
        Op::DrawPolygon {
            polygon: printpdf::Polygon {
                rings,
                mode: printpdf::PaintMode::Fill,
                winding_order: printpdf::WindingOrder::NonZero,
            },
        },
    ])
}

/// The whole dossier for paper: an A4 cover sheet (procedure, applicant, the checklist with
/// page counts, fee, time limit, the dossier's id as a QR code, the receipt code once known,
/// the date), then `pages` in order, each at its physical size. Deterministic bytes.
pub fn dossier(c: &Cover, pages: &[ImagePage<'_>]) -> Result<Vec<u8>> {
    let title = format!("Hồ sơ {} — {}", c.procedure_name, c.applicant);
    let mut doc = PdfDocument::new(&title);
    doc.metadata.info.creator = "HoSo".into();
    doc.metadata.info.producer = "HoSo".into();
    let mut w = Writer::new(&mut doc)?;
    // The QR code (the dossier's id) in the top right corner, 32 mm.
    let qr_side = 32.0;
    w.ops.extend(qr_ops(
        &c.dossier_id,
        PAGE_W - MARGIN - qr_side,
        PAGE_H - MARGIN - qr_side,
        qr_side,
    )?);
    w.text("HỒ SƠ THỦ TỤC HÀNH CHÍNH", 17.0, true, 0.0);
    w.text("Trang bìa — lập bằng HoSo", 9.0, false, 0.0);
    w.gap(3.0);
    w.text(&c.procedure_name, 13.0, true, 0.0);
    w.text(&format!("Mã thủ tục: {}", c.procedure_code), 10.0, false, 0.0);
    // Below the QR code from here on.
    w.y = w.y.min(PAGE_H - MARGIN - qr_side - 4.0);
    w.rule();
    for (label, value) in [
        ("Người nộp", c.applicant.clone()),
        ("Cơ quan giải quyết", c.agency.clone()),
        ("Mã hồ sơ (đã nộp)", c.receipt.clone().unwrap_or_default()),
        ("Lệ phí", c.fee.clone()),
        ("Thời hạn giải quyết", c.time_limit.clone()),
        ("Ngày lập", c.date.clone()),
    ] {
        if !value.trim().is_empty() {
            w.text(&format!("{label}: {value}"), 11.0, false, 0.0);
        }
    }
    w.rule();
    w.text("Thành phần hồ sơ", 12.0, true, 0.0);
    for (i, item) in c.checklist.iter().enumerate() {
        let need = if item.required { "bắt buộc" } else { "không bắt buộc" };
        let mut line = format!("{}. {} ({need})", i + 1, item.name);
        match (item.pages, item.separate) {
            (0, 0) => line.push_str(" — chưa có"),
            (p, 0) => line.push_str(&format!(" — {p} trang")),
            (0, s) => line.push_str(&format!(" — {s} tệp nộp kèm riêng")),
            (p, s) => line.push_str(&format!(" — {p} trang, {s} tệp nộp kèm riêng")),
        }
        w.text(&line, 10.5, false, 2.0);
    }
    w.rule();
    w.text(
        "Mã QR ở góc trên là mã hồ sơ trên máy: cán bộ quét để mở đúng hồ sơ. Các trang sau \
         trang bìa là bản chụp đã làm sạch của từng giấy tờ, theo thứ tự trên.",
        9.0,
        false,
        0.0,
    );
    w.text(&format!("Mã hồ sơ trên máy: {}", c.dossier_id), 8.0, false, 0.0);
    let cover = PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), w.ops);
    let mut all = vec![cover];
    all.extend(pages::image_pages(&mut doc, pages, 1));
    // Images pass through as they are (never re-encoded); the fonts are subset.
    let opts = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        image_optimization: None,
        ..Default::default()
    };
    Ok(pages::stable_ids(doc.with_pages(all).save(&opts, &mut Vec::new())))
}

/// A separator sheet for batch scanning: an A4 page with a large QR code carrying `payload`
/// and, in words, what it is and the kind of record that follows (`label`). Put one before each
/// record in the scanner's stack; HoSo starts a new record at each and does not keep the sheet.
pub fn separator_sheet(payload: &str, label: &str) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new("Tờ phân cách hồ sơ — HoSo");
    doc.metadata.info.creator = "HoSo".into();
    doc.metadata.info.producer = "HoSo".into();
    let mut w = Writer::new(&mut doc)?;
    w.text("TỜ PHÂN CÁCH HỒ SƠ", 22.0, true, 0.0);
    w.text(
        "Đặt tờ này trước mỗi hồ sơ khi quét hàng loạt. HoSo bắt đầu hồ sơ mới tại đây",
        11.0,
        false,
        0.0,
    );
    w.text("và không lưu tờ này.", 11.0, false, 0.0);
    if !label.trim().is_empty() {
        w.gap(4.0);
        w.text(&format!("Loại hồ sơ tiếp theo: {label}"), 15.0, true, 0.0);
    }
    let side = 110.0;
    w.ops.extend(qr_ops(payload, (PAGE_W - side) / 2.0, 60.0, side)?);
    let page = PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), w.ops);
    let opts = PdfSaveOptions { optimize: false, subset_fonts: true, ..Default::default() };
    Ok(pages::stable_ids(doc.with_pages(vec![page]).save(&opts, &mut Vec::new())))
}

/// Adds `font` under a fixed resource name (printpdf's `add_font` draws a random one, which
/// would make every PDF's bytes different).
fn add_font(doc: &mut PdfDocument, font: &ParsedFont, name: &str) -> printpdf::FontId {
    let id = printpdf::FontId(name.to_owned());
    doc.resources.fonts.map.insert(id.clone(), printpdf::PdfFont::new(font.clone()));
    id
}

fn load(bytes: &[u8]) -> Result<ParsedFont> {
    ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or(Error::Font)
}

/// The receipt of a submitted dossier, one A4 page (more if it carried many files).
pub fn receipt(r: &Receipt) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(&format!("Giấy biên nhận hồ sơ {}", r.receipt_code));
    let mut w = Writer::new(&mut doc)?;

    w.text("GIẤY BIÊN NHẬN HỒ SƠ", 18.0, true, 0.0);
    w.text("Bản lưu của người nộp, lập từ thông tin cổng dịch vụ công trả về", 9.0, false, 0.0);
    w.rule();
    w.text("Mã hồ sơ (dùng để tra cứu):", 10.0, false, 0.0);
    w.text(&r.receipt_code, 22.0, true, 0.0);
    w.gap(2.0);
    for (label, value) in [
        ("Thủ tục", format!("{} (mã {})", r.procedure_name, r.procedure_code)),
        ("Người nộp", r.applicant.clone()),
        ("Cổng dịch vụ công nhận lúc", r.received_at.clone()),
        ("Tình trạng", r.state.clone()),
        ("Lệ phí", r.payment.clone()),
        ("Nhận kết quả", r.delivery.clone()),
        ("Nơi nộp", r.portal.clone()),
    ] {
        if !value.trim().is_empty() {
            w.text(&format!("{label}: {value}"), 11.0, false, 0.0);
        }
    }
    w.rule();
    w.text(&format!("Giấy tờ đã gửi ({} tệp):", r.files.len()), 11.0, true, 0.0);
    for (i, f) in r.files.iter().enumerate() {
        if w.y < MARGIN + 30.0 {
            break;
        }
        w.text(&format!("{}. {} — {} ({})", i + 1, f.component, f.name, f.size), 10.0, false, 4.0);
        w.text(&format!("SHA-256: {}", f.sha256), 7.5, false, 8.0);
    }
    w.rule();
    w.text(
        "Tra cứu tình trạng hồ sơ bằng mã hồ sơ trên cổng dịch vụ công hoặc tại bộ phận một cửa. \
         Mã SHA-256 giúp đối chiếu đúng tệp đã gửi.",
        9.0,
        false,
        0.0,
    );
    w.text(&format!("Mã hồ sơ trên máy: {}", r.dossier_id), 8.0, false, 0.0);
    w.text(&format!("Lập bởi HoSo lúc {}", r.printed_at), 8.0, false, 0.0);

    let page = PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), w.ops);
    Ok(pages::stable_ids(
        doc.with_pages(vec![page]).save(&PdfSaveOptions::default(), &mut Vec::new()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(files: usize) -> Receipt {
        Receipt {
            receipt_code: "HS-261122-000042-K".into(),
            procedure_name: "Chứng thực chữ ký trong các giấy tờ, văn bản".into(),
            procedure_code: "2.000884".into(),
            applicant: "Nguyễn Thị Hoa".into(),
            received_at: "09:31 22/11/2026".into(),
            state: "Đã nộp".into(),
            portal: "http://127.0.0.1:8787".into(),
            dossier_id: "0193f2c4-5b6a-7c3d-8e9f-2a4b6c8d0e1f".into(),
            payment: "10.000đ — đã thanh toán lúc 10:02 22/11/2026 (nội dung HOSOHS261122000042K)"
                .into(),
            delivery: "Tại bộ phận một cửa".into(),
            files: (0..files)
                .map(|i| ReceiptFile {
                    component: "Giấy tờ, văn bản cần chứng thực chữ ký".into(),
                    name: format!("hợp-đồng-trang-{i}.pdf"),
                    size: "17 KB".into(),
                    sha256: "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca7"
                        .into(),
                })
                .collect(),
            printed_at: "09:40 22/11/2026".into(),
        }
    }

    fn text_of(pdf: &[u8]) -> String {
        let doc = PdfDocument::parse(pdf, &printpdf::PdfParseOptions::default(), &mut Vec::new())
            .expect("parse");
        doc.extract_text().concat().join(" ")
    }

    #[test]
    fn the_receipt_is_a4_with_searchable_vietnamese_text_and_a_subset_font() {
        let pdf = receipt(&sample(3)).expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 120_000, "{} bytes: the font was not subset", pdf.len());
        let text = text_of(&pdf);
        for needle in [
            "HS-261122-000042-K",
            "Nguyễn Thị Hoa",
            "GIẤY BIÊN NHẬN HỒ SƠ",
            "2.000884",
            "hợp-đồng-trang-2.pdf",
            "Lệ phí: 10.000đ — đã thanh toán lúc 10:02 22/11/2026",
            "Nhận kết quả: Tại bộ phận một cửa",
        ] {
            assert!(text.contains(needle), "{needle:?} not in the text layer: {text}");
        }
        let doc = PdfDocument::parse(&pdf, &printpdf::PdfParseOptions::default(), &mut Vec::new())
            .expect("parse");
        assert_eq!(doc.pages.len(), 1);
        assert!((doc.pages[0].media_box.width.0 - 595.0).abs() < 2.0, "A4 width");
    }

    #[test]
    fn the_same_dossier_and_receipt_give_the_same_bytes() {
        let cover = Cover {
            procedure_name: "Đăng ký khai sinh".into(),
            procedure_code: "1.001193".into(),
            agency: "UBND xã".into(),
            applicant: "Lò Văn Páo".into(),
            dossier_id: "0193f2c4".into(),
            receipt: None,
            fee: "Miễn lệ phí".into(),
            time_limit: "Trong ngày".into(),
            checklist: vec![CoverItem {
                name: "Tờ khai".into(),
                required: true,
                pages: 0,
                separate: 0,
            }],
            date: "22/11/2026".into(),
        };
        assert!(dossier(&cover, &[]).expect("pdf") == dossier(&cover, &[]).expect("pdf"));
        assert!(receipt(&sample(2)).expect("pdf") == receipt(&sample(2)).expect("pdf"));
    }

    #[test]
    fn long_words_and_many_files_stay_on_the_page() {
        let mut r = sample(200);
        r.applicant = "Ằ".repeat(300);
        let pdf = receipt(&r).expect("pdf");
        assert!(text_of(&pdf).contains("Ằ"));
        let lines = Writer::wrap(&load(REGULAR).expect("font"), &"Ằ".repeat(300), 11.0, 170.0);
        assert!(lines.len() > 2);
        let font = load(REGULAR).expect("font");
        assert!(lines.iter().all(|l| Writer::width(&font, l, 11.0) <= 170.0));
    }
}
