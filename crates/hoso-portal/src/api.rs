//! The non-upload endpoints: catalogue, submission, receipts, supplements, changes, results.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::db::{FileProblem, SubmitRequest, Submitted, SubmittedFile, SupplementOutcome};
use crate::{Device, Portal, now_ms};

/// A JSON error body `{ code, message }` with its status.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message }))).into_response()
}

async fn blocking<T: Send + 'static>(
    portal: &Arc<Portal>,
    f: impl FnOnce(&mut crate::Db) -> crate::db::DbResult<T> + Send + 'static,
) -> Result<T, Response> {
    let p = Arc::clone(portal);
    match tokio::task::spawn_blocking(move || f(&mut p.db())).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(crate::db::DbError::NoDossier(id))) => {
            Err(error(StatusCode::NOT_FOUND, "no_dossier", &format!("no dossier {id}")))
        }
        Ok(Err(e)) => Err(e.into_response()),
        Err(e) => Err(error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string())),
    }
}

/// `GET /catalogue` with ETag / If-None-Match.
pub(crate) async fn catalogue(State(portal): State<Arc<Portal>>, headers: HeaderMap) -> Response {
    let (body, etag) = &portal.catalogue;
    let etag_value =
        HeaderValue::from_str(etag).unwrap_or_else(|_| HeaderValue::from_static("\"\""));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut r = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], body.clone()).into_response()
    };
    r.headers_mut().insert(header::ETAG, etag_value);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileRef {
    component: String,
    /// The upload's URL (as the Location header gave it) or its id.
    upload: String,
    name: String,
    media_type: String,
    sha256: String,
    size: u64,
}

/// A submission. Fields the portal only stores (values, who submitted on whose behalf) are
/// checked for shape here and kept in the stored body.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Submission {
    client_id: String,
    procedure_code: String,
    #[serde(default)]
    #[allow(dead_code)]
    values: BTreeMap<String, String>,
    #[serde(default)]
    files: Vec<FileRef>,
    #[serde(default)]
    #[allow(dead_code)]
    on_behalf_of: Option<String>,
    /// The fee the app worked out from the catalogue; a payment request is made when above 0.
    #[serde(default)]
    fee: Option<Fee>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Fee {
    total: u64,
    #[serde(default)]
    #[allow(dead_code)]
    lines: Vec<FeeLine>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FeeLine {
    #[allow(dead_code)]
    label: String,
    #[allow(dead_code)]
    amount: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Supplement {
    supplement_id: String,
    #[serde(default)]
    #[allow(dead_code)]
    values: BTreeMap<String, String>,
    #[serde(default)]
    files: Vec<FileRef>,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

fn files(refs: &[FileRef]) -> Vec<SubmittedFile> {
    refs.iter()
        .map(|f| SubmittedFile {
            upload_id: f.upload.rsplit('/').next().unwrap_or(&f.upload).to_owned(),
            component: f.component.clone(),
            name: f.name.clone(),
            media_type: f.media_type.clone(),
            sha256: f.sha256.to_ascii_lowercase(),
            size: f.size,
        })
        .collect()
}

/// The canonical form of a JSON body (keys sorted, no spaces) and the SHA-256 that identifies
/// it, so the same dossier sent twice is recognised whatever the key order. The identity leaves
/// out each file's `upload` reference: a client that had to upload a file again (say, after
/// the first upload expired) still sends the same dossier, and the bytes are pinned by their
/// `sha256` anyway.
fn canonical(value: &Value) -> (String, String) {
    let text = value.to_string();
    let mut identity = value.clone();
    if let Some(files) = identity.get_mut("files").and_then(Value::as_array_mut) {
        for f in files.iter_mut().filter_map(Value::as_object_mut) {
            f.remove("upload");
        }
    }
    let hash = hex::encode(Sha256::digest(identity.to_string().as_bytes()));
    (text, hash)
}

fn file_problem(p: FileProblem) -> Response {
    let (code, upload, message) = match p {
        FileProblem::Unknown(u) => ("file_unknown", u, "no such upload for this device"),
        FileProblem::Incomplete(u) => {
            ("file_incomplete", u, "the upload has not received every byte")
        }
        FileProblem::Mismatch(u) => {
            ("file_mismatch", u, "the uploaded bytes do not match the stated SHA-256 or size")
        }
    };
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({ "code": code, "message": message, "upload": upload })),
    )
        .into_response()
}

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<(T, Value), Response> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        error(StatusCode::BAD_REQUEST, "bad_request", &format!("the body is not JSON: {e}"))
    })?;
    let typed = serde_json::from_value(value.clone())
        .map_err(|e| error(StatusCode::BAD_REQUEST, "bad_request", &e.to_string()))?;
    Ok((typed, value))
}

