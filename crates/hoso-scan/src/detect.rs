//! Finding the document in a photo.
//!
//! On a small copy of the photo (≈ 600 px): thin edges (Sobel, non-maximum suppression), a Hough
//! transform in which each edge pixel votes only near its own gradient direction, and the
//! strongest few dozen lines. Every pair of "horizontal" lines with every pair of "vertical" ones
//! makes a candidate quadrilateral, scored by how much of its outline is a real edge with the same
//! polarity all round (paper brighter than a wooden table, or darker than a white one). Textures
//! — wood grain, a chequered cloth, tiles — make many lines but no closed outline with one
//! polarity, so the page wins. Each side's score is looked up in O(1) from prefix sums computed
//! once per line, so thousands of candidates cost little.
//!
//! The best few dozen outlines by edge support are then weighed by whether paper lies just inside
//! each side (an outline around the page on a chequered cloth has cloth just inside it).
//!
//! The Hough lines are a degree or so coarse, and a chequered cloth's lines pull them: a side
//! can come out askew, inside the page at one end and in the cloth at the other. Each end of each
//! side is then moved on its own, up to 20 pixels either way, to the outermost line along which
//! paper lies just inside and the luma steps across it nearly as often as along the best line.
//!
//! A certificate's printed frame, a few millimetres inside the edge, can out-vote the edge
//! itself; so each side of the winner is then pushed outwards to the last place, within 4 % of
//! the page, where paper still lies just inside and something else just outside.
//!
//! The winner is refined on the full-resolution photo: along each side, the edge is located to a
//! fraction of a pixel on short perpendicular profiles and a line is fitted near each corner; the
//! corners are the intersections (so the rounded corners of an ID card give the corners of its
//! straight edges).

use crate::geom::{Line, Pt, area2, dist, iround, is_convex};
use crate::image::Gray;

/// The small copy's blurred pixels as f32, with bilinear sampling.
struct Plane {
    w: usize,
    h: usize,
    v: Vec<f32>,
}

impl Plane {
    fn at(&self, x: f64, y: f64) -> Option<f32> {
        if x < 0.0 || y < 0.0 || x > (self.w - 1) as f64 || y > (self.h - 1) as f64 {
            return None;
        }
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
        let (fx, fy) = ((x - x0 as f64) as f32, (y - y0 as f64) as f32);
        let p = |xx: usize, yy: usize| self.v[yy * self.w + xx];
        let top = p(x0, y0) * (1.0 - fx) + p(x1, y0) * fx;
        let bot = p(x0, y1) * (1.0 - fx) + p(x1, y1) * fx;
        Some(top * (1.0 - fy) + bot * fy)
    }
}

/// [1 2 1]/4 separable blur, twice.
fn blur(g: &Gray) -> Plane {
    let (w, h) = (g.w as usize, g.h as usize);
    let mut a: Vec<f32> = g.data.iter().map(|&v| f32::from(v)).collect();
    let mut b = vec![0f32; w * h];
    for _ in 0..2 {
        for y in 0..h {
            let r = &a[y * w..(y + 1) * w];
            let o = &mut b[y * w..(y + 1) * w];
            for x in 0..w {
                let l = r[x.saturating_sub(1)];
                let rr = r[(x + 1).min(w - 1)];
                o[x] = 0.25 * l + 0.5 * r[x] + 0.25 * rr;
            }
        }
        for y in 0..h {
            let (yu, yd) = (y.saturating_sub(1), (y + 1).min(h - 1));
            for x in 0..w {
                a[y * w + x] = 0.25 * b[yu * w + x] + 0.5 * b[y * w + x] + 0.25 * b[yd * w + x];
            }
        }
    }
    Plane { w, h, v: a }
}

const THETA_BINS: usize = 180;

/// A candidate line and, along it, prefix counts of points where the luma steps up (+) or down
/// (−) across the line in the direction of its normal.
struct Cand {
    line: Line,
    /// t of the first entry.
    t0: f64,
    pos: Vec<u32>,
    neg: Vec<u32>,
    valid: Vec<u32>,
}

