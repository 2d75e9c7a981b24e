//! HoSo's desktop shell. Only this crate knows about Tauri: it opens the window, holds the
//! façade as managed state and exposes it through thin commands.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod archive;
mod commands;
mod graphics;
mod launch;
mod memory;
mod sending;
mod state;

use launch::LaunchRequest;
use state::Backend;
use tauri::Manager;

fn main() {
    #[cfg(target_os = "linux")]
    graphics::software_only();
    let backend = Backend::from_env();
    let args: Vec<String> = std::env::args().collect();
    // The same folder reached by another path (relative, through a link) is the same HoSo.
    let data_dir =
        backend.data_dir().map(|d| std::fs::canonicalize(d).unwrap_or_else(|_| d.to_path_buf()));
    let context = tauri::generate_context!();
    let instance = launch::instance_id(&context.config().identifier, data_dir.as_deref());
    let mut window_state =
        tauri_plugin_window_state::Builder::new().with_state_flags(launch::WINDOW_FLAGS);
    if let Some(dir) = &data_dir {
        // An absolute file name: the plugin joins it to its config folder, which keeps it as is.
        window_state =
            window_state.with_filename(dir.join(launch::WINDOW_STATE_FILE).to_string_lossy());
    }
    let pages = match memory::PageMaker::start(memory::PageMaker::IDLE) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("HoSo could not start its page-making thread: {e}");
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        // First, so a second launch hands over before anything else starts.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance)
                .callback(|app, argv, _cwd| launch::second_launch(app, &argv))
                .build(),
        )
        .plugin(window_state.build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(backend)
        .manage(pages)
        .manage(LaunchRequest(std::sync::Mutex::new(launch::open_request(&args))))
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                graphics::software_pages(&window);
                launch::save_window_state_when_settled(&window);
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
        .run(context);
    if let Err(e) = result {
        eprintln!("HoSo could not start its window: {e}");
        std::process::exit(1);
    }
}
