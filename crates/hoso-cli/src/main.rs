//! `hoso`: dossiers and the catalogue from the command line, over the same façade as the app.
//!
//! Output is JSON when stdout is not a terminal (or with `--json`), so scripts can read it, and
//! a short Vietnamese table otherwise. Errors go to stderr with a stable code and exit status.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

mod digitise;
mod scan;

use clap::{Parser, Subcommand};
use hoso_api::types::{Dossier, FieldChange, ListQuery};
use hoso_api::{ApiError, Clock, ErrorCode, Hoso, SystemClock};
use serde::Serialize;

#[derive(Parser, Debug)]
#[command(name = "hoso", version, about = "HoSo: chuẩn bị hồ sơ thủ tục hành chính (dòng lệnh)")]
struct Cli {
    /// Data directory (default: $HOSO_DATA_DIR, else ~/.local/share/hoso).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print JSON even on a terminal.
    #[arg(long, global = true)]
    json: bool,
    /// The portal's address (default: $HOSO_PORTAL_URL, else the app's setting). The token
    /// comes from $HOSO_PORTAL_TOKEN or the keyring.
    #[arg(long, global = true, value_name = "URL")]
    portal: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum BundleAction {
    /// Write dossier ID as a signed bundle (`--receipt`: only its receipt code and state, to
    /// send back to the citizen after submitting on their behalf).
    Export {
        id: String,
        out: PathBuf,
        #[arg(long)]
        receipt: bool,
    },
    /// Import a bundle: prints `{"id", "outcome"}` or `{"error", "message"}`. `--replace`
    /// confirms replacing another version of the same draft; `--on-behalf` marks it as sent
    /// for the citizen (a commune official's outbox).
    Import {
        file: PathBuf,
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        on_behalf: bool,
    },
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List procedures in the catalogue, optionally matching words (diacritics optional).
    Procedures { query: Vec<String> },
    /// Create a draft dossier; prints its id.
    New {
        #[arg(long, value_name = "CODE")]
        procedure: String,
        /// A field value, KEY=VALUE (repeatable).
        #[arg(long = "field", value_name = "KEY=VALUE", value_parser = parse_field)]
        fields: Vec<FieldChange>,
    },
    /// Show a dossier with its values, problems and documents.
    Show { id: String },
    /// Attach files (photos, PDFs) to a component of a draft, as its next pages.
    Attach {
        id: String,
        component: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Freeze a complete draft into the outbox; `send` delivers it.
    Finalize { id: String },
    /// Send what is due in the outbox and follow statuses.
    Send {
        /// Keep going until nothing is left to send (or the timeout).
        #[arg(long)]
        wait: bool,
        /// Give up waiting after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
    },
    /// A dossier's state, receipt, sending progress and history.
    Status { id: String },
    /// Write the receipt (giấy biên nhận) of a dossier the portal received, as a PDF.
    Receipt {
        id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write a dossier as one printable PDF: a cover sheet (procedure, applicant, checklist,
    /// fee, time limit, the dossier's QR code, receipt), then its papers' pages.
    ExportPdf { id: String, out: PathBuf },
    /// Signed .hoso bundles, to carry a dossier by USB stick or Zalo.
    Bundle {
        #[command(subcommand)]
        action: BundleAction,
    },
    /// Write the support file (versions, settings without secrets, outbox and sync states,
    /// database integrity; no personal data) to OUT.
    Diagnostics { out: PathBuf },
    /// The fee of a dossier, worked out offline from the catalogue: total and breakdown (JSON).
    Fee { id: String },
    /// The portal's payment request for a dossier: prints the VietQR payload (JSON with
    /// `--json`: amount, bank, account, purpose, paid); `--qr FILE` writes the code as a PNG.
    Pay {
        id: String,
        #[arg(long, value_name = "FILE")]
        qr: Option<PathBuf>,
    },
    /// Turn phone photos into clean pages: DIR/<stem>.pdf, DIR/<stem>.corners.json and
    /// DIR/report.json. Needs no data directory.
    Scan {
        /// auto, bw, gray or color.
        #[arg(long, default_value = "auto")]
        mode: hoso_scan::Mode,
        #[arg(long, default_value_t = 200)]
        dpi: u32,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Also write all pages, in order, into this one PDF.
        #[arg(long, value_name = "OUT.pdf")]
        pdf: Option<PathBuf>,
        /// Photos scanned at once (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        #[arg(required = true)]
        photos: Vec<PathBuf>,
    },
    /// Take the photos that are (or become) complete in these folders into the "Ảnh mới"
    /// inbox, printing one JSON line per photo (path, sha256, inbox_id, duplicate, dossier_id,
    /// component). The folders become watched folders of the app too.
    Watch {
        /// Take what is there, wait for files still being written, then stop.
        #[arg(long)]
        once: bool,
        /// Also put each new photo into this draft dossier…
        #[arg(long, value_name = "ID", requires = "component")]
        dossier: Option<String>,
        /// …as pages of this component.
        #[arg(long, value_name = "CODE", requires = "dossier")]
        component: Option<String>,
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
    },
    /// Read citizen ID cards (CCCD) from photos of their front, by the QR code: one JSON object
    /// per photo (id_number, old_id, full_name, date_of_birth, sex, address, issue_date,
    /// mismatch), or {"error": CODE, "message": ...}. Needs no data directory.
    Cccd {
        #[arg(required = true)]
        photos: Vec<PathBuf>,
    },
    /// Digitise a folder of scans or photos into the archive: pages cleaned, grouped into
    /// records (by HoSo's separator sheets, or by blank pages), with `--ocr` read with Tesseract
    /// (Vietnamese), with `--out` exported as searchable PDFs and an index. Prints a JSON summary.
    Digitise {
        #[arg(long = "in", value_name = "DIR")]
        input: PathBuf,
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[arg(long)]
        ocr: bool,
        /// Pages worked on at once (default: all cores).
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// auto (separator sheets if any, else blank pages), separator, blank or one.
        #[arg(long, default_value = "auto")]
        group: hoso_archive::Grouping,
    },
    /// Read the archive's pages not read yet (resumes an interrupted `digitise --ocr`).
    Ocr {
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
    /// Search the archive's text and records (diacritics optional): JSON hits.
    Search {
        #[arg(required = true)]
        query: Vec<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Write the archive into OUT: a searchable PDF per record under a folder per kind, with
    /// index.csv and index.json (JSON summary).
    ExportArchive { out: PathBuf },
    /// Import a folder written by export-archive (from this computer or another), skipping
    /// what is here already (JSON summary).
    ImportArchive { dir: PathBuf },
    /// Write a separator sheet to print: put one before each record when scanning a stack.
    Separator {
        out: PathBuf,
        /// The kind of the records that follow it ("Sổ đăng ký khai sinh").
        #[arg(long, default_value = "")]
        kind: String,
    },
    /// List dossiers, most recently changed first.
    List {
        /// Only dossiers matching these words.
        #[arg(long, short)]
        query: Option<String>,
        /// The trash instead.
        #[arg(long)]
        trash: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[allow(clippy::too_many_arguments)]
fn scan_command(
    mode: hoso_scan::Mode,
    dpi: u32,
    out: &std::path::Path,
    pdf: Option<&std::path::Path>,
    threads: Option<usize>,
    photos: &[PathBuf],
    json: bool,
) -> Result<(), ApiError> {
    if !(50..=600).contains(&dpi) {
        return Err(ApiError::new(ErrorCode::InvalidInput, "--dpi must be between 50 and 600"));
    }
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let opts = hoso_scan::ScanOptions { mode, dpi, ..Default::default() };
    let (report, pages) = scan::run(photos, opts, out, threads, pdf.is_some()).map_err(io_err)?;
    if let Some(pdf) = pdf {
        let kept: Vec<_> = pages.iter().flatten().map(scan::to_pdf_page).collect();
        let title = pdf.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        std::fs::write(pdf, hoso_pdf::pages_pdf(&title, &kept)).map_err(io_err)?;
    }
    let failed = report.photos.iter().filter(|p| !p.ok).count();
    let mut stdout = std::io::stdout().lock();
    if json {
        emit(&mut stdout, &report)?;
    } else {
        for p in &report.photos {
            match &p.error {
                None => writeln!(
                    stdout,
                    "{:<28} {:>7.0} ms {:>8} B  {:?} {:?} {:?}",
                    p.stem,
                    p.ms,
                    p.bytes,
                    p.mode.unwrap_or_default(),
                    p.kind,
                    p.flags
                ),
                Some(e) => writeln!(stdout, "{:<28} lỗi [{}]: {}", p.stem, e.code, e.message),
            }
            .map_err(io_err)?;
        }
    }
    if failed > 0 {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            format!("{failed} ảnh không xử lý được (xem {})", out.join("report.json").display()),
        ));
    }
    Ok(())
}

/// One JSON object per photo on stdout; fails (after printing them all) when any was not read.
fn cccd_command(photos: &[PathBuf]) -> Result<(), ApiError> {
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    for path in photos {
        let read = std::fs::read(path)
            .map_err(|e| (String::from("unreadable"), format!("Không mở được tệp: {e}")))
            .and_then(|bytes| {
                hoso_cccd::read_photo(&bytes).map_err(|e| (e.code().to_owned(), e.to_string()))
            });
        let line = match read {
            Ok(card) => {
                serde_json::to_value(&card).map_err(|e| io_err(std::io::Error::other(e)))?
            }
            Err((code, message)) => {
                failed += 1;
                serde_json::json!({ "error": code, "message": message })
            }
        };
        writeln!(out, "{line}").map_err(io_err)?;
    }
    if failed > 0 {
        return Err(ApiError::new(
            ErrorCode::BadImage,
            format!("{failed} ảnh không đọc được thẻ căn cước"),
        ));
    }
    Ok(())
}

/// One JSON line on stdout per photo taken; what was left alone goes to stderr, in Vietnamese.
fn watch_line(e: hoso_api::WatchEvent, failed: &std::sync::atomic::AtomicUsize) {
    use hoso_api::WatchEvent as E;
    match e {
        E::Taken(f) => {
            let mut out = std::io::stdout().lock();
            if let Ok(line) = serde_json::to_string(&f) {
                let _ = writeln!(out, "{line}");
                let _ = out.flush();
            }
        }
        E::Skipped { path, reason } => eprintln!("bỏ qua {path}: {reason}"),
        E::Folder { path, present: false } => eprintln!("không đọc được thư mục {path}"),
        E::Folder { path, present: true } => eprintln!("đọc lại được thư mục {path}"),
        E::Failed { path, error } => {
            failed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            eprintln!("không lưu được {path}: [{}] {}", error.code.as_str(), error.message);
        }
    }
}

fn parse_field(s: &str) -> Result<FieldChange, String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok(FieldChange { key: k.to_owned(), value: v.to_owned() }),
        _ => Err(format!("expected KEY=VALUE, got {s:?}")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json || !std::io::stdout().is_terminal();
    match run(cli, json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e, json);
            ExitCode::from(exit_status(e.code))
        }
    }
}

fn run(cli: Cli, json: bool) -> Result<(), ApiError> {
    if let Command::Scan { mode, dpi, out, pdf, threads, photos } = &cli.command {
        return scan_command(*mode, *dpi, out, pdf.as_deref(), *threads, photos, json);
    }
    if let Command::Cccd { photos } = &cli.command {
        return cccd_command(photos);
    }
    if let Command::Separator { out, kind } = &cli.command {
        return digitise::separator(out, kind);
    }
    let data_dir = match cli.data_dir {
        Some(d) => d,
        None => hoso_api::default_data_dir()?,
    };
    let hoso = Arc::new(Hoso::open(&data_dir, Arc::new(SystemClock))?);
    let portal = cli.portal.clone();
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Procedures { query } => {
            let list = hoso.procedures(&query.join(" "));
            if json {
                emit(&mut out, &list)
            } else {
                list.iter()
                    .try_for_each(|p| writeln!(out, "{:<10} {}  [{}]", p.code, p.name, p.field))
                    .map_err(io_err)
            }
        }
        Command::New { procedure, fields } => {
            let d = hoso.create_dossier(&procedure, &fields)?;
            if json { emit(&mut out, &d) } else { writeln!(out, "{}", d.id).map_err(io_err) }
        }
        Command::Show { id } => {
            let d = hoso.dossier(&id)?;
            if json { emit(&mut out, &d) } else { show(&mut out, &d).map_err(io_err) }
        }
        Command::Attach { id, component, files } => {
            let mut last = None;
            for path in &files {
                let bytes = std::fs::read(path).map_err(|e| {
                    ApiError::new(
                        ErrorCode::InvalidInput,
                        format!("cannot read {}: {e}", path.display()),
                    )
                })?;
                let name =
                    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                last = Some(hoso.add_page(
                    &id,
                    &component,
                    &bytes,
                    hoso_api::media_type_of(&bytes),
                    &name,
                )?);
            }
            let d = last.ok_or_else(|| ApiError::new(ErrorCode::InvalidInput, "no file given"))?;
            if json { emit(&mut out, &d) } else { show(&mut out, &d).map_err(io_err) }
        }
        Command::Watch { once, dossier, component, dirs } => {
            let target = dossier.zip(component);
            let failed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let f = Arc::clone(&failed);
            let on_event: hoso_api::OnWatch = Box::new(move |e| watch_line(e, &f));
            if once {
                hoso.watch_once(&dirs, target, std::time::Duration::from_secs(300), on_event)?;
            } else {
                hoso.watch_until(&dirs, target, on_event, || false)?;
            }
            match failed.load(std::sync::atomic::Ordering::SeqCst) {
                0 => Ok(()),
                n => Err(ApiError::new(ErrorCode::Internal, format!("{n} ảnh không lưu được"))),
            }
        }
        Command::Finalize { id } => {
            let d = hoso.finalize(&id)?;
            if json { emit(&mut out, &d) } else { show(&mut out, &d).map_err(io_err) }
        }
        Command::Status { id } => {
            let d = hoso.dossier(&id)?;
            let status = serde_json::json!({
                "id": d.id,
                "state": d.state,
                "receipt": d.receipt,
                "statusMessage": d.status_message,
                "sending": d.sending,
                "results": d.results,
                "timeline": d.timeline,
            });
            if json {
                emit(&mut out, &status)
            } else {
                writeln!(out, "{} {:?} {}", d.id, d.state, d.receipt.unwrap_or_default())
                    .map_err(io_err)
            }
        }
        Command::Receipt { id, out: path } => {
            let pdf = hoso.receipt_pdf(&id)?;
            std::fs::write(&path, &pdf).map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("cannot write {}: {e}", path.display()),
                )
            })?;
            let written =
                serde_json::json!({ "path": path.display().to_string(), "bytes": pdf.len() });
            if json {
                emit(&mut out, &written)
            } else {
                writeln!(out, "{}", path.display()).map_err(io_err)
            }
        }
        Command::Fee { id } => emit(&mut out, &hoso.fee(&id)?),
        Command::Diagnostics { out: path } => {
            let text = serde_json::to_string_pretty(&hoso.diagnostics()?)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            write_file(&path, text.as_bytes())?;
            emit(
                &mut out,
                &serde_json::json!({ "path": path.display().to_string(), "bytes": text.len() }),
            )
        }
        Command::ExportPdf { id, out: path } => {
            let pdf = hoso.dossier_pdf(&id)?;
            write_file(&path, &pdf)?;
            emit(
                &mut out,
                &serde_json::json!({ "path": path.display().to_string(), "bytes": pdf.len() }),
            )
        }
        Command::Bundle { action: BundleAction::Export { id, out: path, receipt } } => {
            let bytes =
                if receipt { hoso.bundle_export_receipt(&id)? } else { hoso.bundle_export(&id)? };
            write_file(&path, &bytes)?;
            emit(
                &mut out,
                &serde_json::json!({ "path": path.display().to_string(), "bytes": bytes.len() }),
            )
        }
        Command::Bundle { action: BundleAction::Import { file, replace, on_behalf } } => {
            let bytes = std::fs::read(&file).map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("cannot read {}: {e}", file.display()),
                )
            })?;
            // A refused bundle is a JSON answer with the reader's own code, like `hoso cccd`
            // (read again only then, to name the code).
            match hoso.bundle_import(&bytes, replace, on_behalf) {
                Ok(done) => writeln!(out, "{}", serde_json::json!(done)).map_err(io_err),
                Err(e) => {
                    let code = match e.code {
                        ErrorCode::BadBundle => {
                            hoso_bundle::read(&bytes, &hoso_bundle::Limits::default())
                                .err()
                                .map_or("bad_bundle", |b| b.code())
                        }
                        other => other.as_str(),
                    };
                    writeln!(out, "{}", serde_json::json!({ "error": code, "message": e.message }))
                        .map_err(io_err)?;
                    Err(e)
                }
            }
        }
        Command::Pay { id, qr } => {
            let mut payment = hoso.payment(&id)?;
            if let Some(path) = &qr {
                let png = hoso.payment_qr_png(&id, 8)?;
                std::fs::write(path, &png).map_err(|e| {
                    ApiError::new(
                        ErrorCode::InvalidInput,
                        format!("cannot write {}: {e}", path.display()),
                    )
                })?;
            }
            if json {
                payment.qr_svg.clear();
                emit(&mut out, &payment)
            } else {
                writeln!(out, "{}", payment.vietqr).map_err(io_err)
            }
        }
        Command::Send { wait, timeout } => {
            let summary = send(&hoso, portal.as_deref(), wait, timeout)?;
            let outstanding = summary["outstanding"].as_u64().unwrap_or(0);
            if json {
                emit(&mut out, &summary)?
            } else {
                writeln!(out, "{summary}").map_err(io_err)?
            }
            if wait && outstanding > 0 {
                return Err(ApiError::new(
                    ErrorCode::PortalUnreachable,
                    format!("{outstanding} dossiers are still waiting to be sent"),
                ));
            }
            Ok(())
        }
        Command::Scan { .. } | Command::Cccd { .. } => Ok(()), // handled before the store is opened
        Command::Digitise { input, out, ocr, threads, group } => {
            digitise::digitise(&hoso, &input, out.as_deref(), ocr, threads, group)
        }
        Command::Ocr { threads } => digitise::ocr(&hoso, threads),
        Command::Search { query, limit } => digitise::search(&hoso, &query.join(" "), limit),
        Command::Separator { .. } => Ok(()),
        Command::ExportArchive { out: dir } => emit(&mut out, &hoso.export_archive(&dir)?),
        Command::ImportArchive { dir } => {
            let report = hoso.import_archive(&dir)?;
            emit(&mut out, &report)?;
            if report.failed.is_empty() {
                Ok(())
            } else {
                Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("{} hồ sơ không nhập được", report.failed.len()),
                ))
            }
        }
        Command::List { query, trash, limit } => {
            let list = hoso.list_dossiers(&ListQuery {
                query: query.unwrap_or_default(),
                trash,
                limit: Some(limit),
                offset: None,
            })?;
            if json {
                emit(&mut out, &list)
            } else {
                list.items
                    .iter()
                    .try_for_each(|d| {
                        writeln!(
                            out,
                            "{}  {:<40} {}  {}",
                            d.id,
                            d.procedure_name,
                            badge(d.missing),
                            d.title
                        )
                    })
                    .and_then(|()| writeln!(out, "({} hồ sơ)", list.total))
                    .map_err(io_err)
            }
        }
    }
}

