//! The archive as a folder other tools can read: one searchable PDF per record under a folder
//! per kind, with names safe on every file system, and an index in CSV and JSON — and back:
//! another HoSo (or this one) imports such a folder, skipping what it has already.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{Archive, Error, NewPage, OcrState, Record, RecordMeta, Result, fold};

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportReport {
    pub records: usize,
    pub pages: usize,
    pub bytes: u64,
    /// The files written, relative to the export folder.
    pub files: Vec<String>,
}

/// Folded and reduced to `a-z0-9-`: "Sổ hộ tịch 01/2019" → "so-ho-tich-01-2019"; at most
/// `max` characters.
pub(crate) fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(max).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `<kind>/<id>-<number>-<people>.pdf`, each part folded to a safe name.
pub(crate) fn file_name(r: &Record) -> String {
    let folder = match slug(&r.meta.kind, 40) {
        s if s.is_empty() => "chua-phan-loai".to_owned(),
        s => s,
    };
    let mut name = format!("{:06}", r.id);
    for part in [slug(&r.meta.number, 30), slug(&r.meta.people, 40)] {
        if !part.is_empty() {
            name.push('-');
            name.push_str(&part);
        }
    }
    format!("{folder}/{name}.pdf")
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Writes a file whole or not at all.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IndexEntry<'a> {
    file: &'a str,
    sha256: String,
    #[serde(flatten)]
    record: &'a Record,
    /// The text read on each page and its words' boxes, in page order, so an import needs no
    /// second reading.
    page_texts: Vec<PageText>,
}

