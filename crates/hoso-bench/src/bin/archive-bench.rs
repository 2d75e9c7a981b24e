//! `archive-bench`: the digitised archive's figures (measured on purpose, never in tests).
//!
//! - Search: p50/p99 of `Archive::search` over `--pages` generated pages of civil-status text
//!   (default 100,000), for common, rare, partial and absent names. Target ≤ 100 ms.
//! - OCR speed: pages read per minute on 1 thread and on 2 (the scan crate's fixture photos,
//!   each taken in three times as distinct files).
//! - OCR quality (with `--corpus DIR`, made by `../shared/bench/scan/gen_corpus.py`): line-CER
//!   of the text read from the cleaned pages of the normal photos against `gt/`, and of the
//!   same reading of the clean renders (`clean/`), as `score.py` computes it. Target: within
//!   1 point of the clean render's.
//!
//! Usage: archive-bench [--pages N] [--corpus DIR] [--skip-search] [--skip-ocr]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use hoso_archive::{Archive, Grouping, IntakeOptions, RecordMeta};
use hoso_bench::{Rng, percentile};

const SURNAMES: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Đặng", "Bùi", "Đỗ", "Lò", "Vàng",
    "Hà", "Giàng",
];
const MIDDLE: [&str; 9] = ["Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thu", "Đức", "A", "Mỹ"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Chi", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Páo", "Sử", "Tùng", "Yến", "Đức",
    "Huyền", "Loan", "Kiên",
];
const PLACES: [&str; 8] = [
    "xã Tả Van, tỉnh Lào Cai",
    "xã Lũng Cú, tỉnh Tuyên Quang",
    "phường Đông Hưng, tỉnh An Giang",
    "xã Tịnh Kỳ, tỉnh Quảng Ngãi",
    "xã Mường Phăng, tỉnh Điện Biên",
    "phường Hàng Bạc, thành phố Hà Nội",
    "xã Ea Tiêu, tỉnh Đắk Lắk",
    "xã Sơn Thủy, tỉnh Quảng Trị",
];

/// Names from the lists.
trait Names {
    fn name(&mut self) -> String;
}

impl Names for Rng {
    fn name(&mut self) -> String {
        format!("{} {} {}", self.pick(&SURNAMES), self.pick(&MIDDLE), self.pick(&GIVEN))
    }
}

/// One page of a civil-status book: six entries of about 30 words each.
fn page_text(rng: &mut Rng, n: usize) -> String {
    let mut t = String::from("SỔ ĐĂNG KÝ KHAI SINH\n");
    for e in 0..6 {
        let year = 1950 + rng.next_u64() % 70;
        t.push_str(&format!(
            "Số {}/{year}. Họ và tên: {}. Giới tính: {}. Ngày sinh: {:02}/{:02}/{year}. \
             Nơi sinh: {}. Cha: {}. Mẹ: {}. Người đi khai: {}, quan hệ: cha.\n",
            n * 6 + e,
            rng.name(),
            if rng.next_u64().is_multiple_of(2) { "Nam" } else { "Nữ" },
            1 + rng.next_u64() % 28,
            1 + rng.next_u64() % 12,
            rng.pick(&PLACES),
            rng.name(),
            rng.name(),
            rng.name(),
        ));
    }
    t
}