/// Sends what is due: one pass, or with `wait` until nothing is left (bounded by `timeout`).
fn send(
    hoso: &Hoso,
    portal: Option<&str>,
    wait: bool,
    timeout: u64,
) -> Result<serde_json::Value, ApiError> {
    let config = hoso.portal_config_at(portal)?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::PortalUnreachable,
            "no portal configured: give --portal URL (or HOSO_PORTAL_URL) and HOSO_PORTAL_TOKEN",
        )
    })?;
    let mut sender = hoso.open_sender(config)?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(timeout);
    let (mut submitted, mut set_aside) = (Vec::new(), Vec::new());
    let (mut connected, mut unauthorized, mut changes) = (false, false, 0u32);
    loop {
        let report = sender.pass()?;
        connected |= report.connected;
        unauthorized |= report.unauthorized;
        changes += report.status_changes;
        submitted.extend(report.submitted.iter().cloned());
        set_aside.extend(report.set_aside.iter().cloned());
        let outstanding = sender.outstanding()?;
        if !wait || outstanding == 0 || unauthorized || std::time::Instant::now() >= deadline {
            return Ok(serde_json::json!({
                "connected": connected,
                "unauthorized": unauthorized,
                "submitted": submitted,
                "setAside": set_aside,
                "statusChanges": changes,
                "outstanding": outstanding,
            }));
        }
        // Wait for the next due job, at most a few seconds at a time, never past the deadline.
        let now = SystemClock.now_ms();
        let due = sender.next_due()?.unwrap_or(now + 1_000);
        let pause = (due - now).clamp(100, if report.connected { 2_000 } else { 5_000 });
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        std::thread::sleep(
            std::time::Duration::from_millis(u64::try_from(pause).unwrap_or(100)).min(left),
        );
    }
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), ApiError> {
    std::fs::write(path, bytes).map_err(|e| {
        ApiError::new(ErrorCode::InvalidInput, format!("cannot write {}: {e}", path.display()))
    })
}

