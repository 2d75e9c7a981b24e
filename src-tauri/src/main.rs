//! HoSo's desktop shell. Only this crate knows about Tauri: it opens the window, holds the
//! façade as managed state and exposes it through thin commands.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod state;

use state::Backend;

fn main() {
    let backend = Backend::from_env();
    let result = tauri::Builder::default()
        .manage(backend)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("HoSo could not start its window: {e}");
        std::process::exit(1);
    }
}
