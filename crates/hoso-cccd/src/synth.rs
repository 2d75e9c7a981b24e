//! A generator of realistic phone photos of the front of a citizen ID card, for tests and the
//! benchmark: fake but consistent card data, its QR code on a card-like image (photo, text bars,
//! a light pattern), placed on a wood-like background at a random size (a quarter of the frame
//! or less), angle and perspective, then uneven light, glare, blur, grain and JPEG, as a 12 MP
//! phone makes them. Everything follows from the seed.

use hoso_scan::geom::Homography;

/// A small deterministic generator (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

/// Province codes the 12-digit number starts with (birth place: not the address's province).
const PROVINCES: [&str; 8] = ["001", "002", "010", "011", "014", "038", "048", "079"];
const SURNAMES: [&str; 10] =
    ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Lò", "Vàng", "Giàng"];
const MIDDLE_M: [&str; 5] = ["Văn", "Hữu", "Đức", "Minh", "A"];
const MIDDLE_F: [&str; 5] = ["Thị", "Ngọc", "Thu", "Thanh", "Thị Thu"];
const GIVEN: [&str; 12] =
    ["An", "Bình", "Chi", "Dũng", "Hoa", "Lan", "Mai", "Nam", "Páo", "Sử", "Tùng", "Yến"];
/// Permanent addresses as cards issued before the 2025 reform print them (with districts).
const PLACES: [&str; 8] = [
    "Thôn 3, xã Tả Van, thị xã Sa Pa, tỉnh Lào Cai",
    "Bản Mường, phường Chiềng Sinh, thành phố Sơn La, tỉnh Sơn La",
    "Số 12 ngõ 45 phố Hào Nam, phường Ô Chợ Dừa, quận Đống Đa, thành phố Hà Nội",
    "Tổ 7, phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng",
    "Ấp Phú Lợi, xã Phú Hòa Đông, huyện Củ Chi, thành phố Hồ Chí Minh",
    "Thôn Lũng Cú, xã Lũng Cú, huyện Đồng Văn, tỉnh Hà Giang",
    "Bản Phiêng Ban, xã Mường Phăng, huyện Điện Biên, tỉnh Điện Biên",
    "Thôn Đông, xã Quảng Ngọc, huyện Quảng Xương, tỉnh Thanh Hóa",
];

/// The text of a fake but consistent card: the number's digits agree with the birth year and
/// sex; cards from 2024 on have 11 fields; half have no old ID.
pub fn card_text(rng: &mut Rng) -> String {
    let code = PROVINCES[rng.below(PROVINCES.len())];
    let woman = rng.below(2) == 1;
    let year = 1950 + rng.below(60) as i32;
    let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
    let century = ((year / 100 - 19) * 2 + i32::from(woman)) as u8;
    let serial = rng.below(1_000_000);
    let id = format!("{code}{century}{:02}{serial:06}", year % 100);
    let old = if rng.below(2) == 0 {
        String::new()
    } else {
        format!("{:09}", rng.next_u64() % 1_000_000_000)
    };
    let middle = if woman { rng.pick(&MIDDLE_F) } else { rng.pick(&MIDDLE_M) };
    let name = format!("{} {} {}", rng.pick(&SURNAMES), middle, rng.pick(&GIVEN));
    let place = rng.pick(&PLACES);
    let issued_year = 2021 + rng.below(5);
    let issued = format!("{:02}{:02}{issued_year}", 1 + rng.below(28), 1 + rng.below(12));
    let sex = if woman { "Nữ" } else { "Nam" };
    let tail = if issued_year >= 2024 { "||||" } else { "" };
    format!("{id}|{old}|{name}|{day:02}{month:02}{year}|{sex}|{place}|{issued}{tail}")
}

/// A grey image, row-major.
struct Canvas {
    w: usize,
    h: usize,
    px: Vec<f32>,
}

impl Canvas {
    fn fill_rect(&mut self, x0: usize, y0: usize, x1: usize, y1: usize, v: f32) {
        for y in y0.min(self.h)..y1.min(self.h) {
            for x in x0.min(self.w)..x1.min(self.w) {
                self.px[y * self.w + x] = v;
            }
        }
    }

    fn sample(&self, x: f64, y: f64) -> Option<f32> {
        if x < 0.0 || y < 0.0 || x >= (self.w - 1) as f64 || y >= (self.h - 1) as f64 {
            return None;
        }
        let (xi, yi) = (x as usize, y as usize);
        let (fx, fy) = ((x - xi as f64) as f32, (y - yi as f64) as f32);
        let i = yi * self.w + xi;
        let top = self.px[i] * (1.0 - fx) + self.px[i + 1] * fx;
        let bot = self.px[i + self.w] * (1.0 - fx) + self.px[i + self.w + 1] * fx;
        Some(top * (1.0 - fy) + bot * fy)
    }

