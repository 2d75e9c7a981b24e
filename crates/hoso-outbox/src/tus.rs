//! A resumable uploader for tus 1.0 servers (core, creation, checksum, termination).
//!
//! Resuming: every attempt starts with HEAD for the server's offset and PATCHes from there, so
//! a cut costs only the bytes in flight. How a file is sent depends on the measured link:
//!
//! * **Slow link** (under 1 Mbit/s, or not measured yet): one streamed PATCH per stretch of the
//!   file (about 20 s of sending, at least 64 KiB, at most 16 MiB) *without* a per-chunk
//!   checksum. A cut keeps whatever reached the server, because an unverified chunk need not
//!   be thrown away; the file's SHA-256 travels in `Upload-Metadata`, and the portal checks
//!   the whole file when its last byte arrives, so nothing unverified is ever accepted.
//!   A checksummed chunk cut halfway must be resent whole, which on 2G costs more than it saves.
//! * **Fast link**, when the server offers `sha256` checksums: chunks of about 2 s of sending
//!   (256 KiB to 8 MiB), each with `Upload-Checksum`, so a corrupted chunk is caught at once.
//!
//! A server without the checksum extension (a plain tus server) always gets the slow-link way.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use sha2::{Digest, Sha256};
use ureq::SendBody;

use crate::net::{Identity, NetError, classify};

const TUS_VERSION: &str = "1.0.0";
const FAST_LINK_BYTES_PER_SEC: f64 = 125_000.0;
/// Until a transfer is measured, assume a 2G-class link (25 kB/s).
const ASSUMED_BYTES_PER_SEC: f64 = 25_000.0;
/// Consecutive failures without progress before giving the file back to the job's backoff.
const QUICK_RETRIES: u32 = 4;
/// The slowest pace a PATCH may keep before it is abandoned (bytes per second).
const MIN_PACE: u64 = 1_000;

/// What a tus server says it supports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    pub extensions: Vec<String>,
    pub checksum_sha256: bool,
    pub max_size: Option<u64>,
}

/// The measured speed of the link, updated after each transfer.
#[derive(Debug, Clone, Copy, Default)]
pub struct LinkEstimate {
    bytes_per_sec: Option<f64>,
}

/// An upload on the server, and its offset when certain (0 for an upload just created).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub url: &'a str,
    pub known_offset: Option<u64>,
}

/// A file on disk to upload.
#[derive(Debug, Clone, Copy)]
pub struct LocalFile<'a> {
    pub path: &'a Path,
    pub size: u64,
}

impl LinkEstimate {
    fn observe(&mut self, bytes: u64, took: Duration) {
        if bytes < 16 * 1024 || took.is_zero() {
            return;
        }
        let sample = bytes as f64 / took.as_secs_f64();
        self.bytes_per_sec = Some(match self.bytes_per_sec {
            Some(old) => old * 0.6 + sample * 0.4,
            None => sample,
        });
    }

    fn rate(&self) -> f64 {
        self.bytes_per_sec.unwrap_or(ASSUMED_BYTES_PER_SEC)
    }

    /// The next PATCH's length and whether it carries a checksum.
    fn plan(&self, caps: &Capabilities, remaining: u64) -> (u64, bool) {
        let fast = self.bytes_per_sec.is_some_and(|r| r >= FAST_LINK_BYTES_PER_SEC);
        if fast && caps.checksum_sha256 {
            let len = (self.rate() * 2.0) as u64;
            (len.clamp(256 * 1024, 8 * 1024 * 1024).min(remaining), true)
        } else {
            let len = (self.rate() * 20.0) as u64;
            (len.clamp(64 * 1024, 16 * 1024 * 1024).min(remaining), false)
        }
    }
}

/// A tus client bound to one agent, credentials and identity rule.
#[derive(Debug, Clone)]
pub struct TusClient {
    agent: ureq::Agent,
    authorization: Option<String>,
    identity: Identity,
    /// The first quick retry waits twice this; each next one twice as long again.
    pause_unit: Duration,
}

/// Where the upload of a file stands, reported as it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadEvent {
    /// The server created the upload at this URL.
    Created(String),
    /// The server has confirmed this many bytes.
    Confirmed(u64),
}

impl TusClient {
    pub fn new(agent: ureq::Agent, bearer_token: Option<&str>, identity: Identity) -> Self {
        Self {
            agent,
            authorization: bearer_token.map(|t| format!("Bearer {t}")),
            identity,
            pause_unit: Duration::from_millis(250),
        }
    }

    /// Scales the waits between quick retries (250 ms by default: 0.5, 1, 2, 4 s).
    pub fn with_pause_unit(mut self, unit: Duration) -> Self {
        self.pause_unit = unit;
        self
    }

    fn pause(&self, failures: u32) {
        std::thread::sleep(self.pause_unit * (1 << failures.min(4)));
    }

    fn auth<B>(&self, req: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        let req = req.header("Tus-Resumable", TUS_VERSION);
        match &self.authorization {
            Some(a) => req.header("Authorization", a),
            None => req,
        }
    }

