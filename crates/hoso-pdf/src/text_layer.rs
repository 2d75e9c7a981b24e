//! A searchable PDF: page images with the recognised text laid over them, invisible.

use printpdf::{Op, PdfDocument, PdfFontHandle, PdfSaveOptions, Pt, TextItem};

use crate::pages::{self, ImagePage};
use crate::{REGULAR, Result, load};

/// A word recognised on a page image: its text and its box in the image's pixels (origin top
/// left, `x1`/`y1` exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

/// `pages` in order, each with an invisible text layer of its `words` laid over the image word
/// by word (each word stretched to its box), so a PDF viewer can select, copy and search the
/// text where it is printed. `words[i]` belongs to `pages[i]`; a page without words is an image
/// only. Deterministic bytes.
pub fn searchable_pdf(
    title: &str,
    pages: &[ImagePage<'_>],
    words: &[Vec<Word>],
) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(title);
    doc.metadata.info.creator = "HoSo".into();
    doc.metadata.info.producer = "HoSo".into();
    let font = load(REGULAR)?;
    let font_id = crate::add_font(&mut doc, &font, "F1");
    let mut out = pages::image_pages(&mut doc, pages, 1);
    for ((page, p), words) in out.iter_mut().zip(pages).zip(words) {
        if words.is_empty() {
            continue;
        }
        let pt = 72.0 / p.dpi.max(1) as f32;
        let page_h = p.height as f32 * pt;
        page.ops.push(Op::StartTextSection);
        page.ops.push(Op::SetTextRenderingMode { mode: printpdf::TextRenderingMode::Invisible });
        for w in words.iter().filter(|w| !w.text.trim().is_empty() && w.x1 > w.x0 && w.y1 > w.y0) {
            let height = (w.y1 - w.y0) as f32 * pt;
            let width = (w.x1 - w.x0) as f32 * pt;
            // Letters fill about 0.8 of the font size from the lowest descender to the top
            // of the highest accent.
            let size = (height / 0.8).max(1.0);
            let natural = super::Writer::width(&font, &w.text, size) * 72.0 / 25.4;
            let stretch =
                if natural > 0.0 { (width / natural * 100.0).clamp(10.0, 1000.0) } else { 100.0 };
            page.ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id.clone()),
                size: Pt(size),
            });
            page.ops.push(Op::SetHorizontalScaling { percent: stretch });
            // The baseline a fifth of the size above the box's bottom (descenders go below).
            let base = page_h - w.y1 as f32 * pt + size * 0.2;
            // Tm places each word absolutely (Td would move from the previous one).
            page.ops.push(Op::SetTextMatrix {
                matrix: printpdf::TextMatrix::Translate(Pt(w.x0 as f32 * pt), Pt(base)),
            });
            page.ops.push(Op::ShowText { items: vec![TextItem::Text(w.text.clone())] });
        }
        page.ops.push(Op::EndTextSection);
    }
    let opts = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        image_optimization: None,
        ..Default::default()
    };
    Ok(pages::stable_ids(doc.with_pages(out).save(&opts, &mut Vec::new())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ImageData;

    /// `pdftotext -bbox` of `pdf`: (word, xMin, yMin, xMax, yMax) in points from the top left.
    fn words_back(pdf: &[u8]) -> Vec<(String, f32, f32, f32, f32)> {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("p.pdf");
        std::fs::write(&file, pdf).expect("write");
        let out = std::process::Command::new("pdftotext")
            .args(["-bbox".as_ref(), file.as_os_str(), "-".as_ref()])
            .output()
            .expect("pdftotext (poppler-utils, installed by scripts/setup.sh)");
        let html = String::from_utf8_lossy(&out.stdout).into_owned();
        html.lines()
            .filter_map(|l| {
                let l = l.trim();
                let rest = l.strip_prefix("<word ")?;
                let num = |k: &str| -> f32 {
                    let at = rest.find(&format!("{k}=\"")).expect("attr") + k.len() + 2;
                    rest[at..].split('"').next().expect("value").parse().expect("number")
                };
                let text = rest.split('>').nth(1)?.split('<').next()?.to_owned();
                Some((text, num("xMin"), num("yMin"), num("xMax"), num("yMax")))
            })
            .collect()
    }

    #[test]
    fn the_text_comes_back_out_where_it_was_printed() {
        // An A4 page at 200 dpi; the image bytes do not matter to the text layer.
        let data = vec![0u8; 16];
        let page = ImagePage {
            width: 1654,
            height: 2339,
            dpi: 200,
            kind: ImageData::Palette4([[255; 3], [0; 3], [200, 0, 0], [0, 0, 200]]),
            data: &data,
        };
        let w = |text: &str, x0, y0, x1, y1| Word { text: text.into(), x0, y0, x1, y1 };
        let words = vec![
            w("CỘNG", 300, 200, 520, 250),
            w("HÒA", 540, 200, 700, 250),
            w("Nguyễn", 200, 600, 420, 650),
            w("Văn", 440, 600, 560, 650),
            w("Đức", 580, 600, 700, 650),
        ];
        let pages = [page.clone(), page];
        let layers = [words.clone(), vec![]];
        let pdf = searchable_pdf("Sổ hộ tịch", &pages, &layers).expect("pdf");
        assert!(
            pdf == searchable_pdf("Sổ hộ tịch", &pages, &layers).expect("again"),
            "not deterministic"
        );
        let back = words_back(&pdf);
        let texts: Vec<&str> = back.iter().map(|b| b.0.as_str()).collect();
        assert_eq!(texts, ["CỘNG", "HÒA", "Nguyễn", "Văn", "Đức"]);
        let pt = 72.0 / 200.0;
        for (word, (_, x0, _, x1, y1)) in words.iter().zip(&back) {
            // Left and right edges within 2 pt (0.7 mm); the bottom within the descender.
            assert!((x0 - word.x0 as f32 * pt).abs() < 2.0, "{word:?}: x0 {x0}");
            assert!((x1 - word.x1 as f32 * pt).abs() < 2.0, "{word:?}: x1 {x1}");
            assert!((y1 - word.y1 as f32 * pt).abs() < 6.0, "{word:?}: y1 {y1}");
        }
    }
}
