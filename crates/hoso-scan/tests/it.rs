//! The scan pipeline against committed photos (generated phone shots, halved to keep the
//! repository small) with their true corners, and against hostile inputs.

use std::path::PathBuf;

use hoso_scan::geom::{Homography, Pt, dist};
use hoso_scan::{DocKind, Encoding, Flag, Mode, ScanError, ScanOptions, scan};

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

struct Truth {
    corners: [Pt; 4],
    doc: (f64, f64),
}

fn truth(stem: &str) -> Truth {
    let v: serde_json::Value = serde_json::from_slice(&fixture("truth.json")).unwrap();
    let t = &v[stem];
    let c = t["corners_display"].as_array().unwrap();
    let pt = |i: usize| [c[i][0].as_f64().unwrap(), c[i][1].as_f64().unwrap()];
    let d = t["doc_size_px_200dpi"].as_array().unwrap();
    Truth {
        corners: [pt(0), pt(1), pt(2), pt(3)],
        doc: (d[0].as_f64().unwrap(), d[1].as_f64().unwrap()),
    }
}

/// Mean corner error in 200-dpi document pixels (detections mapped through the true
/// photo → page map), best over the four rotations of the corner order.
fn corner_error(found: &[Pt; 4], t: &Truth) -> f64 {
    let (w, h) = t.doc;
    let page = [[0.0, 0.0], [w - 1.0, 0.0], [w - 1.0, h - 1.0], [0.0, h - 1.0]];
    let m = Homography::from_points(&t.corners, &page).unwrap();
    let mapped: Vec<Pt> = found.iter().map(|p| m.apply(*p)).collect();
    (0..4)
        .map(|r| (0..4).map(|i| dist(mapped[(i + r) % 4], page[i])).sum::<f64>() / 4.0)
        .fold(f64::MAX, f64::min)
}

fn opts(mode: Mode) -> ScanOptions {
    ScanOptions { mode, ..Default::default() }
}

#[test]
fn a4_pages_are_found_straightened_to_a4_at_200_dpi_and_small() {
    for stem in ["p003_normal", "p021_normal"] {
        let s = scan(&fixture(&format!("{stem}.jpg")), &opts(Mode::Bw)).unwrap();
        assert_eq!(s.kind, DocKind::A4, "{stem}");
        assert_eq!((s.page.width, s.page.height), (1654, 2339), "{stem}");
        assert_eq!(s.page.encoding, Encoding::G4);
        assert!(s.flags.is_empty(), "{stem}: {:?}", s.flags);
        // The fixtures are half-size photos: a corner error of 3 document pixels here is about
        // 1.5 at full size.
        let e = corner_error(&s.corners, &truth(stem));
        assert!(e < 3.0, "{stem}: corner error {e:.1} px");
        assert!(s.page.data.len() < 45_000, "{stem}: {} bytes", s.page.data.len());
    }
}

#[test]
fn an_id_card_gets_its_physical_size() {
    let s = scan(&fixture("p028_idcard.jpg"), &opts(Mode::Gray)).unwrap();
    assert_eq!(s.kind, DocKind::IdCard);
    assert_eq!((s.page.width, s.page.height), (674, 425));
    // Its portrait is a photograph: grey tones, not four levels.
    assert_eq!(s.page.encoding, Encoding::JpegGray);
    let e = corner_error(&s.corners, &truth("p028_idcard"));
    assert!(e < 3.0, "corner error {e:.1}");
}

#[test]
fn a_grey_text_page_is_kept_in_four_grey_levels_far_smaller_than_jpeg() {
    let s = scan(&fixture("p003_normal.jpg"), &opts(Mode::Gray)).unwrap();
    assert_eq!(s.mode, Mode::Gray);
    assert_eq!(s.page.encoding, Encoding::Gray4);
    let page = hoso_scan::encode::decode_page(&s.page).expect("unpacks");
    let mut count = [0usize; 4];
    for &v in &page.data {
        let level = hoso_scan::encode::GRAY4_LEVELS.iter().position(|&l| l == v);
        count[level.expect("one of the four levels")] += 1;
    }
    let all = page.data.len() as f64;
    assert!(count[3] as f64 > 0.8 * all, "white paper: {count:?}");
    assert!(count[0] as f64 > 0.005 * all, "black ink: {count:?}");
    assert!(count[1] > 1000 && count[2] > 1000, "the edges of strokes in grey: {count:?}");
    // The same page in JPEG, as grey photographs are kept, is several times larger.
    let jpeg = hoso_scan::encode::jpeg_gray(&page, 200, 45);
    assert!(
        s.page.data.len() * 2 < jpeg.len(),
        "{} bytes in four levels, {} in JPEG",
        s.page.data.len(),
        jpeg.len()
    );
    assert!(s.page.data.len() < 100_000, "{} bytes", s.page.data.len());
}

