//! Test support: portal and sender child processes, dossiers, and a bounded send loop.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use hoso_outbox::{PortalConfig, Sender, SystemClock};
use hoso_store::{Content, NewDossier, PageFile, Store, Summary};

const PORTAL_ENV: &str = "HOSO_TEST_PORTAL";
const SENDER_ENV: &str = "HOSO_TEST_SENDER";

/// Child mode: run a real portal.
/// `HOSO_TEST_PORTAL=<data dir>|<listen>|<max upload>|<error rate>|<captive rate>|<error path>`.
#[test]
fn portal_child() {
    let Ok(spec) = std::env::var(PORTAL_ENV) else { return };
    let parts: Vec<&str> = spec.split('|').collect();
    let mut config = hoso_portal::Config::new(PathBuf::from(parts[0]));
    config.max_upload_bytes = parts[2].parse().expect("max");
    config.faults.error_rate = parts[3].parse().expect("error rate");
    config.faults.captive_rate = parts[4].parse().expect("captive rate");
    config.faults.error_path = Some(parts[5]).filter(|p| !p.is_empty()).map(str::to_owned);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(parts[1]).await.expect("bind");
        println!("listening {}", listener.local_addr().expect("addr"));
        hoso_portal::serve(listener, config, std::future::pending()).await.expect("serve");
    });
}

/// Child mode: run the sender until everything is sent. `HOSO_TEST_SENDER=<data dir>|<portal url>|<token>`.
#[test]
fn sender_child() {
    let Ok(spec) = std::env::var(SENDER_ENV) else { return };
    let parts: Vec<&str> = spec.split('|').collect();
    let portal = PortalConfig { url: parts[1].to_owned(), token: parts[2].to_owned() };
    let mut sender = Sender::open(Path::new(parts[0]), portal, Arc::new(SystemClock))
        .expect("open")
        .with_backoff_base(50);
    println!("sending");
    send_all(&mut sender, Duration::from_secs(120));
}

/// A portal in its own process.
#[derive(Debug)]
pub struct PortalProc {
    child: Child,
    pub addr: SocketAddr,
    pub data: PathBuf,
    pub token: String,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct PortalFaults {
    pub max_upload: Option<u64>,
    pub error_rate: f64,
    pub captive_rate: f64,
    /// Only requests whose path starts with this get the errors.
    pub error_path: Option<&'static str>,
}

impl PortalProc {
    /// Starts a portal on `data` (creating a token once per data dir).
    pub fn start(data: &Path, listen: &str, faults: PortalFaults) -> Self {
        std::fs::create_dir_all(data).expect("mkdir");
        let token_file = data.join("test-token");
        let token = if let Ok(t) = std::fs::read_to_string(&token_file) {
            t
        } else {
            let db = hoso_portal::Db::open(data).expect("db");
            let t = hoso_portal::new_token();
            db.add_token(&hoso_portal::token_hash(&t), "test", 0).expect("token");
            std::fs::write(&token_file, &t).expect("write");
            t
        };
        let spec = format!(
            "{}|{listen}|{}|{}|{}|{}",
            data.display(),
            faults.max_upload.unwrap_or(50 * 1024 * 1024),
            faults.error_rate,
            faults.captive_rate,
            faults.error_path.unwrap_or_default()
        );
        let mut child = Command::new(std::env::current_exe().expect("exe"))
            .args(["--exact", "support::portal_child", "--nocapture", "--test-threads=1"])
            .env(PORTAL_ENV, spec)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn portal");
        let stdout = child.stdout.take().expect("stdout");
        let mut addr = None;
        // The test harness prints "test support::portal_child ... " before our line.
        for line in BufReader::new(stdout).lines().map_while(Result::ok).take(5) {
            if let Some(a) = line.split("listening ").nth(1) {
                addr = Some(a.trim().parse().expect("addr"));
                break;
            }
        }
        let addr = addr.expect("the portal never said where it listens");
        Self { child, addr, data: data.to_owned(), token }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// SIGKILL.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Every dossier the portal holds (operator view).
    pub fn dossiers(&self) -> Vec<hoso_portal::db::DossierInfo> {
        hoso_portal::Db::open(&self.data).expect("db").dossiers().expect("dossiers")
    }

    /// The back office moves a dossier.
    pub fn set_state(&self, key: &str, state: &str, message: &str, result: Option<(&str, &[u8])>) {
        let mut docs = Vec::new();
        if let Some((name, bytes)) = result {
            let id = hex::encode(rand::random::<[u8; 16]>());
            std::fs::create_dir_all(self.data.join("results")).expect("mkdir");
            std::fs::write(self.data.join("results").join(&id), bytes).expect("write");
            use sha2::Digest;
            docs.push(hoso_portal::db::ResultDoc {
                id,
                name: name.to_owned(),
                media_type: "application/pdf".to_owned(),
                sha256: hex::encode(sha2::Sha256::digest(bytes)),
                size: bytes.len() as u64,
            });
        }
        let mut db = hoso_portal::Db::open(&self.data).expect("db");
        db.set_state(key, state, message, &docs, hoso_portal::now_ms()).expect("set state");
    }
}

impl Drop for PortalProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A sender in its own process, to be killed.
pub fn spawn_sender(data: &Path, url: &str, token: &str) -> Child {
    Command::new(std::env::current_exe().expect("exe"))
        .args(["--exact", "support::sender_child", "--nocapture", "--test-threads=1"])
        .env(SENDER_ENV, format!("{}|{url}|{token}", data.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sender")
}

fn summary(_: &Content<'_>) -> Summary {
    Summary::default()
}

/// A finalised dossier with one page per given file; returns its id.
pub fn queued_dossier(store: &Store, id: &str, files: &[Vec<u8>]) -> String {
    let mut values = BTreeMap::new();
    values.insert("applicant.full_name".to_owned(), format!("Người nộp {id}"));
    store
        .insert_dossier(
            &NewDossier { id, procedure_code: "1.001193", values: &values, now: 1 },
            summary,
        )
        .expect("insert");
    for (i, bytes) in files.iter().enumerate() {
        let name = format!("trang-{}.jpg", i + 1);
        store
            .add_page(
                id,
                "to_khai",
                PageFile { bytes, media_type: "image/jpeg", original_name: &name },
                2,
                summary,
            )
            .expect("page");
    }
    let record = store.dossier(id).expect("record");
    hoso_outbox::enqueue(store, &record, None, 3).expect("enqueue");
    id.to_owned()
}

/// Deterministic pseudo-random bytes (incompressible, like photos).
pub fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Runs passes until no job is left to send (sent or set aside). Bounded in time.
pub fn send_all(sender: &mut Sender, limit: Duration) -> Vec<hoso_outbox::PassReport> {
    let deadline = Instant::now() + limit;
    let mut reports = Vec::new();
    while Instant::now() < deadline {
        let report = sender.pass().expect("pass");
        reports.push(report);
        if sender.outstanding().expect("outstanding") == 0 {
            break;
        }
        if !sender.has_work().expect("work") {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    reports
}

/// A clock that stands still until the test moves it.
#[derive(Debug, Default)]
pub struct HandClock(AtomicI64);

impl HandClock {
    pub fn at(ms: i64) -> Arc<Self> {
        Arc::new(Self(AtomicI64::new(ms)))
    }

    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
}

impl hoso_outbox::Clock for HandClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The store's jobs that are not sent yet.
pub fn unsent(store: &Store) -> Vec<String> {
    store
        .jobs()
        .expect("jobs")
        .into_iter()
        .filter(|j| j.state != hoso_store::JobState::Sent)
        .map(|j| j.dossier_id)
        .collect()
}

pub fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