fn search_figures(pages: usize) -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let a = Archive::open(tmp.path())?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let started = Instant::now();
    // Records of 20 pages, like a civil-status book's quire.
    let mut n = 0;
    while n < pages {
        let k = 20.min(pages - n);
        let texts: Vec<String> = (n..n + k).map(|i| page_text(&mut rng, i)).collect();
        let meta = RecordMeta {
            kind: "Sổ đăng ký khai sinh".into(),
            number: format!("Quyển {:03}", n / 20 + 1),
            date: format!("{}", 1950 + n / 2000),
            people: String::new(),
            tags: "hộ tịch".into(),
        };
        a.add_text_record(&meta, &texts)?;
        n += k;
    }
    let db =
        std::fs::metadata(tmp.path().join(hoso_archive::DB_FILE)).map(|m| m.len()).unwrap_or(0);
    println!(
        "archive: {pages} generated pages in {:.1} s, database {:.0} MiB",
        started.elapsed().as_secs_f64(),
        db as f64 / 1_048_576.0
    );
    for q in [
        "nguyen van duc",
        "giang thi huyen",
        "lo a pao",
        "hoang my loan ea tieu",
        "nguy",
        "quyen 042",
        "khong co ai ten nay",
    ] {
        let hits = a.search(q, 20)?.len();
        let mut times = Vec::new();
        for _ in 0..40 {
            let t = Instant::now();
            a.search(q, 20)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "search {q:<26} ({hits:>2} shown) p50 {:>7.2} ms   p99 {:>7.2} ms   target ≤ 100 ms",
            percentile(&times, 50.0),
            percentile(&times, 99.0)
        );
    }
    Ok(())
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hoso-scan/tests/fixtures")
}

/// Copies `photos` into a new folder, each `copies` times as distinct files.
fn batch(photos: &[PathBuf], copies: usize, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for c in 0..copies {
        for (i, p) in photos.iter().enumerate() {
            let mut bytes = std::fs::read(p)?;
            bytes.extend_from_slice(format!("copy {c}").as_bytes());
            let to = dir.join(format!("{:03}-{c}-{i}.jpg", out.len()));
            std::fs::write(&to, bytes)?;
            out.push(to);
        }
    }
    Ok(out)
}

fn ocr_speed() -> Result<()> {
    let photos: Vec<PathBuf> = ["p003_normal.jpg", "p021_normal.jpg", "p030_noexif.jpg"]
        .iter()
        .map(|f| fixtures().join(f))
        .collect();
    let tmp = tempfile::tempdir()?;
    let files = batch(&photos, 4, tmp.path())?;
    let mut per_minute = Vec::new();
    for threads in [1, 2] {
        let a = Archive::open(&tmp.path().join(format!("archive-{threads}")))?;
        let opts =
            IntakeOptions { grouping: Grouping::One, ocr: true, threads, ..Default::default() };
        a.digitise(&files, &opts, &mut |_, _| {})?;
        let r = a.ocr_pending(threads, &AtomicBool::new(false), &mut |_, _| {})?;
        if r.read != files.len() {
            bail!("read {} of {} pages", r.read, files.len());
        }
        let rate = r.read as f64 * 60_000.0 / r.ms.max(1) as f64;
        per_minute.push(rate);
        println!(
            "OCR, {threads} thread(s): {} pages in {:.1} s = {rate:.0} pages/min",
            r.read,
            r.ms as f64 / 1000.0
        );
    }
    println!("OCR speed-up on 2 threads: {:.2}×", per_minute[1] / per_minute[0]);
    Ok(())
}

