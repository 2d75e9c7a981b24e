//! One HoSo per data folder, and a window that comes back where it was.
//!
//! - A second launch on the same data folder hands its command line to the running HoSo, which
//!   comes to the front (and opens the dossier `--open ID` names), and exits. On Linux this goes
//!   through the session D-Bus (tauri-plugin-single-instance); without a session bus each launch
//!   runs on its own, as before.
//! - The window's size, position and maximised state are kept in the data folder
//!   (`window-state.json`), saved a moment after each change as well as on exit, so a power cut
//!   does not lose them.

use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// The event that asks the UI to open a dossier (its id is the payload).
pub const OPEN_EVENT: &str = "hoso://open";

/// The window-state file, inside the data folder.
pub const WINDOW_STATE_FILE: &str = "window-state.json";

/// What is kept of the window: not its visibility or decorations, which HoSo decides.
pub const WINDOW_FLAGS: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED)
    .union(StateFlags::FULLSCREEN);

/// How long after the last resize or move the window's state is written.
const SAVE_AFTER: Duration = Duration::from_millis(800);

/// The dossier the command line asks to open: `--open ID` or `--open=ID`.
pub fn open_request<S: AsRef<str>>(args: &[S]) -> Option<String> {
    let mut it = args.iter().map(AsRef::as_ref).skip(1);
    while let Some(a) = it.next() {
        let id = match a.strip_prefix("--open") {
            Some("") => it.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) {
            return Some(id.to_owned());
        }
    }
    None
}

/// The D-Bus name that makes HoSo single-instance: the app's identifier and a digest of the
/// data folder, so two data folders (a test's, a second person's) are two instances.
pub fn instance_id(identifier: &str, data_dir: Option<&Path>) -> String {
    // FNV-1a: stable across builds and platforms (std's hasher is not).
    let digest = data_dir.map_or(0, |d| {
        d.to_string_lossy().bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    });
    // A D-Bus name element may not start with a digit.
    format!("{identifier}.d{digest:016x}")
}

/// The dossier the command line asked for, handed to the UI once.
#[derive(Debug, Default)]
pub struct LaunchRequest(pub Mutex<Option<String>>);

impl LaunchRequest {
    pub fn take(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

/// A second launch: bring the window to the front and open what it asked for.
pub fn second_launch<R: Runtime>(app: &AppHandle<R>, args: &[String]) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
    if let Some(id) = open_request(args) {
        let _ = app.emit_to("main", OPEN_EVENT, id);
    }
    if let Ok(hoso) = crate::state::HosoExt::hoso(app) {
        hoso.log("second launch: brought the running window to the front");
    }
}

/// Writes the window's state a moment after it stops moving or changing size.
pub fn save_window_state_when_settled<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    let (tx, rx) = mpsc::channel::<()>();
    let app = window.app_handle().clone();
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Wait until no change came for SAVE_AFTER.
            loop {
                match rx.recv_timeout(SAVE_AFTER) {
                    Ok(()) => continue,
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            let _ = app.save_window_state(WINDOW_FLAGS);
        }
    });
    let tx = Mutex::new(tx);
    window.on_window_event(move |e| {
        if matches!(e, tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)) {
            let _ = tx.lock().unwrap_or_else(std::sync::PoisonError::into_inner).send(());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_names_the_dossier_to_open() {
        assert_eq!(open_request(&["hoso-desktop", "--open", "abc"]), Some("abc".into()));
        assert_eq!(open_request(&["hoso-desktop", "--open=abc"]), Some("abc".into()));
        assert_eq!(open_request(&["hoso-desktop", "x", "--open", " d1 "]), Some("d1".into()));
        assert_eq!(open_request(&["hoso-desktop"]), None);
        assert_eq!(open_request(&["hoso-desktop", "--open"]), None);
        assert_eq!(open_request(&["hoso-desktop", "--open="]), None);
        assert_eq!(open_request(&["hoso-desktop", "--opened", "x"]), None);
        // The program's own name is never an argument.
        assert_eq!(open_request(&["--open=abc"]), None);
    }

    #[test]
    fn each_data_folder_is_its_own_instance_with_a_valid_bus_name() {
        let a = instance_id("vn.hoso.desktop", Some(Path::new("/home/a/.local/share/hoso")));
        let b = instance_id("vn.hoso.desktop", Some(Path::new("/tmp/hoso-e2e-1")));
        assert_ne!(a, b);
        assert_eq!(a, instance_id("vn.hoso.desktop", Some(Path::new("/home/a/.local/share/hoso"))));
        for id in [&a, &b, &instance_id("vn.hoso.desktop", None)] {
            let last = id.rsplit('.').next().expect("element");
            assert!(last.starts_with('d') && last.len() == 17, "{id}");
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '.'), "{id}");
        }
    }
}
