//! Finalising and sending: what the app and the CLI see of the outbox and the portal.

use hoso_outbox::{PortalConfig, Progress};
use hoso_store::Store;

use crate::secrets::TokenSource as Source;
use crate::types::{Dossier, JobState, PortalSettings, ScanState, Sending, TokenSource};
use crate::{ApiError, ErrorCode, Hoso, Result};

/// Environment variable that sets the portal's address (over the settings).
pub const PORTAL_URL_ENV: &str = "HOSO_PORTAL_URL";
const PORTAL_URL_KEY: &str = "portal.url";

impl Hoso {
    /// Freezes a complete draft into the outbox; it goes out by itself when the portal answers.
    pub fn finalize(&self, id: &str) -> Result<Dossier> {
        // Refused before any photo is worked on, and checked again under the lock below.
        {
            let store = self.store();
            let record = store.dossier(id).map_err(|e| self.store_err(e))?;
            self.check_finalizable(&record)?;
        }
        // Photos not made into pages yet (the app stopped half-way, or they came from the CLI)
        // are made now; one that cannot be read is sent as it is.
        self.scan_pending(id)?;
        let pdfs = self.component_pdfs(id)?;
        {
            let store = self.store();
            let mut record = store.dossier(id).map_err(|e| self.store_err(e))?;
            self.check_finalizable(&record)?;
            // Each component's scanned pages go as one PDF, in place of its first page.
            let now = self.clock.now_ms();
            let mut pages = Vec::with_capacity(record.pages.len());
            let mut placed = std::collections::BTreeSet::new();
            for p in record.pages {
                let pdf = pdfs.iter().find(|(c, _)| *c == p.component_code).map(|(_, pdf)| pdf);
                match pdf {
                    Some(pdf) if crate::scan::scan_info(&p).0 == ScanState::Done => {
                        if placed.insert(p.component_code.clone()) {
                            let sha = store
                                .put_file(pdf, "application/pdf", now)
                                .map_err(|e| self.store_err(e))?;
                            pages.push(hoso_store::Page {
                                sha256: sha,
                                media_type: "application/pdf".to_owned(),
                                byte_size: i64::try_from(pdf.len()).unwrap_or(i64::MAX),
                                original_name: format!("{}.pdf", p.component_code),
                                scan: None,
                                out: None,
                                thumb_sha256: None,
                                ..p
                            });
                        }
                    }
                    _ => pages.push(p),
                }
            }
            record.pages = pages;
            let fee = self
                .catalogue
                .procedure(&record.row.procedure_code)
                .map(|p| p.fee_quote(&record.values, self.today()))
                .and_then(|q| crate::fee::fee_body(&q));
            let total = fee.as_ref().and_then(|f| f["total"].as_u64()).unwrap_or(0);
            hoso_outbox::enqueue(&store, &record, fee, now).map_err(|e| self.store_err(e))?;
            drop(store);
            self.log(&format!(
                "finalize {} procedure={} files={} fee={total}",
                crate::log::short(id),
                record.row.procedure_code,
                record.pages.len()
            ));
        }
        self.dossier(id)
    }

