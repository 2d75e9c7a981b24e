//! `cccd-bench`: reading citizen ID cards from phone photos (a figure, not a test).
//!
//! Generates card photos with `hoso_cccd::synth` (12 MP JPEG; the card a quarter of the frame or
//! less, any angle, perspective, uneven light, glare, blur, grain), reads each with
//! `hoso_cccd::read_photo` on one thread and prints the share read exactly and the CPU time per
//! photo (JPEG decoding included).
//!
//! Usage: cccd-bench [--photos N] [--hard N] [--seed S] [--save DIR] [--size WxH]

use anyhow::{Context, Result, bail};
use hoso_cccd::synth::{Difficulty, Rng, card_photo_sized, card_text};

fn main() -> Result<()> {
    let (mut n, mut hard, mut seed, mut save) =
        (100u64, 20u64, 1000u64, None::<std::path::PathBuf>);
    let (mut w, mut h) = (4000usize, 3000usize);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--photos" => n = args.next().context("--photos N")?.parse()?,
            "--hard" => hard = args.next().context("--hard N")?.parse()?,
            "--seed" => seed = args.next().context("--seed S")?.parse()?,
            "--save" => save = Some(args.next().context("--save DIR")?.into()),
            "--size" => {
                let v = args.next().context("--size WxH")?;
                let (a, b) = v.split_once('x').context("--size WxH")?;
                (w, h) = (a.parse()?, b.parse()?);
            }
            other => bail!("unknown argument {other}"),
        }
    }
    if let Some(dir) = &save {
        std::fs::create_dir_all(dir)?;
    }
    for (label, count, difficulty) in
        [("realistic", n, Difficulty::Realistic), ("hard", hard, Difficulty::Hard)]
    {
        if count == 0 {
            continue;
        }
        let (mut ok, mut ms, mut misses) = (0u64, Vec::new(), Vec::new());
        for i in 0..count {
            let s = seed + i + if difficulty == Difficulty::Hard { 1_000_000 } else { 0 };
            let text = card_text(&mut Rng::new(s));
            let photo = card_photo_sized(&text, s, difficulty, w, h);
            if let Some(dir) = &save {
                std::fs::write(dir.join(format!("{label}-{s}.jpg")), &photo)?;
            }
            let t0 = hoso_scan::thread_cpu_ms().unwrap_or(0.0);
            let got = hoso_cccd::read_photo(&photo);
            ms.push(hoso_scan::thread_cpu_ms().unwrap_or(0.0) - t0);
            match got {
                Ok(card) if card == hoso_cccd::parse(&text)? => ok += 1,
                Ok(_) => misses.push(format!("{s}:wrong")),
                Err(e) => misses.push(format!("{s}:{}", e.code())),
            }
        }
        ms.sort_by(f64::total_cmp);
        println!(
            "cccd {label}: read {ok}/{count} ({:.1} %); CPU per photo median {:.0} ms, p90 {:.0} ms, max {:.0} ms{}",
            100.0 * ok as f64 / count as f64,
            ms[ms.len() / 2],
            ms[ms.len() * 9 / 10],
            ms[ms.len() - 1],
            if misses.is_empty() {
                String::new()
            } else {
                format!("; missed {}", misses.join(" "))
            }
        );
    }
    Ok(())
}
