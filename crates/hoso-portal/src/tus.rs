//! File uploads with tus 1.0.0: core, creation, creation-with-upload, termination, expiration
//! and checksum (sha256).
//!
//! The upload's offset is the length of its file on disk, so it survives a restart exactly.
//! A PATCH without `Upload-Checksum` is appended as it streams in: when the link is cut, the
//! bytes that arrived are kept and the client resumes from there. A PATCH with a checksum is
//! held in memory, verified, then appended (a cut or a mismatch discards it). Only one request
//! works on an upload at a time; a newer request for the same upload stops an older one that
//! is still waiting on a dead connection. When the last byte arrives the whole file's SHA-256
//! is computed and, if the client gave one in `Upload-Metadata`, compared.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::api::error;
use crate::db::UploadRow;
use crate::{API_PREFIX, Device, Portal, now_ms};

const TUS_VERSION: &str = "1.0.0";
const EXTENSIONS: &str = "creation,creation-with-upload,termination,expiration,checksum";
const OFFSET_OCTET_STREAM: &str = "application/offset+octet-stream";
/// A PATCH body that sends nothing for this long is abandoned (its bytes so far are kept).
const IDLE_BODY: Duration = Duration::from_secs(60);

/// One lock per upload, with a generation counter that newer requests bump to stop older ones.
#[derive(Debug, Default)]
pub(crate) struct UploadLock {
    mutex: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    newer: tokio::sync::Notify,
}

#[derive(Debug, Default)]
pub(crate) struct Locks(Mutex<crate::UploadLocks>);

impl Locks {
    fn get(&self, id: &str) -> Arc<UploadLock> {
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(map.entry(id.to_owned()).or_default())
    }

    fn forget(&self, id: &str) {
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.remove(id);
    }
}

/// Takes the upload's lock, first telling any older request on it to stop.
async fn claim(lock: &UploadLock) -> (tokio::sync::MutexGuard<'_, ()>, u64) {
    let mine = lock.generation.fetch_add(1, Ordering::SeqCst) + 1;
    lock.newer.notify_waiters();
    let guard = lock.mutex.lock().await;
    (guard, mine)
}

fn tus_headers(h: &mut HeaderMap) {
    h.insert("tus-resumable", HeaderValue::from_static(TUS_VERSION));
}

fn with_tus(mut response: Response) -> Response {
    tus_headers(response.headers_mut());
    response
}

fn header_str<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok()).map(str::trim)
}

fn require_tus(h: &HeaderMap) -> Result<(), Response> {
    if header_str(h, "tus-resumable") == Some(TUS_VERSION) {
        return Ok(());
    }
    let mut r =
        error(StatusCode::PRECONDITION_FAILED, "tus_version", "Tus-Resumable: 1.0.0 is required");
    r.headers_mut().insert("tus-version", HeaderValue::from_static(TUS_VERSION));
    Err(with_tus(r))
}

fn http_date(ms: i64) -> HeaderValue {
    let t = std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    HeaderValue::from_str(&httpdate::fmt_http_date(t))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn path_of(portal: &Portal, id: &str) -> PathBuf {
    portal.config.data_dir.join("uploads").join(id)
}

/// Upload ids are 32 lower-case hex digits; anything else is not an upload (and never a path).
fn valid_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

async fn db<T: Send + 'static>(
    portal: &Arc<Portal>,
    f: impl FnOnce(&crate::Db) -> crate::db::DbResult<T> + Send + 'static,
) -> Result<T, Response> {
    let p = Arc::clone(portal);
    match tokio::task::spawn_blocking(move || f(&p.db())).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.into_response()),
        Err(e) => Err(error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string())),
    }
}

/// `OPTIONS /files`: what this server supports.
pub(crate) async fn options(State(portal): State<Arc<Portal>>) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let h = r.headers_mut();
    tus_headers(h);
    h.insert("tus-version", HeaderValue::from_static(TUS_VERSION));
    h.insert("tus-extension", HeaderValue::from_static(EXTENSIONS));
    h.insert("tus-checksum-algorithm", HeaderValue::from_static("sha256"));
    if let Ok(v) = HeaderValue::from_str(&portal.config.max_upload_bytes.to_string()) {
        h.insert("tus-max-size", v);
    }
    r
}

