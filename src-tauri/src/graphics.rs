//! How the web view draws on Linux (WebKitGTK). HoSo's screens are forms: a GPU buys nothing
//! there, and a GL stack costs memory in every process that loads it (Mesa's software driver
//! maps LLVM, about 43 MB resident) and is the usual cause of blank WebKitGTK windows on old
//! office PCs' drivers. So pages are drawn in software, and the window process does not load
//! GL at all:
//! - `GDK_GL=disable`: GTK does not open a GL context to test the screen;
//! - `WEBKIT_DISABLE_DMABUF_RENDERER=1`: the page's pixels come through shared memory, not GPU
//!   buffers;
//! - `WEBKIT_WEB_RENDER_DEVICE_FILE`: WebKit is told which render device to hand the page
//!   process, so it does not open EGL in the window process to ask Mesa. The page process
//!   never uses it: with GPU buffers off it draws into shared memory.
//!
//! A value the user set before starting HoSo wins (to try GPU drawing again, say). The page
//! process still opens EGL for its first page: WebKitGTK 2.50 does so whatever the policy and
//! these variables say, so Mesa (and LLVM) remain in that one process. `scripts/bench.sh` says
//! which processes have a GL driver mapped.
//!
//! The support file ("Xuất thông tin hỗ trợ") carries the web engine's version and these
//! settings as they were at start, and which of them the user had set ([`diagnostics`]): a
//! blank or frozen window is the usual WebKitGTK report from the field.

use serde_json::{Value, json};

/// The names of [`SOFTWARE_ONLY`] the user had already set when HoSo started.
#[cfg(target_os = "linux")]
static USER_SET: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();

/// What is set before GTK starts, unless already set.
#[cfg(target_os = "linux")]
const SOFTWARE_ONLY: [(&str, &str); 3] = [
    ("GDK_GL", "disable"),
    ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
    ("WEBKIT_WEB_RENDER_DEVICE_FILE", "/dev/null"),
];

/// Sets [`SOFTWARE_ONLY`] for this process and the WebKit processes it starts. Call first in
/// `main`, before any thread exists.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
pub fn software_only() {
    let mut user_set = Vec::new();
    for (name, value) in SOFTWARE_ONLY {
        if std::env::var_os(name).is_some() {
            user_set.push(name);
        } else {
            // SAFETY: called at the top of `main`, before Tauri, GTK or anything else has
            // started a thread, so nothing reads the environment while it changes.
            unsafe { std::env::set_var(name, value) };
        }
    }
    let _ = USER_SET.set(user_set);
}

/// For the support file: the web engine and its version, and how pages are drawn.
pub fn diagnostics() -> Value {
    let version = wry::webview_version().unwrap_or_else(|e| format!("unknown: {e}"));
    #[cfg(target_os = "linux")]
    let drawing = json!({
        "engine": "WebKitGTK",
        "environment": SOFTWARE_ONLY
            .iter()
            .map(|(name, _)| ((*name).to_owned(), std::env::var(name).map_or(Value::Null, Value::from)))
            .collect::<serde_json::Map<_, _>>(),
        "setByUser": USER_SET.get().cloned().unwrap_or_default(),
    });
    #[cfg(not(target_os = "linux"))]
    let drawing = json!({ "engine": if cfg!(windows) { "WebView2" } else { "WKWebView" } });
    json!({ "webviewVersion": version, "drawing": drawing })
}

/// No GPU compositing for the page: pages are drawn in software (see the module).
pub fn software_pages(window: &tauri::WebviewWindow) {
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
