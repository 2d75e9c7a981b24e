//! Whole sending flows against a real portal process, with faults.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use hoso_linksim::{Link, LinkConfig};
use hoso_outbox::{Clock, PortalConfig, Sender, SystemClock};
use hoso_store::{DossierState, JobState, Store};

use crate::support::{
    HandClock, PortalFaults, PortalProc, bytes, queued_dossier, send_all, sha, spawn_sender, unsent,
};

fn sender(data: &std::path::Path, url: &str, token: &str) -> Sender {
    Sender::open(
        data,
        PortalConfig { url: url.to_owned(), token: token.to_owned() },
        Arc::new(SystemClock),
    )
    .expect("sender")
    .with_backoff_base(50)
}

/// Every local dossier is at the portal exactly once, with byte-identical files.
fn assert_exactly_once(portal: &PortalProc, expected: &BTreeMap<String, Vec<Vec<u8>>>) {
    let held = portal.dossiers();
    assert_eq!(
        held.len(),
        expected.len(),
        "the portal holds {} dossiers, {} were sent",
        held.len(),
        expected.len()
    );
    for (id, files) in expected {
        let matching: Vec<_> = held.iter().filter(|d| &d.client_id == id).collect();
        assert_eq!(matching.len(), 1, "dossier {id} is at the portal {} times", matching.len());
        let got: Vec<&str> = matching[0].files.iter().map(|f| f.sha256.as_str()).collect();
        let want: Vec<String> = files.iter().map(|f| sha(f)).collect();
        assert_eq!(got, want, "files of {id}");
        // And the bytes on the portal's disk are those files.
        for f in &matching[0].files {
            let on_disk = std::fs::read_dir(portal.data.join("uploads"))
                .expect("uploads")
                .flatten()
                .any(|e| std::fs::read(e.path()).map(|b| sha(&b) == f.sha256).unwrap_or(false));
            assert!(on_disk, "no stored upload has the bytes of {}", f.name);
        }
    }
}

fn local_receipts(store: &Store, ids: &[String]) -> Vec<String> {
    ids.iter().map(|id| store.receipt(id).expect("receipt").0.expect("has a receipt")).collect()
}

#[test]
fn dossiers_go_once_and_their_status_and_result_come_back() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal =
        PortalProc::start(&tmp.path().join("portal"), "127.0.0.1:0", PortalFaults::default());
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let mut expected = BTreeMap::new();
    for i in 0..3u64 {
        let files: Vec<Vec<u8>> =
            (0..3).map(|j| bytes(i * 10 + j, 50_000 + (j as usize) * 7_000)).collect();
        let id = queued_dossier(&store, &format!("0193f000-0000-7000-8000-00000000000{i}"), &files);
        expected.insert(id, files);
    }
    let mut s = sender(&data, &portal.url(), &portal.token);
    send_all(&mut s, Duration::from_secs(60));
    assert!(unsent(&store).is_empty(), "unsent: {:?}", unsent(&store));
    assert_exactly_once(&portal, &expected);
    let ids: Vec<String> = expected.keys().cloned().collect();
    for r in local_receipts(&store, &ids) {
        assert!(hoso_portal::receipt::is_valid(&r), "{r}");
    }
    let d = store.dossier(&ids[0]).expect("dossier");
    assert_eq!(d.row.state, DossierState::Received);

    // The back office works on it; the sender follows the feed and fetches the result.
    portal.set_state(&ids[0], "processing", "Đang thẩm định", None);
    portal.set_state(
        &ids[0],
        "result_ready",
        "Mời nhận kết quả",
        Some(("giay-khai-sinh.pdf", b"%PDF-1.7 result")),
    );
    store.set_kv("portal.next_status_poll", Some("0")).expect("poll now");
    let report = s.pass().expect("pass");
    assert!(report.status_changes >= 2, "{report:?}");
    let d = store.dossier(&ids[0]).expect("dossier");
    assert_eq!(d.row.state, DossierState::ResultReady);
    assert_eq!(store.receipt(&ids[0]).expect("r").1, "Mời nhận kết quả");
    let results = store.results(&ids[0]).expect("results");
    assert_eq!(results.len(), 1);
    assert_eq!(store.blobs().read(&results[0].2).expect("result bytes"), b"%PDF-1.7 result");
    let events: Vec<String> =
        store.events(&ids[0]).expect("events").into_iter().map(|e| e.kind).collect();
    for k in [
        "state:queued",
        "state:uploading",
        "state:received",
        "state:processing",
        "state:result_ready",
    ] {
        assert!(events.iter().any(|e| e == k), "{k} missing from {events:?}");
    }
}

