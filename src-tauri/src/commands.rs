//! Thin commands: unpack arguments, call the façade, return its `{ code, message }` error.

use hoso_api::ApiError;
use hoso_api::ErrorCode;
use hoso_api::types::{
    AddressNew, BridgeStatus, BundleInfo, CardProposal, Dossier, DossierList, FieldChange,
    Imported, InboxPage, LanAddress, ListQuery, PageEdit, PaperReading, PortalSettings,
    ProcedureSummary, SaveOutcome, Startup, SupportDesk, UnitHit, UnitProvince, WatchFolderInfo,
};
use tauri::{AppHandle, Manager, Runtime, State};

use crate::state::{Backend, HosoExt};

type Result<T> = std::result::Result<T, ApiError>;

pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        startup,
        procedures,
        create_dossier,
        open_dossier,
        save_fields,
        list_dossiers,
        duplicate_dossier,
        trash_dossier,
        restore_dossier,
        purge_dossier,
        add_page,
        finalize_dossier,
        unqueue_dossier,
        send_now,
        portal_settings,
        support_desk,
        set_support_desk,
        set_portal,
        set_sending_paused,
        save_receipt,
        save_dossier_pdf,
        save_diagnostics,
        save_bundle,
        bundle_info,
        bundle_import,
        scan_page,
        pending_pages,
        page_thumbnail,
        page_photo,
        move_page,
        remove_page,
        restore_page,
        save_component_pdf,
        bridge_addresses,
        bridge_open,
        bridge_open_card,
        bridge_open_guided,
        bridge_aim,
        unit_provinces,
        unit_search,
        address_new,
        bridge_status,
        bridge_cut_off,
        bridge_close,
        watch_folders,
        add_watch_folder,
        remove_watch_folder,
        pick_folder,
        inbox,
        inbox_thumbnail,
        inbox_assign,
        inbox_dismiss,
        inbox_restore,
        read_card,
        read_card_from_page,
        read_paper,
        app_ready,
        launch_open,
        crate::archive::archive_digitise,
        crate::archive::archive_read,
        crate::archive::archive_search,
        crate::archive::archive_records,
        crate::archive::archive_record,
        crate::archive::archive_set_meta,
        crate::archive::archive_thumbnail,
        crate::archive::archive_page_view,
        crate::archive::archive_page_text,
        crate::archive::archive_stop_reading,
        crate::archive::archive_split,
        crate::archive::archive_merge,
        crate::archive::archive_save_separator,
        crate::archive::archive_export,
        crate::archive::archive_import,
    ]
}

#[tauri::command(async)]
fn startup(backend: State<'_, Backend>) -> Startup {
    backend.startup()
}

#[tauri::command(async)]
fn procedures<R: Runtime>(app: AppHandle<R>, query: String) -> Result<Vec<ProcedureSummary>> {
    Ok(app.hoso()?.procedures(&query))
}

#[tauri::command(async)]
fn create_dossier<R: Runtime>(
    app: AppHandle<R>,
    procedure_code: String,
    fields: Vec<FieldChange>,
) -> Result<Dossier> {
    app.hoso()?.create_dossier(&procedure_code, &fields)
}

#[tauri::command(async)]
fn open_dossier<R: Runtime>(app: AppHandle<R>, id: String) -> Result<Dossier> {
    app.hoso()?.dossier(&id)
}

#[tauri::command(async)]
fn save_fields<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    changes: Vec<FieldChange>,
) -> Result<SaveOutcome> {
    app.hoso()?.save_fields(&id, &changes)
}

#[tauri::command(async)]
fn list_dossiers<R: Runtime>(app: AppHandle<R>, query: ListQuery) -> Result<DossierList> {
    app.hoso()?.list_dossiers(&query)
}

#[tauri::command(async)]
fn duplicate_dossier<R: Runtime>(app: AppHandle<R>, id: String) -> Result<Dossier> {
    app.hoso()?.duplicate_dossier(&id)
}

#[tauri::command(async)]
fn trash_dossier<R: Runtime>(app: AppHandle<R>, id: String) -> Result<()> {
    app.hoso()?.trash_dossier(&id)
}

#[tauri::command(async)]
fn restore_dossier<R: Runtime>(app: AppHandle<R>, id: String) -> Result<()> {
    app.hoso()?.restore_dossier(&id)
}

#[tauri::command(async)]
fn purge_dossier<R: Runtime>(app: AppHandle<R>, id: String) -> Result<()> {
    app.hoso()?.purge_dossier(&id)
}

