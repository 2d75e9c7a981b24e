//! Page encodings, each ready to go into a PDF as is: CCITT Group 4 for black and white (lossless
//! — never JBIG2's lossy symbol matching, which can swap digits), baseline JPEG for grey and
//! colour photographs, four grey levels packed 2 bits per pixel and deflated for grey text
//! pages, and a 4-colour palette packed the same way for text with stamps.

use crate::clean::PALETTE;
use crate::image::{Gray, Rgb};
use serde::Serialize;

/// How the pixels of an encoded page are stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// CCITT T.6 (Group 4), 1 = black, rows byte-aligned: no, `EncodedByteAlign` false.
    G4,
    /// Baseline JPEG, one component.
    JpegGray,
    /// Baseline JPEG, three components.
    JpegRgb,
    /// 2 bits per pixel indices into [`PALETTE`], rows padded to a byte, zlib-deflated.
    Palette4,
    /// 2 bits per pixel grey levels, 0 = black to 3 = white ([`GRAY4_LEVELS`]), rows padded to
    /// a byte, zlib-deflated.
    Gray4,
}

/// The grey levels of a [`Encoding::Gray4`] page's values 0..4: evenly spaced, as a PDF's
/// 2-bit DeviceGray reads them.
pub const GRAY4_LEVELS: [u8; 4] = [0, 85, 170, 255];

const ALL: [Encoding; 5] =
    [Encoding::G4, Encoding::JpegGray, Encoding::JpegRgb, Encoding::Palette4, Encoding::Gray4];

impl Encoding {
    /// The name stored and sent for it (as serde writes it): `g4`, `jpeg_gray`, `jpeg_rgb`,
    /// `palette4`, `gray4`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::G4 => "g4",
            Self::JpegGray => "jpeg_gray",
            Self::JpegRgb => "jpeg_rgb",
            Self::Palette4 => "palette4",
            Self::Gray4 => "gray4",
        }
    }
}

/// An encoding name that is not one of [`Encoding::as_str`]'s.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown page encoding {0:?}")]
pub struct UnknownEncoding(pub String);

impl std::str::FromStr for Encoding {
    type Err = UnknownEncoding;
    fn from_str(s: &str) -> Result<Self, UnknownEncoding> {
        ALL.into_iter().find(|e| e.as_str() == s).ok_or_else(|| UnknownEncoding(s.to_owned()))
    }
}

/// One page's pixels, compressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedPage {
    pub width: u32,
    pub height: u32,
    pub dpi: u32,
    pub encoding: Encoding,
    pub data: Vec<u8>,
}

impl EncodedPage {
    /// The palette of a [`Encoding::Palette4`] page, as RGB triples.
    pub fn palette() -> &'static [[u8; 3]; 4] {
        &PALETTE
    }
}

/// CCITT G4 (T.6) of a bilevel page (`ink` non-zero = black).
///
/// Each row is reduced to its changing elements first, eight pixels at a time, and coded
/// against the row above (walking the page pixel by pixel was most of the encoder's time).
pub fn g4(ink: &[u8], w: u32, h: u32) -> Vec<u8> {
    use fax::{BitWriter, VecWriter, maps};
    let mut out = VecWriter::with_capacity((w * h / 16) as usize);
    let (mut refl, mut cur) = (Vec::new(), Vec::new());
    let mut put = |bits| {
        // VecWriter cannot fail.
        let _ = out.write(bits);
    };
    for row in ink.chunks_exact(w as usize).take(h as usize) {
        changes(row, &mut cur);
        code_row(&cur, &refl, w, &mut put);
        std::mem::swap(&mut refl, &mut cur);
    }
    // End of facsimile block: two EOLs.
    put(maps::EDFB_HALF);
    put(maps::EDFB_HALF);
    out.finish()
}

/// The changing elements of a row: the columns where it turns black (even places in `out`)
/// and where it turns white again (odd places), starting from white. Eight pixels at a time:
/// each byte becomes 0 or 1, and is compared with the pixel before it.
fn changes(row: &[u8], out: &mut Vec<u32>) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    out.clear();
    let mut prev = 0u64; // the last pixel so far, 0 or 1
    let mut words = row.chunks_exact(8);
    let mut x = 0u32;
    for word in words.by_ref() {
        let v = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        // 1 in each byte that is not zero (no carry crosses a byte).
        let ink = ((((v & LOW7) + LOW7) | v) & HIGH) >> 7;
        let mut turns = ink ^ ((ink << 8) | prev);
        prev = ink >> 56;
        while turns != 0 {
            out.push(x + turns.trailing_zeros() / 8);
            turns &= turns - 1;
        }
        x += 8;
    }
    let mut black = prev == 1;
    for &b in words.remainder() {
        if (b != 0) != black {
            out.push(x);
            black = !black;
        }
        x += 1;
    }
}