/// `POST /files`: creates an upload, optionally with its first bytes.
pub(crate) async fn create(
    State(portal): State<Arc<Portal>>,
    Extension(device): Extension<Device>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(r) = require_tus(&headers) {
        return r;
    }
    if headers.contains_key("upload-defer-length") {
        return with_tus(error(
            StatusCode::BAD_REQUEST,
            "defer_length",
            "Upload-Defer-Length is not supported",
        ));
    }
    let Some(length) = header_str(&headers, "upload-length").and_then(|v| v.parse::<u64>().ok())
    else {
        return with_tus(error(
            StatusCode::BAD_REQUEST,
            "upload_length",
            "Upload-Length is required",
        ));
    };
    let max = portal.config.max_upload_bytes;
    if length > max {
        return with_tus(too_large(max));
    }
    let metadata = header_str(&headers, "upload-metadata").unwrap_or("").to_owned();
    if metadata.len() > 4096 || parse_metadata(&metadata).is_none() {
        return with_tus(error(
            StatusCode::BAD_REQUEST,
            "upload_metadata",
            "Upload-Metadata is malformed",
        ));
    }
    let id = hex::encode(rand::random::<[u8; 16]>());
    let now = now_ms();
    let row = UploadRow {
        id: id.clone(),
        token_hash: device.0,
        length,
        metadata,
        sha256: None,
        expires_at: now + ttl_ms(&portal),
    };
    if let Err(e) = tokio::fs::File::create(path_of(&portal, &id)).await {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string());
    }
    let stored = row.clone();
    if let Err(r) = db(&portal, move |db| db.create_upload(&stored, now)).await {
        return r;
    }
    let location = format!("{API_PREFIX}/files/{id}");
    let with_body = header_str(&headers, "content-type") == Some(OFFSET_OCTET_STREAM);
    let mut response = if with_body {
        let lock = portal.uploads.get(&id);
        let (_guard, mine) = claim(&lock).await;
        append(&portal, &row, 0, &headers, body, &lock, mine).await
    } else {
        let mut r = StatusCode::CREATED.into_response();
        r.headers_mut().insert("upload-expires", http_date(row.expires_at));
        r
    };
    // creation-with-upload answers 201 whatever happened to the body; the offset says how much.
    if response.status().is_success() {
        *response.status_mut() = StatusCode::CREATED;
    }
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    with_tus(response)
}

/// `HEAD /files/{id}`: how many bytes the server has.
pub(crate) async fn head(
    State(portal): State<Arc<Portal>>,
    Extension(device): Extension<Device>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = require_tus(&headers) {
        return r;
    }
    let row = match owned_upload(&portal, &device, &id).await {
        Ok(row) => row,
        Err(r) => return r,
    };
    // Stop an older PATCH still waiting on a dead connection, so the offset is final.
    let lock = portal.uploads.get(&id);
    let (_guard, _) = claim(&lock).await;
    if let Err(r) = settle(&portal, &row).await {
        return with_tus(r);
    }
    let offset = file_len(&portal, &id).await;
    let mut r = StatusCode::OK.into_response();
    let h = r.headers_mut();
    tus_headers(h);
    h.insert("upload-offset", HeaderValue::from(offset));
    h.insert("upload-length", HeaderValue::from(row.length));
    h.insert("upload-expires", http_date(row.expires_at));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `PATCH /files/{id}`: appends bytes at `Upload-Offset`.
pub(crate) async fn patch(
    State(portal): State<Arc<Portal>>,
    Extension(device): Extension<Device>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(r) = require_tus(&headers) {
        return r;
    }
    if header_str(&headers, "content-type") != Some(OFFSET_OCTET_STREAM) {
        return with_tus(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "content_type",
            "Content-Type must be application/offset+octet-stream",
        ));
    }
    let Some(offset) = header_str(&headers, "upload-offset").and_then(|v| v.parse::<u64>().ok())
    else {
        return with_tus(error(
            StatusCode::BAD_REQUEST,
            "upload_offset",
            "Upload-Offset is required",
        ));
    };
    let row = match owned_upload(&portal, &device, &id).await {
        Ok(row) => row,
        Err(r) => return r,
    };
    let lock = portal.uploads.get(&id);
    let (_guard, mine) = claim(&lock).await;
    with_tus(append(&portal, &row, offset, &headers, body, &lock, mine).await)
}

