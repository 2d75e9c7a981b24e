//! Making the paper white and flat, and the ink black (or its own colour).
//!
//! The paper's brightness is estimated on a grid of 32-px blocks (a high percentile of each
//! block, so text does not count), spread over blocks covered by large dark marks with a 3×3
//! maximum, smoothed, and divided out: shadows, vignetting and a warm lamp vanish. What is left
//! near paper white becomes exactly white — grain is what makes grey pages large — and the ink is
//! stretched to full black.

use crate::image::{Gray, Rgb};

const BLOCK: u32 = 32;

/// The paper's brightness, per block.
#[derive(Debug)]
pub struct Background {
    gw: u32,
    gh: u32,
    level: Vec<f32>,
}

impl Background {
    pub fn estimate(g: &Gray) -> Self {
        let gw = g.w.div_ceil(BLOCK);
        let gh = g.h.div_ceil(BLOCK);
        let mut level = vec![0f32; (gw * gh) as usize];
        // Four histograms per block, filled in turn: paper pixels all land in one bin, and
        // counting them into a single one makes each count wait for the one before.
        let mut hist = vec![[[0u32; 64]; 4]; gw as usize];
        for by in 0..gh {
            hist.iter_mut().for_each(|h| *h = [[0; 64]; 4]);
            let (y0, y1) = (by * BLOCK, ((by + 1) * BLOCK).min(g.h));
            for y in y0..y1 {
                let row = &g.data[(y * g.w) as usize..][..g.w as usize];
                for (bx, chunk) in row.chunks(BLOCK as usize).enumerate() {
                    let [h0, h1, h2, h3] = &mut hist[bx];
                    let mut fours = chunk.chunks_exact(4);
                    for f in fours.by_ref() {
                        h0[(f[0] >> 2) as usize] += 1;
                        h1[(f[1] >> 2) as usize] += 1;
                        h2[(f[2] >> 2) as usize] += 1;
                        h3[(f[3] >> 2) as usize] += 1;
                    }
                    for &v in fours.remainder() {
                        h0[(v >> 2) as usize] += 1;
                    }
                }
            }
            for bx in 0..gw {
                let [h0, h1, h2, h3] = &hist[bx as usize];
                let h: [u32; 64] = std::array::from_fn(|i| h0[i] + h1[i] + h2[i] + h3[i]);
                let total: u32 = h.iter().sum();
                // The 90th percentile from the top: paper, not ink.
                let mut need = total / 10;
                let mut v = 63;
                while v > 0 && h[v] <= need {
                    need -= h[v];
                    v -= 1;
                }
                level[(by * gw + bx) as usize] = (v as f32 * 4.0 + 2.0).max(8.0);
            }
        }
        // Blocks under a large dark mark take their brighter neighbours' level.
        let max3 = |src: &[f32]| {
            let mut out = src.to_vec();
            for y in 0..gh as i64 {
                for x in 0..gw as i64 {
                    let mut m = 0f32;
                    for dy in -1..=1 {
                        for dx in -1..=1 {
                            let (xx, yy) = (x + dx, y + dy);
                            if xx >= 0 && yy >= 0 && xx < gw as i64 && yy < gh as i64 {
                                m = m.max(src[(yy * gw as i64 + xx) as usize]);
                            }
                        }
                    }
                    out[(y * gw as i64 + x) as usize] = m;
                }
            }
            out
        };
        let smooth = |src: &[f32]| {
            let mut out = src.to_vec();
            for y in 0..gh as i64 {
                for x in 0..gw as i64 {
                    let (mut s, mut n) = (0f32, 0f32);
                    for dy in -1..=1 {
                        for dx in -1..=1 {
                            let (xx, yy) = (x + dx, y + dy);
                            if xx >= 0 && yy >= 0 && xx < gw as i64 && yy < gh as i64 {
                                s += src[(yy * gw as i64 + xx) as usize];
                                n += 1.0;
                            }
                        }
                    }
                    out[(y * gw as i64 + x) as usize] = s / n;
                }
            }
            out
        };
        let level = smooth(&smooth(&max3(&level)));
        Self { gw, gh, level }
    }