/// Attaches a file sent as the raw request body; `x-dossier-id`, `x-component` and
/// `x-file-name` (URI-encoded) headers say where.
#[tauri::command]
fn add_page<R: Runtime>(app: AppHandle<R>, request: tauri::ipc::Request<'_>) -> Result<Dossier> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(ApiError::new(ErrorCode::InvalidInput, "the file must be sent as raw bytes"));
    };
    let header = |name: &str| {
        request.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
    };
    let name = percent_decode(&header("x-file-name"));
    let media_type = hoso_api::media_type_of(bytes);
    app.hoso()?.add_page(&header("x-dossier-id"), &header("x-component"), bytes, media_type, &name)
}

/// "Quét CCCD" from a photo sent as the raw request body (dossier in `x-dossier-id`), off the
/// UI thread.
#[tauri::command(async)]
fn read_card<R: Runtime>(
    app: AppHandle<R>,
    request: tauri::ipc::Request<'_>,
) -> Result<CardProposal> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(ApiError::new(ErrorCode::InvalidInput, "the photo must be sent as raw bytes"));
    };
    let id = request.headers().get("x-dossier-id").and_then(|v| v.to_str().ok()).unwrap_or("");
    app.hoso()?.read_card(id, bytes)
}

/// "Quét CCCD" from a page already in the dossier.
#[tauri::command(async)]
fn read_card_from_page<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    page_id: i64,
) -> Result<CardProposal> {
    app.hoso()?.read_card_from_page(&id, page_id)
}

/// Reads a paper's page (a birth certificate) and proposes what it says for the form.
#[tauri::command(async)]
fn read_paper<R: Runtime>(app: AppHandle<R>, id: String, page_id: i64) -> Result<PaperReading> {
    app.hoso()?.read_paper(&id, page_id)
}

#[tauri::command(async)]
fn finalize_dossier<R: Runtime>(
    app: AppHandle<R>,
    backend: State<'_, Backend>,
    id: String,
) -> Result<Dossier> {
    let d = app.hoso()?.finalize(&id)?;
    backend.wake.notify();
    Ok(d)
}

#[tauri::command(async)]
fn unqueue_dossier<R: Runtime>(app: AppHandle<R>, id: String) -> Result<Dossier> {
    app.hoso()?.unqueue(&id)
}

#[tauri::command(async)]
fn send_now<R: Runtime>(app: AppHandle<R>, backend: State<'_, Backend>) -> Result<()> {
    app.hoso()?.send_now()?;
    backend.wake.notify();
    Ok(())
}

/// The commune's one-stop desk shown on "Gọi hỗ trợ".
#[tauri::command(async)]
fn support_desk<R: Runtime>(app: AppHandle<R>) -> Result<SupportDesk> {
    app.hoso()?.support_desk()
}

#[tauri::command(async)]
fn set_support_desk<R: Runtime>(app: AppHandle<R>, desk: SupportDesk) -> Result<SupportDesk> {
    app.hoso()?.set_support_desk(&desk)
}

#[tauri::command(async)]
fn portal_settings<R: Runtime>(app: AppHandle<R>) -> Result<PortalSettings> {
    app.hoso()?.portal_settings()
}

#[tauri::command(async)]
fn set_portal<R: Runtime>(
    app: AppHandle<R>,
    backend: State<'_, Backend>,
    url: String,
    token: Option<String>,
) -> Result<PortalSettings> {
    let settings = app.hoso()?.set_portal(&url, token.as_deref())?;
    backend.wake.notify();
    Ok(settings)
}

#[tauri::command(async)]
fn set_sending_paused<R: Runtime>(
    app: AppHandle<R>,
    backend: State<'_, Backend>,
    paused: bool,
) -> Result<PortalSettings> {
    let settings = app.hoso()?.set_sending_paused(paused)?;
    backend.wake.notify();
    Ok(settings)
}

/// Saves the dossier's receipt PDF in the person's Downloads folder (`HoSo/<receipt>.pdf`) and
/// returns where.
#[tauri::command(async)]
fn save_receipt<R: Runtime>(app: AppHandle<R>, id: String) -> Result<String> {
    let hoso = app.hoso()?;
    let pdf = hoso.receipt_pdf(&id)?;
    let code = hoso.dossier(&id)?.receipt.unwrap_or_else(|| id.clone());
    save_download(&app, &format!("{code}.pdf"), &pdf)
}