#[test]
fn a_dossier_with_a_fee_gets_a_payment_request_and_the_bank_notice_comes_back_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal =
        PortalProc::start(&tmp.path().join("portal"), "127.0.0.1:0", PortalFaults::default());
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    // One dossier with a fee (sent with the body), one without.
    let paying = "0193f000-0000-7000-8000-0000000000a1";
    let free = "0193f000-0000-7000-8000-0000000000a2";
    for (id, fee) in [(paying, Some(15_000u64)), (free, None)] {
        queued_dossier(&store, id, &[bytes(7, 9_000)]);
        if let Some(total) = fee {
            // Re-freeze with the fee, as finalising does.
            let record = store.dossier(id).expect("record");
            let body = serde_json::json!({ "total": total, "lines": [{ "label": "Lệ phí", "amount": total }] });
            store.unqueue(id, 4).expect("unqueue");
            hoso_outbox::enqueue(&store, &record, Some(body), 5).expect("enqueue");
        }
    }
    let mut s = sender(&data, &portal.url(), &portal.token);
    send_all(&mut s, Duration::from_secs(60));
    assert!(unsent(&store).is_empty());
    let asked = store.payment(paying).expect("payment").expect("a payment request");
    assert_eq!(asked.amount, 15_000);
    assert_eq!((asked.bank_bin.as_str(), asked.paid_at), ("970415", None));
    let receipt = store.receipt(paying).expect("r").0.expect("receipt");
    let digits: String = receipt.chars().filter(char::is_ascii_alphanumeric).collect();
    assert_eq!(asked.reference, format!("HOSO{digits}"));
    assert_eq!(store.payment(free).expect("payment"), None, "no fee, no request");

    // The bank's notice (the operator's command): the app sees it paid, once in its history.
    let mut db = hoso_portal::Db::open(&portal.data).expect("db");
    let paid = db.mark_paid(&asked.reference, hoso_portal::now_ms()).expect("pay");
    assert!(paid.paid_at.is_some());
    let again = db.mark_paid(&receipt, hoso_portal::now_ms() + 5).expect("pay twice");
    assert_eq!(again.paid_at, paid.paid_at, "a second notice changes nothing");
    drop(db);
    store.set_kv("portal.next_status_poll", Some("0")).expect("poll now");
    s.pass().expect("pass");
    let now = store.payment(paying).expect("payment").expect("request");
    assert_eq!(now.paid_at, paid.paid_at);
    let events = store.events(paying).expect("events");
    let paid_events: Vec<_> = events.iter().filter(|e| e.kind == "payment:paid").collect();
    assert_eq!(paid_events.len(), 1, "{events:?}");
    assert_eq!(paid_events[0].detail, format!("15000|{}", asked.reference));
    assert_eq!(store.receipt(paying).expect("r").1, "Đã nhận thanh toán 15.000đ");
}

#[test]
fn three_link_cuts_mid_file_never_restart_a_file_from_zero() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal =
        PortalProc::start(&tmp.path().join("portal"), "127.0.0.1:0", PortalFaults::default());
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let files = vec![bytes(1, 700_000), bytes(2, 300_000)];
    let payload: u64 = files.iter().map(|f| f.len() as u64).sum();
    let id = queued_dossier(&store, "0193f000-0000-7000-8000-0000000000c1", &files);
    let link = Link::start(
        portal.addr,
        LinkConfig {
            bytes_per_sec: Some(1_000_000),
            cut_at_up_bytes: vec![payload / 4, payload / 2, payload * 3 / 4],
            ..Default::default()
        },
    )
    .expect("link");
    let mut s = sender(&data, &link.url(), &portal.token);
    send_all(&mut s, Duration::from_secs(60));
    assert!(unsent(&store).is_empty());
    assert_eq!(link.stats().cuts.load(Ordering::SeqCst), 3, "the link was cut three times");
    assert_exactly_once(&portal, &BTreeMap::from([(id, files)]));
    // Restarting a file from zero would resend hundreds of kB; resuming resends only what was
    // in flight at each cut, plus HTTP headers.
    let up = link.stats().up_bytes.load(Ordering::SeqCst);
    assert!(
        up < payload + 3 * 64 * 1024 + 40_000,
        "{up} bytes went up for a {payload}-byte payload"
    );
}

