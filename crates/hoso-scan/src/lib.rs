//! Phone photo in, clean compact page out.
//!
//! [`scan`] takes the bytes of a photo (JPEG, PNG, WebP, TIFF, HEIC/HEIF), refuses what it must
//! before allocating ([`ScanError`]), finds the document, straightens it to its physical size at
//! the requested DPI, turns it upright, whitens the paper and encodes it in the requested
//! [`Mode`]. Nothing here knows about dossiers, windows or files: bytes in, a page out.
//!
//! The stages, in order: [`decode`] (format sniffing, size checks, EXIF orientation) →
//! [`detect`] (the outline on a ≈600-px copy, then refined on the full photo) → [`warp`]
//! (perspective; the EXIF turn is folded into the same map, so the full photo is never rotated)
//! → [`clean`] (paper level divided out) → [`orient`] (text direction) → [`encode`].

pub mod clean;
pub mod decode;
pub mod detect;
pub mod encode;
pub mod geom;
pub mod image;
pub mod orient;
pub mod quality;
#[cfg(feature = "synth")]
pub mod synth;
pub mod warp;

pub use decode::{Format, MAX_PIXELS};
pub use encode::{EncodedPage, Encoding, UnknownEncoding};
pub use geom::Pt;
pub use image::batch;

use serde::Serialize;

/// Why a photo cannot be made into a page. The messages are for the person holding the phone.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScanError {
    #[error("Tệp rỗng, không có nội dung. Hãy chọn lại ảnh.")]
    Empty,
    #[error("Tệp này không phải ảnh ({0}). Hãy chọn ảnh JPEG, PNG, WebP, TIFF hoặc HEIC.")]
    NotAnImage(&'static str),
    #[error(
        "Ảnh quá lớn ({width}×{height} điểm ảnh; tối đa 100 triệu điểm ảnh). Hãy chụp lại hoặc thu nhỏ ảnh."
    )]
    TooLarge { width: u32, height: u32 },
    #[error("Ảnh bị hỏng hoặc chưa tải về hết ({0}). Hãy chép lại ảnh từ điện thoại.")]
    Corrupt(String),
}

impl ScanError {
    /// A short stable code for logs, reports and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::NotAnImage(_) => "not_an_image",
            Self::TooLarge { .. } => "too_large",
            Self::Corrupt(_) => "corrupt",
        }
    }
}

/// How a page is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Chosen per page: black & white for text, a few-colour palette when stamps or blue ink
    /// are present and colour was decoded, grey for pages with pictures.
    #[default]
    Auto,
    /// 1 bit per pixel, CCITT G4.
    Bw,
    /// Grey JPEG.
    Gray,
    /// Colour: a 4-colour palette (paper, black, red stamp, blue ink).
    Color,
}

/// A mode name that is not one of auto, bw, gray, color.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown mode {0:?}: use auto, bw, gray or color")]
pub struct UnknownMode(pub String);

impl std::str::FromStr for Mode {
    type Err = UnknownMode;
    fn from_str(s: &str) -> Result<Self, UnknownMode> {
        match s {
            "auto" => Ok(Self::Auto),
            "bw" => Ok(Self::Bw),
            "gray" | "grey" => Ok(Self::Gray),
            "color" | "colour" => Ok(Self::Color),
            other => Err(UnknownMode(other.to_owned())),
        }
    }
}

/// What the page is, judged from its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// A4 (or A5: the two have the same shape; A4 is the common one).
    A4,
    /// Two A4 pages side by side (an open booklet).
    Spread,
    /// A citizen ID card, 85.6 × 54 mm.
    IdCard,
    /// Something else: its measured shape is kept.
    Other,
    /// No outline found: the whole photo.
    Photo,
}

/// Something the person should look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// No document outline was found; the whole photo was kept. Adjust the corners.
    NoPageFound,
    /// The outline was found but is uncertain.
    UncertainOutline,
    /// The page was turned upright from its text (the photo's orientation was missing or wrong).
    TurnedByText,
    /// The photo is too dark: the paper is grey, not white.
    Dark,
    /// The text is blurred (camera shake or out of focus).
    Blurry,
    /// A bright reflection over the page washes out what is under it.
    Glare,
    /// The page runs out of the photo: part of it is cut off.
    CutOff,
    /// The page is too small in the photo to be read well.
    Small,
}

