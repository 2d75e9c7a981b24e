//! Thin commands: unpack arguments, call the façade, return its `{ code, message }` error.

use hoso_api::ApiError;
use hoso_api::types::{
    Dossier, DossierList, FieldChange, ListQuery, ProcedureSummary, SaveOutcome, Startup,
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
        app_ready,
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

/// The UI painted its first screen. With `HOSO_REPORT_READY` set, says so on stdout for the
/// start-up benchmark.
#[tauri::command]
fn app_ready<R: Runtime>(app: AppHandle<R>) {
    if std::env::var_os("HOSO_REPORT_READY").is_some() {
        println!("HOSO_READY");
        let _ = std::io::Write::flush(&mut std::io::stdout());
    }
    let _ = app.get_webview_window("main");
}