/// One row in T.6's two-dimensional code, against the changing elements of the row above.
fn code_row(cur: &[u32], refl: &[u32], w: u32, put: &mut impl FnMut(fax::Bits)) {
    use fax::maps::{Mode, mode};
    let mode_bits = |m| mode::encode(m).unwrap_or(fax::Bits { data: 0, len: 0 });
    let at = |v: &[u32], i: usize| v.get(i).copied().unwrap_or(w);
    // a0 starts just before the row (None), on white.
    let mut a0: Option<u32> = None;
    let mut black = false;
    // Indices of the first changing elements past a0, in `cur` and in `refl` (a0 only moves
    // right, so neither goes back).
    let (mut ai, mut ri) = (0, 0);
    loop {
        let past = |x: u32| a0.is_none_or(|a| x > a);
        if a0.is_some_and(|a| a >= w) {
            break;
        }
        while ai < cur.len() && !past(cur[ai]) {
            ai += 1;
        }
        let a1 = at(cur, ai);
        // b1: the first change on the row above past a0 to the colour opposite a0's; b2 the
        // next one.
        while ri < refl.len() && !past(refl[ri]) {
            ri += 1;
        }
        let mut bi = ri;
        if (bi % 2 == 1) != black {
            bi += 1;
        }
        let (b1, b2) = (at(refl, bi), at(refl, bi + 1));
        if b2 < a1 {
            put(mode_bits(Mode::Pass));
            a0 = Some(b2);
        } else if a1.abs_diff(b1) <= 3 {
            put(mode_bits(Mode::Vertical((i64::from(a1) - i64::from(b1)) as i8)));
            a0 = Some(a1);
            black = !black;
            ai += 1;
        } else {
            let a2 = at(cur, ai + 1);
            put(mode_bits(Mode::Horizontal));
            run(put, black, a1 - a0.unwrap_or(0));
            run(put, !black, a2 - a1);
            a0 = Some(a2);
            ai += 2;
        }
    }
}

/// A run of `n` pixels of one colour in Modified Huffman code: make-up codes, then a
/// terminating one.
fn run(put: &mut impl FnMut(fax::Bits), black: bool, mut n: u32) {
    use fax::maps::{black as b, white as wh};
    let table: &[(u16, fax::Bits)] = if black { &b::ENTRIES } else { &wh::ENTRIES };
    // The tables hold the terminating codes 0..=63, then the make-up codes 64, 128, … 2560.
    let mut code = |n: u32| {
        let i = if n >= 64 { 63 + n / 64 } else { n } as usize;
        debug_assert_eq!(table.get(i).map(|e| u32::from(e.0)), Some(n));
        if let Some(&(_, bits)) = table.get(i) {
            put(bits);
        }
    };
    while n >= 2560 {
        code(2560);
        n -= 2560;
    }
    if n >= 64 {
        code(n & !63);
        n &= 63;
    }
    code(n);
}

fn jpeg(data: &[u8], w: u32, h: u32, dpi: u32, quality: u8, colour: bool) -> Vec<u8> {
    use jpeg_encoder::{ColorType, Encoder, PixelDensity, PixelDensityUnit, SamplingFactor};
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, quality);
    enc.set_density(PixelDensity {
        density: (dpi as u16, dpi as u16),
        unit: PixelDensityUnit::Inches,
    });
    enc.set_optimized_huffman_tables(true);
    if colour {
        enc.set_sampling_factor(SamplingFactor::F_2_2);
    }
    let ct = if colour { ColorType::Rgb } else { ColorType::Luma };
    // Pages are far below 65,535 pixels a side; the encoder cannot fail on valid sizes.
    if enc.encode(data, w as u16, h as u16, ct).is_err() {
        out.clear();
    }
    out
}

pub fn jpeg_gray(g: &Gray, dpi: u32, quality: u8) -> Vec<u8> {
    jpeg(&g.data, g.w, g.h, dpi, quality, false)
}

pub fn jpeg_rgb(c: &Rgb, dpi: u32, quality: u8) -> Vec<u8> {
    jpeg(&c.data, c.w, c.h, dpi, quality, true)
}