    /// A live dossier of a known procedure with nothing missing.
    fn check_finalizable(&self, record: &hoso_store::DossierRecord) -> Result<()> {
        let id = &record.row.id;
        if record.row.deleted_at.is_some() {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("dossier {id} is in the trash"),
            ));
        }
        let procedure = self.catalogue.procedure(&record.row.procedure_code);
        let (summary, _) = self.evaluate_record(record);
        if procedure.is_none() || summary.missing > 0 {
            return Err(ApiError::new(
                ErrorCode::NotReady,
                format!("dossier {id} still has {} missing items", summary.missing),
            ));
        }
        let by_post = record.values.get(crate::fee::DELIVERY_METHOD).is_some_and(|m| m == "post");
        let address = record.values.get(crate::fee::DELIVERY_ADDRESS).map_or("", |a| a.trim());
        if by_post && address.is_empty() {
            return Err(ApiError::new(
                ErrorCode::NotReady,
                format!("dossier {id}: the result goes by post but no address is given"),
            ));
        }
        Ok(())
    }

    /// Every component's PDF of scanned pages.
    fn component_pdfs(&self, id: &str) -> Result<Vec<(String, Vec<u8>)>> {
        let record = self.store().dossier(id).map_err(|e| self.store_err(e))?;
        let codes: std::collections::BTreeSet<String> =
            record.pages.into_iter().map(|p| p.component_code).collect();
        let mut out = Vec::new();
        for code in codes {
            if let Some(pdf) = self.component_pdf(id, &code)? {
                out.push((code, pdf));
            }
        }
        Ok(out)
    }

    /// Takes a dossier that has not reached the portal back to a draft (to fix what stopped it).
    pub fn unqueue(&self, id: &str) -> Result<Dossier> {
        self.store().unqueue(id, self.clock.now_ms()).map_err(|e| self.store_err(e))?;
        self.dossier(id)
    }

    /// Pauses or resumes sending (it stays so across restarts).
    pub fn set_sending_paused(&self, paused: bool) -> Result<PortalSettings> {
        let value = if paused { Some("1") } else { None };
        self.store().set_kv(hoso_outbox::PAUSED_KEY, value).map_err(|e| self.store_err(e))?;
        self.portal_settings()
    }

    /// "Gửi ngay": every waiting dossier is due now.
    pub fn send_now(&self) -> Result<()> {
        let store = self.store();
        store.retry_all_now().map_err(|e| self.store_err(e))?;
        // And ask the portal for news now (a payment just made, a result).
        hoso_outbox::Sender::check_status_now(&store)
            .map_err(|hoso_outbox::Error::Store(e)| self.store_err(e))
    }

    /// Lets the façade report live upload progress from the sender running in this process.
    pub fn attach_progress(&self, progress: Progress) {
        *self.progress.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(progress);
    }

    pub(crate) fn upload_percent(&self, id: &str) -> Option<u8> {
        let guard = self.progress.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (sent, total) = guard.as_ref()?.of(id)?;
        Some((sent * 100).checked_div(total).map_or(100, |p| u8::try_from(p).unwrap_or(100)))
    }

    pub(crate) fn sending(&self, store: &Store, id: &str) -> hoso_store::Result<Option<Sending>> {
        let Some(job) = store.job(id)? else { return Ok(None) };
        let files = store.job_files(id)?;
        let total: i64 = files.iter().map(|f| f.size).sum();
        let confirmed: i64 =
            files.iter().map(|f| if f.done { f.size } else { f.confirmed_offset }).sum();
        let live = {
            let guard = self.progress.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            guard
                .as_ref()
                .and_then(|p| p.of(id))
                .map(|(sent, _)| i64::try_from(sent).unwrap_or(i64::MAX))
        };
        Ok(Some(Sending {
            job_state: job_state(job.state),
            error_code: job.error_code,
            error_detail: job.error_detail,
            attempts: job.attempts,
            next_attempt_at: job.next_attempt_at,
            sent_bytes: live.unwrap_or(confirmed).max(confirmed).min(total),
            total_bytes: total,
        }))
    }

    /// The portal in use and where its token comes from.
    pub fn portal_settings(&self) -> Result<PortalSettings> {
        let (url, from_env) = self.portal_url()?;
        let source = if url.is_empty() { Source::None } else { self.secrets.token(&url).1 };
        let paused =
            self.store().kv(hoso_outbox::PAUSED_KEY).map_err(|e| self.store_err(e))?.as_deref()
                == Some("1");
        Ok(PortalSettings {
            url,
            url_from_env: from_env,
            token_source: token_source(source),
            paused,
        })
    }

    /// Sets the portal's address (and, if given, its token, kept in the keyring).
    pub fn set_portal(&self, url: &str, token: Option<&str>) -> Result<PortalSettings> {
        let url = url.trim().trim_end_matches('/');
        if !(url.starts_with("http://") || url.starts_with("https://"))
            || url.len() < 10
            || url.contains(char::is_whitespace)
        {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "the portal address must start with http:// or https://",
            ));
        }
        self.store().set_kv(PORTAL_URL_KEY, Some(url)).map_err(|e| self.store_err(e))?;
        if let Some(t) = token.map(str::trim).filter(|t| !t.is_empty()) {
            self.secrets.set_token(url, t);
        }
        self.portal_settings()
    }

    /// Where and how to send, when both the address and a token are known.
    pub fn portal_config(&self) -> Result<Option<PortalConfig>> {
        self.portal_config_at(None)
    }

    /// Like [`Hoso::portal_config`], with another address for this call only.
    pub fn portal_config_at(&self, url: Option<&str>) -> Result<Option<PortalConfig>> {
        let url = match url {
            Some(u) => u.trim().trim_end_matches('/').to_owned(),
            None => self.portal_url()?.0,
        };
        if url.is_empty() {
            return Ok(None);
        }
        Ok(self.secrets.token(&url).0.map(|token| PortalConfig { url, token }))
    }

    fn portal_url(&self) -> Result<(String, bool)> {
        if let Some(u) = std::env::var(PORTAL_URL_ENV).ok().filter(|u| !u.trim().is_empty()) {
            return Ok((u.trim().trim_end_matches('/').to_owned(), true));
        }
        let stored = self.store().kv(PORTAL_URL_KEY).map_err(|e| self.store_err(e))?;
        Ok((stored.unwrap_or_default(), false))
    }
}

