//! The digitised archive (`hoso-archive`) behind the façade: batch intake, OCR, search,
//! separator sheets and export. It lives in `<data>/archive/`, apart from the dossiers.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use hoso_archive::{
    Archive, ExportReport, Grouping, Hit, ImportReport, IntakeOptions, IntakeReport, OcrReport,
};

use crate::{ApiError, ErrorCode, Hoso, Result};

/// The archive's folder inside the data folder.
pub const ARCHIVE_DIR: &str = "archive";

/// The files of a folder HoSo can take in, in name order (numbers in names compare as
/// numbers: `scan2` before `scan10`).
pub fn intake_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("Không mở được thư mục {} ({e}). Kiểm tra lại đường dẫn.", dir.display()),
        )
    })?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "jpg" | "jpeg" | "png" | "webp" | "tif" | "tiff" | "heic" | "heif"
                )
            })
        })
        .collect();
    files.sort_by_cached_key(|p| natural_key(p));
    Ok(files)
}

/// A file name split into text and numbers, so numbers sort by value.
fn natural_key(p: &Path) -> Vec<(String, u64)> {
    let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let mut key = Vec::new();
    let mut text = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut n = u64::from(c as u8 - b'0');
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(u64::from(d));
                chars.next();
            }
            key.push((std::mem::take(&mut text), n));
        } else {
            text.push(c);
        }
    }
    key.push((text, 0));
    key
}

fn archive_err(e: hoso_archive::Error) -> ApiError {
    use hoso_archive::Error as E;
    let code = match &e {
        E::NotFound(_) => ErrorCode::NotFound,
        E::TooNew(_) => ErrorCode::StoreTooNew,
        E::Ocr(_) => ErrorCode::OcrUnavailable,
        E::Io { .. } | E::Files(_) => ErrorCode::StoreUnavailable,
        E::Split { .. } | E::UnreadablePdf(_) => ErrorCode::InvalidInput,
        E::Damaged { .. } => ErrorCode::StoreCorrupt,
        E::Db(_) | E::Pdf(_) => ErrorCode::Internal,
    };
    ApiError::new(code, e.to_string())
}

impl Hoso {
    /// The archive, opened on first use.
    pub fn archive(&self) -> Result<Arc<Archive>> {
        let mut slot = self.archive.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(a) = slot.as_ref() {
            return Ok(Arc::clone(a));
        }
        let a = Arc::new(Archive::open(&self.data_dir.join(ARCHIVE_DIR)).map_err(archive_err)?);
        *slot = Some(Arc::clone(&a));
        Ok(a)
    }