impl Cand {
    fn new(line: Line, p: &Plane) -> Self {
        let diag = ((p.w * p.w + p.h * p.h) as f64).sqrt();
        let t0 = -diag;
        let n = (2.0 * diag) as usize + 1;
        let (d, nn) = (line.dir(), line.n);
        let base = [nn[0] * line.c, nn[1] * line.c];
        let (mut pos, mut neg, mut valid) =
            (Vec::with_capacity(n + 1), Vec::with_capacity(n + 1), Vec::with_capacity(n + 1));
        let (mut cp, mut cn, mut cv) = (0u32, 0u32, 0u32);
        pos.push(0);
        neg.push(0);
        valid.push(0);
        const K: f64 = 2.0;
        const T: f32 = 7.0;
        // The stretch of the line near enough the photo for the samples beside it to fall on
        // it (elsewhere the counts stay as they are).
        let (mut lo, mut hi) = (0.0f64, n as f64);
        for (b0, d0, size) in [(base[0], d[0], p.w), (base[1], d[1], p.h)] {
            let (e0, e1) = (-K - 1.0, size as f64 + K);
            if d0.abs() < 1e-12 {
                if b0 < e0 || b0 > e1 {
                    hi = lo;
                }
                continue;
            }
            let (ta, tb) = ((e0 - b0) / d0 - t0, (e1 - b0) / d0 - t0);
            lo = lo.max(ta.min(tb).floor());
            hi = hi.min(ta.max(tb).ceil() + 1.0);
        }
        let (lo, hi) = (lo.max(0.0) as usize, hi.max(0.0) as usize);
        for i in 0..n {
            let t = t0 + i as f64;
            let (x, y) = (base[0] + t * d[0], base[1] + t * d[1]);
            if (lo..hi).contains(&i)
                && let (Some(a), Some(b)) =
                    (p.at(x + K * nn[0], y + K * nn[1]), p.at(x - K * nn[0], y - K * nn[1]))
            {
                cv += 1;
                let c = a - b;
                if c > T {
                    cp += 1;
                } else if c < -T {
                    cn += 1;
                }
            }
            pos.push(cp);
            neg.push(cn);
            valid.push(cv);
        }
        Self { line, t0, pos, neg, valid }
    }

    fn idx(&self, p: Pt) -> usize {
        let d = self.line.dir();
        let t = p[0] * d[0] + p[1] * d[1];
        (iround(t - self.t0).max(0) as usize).min(self.pos.len() - 1)
    }

    /// (steps up along +n, steps down, points inside the photo) between a and b.
    fn counts(&self, a: Pt, b: Pt) -> (u32, u32, u32) {
        let (i, j) = (self.idx(a), self.idx(b));
        let (i, j) = (i.min(j), i.max(j));
        (self.pos[j] - self.pos[i], self.neg[j] - self.neg[i], self.valid[j] - self.valid[i])
    }
}