impl Flag {
    /// A problem with the photo itself, which a retake fixes (not a note about what was done).
    pub fn is_quality(self) -> bool {
        matches!(self, Self::Dark | Self::Blurry | Self::Glare | Self::CutOff | Self::Small)
    }
}

/// What to make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScanOptions {
    pub mode: Mode,
    pub dpi: u32,
    /// Corners chosen by the person (TL, TR, BR, BL in the upright photo's pixels), instead of
    /// the detected ones.
    pub corners: Option<[Pt; 4]>,
    /// Also make [`Scanned::thumb`] (a few milliseconds).
    pub thumbnail: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self { mode: Mode::Auto, dpi: 200, corners: None, thumbnail: false }
    }
}

/// A scanned page and how it was made.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub page: EncodedPage,
    /// The mode used (never `Auto`).
    pub mode: Mode,
    /// The document's corners, TL, TR, BR, BL of the upright page, in the EXIF-upright photo's
    /// pixels.
    pub corners: [Pt; 4],
    pub kind: DocKind,
    pub flags: Vec<Flag>,
    /// The upright photo's size.
    pub photo_size: (u32, u32),
    pub format: Format,
    /// When asked for: a small grey JPEG of the page as encoded, at most about [`THUMB_SIDE`]
    /// pixels a side; empty otherwise.
    pub thumb: Vec<u8>,
    /// What the photo-quality warnings were judged from.
    pub measures: quality::Measures,
}

/// The longest side of [`Scanned::thumb`].
pub const THUMB_SIDE: u32 = 240;

const MM_PER_INCH: f64 = 25.4;
/// Flattened levels at or above this are paper: pure white in a grey page.
const GRAY_WHITE: u8 = 205;
/// JPEG quality of grey pages: text on pure white compresses well even at this setting.
const GRAY_QUALITY: u8 = 45;

fn px(mm: f64, dpi: u32) -> u32 {
    (mm * f64::from(dpi) / MM_PER_INCH).round() as u32
}

/// The true width/height ratio of the rectangle seen as `q` (TL, TR, BR, BL) through a pinhole
/// camera centred in a `w`×`h` photo (Zhang & He's method); the focal length is taken from the
/// outline when it is well defined and from a phone's typical 26 mm-equivalent lens otherwise.
pub fn true_aspect(q: &[Pt; 4], w: u32, h: u32) -> f64 {
    let (cx, cy) = (f64::from(w) / 2.0, f64::from(h) / 2.0);
    let m = |p: Pt| [p[0] - cx, p[1] - cy, 1.0];
    // Zhang & He number the corners m1 = (0,0), m2 = (w,0), m3 = (0,h), m4 = (w,h).
    let (m1, m2, m3, m4) = (m(q[0]), m(q[1]), m(q[3]), m(q[2]));
    let cross = |a: [f64; 3], b: [f64; 3]| {
        [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    };
    let dot = |a: [f64; 3], b: [f64; 3]| a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    let k2 = dot(cross(m1, m4), m3) / dot(cross(m2, m4), m3);
    let k3 = dot(cross(m1, m4), m2) / dot(cross(m3, m4), m2);
    let n2 = [k2 * m2[0] - m1[0], k2 * m2[1] - m1[1], k2 * m2[2] - m1[2]];
    let n3 = [k3 * m3[0] - m1[0], k3 * m3[1] - m1[1], k3 * m3[2] - m1[2]];
    let long = f64::from(w.max(h));
    let prior = 0.75 * long;
    let f2 = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2]);
    // Phones' main cameras are 24–28 mm equivalent (f ≈ 0.7–0.8 × the long side); an estimate
    // far outside that comes from a slightly bent page, not from the lens.
    let f2 = if f2.is_finite() && f2 > (0.45 * long).powi(2) && f2 < (1.15 * long).powi(2) {
        f2
    } else {
        prior * prior
    };
    let num = (n2[0] * n2[0] + n2[1] * n2[1]) / f2 + n2[2] * n2[2];
    let den = (n3[0] * n3[0] + n3[1] * n3[1]) / f2 + n3[2] * n3[2];
    let r = (num / den).sqrt();
    if r.is_finite() && r > 0.05 {
        r
    } else {
        // Degenerate: the mean side lengths.
        let wq = (geom::dist(q[0], q[1]) + geom::dist(q[3], q[2])) / 2.0;
        let hq = (geom::dist(q[0], q[3]) + geom::dist(q[1], q[2])) / 2.0;
        wq / hq
    }
}