    /// `OPTIONS endpoint`: the server's extensions and limits.
    pub fn capabilities(&self, endpoint: &str) -> Result<Capabilities, NetError> {
        let req = self
            .auth(self.agent.options(endpoint))
            .config()
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        let r = classify(req.call(), self.identity)?;
        let header = |name: &str| {
            r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
        };
        let extensions: Vec<String> = header("tus-extension")
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        let checksum_sha256 = extensions.iter().any(|e| e == "checksum")
            && header("tus-checksum-algorithm")
                .split(',')
                .any(|a| a.trim().eq_ignore_ascii_case("sha256"));
        Ok(Capabilities {
            extensions,
            checksum_sha256,
            max_size: header("tus-max-size").parse().ok(),
        })
    }

    /// Like [`TusClient::create`], retrying a few times at once when the link drops.
    pub fn create_retrying(
        &self,
        endpoint: &str,
        length: u64,
        metadata: &[(&str, &str)],
    ) -> Result<String, NetError> {
        let mut failures = 0;
        loop {
            match self.create(endpoint, length, metadata) {
                Err(NetError::NotConnected(_)) if failures < QUICK_RETRIES => {
                    failures += 1;
                    self.pause(failures);
                }
                other => return other,
            }
        }
    }

    /// `POST endpoint`: creates an upload of `length` bytes; returns its absolute URL.
    pub fn create(
        &self,
        endpoint: &str,
        length: u64,
        metadata: &[(&str, &str)],
    ) -> Result<String, NetError> {
        let encoded: Vec<String> = metadata
            .iter()
            .map(|(k, v)| {
                format!("{k} {}", base64::engine::general_purpose::STANDARD.encode(v.as_bytes()))
            })
            .collect();
        let req = self
            .auth(self.agent.post(endpoint))
            .header("Upload-Length", length.to_string())
            .header("Upload-Metadata", encoded.join(","))
            .config()
            .timeout_global(Some(Duration::from_secs(60)))
            .build();
        let r = classify(req.send_empty(), self.identity)?;
        let location =
            r.headers().get("location").and_then(|v| v.to_str().ok()).ok_or_else(|| {
                NetError::NotConnected(
                    "the server created an upload but gave no Location".to_owned(),
                )
            })?;
        Ok(resolve(endpoint, location))
    }

