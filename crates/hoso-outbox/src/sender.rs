//! The sender: takes due jobs from the outbox, uploads their files resumably, submits each
//! dossier exactly once, then follows the portal's status feed.
//!
//! It only ever talks to the portal (no "internet check"): each pass starts with one cheap
//! probe, and when the portal does not answer the pass ends and the caller waits before the
//! next. Upload URLs and confirmed offsets are written to the store as they happen, so a
//! restarted app resumes mid-file. A dossier that cannot go (too large, refused) is set aside
//! with a code the app explains, and the others go on.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use hoso_store::{DossierState, Job, JobFile, JobState, StatusChange, Store};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::Clock;
use crate::net::NetError;
use crate::portal::{Portal, PortalConfig};
use crate::tus::{Capabilities, LinkEstimate, UploadEvent};

/// Store keys of the sender's own state.
const CURSOR_KEY: &str = "portal.changes_cursor";
const NEXT_STATUS_KEY: &str = "portal.next_status_poll";
const STATUS_IDLE_KEY: &str = "portal.status_idle_polls";
const CATALOGUE_CHECKED_KEY: &str = "catalogue.checked_at";
const CATALOGUE_ETAG_KEY: &str = "catalogue.etag";
/// Set to "1" while the person has paused sending.
pub const PAUSED_KEY: &str = "sending.paused";

/// Files uploaded at once: while one waits for an answer, the other keeps the link busy.
const WORKERS: usize = 2;
const MINUTE: i64 = 60_000;
/// The app's first wait after a failed try (its quick retries inside a try: 0.5, 1, 2, 4 s).
const BACKOFF_BASE_MS: i64 = 5_000;

/// Errors that stop a pass (network trouble never does: it is recorded and retried).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] hoso_store::Error),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Bytes handed to the network so far and the total, per dossier being uploaded.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Mutex<HashMap<String, Counters>>>);

/// A dossier's per-file byte counters and its total size.
type Counters = (Vec<Arc<AtomicU64>>, u64);

impl Progress {
    /// `(sent, total)` bytes of a dossier's files, while it uploads.
    pub fn of(&self, dossier_id: &str) -> Option<(u64, u64)> {
        let map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(dossier_id).map(|(files, total)| {
            let sent: u64 = files.iter().map(|f| f.load(Ordering::SeqCst)).sum();
            (sent.min(*total), *total)
        })
    }

    fn start(&self, dossier_id: &str, files: Vec<Arc<AtomicU64>>, total: u64) {
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.insert(dossier_id.to_owned(), (files, total));
    }

    fn finish(&self, dossier_id: &str) {
        let mut map = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.remove(dossier_id);
    }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassReport {
    /// The portal answered the probe.
    pub connected: bool,
    /// The portal refused the token; nothing can go until it is changed.
    pub unauthorized: bool,
    /// Dossiers that got their receipt in this pass: (dossier id, receipt).
    pub submitted: Vec<(String, String)>,
    /// Dossiers set aside in this pass: (dossier id, error code).
    pub set_aside: Vec<(String, String)>,
    /// Status changes applied.
    pub status_changes: usize,
    /// Jobs that failed for now and will be tried again.
    pub deferred: usize,
    /// Sending is paused by the person; nothing was tried.
    pub paused: bool,
}

/// The sender, with its own connection to the store.
#[derive(Debug)]
pub struct Sender {
    store: Store,
    portal: Portal,
    clock: Arc<dyn Clock>,
    progress: Progress,
    link: Arc<Mutex<LinkEstimate>>,
    backoff_base_ms: i64,
}

impl Sender {
    pub fn open(data_dir: &Path, portal: PortalConfig, clock: Arc<dyn Clock>) -> Result<Self> {
        Ok(Self {
            store: Store::open(data_dir)?,
            portal: Portal::new(portal),
            clock,
            progress: Progress::default(),
            link: Arc::new(Mutex::new(LinkEstimate::default())),
            backoff_base_ms: 0,
        }
        .with_backoff_base(BACKOFF_BASE_MS))
    }