/// The kind and the size in millimetres (width, height, as the outline is oriented) of a
/// document whose true width/height ratio is `aspect`.
fn classify(aspect: f64) -> (DocKind, f64, f64) {
    let landscape = aspect > 1.0;
    let r = if landscape { aspect } else { 1.0 / aspect };
    const ID: (f64, f64) = (85.6, 54.0);
    let (kind, long, short) = if (r - 1.586).abs() < 0.085 {
        (DocKind::IdCard, ID.0, ID.1)
    } else if (r - std::f64::consts::SQRT_2).abs() < 0.09 {
        (DocKind::A4, 297.0, 210.0)
    } else {
        (DocKind::Other, 297.0, 297.0 / r)
    };
    if landscape { (kind, long, short) } else { (kind, short, long) }
}

/// The corners of the same outline with the page turned clockwise by `turns` quarters.
pub fn turn_corners(q: [Pt; 4], turns: u8) -> [Pt; 4] {
    let mut q = q;
    for _ in 0..turns % 4 {
        q = [q[3], q[0], q[1], q[2]];
    }
    q
}

/// CPU time used by the calling thread so far, in milliseconds (Linux: the scheduler's
/// accounting in /proc); `None` elsewhere. For timing scans on a busy machine.
pub fn thread_cpu_ms() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e6)
}

