//! A real tus server nobody here wrote: `@tus/server` with `@tus/file-store` from npm, started
//! with Node on 127.0.0.1. The client must upload through it, resume after a cut, and cope
//! with its lack of the checksum extension.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use hoso_linksim::{Link, LinkConfig};
use hoso_outbox::net::{Identity, agent};
use hoso_outbox::tus::{LinkEstimate, LocalFile, Target, TusClient, UploadEvent};

use crate::support::{bytes, sha};

#[test]
fn uploads_to_tus_node_server_with_a_cut_and_no_checksum_extension() {
    let peer = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/tus-peer");
    assert!(
        peer.join("node_modules/@tus/server").is_dir(),
        "{} has no node_modules: run scripts/setup.sh (it runs npm ci there)",
        peer.display()
    );
    let store_dir = tempfile::tempdir().expect("tmp");
    let mut node = Command::new("node")
        .arg(peer.join("server.mjs"))
        .env("TUS_DIR", store_dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node");
    let stdout = node.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read");
    let port: u16 = line
        .trim()
        .strip_prefix("listening ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected: {line:?}"));

    let content = bytes(42, 800_000);
    let file = store_dir.path().join("local.bin");
    std::fs::write(&file, &content).expect("write");
    let link = Link::start(
        format!("127.0.0.1:{port}").parse().expect("addr"),
        LinkConfig {
            bytes_per_sec: Some(800_000),
            cut_at_up_bytes: vec![400_000],
            ..Default::default()
        },
    )
    .expect("link");
    let client = TusClient::new(agent(), None, Identity::NotRequired);
    let endpoint = format!("{}/files/", link.url());
    let caps = client.capabilities(&endpoint).expect("options");
    assert!(caps.extensions.iter().any(|e| e == "creation"), "{caps:?}");
    assert!(!caps.checksum_sha256, "@tus/server does not offer checksums: {caps:?}");
    let url = client
        .create(&endpoint, content.len() as u64, &[("filename", "trang.jpg")])
        .expect("create");
    let pushed = AtomicU64::new(0);
    let mut confirmed = Vec::new();
    client
        .upload_rest(
            Target { url: &url, known_offset: Some(0) },
            LocalFile { path: &file, size: content.len() as u64 },
            &caps,
            &mut LinkEstimate::default(),
            &pushed,
            &mut |e| {
                if let UploadEvent::Confirmed(o) = e {
                    confirmed.push(o);
                }
            },
        )
        .expect("upload");
    assert_eq!(link.stats().cuts.load(Ordering::SeqCst), 1);
    assert_eq!(confirmed.last().copied(), Some(content.len() as u64));
    // After the cut the upload resumed from the server's offset, not from zero.
    assert!(confirmed.iter().any(|o| *o > 0 && *o < content.len() as u64), "{confirmed:?}");
    let id = url.rsplit('/').next().expect("id");
    let stored = std::fs::read(store_dir.path().join(id)).expect("stored by @tus/file-store");
    assert_eq!(sha(&stored), sha(&content));
    let up = link.stats().up_bytes.load(Ordering::SeqCst);
    assert!(up < content.len() as u64 + 100_000, "{up} bytes went up");
    let _ = node.kill();
    let _ = node.wait();
}
