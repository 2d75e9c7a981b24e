//! `hoso-bench`: the figures HoSo promises, measured on purpose (never in tests).
//!
//! Store, at N dossiers (default 10,000): opening the store plus the first page of the list,
//! list search, and autosave of one field, as p50/p99 over many runs. With `--app`, the desktop
//! app's start to first paint under Xvfb and its memory (RSS and PSS of the app and its WebKit
//! processes), idle on the first screen, with a dossier of `--dossier-pages` cleaned pages
//! open (`hoso-desktop --open ID`), and after the app has made as many new photos into pages
//! (what the app keeps once the work is done).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

mod send;
use clap::Parser;
use hoso_api::types::{FieldChange, ListQuery};
use hoso_api::{Hoso, SystemClock};
use hoso_bench::{Rng, percentile};

#[derive(Parser, Debug)]
#[command(about = "HoSo benchmark: store speed at scale, app start-up and memory")]
struct Args {
    /// Dossiers in the benchmark store.
    #[arg(long, default_value_t = 10_000)]
    dossiers: usize,
    /// Autosaves to time.
    #[arg(long, default_value_t = 1_000)]
    saves: usize,
    /// The desktop app binary; without it the app figures are skipped.
    #[arg(long)]
    app: Option<PathBuf>,
    /// App launches to time.
    #[arg(long, default_value_t = 7)]
    launches: usize,
    /// Pages of the dossiers of the memory runs: one of cleaned pages, opened; one of photos
    /// the app makes into pages.
    #[arg(long, default_value_t = 20)]
    dossier_pages: usize,
    /// Keep the benchmark store here instead of a temporary directory.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Only the sending figures (weak link, portal intake).
    #[arg(long)]
    send_only: bool,
    /// Skip the sending figures.
    #[arg(long)]
    no_send: bool,
    /// The hoso-portal binary (default: next to this one).
    #[arg(long)]
    portal: Option<PathBuf>,
    /// The release package (`scripts/package.sh`): its size and installed size are printed.
    #[arg(long)]
    deb: Option<PathBuf>,
}

const SURNAMES: [&str; 12] =
    ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Lò", "Vàng", "Hà"];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thu", "Đức", "A"];