/// Saves the whole dossier as one printable PDF (cover sheet, then its pages) in Downloads.
#[tauri::command(async)]
fn save_dossier_pdf<R: Runtime>(app: AppHandle<R>, id: String) -> Result<String> {
    let hoso = app.hoso()?;
    let pdf = hoso.dossier_pdf(&id)?;
    save_download(&app, &format!("ho-so-{}.pdf", short(&id)), &pdf)
}

/// Saves dossier `id` as a signed `.hoso` bundle in Downloads (`receipt`: only its receipt
/// code and state, for the citizen's copy).
#[tauri::command(async)]
fn save_bundle<R: Runtime>(app: AppHandle<R>, id: String, receipt: bool) -> Result<String> {
    let hoso = app.hoso()?;
    let (bytes, name) = if receipt {
        (hoso.bundle_export_receipt(&id)?, format!("bien-nhan-{}.hoso", short(&id)))
    } else {
        (hoso.bundle_export(&id)?, format!("ho-so-{}.hoso", short(&id)))
    };
    save_download(&app, &name, &bytes)
}

/// A bundle (the raw request body) read and checked, and whether this computer has it.
#[tauri::command(async)]
fn bundle_info<R: Runtime>(
    app: AppHandle<R>,
    request: tauri::ipc::Request<'_>,
) -> Result<BundleInfo> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(ApiError::new(ErrorCode::InvalidInput, "the bundle must be sent as raw bytes"));
    };
    app.hoso()?.bundle_info(bytes)
}

/// Imports a bundle (the raw request body); `x-replace: 1` confirms replacing another version,
/// `x-on-behalf: 1` marks it as sent for the citizen.
#[tauri::command(async)]
fn bundle_import<R: Runtime>(
    app: AppHandle<R>,
    request: tauri::ipc::Request<'_>,
) -> Result<Imported> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(ApiError::new(ErrorCode::InvalidInput, "the bundle must be sent as raw bytes"));
    };
    let flag = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()) == Some("1");
    app.hoso()?.bundle_import(bytes, flag("x-replace"), flag("x-on-behalf"))
}

/// Saves the support file ("Xuất thông tin hỗ trợ") in Downloads: no personal data.
#[tauri::command(async)]
fn save_diagnostics<R: Runtime>(app: AppHandle<R>) -> Result<String> {
    let hoso = app.hoso()?;
    let mut report = hoso.diagnostics()?;
    if let Some(fields) = report.as_object_mut() {
        let mut desktop = crate::graphics::diagnostics();
        desktop["processes"] = crate::memory::processes();
        fields.insert("desktop".to_owned(), desktop);
    }
    let text = serde_json::to_string_pretty(&report)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let day = vietnam_day();
    save_download(&app, &format!("hoso-ho-tro-{day}.json"), text.as_bytes())
}

/// Today in Vietnam as yyyy-mm-dd, for file names.
pub(crate) fn vietnam_day() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0));
    let d = hoso_api::civil_date_at(now);
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// The first part of a dossier id, for file names.
fn short(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

/// Writes `bytes` as `HoSo/<name>` in the person's Downloads folder; returns the path.
pub(crate) fn save_download<R: Runtime>(
    app: &AppHandle<R>,
    name: &str,
    bytes: &[u8],
) -> Result<String> {
    let folder = downloads(app)?;
    let path = folder.join(name);
    std::fs::create_dir_all(&folder).and_then(|()| std::fs::write(&path, bytes)).map_err(|e| {
        ApiError::new(ErrorCode::StoreReadOnly, format!("cannot write {}: {e}", path.display()))
    })?;
    Ok(path.display().to_string())
}

/// HoSo's folder in the person's Downloads (`~/Downloads/HoSo`).
pub(crate) fn downloads<R: Runtime>(app: &AppHandle<R>) -> Result<std::path::PathBuf> {
    app.path()
        .download_dir()
        .or_else(|_| app.path().home_dir().map(|h| h.join("Downloads")))
        .map(|d| d.join("HoSo"))
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("no Downloads folder: {e}")))
}

/// Makes a page from its photo (again), on the page-making thread (see `memory.rs`): `edit`
/// `None` finds everything by itself.
#[tauri::command(async)]
fn scan_page<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    page_id: i64,
    edit: Option<PageEdit>,
) -> Result<Dossier> {
    let hoso = app.hoso()?;
    app.state::<crate::memory::PageMaker>()
        .run(move || hoso.scan_page(&id, page_id, edit.as_ref()))
        .unwrap_or_else(|| {
            Err(ApiError::new(ErrorCode::Internal, format!("making page {page_id} failed")))
        })
}

