//! HoSo's log: one line per thing that happened (start, finalising, sending rounds, refusals),
//! in `logs/hoso.log` of the data folder, rotated at 1 MiB (five old files kept), for whoever
//! supports a commune office. It is written for them, not about anyone: lines carry codes,
//! counts and the first part of dossier ids, never names or form values; and every line is
//! masked before it is written (long digit runs — ID and phone numbers — e-mail addresses, the
//! home folder), in case something personal slips into a message.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The log folder inside the data folder.
pub const LOG_DIR: &str = "logs";
const FILE: &str = "hoso.log";
const MAX_BYTES: u64 = 1 << 20;
const KEEP: usize = 5;

/// Masks what could identify someone: runs of 9 or more digits (CCCD, CMND, phone and account
/// numbers; single spaces and dots between digits count), e-mail addresses, and the home
/// folder.
pub fn mask(line: &str) -> String {
    let home = std::env::var("HOME").ok().filter(|h| h.len() > 1);
    let line = match home {
        Some(h) => line.replace(&h, "~"),
        None => line.to_owned(),
    };
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            // A run of digits, allowing single spaces or dots inside ("0912 345 678"); a dash
            // ends it, so receipt codes (HS-251122-000042-K) and dates stay readable.
            let mut j = i;
            let mut digits = 0;
            while j < chars.len() {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    j += 1;
                } else if matches!(chars[j], ' ' | '.')
                    && j + 1 < chars.len()
                    && chars[j + 1].is_ascii_digit()
                    && j > i
                {
                    j += 1;
                } else {
                    break;
                }
            }
            if digits >= 9 {
                out.push_str("[số đã ẩn]");
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    mask_emails(&out)
}

fn mask_emails(s: &str) -> String {
    s.split(' ')
        .map(|w| if w.contains('@') && w.contains('.') { "[email]" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A log file in a folder.
#[derive(Debug)]
pub struct Log {
    dir: PathBuf,
}

impl Log {
    pub fn new(data_dir: &Path) -> Self {
        Self { dir: data_dir.join(LOG_DIR) }
    }

    /// Appends one masked line, stamped with the time (ms since the Unix epoch). Logging never
    /// fails the caller: a log that cannot be written is skipped.
    pub fn line(&self, at_ms: i64, text: &str) {
        let _ = self.try_line(at_ms, text);
    }

    fn try_line(&self, at_ms: i64, text: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(FILE);
        if std::fs::metadata(&path).is_ok_and(|m| m.len() >= MAX_BYTES) {
            for n in (1..KEEP).rev() {
                let _ = std::fs::rename(
                    self.dir.join(format!("{FILE}.{n}")),
                    self.dir.join(format!("{FILE}.{}", n + 1)),
                );
            }
            std::fs::rename(&path, self.dir.join(format!("{FILE}.1")))?;
        }
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
        let one_line = mask(text).replace(['\n', '\r'], " ");
        writeln!(f, "{at_ms} {one_line}")
    }

    /// The last `n` lines, oldest first (from the current file and, if needed, the previous).
    pub fn tail(&self, n: usize) -> Vec<String> {
        let mut lines = Vec::new();
        for name in [format!("{FILE}.1"), FILE.to_owned()] {
            if let Ok(text) = std::fs::read_to_string(self.dir.join(name)) {
                lines.extend(text.lines().map(str::to_owned));
            }
        }
        let skip = lines.len().saturating_sub(n);
        lines.split_off(skip)
    }
}

/// The façade's log, shared by its threads.
#[derive(Debug)]
pub(crate) struct Logger(Mutex<Log>);

impl Logger {
    pub(crate) fn new(data_dir: &Path) -> Self {
        Self(Mutex::new(Log::new(data_dir)))
    }
    pub(crate) fn line(&self, at_ms: i64, text: &str) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).line(at_ms, text);
    }
    pub(crate) fn tail(&self, n: usize) -> Vec<String> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).tail(n)
    }
}

/// The first part of a dossier id: enough to follow one dossier through the log.
pub(crate) fn short(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_and_phone_numbers_and_emails_are_masked_and_short_numbers_kept() {
        assert_eq!(mask("cccd 001190012345 ok"), "cccd [số đã ẩn] ok");
        assert_eq!(mask("gọi 0912 345 678 nhé"), "gọi [số đã ẩn] nhé");
        assert_eq!(mask("cmnd 123.456.789"), "cmnd [số đã ẩn]");
        assert_eq!(mask("thư hoa.nguyen@gmail.com"), "thư [email]");
        assert_eq!(
            mask("3 trang, 15000 đồng, HS-251122-000042-K"),
            "3 trang, 15000 đồng, HS-251122-000042-K"
        );
    }

    #[test]
    fn the_log_rotates_and_keeps_five_old_files() {
        let dir = tempfile::tempdir().expect("tmp");
        let log = Log::new(dir.path());
        let long = "x".repeat(1000);
        for i in 0..8_000 {
            log.line(i, &long);
        }
        let files = std::fs::read_dir(dir.path().join(LOG_DIR)).expect("logs").count();
        assert_eq!(files, KEEP + 1, "the current file and five old ones");
        assert_eq!(log.tail(3).len(), 3);
        assert!(log.tail(1)[0].starts_with("7999 "));
    }
}
