//! Which way is up, from the text itself (for photos whose EXIF orientation was lost).
//!
//! Lines of text make the row profile of ink jump between lines and gaps, while the column
//! profile, averaged over many lines, stays smooth: that tells horizontal from vertical text.
//! Up from down: in Vietnamese (and Latin) print, more ink sits above the x-height band than below
//! it — capitals, ascenders and most tone marks (sắc, huyền, hỏi, ngã, the circumflex) are on top,
//! only nặng and descenders below.

use crate::image::Gray;

/// Ink above vs below the x-height band of each text line; > 0 means the page is upright.
fn up_score(ink: &[bool], w: usize, h: usize) -> f64 {
    let rows: Vec<u32> =
        (0..h).map(|y| ink[y * w..(y + 1) * w].iter().filter(|&&b| b).count() as u32).collect();
    let max = rows.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return 0.0;
    }
    let on = (max / 50).max(2);
    let (mut above, mut below) = (0u64, 0u64);
    let mut y = 0;
    while y < h {
        if rows[y] < on {
            y += 1;
            continue;
        }
        let start = y;
        while y < h && rows[y] >= on {
            y += 1;
        }
        let band = &rows[start..y];
        if band.len() < 4 || band.len() > 60 {
            continue;
        }
        let peak = band.iter().copied().max().unwrap_or(0);
        let core: Vec<usize> = (0..band.len()).filter(|&i| band[i] * 2 >= peak).collect();
        let (c0, c1) = (core[0], core[core.len() - 1]);
        above += band[..c0].iter().map(|&v| u64::from(v)).sum::<u64>();
        below += band[c1 + 1..].iter().map(|&v| u64::from(v)).sum::<u64>();
    }
    let t = (above + below) as f64;
    if t == 0.0 { 0.0 } else { (above as f64 - below as f64) / t }
}

fn transpose_cw(ink: &[bool], w: usize, h: usize) -> Vec<bool> {
    // Turned clockwise: new width h, new height w; new(x, y) = old(y, h − 1 − x).
    let mut out = vec![false; w * h];
    for y in 0..w {
        for x in 0..h {
            out[y * h + x] = ink[(h - 1 - x) * w + y];
        }
    }
    out
}

/// Drops ink that belongs to long straight runs (table rules, borders, a booklet's gutter): they
/// are not text and would mislead the profiles.
fn drop_long_runs(ink: &mut [bool], w: usize, h: usize, max_run: usize) {
    let keep = ink.to_vec();
    let mut clear = vec![false; w * h];
    for y in 0..h {
        let mut x = 0;
        while x < w {
            if !keep[y * w + x] {
                x += 1;
                continue;
            }
            let s = x;
            while x < w && keep[y * w + x] {
                x += 1;
            }
            if x - s > max_run {
                clear[y * w + s..y * w + x].iter_mut().for_each(|c| *c = true);
            }
        }
    }
    // Down the columns, row by row (reading a column at a time jumps a row per pixel): the row
    // where each column's current run began.
    let mut began = vec![usize::MAX; w];
    for y in 0..=h {
        for (x, b) in began.iter_mut().enumerate() {
            if y < h && keep[y * w + x] {
                if *b == usize::MAX {
                    *b = y;
                }
            } else if *b != usize::MAX {
                if y - *b > max_run {
                    for yy in *b..y {
                        clear[yy * w + x] = true;
                    }
                }
                *b = usize::MAX;
            }
        }
    }
    for (i, c) in ink.iter_mut().zip(&clear) {
        if *c {
            *i = false;
        }
    }
}

/// Votes of tiles: how many see horizontal lines of text, and how many vertical ones. Between
/// lines of text there are empty rows; columns are rarely empty, because the letters of many
/// lines overlap. So the direction with more empty lines inside the ink's extent is the gaps'.
fn direction_votes(ink: &[bool], w: usize, h: usize) -> (u32, u32) {
    let (tw, th) = (w / 3, h / 4);
    let (mut horiz, mut vert) = (0, 0);
    let empty_share = |p: &[u32]| {
        let (Some(a), Some(b)) = (p.iter().position(|&v| v > 0), p.iter().rposition(|&v| v > 0))
        else {
            return 0.0;
        };
        let span = &p[a..=b];
        span.iter().filter(|&&v| v == 0).count() as f64 / span.len().max(1) as f64
    };
    for ty in 0..4 {
        for tx in 0..3 {
            let (x0, y0) = (tx * tw, ty * th);
            let rows: Vec<u32> = (y0..y0 + th)
                .map(|y| ink[y * w + x0..y * w + x0 + tw].iter().filter(|&&b| b).count() as u32)
                .collect();
            let mut cols = vec![0u32; tw];
            for y in y0..y0 + th {
                for (c, &b) in cols.iter_mut().zip(&ink[y * w + x0..y * w + x0 + tw]) {
                    *c += u32::from(b);
                }
            }
            let n: u32 = rows.iter().sum();
            if (n as usize) < tw * th / 200 {
                continue;
            }
            let (er, ec) = (empty_share(&rows), empty_share(&cols));
            if er > ec + 0.08 {
                horiz += 1;
            } else if ec > er + 0.08 {
                vert += 1;
            }
        }
    }
    (horiz, vert)
}

/// How many quarter turns clockwise make the page upright (0–3), judged from its flattened
/// pixels (paper ≈ 255); 0 when there is too little text to tell. When the camera recorded
/// which way was up (`camera_knew`), only overwhelming evidence overrules it: a dark photo's
/// noise or an ID card's layout can look like sideways or upside-down text.
pub fn upright_turns(flat: &Gray, camera_knew: bool) -> u8 {
    // (tile votes needed beyond the other direction, up-score below which a page is upside down)
    let (margin, flip) = if camera_knew { (5, -0.35) } else { (1, -0.05) };
    let s = flat.shrink(2);
    let (w, h) = (s.w as usize, s.h as usize);
    if w < 32 || h < 32 {
        return 0;
    }
    let mut ink: Vec<bool> = s.data.iter().map(|&v| v < 150).collect();
    drop_long_runs(&mut ink, w, h, 40);
    let n_ink = ink.iter().filter(|&&b| b).count();
    if n_ink < w * h / 400 {
        return 0;
    }
    let (horiz, vert) = direction_votes(&ink, w, h);
    if vert > horiz + margin {
        // Vertical text: turn it clockwise, then see whether it is now upside down.
        let t = transpose_cw(&ink, w, h);
        if up_score(&t, h, w) < -0.05 { 3 } else { 1 }
    } else if up_score(&ink, w, h) < flip {
        2
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of "text" with a little more ink under the x-height band than over it: weak
    /// evidence that the page is upside down.
    fn weakly_upside_down() -> Gray {
        let (w, h) = (800u32, 1100u32);
        let mut g = Gray::new(w, h, 255);
        for y in 60..1040 {
            let r = (y - 60) % 40;
            for x in 60..740 {
                let ink = match r {
                    0..=5 => x % 40 < 4,   // over the band: a few ascenders and marks
                    6..=19 => x % 8 < 4,   // the x-height band
                    20..=25 => x % 40 < 8, // under the band: a few more descenders
                    _ => false,
                };
                if ink {
                    g.data[(y * w + x) as usize] = 0;
                }
            }
        }
        g
    }

    #[test]
    fn weak_evidence_turns_a_page_only_when_the_camera_did_not_say_which_way_was_up() {
        let g = weakly_upside_down();
        assert_eq!(upright_turns(&g, false), 2);
        assert_eq!(upright_turns(&g, true), 0);
    }
}