/// The document's outline in the small copy, if one is found, with a confidence in 0..1.
pub fn find_quad(g: &Gray) -> Option<([Pt; 4], f64)> {
    let p = blur(g);
    let (w, h) = (p.w, p.h);
    if w < 16 || h < 16 {
        return None;
    }
    // Sobel.
    let mut mag = vec![0f32; w * h];
    // The gradient itself, for its direction where the magnitude passes the threshold (few
    // pixels: the angle is taken only there).
    let mut grad = vec![[0f32; 2]; w * h];
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let v = |dx: isize, dy: isize| {
                p.v[(y as isize + dy) as usize * w + (x as isize + dx) as usize]
            };
            let gx = (v(1, -1) + 2.0 * v(1, 0) + v(1, 1)) - (v(-1, -1) + 2.0 * v(-1, 0) + v(-1, 1));
            let gy = (v(-1, 1) + 2.0 * v(0, 1) + v(1, 1)) - (v(-1, -1) + 2.0 * v(0, -1) + v(1, -1));
            mag[y * w + x] = (gx * gx + gy * gy).sqrt();
            grad[y * w + x] = [gx, gy];
        }
    }
    // Non-maximum suppression along the gradient, and a threshold.
    let thr = nth_positive(&mag, 85)?;
    let thr = thr.max(12.0);
    let diag = ((w * w + h * h) as f64).sqrt();
    let rho_bins = (2.0 * diag) as usize + 2;
    let mut acc = vec![0u32; THETA_BINS * rho_bins];
    let (cos, sin): (Vec<f64>, Vec<f64>) = (0..THETA_BINS)
        .map(|t| {
            let th = t as f64 * std::f64::consts::PI / THETA_BINS as f64;
            (th.cos(), th.sin())
        })
        .unzip();
    for y in 2..h - 2 {
        for x in 2..w - 2 {
            let m = mag[y * w + x];
            if m < thr {
                continue;
            }
            let [gx, gy] = grad[y * w + x];
            // The neighbour along the gradient: each of cos and sin of its angle rounded.
            let step = |g: f32| {
                if g >= 0.5 * m {
                    1
                } else if g <= -0.5 * m {
                    -1
                } else {
                    0
                }
            };
            let (dx, dy) = (step(gx), step(gy));
            let at = |xx: isize, yy: isize| mag[yy as usize * w + xx as usize];
            let (xi, yi) = (x as isize, y as isize);
            if m < at(xi + dx, yi + dy) || m < at(xi - dx, yi - dy) {
                continue;
            }
            // The line's normal is the gradient direction, modulo π.
            let a = gy.atan2(gx);
            // (As rem_euclid would give, without its call to fmod; π itself lands on bin 180,
            // which wraps to 0 below.)
            let a = f64::from(a);
            let th = if a < 0.0 { a + std::f64::consts::PI } else { a };
            let tb = iround(th / std::f64::consts::PI * THETA_BINS as f64);
            for dt in -3..=3 {
                let t = (tb + dt).rem_euclid(THETA_BINS as isize) as usize;
                let rho = x as f64 * cos[t] + y as f64 * sin[t];
                let r = iround(rho + diag) as usize;
                acc[t * rho_bins + r] += 1;
            }
        }
    }
    // The strongest lines: local maxima, strongest first, each keeping others out of its
    // neighbourhood.
    let mut peaks: Vec<(u32, usize, usize)> = Vec::new();
    for t in 0..THETA_BINS {
        for r in 1..rho_bins - 1 {
            let v = acc[t * rho_bins + r];
            if v < 12 || v < acc[t * rho_bins + r - 1] || v < acc[t * rho_bins + r + 1] {
                continue;
            }
            let tp = (t + THETA_BINS - 1) % THETA_BINS;
            let tn = (t + 1) % THETA_BINS;
            // Across the θ wrap, ρ changes sign; the neighbours there are skipped (a line at
            // exactly 0° or 180° is rare and still found at its own bin).
            if (t > 0 && v < acc[tp * rho_bins + r]) || (tn > 0 && v < acc[tn * rho_bins + r]) {
                continue;
            }
            peaks.push((v, t, r));
        }
    }
    peaks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut picked: Vec<(usize, usize)> = Vec::new();
    for &(_, t, r) in &peaks {
        if picked.len() >= 56 {
            break;
        }
        let near = picked.iter().any(|&(pt, pr)| {
            let dt = t.abs_diff(pt).min(THETA_BINS - t.abs_diff(pt));
            let wrapped = t.abs_diff(pt) > THETA_BINS / 2;
            let pr2 = if wrapped { rho_bins - 1 - pr } else { pr };
            dt <= 2 && r.abs_diff(pr2) <= 3
        });
        if !near {
            picked.push((t, r));
        }
    }
    let lines: Vec<Line> = picked
        .iter()
        .map(|&(t, r)| {
            Line::from_angle(t as f64 * std::f64::consts::PI / THETA_BINS as f64, r as f64 - diag)
        })
        .collect();
    let cands: Vec<Cand> = lines.iter().map(|l| Cand::new(*l, &p)).collect();
    let horiz: Vec<usize> =
        (0..cands.len()).filter(|&i| cands[i].line.n[1].abs() > cands[i].line.n[0].abs()).collect();
    let vert: Vec<usize> = (0..cands.len())
        .filter(|&i| cands[i].line.n[1].abs() <= cands[i].line.n[0].abs())
        .collect();

    let img_area = (w * h) as f64;
    let margin = 0.04 * w.max(h) as f64;
    let inside = |q: &Pt| {
        q[0] > -margin && q[1] > -margin && q[0] < w as f64 + margin && q[1] < h as f64 + margin
    };
    // The best outlines by edge support; the paper check below picks among them. Many are
    // kept: on a chequered cloth, dozens of outlines along the cloth's lines can out-vote the
    // one along the page's own edge.
    const KEEP: usize = 64;
    let mut top: Vec<([Pt; 4], f64, f64)> = Vec::with_capacity(KEEP + 1);
    for (ai, &a) in horiz.iter().enumerate() {
        for &b in &horiz[ai + 1..] {
            for (ci, &c) in vert.iter().enumerate() {
                for &d in &vert[ci + 1..] {
                    let (la, lb, lc, ld) = (&cands[a], &cands[b], &cands[c], &cands[d]);
                    let pts = [
                        la.line.intersect(&lc.line),
                        la.line.intersect(&ld.line),
                        lb.line.intersect(&ld.line),
                        lb.line.intersect(&lc.line),
                    ];
                    let [Some(p0), Some(p1), Some(p2), Some(p3)] = pts else { continue };
                    // Order: which horizontal is on top, which vertical on the left.
                    let mut q = [p0, p1, p2, p3];
                    let mut sides = [a, d, b, c]; // top, right, bottom, left
                    if (p0[1] + p1[1]) > (p2[1] + p3[1]) {
                        q = [p3, p2, p1, p0];
                        sides = [b, d, a, c];
                    }
                    if q[0][0] > q[1][0] {
                        q = [q[1], q[0], q[3], q[2]];
                        sides = [sides[0], sides[3], sides[2], sides[1]];
                    }
                    if !is_convex(&q) || !q.iter().all(inside) {
                        continue;
                    }
                    let area = area2(&q) / 2.0;
                    if area < 0.03 * img_area {
                        continue;
                    }
                    let centre = [
                        q.iter().map(|p| p[0]).sum::<f64>() / 4.0,
                        q.iter().map(|p| p[1]).sum::<f64>() / 4.0,
                    ];
                    // For each side: support if the inside is brighter, and if it is darker.
                    let mut bright = 0.0;
                    let mut dark = 0.0;
                    let mut min_b = f64::MAX;
                    let mut min_d = f64::MAX;
                    let mut ok = true;
                    for (k, &s) in sides.iter().enumerate() {
                        let cand = &cands[s];
                        let (u, v) = (q[k], q[(k + 1) % 4]);
                        let (up, down, valid) = cand.counts(u, v);
                        let len = dist(u, v);
                        if f64::from(valid) < 0.5 * len {
                            ok = false;
                            break;
                        }
                        let inside_pos = cand.line.dist(centre) > 0.0;
                        // Stepping along +n from outside to inside is "up" when inside is brighter.
                        let (b_, d_) = if inside_pos { (up, down) } else { (down, up) };
                        let (fb, fd) =
                            (f64::from(b_) / f64::from(valid), f64::from(d_) / f64::from(valid));
                        min_b = min_b.min(fb);
                        min_d = min_d.min(fd);
                        bright += f64::from(b_);
                        dark += f64::from(d_);
                    }
                    if !ok {
                        continue;
                    }
                    let perim: f64 = (0..4).map(|k| dist(q[k], q[(k + 1) % 4])).sum();
                    let (support, min_f) =
                        if bright >= dark { (bright, min_b) } else { (dark, min_d) };
                    if min_f < 0.25 {
                        continue;
                    }
                    let score = support * (0.5 + 0.5 * min_f);
                    let conf = support / perim;
                    if top.len() < KEEP || score > top[top.len() - 1].1 {
                        let at = top.partition_point(|t| t.1 >= score);
                        top.insert(at, (q, score, conf));
                        top.truncate(KEEP);
                    }
                }
            }
        }
    }
    let best = top
        .iter()
        .map(|(q, score, conf)| (q, score * (0.4 + 0.6 * paper_inside(q, &p)), conf))
        .fold(None::<(&[Pt; 4], f64, &f64)>, |b, t| match b {
            Some(b) if b.1 >= t.1 => Some(b),
            _ => Some(t),
        });
    best.map(|(q, _, c)| (widen_to_edge(snap_sides(*q, &p), &p), *c))
}