    /// Scales every wait between tries (for tests): a failed job is first tried again after
    /// about `ms` ([`BACKOFF_BASE_MS`] in the app), doubling after each try that got nowhere, up
    /// to 15 minutes; a request that fails within a try is retried after `ms / 10`, doubling.
    pub fn with_backoff_base(mut self, ms: i64) -> Self {
        self.backoff_base_ms = ms.max(1);
        let base = std::time::Duration::from_millis(self.backoff_base_ms.unsigned_abs());
        self.portal.tus = self.portal.tus.clone().with_pause_unit(base / 20);
        self
    }

    /// A handle on upload progress, for the UI.
    pub fn progress(&self) -> Progress {
        self.progress.clone()
    }

    /// Is there anything to do now (a due job, or a status to follow)?
    pub fn has_work(&self) -> Result<bool> {
        let now = self.clock.now_ms();
        Ok(!self.store.due_jobs(now)?.is_empty() || self.status_due(now)?)
    }

    /// Makes the next status check due now ("Gửi ngay", "Kiểm tra thanh toán").
    pub fn check_status_now(store: &Store) -> Result<()> {
        store.set_kv(NEXT_STATUS_KEY, Some("0"))?;
        Ok(())
    }

    /// Jobs still to send (not sent, not set aside, not in the trash).
    pub fn outstanding(&self) -> Result<usize> {
        Ok(self.store.outstanding_jobs()?)
    }