pub(crate) fn job_state(s: hoso_store::JobState) -> JobState {
    use hoso_store::JobState as S;
    match s {
        S::Queued => JobState::Queued,
        S::Uploading => JobState::Uploading,
        S::Submitting => JobState::Submitting,
        S::Sent => JobState::Sent,
        S::SetAside => JobState::SetAside,
    }
}

fn token_source(s: Source) -> TokenSource {
    match s {
        Source::Environment => TokenSource::Environment,
        Source::Keyring => TokenSource::Keyring,
        Source::Session => TokenSource::Session,
        Source::None => TokenSource::None,
    }
}

/// A sending session against one portal: what the shell's background thread and `hoso send`
/// drive, one round at a time.
#[derive(Debug)]
pub struct SendSession {
    inner: hoso_outbox::Sender,
    log: std::sync::Arc<crate::log::Logger>,
    clock: std::sync::Arc<dyn hoso_outbox::Clock>,
    /// Whether the portal answered at the last round (logged when it changes).
    connected: Option<bool>,
}

impl Hoso {
    /// Opens a sending session (its own store connection); its progress shows in this façade.
    pub fn open_sender(&self, config: PortalConfig) -> Result<SendSession> {
        let inner =
            hoso_outbox::Sender::open(&self.data_dir, config, std::sync::Arc::clone(&self.clock))
                .map_err(|e| outbox_error(&e, &self.data_dir))?;
        self.attach_progress(inner.progress());
        Ok(SendSession {
            inner,
            log: std::sync::Arc::clone(&self.log),
            clock: std::sync::Arc::clone(&self.clock),
            connected: None,
        })
    }
}

impl SendSession {
    /// One round: probe the portal, send what is due, follow statuses.
    pub fn pass(&mut self) -> Result<crate::types::SendReport> {
        let report: crate::types::SendReport = self
            .inner
            .pass()
            .map(Into::into)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
        // Only what moved: a line per round would bury the rest.
        let now = self.clock.now_ms();
        if self.connected != Some(report.connected) && !report.paused {
            self.connected = Some(report.connected);
            self.log.line(
                now,
                &format!(
                    "portal connected={} unauthorized={}",
                    report.connected, report.unauthorized
                ),
            );
        }
        for s in &report.submitted {
            self.log.line(
                now,
                &format!("submitted {} receipt={}", crate::log::short(&s.id), s.receipt),
            );
        }
        for s in &report.set_aside {
            self.log.line(now, &format!("set_aside {} code={}", crate::log::short(&s.id), s.code));
        }
        if report.status_changes > 0 {
            self.log.line(now, &format!("status_changes {}", report.status_changes));
        }
        Ok(report)
    }

    /// Is anything due now?
    pub fn has_work(&self) -> Result<bool> {
        self.inner.has_work().map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
    }

    /// When something next falls due (milliseconds since the epoch), if ever.
    pub fn next_due(&self) -> Result<Option<i64>> {
        self.inner.next_due().map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
    }