const GIVEN: [&str; 12] =
    ["An", "Bình", "Chi", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Páo", "Sử", "Tùng", "Yến"];
const PROCEDURES: [&str; 6] =
    ["1.001193", "1.004873", "2.000815", "1.000894", "1.007073", "1.004194"];

fn change(key: &str, value: String) -> FieldChange {
    FieldChange { key: key.to_owned(), value }
}

/// Times `f` `runs` times; returns (p50, p99) in milliseconds.
fn time_ms(runs: usize, mut f: impl FnMut(usize) -> Result<()>) -> Result<(f64, f64)> {
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        f(i)?;
        samples.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    Ok((percentile(&samples, 50.0), percentile(&samples, 99.0)))
}

fn report(name: &str, (p50, p99): (f64, f64), target: &str) {
    println!("{name:<44} p50 {p50:>8.2} ms   p99 {p99:>8.2} ms   target {target}");
}

fn fill(dir: &Path, n: usize) -> Result<Vec<String>> {
    let hoso = Hoso::open(dir, Arc::new(SystemClock)).map_err(anyhow::Error::msg)?;
    let existing = hoso
        .list_dossiers(&ListQuery { limit: Some(1), ..Default::default() })
        .map_err(anyhow::Error::msg)?
        .total;
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut ids = Vec::with_capacity(n);
    let start = Instant::now();
    for i in 0..n {
        let name = format!("{} {} {}", rng.pick(&SURNAMES), rng.pick(&MIDDLE), rng.pick(&GIVEN));
        let year = 1950 + rng.next_u64() % 70;
        let fields = vec![
            change("applicant.full_name", name),
            change(
                "applicant.cccd",
                format!("0011{:02}{:06}", year % 100, rng.next_u64() % 1_000_000),
            ),
            change(
                "applicant.dob",
                format!("{:02}/{:02}/{year}", 1 + rng.next_u64() % 28, 1 + rng.next_u64() % 12),
            ),
            change("applicant.phone", format!("09{:08}", rng.next_u64() % 100_000_000)),
            change("applicant.address", format!("Thôn {}, xã Tả Van, tỉnh Lào Cai", 1 + i % 9)),
        ];
        if i64::try_from(i).unwrap_or(0) < existing {
            continue;
        }
        let d = hoso
            .create_dossier(PROCEDURES[i % PROCEDURES.len()], &fields)
            .map_err(anyhow::Error::msg)?;
        ids.push(d.id);
    }
    if !ids.is_empty() {
        let secs = start.elapsed().as_secs_f64();
        println!(
            "filled {} dossiers in {secs:.1} s ({:.2} ms each)",
            ids.len(),
            secs * 1000.0 / ids.len() as f64
        );
    }
    let all = hoso
        .list_dossiers(&ListQuery { limit: Some(500), ..Default::default() })
        .map_err(anyhow::Error::msg)?;
    Ok(all.items.into_iter().map(|d| d.id).collect())
}

fn store_figures(args: &Args, dir: &Path) -> Result<()> {
    let ids = fill(dir, args.dossiers)?;
    let size = std::fs::metadata(dir.join(hoso_api::DB_FILE)).map(|m| m.len()).unwrap_or(0);
    println!("store: {} dossiers, database {:.1} MiB", args.dossiers, size as f64 / 1048576.0);

    let open_list = time_ms(20, |_| {
        let hoso = Hoso::open(dir, Arc::new(SystemClock)).map_err(anyhow::Error::msg)?;
        let page = hoso.list_dossiers(&ListQuery::default()).map_err(anyhow::Error::msg)?;
        anyhow::ensure!(page.items.len() == 50, "first page has {} rows", page.items.len());
        Ok(())
    })?;
    report("open store + first list page (50)", open_list, "≤ 30 ms (list)");

    let hoso = Hoso::open(dir, Arc::new(SystemClock)).map_err(anyhow::Error::msg)?;
    let list = time_ms(100, |_| {
        hoso.list_dossiers(&ListQuery::default()).map_err(anyhow::Error::msg)?;
        Ok(())
    })?;
    report("first list page (50 of all)", list, "≤ 30 ms");
    for q in ["nguyen van", "hoa", "khai sinh", "0912", "zzz khong co"] {
        let mut hits = 0;
        let t = time_ms(50, |_| {
            hits = hoso
                .list_dossiers(&ListQuery { query: q.to_owned(), ..Default::default() })
                .map_err(anyhow::Error::msg)?
                .total;
            Ok(())
        })?;
        report(&format!("search {q:?} ({hits} hits)"), t, "≤ 30 ms");
    }

    let mut rng = Rng(7);
    let saves = time_ms(args.saves, |i| {
        let id = &ids[usize::try_from(rng.next_u64() % ids.len() as u64).unwrap_or(0)];
        let value = format!("Thôn {i}, xã Tả Van, tỉnh Lào Cai");
        hoso.save_fields(id, &[change("applicant.address", value)]).map_err(anyhow::Error::msg)?;
        Ok(())
    })?;
    report("autosave one field (durable commit)", saves, "p99 ≤ 5 ms");
    Ok(())
}

/// Children of `pid`, recursively, from /proc.
fn process_tree(pid: u32) -> Vec<u32> {
    let mut parents: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else { continue };
            // The parent pid is the second field after the command name in parentheses.
            let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { continue };
            if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
                parents.entry(ppid).or_default().push(p);
            }
        }
    }
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        if let Some(kids) = parents.get(&out[i]) {
            out.extend(kids);
        }
        i += 1;
    }
    out
}

/// One process's memory, in KiB.
struct ProcMemory {
    name: String,
    rss: u64,
    pss: u64,
    /// Whether a GL driver (Mesa, which maps LLVM) is loaded in it.
    gl: bool,
}

/// The memory of each process of the tree.
fn memory_kib(pids: &[u32]) -> Vec<ProcMemory> {
    let field = |text: &str, name: &str| -> u64 {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    pids.iter()
        .map(|p| {
            let s = std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).unwrap_or_default();
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
            let maps = std::fs::read_to_string(format!("/proc/{p}/maps")).unwrap_or_default();
            ProcMemory {
                name: name.trim().to_owned(),
                rss: field(&s, "Rss:"),
                pss: field(&s, "Pss:"),
                gl: maps.contains("/libLLVM") || maps.contains("_dri.so"),
            }
        })
        .collect()
}

