//! Deliberately degraded photos, for the photo-quality warnings' tests and benchmark (feature
//! `synth`). Each degradation stands for one way a phone photo goes wrong; all are
//! deterministic for a seed.

use image::ImageReader;
pub use image::RgbImage;

/// One way a photo goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Degradation {
    /// Out of focus or shaken: a Gaussian blur of σ = 0.13 % of the short side (4 px at 12 MP).
    Blur,
    /// Underexposed: linear light × 0.1, with sensor noise.
    Dark,
    /// A lamp reflected over the page: a bright Gaussian patch (σ = 6 % of the long side, up to
    /// +0.8 in linear light) somewhere in the middle of the page.
    Glare,
    /// A fifth of the page's width (or height) cut off at its right (or bottom) side.
    CutOff,
    /// A third of the pixels each way: a page photographed from three times as far, or by a
    /// low-resolution camera.
    Small,
}

impl Degradation {
    pub const ALL: [Self; 5] = [Self::Blur, Self::Dark, Self::Glare, Self::CutOff, Self::Small];
}

/// The photo decoded and turned upright as its EXIF orientation says.
pub fn upright(bytes: &[u8]) -> image::ImageResult<RgbImage> {
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format()?;
    reader.no_limits();
    let mut decoder = reader.into_decoder()?;
    let orientation = image::ImageDecoder::orientation(&mut decoder)?;
    let mut img = image::DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    Ok(img.to_rgb8())
}

/// JPEG at quality 90, as phones save.
pub fn jpeg(img: &RgbImage) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(img)?;
    Ok(out)
}

fn to_linear(v: u8) -> f32 {
    (f32::from(v) / 255.0).powf(2.2)
}

fn from_linear(v: f32) -> u8 {
    (v.clamp(0.0, 1.0).powf(1.0 / 2.2) * 255.0 + 0.5) as u8
}

/// A small deterministic generator (xorshift) for the noise and the placements.
struct Xorshift(u64);

impl Xorshift {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `img` (upright) degraded by `d`; `page` is the page's bounding box in it (x0, y0, x1, y1).
pub fn degrade(img: &RgbImage, d: Degradation, page: [f64; 4], seed: u64) -> RgbImage {
    let mut rng = Xorshift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let (w, h) = img.dimensions();
    let [x0, y0, x1, y1] = page;
    match d {
        Degradation::Blur => image::imageops::blur(img, 0.0013 * w.min(h) as f32),
        Degradation::Dark => {
            let mut out = img.clone();
            for p in out.pixels_mut() {
                for c in &mut p.0 {
                    let noise = (rng.unit() - 0.5) as f32;
                    *c = from_linear(to_linear(*c) * 0.1 + 0.004 * noise);
                }
            }
            out
        }
        Degradation::Glare => {
            let mut out = img.clone();
            let cx = x0 + (x1 - x0) * (0.3 + 0.4 * rng.unit());
            let cy = y0 + (y1 - y0) * (0.3 + 0.4 * rng.unit());
            let s = 0.06 * f64::from(w.max(h));
            for (x, y, p) in out.enumerate_pixels_mut() {
                let d2 = (f64::from(x) - cx).powi(2) + (f64::from(y) - cy).powi(2);
                let g = (0.8 * (-d2 / (2.0 * s * s)).exp()) as f32;
                if g > 0.002 {
                    for c in &mut p.0 {
                        *c = from_linear(to_linear(*c) + g);
                    }
                }
            }
            out
        }
        Degradation::CutOff => {
            if rng.unit() < 0.5 {
                let x = (x1 - 0.2 * (x1 - x0)).clamp(1.0, f64::from(w)) as u32;
                image::imageops::crop_imm(img, 0, 0, x, h).to_image()
            } else {
                let y = (y1 - 0.2 * (y1 - y0)).clamp(1.0, f64::from(h)) as u32;
                image::imageops::crop_imm(img, 0, 0, w, y).to_image()
            }
        }
        Degradation::Small => image::imageops::resize(
            img,
            (w / 3).max(1),
            (h / 3).max(1),
            image::imageops::FilterType::Triangle,
        ),
    }
}