    /// The grid's width and height in blocks.
    pub fn grid(&self) -> (usize, usize) {
        (self.gw as usize, self.gh as usize)
    }

    /// The paper level of every block, row by row.
    pub fn levels(&self) -> &[f32] {
        &self.level
    }

    /// For each x of a `w`-wide row: the block column on its left and the weight (0..256) of
    /// the one on its right, for interpolating between block centres.
    fn columns(&self, w: u32) -> Vec<(u32, u32)> {
        (0..w)
            .map(|x| {
                let gx = ((2 * x + 1) * 128 / BLOCK) as i64 - 128; // (x + .5) / BLOCK − .5, × 256
                if gx <= 0 {
                    (0, 0)
                } else {
                    let x0 = (gx >> 8) as u32;
                    if x0 + 1 >= self.gw { (self.gw - 1, 0) } else { (x0, (gx & 255) as u32) }
                }
            })
            .collect()
    }

    /// 255 × 2^16 / level at every pixel of row y: the inverse is taken once per block column
    /// and interpolated between block centres (the level changes slowly, so the inverse of the
    /// interpolation and the interpolation of the inverse differ by far less than a grey step).
    fn row_inverse(&self, y: u32, cols: &[(u32, u32)], out: &mut [u32]) {
        let gy = (y as f32 + 0.5) / BLOCK as f32 - 0.5;
        let y0 = gy.max(0.0) as u32;
        let y0 = y0.min(self.gh - 1);
        let y1 = (y0 + 1).min(self.gh - 1);
        let fy = (gy - y0 as f32).clamp(0.0, 1.0);
        let inv: Vec<u32> = (0..self.gw)
            .map(|x| {
                let l = self.level[(y0 * self.gw + x) as usize] * (1.0 - fy)
                    + self.level[(y1 * self.gw + x) as usize] * fy;
                (255.0 * 65536.0 / l.max(1.0)) as u32
            })
            .collect();
        let last = self.gw as usize - 1;
        // Runs of pixels between the same two block centres: two loads per run, not per pixel.
        let mut x = 0;
        for run in cols.chunk_by(|a, b| a.0 == b.0) {
            let x0 = run[0].0 as usize;
            let (a, b) = (inv[x0], inv[(x0 + 1).min(last)]);
            for (o, &(_, f)) in out[x..x + run.len()].iter_mut().zip(run) {
                *o = (a * (256 - f) + b * f) >> 8;
            }
            x += run.len();
        }
    }
}

/// Divides the paper level out: paper ≈ 255 everywhere.
pub fn flatten(g: &Gray, bg: &Background) -> Gray {
    let mut out = crate::image::buffer(g.data.len(), 0);
    let mut inv = vec![0u32; g.w as usize];
    let cols = bg.columns(g.w);
    for y in 0..g.h {
        bg.row_inverse(y, &cols, &mut inv);
        let s = &g.data[(y * g.w) as usize..][..g.w as usize];
        let o = &mut out[(y * g.w) as usize..][..g.w as usize];
        for ((o, &v), &k) in o.iter_mut().zip(s).zip(&inv) {
            *o = ((u32::from(v) * k) >> 16).min(255) as u8;
        }
    }
    Gray { w: g.w, h: g.h, data: out }
}

/// The darkest ink level worth mapping to black: the 0.5th percentile, at most 160.
pub fn ink_level(g: &Gray) -> u8 {
    // Every third pixel is plenty for a percentile.
    let mut hist = [0u64; 256];
    let mut n = 0u64;
    for &v in g.data.iter().step_by(3) {
        hist[v as usize] += 1;
        n += 1;
    }
    let mut need = n / 200;
    for (v, &n) in hist.iter().enumerate() {
        if n > need {
            return (v as u8).min(160);
        }
        need -= n;
    }
    160
}

/// For a grey page: paper above `white` becomes 255, ink stretched to 0, a gentle curve between.
pub fn tone_gray(flat: &Gray, white: u8) -> Gray {
    let lut = tone_lut(flat, white);
    Gray { w: flat.w, h: flat.h, data: flat.data.iter().map(|&v| lut[v as usize]).collect() }
}

