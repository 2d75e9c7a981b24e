//! `hoso digitise`, `hoso ocr`, `hoso search`, `hoso separator`: the archive of scanned papers.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use hoso_api::archive::separator_sheet;
use hoso_api::{ApiError, ErrorCode, Hoso};
use hoso_archive::Grouping;
use serde::Serialize;

/// A progress bar on stderr when it is a terminal (nothing otherwise).
fn bar(what: &'static str) -> impl FnMut(usize, usize) {
    let tty = std::io::stderr().is_terminal();
    move |done, total| {
        if !tty || total == 0 {
            return;
        }
        let filled = done * 30 / total;
        eprint!("\r{what} [{}{}] {done}/{total}", "#".repeat(filled), ".".repeat(30 - filled));
        if done == total {
            eprintln!();
        }
    }
}

#[derive(Serialize)]
struct Summary {
    intake: hoso_archive::IntakeReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    ocr: Option<hoso_archive::OcrReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    export: Option<hoso_archive::ExportReport>,
}

/// Prints `value` as JSON on stdout.
fn emit(value: &impl Serialize) -> Result<(), ApiError> {
    crate::emit(&mut std::io::stdout().lock(), value)
}

/// Takes a folder in, reads it with `ocr`, exports the archive to `out`; prints the summary.
pub fn digitise(
    hoso: &Hoso,
    dir: &Path,
    out: Option<&Path>,
    ocr: bool,
    threads: usize,
    grouping: Grouping,
) -> Result<(), ApiError> {
    let intake = hoso.digitise(dir, grouping, threads, ocr, &mut bar("Xử lý ảnh"))?;
    let ocr = if ocr {
        Some(hoso.ocr_pending(threads, &AtomicBool::new(false), &mut bar("Đọc chữ  "))?)
    } else {
        None
    };
    let export = out.map(|o| hoso.export_archive(o)).transpose()?;
    let failed = intake.failed.len();
    emit(&Summary { intake, ocr, export })?;
    if failed > 0 {
        return Err(ApiError::new(ErrorCode::BadImage, format!("{failed} tệp không xử lý được")));
    }
    Ok(())
}

/// Reads every page still waiting (after an interrupted `digitise --ocr`).
pub fn ocr(hoso: &Hoso, threads: usize) -> Result<(), ApiError> {
    hoso.queue_ocr()?;
    let report = hoso.ocr_pending(threads, &AtomicBool::new(false), &mut bar("Đọc chữ  "))?;
    emit(&report)
}

pub fn search(hoso: &Hoso, query: &str, limit: usize) -> Result<(), ApiError> {
    emit(&hoso.search_archive(query, limit)?)
}

pub fn separator(out: &Path, kind: &str) -> Result<(), ApiError> {
    std::fs::write(out, separator_sheet(kind)?).map_err(crate::io_err)
}