/// Vietnam's calendar day (UTC+7) as YYMMDD.
fn vietnam_yymmdd(now: i64) -> String {
    let d = hoso_catalogue::CivilDate::in_vietnam_at(now);
    format!("{:02}{:02}{:02}", d.year % 100, d.month, d.day)
}

/// `POST /dossiers`: exactly once per client id.
pub(crate) async fn submit(
    State(portal): State<Arc<Portal>>,
    Extension(device): Extension<Device>,
    body: Bytes,
) -> Response {
    let (sub, value): (Submission, Value) = match parse(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if sub.client_id.trim().is_empty()
        || sub.client_id.len() > 64
        || sub.procedure_code.trim().is_empty()
    {
        return error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "clientId and procedureCode are required",
        );
    }
    let (text, hash) = canonical(&value);
    let files = files(&sub.files);
    crate::tus::settle_uploads(&portal, &device, &files).await;
    let now = now_ms();
    let request = SubmitRequest {
        token_hash: device.0,
        client_id: sub.client_id.clone(),
        procedure_code: sub.procedure_code.clone(),
        body: text,
        body_sha256: hash,
        files,
        receipt_prefix: portal.config.receipt_prefix.clone(),
        yymmdd: vietnam_yymmdd(now),
        now,
        fee: sub.fee.as_ref().map_or(0, |f| f.total),
        payee: portal.config.payee.clone(),
    };
    let outcome = portal.submits.submit(&portal, request).await;
    match outcome {
        Err(r) => r,
        Ok(Err(problem)) => file_problem(problem),
        Ok(Ok(Submitted::New(info))) => (StatusCode::CREATED, Json(info)).into_response(),
        Ok(Ok(Submitted::Replay(info))) => {
            let mut r = (StatusCode::OK, Json(info)).into_response();
            r.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            r
        }
        Ok(Ok(Submitted::Conflict(info))) => (
            StatusCode::CONFLICT,
            Json(json!({
                "code": "conflict",
                "message": "a different dossier was already submitted with this client id",
                "receipt": info,
            })),
        )
            .into_response(),
    }
}

type Outcome = Result<Result<Submitted, FileProblem>, Response>;

/// Group commit for submissions: each request joins a queue; the first to find no committer
/// running becomes it, and records everything queued in one transaction per round, so many
/// submissions share one disk flush while each answer still waits for its own durable write.
#[derive(Debug, Default)]
pub(crate) struct SubmitQueue {
    /// Waiting submissions, and whether a committer is running.
    inner: std::sync::Mutex<(Vec<Waiting>, bool)>,
}

/// A submission waiting for the group commit, with where to send its outcome.
type Waiting = (SubmitRequest, tokio::sync::oneshot::Sender<Outcome>);

/// The most submissions recorded in one transaction.
const GROUP: usize = 128;