/// [`tone_gray`]'s curve for this page, level by level.
fn tone_lut(flat: &Gray, white: u8) -> [u8; 256] {
    let black = ink_level(flat).min(white.saturating_sub(40));
    let mut lut = [0u8; 256];
    for (v, o) in lut.iter_mut().enumerate() {
        let t =
            ((v as f32 - f32::from(black)) / (f32::from(white) - f32::from(black))).clamp(0.0, 1.0);
        // Slightly darken the mid-tones so thin strokes keep their weight.
        *o = (255.0 * t.powf(1.3)).round() as u8;
    }
    lut
}

/// The four-level index of a toned grey level (see [`four_levels`]).
fn four_level(toned: u8) -> u8 {
    match toned {
        0..60 => 0,
        60..150 => 1,
        150..230 => 2,
        _ => 3,
    }
}

/// A flattened page toned as [`tone_gray`] does, in four levels, as indices into
/// [`crate::encode::GRAY4_LEVELS`]: a pixel is paper only when nearly white, and ink already
/// from the dark greys, so thin and faint strokes keep their weight (the cut points were set by
/// the OCR line error of the benchmark corpus). One pass: the curve and the cut are one table.
pub fn four_levels(flat: &Gray, white: u8) -> Vec<u8> {
    let lut = tone_lut(flat, white).map(four_level);
    flat.data.iter().map(|&v| lut[usize::from(v)]).collect()
}

/// A bilevel page: 1 = ink, 0 = paper. Single isolated ink pixels are dropped (they are noise,
/// and cost bytes in G4). The buffer may be given back with [`crate::image::recycle`].
pub fn binarize(flat: &Gray, threshold: u8) -> Vec<u8> {
    let (w, h) = (flat.w as usize, flat.h as usize);
    let mut ink = crate::image::buffer(flat.data.len(), 0);
    for (i, &v) in ink.iter_mut().zip(&flat.data) {
        *i = u8::from(v < threshold);
    }
    if w < 3 {
        return ink;
    }
    // In place: an isolated pixel has no ink neighbour, so clearing it cannot make another
    // pixel isolated. Runs of 16 paper pixels (most of a page) are passed over in one test.
    for y in 1..h.saturating_sub(1) {
        let mut i = y * w + 1;
        let end = (y + 1) * w - 1;
        while i < end {
            if i + 16 <= end && ink[i..i + 16].iter().fold(0, |a, &v| a | v) == 0 {
                i += 16;
                continue;
            }
            if ink[i] != 0
                && (ink[i - 1]
                    | ink[i + 1]
                    | ink[i - w]
                    | ink[i + w]
                    | ink[i - w - 1]
                    | ink[i - w + 1]
                    | ink[i + w - 1]
                    | ink[i + w + 1])
                    == 0
            {
                ink[i] = 0;
            }
            i += 1;
        }
    }
    ink
}

/// The few colours of a colour document page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Paper = 0,
    Black = 1,
    Red = 2,
    Blue = 3,
}

/// The palette of [`Ink`], in order.
pub const PALETTE: [[u8; 3]; 4] = [[255, 255, 255], [20, 20, 20], [200, 30, 40], [30, 50, 170]];