/// Packs 2-bit values (4 per byte, high bits first, rows padded) and deflates them (zlib): the
/// data of a [`Encoding::Palette4`] or [`Encoding::Gray4`] page.
pub fn pack2(idx: &[u8], w: u32, h: u32) -> Vec<u8> {
    let stride = w.div_ceil(4) as usize;
    let mut packed = vec![0u8; stride * h as usize];
    for (row, out) in idx.chunks_exact(w as usize).zip(packed.chunks_exact_mut(stride)) {
        for (four, o) in row.chunks(4).zip(out.iter_mut()) {
            *o = four.iter().enumerate().fold(0, |b, (i, &v)| b | (v & 3) << (6 - 2 * i));
        }
    }
    // Level 4: a fifth of level 9's time on a page, for 5 % more bytes.
    miniz_oxide::deflate::compress_to_vec_zlib(&packed, 4)
}

/// The grey levels of an encoded page, or `None` if its data cannot be unpacked.
pub fn decode_page(page: &EncodedPage) -> Option<Gray> {
    let (w, h) = (page.width, page.height);
    match page.encoding {
        Encoding::G4 => {
            let mut data = Vec::with_capacity((w * h) as usize);
            fax::decoder::decode_g4(page.data.iter().copied(), w, Some(h), |transitions| {
                let mut colour_black = false;
                let mut x = 0usize;
                let start = data.len();
                for &t in transitions {
                    let t = (t as usize).min(w as usize);
                    data.extend(std::iter::repeat_n(
                        if colour_black { 0 } else { 255 },
                        t.saturating_sub(x),
                    ));
                    x = t.max(x);
                    colour_black = !colour_black;
                }
                data.extend(std::iter::repeat_n(
                    if colour_black { 0 } else { 255 },
                    (w as usize).saturating_sub(x),
                ));
                data.truncate(start + w as usize);
            })?;
            data.resize((w * h) as usize, 255);
            Some(Gray { w, h, data })
        }
        Encoding::JpegGray | Encoding::JpegRgb => {
            crate::decode::decode(&page.data, false).ok().map(|d| d.gray)
        }
        Encoding::Palette4 => {
            let luma = PALETTE.map(|[r, g, b]| {
                ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
            });
            unpack2(&page.data, w, h, &luma)
        }
        Encoding::Gray4 => unpack_gray4(&page.data, w, h),
    }
}

/// The grey levels of a [`Encoding::Gray4`] page's data; `None` if it cannot be unpacked.
pub fn unpack_gray4(zlib: &[u8], w: u32, h: u32) -> Option<Gray> {
    unpack2(zlib, w, h, &GRAY4_LEVELS)
}

