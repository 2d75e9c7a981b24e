//! The photo-quality warnings' precision and recall (not a test).
//!
//!     quality-bench [--corpus DIR] [--threads N] [--dump DIR]   (DIR: the degraded photos)
//!
//! Each photo is scanned as it is, and again after each deliberate degradation of
//! `hoso_scan::synth` (blurred, underexposed, a reflection over the page, the page cut at one
//! side, a third of the pixels each way). A photo's truth for each warning is its degradation, plus what the
//! corpus says of the original (`meta/<stem>.json`: the kind `dark`, a `glare` parameter above
//! zero, a `blur_sigma` of 2 px or more, the kind `idcard`). Effects a degradation has on
//! purpose besides its own are not counted either way: a photo shrunk to a third is also
//! softer, so its blur warning is neither right nor wrong.
//!
//! Without `--corpus` the committed fixtures are used (three A4 photos and a card; their
//! truth is their name's kind, and the generator's reflection on every card).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use hoso_bench::parallel_map;
use hoso_scan::synth::{self, Degradation, RgbImage};
use hoso_scan::{DocKind, Flag, ScanOptions};

const WARNINGS: [&str; 6] = ["blurry", "dark", "glare", "cut_off", "small", "id_card"];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Truth {
    Yes,
    No,
    /// Not counted.
    Either,
}

struct Case {
    name: String,
    bytes: Vec<u8>,
    truth: [Truth; 6],
}

fn index(w: &str) -> usize {
    WARNINGS.iter().position(|x| *x == w).expect("a known warning")
}

/// The original photo's truth, from the corpus's meta file when there is one.
fn original_truth(path: &Path) -> [Truth; 6] {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let meta = path
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("meta").join(format!("{stem}.json")))
        .and_then(|m| std::fs::read(m).ok())
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
    let kind = meta
        .as_ref()
        .and_then(|m| m["kind"].as_str().map(str::to_owned))
        .unwrap_or_else(|| stem.rsplit('_').next().unwrap_or("").to_owned());
    let param = |k: &str| meta.as_ref().and_then(|m| m["params"][k].as_f64()).unwrap_or(0.0);
    let yes = |b: bool| if b { Truth::Yes } else { Truth::No };
    let mut t = [Truth::No; 6];
    t[index("blurry")] = yes(param("blur_sigma") >= 2.0);
    t[index("dark")] = yes(kind == "dark");
    // The generator lights every card with a reflection (glare 0.35), meta file or not.
    t[index("glare")] = yes(param("glare") > 0.0 || kind == "idcard");
    t[index("id_card")] = yes(kind == "idcard");
    t
}

/// The page's bounding box in the upright photo, from a plain scan of the original.
fn page_box(bytes: &[u8]) -> Option<[f64; 4]> {
    let s = hoso_scan::scan(bytes, &ScanOptions::default()).ok()?;
    if s.flags.contains(&Flag::NoPageFound) {
        return None;
    }
    let xs = s.corners.map(|p| p[0]);
    let ys = s.corners.map(|p| p[1]);
    let min = |v: [f64; 4]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = |v: [f64; 4]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some([min(xs), min(ys), max(xs), max(ys)])
}

/// The degraded versions of one upright photo, each with its truth.
fn degrade(
    name: &str,
    img: &RgbImage,
    base: [Truth; 6],
    bbox: [f64; 4],
    seed: u64,
) -> Result<Vec<Case>> {
    let mut out = Vec::new();
    for d in Degradation::ALL {
        let (what, either): (&str, &[&str]) = match d {
            Degradation::Blur => ("blurry", &[]),
            // Underexposure also hides the edges of text.
            Degradation::Dark => ("dark", &["blurry"]),
            Degradation::Glare => ("glare", &[]),
            Degradation::CutOff => ("cut_off", &[]),
            // Three times fewer pixels per inch is also three times softer at 200 dpi.
            Degradation::Small => ("small", &["blurry"]),
        };
        let mut truth = base;
        truth[index(what)] = Truth::Yes;
        for e in either {
            truth[index(e)] = Truth::Either;
        }
        let bytes = synth::jpeg(&synth::degrade(img, d, bbox, seed))?;
        out.push(Case { name: format!("{name}+{what}"), bytes, truth });
    }
    Ok(out)
}

