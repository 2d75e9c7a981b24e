//! tus 1.0 uploads: discovery, creation, resume, checksums, termination, expiry, limits.

use std::time::Duration;

use crate::{
    Portal, agent, b64, create_upload, head_offset, header, json, patch, sha256_hex, token,
};

#[test]
fn options_advertises_the_extensions_and_every_answer_identifies_the_portal() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &["--max-upload-bytes", "1000"]);
    let r = agent().options(p.api("/files")).call().expect("options");
    assert_eq!(r.status(), 204);
    assert_eq!(header(&r, "tus-version"), Some("1.0.0"));
    let ext = header(&r, "tus-extension").expect("extensions");
    for e in ["creation", "creation-with-upload", "termination", "expiration", "checksum"] {
        assert!(ext.split(',').any(|x| x == e), "{e} missing from {ext}");
    }
    assert_eq!(header(&r, "tus-checksum-algorithm"), Some("sha256"));
    assert_eq!(header(&r, "tus-max-size"), Some("1000"));
    assert_eq!(header(&r, "hoso-portal"), Some("1"));
    // Even errors carry the header: the client can tell the portal from a captive page.
    let r = agent().get(p.api("/changes")).call().expect("no token");
    assert_eq!(r.status(), 401);
    assert_eq!(header(&r, "hoso-portal"), Some("1"));
    let r = agent().get(format!("{}/nothing-here", p.url)).call().expect("404");
    assert_eq!(r.status(), 404);
    assert_eq!(header(&r, "hoso-portal"), Some("1"));
}

#[test]
fn an_upload_resumes_from_the_servers_offset_and_checks_sha256_chunks() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &[]);
    let t = token(dir.path());
    let content: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let loc = create_upload(&p, &t, &content);
    assert!(loc.starts_with("/api/v1/files/"));

    let r = patch(&p, &t, &loc, 0, &content[..40_000]);
    assert_eq!(r.status(), 204);
    assert_eq!(header(&r, "upload-offset"), Some("40000"));
    assert!(header(&r, "upload-expires").is_some());

    // A client that lost track sends a wrong offset: 409 and the server's offset.
    let r = patch(&p, &t, &loc, 10, &content[10..20]);
    assert_eq!(r.status(), 409);
    assert_eq!(header(&r, "upload-offset"), Some("40000"));

    let r = head_offset(&p, &t, &loc);
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "upload-offset"), Some("40000"));
    assert_eq!(header(&r, "upload-length"), Some("100000"));
    assert_eq!(header(&r, "cache-control"), Some("no-store"));

    // A chunk whose checksum does not match is refused with 460 and not kept.
    let chunk = &content[40_000..70_000];
    let wrong = sha2_b64(b"something else");
    let r = agent()
        .patch(format!("{}{loc}", p.url))
        .header("Authorization", format!("Bearer {t}"))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", "40000")
        .header("Upload-Checksum", format!("sha256 {wrong}"))
        .header("Content-Type", "application/offset+octet-stream")
        .send(chunk)
        .expect("patch");
    assert_eq!(r.status(), 460);
    assert_eq!(header(&head_offset(&p, &t, &loc), "upload-offset"), Some("40000"));

    let r = agent()
        .patch(format!("{}{loc}", p.url))
        .header("Authorization", format!("Bearer {t}"))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", "40000")
        .header("Upload-Checksum", format!("sha256 {}", sha2_b64(chunk)))
        .header("Content-Type", "application/offset+octet-stream")
        .send(chunk)
        .expect("patch");
    assert_eq!(r.status(), 204);
    assert_eq!(header(&r, "upload-offset"), Some("70000"));
    let r = patch(&p, &t, &loc, 70_000, &content[70_000..]);
    assert_eq!(header(&r, "upload-offset"), Some("100000"));

    let id = loc.rsplit('/').next().expect("id");
    let stored = std::fs::read(dir.path().join("uploads").join(id)).expect("stored");
    assert_eq!(sha256_hex(&stored), sha256_hex(&content));
}

