//! Submission exactly once, receipts, the status feed, supplements, results and the catalogue.

use serde_json::{Value, json};

use crate::{
    Portal, agent, create_upload, head_offset, header, json, operator, patch, sha256_hex, token,
};

fn submit(p: &Portal, token: &str, body: &Value) -> (u16, Value, bool) {
    let mut r = agent()
        .post(p.api("/dossiers"))
        .header("Authorization", format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send(body.to_string().as_bytes())
        .expect("submit");
    let replayed = header(&r, "idempotent-replayed") == Some("true");
    (r.status().as_u16(), json(&mut r), replayed)
}

fn uploaded(p: &Portal, token: &str, content: &[u8]) -> String {
    let loc = create_upload(p, token, content);
    let r = patch(p, token, &loc, 0, content);
    assert_eq!(r.status(), 204);
    loc
}

fn dossier_body(client_id: &str, upload: &str, content: &[u8], name: &str) -> Value {
    json!({
        "clientId": client_id,
        "procedureCode": "1.001193",
        "values": { "applicant.full_name": name, "applicant.phone": "0912345678" },
        "files": [{
            "component": "to_khai", "upload": upload, "name": "to-khai.pdf",
            "mediaType": "application/pdf", "sha256": sha256_hex(content), "size": content.len()
        }]
    })
}

#[test]
fn the_same_dossier_twice_gets_the_same_receipt_and_a_different_one_gets_409() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &[]);
    let t = token(dir.path());
    let content = b"%PDF-1.7 to khai".to_vec();
    let loc = uploaded(&p, &t, &content);
    let id = "0193f2c4-5b6a-7c3d-8e9f-000000000001";
    let body = dossier_body(id, &loc, &content, "Nguyễn Thị Hoa");

    let (status, first, replayed) = submit(&p, &t, &body);
    assert_eq!((status, replayed), (201, false), "{first}");
    let receipt = first["receipt"].as_str().expect("receipt").to_owned();
    assert!(hoso_portal::receipt::is_valid(&receipt), "{receipt}");
    assert_eq!(first["state"], "received");

    // The same body again, keys in another order, is a replay with the same receipt.
    let reordered: Value = serde_json::from_str(&format!(
        r#"{{"files":{},"values":{},"procedureCode":"1.001193","clientId":"{id}"}}"#,
        body["files"], body["values"]
    ))
    .expect("json");
    let (status, again, replayed) = submit(&p, &t, &reordered);
    assert_eq!((status, replayed), (200, true));
    assert_eq!(again["receipt"], receipt.as_str());

    // The same dossier whose file had to be uploaded again is still the same dossier.
    let loc2 = uploaded(&p, &t, &content);
    let (status, again, _) = submit(&p, &t, &dossier_body(id, &loc2, &content, "Nguyễn Thị Hoa"));
    assert_eq!(status, 200);
    assert_eq!(again["receipt"], receipt.as_str());

    // A different body under the same id: 409 carrying the existing receipt.
    let (status, conflict, _) = submit(&p, &t, &dossier_body(id, &loc, &content, "Trần Văn Bình"));
    assert_eq!(status, 409);
    assert_eq!(conflict["code"], "conflict");
    assert_eq!(conflict["receipt"]["receipt"], receipt.as_str());

    // GET tells a client that lost the answer what happened.
    let mut r = agent()
        .get(p.api(&format!("/dossiers/{id}")))
        .header("Authorization", format!("Bearer {t}"))
        .call()
        .expect("get");
    assert_eq!(json(&mut r)["receipt"], receipt.as_str());

    let listed: Value =
        serde_json::from_str(&operator(dir.path(), &["dossiers", "list"])).expect("list");
    assert_eq!(listed.as_array().expect("array").len(), 1, "exactly once");
    assert_eq!(listed[0]["files"][0]["sha256"], sha256_hex(&content).as_str());
}

#[test]
fn files_must_be_complete_and_match_what_the_dossier_says() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &[]);
    let t = token(dir.path());
    let content = vec![7u8; 1000];
    let partial = create_upload(&p, &t, &content);
    patch(&p, &t, &partial, 0, &content[..10]);
    let (status, body, _) = submit(&p, &t, &dossier_body("c-1", &partial, &content, "A"));
    assert_eq!((status, body["code"].as_str()), (422, Some("file_incomplete")));
    let done = uploaded(&p, &t, &content);
    let mut lie = dossier_body("c-2", &done, &content, "A");
    lie["files"][0]["sha256"] = json!(sha256_hex(b"other bytes"));
    let (status, body, _) = submit(&p, &t, &lie);
    assert_eq!((status, body["code"].as_str()), (422, Some("file_mismatch")));
    let (status, body, _) = submit(
        &p,
        &t,
        &dossier_body("c-3", "/api/v1/files/00000000000000000000000000000000", &content, "A"),
    );
    assert_eq!((status, body["code"].as_str()), (422, Some("file_unknown")));
    let (status, _, _) = submit(&p, &t, &json!({ "clientId": "", "procedureCode": "x" }));
    assert_eq!(status, 400);
    assert!(operator(dir.path(), &["dossiers", "list"]).trim() == "[]");
}