    /// `HEAD url`: how many bytes the server has.
    pub fn offset(&self, url: &str) -> Result<u64, NetError> {
        let req = self
            .auth(self.agent.head(url))
            .config()
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        let r = match classify(req.call(), self.identity) {
            Err(NetError::Permanent { status: 404 | 410, .. }) => return Err(gone()),
            other => other?,
        };
        r.headers()
            .get("upload-offset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| NetError::NotConnected("HEAD gave no Upload-Offset".to_owned()))
    }

    /// `PATCH url`: sends `len` bytes from `data` at `offset`; returns the new offset.
    fn patch(
        &self,
        url: &str,
        offset: u64,
        data: &mut dyn Read,
        len: u64,
        checksum: Option<&[u8]>,
        pushed: &AtomicU64,
    ) -> Result<u64, NetError> {
        let mut req = self
            .auth(self.agent.patch(url))
            .header("Upload-Offset", offset.to_string())
            .header("Content-Type", "application/offset+octet-stream")
            .header("Content-Length", len.to_string());
        if let Some(digest) = checksum {
            req = req.header(
                "Upload-Checksum",
                format!("sha256 {}", base64::engine::general_purpose::STANDARD.encode(digest)),
            );
        }
        let limit = Duration::from_secs(30 + len / MIN_PACE);
        let req = req.config().timeout_global(Some(limit)).build();
        let mut counted = Counted { inner: data, pushed };
        let r = match classify(req.send(SendBody::from_reader(&mut counted)), self.identity) {
            Err(NetError::Permanent { status: 404 | 410, .. }) => return Err(gone()),
            other => other?,
        };
        r.headers()
            .get("upload-offset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| NetError::NotConnected("PATCH gave no Upload-Offset".to_owned()))
    }

    /// `DELETE url`: termination.
    pub fn terminate(&self, url: &str) -> Result<(), NetError> {
        let req = self
            .auth(self.agent.delete(url))
            .config()
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        classify(req.call(), self.identity).map(|_| ())
    }

    /// Sends the rest of `file` to the target upload, resuming from the server's offset after
    /// every failure, until the server has it all. A known offset saves the first HEAD. Gives up after a few
    /// failures in a row without progress, or when the upload is gone (code `upload_gone`).
    pub fn upload_rest(
        &self,
        target: Target<'_>,
        file: LocalFile<'_>,
        caps: &Capabilities,
        link: &mut LinkEstimate,
        pushed: &AtomicU64,
        on_event: &mut dyn FnMut(UploadEvent),
    ) -> Result<(), NetError> {
        let LocalFile { path, size } = file;
        let Target { url, known_offset } = target;
        let mut failures = 0u32;
        let mut best = 0u64;
        let mut restarts = 0u32;
        // The server's offset is asked (HEAD) only when it is not known from the last answer:
        // at the start and after a failure. Each question costs a round trip on a slow link.
        let mut known: Option<u64> = known_offset;
        loop {
            let offset = match known.take() {
                Some(o) => o,
                None => match self.offset(url) {
                    Ok(o) => o,
                    Err(e) if retryable(&e) && failures < QUICK_RETRIES => {
                        failures += 1;
                        self.pause(failures);
                        continue;
                    }
                    Err(e) => return Err(e),
                },
            };
            if offset < best {
                // The server threw bytes away (its whole-file check failed): start over, twice
                // at most.
                restarts += 1;
                if restarts > 2 {
                    return Err(NetError::Permanent {
                        status: 460,
                        code: "file_checksum_mismatch".to_owned(),
                        message: "the portal keeps rejecting this file's bytes".to_owned(),
                        body: serde_json::Value::Null,
                    });
                }
            }
            if offset > best {
                failures = 0;
            }
            best = offset;
            pushed.store(offset, Ordering::SeqCst);
            on_event(UploadEvent::Confirmed(offset));
            if offset >= size {
                return Ok(());
            }
            let (len, with_checksum) = link.plan(caps, size - offset);
            let mut file = File::open(path).map_err(|e| local(&e))?;
            file.seek(SeekFrom::Start(offset)).map_err(|e| local(&e))?;
            let started = Instant::now();
            let result = if with_checksum {
                let mut chunk = vec![0u8; usize::try_from(len).unwrap_or(usize::MAX)];
                file.read_exact(&mut chunk).map_err(|e| local(&e))?;
                let digest = Sha256::digest(&chunk);
                self.patch(url, offset, &mut chunk.as_slice(), len, Some(digest.as_slice()), pushed)
            } else {
                self.patch(url, offset, &mut (&mut file).take(len), len, None, pushed)
            };
            match result {
                Ok(new_offset) => {
                    link.observe(new_offset.saturating_sub(offset), started.elapsed());
                    if new_offset > best {
                        best = new_offset;
                        failures = 0;
                        pushed.store(new_offset, Ordering::SeqCst);
                        on_event(UploadEvent::Confirmed(new_offset));
                    }
                    if new_offset >= size {
                        return Ok(());
                    }
                    known = Some(new_offset);
                }
                Err(e) if retryable(&e) && failures < QUICK_RETRIES => {
                    // Count what went through before the failure towards the estimate too.
                    failures += 1;
                    if !matches!(e, NetError::NotConnected(_)) {
                        self.pause(failures);
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }
}

fn gone() -> NetError {
    NetError::Permanent {
        status: 404,
        code: "upload_gone".to_owned(),
        message: "the server no longer has this upload".to_owned(),
        body: serde_json::Value::Null,
    }
}

fn local(e: &io::Error) -> NetError {
    NetError::Permanent {
        status: 0,
        code: "local_file".to_owned(),
        message: format!("cannot read the file to send: {e}"),
        body: serde_json::Value::Null,
    }
}

/// Failures worth an immediate retry from the server's offset.
fn retryable(e: &NetError) -> bool {
    match e {
        NetError::NotConnected(_) | NetError::Transient { .. } => true,
        NetError::Permanent { code, .. } => matches!(
            code.as_str(),
            "offset_mismatch" | "checksum_mismatch" | "file_checksum_mismatch"
        ),
        NetError::Unauthorized(_) => false,
    }
}

/// Resolves a Location header against the URL it answered.
pub fn resolve(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_owned();
    }
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    if location.starts_with('/') {
        format!("{}{location}", &base[..host_end])
    } else {
        let dir_end = base.rfind('/').filter(|i| *i >= host_end).map_or(base.len(), |i| i + 1);
        let mut b = base[..dir_end].to_owned();
        if !b.ends_with('/') {
            b.push('/');
        }
        format!("{b}{location}")
    }
}

/// Counts bytes as they are handed to the connection, for progress.
struct Counted<'a> {
    inner: &'a mut dyn Read,
    pushed: &'a AtomicU64,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pushed.fetch_add(n as u64, Ordering::SeqCst);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve_against_the_endpoint() {
        assert_eq!(
            resolve("http://h:1/api/v1/files", "/api/v1/files/ab"),
            "http://h:1/api/v1/files/ab"
        );
        assert_eq!(resolve("http://h:1/files/", "ab"), "http://h:1/files/ab");
        assert_eq!(resolve("http://h:1/files", "http://other/x"), "http://other/x");
    }

    #[test]
    fn slow_or_unmeasured_links_stream_and_fast_links_checksum_chunks() {
        let caps = Capabilities { checksum_sha256: true, ..Default::default() };
        let mut link = LinkEstimate::default();
        let (len, sum) = link.plan(&caps, 10_000_000);
        assert!(!sum);
        assert_eq!(len, 500_000, "20 s at the assumed 25 kB/s");
        link.observe(2_000_000, Duration::from_secs(1));
        let (len, sum) = link.plan(&caps, 10_000_000);
        assert!(sum);
        assert_eq!(len, 4_000_000);
        let plain = Capabilities::default();
        assert!(!link.plan(&plain, 10_000_000).1, "no checksum without the extension");
        assert_eq!(link.plan(&caps, 1000).0, 1000, "never past the end");
    }
}