#[test]
fn a_sideways_photo_without_exif_is_turned_upright_by_its_text() {
    let s = scan(&fixture("p030_noexif.jpg"), &opts(Mode::Bw)).unwrap();
    assert!(s.flags.contains(&Flag::TurnedByText), "{:?}", s.flags);
    assert_eq!(s.kind, DocKind::A4);
    assert_eq!((s.page.width, s.page.height), (1654, 2339));
    let e = corner_error(&s.corners, &truth("p030_noexif"));
    assert!(e < 3.0, "corner error {e:.1}");
    // The page's top-left corner is the photo's bottom-left (the content was turned 90° left).
    let (w, h) = s.photo_size;
    assert!(w > h, "the photo is landscape");
    assert!(
        s.corners[0][1] > f64::from(h) / 2.0 && s.corners[0][0] < f64::from(w) / 2.0,
        "{:?}",
        s.corners
    );
}

#[test]
fn colour_mode_keeps_the_red_stamp_and_auto_chooses_per_page() {
    let s = scan(&fixture("p003_normal.jpg"), &opts(Mode::Color)).unwrap();
    assert_eq!(s.page.encoding, Encoding::Palette4);
    // Decode the palette indices and count red pixels: the stamp is there.
    let packed = miniz_oxide::inflate::decompress_to_vec_zlib(&s.page.data).unwrap();
    let stride = s.page.width.div_ceil(4) as usize;
    let mut red = 0;
    for y in 0..s.page.height as usize {
        for x in 0..s.page.width as usize {
            if (packed[y * stride + x / 4] >> (6 - 2 * (x % 4))) & 3 == 2 {
                red += 1;
            }
        }
    }
    assert!(red > 2_000, "only {red} red pixels");
    let auto = scan(&fixture("p003_normal.jpg"), &opts(Mode::Auto)).unwrap();
    assert_ne!(auto.mode, Mode::Auto);
}

#[test]
fn the_same_photo_gives_the_same_bytes() {
    let bytes = fixture("p021_normal.jpg");
    let a = scan(&bytes, &opts(Mode::Gray)).unwrap();
    let b = scan(&bytes, &opts(Mode::Gray)).unwrap();
    assert_eq!(a.page, b.page);
}

#[test]
fn png_tiff_webp_and_heic_are_read() {
    // The same photo re-encoded losslessly, upright (these formats carry no EXIF turn here).
    let jpeg = fixture("p021_normal.jpg");
    let img = image::load_from_memory(&jpeg).unwrap();
    let img = img.resize(1200, 1200, image::imageops::FilterType::Triangle);
    for fmt in [image::ImageFormat::Png, image::ImageFormat::Tiff, image::ImageFormat::WebP] {
        let mut buf = std::io::Cursor::new(Vec::new());
        img.write_to(&mut buf, fmt).unwrap();
        let s = scan(buf.get_ref(), &opts(Mode::Bw)).unwrap_or_else(|e| panic!("{fmt:?}: {e}"));
        assert_eq!(s.kind, DocKind::A4, "{fmt:?}");
    }
    let s = scan(&fixture("p021_small.heic"), &opts(Mode::Bw)).unwrap();
    assert_eq!(s.format, hoso_scan::Format::Heif);
    assert_eq!(s.kind, DocKind::A4);
}