/// The computer's network addresses a phone may reach it at.
#[tauri::command(async)]
fn bridge_addresses<R: Runtime>(app: AppHandle<R>) -> Result<Vec<LanAddress>> {
    Ok(app.hoso()?.bridge_addresses())
}

/// Starts the phone bridge for one paper of a dossier (closing any other).
#[tauri::command(async)]
fn bridge_open<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    component: String,
    address: Option<String>,
) -> Result<BridgeStatus> {
    app.hoso()?.bridge_open(&id, &component, address.as_deref())
}

/// Starts the phone bridge for "Quét CCCD": each photo is read as a card (closing any other).
#[tauri::command(async)]
fn bridge_open_card<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    address: Option<String>,
) -> Result<BridgeStatus> {
    app.hoso()?.bridge_open_card(&id, address.as_deref())
}

/// Starts the phone bridge of a guided session: it stays open across the steps, and
/// `bridge_aim` says where photos go (`card`, `auto` or a paper's code).
#[tauri::command(async)]
fn bridge_open_guided<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    aim: String,
    address: Option<String>,
) -> Result<BridgeStatus> {
    app.hoso()?.bridge_open_guided(&id, &aim, address.as_deref())
}

/// Where the guided session's next photos go.
#[tauri::command(async)]
fn bridge_aim<R: Runtime>(app: AppHandle<R>, id: String, aim: String) -> Result<BridgeStatus> {
    app.hoso()?.bridge_aim(&id, &aim)
}

/// The 34 provinces after the 2025 reform (the address picker). Async: the first call parses
/// the bundled units.
#[tauri::command(async)]
fn unit_provinces<R: Runtime>(app: AppHandle<R>) -> Result<Vec<UnitProvince>> {
    Ok(app.hoso()?.unit_provinces())
}

/// Communes matching what was typed, diacritics ignored, within a province if one is chosen.
#[tauri::command(async)]
fn unit_search<R: Runtime>(
    app: AppHandle<R>,
    query: String,
    province: Option<String>,
) -> Result<Vec<UnitHit>> {
    Ok(app.hoso()?.unit_search(&query, province.as_deref()))
}

/// An address written with the old units, in its new form (`None` when it is not).
#[tauri::command(async)]
fn address_new<R: Runtime>(app: AppHandle<R>, address: String) -> Result<Option<AddressNew>> {
    Ok(app.hoso()?.address_new(&address))
}

#[tauri::command(async)]
fn bridge_status<R: Runtime>(app: AppHandle<R>) -> Result<Option<BridgeStatus>> {
    Ok(app.hoso()?.bridge_status())
}

#[tauri::command(async)]
fn bridge_cut_off<R: Runtime>(app: AppHandle<R>, phone: u32) -> Result<BridgeStatus> {
    app.hoso()?.bridge_cut_off(phone)
}

#[tauri::command(async)]
fn bridge_close<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    app.hoso()?.bridge_close();
    Ok(())
}

/// Starts the folder watcher; everything it does is told to the window as `hoso://inbox`.
pub fn start_watching<R: Runtime>(app: &AppHandle<R>, hoso: &std::sync::Arc<hoso_api::Hoso>) {
    use tauri::Emitter;
    let emitter = app.clone();
    let started = hoso.start_watching(Box::new(move |e| {
        use hoso_api::WatchEvent as E;
        let payload = match e {
            E::Taken(f) => serde_json::json!({ "kind": "taken", "duplicate": f.duplicate }),
            E::Skipped { .. } => return,
            E::Folder { path, present } => {
                serde_json::json!({ "kind": "folder", "path": path, "present": present })
            }
            E::Failed { path, error } => {
                serde_json::json!({ "kind": "failed", "path": path, "error": error })
            }
        };
        let _ = emitter.emit("hoso://inbox", payload);
    }));
    if let Err(e) = started {
        eprintln!("HoSo could not watch folders: {e}");
    }
}

#[tauri::command(async)]
fn watch_folders<R: Runtime>(app: AppHandle<R>) -> Result<Vec<WatchFolderInfo>> {
    app.hoso()?.watch_folders()
}

#[tauri::command(async)]
fn add_watch_folder<R: Runtime>(
    app: AppHandle<R>,
    path: String,
    take_existing: bool,
) -> Result<Vec<WatchFolderInfo>> {
    app.hoso()?.add_watch_folder(&path, take_existing)
}

