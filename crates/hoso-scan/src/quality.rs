//! Is this photo good enough to send? Measures taken while the page is made, and the warnings
//! they raise, each worded by the front end with how to retake the photo.
//!
//! - **Blurred**: the width of the page's sharpest edges. A step edge blurred by a Gaussian of
//!   σ pixels has a steepest slope of contrast / (σ·√2π), so σ is read off the 90th percentile
//!   of the slopes of edge pixels and the contrast between paper and ink.
//! - **Too dark**: the paper's own level (the median of the per-block paper estimates) before
//!   it is whitened.
//! - **Glare**: a patch of the paper brighter than the rest of it and (nearly) clipped to white —
//!   a lamp or the sky reflected, which washes out the ink under it. A smooth gradient across
//!   the page is not glare: it is divided out with the other lighting. On paper already near
//!   white a reflection stands out less, so a smaller bump counts where the level clips.
//! - **Cut off**: the paper runs into the photo's edge — a long run of paper-bright pixels
//!   along a side of the photo, on a photo whose other sides show background. The outline
//!   found is then not the page's, so this is the only warning such a photo gets.
//! - **Too small**: the page covers so few of the photo's pixels that it has fewer than
//!   [`MIN_DPI`] of them per inch.

use crate::clean::Background;
use crate::geom::{self, Pt};
use crate::image::Gray;

/// Below this many photo pixels per inch of paper, text gets too soft to read at 200 dpi.
pub const MIN_DPI: f64 = 120.0;
/// Blur σ (page pixels at 200 dpi) above which small print stops being legible.
pub const MAX_BLUR: f64 = 1.9;
/// Paper darker than this level (0–255) before whitening: too dark.
pub const MIN_PAPER: f64 = 110.0;
/// A side of the photo is paper along at least this share of its length: the page runs out.
pub const CUT_RUN: f64 = 0.2;
/// Share of the page's blocks that are a glare patch.
pub const GLARE_SHARE: f64 = 0.02;

/// What was measured, for the benchmark and for tuning; each field feeds one warning.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Measures {
    /// Estimated blur σ of the page's edges, in page pixels.
    pub blur: f64,
    /// The paper's median level before whitening.
    pub paper: f64,
    /// Share of the page's blocks that stand out as a clipped bright patch.
    pub glare: f64,
    /// The longest run of paper along each side of the photo (top, right, bottom, left), as a
    /// share of that side.
    pub edge_runs: [f64; 4],
    /// Photo pixels per inch of paper (0 when no outline was found).
    pub dpi: f64,
}

/// The blur σ of the page's edges, in pixels of `flat` (whitened, paper ≈ 255), given the
/// darkest ink level.
pub fn blur_sigma(flat: &Gray, ink: u8) -> f64 {
    let contrast = 255.0 - f64::from(ink);
    if contrast < 40.0 || flat.w < 3 || flat.h < 3 {
        return 0.0;
    }
    // Slopes over two pixels (central differences), every other row and column.
    let mut hist = [0u32; 256];
    let w = flat.w as usize;
    for y in (1..flat.h as usize - 1).step_by(2) {
        let row = &flat.data[y * w..][..w];
        let up = &flat.data[(y - 1) * w..][..w];
        let down = &flat.data[(y + 1) * w..][..w];
        for x in (1..w - 1).step_by(2) {
            let gx = i32::from(row[x + 1]) - i32::from(row[x - 1]);
            let gy = i32::from(down[x]) - i32::from(up[x]);
            let g = (gx.abs().max(gy.abs()) / 2) as usize;
            hist[g.min(255)] += 1;
        }
    }
    // Edge pixels: slopes of at least a tenth of the contrast.
    let floor = (contrast / 10.0) as usize;
    let edges: u32 = hist[floor..].iter().sum();
    if edges < 200 {
        return 0.0;
    }
    let mut need = edges / 10;
    let mut g90 = floor;
    for g in (floor..256).rev() {
        if hist[g] > need {
            g90 = g;
            break;
        }
        need -= hist[g];
    }
    contrast / (g90.max(1) as f64 * (2.0 * std::f64::consts::PI).sqrt())
}

/// The paper's median level, and the share of blocks in a glare patch: clipped, and far
/// brighter than the smooth lighting across the page (a quadratic surface fitted to the
/// blocks' paper levels, refitted without the blocks that stand out) would make them.
pub fn paper_and_glare(bg: &Background) -> (f64, f64) {
    let levels = bg.levels();
    let (gw, gh) = bg.grid();
    if levels.is_empty() || gw < 3 || gh < 3 {
        return (levels.first().map_or(0.0, |&l| f64::from(l)), 0.0);
    }
    let mut sorted = levels.to_vec();
    sorted.sort_by(f32::total_cmp);
    let median = f64::from(sorted[sorted.len() / 2]);
    let at = |i: usize| {
        let (x, y) = ((i % gw) as f64 / gw as f64 - 0.5, (i / gw) as f64 / gh as f64 - 0.5);
        [1.0, x, y, x * x, x * y, y * y]
    };
    let mut keep = vec![true; levels.len()];
    let mut fit = [0.0; 6];
    for _ in 0..3 {
        let Some(f) = least_squares(levels.len(), &at, &|i| f64::from(levels[i]), &keep) else {
            return (median, 0.0);
        };
        fit = f;
        for (i, k) in keep.iter_mut().enumerate() {
            let model: f64 = at(i).iter().zip(&fit).map(|(a, b)| a * b).sum();
            *k = f64::from(levels[i]) - model < 8.0;
        }
    }
    let glare = (0..levels.len())
        .filter(|&i| {
            let model: f64 = at(i).iter().zip(&fit).map(|(a, b)| a * b).sum();
            let l = f64::from(levels[i]);
            (l >= 246.0 && l - model >= 12.0) || (l >= 250.0 && l - model >= 6.0)
        })
        .count();
    (median, glare as f64 / levels.len() as f64)
}

