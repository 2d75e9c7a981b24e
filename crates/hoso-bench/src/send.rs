//! Sending figures: a 10-page dossier over a throttled, cut link, and portal intake under load.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use hoso_api::types::FieldChange;
use hoso_api::{Hoso, PortalConfig, SystemClock};
use hoso_linksim::{Link, LinkConfig};

/// 200 kbit/s.
const BYTES_PER_SEC: u64 = 25_000;
/// ~400 ms round trip.
const ONE_WAY: Duration = Duration::from_millis(200);

struct Portal {
    child: Child,
    addr: std::net::SocketAddr,
    token: String,
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_portal(bin: &Path, data: &Path) -> Result<Portal> {
    let out = Command::new(bin)
        .args(["token", "create", "--data"])
        .arg(data)
        .output()
        .context("hoso-portal token create")?;
    if !out.status.success() {
        bail!("token create failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let token = String::from_utf8(out.stdout)?.trim().to_owned();
    let mut child = Command::new(bin)
        .args(["--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
    let addr = line.trim().rsplit("http://").next().context("address")?.parse()?;
    Ok(Portal { child, addr, token })
}

/// Incompressible bytes, like photos.
fn photo_like(seed: u64, len: usize) -> Vec<u8> {
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

fn change(k: &str, v: &str) -> FieldChange {
    FieldChange { key: k.to_owned(), value: v.to_owned() }
}

/// A finalised 10-page dossier of `page_bytes` per page; returns its payload size.
fn ten_page_dossier(hoso: &Hoso, page_bytes: usize) -> Result<u64> {
    let d = hoso
        .create_dossier(
            "2.000884",
            &[
                change("applicant.full_name", "Nguyễn Thị Hoa"),
                change("applicant.cccd", "001190012345"),
                change("applicant.dob", "05/09/1990"),
                change("applicant.sex", "Nữ"),
                change("applicant.address", "Thôn 3, xã Tả Van, tỉnh Lào Cai"),
                change("applicant.phone", "0912345678"),
                change("document.name", "Hợp đồng thuê nhà"),
            ],
        )
        .map_err(anyhow::Error::msg)?;
    let mut payload = 0u64;
    for i in 0..10u64 {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
        bytes.extend(photo_like(i + 1, page_bytes - 4));
        payload += bytes.len() as u64;
        hoso.add_page(&d.id, "van_ban", &bytes, "image/jpeg", &format!("trang-{}.jpg", i + 1))
            .map_err(anyhow::Error::msg)?;
    }
    hoso.finalize(&d.id).map_err(anyhow::Error::msg)?;
    Ok(payload)
}

/// The weak-link figure: completion time against the ideal, bytes sent against the payload.
pub fn weak_link(portal_bin: &Path) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let portal = start_portal(portal_bin, &tmp.path().join("portal"))?;
    let data = tmp.path().join("app");
    let hoso = Hoso::open(&data, Arc::new(SystemClock)).map_err(anyhow::Error::msg)?;
    let payload = ten_page_dossier(&hoso, 80_000)?;
    let cuts = vec![payload / 4, payload / 2, payload * 3 / 4];
    let link = Link::start(
        portal.addr,
        LinkConfig {
            bytes_per_sec: Some(BYTES_PER_SEC),
            one_way_delay: ONE_WAY,
            cut_at_up_bytes: cuts,
            ..Default::default()
        },
    )?;
    let mut sender = hoso
        .open_sender(PortalConfig { url: link.url(), token: portal.token.clone() })
        .map_err(anyhow::Error::msg)?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(600);
    while sender.outstanding().map_err(anyhow::Error::msg)? > 0 && Instant::now() < deadline {
        let report = sender.pass().map_err(anyhow::Error::msg)?;
        if !report.connected || !sender.has_work().map_err(anyhow::Error::msg)? {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let took = started.elapsed().as_secs_f64();
    if sender.outstanding().map_err(anyhow::Error::msg)? > 0 {
        bail!("the dossier was not delivered within 10 minutes");
    }
    let ideal = payload as f64 / BYTES_PER_SEC as f64;
    let up = link.stats().up_bytes.load(Ordering::SeqCst);
    println!(
        "weak link: {payload} B payload (10 pages), 200 kbit/s, 400 ms RTT, {} cuts",
        link.stats().cuts.load(Ordering::SeqCst)
    );
    println!(
        "  completion {took:>7.1} s   ideal {ideal:>6.1} s   ratio {:>5.2}x   target ≤ 1.30x",
        took / ideal
    );
    println!(
        "  bytes up   {up:>9}   payload {payload:>8}   ratio {:>5.3}x   target ≤ 1.05x",
        up as f64 / payload as f64
    );
    Ok(())
}

/// Intake: `clients` threads submitting dossiers (no files) as fast as they can.
pub fn intake(portal_bin: &Path, clients: usize, per_client: usize) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let portal = start_portal(portal_bin, &tmp.path().join("portal"))?;
    let url = format!("http://{}/api/v1/dossiers", portal.addr);
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(clients * per_client)));
    let failures = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    std::thread::scope(|s| {
        for c in 0..clients {
            let (url, token, latencies, failures) =
                (&url, &portal.token, Arc::clone(&latencies), Arc::clone(&failures));
            s.spawn(move || {
                let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
                let mut mine = Vec::with_capacity(per_client);
                for i in 0..per_client {
                    let body = serde_json::json!({
                        "clientId": format!("bench-{c:03}-{i:06}"),
                        "procedureCode": "1.001193",
                        "values": { "applicant.full_name": "Nguyễn Văn An", "applicant.phone": "0912345678" },
                        "files": [],
                    });
                    let t = Instant::now();
                    let ok = agent
                        .post(url)
                        .header("Authorization", format!("Bearer {token}"))
                        .header("Content-Type", "application/json")
                        .send(body.to_string().as_bytes())
                        .map(|r| r.status().as_u16() == 201)
                        .unwrap_or(false);
                    mine.push(t.elapsed().as_secs_f64() * 1000.0);
                    if !ok {
                        failures.fetch_add(1, Ordering::SeqCst);
                    }
                }
                latencies.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(mine);
            });
        }
    });
    let secs = started.elapsed().as_secs_f64();
    let mut l = latencies.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    l.sort_by(f64::total_cmp);
    let pct = |p: f64| l[((p / 100.0) * (l.len() - 1) as f64).round() as usize];
    let n = l.len();
    println!(
        "portal intake: {clients} clients × {per_client} submissions on loopback, {} failed",
        failures.load(Ordering::SeqCst)
    );
    println!(
        "  {:>7.0} submits/s   p50 {:>6.1} ms   p99 {:>6.1} ms   target ≥ 500/s, p99 ≤ 50 ms",
        n as f64 / secs,
        pct(50.0),
        pct(99.0)
    );
    Ok(())
}

/// The portal binary next to this one (`scripts/bench.sh` builds both).
pub fn default_portal_bin() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("hoso-portal")))
        .unwrap_or_else(|| PathBuf::from("hoso-portal"))
}