/// `DELETE /files/{id}`: termination.
pub(crate) async fn terminate(
    State(portal): State<Arc<Portal>>,
    Extension(device): Extension<Device>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = require_tus(&headers) {
        return r;
    }
    if let Err(r) = owned_upload(&portal, &device, &id).await {
        return r;
    }
    let lock = portal.uploads.get(&id);
    let (guard, _) = claim(&lock).await;
    let _ = tokio::fs::remove_file(path_of(&portal, &id)).await;
    let gone = id.clone();
    let result = db(&portal, move |db| db.delete_upload(&gone)).await;
    drop(guard);
    portal.uploads.forget(&id);
    match result {
        Ok(()) => with_tus(StatusCode::NO_CONTENT.into_response()),
        Err(r) => r,
    }
}

async fn owned_upload(
    portal: &Arc<Portal>,
    device: &Device,
    id: &str,
) -> Result<UploadRow, Response> {
    if !valid_id(id) {
        return Err(with_tus(error(StatusCode::NOT_FOUND, "no_upload", "no such upload")));
    }
    let key = id.to_owned();
    let row = db(portal, move |db| db.upload(&key)).await?;
    match row {
        Some(row) if row.token_hash == device.0 => {
            if row.expires_at < now_ms() && row.sha256.is_none() {
                Err(with_tus(error(StatusCode::GONE, "upload_expired", "this upload has expired")))
            } else {
                Ok(row)
            }
        }
        _ => Err(with_tus(error(StatusCode::NOT_FOUND, "no_upload", "no such upload"))),
    }
}

async fn file_len(portal: &Portal, id: &str) -> u64 {
    tokio::fs::metadata(path_of(portal, id)).await.map(|m| m.len()).unwrap_or(0)
}

fn ttl_ms(portal: &Portal) -> i64 {
    i64::try_from(portal.config.upload_ttl.as_millis()).unwrap_or(i64::MAX / 2)
}

fn too_large(max: u64) -> Response {
    let body = serde_json::json!({
        "code": "too_large",
        "message": format!("the file is larger than the portal accepts ({max} bytes)"),
        "maxBytes": max,
    });
    (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(body)).into_response()
}