/// The bytes of an upload's last PATCH reached the disk, but the request was dropped (its
/// connection closed) before the file was checked: what a cut right after the last byte leaves.
fn written_but_unchecked(p: &Portal, token: &str, content: &[u8], tail: &[u8]) -> String {
    use std::io::Write as _;
    let loc = create_upload(p, token, content);
    assert_eq!(patch(p, token, &loc, 0, &content[..10]).status(), 204);
    let id = loc.rsplit('/').next().expect("id");
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(p.data.join("uploads").join(id))
        .expect("upload file");
    file.write_all(tail).expect("write");
    loc
}

#[test]
fn an_upload_whose_last_answer_was_lost_is_complete_at_the_next_question_or_submission() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &[]);
    let t = token(dir.path());
    let content: Vec<u8> = (0..5000u32).map(|i| (i % 253) as u8).collect();

    // The client asks where the upload stands: every byte is there and it is now checked.
    let asked = written_but_unchecked(&p, &t, &content, &content[10..]);
    let r = head_offset(&p, &t, &asked);
    assert_eq!(header(&r, "upload-offset"), Some("5000"));
    let (status, _, _) = submit(&p, &t, &dossier_body("late-1", &asked, &content, "A"));
    assert_eq!(status, 201, "the upload was completed by the HEAD");

    // The client goes straight to submitting: the submission completes the upload first.
    let straight = written_but_unchecked(&p, &t, &content, &content[10..]);
    let (status, body, _) = submit(&p, &t, &dossier_body("late-2", &straight, &content, "A"));
    assert_eq!(status, 201, "{body}");

    // A PATCH that arrives for a full upload completes it too, and says it is whole.
    let patched = written_but_unchecked(&p, &t, &content, &content[10..]);
    let r = patch(&p, &t, &patched, 5000, b"");
    assert_eq!((r.status().as_u16(), header(&r, "upload-offset")), (204, Some("5000")));
    let (status, _, _) = submit(&p, &t, &dossier_body("late-3", &patched, &content, "A"));
    assert_eq!(status, 201);

    // Bytes that are not the file the client described fail the check: the upload starts over.
    let wrong = written_but_unchecked(&p, &t, &content, &vec![0u8; 4990]);
    let r = head_offset(&p, &t, &wrong);
    assert_eq!(header(&r, "upload-offset"), Some("0"));
    let (status, body, _) = submit(&p, &t, &dossier_body("late-4", &wrong, &content, "A"));
    assert_eq!((status, body["code"].as_str()), (422, Some("file_incomplete")));
}