/// Each side moved (each end on its own, up to `R` pixels either way) to the outermost line
/// along which, nearly as often as along the best one, paper lies just inside and the luma steps
/// the outline's way across it. The lines of a Hough transform are a degree or so coarse, and a
/// chequered cloth's lines pull them; a side found tilted against the page's edge ends inside
/// the page at one end and in the cloth at the other.
fn snap_sides(q: [Pt; 4], p: &Plane) -> [Pt; 4] {
    const M: usize = 64;
    const R: isize = 20;
    const PAD: isize = 4;
    const OFFS: usize = (2 * (R + PAD) + 1) as usize;
    let fs: Vec<f64> = (0..M).map(|i| 0.08 + 0.84 * (i as f64 + 0.5) / M as f64).collect();
    // Per side: the luma on M points along it at offsets -R-PAD..=R+PAD (outwards), NaN off the
    // photo; and the paper's level at each point, the brightest on its inner half.
    let mut strips = Vec::with_capacity(4);
    for k in 0..4 {
        let (a, len, d, n) = side_frame(&q, k);
        let mut strip = vec![f32::NAN; M * OFFS];
        let mut paper = vec![f32::NAN; M];
        for (i, &f) in fs.iter().enumerate() {
            let c = [a[0] + d[0] * len * f, a[1] + d[1] * len * f];
            let row = &mut strip[i * OFFS..(i + 1) * OFFS];
            for (j, v) in row.iter_mut().enumerate() {
                let o = (j as isize - R - PAD) as f64;
                if let Some(l) = p.at(c[0] + n[0] * o, c[1] + n[1] * o) {
                    *v = l;
                }
            }
            paper[i] = row[..=(R + PAD) as usize].iter().copied().fold(f32::NAN, f32::max);
        }
        strips.push((strip, paper));
    }
    // Whether the paper is brighter than what lies around it: its level against the luma
    // beyond the outline (a side found on a printed frame has dark ink just inside it).
    let middle = |mut v: Vec<f32>| -> f32 {
        v.retain(|x| !x.is_nan());
        if v.is_empty() {
            return f32::NAN;
        }
        let m = v.len() / 2;
        *v.select_nth_unstable_by(m, f32::total_cmp).1
    };
    let paper_level = middle(strips.iter().flat_map(|s| s.1.iter().copied()).collect());
    let beyond = middle(
        strips
            .iter()
            .flat_map(|s| s.0.chunks(OFFS).flat_map(|r| r[OFFS - 4..].iter().copied()))
            .collect(),
    );
    let sign = if paper_level >= beyond || beyond.is_nan() { 1.0 } else { -1.0 };
    let mut lines = Vec::with_capacity(4);
    // A line from offset sa to offset sb: its offset at each point, as sa + shift[i] for the
    // difference sb − sa (the same for every side).
    let shifts: Vec<Vec<isize>> = (-2 * R..=2 * R)
        .map(|delta| fs.iter().map(|&f| iround(delta as f64 * f)).collect())
        .collect();
    for (k, (strip, paper)) in strips.iter().enumerate() {
        let (a, len, d, n) = side_frame(&q, k);
        // At each point and offset: does paper lie just inside, and does the luma step the
        // outline's way across it (and by how much)?
        let mut step = vec![0u16; M * OFFS];
        for i in 0..M {
            for j in 3..OFFS - 3 {
                let (inn, out) = (strip[i * OFFS + j - 3], strip[i * OFFS + j + 3]);
                if sign * (inn - out) > 7.0 && inn >= paper[i] - 25.0 {
                    step[i * OFFS + j] = (inn - out).abs().round() as u16;
                }
            }
        }
        // The points along the line where both hold, and the sum of those steps.
        let score = |sa: isize, sb: isize| -> (usize, u32) {
            let shift = &shifts[(sb - sa + 2 * R) as usize];
            let (mut hits, mut contrast) = (0, 0);
            for (i, &d) in shift.iter().enumerate() {
                let c = step[i * OFFS + (sa + d + R + PAD) as usize];
                hits += usize::from(c > 0);
                contrast += u32::from(c);
            }
            (hits, contrast)
        };
        let mut all = Vec::with_capacity(((2 * R + 1) * (2 * R + 1)) as usize);
        for sa in -R..=R {
            for sb in -R..=R {
                let (h, c) = score(sa, sb);
                all.push((h, sa, sb, c));
            }
        }
        // Lines nearly as well supported as the best; of them, the outermost few pixels (a
        // frame's inner edge is as good an edge as the paper's own); of those, the sharpest.
        let top = all.iter().map(|t| t.0).max().unwrap_or(0);
        let floor = (M / 2).max(top.saturating_sub(M / 5));
        let outer = all.iter().filter(|t| t.0 >= floor).map(|t| t.1 + t.2).max();
        let pick = outer.and_then(|o| {
            all.iter().filter(|t| t.0 >= floor && t.1 + t.2 >= o - 6).max_by_key(|t| t.3)
        });
        let (sa, sb) = pick.map_or((0, 0), |t| (t.1, t.2));
        let b = [a[0] + d[0] * len, a[1] + d[1] * len];
        let (pa, pb) = (
            [a[0] + n[0] * sa as f64, a[1] + n[1] * sa as f64],
            [b[0] + n[0] * sb as f64, b[1] + n[1] * sb as f64],
        );
        let l = dist(pa, pb).max(1e-9);
        lines.push((pa, [(pb[0] - pa[0]) / l, (pb[1] - pa[1]) / l]));
    }
    corners_of(q, &lines)
}