/// The app's record says `file` of dossier `id` went up whole (to the portal reached at `url`),
/// but the portal holds only its first `held` bytes.
fn believed_whole(
    (url, portal): (&str, &PortalProc),
    store: &Store,
    id: &str,
    file: &[u8],
    held: usize,
) {
    let client = hoso_outbox::portal::Portal::new(PortalConfig {
        url: url.to_owned(),
        token: portal.token.clone(),
    });
    let digest = sha(file);
    let url = client
        .tus
        .create(
            &client.files_endpoint(),
            file.len() as u64,
            &[("filename", "trang-1.jpg"), ("sha256", &digest)],
        )
        .expect("create");
    let r = ureq::patch(&url)
        .header("Authorization", format!("Bearer {}", portal.token))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", "0")
        .header("Content-Type", "application/offset+octet-stream")
        .send(&file[..held])
        .expect("patch");
    assert_eq!(r.status(), 204);
    store.set_upload_url(id, &digest, Some(&url)).expect("url");
    store.set_confirmed_offset(id, &digest, file.len() as i64, true).expect("done");
}

#[test]
fn a_file_the_portal_holds_only_in_part_is_finished_not_sent_again() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal =
        PortalProc::start(&tmp.path().join("portal"), "127.0.0.1:0", PortalFaults::default());
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let file = bytes(9, 400_000);
    let id =
        queued_dossier(&store, "0193f000-0000-7000-8000-0000000000c2", std::slice::from_ref(&file));
    // The app believes the file went up whole, but the portal has only its first 250 000
    // bytes (say, the app's record outlived a portal restored from an older backup).
    let link = Link::start(portal.addr, LinkConfig::default()).expect("link");
    believed_whole((&link.url(), &portal), &store, &id, &file, 250_000);
    let before = link.stats().up_bytes.load(Ordering::SeqCst);

    let mut s = sender(&data, &link.url(), &portal.token);
    send_all(&mut s, Duration::from_secs(60));
    assert!(unsent(&store).is_empty());
    assert_exactly_once(&portal, &BTreeMap::from([(id, vec![file])]));
    // Only the missing 150 000 bytes go up again, plus requests and headers.
    let up = link.stats().up_bytes.load(Ordering::SeqCst) - before;
    assert!(
        (150_000..150_000 + 30_000).contains(&up),
        "{up} bytes went up to finish a file missing 150000"
    );
}

#[test]
fn a_portal_killed_mid_upload_and_restarted_gets_the_rest() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal_dir = tmp.path().join("portal");
    let portal = PortalProc::start(&portal_dir, "127.0.0.1:0", PortalFaults::default());
    let token = portal.token.clone();
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let files = vec![bytes(5, 1_200_000)];
    let payload = 1_200_000u64;
    let id = queued_dossier(&store, "0193f000-0000-7000-8000-0000000000d1", &files);
    let link =
        Link::start(portal.addr, LinkConfig { bytes_per_sec: Some(400_000), ..Default::default() })
            .expect("link");
    let url = link.url();
    let handle = std::thread::spawn(move || {
        let mut s = sender(&data, &url, &token);
        send_all(&mut s, Duration::from_secs(90));
    });
    // Kill the portal when about 40 % has gone up (bounded wait), restart it on a new port.
    let deadline = Instant::now() + Duration::from_secs(30);
    while link.stats().up_bytes.load(Ordering::SeqCst) < payload * 2 / 5
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    portal.kill();
    std::thread::sleep(Duration::from_millis(300));
    let portal = PortalProc::start(&portal_dir, "127.0.0.1:0", PortalFaults::default());
    link.set_upstream(portal.addr);
    handle.join().expect("sender thread");
    assert!(unsent(&store).is_empty(), "unsent after restart: {:?}", unsent(&store));
    assert_exactly_once(&portal, &BTreeMap::from([(id, files)]));
    let up = link.stats().up_bytes.load(Ordering::SeqCst);
    assert!(
        up < payload + 200_000,
        "{up} bytes went up for {payload}: the file restarted from zero"
    );
}

