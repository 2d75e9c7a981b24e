//! The scan pipeline's figures (not a test): per photo at one thread, the CPU time of the whole
//! pipeline (decode → encoded page) and the page's bytes in each mode; a batch on one thread
//! and on all cores; and the peak memory of a process that scans one photo.
//!
//!     scan-bench [DIR]      (default: the committed fixtures; point it at 12 MP photos)

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use hoso_scan::{Mode, ScanOptions};

fn thread_cpu_ms() -> f64 {
    hoso_scan::thread_cpu_ms().unwrap_or(0.0)
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

fn photos(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let ext = p.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
            matches!(
                ext.as_str(),
                "jpg" | "jpeg" | "png" | "webp" | "tif" | "tiff" | "heic" | "heif"
            )
        })
        .collect();
    v.sort();
    if v.is_empty() {
        bail!("no photos in {}", dir.display());
    }
    Ok(v)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Child mode: scan one photo and print the peak RSS.
    if args.first().map(String::as_str) == Some("--one") {
        let bytes = std::fs::read(&args[1])?;
        let s = hoso_scan::scan(&bytes, &ScanOptions::default())?;
        println!("{} {:.1}", s.page.data.len(), peak_rss_mib());
        return Ok(());
    }
    let dir = args.first().map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../hoso-scan/tests/fixtures"),
        PathBuf::from,
    );
    let list = photos(&dir)?;
    let data: Vec<Vec<u8>> = list.iter().map(std::fs::read).collect::<std::io::Result<_>>()?;
    println!("scan: {} photos from {}", list.len(), dir.display());
    // Warm-up: page cache, lazy tables.
    let _ = hoso_scan::scan(&data[0], &ScanOptions::default());
    for mode in [Mode::Bw, Mode::Gray, Mode::Color, Mode::Auto] {
        let opts = ScanOptions { mode, ..Default::default() };
        let (mut ms, mut bytes, mut failed) = (Vec::new(), Vec::new(), 0);
        hoso_scan::batch(|| {
            for d in &data {
                let c0 = thread_cpu_ms();
                match hoso_scan::scan(d, &opts) {
                    Ok(s) => {
                        ms.push(thread_cpu_ms() - c0);
                        bytes.push(s.page.data.len() as f64);
                    }
                    Err(_) => failed += 1,
                }
            }
        });
        println!(
            "  {:<6} one thread: median {:>7.1} ms CPU per photo, page median {:>7.1} KB{}",
            format!("{mode:?}").to_lowercase(),
            median(ms),
            median(bytes) / 1000.0,
            if failed > 0 { format!(" ({failed} failed)") } else { String::new() }
        );
    }
    // A batch on 1 thread and on every core.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let batch = |threads: usize| {
        let t0 = Instant::now();
        hoso_bench::parallel_map(&data, threads, |_, d| {
            let _ = hoso_scan::scan(d, &ScanOptions::default());
        });
        t0.elapsed().as_secs_f64() * 1000.0
    };
    let one = batch(1);
    let many = batch(cores);
    println!(
        "  batch of {} (auto): 1 thread {:.0} ms, {} threads {:.0} ms = {:.2}× faster",
        data.len(),
        one,
        cores,
        many,
        one / many
    );
    // Peak memory of a process that scans the largest photo.
    let biggest =
        list.iter().zip(&data).max_by_key(|(_, d)| d.len()).map(|(p, _)| p).context("no photo")?;
    let out = Command::new(std::env::current_exe()?).arg("--one").arg(biggest).output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let rss = text.split_whitespace().nth(1).unwrap_or("?");
    println!("  peak RSS of a process scanning {}: {rss} MiB", biggest.display());
    Ok(())
}
