//! HoSo's reference portal: a small server that implements the open HoSo submission API
//! (see `docs/portal-api.md` and `docs/openapi.yaml`).
//!
//! It is what the tests run against and what a commune or province office can run as an intake
//! gateway: the catalogue with ETags, file uploads with tus 1.0 (creation, creation-with-upload,
//! termination, expiration, sha256 checksums), dossier submission exactly once per client id,
//! a status-change feed, supplements and result documents. Files live on disk, everything else
//! in SQLite.

// Handlers return `Result<_, Response>`: an early error answer is the natural short-circuit in
// axum, and a response is larger than clippy likes for an `Err`.
#![allow(clippy::result_large_err)]

mod api;
pub mod db;
pub mod fault;
pub mod receipt;
mod tus;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sha2::{Digest, Sha256};

pub use db::Db;
pub use fault::Faults;

/// The header every portal response carries. A response without it (a captive Wi-Fi page, a
/// proxy's error page) did not come from a portal, and clients treat it as "not connected".
pub const IDENTITY_HEADER: &str = "hoso-portal";
/// Its value: the API version.
pub const IDENTITY_VALUE: &str = "1";
/// Where the API lives.
pub const API_PREFIX: &str = "/api/v1";

/// How the portal runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    /// The largest file a client may upload; larger ones get a 413 with `maxBytes`.
    pub max_upload_bytes: u64,
    /// The largest PATCH body that carries an `Upload-Checksum` (it is held in memory).
    pub max_checksum_chunk_bytes: u64,
    /// Unfinished uploads (and finished ones no dossier uses) are deleted after this long idle.
    pub upload_ttl: Duration,
    /// How often expired uploads are swept.
    pub sweep_interval: Duration,
    /// Receipt codes start with this (`HS-…`).
    pub receipt_prefix: String,
    /// A catalogue file to serve instead of the bundled one.
    pub catalogue_json: Option<String>,
    /// The account fees are paid into (a made-up one by default: this is a reference portal).
    pub payee: db::Payee,
    pub faults: Faults,
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Self {
        Self {
            data_dir,
            max_upload_bytes: 50 * 1024 * 1024,
            max_checksum_chunk_bytes: 16 * 1024 * 1024,
            upload_ttl: Duration::from_secs(24 * 3600),
            sweep_interval: Duration::from_secs(60),
            receipt_prefix: "HS".to_owned(),
            catalogue_json: None,
            payee: db::Payee {
                bank_bin: "970415".to_owned(),
                account: "113366668888".to_owned(),
                account_name: "UBND XA HOSO MAU".to_owned(),
            },
            faults: Faults::default(),
        }
    }
}

/// Shared state of a running portal.
#[derive(Debug)]
pub(crate) struct Portal {
    pub config: Config,
    db: Mutex<Db>,
    pub uploads: tus::Locks,
    pub catalogue: (String, String),
    /// Token hashes already seen in the database (tokens are never deleted while running).
    known_tokens: std::sync::RwLock<std::collections::HashSet<String>>,
    /// Submissions waiting for the next group commit.
    pub submits: api::SubmitQueue,
}

