//! `hoso scan`: photos to clean one-page PDFs (and optionally one multi-page PDF), in parallel,
//! with a JSON report. It needs no data directory: it is a pure file-to-file tool.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use hoso_scan::{Mode, ScanOptions, Scanned};
use serde::Serialize;

/// One photo's line in report.json.
#[derive(Debug, Serialize)]
pub struct PhotoReport {
    pub photo: String,
    pub stem: String,
    /// Wall time of reading, scanning and writing the PDF.
    pub ms: f64,
    /// This thread's CPU time for the same work (Linux), else the wall time.
    pub cpu_ms: f64,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorReport>,
    /// The page image's bytes, and the one-page PDF's.
    pub bytes: usize,
    pub pdf_bytes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// How the page is stored: `g4`, `gray4`, `jpeg_gray`, `jpeg_rgb` or `palette4`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<hoso_scan::Encoding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<hoso_scan::DocKind>,
    pub flags: Vec<hoso_scan::Flag>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corners: Option<[[f64; 2]; 4]>,
    pub width: u32,
    pub height: u32,
    pub dpi: u32,
}

#[derive(Debug, Serialize)]
pub struct ErrorReport {
    pub code: &'static str,
    pub message: String,
}

/// The whole run.
#[derive(Debug, Serialize)]
pub struct Report {
    pub threads: usize,
    pub mode: Mode,
    pub dpi: u32,
    pub wall_ms: f64,
    pub photos: Vec<PhotoReport>,
}

pub fn to_pdf_page(s: &Scanned) -> hoso_pdf::ImagePage<'_> {
    hoso_api::pdf_page(s.page.width, s.page.height, s.page.dpi, &s.page.encoding, &s.page.data)
}

fn stem_of(p: &Path) -> String {
    p.file_stem().map_or_else(|| "photo".to_owned(), |s| s.to_string_lossy().into_owned())
}

/// One photo's report and, when kept, its page.
type Done = (PhotoReport, Option<Scanned>);

/// Scans `photos` on `threads` threads, writing into `out`; returns the report and, when
/// `keep` is set, the scanned pages in input order (for a combined PDF).
pub fn run(
    photos: &[PathBuf],
    opts: ScanOptions,
    out: &Path,
    threads: usize,
    keep: bool,
) -> std::io::Result<(Report, Vec<Option<Scanned>>)> {
    std::fs::create_dir_all(out)?;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Done>>> = Mutex::new((0..photos.len()).map(|_| None).collect());
    let io_error: Mutex<Option<std::io::Error>> = Mutex::new(None);
    let t0 = Instant::now();
    std::thread::scope(|sc| {
        for _ in 0..threads.max(1).min(photos.len().max(1)) {
            // One batch per thread: its scans reuse each other's pixel buffers.
            sc.spawn(|| {
                hoso_scan::batch(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(path) = photos.get(i) else { break };
                        match one(path, &opts, out, keep) {
                            Ok(r) => {
                                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                            }
                            Err(e) => {
                                *io_error.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
                                break;
                            }
                        }
                    }
                });
            });
        }
    });
    if let Some(e) = io_error.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    let wall_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let mut reports = Vec::with_capacity(photos.len());
    let mut pages = Vec::with_capacity(photos.len());
    for r in results.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().flatten() {
        reports.push(r.0);
        pages.push(r.1);
    }
    let report = Report { threads, mode: opts.mode, dpi: opts.dpi, wall_ms, photos: reports };
    std::fs::write(
        out.join("report.json"),
        serde_json::to_vec_pretty(&report).map_err(std::io::Error::other)?,
    )?;
    Ok((report, pages))
}

fn one(
    path: &Path,
    opts: &ScanOptions,
    out: &Path,
    keep: bool,
) -> std::io::Result<(PhotoReport, Option<Scanned>)> {
    let stem = stem_of(path);
    let t0 = Instant::now();
    let c0 = hoso_scan::thread_cpu_ms();
    let bytes = std::fs::read(path)?;
    let result = hoso_scan::scan(&bytes, opts);
    drop(bytes);
    let mut rep = PhotoReport {
        photo: path.display().to_string(),
        stem: stem.clone(),
        ms: 0.0,
        cpu_ms: 0.0,
        ok: false,
        error: None,
        bytes: 0,
        pdf_bytes: 0,
        mode: None,
        encoding: None,
        kind: None,
        flags: Vec::new(),
        corners: None,
        width: 0,
        height: 0,
        dpi: opts.dpi,
    };
    let kept = match result {
        Ok(s) => {
            let pdf = hoso_pdf::pages_pdf(&stem, &[to_pdf_page(&s)]);
            std::fs::write(out.join(format!("{stem}.pdf")), &pdf)?;
            let corners = s.corners.map(|p| [round1(p[0]), round1(p[1])]);
            std::fs::write(
                out.join(format!("{stem}.corners.json")),
                serde_json::to_vec(&corners).map_err(std::io::Error::other)?,
            )?;
            rep.ok = true;
            rep.bytes = s.page.data.len();
            rep.pdf_bytes = pdf.len();
            rep.mode = Some(s.mode);
            rep.encoding = Some(s.page.encoding.clone());
            rep.kind = Some(s.kind);
            rep.flags = s.flags.clone();
            rep.corners = Some(corners);
            rep.width = s.page.width;
            rep.height = s.page.height;
            keep.then_some(s)
        }
        Err(e) => {
            rep.error = Some(ErrorReport { code: e.code(), message: e.to_string() });
            None
        }
    };
    rep.ms = t0.elapsed().as_secs_f64() * 1000.0;
    rep.cpu_ms = match (c0, hoso_scan::thread_cpu_ms()) {
        (Some(a), Some(b)) => b - a,
        _ => rep.ms,
    };
    Ok((rep, kept))
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
