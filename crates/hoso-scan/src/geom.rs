//! Points, lines and the homography between a page and its photo.

pub type Pt = [f64; 2];

/// A 3×3 projective map, row-major: (x, y) ↦ ((h0 x + h1 y + h2) / w, (h3 x + h4 y + h5) / w),
/// w = h6 x + h7 y + h8.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography(pub [f64; 9]);

impl Homography {
    /// The map that sends each `from[i]` to `to[i]`; `None` when three points are on a line.
    pub fn from_points(from: &[Pt; 4], to: &[Pt; 4]) -> Option<Self> {
        // Eight equations in h0..h7 with h8 = 1.
        let mut a = [[0f64; 9]; 8];
        for i in 0..4 {
            let [x, y] = from[i];
            let [u, v] = to[i];
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        let h = solve8(a)?;
        Some(Self([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0]))
    }

    pub fn apply(&self, [x, y]: Pt) -> Pt {
        let h = &self.0;
        let w = h[6] * x + h[7] * y + h[8];
        [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w]
    }
}

/// Gaussian elimination with partial pivoting on an 8×9 augmented matrix.
#[allow(clippy::needless_range_loop)] // row operations read one row while writing another
fn solve8(mut a: [[f64; 9]; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let piv = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, piv);
        for row in 0..8 {
            if row != col {
                let f = a[row][col] / a[col][col];
                if f != 0.0 {
                    for k in col..9 {
                        a[row][k] -= f * a[col][k];
                    }
                }
            }
        }
    }
    let mut x = [0f64; 8];
    for i in 0..8 {
        x[i] = a[i][8] / a[i][i];
    }
    Some(x)
}

/// A line as n·p = c with |n| = 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub n: Pt,
    pub c: f64,
}

impl Line {
    pub fn from_angle(theta: f64, rho: f64) -> Self {
        Self { n: [theta.cos(), theta.sin()], c: rho }
    }

    /// Signed distance of p (positive on the side n points to).
    pub fn dist(&self, p: Pt) -> f64 {
        self.n[0] * p[0] + self.n[1] * p[1] - self.c
    }

    pub fn dir(&self) -> Pt {
        [-self.n[1], self.n[0]]
    }

    pub fn intersect(&self, o: &Line) -> Option<Pt> {
        let det = self.n[0] * o.n[1] - self.n[1] * o.n[0];
        if det.abs() < 1e-9 {
            return None;
        }
        Some([(self.c * o.n[1] - self.n[1] * o.c) / det, (self.n[0] * o.c - self.c * o.n[0]) / det])
    }

    /// The total-least-squares line through points, with weights.
    pub fn fit(pts: &[Pt]) -> Option<Self> {
        if pts.len() < 2 {
            return None;
        }
        let n = pts.len() as f64;
        let (mx, my) = pts.iter().fold((0.0, 0.0), |(a, b), p| (a + p[0], b + p[1]));
        let (mx, my) = (mx / n, my / n);
        let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
        for p in pts {
            let (dx, dy) = (p[0] - mx, p[1] - my);
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        // The direction is the principal eigenvector; the normal is perpendicular to it.
        let theta = 0.5 * (2.0 * sxy).atan2(sxx - syy);
        let nrm = [-theta.sin(), theta.cos()];
        Some(Self { n: nrm, c: nrm[0] * mx + nrm[1] * my })
    }
}

/// `x.round() as isize` (halves away from zero) without a call into libm: the x86-64 baseline
/// has no rounding instruction, and the outline search rounds a few hundred thousand times per
/// photo.
pub fn iround(x: f64) -> isize {
    if x >= 0.0 { (x + 0.5) as isize } else { -((0.5 - x) as isize) }
}

pub fn dist(a: Pt, b: Pt) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// Twice the signed area of a polygon (positive when clockwise in image coordinates, y down).
pub fn area2(q: &[Pt; 4]) -> f64 {
    (0..4)
        .map(|i| {
            let (a, b) = (q[i], q[(i + 1) % 4]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum()
}

/// True when the quadrilateral TL, TR, BR, BL is convex and clockwise (y down).
pub fn is_convex(q: &[Pt; 4]) -> bool {
    (0..4).all(|i| {
        let (a, b, c) = (q[i], q[(i + 1) % 4], q[(i + 2) % 4]);
        (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]) > 0.0
    })
}

/// Orders four points as top-left, top-right, bottom-right, bottom-left around their centre.
pub fn order_corners(p: [Pt; 4]) -> [Pt; 4] {
    let cx = p.iter().map(|q| q[0]).sum::<f64>() / 4.0;
    let cy = p.iter().map(|q| q[1]).sum::<f64>() / 4.0;
    let mut v = p.to_vec();
    // Clockwise from the top-left: sort by angle, starting at −135°.
    v.sort_by(|a, b| {
        let ang = |q: &Pt| {
            let t = (q[1] - cy).atan2(q[0] - cx) + 3.0 * std::f64::consts::FRAC_PI_4;
            t.rem_euclid(2.0 * std::f64::consts::PI)
        };
        ang(a).total_cmp(&ang(b))
    });
    [v[0], v[1], v[2], v[3]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_without_libm_rounds_like_round() {
        for i in -4000..=4000 {
            let x = f64::from(i) * 0.125;
            assert_eq!(iround(x), x.round() as isize, "{x}");
        }
        assert_eq!(iround(2.5), 3);
        assert_eq!(iround(-2.5), -3);
        assert_eq!(iround(-0.4), 0);
    }

    #[test]
    fn homography_maps_the_four_points() {
        let from = [[0.0, 0.0], [100.0, 0.0], [100.0, 140.0], [0.0, 140.0]];
        let to = [[12.0, 30.0], [410.0, 51.0], [380.0, 600.0], [20.0, 560.0]];
        let h = Homography::from_points(&from, &to).unwrap();
        for i in 0..4 {
            let p = h.apply(from[i]);
            assert!(dist(p, to[i]) < 1e-6, "{p:?} vs {:?}", to[i]);
        }
    }

    #[test]
    fn lines_fit_and_intersect() {
        let l = Line::fit(&[[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]).unwrap();
        assert!(l.dist([5.0, 6.0]).abs() < 1e-9);
        let m = Line::fit(&[[0.0, 5.0], [1.0, 5.0]]).unwrap();
        let p = l.intersect(&m).unwrap();
        assert!(dist(p, [4.0, 5.0]) < 1e-9);
    }

    #[test]
    fn corners_are_ordered_clockwise_from_top_left() {
        let q = order_corners([[10.0, 90.0], [90.0, 10.0], [5.0, 5.0], [95.0, 95.0]]);
        assert_eq!(q, [[5.0, 5.0], [90.0, 10.0], [95.0, 95.0], [10.0, 90.0]]);
        assert!(is_convex(&q));
        assert!(area2(&q) > 0.0);
    }
}