fn sha2_b64(bytes: &[u8]) -> String {
    use sha2::Digest;
    b64(&sha2::Sha256::digest(bytes))
}

#[test]
fn creation_with_upload_termination_limits_and_bad_requests() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &["--max-upload-bytes", "5000"]);
    let t = token(dir.path());
    let auth = format!("Bearer {t}");

    // Creation with the first bytes in the same request.
    let r = agent()
        .post(p.api("/files"))
        .header("Authorization", &auth)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", "10")
        .header("Content-Type", "application/offset+octet-stream")
        .send(&b"hello"[..])
        .expect("create");
    assert_eq!(r.status(), 201);
    assert_eq!(header(&r, "upload-offset"), Some("5"));
    let loc = header(&r, "location").expect("location").to_owned();

    // Termination.
    let r = agent()
        .delete(format!("{}{loc}", p.url))
        .header("Authorization", &auth)
        .header("Tus-Resumable", "1.0.0")
        .call()
        .expect("delete");
    assert_eq!(r.status(), 204);
    assert_eq!(head_offset(&p, &t, &loc).status(), 404);

    // Too large: a machine-readable 413.
    let mut r = agent()
        .post(p.api("/files"))
        .header("Authorization", &auth)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", "5001")
        .send_empty()
        .expect("create");
    assert_eq!(r.status(), 413);
    let body = json(&mut r);
    assert_eq!(body["code"], "too_large");
    assert_eq!(body["maxBytes"], 5000);

    // No Tus-Resumable: 412 with the supported version.
    let r = agent()
        .post(p.api("/files"))
        .header("Authorization", &auth)
        .header("Upload-Length", "3")
        .send_empty()
        .expect("post");
    assert_eq!(r.status(), 412);
    assert_eq!(header(&r, "tus-version"), Some("1.0.0"));

    // Ids are never paths, and other devices' uploads do not exist for you.
    for id in ["..%2F..%2Fportal.sqlite3", "0123", "ZZZZ0123456789abcdef0123456789ab"] {
        assert_eq!(head_offset(&p, &t, &format!("/api/v1/files/{id}")).status(), 404, "{id}");
    }
    let mine = create_upload(&p, &t, b"abc");
    let other = token(dir.path());
    assert_eq!(head_offset(&p, &other, &mine).status(), 404);
    assert_eq!(head_offset(&p, "not-a-token", &mine).status(), 401);
}

#[test]
fn an_upload_survives_a_portal_killed_mid_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &[]);
    let t = token(dir.path());
    let content = vec![42u8; 300_000];
    let loc = create_upload(&p, &t, &content);
    patch(&p, &t, &loc, 0, &content[..123_456]);
    p.kill();
    let p = Portal::start(dir.path(), &[]);
    let r = head_offset(&p, &t, &loc);
    assert_eq!(header(&r, "upload-offset"), Some("123456"));
    let r = patch(&p, &t, &loc, 123_456, &content[123_456..]);
    assert_eq!(header(&r, "upload-offset"), Some("300000"));
}

#[test]
fn abandoned_uploads_expire_and_are_deleted() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &["--upload-ttl-secs", "1", "--sweep-secs", "1"]);
    let t = token(dir.path());
    let loc = create_upload(&p, &t, &[1u8; 100]);
    let r = patch(&p, &t, &loc, 0, &[1u8; 10]);
    assert!(header(&r, "upload-expires").is_some());
    let id = loc.rsplit('/').next().expect("id").to_owned();
    let file = dir.path().join("uploads").join(&id);
    assert!(file.exists());
    // Bounded wait for the sweeper (runs every second, the upload expires after one).
    let mut gone = false;
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(100));
        if !file.exists() {
            gone = true;
            break;
        }
    }
    assert!(gone, "the expired upload's file is still there");
    let status = head_offset(&p, &t, &loc).status();
    assert!(status == 404 || status == 410, "{status}");
}
