//! One HoSo per data folder, and a window that comes back where it was.
//!
//! - A second launch on the same data folder hands its command line to the running HoSo, which
//!   comes to the front (and opens the dossier `--open ID` names), and exits. On Linux this goes
//!   through the session D-Bus (tauri-plugin-single-instance); without a session bus each launch
//!   runs on its own, as before.
//! - The window's size, position and maximised state are kept in the data folder
//!   (`window-state.json`), saved a moment after each change as well as on exit, so a power cut
//!   does not lose them.
//! - The window always opens whole on the screen, above the taskbar: on a 1366×768 office PC
//!   the default 1280×800 window, or one last used on a bigger screen, is shrunk and moved in.

use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, PhysicalPosition, PhysicalSize, Runtime};
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

/// A rectangle in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

/// Where a window whose outer rectangle is `window` goes so that all of it is inside `area`
/// (the screen less its panels): no larger than the area, then moved the least that brings it
/// in. `None` when it already is inside.
pub fn fit_inside(window: Rect, area: Rect) -> Option<Rect> {
    let width = window.width.min(area.width);
    let height = window.height.min(area.height);
    // The farthest a side may start so the window still ends inside the area.
    let last = |start: i32, room: u32, len: u32| {
        start.saturating_add(i32::try_from(room - len).unwrap_or(i32::MAX))
    };
    let fitted = Rect {
        x: window.x.clamp(area.x, last(area.x, area.width, width)),
        y: window.y.clamp(area.y, last(area.y, area.height, height)),
        width,
        height,
    };
    (fitted != window).then_some(fitted)
}

/// Shrinks and moves the window, unless maximised or full screen, so that all of it is on the
/// screen it opens on (or the main screen, if it is on none).
pub fn fit_on_screen<R: Runtime>(window: &tauri::WebviewWindow<R>) {
    if window.is_maximized().unwrap_or(false) || window.is_fullscreen().unwrap_or(false) {
        return;
    }
    let monitor = window.current_monitor().ok().flatten();
    let Some(monitor) = monitor.or_else(|| window.primary_monitor().ok().flatten()) else {
        return;
    };
    let (Ok(position), Ok(outer), Ok(inner)) =
        (window.outer_position(), window.outer_size(), window.inner_size())
    else {
        return;
    };
    let area = monitor.work_area();
    let outer_rect =
        Rect { x: position.x, y: position.y, width: outer.width, height: outer.height };
    let area = Rect {
        x: area.position.x,
        y: area.position.y,
        width: area.size.width,
        height: area.size.height,
    };
    let Some(fit) = fit_inside(outer_rect, area) else { return };
    // The window's size is set without its frame (title bar, borders).
    let frame =
        (outer.width.saturating_sub(inner.width), outer.height.saturating_sub(inner.height));
    let _ = window.set_size(PhysicalSize::new(
        fit.width.saturating_sub(frame.0),
        fit.height.saturating_sub(frame.1),
    ));
    let _ = window.set_position(PhysicalPosition::new(fit.x, fit.y));
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
    fn a_window_too_big_or_off_the_screen_is_brought_whole_onto_it() {
        let r = |x, y, width, height| Rect { x, y, width, height };
        // A 1366×768 screen with a 40-pixel taskbar at the bottom.
        let area = r(0, 0, 1366, 728);
        // The default 1280×800 window, centred: as wide as it was, as tall as the area, at the top.
        assert_eq!(fit_inside(r(43, -16, 1280, 800), area), Some(r(43, 0, 1280, 728)));
        // Last used on a 1920×1080 screen: shrunk to the whole area.
        assert_eq!(fit_inside(r(0, 0, 1900, 1040), area), Some(r(0, 0, 1366, 728)));
        // Hanging over the right and bottom edges: moved back in, size kept.
        assert_eq!(fit_inside(r(900, 500, 800, 600), area), Some(r(566, 128, 800, 600)));
        // Already inside, touching the edges or not: left alone.
        assert_eq!(fit_inside(r(40, 20, 1024, 700), area), None);
        assert_eq!(fit_inside(r(0, 0, 1366, 728), area), None);
        // A second screen to the left of the main one, its taskbar at the top.
        let left = r(-1280, 30, 1280, 994);
        assert_eq!(fit_inside(r(-1300, 0, 1280, 800), left), Some(r(-1280, 30, 1280, 800)));
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