    /// Takes in the photos or scans of folder `dir` as records (see [`hoso_archive`]); with
    /// `ocr`, their pages are queued for reading.
    pub fn digitise(
        &self,
        dir: &Path,
        grouping: Grouping,
        threads: usize,
        ocr: bool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<IntakeReport> {
        if ocr && !hoso_archive::tesseract_available() {
            return Err(ocr_unavailable());
        }
        let files = intake_files(dir)?;
        let batch = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let opts = IntakeOptions { grouping, threads, ocr, batch };
        let report = self.archive()?.digitise(&files, &opts, progress).map_err(archive_err)?;
        self.log(&format!(
            "digitise files={} pages={} records={} separators={} blanks={} duplicates={} failed={}",
            report.files,
            report.pages,
            report.records.len(),
            report.separators,
            report.blanks,
            report.duplicates,
            report.failed.len()
        ));
        Ok(report)
    }

    /// Reads every page waiting for OCR (see [`Archive::ocr_pending`]).
    pub fn ocr_pending(
        &self,
        threads: usize,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<OcrReport> {
        if !hoso_archive::tesseract_available() {
            return Err(ocr_unavailable());
        }
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(2, usize::from)
        } else {
            threads
        };
        let report = self.archive()?.ocr_pending(threads, cancel, progress).map_err(archive_err)?;
        self.log(&format!(
            "ocr read={} failed={} left={} ms={}",
            report.read, report.failed, report.left, report.ms
        ));
        Ok(report)
    }

    /// Pages waiting to be read.
    pub fn ocr_waiting(&self) -> Result<usize> {
        self.archive()?.ocr_waiting().map_err(archive_err)
    }

    /// Queues every page not read yet (and those that failed) for reading.
    pub fn queue_ocr(&self) -> Result<usize> {
        self.archive()?.queue_ocr().map_err(archive_err)
    }

    /// Searches the archive (see [`Archive::search`]).
    pub fn search_archive(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        self.archive()?.search(query, limit).map_err(archive_err)
    }

    /// The newest records, at most `limit`.
    pub fn archive_records(&self, limit: usize) -> Result<Vec<hoso_archive::Record>> {
        self.archive()?.recent(limit).map_err(archive_err)
    }

    pub fn archive_record(&self, id: i64) -> Result<hoso_archive::Record> {
        self.archive()?.record(id).map_err(archive_err)
    }

    /// Changes a record's details (kind, number, date, people, tags).
    pub fn archive_set_meta(
        &self,
        id: i64,
        meta: &hoso_archive::RecordMeta,
    ) -> Result<hoso_archive::Record> {
        let a = self.archive()?;
        a.set_meta(id, meta).map_err(archive_err)?;
        a.record(id).map_err(archive_err)
    }

    /// Splits a record before its page `position`; returns the new record (see
    /// [`Archive::split`]).
    pub fn archive_split(&self, id: i64, position: u32) -> Result<hoso_archive::Record> {
        let a = self.archive()?;
        let new = a.split(id, position).map_err(archive_err)?;
        a.record(new).map_err(archive_err)
    }

    /// Appends record `from` to record `into` (see [`Archive::merge`]); returns `into`.
    pub fn archive_merge(&self, into: i64, from: i64) -> Result<hoso_archive::Record> {
        let a = self.archive()?;
        a.merge(into, from).map_err(archive_err)?;
        a.record(into).map_err(archive_err)
    }

    pub fn archive_thumbnail(&self, page_id: i64) -> Result<Vec<u8>> {
        self.archive()?.page_thumbnail(page_id).map_err(archive_err)
    }

    /// A page to read on screen (a grey JPEG, 1400 pixels high at most).
    pub fn archive_page_view(&self, page_id: i64) -> Result<Vec<u8>> {
        self.archive()?.page_view(page_id, 1400).map_err(archive_err)
    }

    pub fn archive_page_text(&self, page_id: i64) -> Result<String> {
        self.archive()?.page_text(page_id).map_err(archive_err)
    }

    /// Writes the archive as PDFs and an index into `out`.
    pub fn export_archive(&self, out: &Path) -> Result<ExportReport> {
        let report = self.archive()?.export(out).map_err(archive_err)?;
        self.log(&format!("archive export records={} pages={}", report.records, report.pages));
        Ok(report)
    }

    /// Imports a folder written by an export (this computer's or another's), skipping what is
    /// here already.
    pub fn import_archive(&self, dir: &Path) -> Result<ImportReport> {
        let report = self.archive()?.import(dir).map_err(archive_err)?;
        self.log(&format!(
            "archive import records={} pages={} duplicates={} failed={}",
            report.records,
            report.pages,
            report.duplicates,
            report.failed.len()
        ));
        Ok(report)
    }
}

fn ocr_unavailable() -> ApiError {
    ApiError::new(
        ErrorCode::OcrUnavailable,
        "Máy này chưa có bộ đọc chữ Tesseract tiếng Việt: cài gói tesseract-ocr và \
         tesseract-ocr-vie (sudo apt-get install tesseract-ocr tesseract-ocr-vie) rồi chạy lại.",
    )
}

/// A separator sheet (PDF) for records of `kind`: print it and put one before each record.
pub fn separator_sheet(kind: &str) -> Result<Vec<u8>> {
    hoso_pdf::separator_sheet(&hoso_archive::separator_payload(kind), kind)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_are_taken_in_number_order_and_only_images() {
        let dir = tempfile::tempdir().expect("tmp");
        for f in ["scan10.jpg", "scan2.JPG", "scan1.png", "notes.txt", "scan3.heic"] {
            std::fs::write(dir.path().join(f), b"x").expect("write");
        }
        std::fs::create_dir(dir.path().join("sub.jpg")).expect("dir");
        let names: Vec<String> = intake_files(dir.path())
            .expect("list")
            .iter()
            .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["scan1.png", "scan2.JPG", "scan3.heic", "scan10.jpg"]);
    }
}
