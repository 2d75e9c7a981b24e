//! "Xuất thông tin hỗ trợ": one JSON file for whoever supports a commune office — versions,
//! settings without secrets, the state of the outbox and of syncing, the database's integrity —
//! and nothing about anyone: no names, ID numbers, addresses, form values, file names, dossier
//! ids or documents; counts and codes only. The portal's address is given by its host. The
//! log's last lines come along: they are written masked (see [`crate::log`]).

use serde_json::{Value, json};

use crate::{Hoso, Result};

/// Settings that may be shown as they are (none holds personal data or a secret).
const PLAIN_SETTINGS: [&str; 6] = [
    hoso_outbox::PAUSED_KEY,
    "portal.changes_cursor",
    "portal.next_status_poll",
    "portal.status_idle_polls",
    "catalogue.checked_at",
    "catalogue.etag",
];

/// `http://user:pw@host:port/path` → `http://host:port` (no credentials, no path).
fn host_only(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return String::new() };
    let authority = rest.split('/').next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    format!("{scheme}://{host}")
}

/// Total and available memory in MiB from the text of Linux's `/proc/meminfo`.
fn meminfo_mib(text: &str) -> Option<(u64, u64)> {
    let kib = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.split_whitespace().next()?.parse::<u64>().ok())
    };
    Some((kib("MemTotal:")? / 1024, kib("MemAvailable:")? / 1024))
}

/// The computer's memory, total and available now, in MiB: "HoSo is slow" on an office PC is
/// often a PC short of memory. `null` where it cannot be read (only Linux is read so far).
fn machine_memory() -> Value {
    #[cfg(target_os = "linux")]
    if let Some((total, available)) =
        std::fs::read_to_string("/proc/meminfo").ok().as_deref().and_then(meminfo_mib)
    {
        return json!({ "total": total, "available": available });
    }
    Value::Null
}

impl Hoso {
    /// The diagnostics file's content (see the module's notes).
    pub fn diagnostics(&self) -> Result<Value> {
        let info = self.info();
        let portal = self.portal_settings()?;
        let store = self.store();
        let figures = store.figures().map_err(|e| self.store_err(e))?;
        let integrity = store.integrity_check().map_err(|e| self.store_err(e))?;
        let mut settings = serde_json::Map::new();
        for key in PLAIN_SETTINGS {
            if let Some(v) = store.kv(key).map_err(|e| self.store_err(e))? {
                settings.insert(key.to_owned(), json!(v));
            }
        }
        let db_bytes = std::fs::metadata(store.db_path()).map_or(0, |m| m.len());
        drop(store);
        let device_key = self.data_dir.join("device.key").exists();
        Ok(json!({
            "hoso": {
                "version": info.version,
                "schema": info.schema_version,
                "catalogue": info.catalogue_version,
            },
            "system": {
                "os": std::env::consts::OS,
                "arch": std::env::consts::ARCH,
                "family": std::env::consts::FAMILY,
                "cores": std::thread::available_parallelism().map_or(0, usize::from),
                "memoryMiB": machine_memory(),
            },
            "portal": {
                "host": host_only(&portal.url),
                "fromEnvironment": portal.url_from_env,
                "token": portal.token_source,
                "paused": portal.paused,
            },
            "settings": settings,
            "database": {
                "bytes": db_bytes,
                "integrity": integrity,
            },
            "files": { "count": figures.files.0, "bytes": figures.files.1 },
            "dossiers": figures.dossiers.iter().map(|(state, live, trash)| json!({ "state": state, "live": live, "trash": trash })).collect::<Vec<_>>(),
            "outbox": figures.jobs.iter().map(|(state, n, attempts, codes)| json!({ "state": state, "jobs": n, "attempts": attempts, "errors": codes })).collect::<Vec<_>>(),
            "payments": { "unpaid": figures.payments.0, "paid": figures.payments.1 },
            "inbox": figures.inbox,
            "watchFolders": figures.watch_folders,
            "deviceKey": device_key,
            "log": self.recent_log(200),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::{host_only, meminfo_mib};

    #[test]
    fn the_computers_memory_is_read_from_meminfo() {
        let text = "MemTotal:        2030592 kB\nMemFree:          101232 kB\n\
                    MemAvailable:     524288 kB\nBuffers:           20480 kB\n";
        assert_eq!(meminfo_mib(text), Some((1983, 512)));
        assert_eq!(
            meminfo_mib("MemTotal: 2030592 kB\n"),
            None,
            "an old kernel without MemAvailable"
        );
    }

    #[test]
    fn only_the_portal_host_is_kept() {
        assert_eq!(
            host_only("https://an:secret@dichvucong.gov.vn:443/api/v1"),
            "https://dichvucong.gov.vn:443"
        );
        assert_eq!(host_only("http://127.0.0.1:8787"), "http://127.0.0.1:8787");
        assert_eq!(host_only(""), "");
    }
}