#[test]
fn a_sender_killed_mid_upload_resumes_after_restart() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal =
        PortalProc::start(&tmp.path().join("portal"), "127.0.0.1:0", PortalFaults::default());
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let files = vec![bytes(7, 900_000), bytes(8, 600_000)];
    let payload = 1_500_000u64;
    let id = queued_dossier(&store, "0193f000-0000-7000-8000-0000000000e1", &files);
    let link =
        Link::start(portal.addr, LinkConfig { bytes_per_sec: Some(500_000), ..Default::default() })
            .expect("link");
    let mut child = spawn_sender(&data, &link.url(), &portal.token);
    let deadline = Instant::now() + Duration::from_secs(30);
    while link.stats().up_bytes.load(Ordering::SeqCst) < payload / 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    let before = link.stats().up_bytes.load(Ordering::SeqCst);
    assert!(before >= payload / 2, "the sender had not got far enough before the kill");
    assert!(!unsent(&store).is_empty(), "the killed sender should not have finished");
    let mut s = sender(&data, &link.url(), &portal.token);
    send_all(&mut s, Duration::from_secs(60));
    assert!(unsent(&store).is_empty());
    assert_exactly_once(&portal, &BTreeMap::from([(id, files)]));
    let up = link.stats().up_bytes.load(Ordering::SeqCst);
    assert!(
        up < payload + 300_000,
        "{up} bytes went up for {payload}: the restarted sender started over"
    );
}

#[test]
fn a_503_storm_delays_but_every_dossier_arrives_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal = PortalProc::start(
        &tmp.path().join("portal"),
        "127.0.0.1:0",
        PortalFaults { error_rate: 0.5, ..Default::default() },
    );
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let mut expected = BTreeMap::new();
    for i in 0..4u64 {
        let files = vec![bytes(100 + i, 30_000), bytes(200 + i, 20_000)];
        expected.insert(
            queued_dossier(&store, &format!("0193f000-0000-7000-8000-0000000005{i:02}"), &files),
            files,
        );
    }
    let mut s = sender(&data, &portal.url(), &portal.token);
    send_all(&mut s, Duration::from_secs(90));
    assert!(unsent(&store).is_empty(), "unsent: {:?}", unsent(&store));
    assert_exactly_once(&portal, &expected);
}

/// The first wait after a failed try, for the tests with a hand-moved clock.
const BASE: i64 = 10_000;

/// A portal that takes files but answers 500/503 to every dossier.
fn refusing_dossiers(dir: &std::path::Path) -> PortalProc {
    let faults = PortalFaults {
        error_rate: 1.0,
        error_path: Some("/api/v1/dossiers"),
        ..Default::default()
    };
    PortalProc::start(dir, "127.0.0.1:0", faults)
}

/// A stopped clock, with job `id` due now as if `failures` tries had got nowhere.
fn after_failed_tries(store: &Store, id: &str, failures: u32) -> Arc<HandClock> {
    let now = 1_800_000_000_000_i64;
    store.retry_later(id, failures, now, "not_connected", "earlier tries", now).expect("earlier");
    HandClock::at(now)
}

fn hand_sender(data: &std::path::Path, url: &str, token: &str, clock: &Arc<HandClock>) -> Sender {
    let config = PortalConfig { url: url.to_owned(), token: token.to_owned() };
    Sender::open(data, config, clock.clone()).expect("sender").with_backoff_base(BASE)
}

