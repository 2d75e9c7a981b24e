//! Perspective correction: every output pixel is looked up in the photo through a homography,
//! with bilinear interpolation. The output-to-photo map is stepped along each row (two additions
//! and one division per pixel).

use crate::geom::{Homography, Pt};
use crate::image::{Gray, Rgb};

/// The map from the output page (continuous pixel coordinates, 0..w × 0..h) to the photo.
pub fn page_to_photo(w: u32, h: u32, corners: &[Pt; 4]) -> Option<Homography> {
    let (w, h) = (f64::from(w), f64::from(h));
    Homography::from_points(&[[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]], corners)
}

/// Samples `src` (C bytes per pixel) for a `w`×`h` output through `m`. The output is walked in
/// tiles of 32×32, so that the photo is read in small neighbourhoods even when the map turns it
/// (an EXIF-rotated photo read row by row would jump a whole photo row per pixel). Measured on
/// 19 photos: 9 % less time than tiles of 64, 2–8 % less than 16, 24 or 128.
fn warp_c<const C: usize>(src: &[u8], sw: u32, sh: u32, w: u32, h: u32, m: &Homography) -> Vec<u8> {
    const TILE: u32 = 32;
    let mut out = crate::image::buffer((w * h) as usize * C, 255);
    let hm = m.0;
    let (swi, shi) = (i64::from(sw), i64::from(sh));
    let stride = sw as usize;
    // Index-space source coordinates of an output pixel centre.
    let map = |x: f64, y: f64| {
        let d = hm[6] * x + hm[7] * y + hm[8];
        ((hm[0] * x + hm[1] * y + hm[2]) / d - 0.5, (hm[3] * x + hm[4] * y + hm[5]) / d - 0.5)
    };
    for ty in (0..h).step_by(TILE as usize) {
        let ty1 = (ty + TILE).min(h);
        for tx in (0..w).step_by(TILE as usize) {
            let tx1 = (tx + TILE).min(w);
            // A homography maps the tile (convex) onto a convex shape: if its corners fall well
            // inside the photo, so does every pixel, and the clamps can be skipped.
            let safe = [(tx, ty), (tx1, ty), (tx, ty1), (tx1, ty1)].iter().all(|&(x, y)| {
                let (sx, sy) = map(f64::from(x), f64::from(y));
                sx >= 1.0 && sy >= 1.0 && sx < f64::from(sw) - 2.0 && sy < f64::from(sh) - 2.0
            });
            for y in ty..ty1 {
                // Within a tile row the perspective divide changes so little (well under 1/100
                // px over 32 px) that exact coordinates at both ends, interpolated linearly in
                // 1/65536 px, are as good as a division per pixel and much cheaper.
                let yc = f64::from(y) + 0.5;
                let (ax, ay) = map(f64::from(tx) + 0.5, yc);
                let n = tx1 - tx;
                let (bx, by) = map(f64::from(tx1) - 0.5, yc);
                let steps = f64::from(n.max(2) - 1);
                let mut sx = (ax * 65536.0) as i64;
                let mut sy = (ay * 65536.0) as i64;
                let dx = ((bx - ax) / steps * 65536.0) as i64;
                let dy = ((by - ay) / steps * 65536.0) as i64;
                let row = &mut out[((y * w + tx) as usize) * C..((y * w + tx1) as usize) * C];
                if safe {
                    // Every pixel's 2×2 neighbourhood is inside the photo.
                    for px in row.chunks_exact_mut(C) {
                        let (qx, qy) = (sx >> 8, sy >> 8); // 1/256 px
                        sx += dx;
                        sy += dy;
                        let i0 = ((qy >> 8) as usize * stride + (qx >> 8) as usize) * C;
                        let top = &src[i0..i0 + 2 * C];
                        let bot = &src[i0 + stride * C..i0 + stride * C + 2 * C];
                        blend::<C>(px, top, bot, (qx & 255) as i32, (qy & 255) as i32);
                    }
                    continue;
                }
                for px in row.chunks_exact_mut(C) {
                    let (qx, qy) = (sx >> 8, sy >> 8); // 1/256 px
                    sx += dx;
                    sy += dy;
                    // Arithmetic shift floors negative values too.
                    let (xi, yi) = (qx >> 8, qy >> 8);
                    if xi < -1 || yi < -1 || xi >= swi || yi >= shi {
                        continue; // outside the photo: white
                    }
                    let cx0 = xi.clamp(0, swi - 1) as usize;
                    let cx1 = (xi + 1).clamp(0, swi - 1) as usize;
                    let r0 = yi.clamp(0, shi - 1) as usize * stride;
                    let r1 = (yi + 1).clamp(0, shi - 1) as usize * stride;
                    let mut top = [0u8; 6];
                    let mut bot = [0u8; 6];
                    top[..C].copy_from_slice(&src[(r0 + cx0) * C..(r0 + cx0 + 1) * C]);
                    top[C..2 * C].copy_from_slice(&src[(r0 + cx1) * C..(r0 + cx1 + 1) * C]);
                    bot[..C].copy_from_slice(&src[(r1 + cx0) * C..(r1 + cx0 + 1) * C]);
                    bot[C..2 * C].copy_from_slice(&src[(r1 + cx1) * C..(r1 + cx1 + 1) * C]);
                    blend::<C>(px, &top, &bot, (qx & 255) as i32, (qy & 255) as i32);
                }
            }
        }
    }
    out
}

/// Bilinear blend of a 2×2 neighbourhood (`top` and `bot`: two pixels of C bytes each) at
/// fractions fx, fy in 1/256. p00·(256−fx) + p01·fx is written as p00·256 + (p01−p00)·fx: the
/// same value with half the multiplications.
#[inline(always)]
fn blend<const C: usize>(px: &mut [u8], top: &[u8], bot: &[u8], fx: i32, fy: i32) {
    for (c, o) in px.iter_mut().enumerate() {
        let (p00, p01) = (i32::from(top[c]), i32::from(top[C + c]));
        let (p10, p11) = (i32::from(bot[c]), i32::from(bot[C + c]));
        let t = (p00 << 8) + (p01 - p00) * fx;
        let b = (p10 << 8) + (p11 - p10) * fx;
        *o = (((t << 8) + (b - t) * fy + (1 << 15)) >> 16) as u8;
    }
}

pub fn warp_gray(src: &Gray, w: u32, h: u32, m: &Homography) -> Gray {
    Gray { w, h, data: warp_c::<1>(&src.data, src.w, src.h, w, h, m) }
}

pub fn warp_rgb(src: &Rgb, w: u32, h: u32, m: &Homography) -> Rgb {
    Rgb { w, h, data: warp_c::<3>(&src.data, src.w, src.h, w, h, m) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_warp_copies_pixels() {
        let src = Gray { w: 4, h: 3, data: (0..12).map(|v| v * 20).collect() };
        let m = page_to_photo(4, 3, &[[0.0, 0.0], [4.0, 0.0], [4.0, 3.0], [0.0, 3.0]]).unwrap();
        assert_eq!(warp_gray(&src, 4, 3, &m).data, src.data);
    }

    #[test]
    fn half_size_warp_samples_between_pixels() {
        // A horizontal ramp: halving the width samples at the midpoint of pixel pairs.
        let src = Gray { w: 4, h: 1, data: vec![0, 100, 200, 250] };
        let m = page_to_photo(2, 1, &[[0.0, 0.0], [4.0, 0.0], [4.0, 1.0], [0.0, 1.0]]).unwrap();
        assert_eq!(warp_gray(&src, 2, 1, &m).data, vec![50, 225]);
    }
}
