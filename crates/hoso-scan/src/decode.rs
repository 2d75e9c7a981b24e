//! Bytes in, upright pixels out — with every check made before a large buffer is allocated.
//!
//! The format is recognised from its first bytes (never from a file name). The size is read from
//! the header and refused above [`MAX_PIXELS`] before decoding, so a 50,000 × 50,000 "bomb" costs
//! nothing. JPEG is decoded with zune-jpeg; when only the grey level is needed the chroma planes
//! are not even transformed. PNG, WebP and TIFF go through the `image` crate with allocation
//! limits; HEIC/HEIF through the system's libheif, which also applies the HEIF rotation boxes.

use crate::ScanError;
use crate::image::{Gray, Rgb};

/// The largest photo accepted: 100 megapixels (a 12 MP phone photo is 12).
pub const MAX_PIXELS: u64 = 100_000_000;
/// The largest side accepted, so that a 1 × 100,000,000 strip is refused too.
pub const MAX_SIDE: u32 = 30_000;

/// A recognised container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Tiff,
    Heif,
}

/// Recognises the format from the first bytes, or says it is not an image HoSo reads.
pub fn sniff(bytes: &[u8]) -> Result<Format, ScanError> {
    if bytes.is_empty() {
        return Err(ScanError::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(Format::Webp);
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Ok(Format::Tiff);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        const HEIF_BRANDS: [&[u8; 4]; 8] =
            [b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"];
        if HEIF_BRANDS.iter().any(|b| brand == *b) {
            return Ok(Format::Heif);
        }
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ScanError::NotAnImage("PDF"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(ScanError::NotAnImage("ZIP/DOCX"));
    }
    if bytes.starts_with(b"GIF8") {
        return Err(ScanError::NotAnImage("GIF"));
    }
    Err(ScanError::NotAnImage("unknown"))
}

fn check_size(w: u32, h: u32) -> Result<(), ScanError> {
    if w == 0 || h == 0 {
        return Err(ScanError::Corrupt("the image has no pixels".into()));
    }
    let px = u64::from(w) * u64::from(h);
    if px > MAX_PIXELS || w > MAX_SIDE || h > MAX_SIDE {
        return Err(ScanError::TooLarge { width: w, height: h });
    }
    Ok(())
}

/// The EXIF orientation (1–8) of a JPEG, TIFF, PNG or WebP; 1 when there is none or it is odd.
pub fn exif_orientation(bytes: &[u8]) -> u8 {
    exif_orientation_tag(bytes).unwrap_or(1)
}

/// The EXIF orientation tag (1–8), if the photo has a valid one.
pub fn exif_orientation_tag(bytes: &[u8]) -> Option<u8> {
    let reader = exif::Reader::new();
    let mut cursor = std::io::Cursor::new(bytes);
    let data = reader.read_from_container(&mut cursor).ok()?;
    data.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o))
        .map(|o| o as u8)
}

/// A decoded photo as stored (not yet turned upright: the perspective warp does that for free).
#[derive(Debug)]
pub struct Decoded {
    pub format: Format,
    pub gray: Gray,
    /// Present when colour was asked for.
    pub rgb: Option<Rgb>,
    /// The EXIF orientation to apply (1 when none).
    pub orientation: u8,
    /// The camera recorded which way was up (an EXIF orientation tag, or HEIF's own rotation).
    pub orientation_known: bool,
}

impl Decoded {
    /// The size of the upright photo.
    pub fn upright_size(&self) -> (u32, u32) {
        if matches!(self.orientation, 5..=8) {
            (self.gray.h, self.gray.w)
        } else {
            (self.gray.w, self.gray.h)
        }
    }

    /// Where a point of the upright photo lies in the stored pixels (continuous coordinates,
    /// pixel centres at .5).
    pub fn upright_to_stored(&self, x: f64, y: f64) -> (f64, f64) {
        let (w, h) = (f64::from(self.gray.w), f64::from(self.gray.h));
        match self.orientation {
            2 => (w - x, y),
            3 => (w - x, h - y),
            4 => (x, h - y),
            5 => (y, x),
            6 => (y, h - x),
            7 => (w - y, h - x),
            8 => (w - y, x),
            _ => (x, y),
        }
    }
}

/// Decodes `bytes`; `colour` also keeps the RGB pixels (slower for JPEG).
pub fn decode(bytes: &[u8], colour: bool) -> Result<Decoded, ScanError> {
    let format = sniff(bytes)?;
    let (gray, rgb, tag) = match format {
        Format::Jpeg => {
            let (g, c) = decode_jpeg(bytes, colour)?;
            (g, c, exif_orientation_tag(bytes))
        }
        Format::Png | Format::Webp | Format::Tiff => {
            let (g, c) = decode_generic(bytes, format, colour)?;
            (g, c, exif_orientation_tag(bytes))
        }
        Format::Heif => {
            // libheif has already applied the HEIF rotation: upright as the camera saw it.
            let (g, c) = decode_heif(bytes, colour)?;
            (g, c, Some(1))
        }
    };
    Ok(Decoded {
        format,
        gray,
        rgb,
        orientation: tag.unwrap_or(1),
        orientation_known: tag.is_some(),
    })
}

fn decode_jpeg(bytes: &[u8], colour: bool) -> Result<(Gray, Option<Rgb>), ScanError> {
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;

    // JPEG's own limit is 65,535 a side: read any header, then apply HoSo's limits.
    let opts = DecoderOptions::default()
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX))
        .set_strict_mode(true);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), opts);
    dec.decode_headers().map_err(|e| jpeg_error(&e))?;
    let (w, h) = dec.dimensions().ok_or_else(|| ScanError::Corrupt("no JPEG header".into()))?;
    check_size(w as u32, h as u32)?;
    let out_cs = if colour { ColorSpace::RGB } else { ColorSpace::Luma };
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(
        ZCursor::new(bytes),
        opts.jpeg_set_out_colorspace(out_cs),
    );
    let mut pixels = crate::image::buffer(w * h * if colour { 3 } else { 1 }, 0);
    dec.decode_into(&mut pixels).map_err(|e| jpeg_error(&e))?;
    let (w, h) = (w as u32, h as u32);
    if colour {
        if pixels.len() != (w * h * 3) as usize {
            return Err(ScanError::Corrupt("the JPEG ended early".into()));
        }
        let rgb = Rgb { w, h, data: pixels };
        Ok((rgb.to_gray(), Some(rgb)))
    } else {
        if pixels.len() != (w * h) as usize {
            return Err(ScanError::Corrupt("the JPEG ended early".into()));
        }
        Ok((Gray { w, h, data: pixels }, None))
    }
}