/// Appends a request body at `offset`, honouring `Upload-Checksum`, and answers with the new
/// offset.
async fn append(
    portal: &Arc<Portal>,
    row: &UploadRow,
    offset: u64,
    headers: &HeaderMap,
    body: Body,
    lock: &UploadLock,
    mine: u64,
) -> Response {
    let path = path_of(portal, &row.id);
    let current = file_len(portal, &row.id).await;
    if unchecked(row, current) {
        return finish(portal, row, now_ms() + ttl_ms(portal)).await;
    }
    if row.sha256.is_some() || current >= row.length {
        return offset_response(current, row.expires_at, StatusCode::NO_CONTENT);
    }
    if offset != current {
        let mut r = error(
            StatusCode::CONFLICT,
            "offset_mismatch",
            "Upload-Offset does not match the server's offset",
        );
        r.headers_mut().insert("upload-offset", HeaderValue::from(current));
        return r;
    }
    let checksum = match header_str(headers, "upload-checksum").map(parse_checksum) {
        None => None,
        Some(Some(digest)) => Some(digest),
        Some(None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "checksum_algorithm",
                "only sha256 checksums are supported",
            );
        }
    };
    let room = row.length - current;
    let mut file = match tokio::fs::OpenOptions::new().append(true).open(&path).await {
        Ok(f) => f,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string()),
    };
    let mut stream = body.into_data_stream();
    let mut held: Vec<u8> = Vec::new();
    let mut written: u64 = 0;
    let mut outcome = Ok(());
    loop {
        let newer = lock.newer.notified();
        tokio::pin!(newer);
        newer.as_mut().enable();
        if lock.generation.load(Ordering::SeqCst) != mine {
            outcome = Err("superseded");
            break;
        }
        let frame = tokio::select! {
            f = tokio::time::timeout(IDLE_BODY, stream.next()) => f,
            () = &mut newer => { outcome = Err("superseded"); break; }
        };
        let chunk = match frame {
            Ok(Some(Ok(bytes))) => bytes,
            Ok(None) => break,
            Ok(Some(Err(_))) => {
                outcome = Err("cut");
                break;
            }
            Err(_) => {
                outcome = Err("idle");
                break;
            }
        };
        let size = chunk.len() as u64;
        let so_far = written + held.len() as u64;
        if so_far + size > room {
            outcome = Err("too_long");
            break;
        }
        if checksum.is_some() {
            if held.len() as u64 + size > portal.config.max_checksum_chunk_bytes {
                outcome = Err("chunk_too_large");
                break;
            }
            held.extend_from_slice(&chunk);
        } else if let Err(e) = file.write_all(&chunk).await {
            return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string());
        } else {
            written += size;
        }
    }
    match (outcome, &checksum) {
        (Ok(()), Some(expected)) => {
            if Sha256::digest(&held).as_slice() != expected.as_slice() {
                return error(
                    StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST),
                    "checksum_mismatch",
                    "the chunk's checksum does not match",
                );
            }
            if let Err(e) = file.write_all(&held).await {
                return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string());
            }
        }
        (Err("too_long"), _) => {
            let _ = file.sync_data().await;
            return error(StatusCode::BAD_REQUEST, "too_long", "the body goes past Upload-Length");
        }
        (Err("chunk_too_large"), _) => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "chunk_too_large",
                "a checksummed chunk may not be this large",
            );
        }
        // Cut, idle or superseded: keep what arrived (without a checksum) and stop.
        _ => {}
    }
    if let Err(e) = file.sync_data().await {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string());
    }
    drop(file);
    let offset = file_len(portal, &row.id).await;
    let expires_at = now_ms() + ttl_ms(portal);
    let id = row.id.clone();
    if offset == row.length {
        // The check runs in a task of its own: the client's connection may close before the
        // answer (its request is then dropped), and the upload must be complete all the same.
        let (p, r) = (Arc::clone(portal), row.clone());
        return tokio::spawn(async move { finish(&p, &r, expires_at).await }).await.unwrap_or_else(
            |e| error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string()),
        );
    }
    let _ = db(portal, move |db| db.extend_upload(&id, expires_at)).await;
    offset_response(offset, expires_at, StatusCode::NO_CONTENT)
}

/// Every byte of the upload is on disk (`on_disk` of them) but it was never checked.
fn unchecked(row: &UploadRow, on_disk: u64) -> bool {
    row.sha256.is_none() && on_disk == row.length
}

/// Completes an upload whose every byte is on disk but whose check never ran (the request
/// that brought the last byte was dropped with its connection, or the portal stopped). Call it
/// holding the upload's lock. A file that fails the check is emptied, so its offset is then 0;
/// `Err` is an internal failure to answer with.
async fn settle(portal: &Arc<Portal>, row: &UploadRow) -> Result<(), Response> {
    if !unchecked(row, file_len(portal, &row.id).await) {
        return Ok(());
    }
    let r = finish(portal, row, now_ms() + ttl_ms(portal)).await;
    if r.status().is_server_error() { Err(r) } else { Ok(()) }
}

/// Before a submission is checked, completes those of its uploads (this device's) that have
/// every byte but were never checked, so a dropped answer does not make the client send a
/// whole file again.
pub(crate) async fn settle_uploads(
    portal: &Arc<Portal>,
    device: &Device,
    files: &[crate::db::SubmittedFile],
) {
    for id in files.iter().map(|f| &f.upload_id).filter(|id| valid_id(id)) {
        let Ok(row) = owned_upload(portal, device, id).await else { continue };
        if !unchecked(&row, file_len(portal, id).await) {
            continue;
        }
        let lock = portal.uploads.get(id);
        let (_guard, _) = claim(&lock).await;
        // Read again under the lock: a PATCH may have completed it meanwhile.
        if let Ok(row) = owned_upload(portal, device, id).await {
            let _ = settle(portal, &row).await;
        }
    }
}