impl SubmitQueue {
    async fn submit(&self, portal: &Arc<Portal>, request: SubmitRequest) -> Outcome {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let lead = {
            let mut q = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            q.0.push((request, tx));
            !std::mem::replace(&mut q.1, true)
        };
        if lead {
            let p = Arc::clone(portal);
            tokio::task::spawn_blocking(move || p.submits.commit_all(&p));
        }
        rx.await.unwrap_or_else(|_| {
            Err(error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the submission was lost"))
        })
    }

    fn commit_all(&self, portal: &Portal) {
        loop {
            let batch: Vec<_> = {
                let mut q = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if q.0.is_empty() {
                    q.1 = false;
                    return;
                }
                let n = q.0.len().min(GROUP);
                q.0.drain(..n).collect()
            };
            let requests: Vec<&SubmitRequest> = batch.iter().map(|(r, _)| r).collect();
            let results = portal.db().submit_batch(&requests);
            match results {
                Ok(list) => {
                    for ((_, tx), r) in batch.into_iter().zip(list) {
                        let _ = tx.send(Ok(r));
                    }
                }
                Err(e) => {
                    let message = e.to_string();
                    for (_, tx) in batch {
                        let _ = tx.send(Err(error(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "internal",
                            &message,
                        )));
                    }
                }
            }
        }
    }
}

/// `GET /dossiers/{clientId}`: the receipt and state, if the portal has the dossier.
pub(crate) async fn dossier(
    State(portal): State<Arc<Portal>>,
    Extension(device): Extension<Device>,
    Path(client_id): Path<String>,
) -> Response {
    match blocking(&portal, move |db| db.receipt(&device.0, &client_id)).await {
        Ok(Some(info)) => Json(info).into_response(),
        Ok(None) => {
            error(StatusCode::NOT_FOUND, "no_dossier", "the portal has no dossier with this id")
        }
        Err(r) => r,
    }
}

/// `POST /dossiers/{clientId}/supplements`: once per supplement id.
pub(crate) async fn supplement(
    State(portal): State<Arc<Portal>>,
    Extension(device): Extension<Device>,
    Path(client_id): Path<String>,
    body: Bytes,
) -> Response {
    let (sup, value): (Supplement, Value) = match parse(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let (_, hash) = canonical(&value);
    let list = files(&sup.files);
    crate::tus::settle_uploads(&portal, &device, &list).await;
    let supplement_id = sup.supplement_id.clone();
    let now = now_ms();
    let outcome = blocking(&portal, move |db| {
        db.supplement(&device.0, &client_id, &supplement_id, &hash, &list, now)
    })
    .await;
    match outcome {
        Err(r) => r,
        Ok(Err(problem)) => file_problem(problem),
        Ok(Ok(SupplementOutcome::Accepted)) => (StatusCode::CREATED, Json(json!({ "state": "received" }))).into_response(),
        Ok(Ok(SupplementOutcome::Replay)) => (StatusCode::OK, Json(json!({ "state": "received" }))).into_response(),
        Ok(Ok(SupplementOutcome::Conflict)) => error(
            StatusCode::CONFLICT,
            "conflict",
            "a different supplement was already sent with this supplement id",
        ),
        Ok(Ok(SupplementOutcome::NotRequested(state))) => (
            StatusCode::CONFLICT,
            Json(json!({ "code": "not_requested", "message": "the dossier is not waiting for a supplement", "state": state })),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
pub(crate) struct ChangesQuery {
    #[serde(default)]
    after: i64,
    #[serde(default)]
    limit: Option<u32>,
}

/// `GET /changes?after=N`: this device's status changes after cursor N.
pub(crate) async fn changes(
    State(portal): State<Arc<Portal>>,
    Extension(device): Extension<Device>,
    Query(q): Query<ChangesQuery>,
) -> Response {
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let after = q.after;
    match blocking(&portal, move |db| db.changes(&device.0, after, limit)).await {
        Ok(list) => {
            let next = list.last().map_or(after, |c| c.seq);
            Json(json!({ "changes": list, "next": next })).into_response()
        }
        Err(r) => r,
    }
}

/// `GET /results/{id}`: a result document of one of this device's dossiers.
pub(crate) async fn result(
    State(portal): State<Arc<Portal>>,
    Extension(device): Extension<Device>,
    Path(id): Path<String>,
) -> Response {
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return error(StatusCode::NOT_FOUND, "no_result", "no such result");
    }
    let key = id.clone();
    let doc = match blocking(&portal, move |db| db.result(&device.0, &key)).await {
        Ok(Some(doc)) => doc,
        Ok(None) => return error(StatusCode::NOT_FOUND, "no_result", "no such result"),
        Err(r) => return r,
    };
    match tokio::fs::read(portal.config.data_dir.join("results").join(&id)).await {
        Ok(bytes) => {
            let mut r = bytes.into_response();
            if let Ok(v) = HeaderValue::from_str(&doc.media_type) {
                r.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            r
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &e.to_string()),
    }
}