/// One pass that reaches the portal. After a portal restart the link notices within ~50 ms
/// that the old one is gone; until then a kept-alive connection may fail a pass (bounded).
fn pass_once_connected(s: &mut Sender) -> hoso_outbox::PassReport {
    let mut report = s.pass().expect("pass");
    for _ in 0..20 {
        if report.connected {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        report = s.pass().expect("pass");
    }
    report
}

#[test]
fn a_try_that_gets_further_waits_short_and_one_that_gets_nowhere_waits_longer() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal_dir = tmp.path().join("portal");
    // Files go up; dossiers are refused (500/503) every time.
    let refusing = refusing_dossiers(&portal_dir);
    let link = Link::start(refusing.addr, LinkConfig::default()).expect("link");
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let files = vec![bytes(11, 40_000), bytes(12, 30_000)];
    let id = queued_dossier(&store, "0193f000-0000-7000-8000-0000000000b1", &files);
    // As if five earlier tries had got nowhere (the link dropped each time): the next wait
    // would be 2^5 times the base.
    let clock = after_failed_tries(&store, &id, 5);
    let mut s = hand_sender(&data, &link.url(), &refusing.token, &clock);
    let mut tries = Vec::new();
    for _ in 0..4 {
        let report = s.pass().expect("pass");
        assert_eq!((report.deferred, report.submitted.len()), (1, 0), "{report:?}");
        let job = store.job(&id).expect("job").expect("queued");
        tries.push((job.attempts, job.next_attempt_at - clock.now_ms()));
        clock.set(job.next_attempt_at);
    }
    assert!(store.job_files(&id).expect("files").iter().all(|f| f.done), "the files went up");
    // The first try took both files up, so the count of tries getting nowhere started again;
    // each later try got nowhere and waits twice as long (± half, the jitter).
    let attempts: Vec<u32> = tries.iter().map(|t| t.0).collect();
    assert_eq!(attempts, [1, 2, 3, 4], "{tries:?}");
    for (n, &(_, wait)) in tries.iter().enumerate() {
        let nominal = BASE << n;
        assert!(
            (nominal / 2..=nominal * 3 / 2).contains(&wait),
            "try {}: waits {wait} ms, not about {nominal}: {tries:?}",
            n + 1
        );
    }

    // The portal takes dossiers again: it arrives, once, without its files going up again.
    refusing.kill();
    let portal = PortalProc::start(&portal_dir, "127.0.0.1:0", PortalFaults::default());
    link.set_upstream(portal.addr);
    let up = link.stats().up_bytes.load(Ordering::SeqCst);
    let report = pass_once_connected(&mut s);
    assert_eq!(report.submitted.len(), 1, "{report:?}");
    assert!(unsent(&store).is_empty());
    assert_exactly_once(&portal, &BTreeMap::from([(id, files)]));
    let again = link.stats().up_bytes.load(Ordering::SeqCst) - up;
    assert!(again < 20_000, "{again} bytes went up to submit: the files were sent again");
}

#[test]
fn bytes_the_portal_turns_out_to_lack_are_not_counted_as_getting_further() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal_dir = tmp.path().join("portal");
    let portal = PortalProc::start(&portal_dir, "127.0.0.1:0", PortalFaults::default());
    let link = Link::start(portal.addr, LinkConfig::default()).expect("link");
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let file = bytes(13, 400_000);
    let id =
        queued_dossier(&store, "0193f000-0000-7000-8000-0000000000b2", std::slice::from_ref(&file));
    believed_whole((&link.url(), &portal), &store, &id, &file, 250_000);
    let before = link.stats().up_bytes.load(Ordering::SeqCst);
    // As if two earlier tries had got nowhere.
    let clock = after_failed_tries(&store, &id, 2);
    let mut s = hand_sender(&data, &link.url(), &portal.token, &clock);
    let try_once = |s: &mut Sender| {
        let report = pass_once_connected(s);
        let job = store.job(&id).expect("job").expect("queued");
        let wait = job.next_attempt_at - clock.now_ms();
        clock.set(job.next_attempt_at);
        (report, job.attempts, wait)
    };

    // The submit finds the portal lacks the last 150 000 bytes: the record goes back to what
    // the portal holds, and this try got nowhere (third in a row: about 4 × base).
    let (report, attempts, wait) = try_once(&mut s);
    assert_eq!((report.deferred, attempts), (1, 3), "{report:?}");
    assert!((2 * BASE..=6 * BASE).contains(&wait), "waits {wait} ms");
    let f = &store.job_files(&id).expect("files")[0];
    assert_eq!((f.confirmed_offset, f.done), (250_000, false));

    // Next, the missing bytes go up but the portal cannot take the dossier: that try got
    // further, so the count starts again (about 1 × base).
    drop(portal);
    let refusing = refusing_dossiers(&portal_dir);
    link.set_upstream(refusing.addr);
    let (report, attempts, wait) = try_once(&mut s);
    assert_eq!((report.deferred, attempts), (1, 1), "{report:?}");
    assert!((BASE / 2..=BASE * 3 / 2).contains(&wait), "waits {wait} ms");
    assert!(store.job_files(&id).expect("files")[0].done);
    let up = link.stats().up_bytes.load(Ordering::SeqCst) - before;
    assert!(
        (150_000..150_000 + 30_000).contains(&up),
        "{up} bytes went up to finish a file missing 150000"
    );
}