fn flags_of(bytes: &[u8]) -> Result<([bool; 6], hoso_scan::quality::Measures)> {
    let s = hoso_scan::scan(bytes, &ScanOptions::default())?;
    let has = |f: Flag| s.flags.contains(&f);
    Ok((
        [
            has(Flag::Blurry),
            has(Flag::Dark),
            has(Flag::Glare),
            has(Flag::CutOff),
            has(Flag::Small),
            s.kind == DocKind::IdCard && !has(Flag::CutOff),
        ],
        s.measures,
    ))
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut corpus: Option<PathBuf> = None;
    // Where to write the degraded photos, to look at them.
    let mut dump: Option<PathBuf> = None;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--corpus" => corpus = it.next().map(PathBuf::from),
            "--threads" => threads = it.next().and_then(|v| v.parse().ok()).unwrap_or(threads),
            "--dump" => dump = it.next().map(PathBuf::from),
            other => bail!(
                "unknown argument {other}; usage: quality-bench [--corpus DIR] [--threads N] [--dump DIR]"
            ),
        }
    }
    let dir = match &corpus {
        Some(c) => c.join("photos"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../hoso-scan/tests/fixtures"),
    };
    let mut photos: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("jpg")))
        .collect();
    photos.sort();
    if photos.is_empty() {
        bail!("no .jpg photos in {}", dir.display());
    }
    println!("photos: {} from {}", photos.len(), dir.display());

    // Every case (originals, then each normal photo's degradations), on `threads` threads.
    let made = parallel_map(&photos, threads, |i, path| -> Result<Vec<Case>> {
        let bytes = std::fs::read(path)?;
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let truth = original_truth(path);
        let mut made = vec![Case { name: name.clone(), bytes: bytes.clone(), truth }];
        // Degrade only ordinary photos: a hard case degraded again says little.
        if name.ends_with("_normal")
            && let Some(bbox) = page_box(&bytes)
        {
            let img = synth::upright(&bytes)?;
            made.extend(degrade(&name, &img, truth, bbox, i as u64 + 1)?);
        }
        Ok(made)
    });
    let mut cases = Vec::new();
    for (path, m) in photos.iter().zip(made) {
        match m {
            Ok(m) => cases.extend(m),
            Err(e) => println!("{}: left out ({e})", path.display()),
        }
    }
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(dir) = &dump {
        std::fs::create_dir_all(dir)?;
        for c in cases.iter().filter(|c| c.name.contains('+')) {
            std::fs::write(dir.join(format!("{}.jpg", c.name)), &c.bytes)?;
        }
    }

    // Scan every case, `threads` at a time.
    let results = parallel_map(&cases, threads, |_, case| flags_of(&case.bytes).ok());

    println!("\nper photo: truth (Y/n/-) and warning raised (! = raised)");
    println!(
        "{:<28} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}   blur  paper glare  runs(t,r,b,l)        dpi",
        "photo", "blur", "dark", "glare", "cut", "small", "card"
    );
    let mut counts = [[0u32; 3]; 6]; // tp, fp, fn
    for (case, r) in cases.iter().zip(&results) {
        let Some((raised, m)) = r else {
            println!("{:<28} could not be scanned", case.name);
            continue;
        };
        let mut line = format!("{:<28}", case.name);
        for k in 0..6 {
            let t = match case.truth[k] {
                Truth::Yes => "Y",
                Truth::No => "n",
                Truth::Either => "-",
            };
            line.push_str(&format!(" {:>5}{}", t, if raised[k] { "!" } else { " " }));
            match (case.truth[k], raised[k]) {
                (Truth::Yes, true) => counts[k][0] += 1,
                (Truth::No, true) => counts[k][1] += 1,
                (Truth::Yes, false) => counts[k][2] += 1,
                _ => {}
            }
        }
        line.push_str(&format!(
            "  {:5.2} {:6.1} {:5.3}  {:.2},{:.2},{:.2},{:.2}  {:6.0}",
            m.blur,
            m.paper,
            m.glare,
            m.edge_runs[0],
            m.edge_runs[1],
            m.edge_runs[2],
            m.edge_runs[3],
            m.dpi
        ));
        println!("{line}");
    }
    println!(
        "\n| warning | photos it should fire on | raised on them | raised on others | precision | recall |"
    );
    println!("|---|---|---|---|---|---|");
    for (k, w) in WARNINGS.iter().enumerate() {
        let [tp, fp, fne] = counts[k];
        let p = if tp + fp == 0 { f64::NAN } else { f64::from(tp) / f64::from(tp + fp) };
        let r = if tp + fne == 0 { f64::NAN } else { f64::from(tp) / f64::from(tp + fne) };
        println!("| {w} | {} | {tp} | {fp} | {:.2} | {:.2} |", tp + fne, p, r);
    }
    Ok(())
}