/// The grey levels of a [`pack2`]ed page, each index looked up in `levels`.
fn unpack2(zlib: &[u8], w: u32, h: u32, levels: &[u8; 4]) -> Option<Gray> {
    let stride = (w as usize).div_ceil(4);
    // Never more than the page's own size, whatever the data claims.
    let raw =
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(zlib, stride * h as usize).ok()?;
    let mut data = Vec::with_capacity((w * h) as usize);
    for y in 0..h as usize {
        for x in 0..w as usize {
            let index =
                (raw.get(y * stride + x / 4).copied().unwrap_or(0) >> (6 - 2 * (x % 4))) & 3;
            data.push(levels[index as usize]);
        }
    }
    Some(Gray { w, h, data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g4_is_the_same_code_the_fax_crates_encoder_writes() {
        use fax::{Color, VecWriter, encoder::Encoder};
        // Rows of all sorts: paper, solid ink, speckle, text-like runs, ink of any non-zero
        // value, and widths that are not a multiple of eight.
        let mut seed = 12345u32;
        let mut rnd = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            seed >> 16
        };
        for (w, h) in [(1u32, 3u32), (8, 4), (37, 9), (203, 40), (1654, 30)] {
            let mut ink = vec![0u8; (w * h) as usize];
            for y in 0..h {
                for x in 0..w {
                    let i = (y * w + x) as usize;
                    ink[i] = match y % 5 {
                        0 => 0,
                        1 => 1,
                        2 => u8::from(rnd() % 3 == 0) * 255,
                        3 => u8::from((x / 7 + y) % 3 == 0),
                        _ => u8::from(rnd() % 40 == 0),
                    };
                }
            }
            let mut enc = Encoder::new(VecWriter::new());
            for row in ink.chunks_exact(w as usize) {
                let pels = row.iter().map(|&b| if b != 0 { Color::Black } else { Color::White });
                let _ = enc.encode_line(pels, w);
            }
            let theirs = match enc.finish() {
                Ok(wr) => wr.finish(),
                Err(never) => match never {},
            };
            assert_eq!(g4(&ink, w, h), theirs, "{w}×{h}");
        }
    }

    #[test]
    fn g4_round_trips_through_a_decoder() {
        let (w, h) = (37u32, 5u32);
        let ink: Vec<u8> = (0..w * h).map(|i| u8::from((i * 7 + i / w) % 5 < 2)).collect();
        let data = g4(&ink, w, h);
        let mut rows = Vec::new();
        fax::decoder::decode_g4(data.into_iter(), w, Some(h), |transitions| {
            let mut row = vec![false; w as usize];
            let mut colour = false;
            let mut x = 0usize;
            for &t in transitions {
                for p in row.iter_mut().take(t as usize).skip(x) {
                    *p = colour;
                }
                x = t as usize;
                colour = !colour;
            }
            for p in row.iter_mut().skip(x) {
                *p = colour;
            }
            rows.extend(row);
        })
        .expect("valid G4");
        assert_eq!(rows, ink.iter().map(|&b| b != 0).collect::<Vec<bool>>());
    }

    fn page(width: u32, height: u32, encoding: Encoding, data: Vec<u8>) -> EncodedPage {
        EncodedPage { width, height, dpi: 200, encoding, data }
    }

    #[test]
    fn every_encoding_unpacks_to_its_grey_levels() {
        let (w, h) = (37u32, 5u32);
        let ink: Vec<u8> = (0..w * h).map(|i| u8::from((i * 7 + i / w) % 5 < 2)).collect();
        let grey = decode_page(&page(w, h, Encoding::G4, g4(&ink, w, h))).expect("g4");
        assert_eq!(
            grey.data,
            ink.iter().map(|&b| if b != 0 { 0 } else { 255 }).collect::<Vec<u8>>()
        );
        let flat = Gray::new(16, 8, 180);
        let jp = page(16, 8, Encoding::JpegGray, jpeg_gray(&flat, 200, 90));
        let back = decode_page(&jp).expect("jpeg");
        assert!(back.data.iter().all(|&v| v.abs_diff(180) <= 3));
        let idx: Vec<u8> = (0..16 * 8).map(|i| (i % 4) as u8).collect();
        let pal = page(16, 8, Encoding::Palette4, pack2(&idx, 16, 8));
        let back = decode_page(&pal).expect("palette");
        assert_eq!(back.data[0], 255, "index 0 is paper white");
        assert!(decode_page(&EncodedPage { data: vec![1, 2, 3], ..pal }).is_none());
    }

    #[test]
    fn four_grey_levels_unpack_from_black_to_white() {
        let idx: Vec<u8> = (0..16 * 8).map(|i| (i % 4) as u8).collect();
        let back = decode_page(&page(16, 8, Encoding::Gray4, pack2(&idx, 16, 8))).expect("grey");
        let want: Vec<u8> = idx.iter().map(|&i| GRAY4_LEVELS[usize::from(i)]).collect();
        assert_eq!(back.data, want, "index 0 is black, 3 white");
        // Rows whose width is not a multiple of four are padded, and unpack the same.
        let odd: Vec<u8> = (0..37 * 5).map(|i| ((i * 7 + i / 37) % 4) as u8).collect();
        let back = decode_page(&page(37, 5, Encoding::Gray4, pack2(&odd, 37, 5))).expect("odd");
        let want: Vec<u8> = odd.iter().map(|&i| GRAY4_LEVELS[usize::from(i)]).collect();
        assert_eq!(back.data, want);
        assert!(decode_page(&page(16, 8, Encoding::Gray4, vec![1, 2, 3])).is_none(), "not zlib");
        // Data that inflates to more than the page is refused, not unpacked.
        let bomb = page(4, 1, Encoding::Gray4, pack2(&[0; 4000], 4000, 1));
        assert!(decode_page(&bomb).is_none());
    }

    #[test]
    fn encoding_names_are_serde_s_and_parse_back() {
        for e in ALL {
            let json = serde_json::to_value(&e).expect("json");
            assert_eq!(json.as_str(), Some(e.as_str()));
            assert_eq!(e.as_str().parse::<Encoding>(), Ok(e));
        }
        assert!("jbig2".parse::<Encoding>().is_err());
    }

    #[test]
    fn jpeg_carries_its_dpi() {
        let g = Gray::new(16, 16, 200);
        let j = jpeg_gray(&g, 200, 60);
        assert_eq!(&j[..2], &[0xFF, 0xD8]);
        // JFIF: units = 1 (inch), 200 × 200.
        let jfif = j.windows(5).position(|w| w == b"JFIF\0").expect("JFIF header");
        assert_eq!(j[jfif + 7], 1);
        assert_eq!(&j[jfif + 8..jfif + 12], &[0, 200, 0, 200]);
    }
}