#[derive(Serialize, Deserialize, Default)]
struct PageText {
    text: String,
    words: serde_json::Value,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub records: usize,
    pub pages: usize,
    /// Records whose every page was here already, skipped.
    pub duplicates: usize,
    /// Entries that could not be imported, with the reason (in Vietnamese).
    pub failed: Vec<(String, String)>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IndexIn {
    file: String,
    sha256: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    people: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    batch: String,
    pages: Vec<PageIn>,
    #[serde(default)]
    page_texts: Vec<PageText>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageIn {
    source_name: String,
    source_sha256: String,
    width: u32,
    height: u32,
    dpi: u32,
    encoding: String,
}

/// The most an index may hold (a commune's archive is thousands of records, not millions).
const MAX_INDEX_BYTES: u64 = 256 * 1024 * 1024;
/// The most one record's PDF may weigh (a thick land file of 2,000 grey pages is ~400 MB).
const MAX_PDF_BYTES: u64 = 1024 * 1024 * 1024;

/// The page images of one of HoSo's record PDFs, in page order: the image each page draws
/// (`/<name> Do` in its content), as it is stored (never decoded).
fn pdf_images(pdf: &[u8]) -> Result<Vec<Vec<u8>>> {
    let doc = lopdf::Document::load_mem(pdf).map_err(|e| Error::UnreadablePdf(e.to_string()))?;
    let mut out = Vec::new();
    for (_, page) in doc.get_pages() {
        let content = doc.get_page_content(page);
        let text = String::from_utf8_lossy(&content);
        let words: Vec<&str> = text.split_whitespace().collect();
        let name = words
            .windows(2)
            .find(|w| w[1] == "Do")
            .and_then(|w| w[0].strip_prefix('/'))
            .ok_or_else(|| Error::UnreadablePdf("a page without its image".into()))?;
        let (resources, ids) =
            doc.get_page_resources(page).map_err(|e| Error::UnreadablePdf(e.to_string()))?;
        let mut dicts: Vec<&lopdf::Dictionary> = resources.into_iter().collect();
        dicts.extend(ids.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
        let image = dicts
            .iter()
            .filter_map(|r| r.get(b"XObject").ok())
            .filter_map(|x| doc.dereference(x).ok().and_then(|(_, o)| o.as_dict().ok()))
            .filter_map(|x| x.get(name.as_bytes()).ok())
            .filter_map(|v| doc.dereference(v).ok().and_then(|(_, o)| o.as_stream().ok()))
            .find(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).is_ok_and(|n| n == b"Image"))
            .ok_or_else(|| Error::UnreadablePdf("a page without its image".into()))?;
        out.push(image.content.clone());
    }
    Ok(out)
}

/// A path from an index, refused unless it stays inside the folder (no `..`, not absolute).
fn inside(dir: &Path, file: &str) -> Option<std::path::PathBuf> {
    let rel = Path::new(file);
    rel.components().all(|c| matches!(c, std::path::Component::Normal(_))).then(|| dir.join(rel))
}

impl Archive {
    /// Writes every record into `out` (made if missing): the PDFs, `index.csv` (UTF-8 with a
    /// byte-order mark, so spreadsheet programs show the diacritics) and `index.json`.
    pub fn export(&self, out: &Path) -> Result<ExportReport> {
        let mut report = ExportReport::default();
        let mut records = self.records()?;
        records.reverse();
        let mut csv =
            String::from("\u{feff}id,loai,so_ky_hieu,ngay,nguoi,the,so_trang,tep,sha256\n");
        let mut index = Vec::new();
        let mut names = Vec::new();
        let mut pdfs = Vec::new();
        for r in &records {
            let name = file_name(r);
            let pdf = self.record_pdf(r.id)?;
            write_atomically(&out.join(&name), &pdf)?;
            report.bytes += pdf.len() as u64;
            report.pages += r.pages.len();
            report.records += 1;
            names.push(name);
            pdfs.push(hoso_store::BlobStore::hash(&pdf));
        }
        for ((r, name), sha) in records.iter().zip(&names).zip(&pdfs) {
            let fields = [
                r.id.to_string(),
                r.meta.kind.clone(),
                r.meta.number.clone(),
                r.meta.date.clone(),
                r.meta.people.clone(),
                r.meta.tags.clone(),
                r.pages.len().to_string(),
                name.clone(),
                sha.clone(),
            ];
            csv.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
            csv.push('\n');
            let page_texts = self.page_texts(r.id)?;
            index.push(IndexEntry { file: name, sha256: sha.clone(), record: r, page_texts });
        }
        write_atomically(&out.join("index.csv"), csv.as_bytes())?;
        let json = serde_json::to_vec_pretty(&index).map_err(|e| Error::Ocr(e.to_string()))?;
        write_atomically(&out.join("index.json"), &json)?;
        report.files = names;
        report.files.extend(["index.csv".to_owned(), "index.json".to_owned()]);
        Ok(report)
    }
}

impl Archive {
    /// The text and word boxes of a record's pages, in order.
    fn page_texts(&self, record: i64) -> Result<Vec<PageText>> {
        let db = self.db();
        let mut st = db.prepare(
            "SELECT ocr_text, ocr_words FROM page WHERE record_id = ? ORDER BY position",
        )?;
        let rows =
            st.query_map([record], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (text, words) = row?;
            out.push(PageText { text, words: serde_json::from_str(&words).unwrap_or_default() });
        }
        Ok(out)
    }

    /// Imports a folder written by [`Archive::export`]: each record's pages come from its PDF
    /// (checked against the index's SHA-256), with the text and details of the index. A page
    /// made from a file already here is skipped, so importing twice adds nothing.
    pub fn import(&self, dir: &Path) -> Result<ImportReport> {
        let index_path = dir.join("index.json");
        let size = std::fs::metadata(&index_path).map_err(|e| Error::io(&index_path, e))?.len();
        if size > MAX_INDEX_BYTES {
            return Err(Error::io(&index_path, std::io::Error::other("the index is too large")));
        }
        let bytes = std::fs::read(&index_path).map_err(|e| Error::io(&index_path, e))?;
        let entries: Vec<IndexIn> = serde_json::from_slice(&bytes).map_err(|e| {
            Error::io(&index_path, std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        })?;
        let mut report = ImportReport::default();
        for e in entries {
            let fail = |report: &mut ImportReport, why: &str| {
                report.failed.push((e.file.clone(), why.to_owned()))
            };
            let Some(path) = inside(dir, &e.file) else {
                fail(&mut report, "Đường dẫn trong mục lục ra ngoài thư mục: bỏ qua.");
                continue;
            };
            match std::fs::metadata(&path) {
                Ok(m) if m.len() > MAX_PDF_BYTES => {
                    fail(&mut report, "Tệp PDF quá lớn cho một hồ sơ: bỏ qua.");
                    continue;
                }
                _ => {}
            }
            let Ok(pdf) = std::fs::read(&path) else {
                fail(&mut report, "Không có tệp PDF này trong thư mục.");
                continue;
            };
            if hoso_store::BlobStore::hash(&pdf) != e.sha256 {
                fail(&mut report, "Tệp PDF khác với mục lục (đã bị sửa hoặc chép hỏng).");
                continue;
            }
            let images = match pdf_images(&pdf) {
                Ok(i) if i.len() == e.pages.len() => i,
                Ok(_) => {
                    fail(&mut report, "Số trang của tệp PDF khác với mục lục.");
                    continue;
                }
                Err(why) => {
                    fail(&mut report, &format!("Không đọc được tệp PDF ({why})."));
                    continue;
                }
            };
            let Ok(encodings) = e
                .pages
                .iter()
                .map(|p| p.encoding.parse())
                .collect::<std::result::Result<Vec<hoso_scan::Encoding>, _>>()
            else {
                fail(&mut report, "Mục lục ghi một kiểu ảnh HoSo không biết.");
                continue;
            };
            let mut pages = Vec::new();
            for (i, ((p, image), encoding)) in
                e.pages.iter().zip(&images).zip(encodings).enumerate()
            {
                if self.has_source(&p.source_sha256)? {
                    continue;
                }
                let page = hoso_scan::EncodedPage {
                    width: p.width,
                    height: p.height,
                    dpi: p.dpi,
                    encoding,
                    data: image.clone(),
                };
                let thumb = hoso_scan::page_view(&page, hoso_scan::THUMB_SIDE).unwrap_or_default();
                let read = e.page_texts.get(i);
                let text = read.map(|r| r.text.clone()).unwrap_or_default();
                pages.push(NewPage {
                    source_name: p.source_name.clone(),
                    source_sha256: p.source_sha256.clone(),
                    image_sha256: self.blobs().put(image)?,
                    byte_size: image.len(),
                    encoding: p.encoding.clone(),
                    width: p.width,
                    height: p.height,
                    dpi: p.dpi,
                    thumb,
                    ocr: if text.is_empty() { OcrState::None } else { OcrState::Done },
                    words_json: read.map(|r| r.words.to_string()).unwrap_or_else(|| "[]".into()),
                    text,
                });
            }
            if pages.is_empty() {
                report.duplicates += 1;
                continue;
            }
            let meta = RecordMeta {
                kind: e.kind,
                number: e.number,
                date: e.date,
                people: e.people,
                tags: e.tags,
            };
            self.insert_record(&meta, &e.batch, &pages)?;
            report.records += 1;
            report.pages += pages.len();
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RecordMeta;

    #[test]
    fn names_are_folded_safe_and_bounded() {
        assert_eq!(
            slug("Sổ đăng ký khai sinh — Quyển 01/2019", 60),
            "so-dang-ky-khai-sinh-quyen-01-2019"
        );
        assert_eq!(slug("../../etc/passwd", 60), "etc-passwd");
        assert_eq!(slug("  ", 60), "");
        assert_eq!(slug(&"Đ".repeat(100), 10), "dddddddddd");
        let r = Record {
            id: 7,
            meta: RecordMeta {
                kind: "Hồ sơ đất đai".into(),
                number: "12/QĐ-UBND".into(),
                people: "Lò Văn Páo; Giàng Thị Mai".into(),
                ..Default::default()
            },
            batch: String::new(),
            created_at: 0,
            pages: Vec::new(),
        };
        assert_eq!(file_name(&r), "ho-so-dat-dai/000007-12-qd-ubnd-lo-van-pao-giang-thi-mai.pdf");
        let bare = Record { meta: RecordMeta::default(), ..r };
        assert_eq!(file_name(&bare), "chua-phan-loai/000007.pdf");
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
