//! HoSo's desktop shell. Only this crate knows about Tauri: it opens the window, holds the
//! façade as managed state and exposes it through thin commands.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod sending;
mod state;

use state::Backend;
use tauri::Manager;

fn main() {
    let backend = Backend::from_env();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(backend)
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                software_rendering(&window);
            }
            let handle = app.handle().clone();
            let backend = app.state::<Backend>();
            let wake = std::sync::Arc::clone(&backend.wake);
            backend.when_open(move |hoso| {
                commands::start_watching(&handle, &hoso);
                sending::start(handle, hoso, wake)
            });
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("HoSo could not start its window: {e}");
        std::process::exit(1);
    }
}

/// HoSo's screens are forms: GPU compositing buys nothing there but costs ~80 MB per window
/// (a GL stack in the web process) and is the usual cause of blank WebKitGTK windows on old
/// office PCs' drivers. Pages are drawn in software instead.
fn software_rendering(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