#[test]
fn a_captive_wifi_page_is_not_the_portal_and_nothing_is_lost() {
    let tmp = tempfile::tempdir().expect("tmp");
    let captive = PortalProc::start(
        &tmp.path().join("captive"),
        "127.0.0.1:0",
        PortalFaults { captive_rate: 1.0, ..Default::default() },
    );
    let portal =
        PortalProc::start(&tmp.path().join("portal"), "127.0.0.1:0", PortalFaults::default());
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let files = vec![bytes(9, 40_000)];
    let id = queued_dossier(&store, "0193f000-0000-7000-8000-0000000000f1", &files);
    let link = Link::start(captive.addr, LinkConfig::default()).expect("link");
    let mut s = sender(&data, &link.url(), &portal.token);
    for _ in 0..3 {
        let report = s.pass().expect("pass");
        assert!(!report.connected, "a captive page counted as the portal");
        assert!(report.submitted.is_empty());
    }
    let job = store.job(&id).expect("job").expect("queued");
    assert_eq!(job.state, JobState::Queued);
    assert_eq!(job.attempts, 0, "no attempt was wasted on the captive page");
    // The Wi-Fi login is done: the same address now reaches the portal.
    link.set_upstream(portal.addr);
    send_all(&mut s, Duration::from_secs(30));
    assert!(unsent(&store).is_empty());
    assert_exactly_once(&portal, &BTreeMap::from([(id, files)]));
}

#[test]
fn a_lost_answer_after_a_successful_submit_gives_the_same_receipt_once() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal =
        PortalProc::start(&tmp.path().join("portal"), "127.0.0.1:0", PortalFaults::default());
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let files = vec![bytes(11, 60_000)];
    let id = queued_dossier(&store, "0193f000-0000-7000-8000-0000000000a1", &files);
    let link = Link::start(
        portal.addr,
        LinkConfig {
            lose_answer_to: Some(b"POST /api/v1/dossiers".to_vec()),
            ..Default::default()
        },
    )
    .expect("link");
    let mut s = sender(&data, &link.url(), &portal.token);
    send_all(&mut s, Duration::from_secs(30));
    assert_eq!(
        link.stats().lost_answers.load(Ordering::SeqCst),
        1,
        "the submit's answer was lost once"
    );
    assert!(unsent(&store).is_empty());
    assert_exactly_once(&portal, &BTreeMap::from([(id.clone(), files)]));
    let local = store.receipt(&id).expect("receipt").0.expect("receipt");
    assert_eq!(local, portal.dossiers()[0].receipt);
}

#[test]
fn a_file_too_large_for_the_portal_is_set_aside_and_does_not_block_the_rest() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal = PortalProc::start(
        &tmp.path().join("portal"),
        "127.0.0.1:0",
        PortalFaults { max_upload: Some(100_000), ..Default::default() },
    );
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let big = queued_dossier(&store, "0193f000-0000-7000-8000-0000000000b1", &[bytes(12, 150_000)]);
    let small_files = vec![bytes(13, 50_000)];
    let small = queued_dossier(&store, "0193f000-0000-7000-8000-0000000000b2", &small_files);
    let mut s = sender(&data, &portal.url(), &portal.token);
    let reports = send_all(&mut s, Duration::from_secs(30));
    assert!(
        reports
            .iter()
            .any(|r| r.set_aside.iter().any(|(d, code)| d == &big && code == "too_large"))
    );
    let job = store.job(&big).expect("job").expect("job");
    assert_eq!(job.state, JobState::SetAside);
    assert_eq!(job.error_code.as_deref(), Some("too_large"));
    assert_exactly_once(&portal, &BTreeMap::from([(small, small_files)]));
    // The person can take it back to a draft (to shrink the pages) or delete it.
    store.unqueue(&big, 10).expect("unqueue");
    assert_eq!(store.dossier(&big).expect("d").row.state, DossierState::Draft);
    store.trash(&big, 11).expect("trash");
}

#[test]
fn a_paused_sender_sends_nothing_until_resumed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let portal =
        PortalProc::start(&tmp.path().join("portal"), "127.0.0.1:0", PortalFaults::default());
    let data = tmp.path().join("app");
    let store = Store::open(&data).expect("store");
    let files = vec![bytes(21, 10_000)];
    let id = queued_dossier(&store, "0193f000-0000-7000-8000-0000000000p1", &files);
    store.set_kv(hoso_outbox::PAUSED_KEY, Some("1")).expect("pause");
    let mut s = sender(&data, &portal.url(), &portal.token);
    let report = s.pass().expect("pass");
    assert!(report.paused);
    assert!(report.submitted.is_empty());
    assert!(portal.dossiers().is_empty(), "a paused sender sent something");
    store.set_kv(hoso_outbox::PAUSED_KEY, None).expect("resume");
    send_all(&mut s, Duration::from_secs(30));
    assert_exactly_once(&portal, &BTreeMap::from([(id, files)]));
}