/// Classifies each pixel of a colour page as paper, black, red or blue ink. `flat` is the
/// flattened luma of the same page; colour is judged on the page's RGB divided by its paper level.
#[allow(clippy::needless_range_loop)] // x indexes three parallel buffers
pub fn palette(rgb: &Rgb, flat: &Gray, threshold: u8, bg: &Background) -> (Vec<u8>, [u64; 4]) {
    let w = rgb.w as usize;
    let mut out = vec![0u8; (rgb.w * rgb.h) as usize];
    let mut counts = [0u64; 4];
    let mut inv = vec![0u32; w];
    let cols = bg.columns(rgb.w);
    for y in 0..rgb.h as usize {
        bg.row_inverse(y as u32, &cols, &mut inv);
        for x in 0..w {
            let i = y * w + x;
            let l = flat.data[i];
            if l >= threshold {
                counts[0] += 1;
                continue;
            }
            let k = inv[x];
            let px = &rgb.data[i * 3..i * 3 + 3];
            let c = |v: u8| ((u32::from(v) * k) >> 16).min(255) as i32;
            let (r, g, b) = (c(px[0]), c(px[1]), c(px[2]));
            let ink = if r - g.max(b) > 40 {
                Ink::Red
            } else if b - r > 30 && b - g > 10 {
                Ink::Blue
            } else {
                Ink::Black
            };
            out[i] = ink as u8;
            counts[ink as usize] += 1;
        }
    }
    (out, counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_levels_keep_dark_greys_as_ink_and_only_near_white_as_paper() {
        let cuts: Vec<u8> = [0, 59, 60, 149, 150, 229, 230, 255].map(four_level).to_vec();
        assert_eq!(cuts, [0, 0, 1, 1, 2, 2, 3, 3]);
        // Through the page's curve: the same as toning, then cutting.
        let flat = Gray { w: 256, h: 1, data: (0..=255).collect() };
        let toned: Vec<u8> = tone_gray(&flat, 205).data.into_iter().map(four_level).collect();
        assert_eq!(four_levels(&flat, 205), toned);
        assert_eq!(four_levels(&flat, 205)[205..], [3; 51], "paper is white");
    }

    #[test]
    fn a_shadow_is_flattened_and_ink_stays_dark() {
        // A page whose right half is in shadow (paper 120 instead of 220), with a dark stroke on
        // each half.
        let (w, h) = (256u32, 128u32);
        let mut g = Gray::new(w, h, 0);
        for y in 0..h {
            for x in 0..w {
                let paper = if x < w / 2 { 220.0 } else { 120.0 };
                let ink = (40..44).contains(&(x % 128)) && (20..100).contains(&y);
                g.data[(y * w + x) as usize] = if ink { (paper * 0.3) as u8 } else { paper as u8 };
            }
        }
        let bg = Background::estimate(&g);
        let flat = flatten(&g, &bg);
        // Paper is white on both halves, away from the shadow's edge.
        assert!(flat.get(10, 10) > 245, "{}", flat.get(10, 10));
        assert!(flat.get(240, 10) > 245, "{}", flat.get(240, 10));
        // Both strokes are ink.
        let ink = binarize(&flat, 170);
        assert_eq!(ink[(60 * w + 41) as usize], 1);
        assert_eq!(ink[(60 * w + 169) as usize], 1);
        assert_eq!(ink[(60 * w + 100) as usize], 0);
        assert_eq!(ink[(60 * w + 230) as usize], 0);
    }

    #[test]
    fn specks_are_dropped_wherever_they_fall_in_a_long_row() {
        // Lone specks at every column of a wide page (before, inside and after runs of 16 that
        // are passed over whole), and two-pixel dots beside them that stay.
        let (w, h) = (101u32, 9u32);
        let mut g = Gray::new(w, h, 255);
        for x in 1..w - 1 {
            g.data[(2 * w + x) as usize] = 0; // row 2: a line, kept
        }
        for x in (1..w - 1).step_by(3) {
            g.data[(5 * w + x) as usize] = 0; // row 5: lone specks, dropped
        }
        g.data[(7 * w + 97) as usize] = 0; // a dot near the end, kept
        g.data[(7 * w + 98) as usize] = 0;
        let ink = binarize(&g, 128);
        assert!((1..w - 1).all(|x| ink[(2 * w + x) as usize] == 1));
        assert!(ink[(5 * w) as usize..(6 * w) as usize].iter().all(|&v| v == 0));
        assert_eq!((ink[(7 * w + 97) as usize], ink[(7 * w + 98) as usize]), (1, 1));
        assert_eq!(ink.iter().map(|&v| u32::from(v)).sum::<u32>(), (w - 2) + 2);
    }

    #[test]
    fn a_lone_speck_is_dropped_but_a_dot_kept() {
        let mut g = Gray::new(10, 10, 255);
        g.data[33] = 0; // alone
        g.data[66] = 0;
        g.data[67] = 0; // a two-pixel dot (a diacritic at low resolution)
        let ink = binarize(&g, 128);
        assert_eq!(ink[33], 0);
        assert_eq!((ink[66], ink[67]), (1, 1));
    }
}