#[tauri::command(async)]
fn remove_watch_folder<R: Runtime>(
    app: AppHandle<R>,
    path: String,
) -> Result<Vec<WatchFolderInfo>> {
    app.hoso()?.remove_watch_folder(&path)
}

/// The system's folder picker; `None` when the person cancels.
#[tauri::command(async)]
fn pick_folder<R: Runtime>(app: AppHandle<R>) -> Option<String> {
    use tauri_plugin_dialog::DialogExt;
    let picked = app.dialog().file().set_title("Chọn thư mục").blocking_pick_folder()?;
    picked.into_path().ok().map(|p| p.display().to_string())
}

#[tauri::command(async)]
fn inbox<R: Runtime>(app: AppHandle<R>, limit: u32, offset: u32) -> Result<InboxPage> {
    app.hoso()?.inbox(limit, offset)
}

/// An inbox photo's thumbnail, as JPEG bytes.
#[tauri::command(async)]
fn inbox_thumbnail<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<tauri::ipc::Response> {
    Ok(tauri::ipc::Response::new(app.hoso()?.inbox_thumbnail(id)?))
}

#[tauri::command(async)]
fn inbox_assign<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    dossier: String,
    component: String,
) -> Result<Dossier> {
    app.hoso()?.inbox_assign(id, &dossier, &component)
}

#[tauri::command(async)]
fn inbox_dismiss<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<()> {
    app.hoso()?.inbox_dismiss(id)
}

#[tauri::command(async)]
fn inbox_restore<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<()> {
    app.hoso()?.inbox_restore(id)
}

#[tauri::command(async)]
fn pending_pages<R: Runtime>(app: AppHandle<R>, id: String) -> Result<Vec<i64>> {
    app.hoso()?.pending_pages(&id)
}

/// A scanned page's thumbnail, as JPEG bytes.
#[tauri::command(async)]
fn page_thumbnail<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    page_id: i64,
) -> Result<tauri::ipc::Response> {
    Ok(tauri::ipc::Response::new(app.hoso()?.page_thumbnail(&id, page_id)?))
}

/// The upright photo, small, as JPEG bytes, for placing the corners.
#[tauri::command(async)]
fn page_photo<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    page_id: i64,
) -> Result<tauri::ipc::Response> {
    Ok(tauri::ipc::Response::new(app.hoso()?.page_photo(&id, page_id)?))
}

#[tauri::command(async)]
fn move_page<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    page_id: i64,
    index: u32,
) -> Result<Dossier> {
    app.hoso()?.move_page(&id, page_id, index)
}

#[tauri::command(async)]
fn remove_page<R: Runtime>(app: AppHandle<R>, id: String, page_id: i64) -> Result<Dossier> {
    app.hoso()?.remove_page(&id, page_id)
}

#[tauri::command(async)]
fn restore_page<R: Runtime>(app: AppHandle<R>, id: String, page_id: i64) -> Result<Dossier> {
    app.hoso()?.restore_page(&id, page_id)
}

/// Saves a component's pages as one PDF in Downloads (`HoSo/<dossier>-<component>.pdf`).
#[tauri::command(async)]
fn save_component_pdf<R: Runtime>(
    app: AppHandle<R>,
    id: String,
    component: String,
) -> Result<String> {
    let pdf = app.hoso()?.component_pdf(&id, &component)?.ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, format!("component {component} has no scanned page"))
    })?;
    let short: String = id.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
    save_download(&app, &format!("{component}-{short}.pdf"), &pdf)
}

/// Decodes `encodeURIComponent` output; anything malformed is kept as it is.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && let (Some(h), Some(l)) =
                (b.get(i + 1).and_then(|c| hex(*c)), b.get(i + 2).and_then(|c| hex(*c)))
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The UI painted its first screen: the window is on the screen, so it can be brought whole onto
/// it (before, its place is not known yet). With `HOSO_REPORT_READY` set, says so on stdout for
/// the start-up benchmark.
#[tauri::command]
fn app_ready<R: Runtime>(app: AppHandle<R>) {
    if std::env::var_os("HOSO_REPORT_READY").is_some() {
        println!("HOSO_READY");
        let _ = std::io::Write::flush(&mut std::io::stdout());
    }
    if let Some(window) = app.get_webview_window("main") {
        crate::launch::fit_on_screen(&window);
    }
}

/// The dossier the command line asked to open (`--open ID`), once.
#[tauri::command]
fn launch_open(request: State<'_, crate::launch::LaunchRequest>) -> Option<String> {
    request.take()
}