fn emit(out: &mut impl Write, value: &impl Serialize) -> Result<(), ApiError> {
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    writeln!(out).map_err(io_err)
}

fn badge(missing: u32) -> String {
    if missing == 0 {
        "Sẵn sàng nộp".to_owned()
    } else {
        format!("Còn thiếu {missing} mục")
    }
}

fn show(out: &mut impl Write, d: &Dossier) -> std::io::Result<()> {
    let name = d.procedure.as_ref().map_or("", |p| p.summary.name.as_str());
    writeln!(out, "Hồ sơ {}: {} ({})", d.id, name, d.procedure_code)?;
    writeln!(out, "{}", badge(d.missing))?;
    for (k, v) in &d.values {
        writeln!(out, "  {k} = {v}")?;
    }
    for i in &d.issues {
        writeln!(out, "  ! {}: {:?}", i.key, i.code)?;
    }
    for c in &d.components {
        let mark = if c.missing { "thiếu" } else { "có" };
        writeln!(out, "  [{mark}] {} ({} trang)", c.code, c.pages.len())?;
    }
    Ok(())
}

fn io_err(e: std::io::Error) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("cannot write output: {e}"))
}

/// Stable exit statuses by error class; 2 is clap's for bad usage.
fn exit_status(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::NotFound => 3,
        ErrorCode::UnknownProcedure
        | ErrorCode::UnknownField
        | ErrorCode::UnknownComponent
        | ErrorCode::InvalidInput
        | ErrorCode::NotEditable
        | ErrorCode::NotReady
        | ErrorCode::BadImage
        | ErrorCode::BadBundle
        | ErrorCode::Exists => 4,
        ErrorCode::PortalUnreachable => 6,
        ErrorCode::OcrUnavailable => 7,
        ErrorCode::StoreCorrupt
        | ErrorCode::StoreLocked
        | ErrorCode::StoreReadOnly
        | ErrorCode::StoreTooNew
        | ErrorCode::DiskFull
        | ErrorCode::StoreUnavailable => 5,
        ErrorCode::Internal => 1,
    }
}

fn report(e: &ApiError, json: bool) {
    let mut err = std::io::stderr().lock();
    if json {
        let _ = serde_json::to_writer(&mut err, e);
        let _ = writeln!(err);
    } else {
        let _ = writeln!(err, "lỗi [{}]: {}", e.code.as_str(), e.message);
    }
}