    /// When something next falls due (a job's retry or the next status check), if ever.
    pub fn next_due(&self) -> Result<Option<i64>> {
        let job = self.store.next_due()?;
        let status = if self.store.awaiting_status()? > 0 {
            Some(self.store.kv(NEXT_STATUS_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0))
        } else {
            None
        };
        Ok(match (job, status) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    fn status_due(&self, now: i64) -> Result<bool> {
        if self.store.awaiting_status()? == 0 {
            return Ok(false);
        }
        let next: i64 = self.store.kv(NEXT_STATUS_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok(next <= now)
    }

    /// One round: probe the portal, send every due job, follow the status feed.
    pub fn pass(&mut self) -> Result<PassReport> {
        let mut report = PassReport::default();
        if self.store.kv(PAUSED_KEY)?.as_deref() == Some("1") {
            report.paused = true;
            return Ok(report);
        }
        let now = self.clock.now_ms();
        let due = self.store.due_jobs(now)?;
        let status_due = self.status_due(now)?;
        if due.is_empty() && !status_due {
            return Ok(report);
        }
        let caps = match self.portal.probe() {
            Ok(c) => c,
            Err(NetError::Unauthorized(_)) => {
                report.unauthorized = true;
                return Ok(report);
            }
            Err(_) => return Ok(report),
        };
        report.connected = true;
        for job in due {
            self.send_job(&job, &caps, &mut report)?;
            if report.unauthorized {
                return Ok(report);
            }
        }
        if !report.submitted.is_empty() || status_due {
            self.follow_status(&mut report)?;
        }
        // The catalogue (tens of kB) waits for a round that had nothing else to carry.
        if report.submitted.is_empty()
            && report.deferred == 0
            && self.store.outstanding_jobs()? == 0
        {
            self.refresh_catalogue()?;
        }
        Ok(report)
    }

    /// When to try a job again: about `base × 2^failures` from now (jittered, capped), and
    /// never sooner than the portal asked. `failures` counts only tries in a row that got
    /// nowhere: on a link that drops every few minutes yet moves a file further each time, the
    /// wait stays short instead of growing to a quarter of an hour.
    fn backoff(&self, failures: u32, retry_after: Option<std::time::Duration>) -> i64 {
        let base = (self.backoff_base_ms << failures.min(8)).min(15 * MINUTE);
        let jitter = 0.5 + rand::random::<f64>();
        let wait = ((base as f64) * jitter) as i64;
        let server = retry_after.map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        self.clock.now_ms() + wait.max(server)
    }

    /// A failure to try again later. `before` is how far the job had got when this try began;
    /// it is compared with the store now, after any recheck, so bytes the portal turned out to
    /// have lost do not count as getting further.
    fn defer(
        &self,
        job: &Job,
        before: Headway,
        e: &NetError,
        report: &mut PassReport,
    ) -> Result<()> {
        let retry_after = match e {
            NetError::Transient { retry_after, .. } => *retry_after,
            _ => None,
        };
        let moved = Headway::of(&self.store.job_files(&job.dossier_id)?).beyond(before);
        let failures = if moved { 0 } else { job.attempts };
        self.store.retry_later(
            &job.dossier_id,
            failures + 1,
            self.backoff(failures, retry_after),
            &e.code(),
            &e.to_string(),
            self.clock.now_ms(),
        )?;
        report.deferred += 1;
        Ok(())
    }

    fn set_aside(
        &self,
        job: &Job,
        code: &str,
        detail: &str,
        report: &mut PassReport,
    ) -> Result<()> {
        self.store.set_aside(&job.dossier_id, code, detail, self.clock.now_ms())?;
        report.set_aside.push((job.dossier_id.clone(), code.to_owned()));
        Ok(())
    }

    fn send_job(&mut self, job: &Job, caps: &Capabilities, report: &mut PassReport) -> Result<()> {
        let payload: Value = serde_json::from_str(&job.payload).unwrap_or(Value::Null);
        let files = self.store.job_files(&job.dossier_id)?;
        if let Some(max) = caps.max_size
            && let Some(big) = files.iter().find(|f| u64::try_from(f.size).unwrap_or(0) > max)
        {
            let detail = format!("a file is {} bytes; the portal accepts at most {max}", big.size);
            return self.set_aside(job, "too_large", &detail, report);
        }
        let before = Headway::of(&files);
        let pending: Vec<JobFile> = files.iter().filter(|f| !f.done).cloned().collect();
        if !pending.is_empty() || job.state == JobState::Queued {
            self.store.set_job_state(&job.dossier_id, JobState::Uploading, self.clock.now_ms())?;
        }
        if let Err(e) = self.upload_files(job, &payload, &files, &pending, caps)? {
            return match e {
                NetError::Unauthorized(_) => {
                    report.unauthorized = true;
                    self.defer(job, before, &e, report)
                }
                NetError::Permanent { ref code, ref message, .. } if code != "upload_gone" => {
                    self.set_aside(job, code, message, report)
                }
                _ => self.defer(job, before, &e, report),
            };
        }
        self.submit(job, before, payload, report)
    }

    /// Uploads the pending files, two at a time; `Ok(Err(_))` is a network failure to handle.
    fn upload_files(
        &mut self,
        job: &Job,
        payload: &Value,
        all: &[JobFile],
        pending: &[JobFile],
        caps: &Capabilities,
    ) -> Result<std::result::Result<(), NetError>> {
        let total: u64 = all.iter().map(|f| u64::try_from(f.size).unwrap_or(0)).sum();
        let counters: HashMap<String, Arc<AtomicU64>> = all
            .iter()
            .map(|f| {
                let done = if f.done { f.size } else { f.confirmed_offset };
                (f.sha256.clone(), Arc::new(AtomicU64::new(u64::try_from(done).unwrap_or(0))))
            })
            .collect();
        self.progress.start(&job.dossier_id, counters.values().cloned().collect(), total);
        if pending.is_empty() {
            return Ok(Ok(()));
        }
        let names = file_names(payload);
        let tasks: VecDeque<Task> = pending
            .iter()
            .map(|f| Task {
                sha256: f.sha256.clone(),
                size: u64::try_from(f.size).unwrap_or(0),
                url: f.upload_url.clone(),
                path: self.store.blobs().path(&f.sha256),
                name: names.get(&f.sha256).cloned().unwrap_or_default(),
                pushed: Arc::clone(&counters[&f.sha256]),
            })
            .collect();
        let queue = Mutex::new(tasks);
        let (tx, rx) = mpsc::channel::<(String, Message)>();
        let endpoint = self.portal.files_endpoint();
        let tus = self.portal.tus.clone();
        let link = Arc::clone(&self.link);
        let mut outcome = Ok(());
        std::thread::scope(|scope| -> Result<()> {
            for _ in 0..WORKERS.min(pending.len()) {
                let tx = tx.clone();
                let (queue, tus, endpoint, link) = (&queue, &tus, &endpoint, &link);
                scope.spawn(move || {
                    loop {
                        let task = queue
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .pop_front();
                        let Some(task) = task else { break };
                        let sha = task.sha256.clone();
                        let mut emit = |ev: UploadEvent| {
                            let _ = tx.send((sha.clone(), Message::Event(ev)));
                        };
                        let result = upload_one(tus, endpoint, caps, &task, link, &mut emit);
                        let stop = result.is_err();
                        let _ = tx.send((sha.clone(), Message::Finished(result)));
                        if stop {
                            // One failure means the link or the portal is in trouble: leave the
                            // rest for the next attempt.
                            queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
                            break;
                        }
                    }
                });
            }
            drop(tx);
            for (sha, message) in rx {
                match message {
                    Message::Event(UploadEvent::Created(url)) => {
                        self.store.set_upload_url(&job.dossier_id, &sha, Some(&url))?
                    }
                    Message::Event(UploadEvent::Confirmed(offset)) => {
                        let size = all.iter().find(|f| f.sha256 == sha).map_or(0, |f| f.size);
                        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
                        self.store.set_confirmed_offset(
                            &job.dossier_id,
                            &sha,
                            offset,
                            offset >= size,
                        )?;
                    }
                    Message::Finished(Ok(())) => {}
                    Message::Finished(Err(e)) => {
                        if let NetError::Permanent { code, .. } = &e
                            && code == "upload_gone"
                        {
                            self.store.set_upload_url(&job.dossier_id, &sha, None)?;
                        }
                        if outcome.is_ok() || matches!(e, NetError::Permanent { .. }) {
                            outcome = Err(e);
                        }
                    }
                }
            }
            Ok(())
        })?;
        Ok(outcome)
    }

    fn submit(
        &mut self,
        job: &Job,
        before: Headway,
        mut payload: Value,
        report: &mut PassReport,
    ) -> Result<()> {
        let now = self.clock.now_ms();
        self.store.set_job_state(&job.dossier_id, JobState::Submitting, now)?;
        let urls: HashMap<String, String> = self
            .store
            .job_files(&job.dossier_id)?
            .into_iter()
            .filter_map(|f| f.upload_url.map(|u| (f.sha256, u)))
            .collect();
        if let Some(files) = payload.get_mut("files").and_then(Value::as_array_mut) {
            for f in files.iter_mut() {
                let url =
                    f["sha256"].as_str().and_then(|s| urls.get(s)).cloned().unwrap_or_default();
                f["upload"] = Value::String(url);
            }
        }
        // A dropped answer is retried at once a few times: the same body is safe to send again.
        let mut sent = self.portal.submit(&payload);
        for attempt in 1..=3u64 {
            if !matches!(sent, Err(NetError::NotConnected(_))) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(250 * attempt));
            sent = self.portal.submit(&payload);
        }
        match sent {
            Ok(receipt) => {
                self.store.record_receipt(
                    &job.dossier_id,
                    &receipt.receipt,
                    receipt.received_at,
                    self.clock.now_ms(),
                )?;
                if let Some(p) = &receipt.payment {
                    self.store.record_payment(
                        &job.dossier_id,
                        &p.to_store(),
                        self.clock.now_ms(),
                    )?;
                }
                self.progress.finish(&job.dossier_id);
                report.submitted.push((job.dossier_id.clone(), receipt.receipt));
                // Follow the new dossier soon.
                self.store.set_kv(NEXT_STATUS_KEY, Some(&now.to_string()))?;
                Ok(())
            }
            Err(NetError::Permanent { code, body, .. }) if code == "conflict" => {
                // The portal already has an earlier version of this dossier: it is there, once.
                let receipt = body["receipt"]["receipt"].as_str().unwrap_or_default().to_owned();
                let at = body["receipt"]["receivedAt"].as_i64().unwrap_or(now);
                self.store.record_receipt(&job.dossier_id, &receipt, at, self.clock.now_ms())?;
                self.progress.finish(&job.dossier_id);
                report.submitted.push((job.dossier_id.clone(), receipt));
                Ok(())
            }
            Err(NetError::Permanent { code, body, .. })
                if code == "file_incomplete" || code == "file_unknown" =>
            {
                self.recheck_uploads(job, &body["upload"])?;
                self.defer(
                    job,
                    before,
                    &NetError::Transient { status: 422, retry_after: None, detail: code },
                    report,
                )
            }
            Err(NetError::Permanent { code, message, .. }) => {
                self.set_aside(job, &code, &message, report)
            }
            Err(e @ NetError::Unauthorized(_)) => {
                report.unauthorized = true;
                self.defer(job, before, &e, report)
            }
            // No answer: the portal may or may not have it; the same body again is safe.
            Err(e) => self.defer(job, before, &e, report),
        }
    }

    /// The portal lacks bytes of an upload, or the upload itself (say, it expired). Each file
    /// is asked where it stands, so the next attempt resumes what the portal still has and
    /// uploads afresh only what it lost, or what it calls whole yet refuses (`named`).
    fn recheck_uploads(&self, job: &Job, named: &Value) -> Result<()> {
        let named = named.as_str().filter(|n| !n.is_empty());
        for f in self.store.job_files(&job.dossier_id)? {
            let Some(url) = f.upload_url.as_deref() else { continue };
            let refused = named.is_none_or(|n| url.rsplit('/').next() == Some(n));
            let lost = match self.portal.tus.offset(url) {
                Ok(offset) if offset < u64::try_from(f.size).unwrap_or(0) => {
                    let offset = i64::try_from(offset).unwrap_or(0);
                    self.store.set_confirmed_offset(&job.dossier_id, &f.sha256, offset, false)?;
                    false
                }
                Ok(_) => refused,
                Err(NetError::Permanent { code, .. }) => code == "upload_gone",
                // No answer now: the next attempt asks again.
                Err(_) => false,
            };
            if lost {
                self.store.set_upload_url(&job.dossier_id, &f.sha256, None)?;
            }
        }
        Ok(())
    }

    fn follow_status(&mut self, report: &mut PassReport) -> Result<()> {
        let mut cursor: i64 = self.store.kv(CURSOR_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut applied = 0usize;
        for _ in 0..50 {
            let (changes, next) = match self.portal.changes(cursor) {
                Ok(page) => page,
                Err(_) => break,
            };
            for c in &changes {
                let Some(state) = DossierState::parse(&c.state) else { continue };
                let mut results_ok = true;
                for doc in &c.results {
                    match self.portal.result(&doc.id, doc.size) {
                        Ok(bytes) if hex::encode(Sha256::digest(&bytes)) == doc.sha256 => {
                            let sha = self.store.blobs().put(&bytes)?;
                            self.store.add_result(
                                &c.client_id,
                                &doc.id,
                                &doc.name,
                                &doc.media_type,
                                &sha,
                                self.clock.now_ms(),
                            )?;
                        }
                        _ => results_ok = false,
                    }
                }
                if !results_ok {
                    // Try this change again next time rather than lose its documents.
                    break;
                }
                let change =
                    StatusChange { dossier_id: &c.client_id, state, message: &c.message, at: c.at };
                if self.store.apply_status(&change, self.clock.now_ms())? {
                    applied += 1;
                }
                if let Some(p) = &c.payment {
                    self.store.record_payment(&c.client_id, &p.to_store(), self.clock.now_ms())?;
                }
                cursor = c.seq;
                self.store.set_kv(CURSOR_KEY, Some(&cursor.to_string()))?;
            }
            if changes.is_empty() || cursor != next {
                break;
            }
        }
        report.status_changes += applied;
        // Poll again soon after something moved, then less and less often (up to 15 min).
        let idle: u32 = if applied > 0 {
            0
        } else {
            self.store.kv(STATUS_IDLE_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0) + 1
        };
        self.store.set_kv(STATUS_IDLE_KEY, Some(&idle.to_string()))?;
        // While a fee waits to be paid, look every 30 s: the person is probably at their
        // banking app and wants to see "Đã thanh toán".
        let wait = if self.store.unpaid_payments()? > 0 {
            30_000
        } else {
            (30_000i64 << idle.min(5)).min(15 * MINUTE)
        };
        let next = self.clock.now_ms() + wait;
        self.store.set_kv(NEXT_STATUS_KEY, Some(&next.to_string()))?;
        Ok(())
    }

    /// Checks the portal's catalogue at most once a day and caches a newer one.
    fn refresh_catalogue(&mut self) -> Result<()> {
        let now = self.clock.now_ms();
        let checked: i64 =
            self.store.kv(CATALOGUE_CHECKED_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(0);
        if now - checked < 24 * 60 * MINUTE {
            return Ok(());
        }
        let etag = self.store.kv(CATALOGUE_ETAG_KEY)?;
        match self.portal.catalogue(etag.as_deref()) {
            Ok(None) => {}
            Ok(Some((body, etag))) => {
                if let Ok(parsed) = hoso_catalogue::Catalogue::from_json(&body) {
                    self.store.put_catalogue(&hoso_store::CachedCatalogue {
                        version: parsed.version,
                        source: "portal".to_owned(),
                        etag: etag.clone(),
                        body,
                        stored_at: now,
                    })?;
                    self.store.set_kv(CATALOGUE_ETAG_KEY, etag.as_deref())?;
                }
            }
            Err(_) => return Ok(()),
        }
        self.store.set_kv(CATALOGUE_CHECKED_KEY, Some(&now.to_string()))?;
        Ok(())
    }
}

struct Task {
    sha256: String,
    size: u64,
    url: Option<String>,
    path: PathBuf,
    name: String,
    pushed: Arc<AtomicU64>,
}

enum Message {
    Event(UploadEvent),
    Finished(std::result::Result<(), NetError>),
}

/// How far a job's upload has got: bytes the portal confirmed, and uploads it opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Headway {
    confirmed: i64,
    opened: usize,
}

impl Headway {
    fn of(files: &[JobFile]) -> Self {
        Self {
            confirmed: files.iter().map(|f| if f.done { f.size } else { f.confirmed_offset }).sum(),
            opened: files.iter().filter(|f| f.upload_url.is_some()).count(),
        }
    }

    /// Did the job get further than `before` in any way?
    fn beyond(self, before: Self) -> bool {
        self.confirmed > before.confirmed || self.opened > before.opened
    }
}

fn file_names(payload: &Value) -> HashMap<String, String> {
    payload["files"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .filter_map(|f| {
                    Some((
                        f["sha256"].as_str()?.to_owned(),
                        f["name"].as_str().unwrap_or("").to_owned(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Uploads one file, creating its upload when needed (again if the portal lost it).
fn upload_one(
    tus: &crate::tus::TusClient,
    endpoint: &str,
    caps: &Capabilities,
    task: &Task,
    link: &Mutex<LinkEstimate>,
    emit: &mut dyn FnMut(UploadEvent),
) -> std::result::Result<(), NetError> {
    let metadata = [("filename", task.name.as_str()), ("sha256", task.sha256.as_str())];
    let (mut url, mut known) = match &task.url {
        Some(u) => (u.clone(), None),
        None => {
            let u = tus.create_retrying(endpoint, task.size, &metadata)?;
            emit(UploadEvent::Created(u.clone()));
            (u, Some(0))
        }
    };
    for attempt in 0..2 {
        let mut estimate = *link.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let file = crate::tus::LocalFile { path: &task.path, size: task.size };
        let result = tus.upload_rest(
            crate::tus::Target { url: &url, known_offset: known },
            file,
            caps,
            &mut estimate,
            &task.pushed,
            emit,
        );
        *link.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = estimate;
        match result {
            Err(NetError::Permanent { code, .. }) if code == "upload_gone" && attempt == 0 => {
                url = tus.create_retrying(endpoint, task.size, &metadata)?;
                emit(UploadEvent::Created(url.clone()));
                known = Some(0);
            }
            other => return other,
        }
    }
    Ok(())
}