/// The corners where consecutive sides (a point and a unit direction each) meet; a corner whose
/// sides are parallel stays where it was in `q`.
fn corners_of(q: [Pt; 4], lines: &[(Pt, Pt)]) -> [Pt; 4] {
    let mut r = q;
    for k in 0..4 {
        let (p1, d1) = lines[(k + 3) % 4];
        let (p2, d2) = lines[k];
        let det = d1[0] * d2[1] - d1[1] * d2[0];
        if det.abs() < 1e-9 {
            continue;
        }
        let t = ((p2[0] - p1[0]) * d2[1] - (p2[1] - p1[1]) * d2[0]) / det;
        r[k] = [p1[0] + d1[0] * t, p1[1] + d1[1] * t];
    }
    r
}

/// The value `pct` % of the way up the positive values of `v` (the k-th smallest, k = n·pct/100),
/// or None when there are none. Positive floats order as their bit patterns do: the top 16 bits
/// pick the bucket the k-th lies in, and only that bucket is sorted.
fn nth_positive(v: &[f32], pct: usize) -> Option<f32> {
    let mut hist = vec![0u32; 1 << 16];
    let mut n = 0usize;
    for &x in v {
        if x > 0.0 {
            hist[(x.to_bits() >> 16) as usize] += 1;
            n += 1;
        }
    }
    if n == 0 {
        return None;
    }
    let mut k = n * pct / 100;
    let mut bucket = 0;
    for (b, &c) in hist.iter().enumerate() {
        if k < c as usize {
            bucket = b;
            break;
        }
        k -= c as usize;
    }
    let mut inside: Vec<f32> =
        v.iter().copied().filter(|&x| x > 0.0 && (x.to_bits() >> 16) as usize == bucket).collect();
    Some(*inside.select_nth_unstable_by(k, f32::total_cmp).1)
}

