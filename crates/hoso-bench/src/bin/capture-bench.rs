//! `capture-bench`: how fast photos get in (a figure, not a test).
//!
//! - Watched folder: a photo is written into a watched folder (the app's own watcher, default
//!   timings); the time from the file being complete (closed) to it being in the "Ảnh mới" inbox.
//!   The watcher waits [`hoso_api::WatchConfig::default`]'s settle period (1 s) by design, so the
//!   figure minus that is what HoSo itself adds.
//! - Phone bridge: a photo POSTed to the bridge on 127.0.0.1, as the phone page does; the
//!   upload's round trip, and the time from the upload finishing to the page being in the dossier.
//!   (The window polls the bridge twice a second on top of this; `tests/e2e/phone.test.mjs` prints
//!   the time to the screen.)
//!
//! Usage: capture-bench [--photos N] [--photo FILE] (default: the scan crate's fixture photo).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use hoso_api::{Hoso, SystemClock};

fn main() -> Result<()> {
    let mut n = 10usize;
    let mut photo = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../hoso-scan/tests/fixtures/p003_normal.jpg"
    ));
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--photos" => n = args.next().context("--photos N")?.parse()?,
            "--photo" => photo = args.next().context("--photo FILE")?.into(),
            other => bail!("unknown argument {other}"),
        }
    }
    let bytes = std::fs::read(&photo).with_context(|| format!("reading {}", photo.display()))?;
    // Each photo different (a byte after the end of the JPEG), so none is a duplicate.
    let nth = |i: usize| [bytes.as_slice(), &(i as u32).to_le_bytes()].concat();
    println!("capture: {n} photos of {} KB ({})", bytes.len() / 1024, photo.display());

    let data = tempfile::tempdir()?;
    let hoso = Arc::new(Hoso::open(data.path(), Arc::new(SystemClock))?);
    let id = hoso.create_dossier("2.000884", &[])?.id;

    // Watched folder.
    let folder = tempfile::tempdir()?;
    hoso.start_watching(Box::new(|_| {}))?;
    hoso.add_watch_folder(&folder.path().to_string_lossy(), false)?;
    std::thread::sleep(Duration::from_millis(300));
    let mut folder_ms = Vec::new();
    for i in 0..n {
        std::fs::write(folder.path().join(format!("IMG_{i:04}.jpg")), nth(i))?;
        let complete = Instant::now();
        let deadline = complete + Duration::from_secs(15);
        while hoso.inbox(1, 0)?.total as usize <= i {
            if Instant::now() > deadline {
                bail!("photo {i} never reached the inbox");
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        folder_ms.push(complete.elapsed().as_secs_f64() * 1000.0);
    }
    hoso.stop_watching();
    let settle = hoso_api::WatchConfig::default().settle.as_secs_f64() * 1000.0;
    let (med, max) = (median(&mut folder_ms), folder_ms.iter().cloned().fold(0.0, f64::max));
    println!(
        "  watched folder: file complete → in the inbox: median {med:.0} ms, max {max:.0} ms \
         (of which {settle:.0} ms is the settle period: HoSo adds {:.0} ms)",
        med - settle
    );

    // Phone bridge.
    let status = hoso.bridge_open(&id, "van_ban", Some("127.0.0.1"))?;
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let (mut upload_ms, mut landed_ms) = (Vec::new(), Vec::new());
    for i in 0..n {
        let body = nth(1_000_000 + i);
        let t0 = Instant::now();
        let r = agent
            .post(&format!("{}up", status.url))
            .header("X-File-Name", &format!("IMG_{i:04}.jpg"))
            .send(&body[..])?;
        if r.status().as_u16() != 201 {
            bail!("the bridge answered {}", r.status());
        }
        let done = Instant::now();
        upload_ms.push((done - t0).as_secs_f64() * 1000.0);
        let deadline = done + Duration::from_secs(15);
        loop {
            let d = hoso.dossier(&id)?;
            let pages =
                d.components.iter().find(|c| c.code == "van_ban").map_or(0, |c| c.pages.len());
            if pages > i {
                break;
            }
            if Instant::now() > deadline {
                bail!("photo {i} never reached the dossier");
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        landed_ms.push(done.elapsed().as_secs_f64() * 1000.0);
    }
    hoso.bridge_close();
    println!(
        "  phone bridge (127.0.0.1): upload round trip median {:.1} ms; upload finished → page in the dossier median {:.1} ms, max {:.1} ms",
        median(&mut upload_ms),
        median(&mut landed_ms),
        landed_ms.iter().cloned().fold(0.0, f64::max)
    );
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { 0.0 } else { v[v.len() / 2] }
}