/// Time spent per stage, in milliseconds, in the order the stages ran.
pub type Timings = Vec<(&'static str, f64)>;

struct Clock(std::time::Instant);

impl Clock {
    fn lap(&mut self, t: &mut Timings, stage: &'static str) {
        let now = std::time::Instant::now();
        t.push((stage, (now - self.0).as_secs_f64() * 1000.0));
        self.0 = now;
    }
}

/// Makes a page from a photo.
pub fn scan(bytes: &[u8], opts: &ScanOptions) -> Result<Scanned, ScanError> {
    scan_timed(bytes, opts, &mut Vec::new())
}

/// [`scan`], recording how long each stage took.
pub fn scan_timed(bytes: &[u8], opts: &ScanOptions, t: &mut Timings) -> Result<Scanned, ScanError> {
    let mut clock = Clock(std::time::Instant::now());
    let want_colour = matches!(opts.mode, Mode::Color | Mode::Auto);
    let dec = decode::decode(bytes, want_colour)?;
    clock.lap(t, "decode");
    let (uw, uh) = dec.upright_size();
    let mut flags = Vec::new();

    // A ≈600-px upright copy: the outline is looked for on it, and the photo's edges judged.
    let f = (uw.max(uh)).div_ceil(600).max(1);
    let small = dec.gray.shrink(f).oriented(dec.orientation);
    // The outline, in upright photo pixels.
    let (quad, found) = match opts.corners {
        Some(c) => (c, true),
        None => match detect::find_quad(&small) {
            Some((q, conf)) => {
                if conf < 0.35 {
                    flags.push(Flag::UncertainOutline);
                }
                let ff = f64::from(f);
                let coarse = q.map(|p| [p[0] * ff, p[1] * ff]);
                let sample = |x: f64, y: f64| {
                    let (sx, sy) = dec.upright_to_stored(x, y);
                    sample_gray(&dec.gray, sx, sy)
                };
                // The edge is looked for up to 3 coarse pixels either side of the coarse outline:
                // a gently waved sheet's corners lie 2–4 coarse pixels off its straight sides,
                // and a narrower search missed them (median corner error 3–6 px, now about 1).
                (detect::refine(&coarse, 3.0 * ff, &sample), true)
            }
            None => {
                flags.push(Flag::NoPageFound);
                let (w, h) = (f64::from(uw), f64::from(uh));
                ([[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]], false)
            }
        },
    };
    clock.lap(t, "detect");
    let (mut kind, mut wmm, mut hmm) = if found {
        classify(true_aspect(&quad, uw, uh))
    } else {
        let (w, h) = (f64::from(uw), f64::from(uh));
        let long = 297.0;
        if w >= h {
            (DocKind::Photo, long, long * h / w)
        } else {
            (DocKind::Photo, long * w / h, long)
        }
    };
    let stored = |q: &[Pt; 4]| {
        q.map(|p| {
            let (x, y) = dec.upright_to_stored(p[0], p[1]);
            [x, y]
        })
    };
    let render = |q: &[Pt; 4], wmm: f64, hmm: f64| {
        let (w, h) = (px(wmm, opts.dpi).max(1), px(hmm, opts.dpi).max(1));
        let m = warp::page_to_photo(w, h, &stored(q));
        match m {
            Some(m) => (warp::warp_gray(&dec.gray, w, h, &m), m),
            None => {
                let m = geom::Homography([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
                (warp::warp_gray(&dec.gray, w, h, &m), m)
            }
        }
    };
    let (mut page, mut hom) = render(&quad, wmm, hmm);
    clock.lap(t, "warp");
    let mut bg = clean::Background::estimate(&page);
    let mut flat = clean::flatten(&page, &bg);
    clock.lap(t, "flatten");
    let mut corners = quad;
    if opts.corners.is_none() {
        let turns = orient::upright_turns(&flat, dec.orientation_known);
        if turns != 0 {
            flags.push(Flag::TurnedByText);
            corners = turn_corners(quad, turns);
            if turns % 2 == 1 {
                std::mem::swap(&mut wmm, &mut hmm);
            }
            (page, hom) = render(&corners, wmm, hmm);
            bg = clean::Background::estimate(&page);
            flat = clean::flatten(&page, &bg);
        } else if kind == DocKind::A4 && wmm > hmm {
            // A landscape A-series outline with horizontal text: an open booklet.
            kind = DocKind::Spread;
            wmm = 420.0;
            hmm = 297.0;
            (page, hom) = render(&corners, wmm, hmm);
            bg = clean::Background::estimate(&page);
            flat = clean::flatten(&page, &bg);
        }
    }
    clock.lap(t, "orient");
    // Faded print needs a threshold nearer the paper than dark ink does.
    let ink = clean::ink_level(&flat);
    let measures = {
        let (paper, glare) = quality::paper_and_glare(&bg);
        let m = quality::Measures {
            blur: quality::blur_sigma(&flat, ink) * 200.0 / f64::from(opts.dpi.max(1)),
            paper,
            glare,
            edge_runs: quality::edge_runs(&small, paper),
            dpi: if found { quality::dpi_of(&corners, wmm, hmm) } else { 0.0 },
        };
        if quality::cut_off(&m.edge_runs, found && opts.corners.is_none()) {
            // The outline found is not the page's, so what was measured inside it says little
            // about the page: the one thing to do is to take the whole page again.
            flags.push(Flag::CutOff);
        } else {
            if m.paper < quality::MIN_PAPER {
                flags.push(Flag::Dark);
            }
            if m.blur > quality::MAX_BLUR {
                flags.push(Flag::Blurry);
            }
            if m.glare >= quality::GLARE_SHARE {
                flags.push(Flag::Glare);
            }
            if found && m.dpi < quality::MIN_DPI {
                flags.push(Flag::Small);
            }
        }
        m
    };
    let bw_threshold = (f64::from(ink) + 0.62 * (250.0 - f64::from(ink))).clamp(165.0, 215.0) as u8;
    // The page in its few colours, when colour was decoded and may be needed.
    let palette = if matches!(opts.mode, Mode::Color | Mode::Auto) {
        dec.rgb.as_ref().map(|rgb| {
            let c = warp::warp_rgb(rgb, page.w, page.h, &hom);
            clean::palette(&c, &flat, bw_threshold, &bg)
        })
    } else {
        None
    };
    let mode = match opts.mode {
        Mode::Auto => {
            if mid_tone_share(&flat) > 0.12 {
                Mode::Gray
            } else {
                match &palette {
                    Some((_, counts)) => {
                        let ink = counts[1] + counts[2] + counts[3];
                        let colour = counts[2] + counts[3];
                        if ink > 0 && colour as f64 > 0.08 * ink as f64 {
                            Mode::Color
                        } else {
                            Mode::Bw
                        }
                    }
                    None => Mode::Bw,
                }
            }
        }
        m => m,
    };
    clock.lap(t, "choose");
    let (w, h) = (page.w, page.h);
    // The thumbnail is shrunk straight from what was encoded, only when asked for.
    let thumb_of = |px: &dyn Fn(usize) -> u8| {
        if opts.thumbnail { thumbnail(w, h, px) } else { Vec::new() }
    };
    // Text and line art in four grey levels, losslessly: far smaller than JPEG, whose cost on
    // such a page is the text's edges, and free of its ringing. Photographs stay JPEG.
    let gray_page = || {
        if tonal_share(&flat) < MAX_TONAL_FOR_LEVELS {
            let levels = clean::four_levels(&flat, GRAY_WHITE);
            let thumb = thumb_of(&|i| encode::GRAY4_LEVELS[usize::from(levels[i])]);
            (Encoding::Gray4, encode::pack2(&levels, w, h), thumb)
        } else {
            let toned = clean::tone_gray(&flat, GRAY_WHITE);
            let thumb = thumb_of(&|i| toned.data[i]);
            (Encoding::JpegGray, encode::jpeg_gray(&toned, opts.dpi, GRAY_QUALITY), thumb)
        }
    };
    let (encoding, data, thumb) = match mode {
        Mode::Bw | Mode::Auto => {
            let ink = clean::binarize(&flat, bw_threshold);
            let thumb = thumb_of(&|i| if ink[i] != 0 { 0 } else { 255 });
            let g4 = encode::g4(&ink, w, h);
            image::recycle(ink);
            (Encoding::G4, g4, thumb)
        }
        Mode::Gray => gray_page(),
        Mode::Color => match &palette {
            Some((idx, _)) => {
                let colours = encode::EncodedPage::palette().as_flattened().to_vec();
                let luma = image::Rgb { w: 4, h: 1, data: colours }.to_gray().data;
                let thumb = thumb_of(&|i| luma[usize::from(idx[i] & 3)]);
                (Encoding::Palette4, encode::pack2(idx, w, h), thumb)
            }
            // Decoded without colour (cannot happen through `scan`): fall back to grey.
            None => gray_page(),
        },
    };
    clock.lap(t, "encode");
    let format = dec.format;
    // In a batch, the next scan on this thread reuses the large buffers (see `image::batch`).
    image::recycle(dec.gray.data);
    if let Some(rgb) = dec.rgb {
        image::recycle(rgb.data);
    }
    image::recycle(page.data);
    image::recycle(flat.data);
    Ok(Scanned {
        page: EncodedPage { width: w, height: h, dpi: opts.dpi, encoding, data },
        mode,
        corners,
        kind,
        flags,
        photo_size: (uw, uh),
        format,
        thumb,
        measures,
    })
}

/// A grey JPEG of a `w`×`h` page whose pixel `i` (row-major) is `px(i)`, averaged down in
/// square blocks to at most about [`THUMB_SIDE`] pixels a side.
fn thumbnail(w: u32, h: u32, px: &dyn Fn(usize) -> u8) -> Vec<u8> {
    let f = w.max(h).div_ceil(THUMB_SIDE).max(1);
    let (tw, th) = ((w / f).max(1), (h / f).max(1));
    let mut data = Vec::with_capacity((tw * th) as usize);
    for ty in 0..th {
        for tx in 0..tw {
            let (mut sum, mut n) = (0u32, 0u32);
            for y in ty * f..((ty + 1) * f).min(h) {
                for x in tx * f..((tx + 1) * f).min(w) {
                    sum += u32::from(px((y * w + x) as usize));
                    n += 1;
                }
            }
            data.push((sum / n.max(1)) as u8);
        }
    }
    encode::jpeg_gray(&image::Gray { w: tw, h: th, data }, 72, 80)
}

/// A grey JPEG of an encoded page for reading it on screen, at most about `side` pixels a
/// side; `None` if the page's data cannot be unpacked.
pub fn page_view(page: &EncodedPage, side: u32) -> Option<Vec<u8>> {
    let g = encode::decode_page(page)?;
    let f = g.w.max(g.h).div_ceil(side.max(1)).max(1);
    let small = if f > 1 { g.shrink(f) } else { g };
    Some(encode::jpeg_gray(&small, 72, 80))
}

/// A preview of the photo for placing the corners by hand: grey, upright per EXIF, at most
/// about `side` pixels a side; with the upright photo's full size, which the corners refer to.
pub fn preview(bytes: &[u8], side: u32) -> Result<(Vec<u8>, (u32, u32)), ScanError> {
    Ok(preview_of(&decode::decode(bytes, false)?, side))
}

/// [`preview`] of a photo already decoded.
pub fn preview_of(dec: &decode::Decoded, side: u32) -> (Vec<u8>, (u32, u32)) {
    let (uw, uh) = dec.upright_size();
    let f = uw.max(uh).div_ceil(side.max(1)).max(1);
    let small = dec.gray.shrink(f).oriented(dec.orientation);
    (encode::jpeg_gray(&small, 72, 80), (uw, uh))
}

/// The middle tones of a flattened page: neither paper nor ink.
const MID_TONES: std::ops::Range<u8> = 70..200;

/// The share of pixels in the middle tones of a flattened page: text pages have almost none,
/// photographs and shaded drawings many.
fn mid_tone_share(flat: &image::Gray) -> f64 {
    let mid = flat.data.iter().step_by(7).filter(|v| MID_TONES.contains(v)).count();
    mid as f64 / (flat.data.len() / 7).max(1) as f64
}

/// Tiles of a page (32 px a side, 4 mm at 200 dpi) more than half in [`MID_TONES`]: text
/// has none, a photograph on the page fills many (a 3×4 cm portrait is 2 % of an A4).
const TONAL_TILE: usize = 32;
/// At this share of tonal tiles, a grey page is kept in JPEG rather than in four grey levels.
const MAX_TONAL_FOR_LEVELS: f64 = 0.008;

/// The share of a flattened page's tiles that are mostly middle tones (see [`TONAL_TILE`]).
fn tonal_share(flat: &image::Gray) -> f64 {
    let (w, h) = (flat.w as usize, flat.h as usize);
    let (tx, ty) = (w / TONAL_TILE, h / TONAL_TILE);
    if tx == 0 || ty == 0 {
        return 0.0;
    }
    // Every other row and column: 256 points a tile are plenty to tell a photograph from text.
    let mut mid = vec![0u32; tx];
    let mut tonal = 0usize;
    for (y, row) in flat.data.chunks_exact(w).enumerate().take(ty * TONAL_TILE).step_by(2) {
        for (t, tile) in row.chunks_exact(TONAL_TILE).take(tx).enumerate() {
            mid[t] += tile.iter().step_by(2).filter(|v| MID_TONES.contains(v)).count() as u32;
        }
        if y % TONAL_TILE == TONAL_TILE - 2 {
            let half = (TONAL_TILE * TONAL_TILE / 8) as u32;
            tonal += mid.iter().filter(|&&n| n > half).count();
            mid.fill(0);
        }
    }
    tonal as f64 / (tx * ty) as f64
}

/// Bilinear read of a grey image at continuous coordinates (pixel centres at .5).
fn sample_gray(g: &image::Gray, x: f64, y: f64) -> Option<f32> {
    let (sx, sy) = (x - 0.5, y - 0.5);
    if sx < 0.0 || sy < 0.0 || sx >= f64::from(g.w - 1) || sy >= f64::from(g.h - 1) {
        return None;
    }
    let (x0, y0) = (sx as u32, sy as u32);
    let (fx, fy) = ((sx - f64::from(x0)) as f32, (sy - f64::from(y0)) as f32);
    let p = |xx: u32, yy: u32| f32::from(g.get(xx, yy));
    let top = p(x0, y0) * (1.0 - fx) + p(x0 + 1, y0) * fx;
    let bot = p(x0, y0 + 1) * (1.0 - fx) + p(x0 + 1, y0 + 1) * fx;
    Some(top * (1.0 - fy) + bot * fy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_photograph_makes_a_page_tonal() {
        // Text: thin dark strokes with grey edges on white paper.
        let (w, h) = (640u32, 640u32);
        let mut page = image::Gray::new(w, h, 250);
        for y in (20..h).step_by(24) {
            for x in 0..w {
                let i = (y * w + x) as usize;
                page.data[i] = 20;
                page.data[i + w as usize] = 120;
                page.data[i - w as usize] = 150;
            }
        }
        assert_eq!(tonal_share(&page), 0.0);
        // A 128×160 photograph of smooth mid-tones: 20 of the 400 tiles.
        for y in 0..160 {
            for x in 0..128 {
                page.data[(y * w + x) as usize] = (90 + (x + y) / 4) as u8;
            }
        }
        let share = tonal_share(&page);
        assert!((share - 20.0 / 400.0).abs() < 1e-9, "{share}");
        assert!(share >= MAX_TONAL_FOR_LEVELS);
        assert_eq!(tonal_share(&image::Gray::new(20, 20, 128)), 0.0, "smaller than a tile");
    }

    /// The corners of a `wmm`×`hmm` page `dist` mm in front of a pinhole camera with focal
    /// length `f` px, tilted `tilt` radians about the horizontal axis, in a 4000×3000 photo.
    fn photo_of(wmm: f64, hmm: f64, tilt: f64, f: f64) -> [Pt; 4] {
        let dist = 450.0;
        let corners = [
            [-wmm / 2.0, -hmm / 2.0],
            [wmm / 2.0, -hmm / 2.0],
            [wmm / 2.0, hmm / 2.0],
            [-wmm / 2.0, hmm / 2.0],
        ];
        corners.map(|[x, y]| {
            let (yc, z) = (y * tilt.cos(), dist + y * tilt.sin());
            [2000.0 + f * x / z, 1500.0 + f * yc / z]
        })
    }

    #[test]
    fn a_tilted_a4_is_measured_as_a4_and_an_id_card_as_an_id_card() {
        for (tilt, f) in [(0.1, 0.72 * 4000.0), (0.3, 0.72 * 4000.0), (0.3, 0.8 * 4000.0)] {
            let a4 = true_aspect(&photo_of(210.0, 297.0, tilt, f), 4000, 3000);
            assert!((a4 - 210.0 / 297.0).abs() < 0.03, "A4 at tilt {tilt}: {a4}");
            assert_eq!(classify(a4).0, DocKind::A4);
            let id = true_aspect(&photo_of(85.6, 54.0, tilt, f), 4000, 3000);
            assert_eq!(classify(id).0, DocKind::IdCard, "ID card at tilt {tilt}: {id}");
        }
        // A slightly bent A4 seen at 18° (a generated phone photo, seed 7): its outline alone
        // suggests a 1.33 × long-side focal length and an ID card's shape; the phone lens
        // prior keeps it an A4.
        let bent = [[194.44, 231.08], [1836.48, 355.56], [1571.33, 2320.85], [228.41, 2352.16]];
        assert_eq!(classify(true_aspect(&bent, 4000, 3000)).0, DocKind::A4);
    }
}