/// The last byte arrived: hash the file, check it against the client's `sha256` metadata.
async fn finish(portal: &Arc<Portal>, row: &UploadRow, expires_at: i64) -> Response {
    let path = path_of(portal, &row.id);
    let digest = match hash_file(&path).await {
        Ok(d) => d,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string()),
    };
    let claimed = parse_metadata(&row.metadata).and_then(|m| m.get("sha256").cloned());
    if claimed.as_deref().is_some_and(|c| !c.eq_ignore_ascii_case(&digest)) {
        // The bytes are not the file the client described: start this upload over.
        let _ = tokio::fs::File::create(&path).await;
        return error(
            StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST),
            "file_checksum_mismatch",
            "the whole file's SHA-256 does not match its metadata; upload it again",
        );
    }
    let id = row.id.clone();
    let now = now_ms();
    let result = db(portal, move |db| {
        db.complete_upload(&id, &digest, now)?;
        db.extend_upload(&id, expires_at)
    })
    .await;
    match result {
        Ok(()) => offset_response(row.length, expires_at, StatusCode::NO_CONTENT),
        Err(r) => r,
    }
}

async fn hash_file(path: &std::path::Path) -> std::io::Result<String> {
    let mut file = tokio::fs::File::open(path).await?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn offset_response(offset: u64, expires_at: i64, status: StatusCode) -> Response {
    let mut r = status.into_response();
    r.headers_mut().insert("upload-offset", HeaderValue::from(offset));
    r.headers_mut().insert("upload-expires", http_date(expires_at));
    r
}

/// `sha256 <base64 digest>` → the digest.
fn parse_checksum(v: &str) -> Option<Vec<u8>> {
    let (algo, b64) = v.split_once(' ')?;
    if !algo.eq_ignore_ascii_case("sha256") {
        return None;
    }
    base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok().filter(|d| d.len() == 32)
}

/// `key base64,key2 base64` → map (values decoded as UTF-8); `None` when malformed.
pub(crate) fn parse_metadata(v: &str) -> Option<HashMap<String, String>> {
    let mut out = HashMap::new();
    for pair in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = match pair.split_once(' ') {
            Some((k, b64)) => {
                let bytes = base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok()?;
                (k, String::from_utf8(bytes).ok()?)
            }
            None => (pair, String::new()),
        };
        if key.is_empty() || !key.is_ascii() || key.contains(' ') {
            return None;
        }
        out.insert(key.to_owned(), value);
    }
    Some(out)
}

/// Deletes expired uploads no dossier uses, every `sweep_interval`.
pub(crate) async fn sweep_forever(portal: Arc<Portal>) {
    let mut tick = tokio::time::interval(portal.config.sweep_interval);
    loop {
        tick.tick().await;
        let now = now_ms();
        let Ok(expired) = db(&portal, move |db| db.expired_uploads(now)).await else { continue };
        for id in expired {
            let lock = portal.uploads.get(&id);
            let (guard, _) = claim(&lock).await;
            let _ = tokio::fs::remove_file(path_of(&portal, &id)).await;
            let gone = id.clone();
            let _ = db(&portal, move |db| db.delete_upload(&gone)).await;
            drop(guard);
            portal.uploads.forget(&id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_and_checksums_parse_per_the_tus_spec() {
        let m = parse_metadata("filename dG8ta2hhaS5wZGY=,is_confidential, sha256 YWJj")
            .expect("valid");
        assert_eq!(m["filename"], "to-khai.pdf");
        assert_eq!(m["is_confidential"], "");
        assert_eq!(m["sha256"], "abc");
        assert!(parse_metadata("filename !!!").is_none());
        assert!(parse_metadata("").expect("empty").is_empty());
        let digest = Sha256::digest(b"hello");
        let header = format!("sha256 {}", base64::engine::general_purpose::STANDARD.encode(digest));
        assert_eq!(parse_checksum(&header).expect("sha256"), digest.to_vec());
        assert!(parse_checksum("md5 abc").is_none());
        assert!(parse_checksum("sha256 YWJj").is_none(), "a digest must be 32 bytes");
        assert!(valid_id("0123456789abcdef0123456789abcdef"));
        assert!(!valid_id("../../etc/passwd"));
        assert!(!valid_id("0123456789ABCDEF0123456789ABCDEF"));
    }
}