fn normalize(s: &str) -> Vec<char> {
    let s = hoso_catalogue::text::nfc(s).replace('\u{2026}', "...");
    // Runs of three or more dots, underscores or middle dots (dot leaders) become a space.
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let leader = |c: char| matches!(c, '.' | '_' | '\u{b7}');
        if leader(chars[i]) {
            let mut j = i;
            while j < chars.len() && leader(chars[j]) {
                j += 1;
            }
            if j - i >= 3 {
                out.push(' ');
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect()
}

/// The edit distance between `line` and its best-matching substring of `hyp`.
fn semi_global(line: &[char], hyp: &[char]) -> usize {
    let mut prev = vec![0usize; hyp.len() + 1];
    let mut cur = vec![0usize; hyp.len() + 1];
    for (i, &c) in line.iter().enumerate() {
        cur[0] = i + 1;
        for j in 1..=hyp.len() {
            let sub = prev[j - 1] + usize::from(hyp[j - 1] != c);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.into_iter().min().unwrap_or(0)
}

/// `score.py`'s line-CER: over the ground truth's lines (split at TABs), the distance of each
/// to its best match in the text read, over the ground truth's characters.
fn line_cer(hyp: &str, gt: &str) -> f64 {
    let h = normalize(hyp);
    let lines: Vec<Vec<char>> =
        gt.lines().flat_map(|l| l.split('\t')).map(normalize).filter(|l| !l.is_empty()).collect();
    let chars: usize = lines.iter().map(Vec::len).sum();
    let dist: usize = lines.iter().map(|l| semi_global(l, &h)).sum();
    dist as f64 / chars.max(1) as f64
}

fn ocr_quality(corpus: &Path) -> Result<()> {
    let mut photos: Vec<PathBuf> = std::fs::read_dir(corpus.join("photos"))
        .context("the corpus has no photos/")?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains("_normal")))
        .collect();
    photos.sort();
    let tmp = tempfile::tempdir()?;
    let a = Archive::open(tmp.path())?;
    let mut ours = Vec::new();
    let mut clean = Vec::new();
    for photo in &photos {
        let stem = photo.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let gt = std::fs::read_to_string(corpus.join("gt").join(format!("{stem}.txt")))?;
        let opts =
            IntakeOptions { grouping: Grouping::One, ocr: true, threads: 2, ..Default::default() };
        let r = a.digitise(std::slice::from_ref(photo), &opts, &mut |_, _| {})?;
        a.ocr_pending(2, &AtomicBool::new(false), &mut |_, _| {})?;
        let Some(&id) = r.records.first() else { bail!("{stem}: no page was made") };
        let page = a.record(id)?.pages[0].id;
        let cer = line_cer(&a.page_text(page)?, &gt);
        let render =
            hoso_archive::read_image_text(&corpus.join("clean").join(format!("{stem}.png")), 200)?;
        let cer_clean = line_cer(&render, &gt);
        println!(
            "  {stem}: line-CER {:.1} % (clean render {:.1} %)",
            cer * 100.0,
            cer_clean * 100.0
        );
        ours.push(cer);
        clean.push(cer_clean);
    }
    if ours.is_empty() {
        bail!("no normal photos in {}", corpus.display());
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64 * 100.0;
    println!(
        "OCR line-CER, {} normal photos: cleaned pages {:.2} %, clean renders {:.2} %, difference {:+.2} points   target ≤ +1 point",
        ours.len(),
        mean(&ours),
        mean(&clean),
        mean(&ours) - mean(&clean)
    );
    Ok(())
}

fn main() -> Result<()> {
    let mut pages = 100_000;
    let mut corpus = None;
    let (mut search, mut ocr) = (true, true);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--pages" => pages = args.next().context("--pages N")?.parse()?,
            "--corpus" => corpus = Some(PathBuf::from(args.next().context("--corpus DIR")?)),
            "--skip-search" => search = false,
            "--skip-ocr" => ocr = false,
            other => bail!("unknown argument {other}"),
        }
    }
    if search {
        search_figures(pages)?;
    }
    if ocr {
        if !hoso_archive::tesseract_available() {
            bail!("tesseract with Vietnamese data is missing: run scripts/setup.sh");
        }
        ocr_speed()?;
        if let Some(c) = corpus {
            ocr_quality(&c)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_cer_ignores_junk_between_lines_and_reading_order() {
        let gt = "CỘNG HÒA\tĐộc lập\nHọ và tên: An";
        assert_eq!(line_cer("Họ và tên: An\n~~ stamp ~~\nĐộc lập CỘNG HÒA", gt), 0.0);
        // One wrong letter in 28 characters of ground truth (8 + 7 + 13).
        assert!((line_cer("CỘNG HÒA Độc lập Họ và tên: Ân", gt) - 1.0 / 28.0).abs() < 1e-9);
        // As score.py: an ellipsis is three dots, and three dots or more are a leader.
        assert_eq!(normalize("a ..... b\u{2026} c.."), "a b c..".chars().collect::<Vec<_>>());
    }
}