    /// Dossiers still to send.
    pub fn outstanding(&self) -> Result<usize> {
        self.inner.outstanding().map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
    }
}

fn outbox_error(e: &hoso_outbox::Error, data_dir: &std::path::Path) -> ApiError {
    match e {
        hoso_outbox::Error::Store(_) => {
            ApiError::new(ErrorCode::StoreUnavailable, format!("{e} ({})", data_dir.display()))
        }
    }
}

impl Hoso {
    /// The receipt (giấy biên nhận) of a dossier the portal received, as a one-page PDF.
    pub fn receipt_pdf(&self, id: &str) -> Result<Vec<u8>> {
        let d = self.dossier(id)?;
        let code = d.receipt.clone().ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotReady,
                format!("dossier {id} has not reached the portal yet"),
            )
        })?;
        let received =
            d.timeline.iter().find(|e| e.kind == "state:received").map_or(d.updated_at, |e| e.at);
        let procedure = d.procedure.as_ref();
        let component_name = |code: &str| {
            procedure
                .and_then(|p| p.components.iter().find(|c| c.code == code))
                .map_or_else(|| code.to_owned(), |c| c.name.clone())
        };
        let files = d
            .components
            .iter()
            .flat_map(|c| c.pages.iter().map(move |p| (c.code.clone(), p)))
            .map(|(component, p)| hoso_pdf::ReceiptFile {
                component: component_name(&component),
                name: if p.original_name.is_empty() {
                    format!("{component}-{}", p.position)
                } else {
                    p.original_name.clone()
                },
                size: human_size(p.byte_size),
                sha256: p.sha256.clone(),
            })
            .collect();
        let receipt = hoso_pdf::Receipt {
            receipt_code: code,
            procedure_name: procedure.map_or_else(String::new, |p| p.summary.name.clone()),
            procedure_code: d.procedure_code.clone(),
            applicant: d.title.clone(),
            received_at: vietnam_time(received),
            state: state_words(d.state).to_owned(),
            portal: self.portal_url()?.0,
            dossier_id: d.id.clone(),
            payment: match &d.payment {
                Some(p) => match p.paid_at {
                    Some(at) => format!(
                        "{} — đã thanh toán lúc {} (nội dung {})",
                        p.amount_text,
                        vietnam_time(at),
                        p.reference
                    ),
                    None => {
                        format!("{} — chưa thanh toán (nội dung {})", p.amount_text, p.reference)
                    }
                },
                None => String::new(),
            },
            delivery: match d.values.get(crate::fee::DELIVERY_METHOD).map(String::as_str) {
                Some("post") => format!(
                    "Qua bưu điện, tới {}",
                    d.values.get(crate::fee::DELIVERY_ADDRESS).map_or("", |a| a.as_str())
                ),
                Some("download") => "Tải về trên HoSo".to_owned(),
                Some("desk") => "Tại bộ phận một cửa".to_owned(),
                _ => String::new(),
            },
            files,
            printed_at: vietnam_time(self.clock.now_ms()),
        };
        hoso_pdf::receipt(&receipt).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
    }
}

/// `HH:MM dd/mm/yyyy` in Vietnam (UTC+7).
pub(crate) fn vietnam_time(ms: i64) -> String {
    let date = hoso_catalogue::CivilDate::in_vietnam_at(ms);
    let minutes = (ms + 7 * 3_600_000).rem_euclid(86_400_000) / 60_000;
    format!("{:02}:{:02} {date}", minutes / 60, minutes % 60)
}

fn human_size(bytes: i64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 512) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0).replace('.', ",")
    }
}

/// The state as the printed receipt words it.
fn state_words(s: crate::types::DossierState) -> &'static str {
    use crate::types::DossierState as S;
    match s {
        S::Draft => "Bản nháp",
        S::Queued => "Chờ gửi",
        S::Uploading => "Đang gửi",
        S::Received => "Đã nộp",
        S::Processing => "Đang xử lý",
        S::SupplementRequested => "Cần bổ sung",
        S::ResultReady => "Có kết quả",
        S::Rejected => "Bị từ chối",
    }
}