/// Least squares over the points `i < n` with `keep[i]`: the six coefficients `c` that best
/// give `value(i) ≈ Σ c·terms(i)`; `None` when they are not determined.
fn least_squares(
    n: usize,
    terms: &dyn Fn(usize) -> [f64; 6],
    value: &dyn Fn(usize) -> f64,
    keep: &[bool],
) -> Option<[f64; 6]> {
    // Normal equations, solved by Gaussian elimination with partial pivoting.
    let mut a = [[0.0f64; 7]; 6];
    for i in (0..n).filter(|&i| keep[i]) {
        let t = terms(i);
        let v = value(i);
        for r in 0..6 {
            for c in 0..6 {
                a[r][c] += t[r] * t[c];
            }
            a[r][6] += t[r] * v;
        }
    }
    for col in 0..6 {
        let pivot = (col..6).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-9 {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col];
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (x, p) in row.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= f * p;
                }
            }
        }
    }
    let mut out = [0.0; 6];
    for (r, o) in out.iter_mut().enumerate() {
        *o = a[r][6] / a[r][r];
    }
    Some(out)
}

/// For each side of `small` (top, right, bottom, left): the longest run of pixels at least as
/// bright as `paper` − 12 %, as a share of the side's length.
pub fn edge_runs(small: &Gray, paper: f64) -> [f64; 4] {
    let (w, h) = (small.w, small.h);
    if w < 2 || h < 2 {
        return [0.0; 4];
    }
    let bright = (paper * 0.88).max(70.0);
    // A run goes on over a few dark pixels: a line of text printed across the cut.
    const GAP: u32 = 6;
    let run = |pixels: &mut dyn Iterator<Item = u8>, len: u32| {
        let (mut best, mut start, mut dark) = (0u32, None::<u32>, 0u32);
        for (i, v) in (0u32..).zip(pixels) {
            if f64::from(v) >= bright {
                let s = *start.get_or_insert(i);
                dark = 0;
                best = best.max(i + 1 - s);
            } else {
                dark += 1;
                if dark > GAP {
                    start = None;
                }
            }
        }
        f64::from(best) / f64::from(len)
    };
    // One pixel in from the edge: the outermost row may carry the encoder's edge artefacts.
    [
        run(&mut (0..w).map(|x| small.get(x, 1)), w),
        run(&mut (0..h).map(|y| small.get(w - 2, y)), h),
        run(&mut (0..w).map(|x| small.get(x, h - 2)), w),
        run(&mut (0..h).map(|y| small.get(1, y)), h),
    ]
}

/// Photo pixels per inch of paper for an outline `q` of a page `wmm`×`hmm` millimetres.
pub fn dpi_of(q: &[Pt; 4], wmm: f64, hmm: f64) -> f64 {
    let wq = (geom::dist(q[0], q[1]) + geom::dist(q[3], q[2])) / 2.0;
    let hq = (geom::dist(q[0], q[3]) + geom::dist(q[1], q[2])) / 2.0;
    (wq / wmm + hq / hmm) / 2.0 * 25.4
}

/// Whether the paper runs out of the photo: some side is paper along a long stretch, but not
/// every side (then the table is as bright as the paper, or the page fills the frame and its
/// outline was found inside it).
pub fn cut_off(runs: &[f64; 4], found: bool) -> bool {
    let long = runs.iter().filter(|&&r| r >= CUT_RUN).count();
    long > 0 && (long < 4 || !found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_recovers_a_quadratic_and_ignores_what_is_left_out() {
        let want = [200.0, 10.0, -5.0, 3.0, 2.0, -1.0];
        let terms = |i: usize| {
            let (x, y) = ((i % 7) as f64 / 7.0 - 0.5, (i / 7) as f64 / 7.0 - 0.5);
            [1.0, x, y, x * x, x * y, y * y]
        };
        let value = |i: usize| {
            let t = terms(i);
            // Point 24 is an outlier, left out below.
            t.iter().zip(&want).map(|(a, b)| a * b).sum::<f64>() + if i == 24 { 50.0 } else { 0.0 }
        };
        let mut keep = vec![true; 49];
        keep[24] = false;
        let got = least_squares(49, &terms, &value, &keep).expect("determined");
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() < 1e-6, "{got:?}");
        }
        assert_eq!(least_squares(49, &terms, &value, &[false; 49]), None);
    }

    #[test]
    fn a_page_runs_out_when_some_sides_are_paper_but_not_all() {
        assert!(!cut_off(&[0.0, 0.1, 0.0, 0.0], true));
        assert!(cut_off(&[0.0, 0.5, 0.0, 0.0], true));
        assert!(cut_off(&[0.3, 0.5, 0.0, 0.0], false));
        // A white table around a page whose outline was found: not cut.
        assert!(!cut_off(&[0.9, 0.9, 0.9, 0.9], true));
        assert!(cut_off(&[0.9, 0.9, 0.9, 0.9], false));
    }
}