/// "RSS 363 MiB, PSS 219 MiB (RSS MiB each: hoso-desktop 113, WebKitWebProces 189 with GL, …)".
fn memory_line(what: &str, procs: &[ProcMemory]) -> String {
    let mib = |k: u64| k as f64 / 1024.0;
    let rss: u64 = procs.iter().map(|p| p.rss).sum();
    let pss: u64 = procs.iter().map(|p| p.pss).sum();
    let each: Vec<String> = procs
        .iter()
        .map(|p| format!("{} {:.0}{}", p.name, mib(p.rss), if p.gl { " with GL" } else { "" }))
        .collect();
    format!(
        "{what}, {} processes: RSS {:.0} MiB, PSS {:.0} MiB (RSS MiB each: {})",
        procs.len(),
        mib(rss),
        mib(pss),
        each.join(", ")
    )
}

/// A dossier of `pages` photos (the scan crate's fixture photos, each made distinct); returns
/// its id. `made`: the photos are made into cleaned pages here, as an official's scanned
/// dossier is; otherwise they wait for the app to make them, as a person's new photos do.
fn paged_dossier(dir: &Path, pages: usize, made: bool) -> Result<String> {
    const PHOTOS: [&str; 4] =
        ["p003_normal.jpg", "p021_normal.jpg", "p028_idcard.jpg", "p030_noexif.jpg"];
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../hoso-scan/tests/fixtures");
    let photos = PHOTOS
        .iter()
        .map(|f| std::fs::read(fixtures.join(f)).with_context(|| format!("reading {f}")))
        .collect::<Result<Vec<_>>>()?;
    let hoso = Hoso::open(dir, Arc::new(SystemClock)).map_err(anyhow::Error::msg)?;
    let d = hoso.create_dossier("1.001193", &[]).map_err(anyhow::Error::msg)?;
    let component = d.components.first().context("the procedure has no papers")?.code.clone();
    let start = Instant::now();
    for i in 0..pages {
        let mut bytes = photos[i % photos.len()].clone();
        // Bytes after the JPEG's end make each photo a different file, not a duplicate.
        bytes.extend_from_slice(format!("page {i}").as_bytes());
        let name = format!("trang-{}.jpg", i + 1);
        let d = hoso
            .add_page(&d.id, &component, &bytes, "image/jpeg", &name)
            .map_err(anyhow::Error::msg)?;
        if !made {
            continue;
        }
        let page = d
            .components
            .iter()
            .flat_map(|c| &c.pages)
            .max_by_key(|p| p.id)
            .context("the page was not added")?;
        hoso.scan_page(&d.id, page.id, None).map_err(anyhow::Error::msg)?;
    }
    if made {
        let secs = start.elapsed().as_secs_f64();
        println!("made a dossier of {pages} cleaned pages in {secs:.1} s");
    }
    Ok(d.id)
}

