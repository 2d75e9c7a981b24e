//! The archive as a folder other tools can read: one searchable PDF per record under a folder
//! per kind, with names safe on every file system, and an index in CSV and JSON.

use std::path::Path;

use serde::Serialize;

use crate::{Archive, Error, Record, Result, fold};

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
            index.push(IndexEntry { file: name, sha256: sha.clone(), record: r });
        }
        write_atomically(&out.join("index.csv"), csv.as_bytes())?;
        let json = serde_json::to_vec_pretty(&index).map_err(|e| Error::Ocr(e.to_string()))?;
        write_atomically(&out.join("index.json"), &json)?;
        report.files = names;
        report.files.extend(["index.csv".to_owned(), "index.json".to_owned()]);
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