#[test]
fn a_client_that_hangs_up_right_after_its_last_byte_still_has_a_complete_upload() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &[]);
    let t = token(dir.path());
    // Large enough that checking it outlasts the hang-up.
    let content: Vec<u8> =
        (0..24_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let loc = create_upload(&p, &t, &content);
    let addr = p.url.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(addr).expect("connect");
    let head = format!(
        "PATCH {loc} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {t}\r\n\
         Tus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n\
         Content-Type: application/offset+octet-stream\r\nContent-Length: {}\r\n\r\n",
        content.len()
    );
    conn.write_all(head.as_bytes()).expect("head");
    conn.write_all(&content).expect("body");
    // Every byte is delivered; the connection closes as soon as the last one is on the
    // portal's disk, while the portal checks the file (bounded wait).
    let on_disk = p.data.join("uploads").join(loc.rsplit('/').next().expect("id"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::metadata(&on_disk).map_or(0, |m| m.len()) < content.len() as u64
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    drop(conn);
    // The client comes back at once and asks where its upload stands.
    let r = head_offset(&p, &t, &loc);
    assert_eq!(header(&r, "upload-offset"), Some(content.len().to_string().as_str()));
    let (status, body, _) = submit(&p, &t, &dossier_body("hung-up", &loc, &content, "A"));
    assert_eq!(status, 201, "{body}");
}

#[test]
fn the_status_feed_follows_the_back_office_and_supplements_come_back_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &[]);
    let t = token(dir.path());
    let other = token(dir.path());
    let content = b"page".to_vec();
    let loc = uploaded(&p, &t, &content);
    let id = "client-feed-1";
    let (_, sub, _) = submit(&p, &t, &dossier_body(id, &loc, &content, "Lò Văn Páo"));
    let receipt = sub["receipt"].as_str().expect("receipt").to_owned();

    operator(
        dir.path(),
        &["dossiers", "set-state", &receipt, "processing", "--message", "Đang thẩm định"],
    );
    operator(
        dir.path(),
        &[
            "dossiers",
            "set-state",
            id,
            "supplement_requested",
            "--message",
            "Thiếu giấy chứng sinh",
        ],
    );

    let feed = |token: &str, after: i64| -> Value {
        let mut r = agent()
            .get(p.api(&format!("/changes?after={after}")))
            .header("Authorization", format!("Bearer {token}"))
            .call()
            .expect("changes");
        json(&mut r)
    };
    let f = feed(&t, 0);
    let states: Vec<&str> = f["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["state"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(states, ["received", "processing", "supplement_requested"]);
    assert_eq!(f["changes"][2]["message"], "Thiếu giấy chứng sinh");
    let cursor = f["next"].as_i64().expect("next");
    assert_eq!(feed(&t, cursor)["changes"].as_array().expect("changes").len(), 0);
    assert_eq!(
        feed(&other, 0)["changes"].as_array().expect("changes").len(),
        0,
        "another device sees nothing"
    );

    let extra = b"giay chung sinh".to_vec();
    let loc2 = uploaded(&p, &t, &extra);
    let supplement = json!({
        "supplementId": "sup-1",
        "files": [{ "component": "giay_chung_sinh", "upload": loc2, "name": "gcs.jpg", "mediaType": "image/jpeg",
                    "sha256": sha256_hex(&extra), "size": extra.len() }],
        "note": "Bổ sung giấy chứng sinh"
    });
    let send = |body: &Value| {
        agent()
            .post(p.api(&format!("/dossiers/{id}/supplements")))
            .header("Authorization", format!("Bearer {t}"))
            .header("Content-Type", "application/json")
            .send(body.to_string().as_bytes())
            .expect("supplement")
            .status()
            .as_u16()
    };
    assert_eq!(send(&supplement), 201);
    assert_eq!(send(&supplement), 200, "a repeated supplement is a replay");
    let f = feed(&t, cursor);
    assert_eq!(f["changes"][0]["state"], "received");
    assert_eq!(send(&json!({ "supplementId": "sup-2" })), 409, "not waiting for a supplement now");

    let result = dir.path().join("giay-khai-sinh.pdf");
    std::fs::write(&result, b"%PDF-1.7 result").expect("write");
    operator(
        dir.path(),
        &[
            "dossiers",
            "set-state",
            id,
            "result_ready",
            "--message",
            "Mời nhận kết quả",
            "--result",
            result.to_str().expect("utf8"),
        ],
    );
    let f = feed(&t, f["next"].as_i64().expect("next"));
    let doc = &f["changes"][0]["results"][0];
    assert_eq!(doc["name"], "giay-khai-sinh.pdf");
    let mut r = agent()
        .get(p.api(&format!("/results/{}", doc["id"].as_str().expect("id"))))
        .header("Authorization", format!("Bearer {t}"))
        .call()
        .expect("result");
    assert_eq!(r.body_mut().read_to_vec().expect("bytes"), b"%PDF-1.7 result");
    let r = agent()
        .get(p.api(&format!("/results/{}", doc["id"].as_str().expect("id"))))
        .header("Authorization", format!("Bearer {other}"))
        .call()
        .expect("result");
    assert_eq!(r.status(), 404, "results are only for the dossier's device");
}

#[test]
fn the_catalogue_is_served_with_an_etag() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = Portal::start(dir.path(), &[]);
    let t = token(dir.path());
    let mut r = agent()
        .get(p.api("/catalogue"))
        .header("Authorization", format!("Bearer {t}"))
        .call()
        .expect("get");
    assert_eq!(r.status(), 200);
    let etag = header(&r, "etag").expect("etag").to_owned();
    let body = r.body_mut().read_to_string().expect("body");
    hoso_catalogue::Catalogue::from_json(&body).expect("a valid catalogue");
    let r = agent()
        .get(p.api("/catalogue"))
        .header("Authorization", format!("Bearer {t}"))
        .header("If-None-Match", &etag)
        .call()
        .expect("get");
    assert_eq!(r.status(), 304);
    assert_eq!(header(&r, "hoso-portal"), Some("1"));
}
