//! Prints per-stage times of `scan` for the photos given: `cargo run --release --example stages -- bw PHOTO...`
fn main() {
    let mut args = std::env::args().skip(1);
    let mode: hoso_scan::Mode = args.next().and_then(|m| m.parse().ok()).unwrap_or_default();
    let opts = hoso_scan::ScanOptions { mode, ..Default::default() };
    for p in args {
        let bytes = std::fs::read(&p).expect("read");
        let mut t = Vec::new();
        let r = hoso_scan::scan_timed(&bytes, &opts, &mut t);
        let total: f64 = t.iter().map(|x| x.1).sum();
        let parts: Vec<String> = t.iter().map(|(s, ms)| format!("{s} {ms:.1}")).collect();
        println!(
            "{p}: {total:.0} ms [{}] {:?}",
            parts.join(", "),
            r.map(|s| (s.kind, s.page.data.len())).map_err(|e| e.code())
        );
    }
}