#[test]
fn hostile_inputs_are_refused_with_their_own_error() {
    let o = opts(Mode::Bw);
    assert_eq!(scan(b"", &o).unwrap_err(), ScanError::Empty);
    assert_eq!(scan(b"hello, this is text", &o).unwrap_err().code(), "not_an_image");
    assert_eq!(scan(b"%PDF-1.7\n...", &o).unwrap_err(), ScanError::NotAnImage("PDF"));
    // A truncated photo: the first half of a JPEG.
    let jpeg = fixture("p021_normal.jpg");
    let e = scan(&jpeg[..jpeg.len() / 2], &o).unwrap_err();
    assert_eq!(e.code(), "corrupt", "{e}");
    // Only the header survived.
    assert_eq!(scan(&jpeg[..600], &o).unwrap_err().code(), "corrupt");
    // A PNG that claims 12,000 × 10,000 pixels in a few bytes (a decompression bomb): refused
    // from its header, before any pixel buffer exists.
    let bomb = png_header_only(12_000, 10_000);
    let t = std::time::Instant::now();
    assert_eq!(scan(&bomb, &o).unwrap_err(), ScanError::TooLarge { width: 12_000, height: 10_000 });
    assert!(t.elapsed().as_millis() < 500);
    // A strip too long on one side.
    let e = scan(&png_header_only(40_000, 10), &o).unwrap_err();
    assert_eq!(e.code(), "too_large", "{e}");
    // A JPEG whose frame header claims 60,000 × 60,000.
    let mut big = jpeg.clone();
    let sof = big.windows(2).position(|w| w == [0xFF, 0xC0]).expect("baseline SOF0");
    big[sof + 5..sof + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]);
    assert_eq!(scan(&big, &o).unwrap_err().code(), "too_large");
    // Every message tells the person what to do, in Vietnamese.
    assert!(ScanError::Empty.to_string().contains("Hãy"));
}

/// A PNG signature and IHDR chunk (with a correct CRC) and an empty IDAT.
fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunk = |out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut c = kind.to_vec();
        c.extend_from_slice(data);
        out.extend_from_slice(&c);
        out.extend(crc32(&c).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]); // 8-bit grey
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

/// The photo-quality warnings raised on a scan.
fn quality_flags(bytes: &[u8]) -> Vec<Flag> {
    let s = scan(bytes, &opts(Mode::Auto)).unwrap();
    s.flags.into_iter().filter(|f| f.is_quality()).collect()
}

#[test]
fn good_photos_raise_no_quality_warning() {
    for name in ["p003_normal.jpg", "p021_normal.jpg", "p030_noexif.jpg"] {
        assert_eq!(quality_flags(&fixture(name)), Vec::<Flag>::new(), "{name}");
    }
    // The corpus generator lights every card with a reflection (its `glare` of 0.35).
    assert_eq!(quality_flags(&fixture("p028_idcard.jpg")), vec![Flag::Glare]);
}

#[test]
fn each_degraded_photo_raises_its_own_warning() {
    use hoso_scan::synth::{Degradation, degrade, jpeg, upright};
    for stem in ["p003_normal", "p021_normal"] {
        let bytes = fixture(&format!("{stem}.jpg"));
        let img = upright(&bytes).unwrap();
        let c = scan(&bytes, &opts(Mode::Bw)).unwrap().corners;
        let xs = c.map(|p| p[0]);
        let ys = c.map(|p| p[1]);
        let bbox = [
            xs.iter().copied().fold(f64::MAX, f64::min),
            ys.iter().copied().fold(f64::MAX, f64::min),
            xs.iter().copied().fold(f64::MIN, f64::max),
            ys.iter().copied().fold(f64::MIN, f64::max),
        ];
        for (seed, d) in Degradation::ALL.into_iter().enumerate() {
            let expected = match d {
                Degradation::Blur => Flag::Blurry,
                Degradation::Dark => Flag::Dark,
                Degradation::Glare => Flag::Glare,
                Degradation::CutOff => Flag::CutOff,
                Degradation::Small => Flag::Small,
            };
            let flags = quality_flags(&jpeg(&degrade(&img, d, bbox, seed as u64)).unwrap());
            assert!(flags.contains(&expected), "{stem} {d:?}: {flags:?}");
            // Only the warning the degradation calls for (a smaller photo is also softer).
            let allowed: &[Flag] =
                if d == Degradation::Small { &[Flag::Small, Flag::Blurry] } else { &[expected] };
            assert!(flags.iter().all(|f| allowed.contains(f)), "{stem} {d:?}: {flags:?}");
        }
    }
}