impl Portal {
    pub fn db(&self) -> MutexGuard<'_, Db> {
        self.db.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The caller's device, once its token is checked.
#[derive(Debug, Clone)]
pub(crate) struct Device(pub String);

/// SHA-256 hex of a bearer token, which is all the portal keeps of it.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random bearer token (256 bits, URL-safe base64).
pub fn new_token() -> String {
    use base64::Engine as _;
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Milliseconds since the Unix epoch; the portal's only clock reading.
pub fn now_ms() -> i64 {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Builds the application: opens the database and folders and returns the router.
pub fn app(config: Config) -> anyhow::Result<Router> {
    Ok(router(Arc::new(open(config)?)))
}

fn open(config: Config) -> anyhow::Result<Portal> {
    std::fs::create_dir_all(config.data_dir.join("uploads"))?;
    std::fs::create_dir_all(config.data_dir.join("results"))?;
    let db = Db::open(&config.data_dir)?;
    let body =
        config.catalogue_json.clone().unwrap_or_else(|| hoso_catalogue::BUNDLED_JSON.to_owned());
    hoso_catalogue::Catalogue::from_json(&body)?;
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(body.as_bytes()))[..32]);
    Ok(Portal {
        config,
        db: Mutex::new(db),
        uploads: tus::Locks::default(),
        catalogue: (body, etag),
        known_tokens: std::sync::RwLock::default(),
        submits: api::SubmitQueue::default(),
    })
}

fn router(portal: Arc<Portal>) -> Router {
    let faults = portal.config.faults.clone();
    let api = Router::new()
        .route("/catalogue", get(api::catalogue))
        .route("/files", post(tus::create).options(tus::options))
        .route(
            "/files/{id}",
            axum::routing::head(tus::head).patch(tus::patch).delete(tus::terminate),
        )
        .route("/dossiers", post(api::submit))
        .route("/dossiers/{client_id}", get(api::dossier))
        .route("/dossiers/{client_id}/supplements", post(api::supplement))
        .route("/changes", get(api::changes))
        .route("/results/{id}", get(api::result))
        .route_layer(middleware::from_fn_with_state(Arc::clone(&portal), authenticate));
    Router::new()
        .nest(API_PREFIX, api)
        .fallback(|| async { api::error(StatusCode::NOT_FOUND, "not_found", "no such resource") })
        .layer(middleware::from_fn(identify))
        .layer(middleware::from_fn_with_state(faults, fault::middleware))
        .with_state(portal)
}

/// Adds the identifying header to every response the portal itself makes.
async fn identify(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert(IDENTITY_HEADER, HeaderValue::from_static(IDENTITY_VALUE));
    response
}

/// Checks the bearer token. OPTIONS (tus discovery, and the clients' reachability probe) is
/// open to all.
async fn authenticate(
    State(portal): State<Arc<Portal>>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let token = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return api::error(StatusCode::UNAUTHORIZED, "unauthorized", "a bearer token is required");
    };
    let hash = token_hash(token);
    let cached = portal
        .known_tokens
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .contains(&hash);
    let known = if cached {
        Ok(Ok(true))
    } else {
        let p = Arc::clone(&portal);
        let h = hash.clone();
        let found = tokio::task::spawn_blocking(move || p.db().token_known(&h)).await;
        if let Ok(Ok(true)) = found {
            portal
                .known_tokens
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(hash.clone());
        }
        found
    };
    match known {
        Ok(Ok(true)) => {
            request.extensions_mut().insert(Device(hash));
            next.run(request).await
        }
        Ok(Ok(false)) => api::error(StatusCode::UNAUTHORIZED, "unauthorized", "unknown token"),
        _ => api::error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "token check failed"),
    }
}

/// Runs the portal on `listener` until `shutdown` resolves, sweeping expired uploads meanwhile.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let portal = Arc::new(open(config)?);
    let sweeper = tokio::spawn(tus::sweep_forever(Arc::clone(&portal)));
    let drop_rate = portal.config.faults.drop_rate;
    let app = router(portal);
    let result = if drop_rate > 0.0 {
        axum::serve(fault::FaultyListener { inner: listener, drop_rate }, app)
            .with_graceful_shutdown(shutdown)
            .await
    } else {
        axum::serve(listener, app).with_graceful_shutdown(shutdown).await
    };
    sweeper.abort();
    Ok(result?)
}

/// Shared map of per-upload locks (see `tus`).
pub(crate) type UploadLocks = HashMap<String, Arc<tus::UploadLock>>;

impl IntoResponse for db::DbError {
    fn into_response(self) -> Response {
        api::error(StatusCode::INTERNAL_SERVER_ERROR, "internal", &self.to_string())
    }
}