/// Share of the outline's sides (0..1) with paper just inside them: as bright as the page's
/// own paper. An outline drawn around the page on a chequered cloth has cloth just inside.
fn paper_inside(q: &[Pt; 4], p: &Plane) -> f64 {
    // Bilinear in the outline: (u, v) in 0..1 × 0..1 to the picture.
    let at = |u: f64, v: f64| -> Pt {
        let top = [q[0][0] + (q[1][0] - q[0][0]) * u, q[0][1] + (q[1][1] - q[0][1]) * u];
        let bot = [q[3][0] + (q[2][0] - q[3][0]) * u, q[3][1] + (q[2][1] - q[3][1]) * u];
        [top[0] + (bot[0] - top[0]) * v, top[1] + (bot[1] - top[1]) * v]
    };
    let mut inner: Vec<f32> = Vec::with_capacity(144);
    for i in 0..12 {
        for j in 0..12 {
            let c = at(
                0.12 + 0.76 * (f64::from(i) + 0.5) / 12.0,
                0.12 + 0.76 * (f64::from(j) + 0.5) / 12.0,
            );
            if let Some(v) = p.at(c[0], c[1]) {
                inner.push(v);
            }
        }
    }
    if inner.len() < 72 {
        return 0.0;
    }
    inner.sort_by(f32::total_cmp);
    let paper = f64::from(inner[inner.len() * 8 / 10]);
    let centre = at(0.5, 0.5);
    let mut ok = 0;
    for k in 0..4 {
        let (a, b) = (q[k], q[(k + 1) % 4]);
        let (dx, dy) = ((centre[0] - (a[0] + b[0]) / 2.0), (centre[1] - (a[1] + b[1]) / 2.0));
        let nl = (dx * dx + dy * dy).sqrt().max(1e-9);
        let n = [dx / nl, dy / nl]; // inwards, roughly
        let (mut sum, mut cnt) = (0.0, 0u32);
        for i in 0..32 {
            let f = 0.1 + 0.8 * (f64::from(i) + 0.5) / 32.0;
            let base = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
            for s in [3.0, 4.5, 6.0] {
                if let Some(v) = p.at(base[0] + n[0] * s, base[1] + n[1] * s) {
                    sum += f64::from(v);
                    cnt += 1;
                }
            }
        }
        if cnt > 48 && sum / f64::from(cnt) >= paper - 30.0 {
            ok += 1;
        }
    }
    f64::from(ok) / 4.0
}

/// Side k of an outline (from corner k to corner k + 1): its start, length, unit direction and
/// unit normal pointing out of the outline.
fn side_frame(q: &[Pt; 4], k: usize) -> (Pt, f64, Pt, Pt) {
    let centre =
        [q.iter().map(|c| c[0]).sum::<f64>() / 4.0, q.iter().map(|c| c[1]).sum::<f64>() / 4.0];
    let (a, b) = (q[k], q[(k + 1) % 4]);
    let len = dist(a, b).max(1e-9);
    let d = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
    let mut n = [-d[1], d[0]];
    let mid = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
    if (centre[0] - mid[0]) * n[0] + (centre[1] - mid[1]) * n[1] > 0.0 {
        n = [-n[0], -n[1]];
    }
    (a, len, d, n)
}

/// Moves each side out to the paper's own edge when the outline found is a frame printed a few
/// millimetres inside it (certificates have one; its inner edge steps the same way as the
/// paper's edge and often out-votes it). Along the side, looking outwards: the outermost offset,
/// within 4 % of the page, where the luma just inside is still paper and just outside is not.
fn widen_to_edge(q: [Pt; 4], p: &Plane) -> [Pt; 4] {
    let span = (0..4).map(|k| dist(q[k], q[(k + 1) % 4])).fold(0.0, f64::max);
    let reach = (0.04 * span).max(4.0);
    let mut lines = Vec::with_capacity(4);
    for k in 0..4 {
        let (a, len, d, n) = side_frame(&q, k);
        const N: usize = 64;
        let pts: Vec<Pt> = (0..N)
            .map(|i| {
                let f = 0.1 + 0.8 * (i as f64 + 0.5) / N as f64;
                [a[0] + d[0] * len * f, a[1] + d[1] * len * f]
            })
            .collect();
        // Mean luma along the side, `s` pixels outwards (None when mostly off the photo).
        let mean_at = |s: f64| -> Option<f64> {
            let v: Vec<f32> =
                pts.iter().filter_map(|c| p.at(c[0] + n[0] * s, c[1] + n[1] * s)).collect();
            (v.len() >= N * 3 / 4)
                .then(|| v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len() as f64)
        };
        // Share of points where the luma steps the way `sign` says across offset `s`.
        let steps_at = |s: f64, sign: f64| -> f64 {
            let (mut hit, mut valid) = (0u32, 0usize);
            for c in &pts {
                let i = p.at(c[0] + n[0] * (s - 2.0), c[1] + n[1] * (s - 2.0));
                let o = p.at(c[0] + n[0] * (s + 2.0), c[1] + n[1] * (s + 2.0));
                if let (Some(i), Some(o)) = (i, o) {
                    valid += 1;
                    hit += u32::from(sign * f64::from(i - o) > 7.0);
                }
            }
            if valid < N * 3 / 4 { 0.0 } else { f64::from(hit) / valid as f64 }
        };
        // The paper's level: the brightest of just inside and just outside the side found (the
        // side may be either edge of a printed frame).
        let paper = [-4.0, 2.0, 4.0].into_iter().filter_map(mean_at).fold(f64::MIN, f64::max);
        if paper == f64::MIN {
            lines.push((a, d));
            continue;
        }
        // Offsets where paper ends: paper just inside, something else just outside, and a step
        // along most of the side. The outermost run of them is the edge; within it, the offset
        // of the strongest step.
        let mut out = 0.0;
        let mut run: Option<(f64, f64)> = None; // (offset, contrast) of the best in the last run
        let mut s = 3.0;
        while s <= reach {
            let (Some(inner), Some(outer)) = (mean_at(s - 2.5), mean_at(s + 3.0)) else { break };
            let sign = if inner > outer { 1.0 } else { -1.0 };
            let edge = (inner - paper).abs() < 25.0
                && (outer - paper).abs() > 15.0
                && steps_at(s, sign) >= 0.5;
            if edge {
                let contrast = (inner - outer).abs();
                run = match run {
                    Some((o, c)) if c >= contrast && s - o < 4.0 => Some((o, c)),
                    Some((o, _)) if s - o < 4.0 => Some((s, contrast)),
                    _ => Some((s, contrast)),
                };
                out = run.map_or(0.0, |r| r.0);
            }
            s += 1.0;
        }
        lines.push(([a[0] + n[0] * out, a[1] + n[1] * out], d));
    }
    corners_of(q, &lines)
}

