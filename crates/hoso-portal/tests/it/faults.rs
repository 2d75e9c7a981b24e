//! The fault switch: captive pages without the portal header, 5xx answers, dropped connections.

use crate::{Portal, agent, header, token};

#[test]
fn captive_pages_lack_the_portal_header_and_injected_errors_are_5xx() {
    let dir = tempfile::tempdir().expect("tmp");
    let captive = Portal::start(dir.path(), &["--fault-captive-rate", "1"]);
    let mut r = agent().options(captive.api("/files")).call().expect("options");
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "hoso-portal"), None);
    assert!(r.body_mut().read_to_string().expect("body").contains("Wi-Fi"));
    drop(captive);

    let dir = tempfile::tempdir().expect("tmp");
    let failing = Portal::start(dir.path(), &["--fault-error-rate", "1"]);
    for _ in 0..10 {
        let r = agent().options(failing.api("/files")).call().expect("options");
        assert!(r.status() == 500 || r.status() == 503, "{}", r.status());
        if r.status() == 503 {
            assert_eq!(header(&r, "retry-after"), Some("1"));
        }
    }
}

#[test]
fn injected_errors_can_be_kept_to_one_path() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(
        dir.path(),
        &["--fault-error-rate", "1", "--fault-error-path", "/api/v1/dossiers"],
    );
    let t = token(dir.path());
    for _ in 0..5 {
        let r = agent().options(p.api("/files")).call().expect("options");
        assert!(r.status().is_success(), "the upload endpoint failed: {}", r.status());
        assert_eq!(header(&r, "hoso-portal"), Some("1"));
        let r = agent()
            .post(p.api("/dossiers"))
            .header("Authorization", format!("Bearer {t}"))
            .header("Content-Type", "application/json")
            .send("{}")
            .expect("submit");
        assert!(r.status() == 500 || r.status() == 503, "{}", r.status());
    }
}

#[test]
fn dropped_connections_cut_bodies_and_keep_what_arrived() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &["--fault-drop-rate", "1"]);
    let t = token(dir.path());
    // Creating needs no body, so it passes; a large PATCH body is cut part-way.
    let content = vec![9u8; 600_000];
    let loc = crate::create_upload(&p, &t, &content);
    let sent = agent()
        .patch(format!("{}{loc}", p.url))
        .header("Authorization", format!("Bearer {t}"))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", "0")
        .header("Content-Type", "application/offset+octet-stream")
        .send(&content[..]);
    assert!(
        sent.is_err()
            || sent
                .is_ok_and(|r| r.status() != 204 || header(&r, "upload-offset") != Some("600000"))
    );
    // Every connection is cut after at most 257 KiB of request bytes, so the file is partial.
    let id = loc.rsplit('/').next().expect("id");
    let mut stored = 0;
    for _ in 0..50 {
        stored =
            std::fs::metadata(dir.path().join("uploads").join(id)).map(|m| m.len()).unwrap_or(0);
        if stored > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(stored > 0 && stored < 600_000, "stored {stored}");
}