fn jpeg_error(e: &zune_jpeg::errors::DecodeErrors) -> ScanError {
    ScanError::Corrupt(format!("JPEG: {e:?}").chars().take(200).collect())
}

fn decode_generic(
    bytes: &[u8],
    format: Format,
    colour: bool,
) -> Result<(Gray, Option<Rgb>), ScanError> {
    use image::{ImageFormat, ImageReader, Limits};
    let fmt = match format {
        Format::Png => ImageFormat::Png,
        Format::Webp => ImageFormat::WebP,
        _ => ImageFormat::Tiff,
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    // The header alone, without limits, so that an oversized image is reported as such.
    let reader = ImageReader::with_format(std::io::Cursor::new(bytes), fmt);
    let (w, h) = reader.into_dimensions().map_err(|e| image_error(&e))?;
    check_size(w, h)?;
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), fmt);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| image_error(&e))?;
    if colour {
        let rgb = img.into_rgb8();
        let rgb = Rgb { w, h, data: rgb.into_raw() };
        Ok((rgb.to_gray(), Some(rgb)))
    } else {
        let g = img.into_luma8();
        Ok((Gray { w, h, data: g.into_raw() }, None))
    }
}

fn image_error(e: &image::ImageError) -> ScanError {
    match e {
        image::ImageError::Limits(_) => ScanError::TooLarge { width: 0, height: 0 },
        other => ScanError::Corrupt(other.to_string().chars().take(200).collect()),
    }
}

fn decode_heif(bytes: &[u8], colour: bool) -> Result<(Gray, Option<Rgb>), ScanError> {
    use libheif_rs::{ColorSpace, HeifContext, RgbChroma};
    let heif_err = |e: libheif_rs::HeifError| ScanError::Corrupt(format!("HEIF: {}", e.message));
    let ctx = HeifContext::read_from_bytes(bytes).map_err(heif_err)?;
    let handle = ctx.primary_image_handle().map_err(heif_err)?;
    check_size(handle.width(), handle.height())?;
    let img = handle.decode(ColorSpace::Rgb(RgbChroma::Rgb), None).map_err(heif_err)?;
    let planes = img.planes();
    let plane = planes.interleaved.ok_or_else(|| ScanError::Corrupt("HEIF: no pixels".into()))?;
    let (w, h) = (plane.width, plane.height);
    check_size(w, h)?;
    let mut data = Vec::with_capacity((w * h * 3) as usize);
    for row in plane.data.chunks(plane.stride).take(h as usize) {
        data.extend_from_slice(&row[..(w * 3) as usize]);
    }
    let rgb = Rgb { w, h, data };
    let gray = rgb.to_gray();
    Ok((gray, colour.then_some(rgb)))
}