/// Finds the edge near a coarse side to a fraction of a pixel: `sample(x, y)` reads the
/// full-resolution photo (upright coordinates), `reach` is how far from the coarse side to look.
pub fn refine(quad: &[Pt; 4], reach: f64, sample: &dyn Fn(f64, f64) -> Option<f32>) -> [Pt; 4] {
    // For each side, the located edge points with their position along the side (0..1).
    let mut side_pts: Vec<Vec<(f64, Pt)>> = Vec::with_capacity(4);
    for k in 0..4 {
        let (a, len, d, n) = side_frame(quad, k);
        let mut pts = Vec::new();
        const N: usize = 48;
        let step = 0.5;
        let m = (reach / step) as isize;
        for i in 0..N {
            let f = 0.04 + 0.92 * (i as f64 + 0.5) / N as f64;
            let base = [a[0] + d[0] * len * f, a[1] + d[1] * len * f];
            // Smoothed profile along n, averaged over ±1 px along the side.
            let mut prof = Vec::with_capacity((2 * m + 1) as usize);
            let mut ok = true;
            for j in -m..=m {
                let s = j as f64 * step;
                let mut acc = 0.0;
                for dd in [-1.0, 0.0, 1.0] {
                    let x = base[0] + n[0] * s + d[0] * dd;
                    let y = base[1] + n[1] * s + d[1] * dd;
                    match sample(x, y) {
                        Some(v) => acc += f64::from(v),
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
                if !ok {
                    break;
                }
                prof.push(acc / 3.0);
            }
            if !ok || prof.len() < 9 {
                continue;
            }
            // Derivative over ±2 samples (±1 px).
            let der: Vec<f64> = (0..prof.len())
                .map(|j| if j < 2 || j + 2 >= prof.len() { 0.0 } else { prof[j + 2] - prof[j - 2] })
                .collect();
            // The strongest step, in either direction (the quad's polarity is not known here).
            let (jb, vb) = der
                .iter()
                .enumerate()
                .max_by(|x, y| x.1.abs().total_cmp(&y.1.abs()))
                .map(|(j, v)| (j, *v))
                .unwrap_or((0, 0.0));
            if vb.abs() < 8.0 || jb < 3 || jb + 3 >= der.len() {
                continue;
            }
            // Sub-sample peak by a parabola through the neighbours.
            let (l, c, r) = (der[jb - 1].abs(), vb.abs(), der[jb + 1].abs());
            let den = l - 2.0 * c + r;
            let off = if den.abs() > 1e-9 { 0.5 * (l - r) / den } else { 0.0 };
            let s = (jb as f64 - m as f64 + off.clamp(-1.0, 1.0)) * step;
            pts.push((f, [base[0] + n[0] * s, base[1] + n[1] * s]));
        }
        side_pts.push(pts);
    }
    // A robust line through a side's points, optionally only those near one end.
    let fit = |pts: &[(f64, Pt)], lo: f64, hi: f64| -> Option<Line> {
        let mut sel: Vec<Pt> =
            pts.iter().filter(|(f, _)| *f >= lo && *f <= hi).map(|p| p.1).collect();
        if sel.len() < 6 {
            return None;
        }
        let mut line = Line::fit(&sel)?;
        for tol in [4.0, 2.0, 1.2] {
            let kept: Vec<Pt> =
                sel.iter().copied().filter(|p| line.dist(*p).abs() <= tol * reach / 8.0).collect();
            if kept.len() < 5 {
                break;
            }
            sel = kept;
            line = Line::fit(&sel)?;
        }
        Some(line)
    };
    let mut out = *quad;
    for (k, corner) in out.iter_mut().enumerate() {
        // Corner k joins side k−1 (its end) and side k (its start).
        let prev = (k + 3) % 4;
        let l1 = fit(&side_pts[prev], 0.55, 1.0).or_else(|| fit(&side_pts[prev], 0.0, 1.0));
        let l2 = fit(&side_pts[k], 0.0, 0.45).or_else(|| fit(&side_pts[k], 0.0, 1.0));
        if let (Some(l1), Some(l2)) = (l1, l2)
            && let Some(p) = l1.intersect(&l2)
            && dist(p, quad[k]) < 3.0 * reach
        {
            *corner = p;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 600×450 picture of an upright page spanning (x0, y0)–(x1, y1): `page(inset)` gives a
    /// pixel on it from its distance to the nearest edge, `outside(x, y)` one off it.
    fn picture(
        (x0, y0, x1, y1): (f64, f64, f64, f64),
        page: impl Fn(u32, u32, f64) -> u8,
        outside: impl Fn(u32, u32) -> u8,
    ) -> (Gray, [Pt; 4]) {
        let (w, h) = (600u32, 450u32);
        let mut g = Gray::new(w, h, 0);
        for y in 0..h {
            for x in 0..w {
                let (xf, yf) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
                g.data[(y * w + x) as usize] = if xf < x0 || xf > x1 || yf < y0 || yf > y1 {
                    outside(x, y)
                } else {
                    page(x, y, (xf - x0).min(x1 - xf).min(yf - y0).min(y1 - yf))
                };
            }
        }
        (g, [[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    }

    /// A bright page on a dark table, with a certificate's frame (a thick and a thin rule) a
    /// few pixels inside its edge, and a few rows of "text".
    fn framed_page() -> (Gray, [Pt; 4]) {
        let on_page = |x: u32, y: u32, inset: f64| {
            let frame = (8.0..11.0).contains(&inset) || (13.0..14.0).contains(&inset);
            let text = inset > 30.0 && (y % 14 < 3) && (x % 7 < 4);
            if frame || text { 20 } else { 225 }
        };
        picture((150.0, 40.0, 420.0, 420.0), on_page, |_, _| 175)
    }

    #[test]
    fn the_edge_threshold_is_the_same_value_a_full_sort_gives() {
        // Values spread over many buckets, many sharing one bucket, zeros left out.
        let mut v: Vec<f32> = (0..5000).map(|i| ((i * 7919) % 4999) as f32 * 0.37).collect();
        v.extend((0..3000).map(|i| 100.0 + (i % 97) as f32 * 1e-4));
        v.extend([0.0; 700]);
        let mut sorted: Vec<f32> = v.iter().copied().filter(|&x| x > 0.0).collect();
        sorted.sort_by(f32::total_cmp);
        for pct in [0, 10, 50, 85, 99] {
            assert_eq!(nth_positive(&v, pct), Some(sorted[sorted.len() * pct / 100]), "{pct} %");
        }
        assert_eq!(nth_positive(&[0.0, 0.0], 85), None);
    }

    #[test]
    fn paper_lies_inside_the_page_outline_and_cloth_inside_one_drawn_around_it() {
        let (w, h) = (600u32, 450u32);
        let mut g = Gray::new(w, h, 0);
        for y in 0..h {
            for x in 0..w {
                let on_page = (150..420).contains(&x) && (60..400).contains(&y);
                let check = ((x / 12) + (y / 12)) % 2 == 0;
                g.data[(y * w + x) as usize] = if on_page {
                    230
                } else if check {
                    200
                } else {
                    90
                };
            }
        }
        let p = blur(&g);
        let page = [[150.0, 60.0], [420.0, 60.0], [420.0, 400.0], [150.0, 400.0]];
        let around = [[114.0, 24.0], [456.0, 24.0], [456.0, 436.0], [114.0, 436.0]];
        assert_eq!(paper_inside(&page, &p), 1.0);
        assert_eq!(paper_inside(&around, &p), 0.0);
    }

    /// A page with a printed frame 9 px inside its edge on a gingham cloth (12-px squares, white
    /// where the cloth's bands miss, pale where one crosses, coloured where both do).
    fn page_on_gingham() -> (Gray, [Pt; 4]) {
        let on_page = |_, _, inset: f64| if (9.0..11.0).contains(&inset) { 30 } else { 245 };
        let cloth = |x: u32, y: u32| {
            let bands = u8::from((x / 12).is_multiple_of(2)) + u8::from((y / 12).is_multiple_of(2));
            [232, 160, 88][usize::from(bands)]
        };
        picture((150.0, 60.0, 430.0, 400.0), on_page, cloth)
    }

    #[test]
    fn a_side_found_askew_is_laid_along_the_pages_edge() {
        let (g, truth) = page_on_gingham();
        let p = blur(&g);
        // The right side as a coarse Hough line might give it: on the frame at the top, in the
        // cloth at the bottom.
        let mut askew = truth;
        askew[1][0] -= 9.0;
        askew[2][0] += 8.0;
        let q = snap_sides(askew, &p);
        for (c, t) in q.iter().zip(&truth) {
            assert!(dist(*c, *t) < 2.5, "corner {c:?}, page corner {t:?}: {q:?}");
        }
        // A side already on the edge stays there, though the frame and the cloth's lines run
        // beside it.
        for (c, t) in snap_sides(truth, &p).iter().zip(&truth) {
            assert!(dist(*c, *t) < 2.5, "corner {c:?}, page corner {t:?}");
        }
    }

    #[test]
    fn a_frame_printed_inside_the_page_is_not_taken_for_its_edge() {
        let (g, truth) = framed_page();
        let (q, _) = find_quad(&g).expect("a page");
        for (c, t) in q.iter().zip(&truth) {
            assert!(dist(*c, *t) < 4.0, "corner {c:?}, page corner {t:?}: {q:?}");
        }
    }
}