    /// A box blur of radius `r`, twice (close to a Gaussian).
    fn blur(&mut self, r: usize) {
        if r == 0 {
            return;
        }
        for _ in 0..2 {
            for pass in 0..2 {
                let (n, stride, lines, step) = if pass == 0 {
                    (self.w, 1, self.h, self.w)
                } else {
                    (self.h, self.w, self.w, 1)
                };
                let mut line = vec![0f32; n];
                for l in 0..lines {
                    let base = l * step;
                    for (i, v) in line.iter_mut().enumerate() {
                        *v = self.px[base + i * stride];
                    }
                    let mut acc: f32 =
                        (0..=r).map(|i| line[i.min(n - 1)]).sum::<f32>() + line[0] * r as f32;
                    for i in 0..n {
                        self.px[base + i * stride] = acc / (2 * r + 1) as f32;
                        let add = line[(i + r + 1).min(n - 1)];
                        let sub = line[i.saturating_sub(r)];
                        acc += add - sub;
                    }
                }
            }
        }
    }
}

/// The front of a card, 20 px per mm (1712 × 1080), with the QR code of `text`.
fn card(text: &str, rng: &mut Rng) -> Canvas {
    let (w, h) = (1712usize, 1080usize);
    let tint = rng.range(215.0, 245.0) as f32;
    let mut c = Canvas { w, h, px: vec![tint; w * h] };
    // A faint guilloche-like pattern and a header band.
    for y in 0..h {
        for x in 0..w {
            let wave = ((x as f32 * 0.05).sin() + (y as f32 * 0.07 + x as f32 * 0.02).cos()) * 4.0;
            c.px[y * w + x] += wave;
        }
    }
    c.fill_rect(60, 60, 1000, 150, 120.0);
    // The portrait and lines of text.
    c.fill_rect(80, 300, 460, 800, 95.0);
    for i in 0..7 {
        let y = 320 + i * 90;
        let len = 500 + rng.below(500);
        c.fill_rect(520, y, 520 + len, y + 34, 50.0);
    }
    // The QR code, 18–22 mm, top right, on white with its quiet zone.
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .expect("a card's text fits a QR code");
    let n = code.width();
    let colours = code.to_colors();
    let side = rng.range(360.0, 440.0);
    let module = side / n as f64;
    let (qx, qy) = (w as f64 - 80.0 - side, 60.0);
    let quiet = 3.0 * module;
    c.fill_rect(
        (qx - quiet) as usize,
        (qy - quiet).max(0.0) as usize,
        (qx + side + quiet) as usize,
        (qy + side + quiet) as usize,
        245.0,
    );
    for my in 0..n {
        for mx in 0..n {
            if colours[my * n + mx] == qrcode::Color::Dark {
                let x0 = (qx + mx as f64 * module).round() as usize;
                let y0 = (qy + my as f64 * module).round() as usize;
                let x1 = (qx + (mx + 1) as f64 * module).round() as usize;
                let y1 = (qy + (my + 1) as f64 * module).round() as usize;
                c.fill_rect(x0, y0, x1, y1, 25.0);
            }
        }
    }
    c
}

/// How hard a photo is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Difficulty {
    /// What a person holding a phone over a table gets.
    Realistic,
    /// Smaller, blurrier, darker, more glare: the tail of what happens.
    Hard,
}

/// A 4000 × 3000 (12 MP) JPEG phone photo of a card holding `text`.
pub fn card_photo(text: &str, seed: u64, difficulty: Difficulty) -> Vec<u8> {
    card_photo_sized(text, seed, difficulty, 4000, 3000)
}

