//! The background sender: a thread that sends the outbox whenever the portal answers, follows
//! statuses, and tells the window what changed.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use hoso_api::{Clock, Hoso, PortalConfig, SendSession, SystemClock};
use tauri::{AppHandle, Emitter, Runtime};

/// The event the window listens to after every sending round.
pub const EVENT: &str = "hoso://sending";

/// Wakes the sender early: "Gửi ngay", a new finalised dossier, new portal settings.
#[derive(Debug, Default)]
pub struct Wake {
    pending: Mutex<bool>,
    cv: Condvar,
}

impl Wake {
    pub fn notify(&self) {
        *self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = true;
        self.cv.notify_all();
    }

    /// Sleeps up to `limit`, or until notified.
    fn wait(&self, limit: Duration) {
        let guard = self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (mut guard, _) = self
            .cv
            .wait_timeout_while(guard, limit, |pending| !*pending)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *guard = false;
    }
}

/// Starts the sender thread for an open façade.
pub fn start<R: Runtime>(app: AppHandle<R>, hoso: Arc<Hoso>, wake: Arc<Wake>) {
    let spawned = std::thread::Builder::new()
        .name("hoso-sender".to_owned())
        .spawn(move || run(&app, &hoso, &wake));
    if let Err(e) = spawned {
        eprintln!("HoSo could not start sending in the background: {e}");
    }
}

fn run<R: Runtime>(app: &AppHandle<R>, hoso: &Hoso, wake: &Wake) {
    let clock = SystemClock;
    let mut current: Option<(PortalConfig, SendSession)> = None;
    let mut offline_rounds = 0u32;
    loop {
        let Some(config) = hoso.portal_config().ok().flatten() else {
            current = None;
            wake.wait(Duration::from_secs(30));
            continue;
        };
        if current.as_ref().is_none_or(|(c, _)| *c != config) {
            match hoso.open_sender(config.clone()) {
                Ok(s) => current = Some((config, s)),
                Err(e) => {
                    eprintln!("HoSo could not open the outbox: {e}");
                    wake.wait(Duration::from_secs(30));
                    continue;
                }
            }
        }
        let Some((_, sender)) = current.as_mut() else { continue };
        let had_work = sender.has_work().unwrap_or(false);
        let wait = match sender.pass() {
            Ok(report) => {
                let connected = report.connected;
                let _ = app.emit(EVENT, report);
                if connected || !had_work {
                    offline_rounds = 0;
                    let now = clock.now_ms();
                    let due = sender.next_due().ok().flatten().unwrap_or(now + 60_000);
                    Duration::from_millis(
                        u64::try_from((due - now).clamp(1_000, 60_000)).unwrap_or(60_000),
                    )
                } else {
                    // The portal did not answer: try again soon, then less often, at most a
                    // minute apart, so a returning link is used within a minute.
                    offline_rounds += 1;
                    let base = 2_000u64 << offline_rounds.min(5);
                    let jitter = rand_jitter(base / 4);
                    Duration::from_millis((base + jitter).min(60_000))
                }
            }
            Err(e) => {
                eprintln!("HoSo sending round failed: {e}");
                Duration::from_secs(30)
            }
        };
        wake.wait(wait);
    }
}

fn rand_jitter(max: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()));
    if max == 0 { 0 } else { nanos % max }
}
