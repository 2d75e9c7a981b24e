//! Thin commands over the façade's digitised archive. Taking a folder in and reading pages
//! run off the UI thread and report progress as `hoso://archive` events.

use std::sync::atomic::{AtomicBool, Ordering};

use hoso_api::ApiError;
use hoso_api::types::{
    ArchiveHit, ArchiveMeta, ArchiveRecord, Grouping, ImportReport, IntakeReport,
};
use tauri::{AppHandle, Emitter, Runtime};

use crate::state::HosoExt;

type Result<T> = std::result::Result<T, ApiError>;

/// Whether pages are being read in the background (one reader at a time).
static READING: AtomicBool = AtomicBool::new(false);
/// Asks the reader to stop after the pages it is reading.
static STOP: AtomicBool = AtomicBool::new(false);

/// `{ phase: "intake" | "ocr", done, total, finished, left }`: `finished` when the phase ended
/// (for `ocr`: nothing is left, it was stopped, or it failed); `left`: pages still waiting.
fn emit<R: Runtime>(
    app: &AppHandle<R>,
    phase: &str,
    (done, total): (usize, usize),
    finished: bool,
    left: usize,
) {
    let payload = serde_json::json!({
        "phase": phase, "done": done, "total": total, "finished": finished, "left": left
    });
    let _ = app.emit("hoso://archive", payload);
}

/// Takes the folder in (progress as events), then starts reading its pages in the background
/// when `ocr` is set.
#[tauri::command(async)]
pub fn archive_digitise<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    grouping: Grouping,
    ocr: bool,
) -> Result<IntakeReport> {
    let hoso = app.hoso()?;
    let emitter = app.clone();
    let report = hoso.digitise(std::path::Path::new(path.trim()), grouping, 0, ocr, &mut |d, t| {
        emit(&emitter, "intake", (d, t), d == t, 0)
    });
    // The folder's pixels were freed with its worker threads: give the memory back.
    crate::memory::give_back_freed();
    let report = report?;
    if ocr {
        archive_read(app)?;
    }
    Ok(report)
}

/// Starts reading the pages still waiting, in the background, unless a reader runs already.
#[tauri::command(async)]
pub fn archive_read<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    let hoso = app.hoso()?;
    if READING.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    STOP.store(false, Ordering::SeqCst);
    std::thread::spawn(move || {
        let mut done = 0;
        // Pages queued by an intake while this reader runs are read in the same go.
        let left = loop {
            let result = hoso.ocr_pending(0, &STOP, &mut |d, t| {
                emit(&app, "ocr", (done + d, done + t), false, 0)
            });
            let Ok(report) = result else { break hoso.ocr_waiting().unwrap_or(0) };
            done += report.read + report.failed;
            let waiting = hoso.ocr_waiting().unwrap_or(0);
            if STOP.load(Ordering::SeqCst) || waiting == 0 || report.read + report.failed == 0 {
                break waiting;
            }
        };
        READING.store(false, Ordering::SeqCst);
        emit(&app, "ocr", (done, done + left), true, left);
        // An intake that queued pages just as this reader stopped found it still running.
        if !STOP.load(Ordering::SeqCst) && left == 0 && hoso.ocr_waiting().unwrap_or(0) > 0 {
            let _ = archive_read(app);
        }
    });
    Ok(())
}

/// Stops the background reading after the pages being read (the rest waits for "Đọc tiếp").
#[tauri::command]
pub fn archive_stop_reading() {
    STOP.store(true, Ordering::SeqCst);
}

/// Splits a record before its page `position`; returns the new record.
#[tauri::command(async)]
pub fn archive_split<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    position: u32,
) -> Result<ArchiveRecord> {
    app.hoso()?.archive_split(id, position)
}

/// Appends record `from` to record `into`; returns `into`.
#[tauri::command(async)]
pub fn archive_merge<R: Runtime>(app: AppHandle<R>, into: i64, from: i64) -> Result<ArchiveRecord> {
    app.hoso()?.archive_merge(into, from)
}

/// Saves a separator sheet to print into Downloads; returns its path.
#[tauri::command(async)]
pub fn archive_save_separator<R: Runtime>(app: AppHandle<R>, kind: String) -> Result<String> {
    let pdf = hoso_api::archive::separator_sheet(&kind)?;
    crate::commands::save_download(&app, "to-phan-cach-hoso.pdf", &pdf)
}

/// Writes the archive into a new folder in Downloads; returns the folder's path.
#[tauri::command(async)]
pub fn archive_export<R: Runtime>(app: AppHandle<R>) -> Result<String> {
    let hoso = app.hoso()?;
    let folder = crate::commands::downloads(&app)?
        .join(format!("luu-tru-{}", crate::commands::vietnam_day()));
    hoso.export_archive(&folder)?;
    Ok(folder.display().to_string())
}

/// Imports a folder written by an export (this computer's or another's).
#[tauri::command(async)]
pub fn archive_import<R: Runtime>(app: AppHandle<R>, path: String) -> Result<ImportReport> {
    app.hoso()?.import_archive(std::path::Path::new(path.trim()))
}

#[tauri::command(async)]
pub fn archive_search<R: Runtime>(app: AppHandle<R>, query: String) -> Result<Vec<ArchiveHit>> {
    app.hoso()?.search_archive(&query, 50)
}

#[tauri::command(async)]
pub fn archive_records<R: Runtime>(app: AppHandle<R>) -> Result<Vec<ArchiveRecord>> {
    app.hoso()?.archive_records(50)
}

#[tauri::command(async)]
pub fn archive_record<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<ArchiveRecord> {
    app.hoso()?.archive_record(id)
}

#[tauri::command(async)]
pub fn archive_set_meta<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    meta: ArchiveMeta,
) -> Result<ArchiveRecord> {
    app.hoso()?.archive_set_meta(id, &meta)
}

/// A page's thumbnail, as JPEG bytes.
#[tauri::command(async)]
pub fn archive_thumbnail<R: Runtime>(
    app: AppHandle<R>,
    page_id: i64,
) -> Result<tauri::ipc::Response> {
    Ok(tauri::ipc::Response::new(app.hoso()?.archive_thumbnail(page_id)?))
}

/// A page to read on screen, as JPEG bytes.
#[tauri::command(async)]
pub fn archive_page_view<R: Runtime>(
    app: AppHandle<R>,
    page_id: i64,
) -> Result<tauri::ipc::Response> {
    Ok(tauri::ipc::Response::new(app.hoso()?.archive_page_view(page_id)?))
}

#[tauri::command(async)]
pub fn archive_page_text<R: Runtime>(app: AppHandle<R>, page_id: i64) -> Result<String> {
    app.hoso()?.archive_page_text(page_id)
}