struct Xvfb(Child, String);

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_xvfb() -> Result<Xvfb> {
    let display = format!(":{}", 500 + std::process::id() % 300);
    let child = Command::new("Xvfb")
        .args([&display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting Xvfb (install the xvfb package)")?;
    std::thread::sleep(Duration::from_millis(800));
    Ok(Xvfb(child, display))
}

fn kill_tree(pids: &[u32]) {
    for p in pids.iter().rev() {
        let _ = Command::new("kill").args(["-9", &p.to_string()]).status();
    }
}

/// A launch after the timed ones, to measure memory: the dossier it opens and what it shows.
struct MemoryRun {
    open: String,
    what: String,
    /// The photos wait to be made into pages by the app: wait until it has made them all.
    making: bool,
}

/// Waits (at most 3 minutes) until dossier `id` has no photo waiting to be made into a page;
/// returns how long that took.
fn pages_made(dir: &Path, id: &str) -> Result<Duration> {
    let started = Instant::now();
    let hoso = Hoso::open(dir, Arc::new(SystemClock)).map_err(anyhow::Error::msg)?;
    while started.elapsed() < Duration::from_secs(180) {
        if hoso.pending_pages(id).map_err(anyhow::Error::msg)?.is_empty() {
            return Ok(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("the app did not make the photos of {id} into pages within 3 minutes")
}

fn app_figures(app: &Path, dir: &Path, launches: usize, pages: usize) -> Result<()> {
    let xvfb = start_xvfb()?;
    let mut starts = Vec::new();
    let mut mems = Vec::new();
    let mut extra = Vec::new();
    if pages > 0 {
        extra.push(MemoryRun {
            open: paged_dossier(dir, pages, true)?,
            what: format!("memory with a {pages}-page dossier open"),
            making: false,
        });
        extra.push(MemoryRun {
            open: paged_dossier(dir, pages, false)?,
            what: format!("memory after the app made {pages} photos into pages"),
            making: true,
        });
    }
    // The first launch starts with an empty page cache when the bench may drop it (root):
    // a true cold start, as after switching the computer on.
    let cold = drop_page_cache();
    // After the timed launches, one launch per memory run.
    for run in 0..launches + extra.len() {
        let memory_run = run.checked_sub(launches).map(|i| &extra[i]);
        let mut command = Command::new(app);
        if let Some(m) = memory_run {
            command.args(["--open", &m.open]);
        }
        let mut child = command
            .env("DISPLAY", &xvfb.1)
            .env("HOSO_DATA_DIR", dir)
            .env("HOSO_REPORT_READY", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", app.display()))?;
        let started = Instant::now();
        let stdout = child.stdout.take().context("stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.trim() == "HOSO_READY" {
                    let _ = tx.send(());
                    break;
                }
            }
        });
        let ready = rx.recv_timeout(Duration::from_secs(60));
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if ready.is_err() {
            kill_tree(&process_tree(child.id()));
            let _ = child.wait();
            bail!("run {run}: the app did not report its first paint within 60 s");
        }
        if memory_run.is_none() {
            starts.push(elapsed);
        }
        let made = match memory_run {
            Some(m) if m.making => Some(pages_made(dir, &m.open)),
            _ => None,
        };
        if run == 0 || memory_run.is_some() {
            // Idle: the screen is up (and the dossier's thumbnails loaded) and nothing happens
            // for a few seconds.
            std::thread::sleep(Duration::from_secs(if memory_run.is_some() { 8 } else { 5 }));
            let tree = process_tree(child.id());
            let what = memory_run.map_or("idle memory on the first screen", |m| &m.what);
            mems.push(memory_line(what, &memory_kib(&tree)));
        }
        kill_tree(&process_tree(child.id()));
        let _ = child.wait();
        if let Some(made) = made {
            let made = made?.as_secs_f64();
            println!(
                "the app made {pages} photos into pages in {made:.1} s (after its first paint)"
            );
        }
    }
    let first = starts[0];
    let mut warm: Vec<f64> = starts[1..].to_vec();
    warm.sort_by(f64::total_cmp);
    let which = if cold { "cold, page cache dropped" } else { "first launch" };
    println!("app start to first paint ({which}) {first:>8.0} ms              target ≤ 1000 ms");
    if !warm.is_empty() {
        println!(
            "app start to first paint (next {} launches)     p50 {:>6.0} ms   max {:>6.0} ms   target ≤ 1000 ms",
            warm.len(),
            percentile(&warm, 50.0),
            warm[warm.len() - 1]
        );
    }
    for line in mems {
        println!("{line}");
    }
    println!("    target: idle RSS ≤ 200 MB");
    Ok(())
}

/// Empties the kernel's page cache (needs root); says whether it could.
fn drop_page_cache() -> bool {
    let _ = Command::new("sync").status();
    std::fs::write("/proc/sys/vm/drop_caches", "3\n").is_ok()
}

/// The package's size and the size it takes installed (its control file's `Installed-Size`).
fn package_figures(deb: &Path) -> Result<()> {
    let bytes = std::fs::metadata(deb).with_context(|| format!("reading {}", deb.display()))?.len();
    let out = Command::new("dpkg-deb")
        .arg("--field")
        .arg(deb)
        .arg("Installed-Size")
        .output()
        .context("running dpkg-deb")?;
    let installed_kib: u64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .with_context(|| format!("{} has no Installed-Size", deb.display()))?;
    let mb = |b: u64| b as f64 / 1_000_000.0;
    println!("package {:>41.1} MB               target ≤ 20 MB", mb(bytes));
    println!("package installed {:>31.1} MB", mb(installed_kib * 1024));
    Ok(())
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(deb) = &args.deb {
        package_figures(deb)?;
    }
    if !args.send_only {
        let tmp = tempfile::tempdir()?;
        let dir = args.data_dir.clone().unwrap_or_else(|| tmp.path().to_owned());
        store_figures(&args, &dir)?;
        if let Some(app) = &args.app {
            app_figures(app, &dir, args.launches.max(1), args.dossier_pages)?;
        }
    }
    if !args.no_send {
        let portal = args.portal.clone().unwrap_or_else(send::default_portal_bin);
        send::weak_link(&portal)?;
        send::intake(&portal, 50, 100)?;
    }
    Ok(())
}