/// [`card_photo`] at another size (the card's share of the frame stays the same).
pub fn card_photo_sized(
    text: &str,
    seed: u64,
    difficulty: Difficulty,
    w: usize,
    h: usize,
) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let hard = difficulty == Difficulty::Hard;
    let src = card(text, &mut rng);
    // Card size: its long side 25–55 % of the photo's (the card a quarter of the frame or less).
    let long = rng.range(if hard { 0.2 } else { 0.27 }, 0.55) * w as f64;
    let short = long * 54.0 / 85.6;
    let angle = rng.range(0.0, std::f64::consts::TAU);
    let (ca, sa) = (angle.cos(), angle.sin());
    let jitter = if hard { 0.10 } else { 0.06 } * short;
    let offsets: Vec<[f64; 2]> =
        (0..4).map(|_| [rng.range(-jitter, jitter), rng.range(-jitter, jitter)]).collect();
    // The whole card in the frame, as a person photographing it frames it: the centre is drawn
    // again (a bounded number of times, then the middle) until every corner is inside.
    let place = |cx: f64, cy: f64| -> [[f64; 2]; 4] {
        let corner = |i: usize, u: f64, v: f64| {
            let (dx, dy) = ((u - 0.5) * long, (v - 0.5) * short);
            [cx + dx * ca - dy * sa + offsets[i][0], cy + dx * sa + dy * ca + offsets[i][1]]
        };
        [corner(0, 0.0, 0.0), corner(1, 1.0, 0.0), corner(2, 1.0, 1.0), corner(3, 0.0, 1.0)]
    };
    let inside = |q: &[[f64; 2]; 4]| {
        q.iter()
            .all(|p| p[0] > 20.0 && p[1] > 20.0 && p[0] < w as f64 - 20.0 && p[1] < h as f64 - 20.0)
    };
    let mut quad = place(w as f64 / 2.0, h as f64 / 2.0);
    for _ in 0..50 {
        let q = place(rng.range(0.25, 0.75) * w as f64, rng.range(0.25, 0.75) * h as f64);
        if inside(&q) {
            quad = q;
            break;
        }
    }
    let [cx, cy] = [
        quad.iter().map(|p| p[0]).sum::<f64>() / 4.0,
        quad.iter().map(|p| p[1]).sum::<f64>() / 4.0,
    ];
    let (sw, sh) = (src.w as f64, src.h as f64);
    let to_card = Homography::from_points(&quad, &[[0.0, 0.0], [sw, 0.0], [sw, sh], [0.0, sh]])
        .expect("a card's corners are never on one line");
    // Background: wood-like grain.
    let base = rng.range(60.0, 150.0) as f32;
    let (f1, f2) = (rng.range(0.002, 0.01), rng.range(0.03, 0.09));
    let mut img = Canvas { w, h, px: vec![0.0; w * h] };
    for y in 0..h {
        for x in 0..w {
            let grain = ((y as f64 * f1 + (x as f64 * 0.004).sin() * 3.0).sin() * 18.0
                + (y as f64 * f2).sin() * 6.0) as f32;
            let p = [x as f64 + 0.5, y as f64 + 0.5];
            let [u, v] = to_card.apply(p);
            img.px[y * w + x] = src.sample(u, v).unwrap_or(base + grain);
        }
    }
    // Light: a gradient across the frame, then glare, blur and grain.
    let (gx, gy) = (rng.range(-1.0, 1.0), rng.range(-1.0, 1.0));
    let dim = if hard { rng.range(0.45, 0.8) } else { rng.range(0.7, 1.0) };
    let glare = rng.range(20.0, if hard { 110.0 } else { 70.0 });
    let (hx, hy) = (cx + rng.range(-0.4, 0.4) * long, cy + rng.range(-0.4, 0.4) * short);
    let hr = rng.range(0.08, 0.25) * long;
    let sharp = w as f64 / 4000.0;
    for y in 0..h {
        for x in 0..w {
            let g =
                1.0 + 0.25 * (gx * (x as f64 / w as f64 - 0.5) + gy * (y as f64 / h as f64 - 0.5));
            let d2 = ((x as f64 - hx).powi(2) + (y as f64 - hy).powi(2)) / (hr * hr);
            let spot = glare * (-d2).exp();
            let v = &mut img.px[y * w + x];
            *v = (*v as f64 * dim * g + spot) as f32;
        }
    }
    // Blur in proportion to the photo's size (a 12 MP phone's focus blur).
    img.blur((rng.below(if hard { 4 } else { 3 }) as f64 * sharp).round() as usize);
    let noise = if hard { 9.0 } else { 5.0 };
    let mut rgb = Vec::with_capacity(w * h * 3);
    for v in &img.px {
        let n = rng.range(-noise, noise) as f32;
        let g = (v + n).clamp(0.0, 255.0);
        // A warm cast, as under a lamp.
        rgb.extend_from_slice(&[(g * 1.04).min(255.0) as u8, g as u8, (g * 0.93) as u8]);
    }
    let mut out = Vec::new();
    let enc = jpeg_encoder::Encoder::new(&mut out, 88);
    enc.encode(&rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .expect("a 4000 × 3000 JPEG encodes");
    out
}
