//! Integration tests of the real `hoso-portal` binary on 127.0.0.1.

mod docs;
mod dossiers;
mod faults;
mod tus;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use ureq::http::Response;

pub const BIN: &str = env!("CARGO_BIN_EXE_hoso-portal");

/// A running portal process; killed when dropped.
#[derive(Debug)]
pub struct Portal {
    child: Child,
    pub url: String,
    pub data: PathBuf,
}

impl Portal {
    pub fn start(data: &Path, extra: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args(["--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start hoso-portal");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read");
        let url = line.trim().rsplit(' ').next().expect("url").to_owned();
        assert!(url.starts_with("http://127.0.0.1:"), "unexpected first line: {line:?}");
        Self { child, url, data: data.to_owned() }
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    /// SIGKILL, as a power cut or crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs an operator command and returns its stdout.
pub fn operator(data: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).arg("--data").arg(data).output().expect("run");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf8")
}

pub fn token(data: &Path) -> String {
    operator(data, &["token", "create"]).trim().to_owned()
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .new_agent()
}

pub fn header<'a>(r: &'a Response<ureq::Body>, name: &str) -> Option<&'a str> {
    r.headers().get(name).and_then(|v| v.to_str().ok())
}

pub fn json(r: &mut Response<ureq::Body>) -> serde_json::Value {
    let text = r.body_mut().read_to_string().expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Creates an upload for `content` (with its SHA-256 in the metadata) and returns its path.
pub fn create_upload(p: &Portal, token: &str, content: &[u8]) -> String {
    let meta =
        format!("filename {},sha256 {}", b64(b"trang-1.jpg"), b64(sha256_hex(content).as_bytes()));
    let r = agent()
        .post(p.api("/files"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", content.len().to_string())
        .header("Upload-Metadata", meta)
        .send_empty()
        .expect("create");
    assert_eq!(r.status(), 201);
    header(&r, "location").expect("location").to_owned()
}

pub fn patch(
    p: &Portal,
    token: &str,
    location: &str,
    offset: usize,
    bytes: &[u8],
) -> Response<ureq::Body> {
    agent()
        .patch(format!("{}{location}", p.url))
        .header("Authorization", format!("Bearer {token}"))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .send(bytes)
        .expect("patch")
}

pub fn head_offset(p: &Portal, token: &str, location: &str) -> Response<ureq::Body> {
    agent()
        .head(format!("{}{location}", p.url))
        .header("Authorization", format!("Bearer {token}"))
        .header("Tus-Resumable", "1.0.0")
        .call()
        .expect("head")
}
