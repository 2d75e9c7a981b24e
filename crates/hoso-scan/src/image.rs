//! Plain pixel buffers: 8-bit grey and interleaved 8-bit RGB, row-major, no padding.

/// An 8-bit grey image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gray {
    pub w: u32,
    pub h: u32,
    pub data: Vec<u8>,
}

/// An 8-bit RGB image, interleaved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rgb {
    pub w: u32,
    pub h: u32,
    pub data: Vec<u8>,
}

/// At most this many bytes of large pixel buffers are kept per thread between the scans of a
/// [`batch`].
const SPARE_BYTES: usize = 48 << 20;

thread_local! {
    /// Large pixel buffers given back during a [`batch`], for its next scan on this thread: their
    /// pages are already mapped, while a fresh 12-megapixel buffer costs the kernel some 3,000
    /// page faults and as many zeroed pages.
    static SPARE: std::cell::RefCell<Vec<Vec<u8>>> = const { std::cell::RefCell::new(Vec::new()) };
    /// How many [`batch`]es this thread is inside.
    static IN_BATCH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Runs `f`, whose scans on this thread reuse each other's large pixel buffers, and frees the
/// buffers kept when it returns. A batch of photos on a worker thread runs in one; a single
/// scan on a thread that lives on (a desktop app's) does not, so the thread keeps no pixels
/// once the page is made: up to [`SPARE_BYTES`] per thread otherwise stayed in the app for
/// good.
pub fn batch<T>(f: impl FnOnce() -> T) -> T {
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            let depth = IN_BATCH.get().saturating_sub(1);
            IN_BATCH.set(depth);
            if depth == 0 {
                SPARE.take();
            }
        }
    }
    IN_BATCH.set(IN_BATCH.get() + 1);
    let _leave = Leave;
    f()
}

/// How many bytes of pixel buffers this thread keeps for its batch's next scan.
pub fn kept_bytes() -> usize {
    SPARE.with_borrow(|s| s.iter().map(Vec::capacity).sum())
}

/// `len` bytes set to `fill`, in a buffer given back by an earlier scan of this thread's
/// [`batch`] when one is large enough.
pub fn buffer(len: usize, fill: u8) -> Vec<u8> {
    let reused = SPARE.with_borrow_mut(|spare| {
        let fits = (0..spare.len())
            .filter(|&i| spare[i].capacity() >= len)
            .min_by_key(|&i| spare[i].capacity());
        fits.map(|i| spare.swap_remove(i))
    });
    match reused {
        Some(mut v) => {
            v.clear();
            v.resize(len, fill);
            v
        }
        None => vec![fill; len],
    }
}

/// Gives a pixel buffer back for the next scan of this thread's [`batch`] (see [`buffer`]).
/// Outside a batch, and for small ones, it is simply freed; beyond [`SPARE_BYTES`] in all, the
/// smallest go.
pub fn recycle(v: Vec<u8>) {
    if v.capacity() < 1 << 20 || IN_BATCH.get() == 0 {
        return;
    }
    SPARE.with_borrow_mut(|spare| {
        spare.push(v);
        spare.sort_by_key(|b| std::cmp::Reverse(b.capacity()));
        let mut total = 0;
        spare.retain(|b| {
            total += b.capacity();
            total <= SPARE_BYTES
        });
    });
}

/// Moves the pixels of a `w`×`h` image of `C` bytes per pixel as EXIF `orientation` says, so that
/// the result is upright. Returns the new width and height.
fn orient<const C: usize>(w: u32, h: u32, src: &[u8], orientation: u8) -> (u32, u32, Vec<u8>) {
    let (w, h) = (w as usize, h as usize);
    let swap = matches!(orientation, 5..=8);
    let (nw, nh) = if swap { (h, w) } else { (w, h) };
    if orientation <= 1 || orientation > 8 {
        return (w as u32, h as u32, src.to_vec());
    }
    let mut out = vec![0u8; src.len()];
    // For every destination pixel (x, y), the source pixel it comes from.
    for y in 0..nh {
        for x in 0..nw {
            let (sx, sy) = match orientation {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (y, h - 1 - x),
                7 => (w - 1 - y, h - 1 - x),
                _ => (w - 1 - y, x), // 8
            };
            let s = (sy * w + sx) * C;
            let d = (y * nw + x) * C;
            out[d..d + C].copy_from_slice(&src[s..s + C]);
        }
    }
    (nw as u32, nh as u32, out)
}

impl Gray {
    pub fn new(w: u32, h: u32, fill: u8) -> Self {
        Self { w, h, data: vec![fill; (w * h) as usize] }
    }

    #[inline]
    pub fn get(&self, x: u32, y: u32) -> u8 {
        self.data[(y * self.w + x) as usize]
    }

    /// Upright per EXIF orientation.
    pub fn oriented(self, orientation: u8) -> Self {
        if orientation <= 1 {
            return self;
        }
        let (w, h, data) = orient::<1>(self.w, self.h, &self.data, orientation);
        Self { w, h, data }
    }

    /// Turned clockwise by `quarter` × 90°.
    pub fn rotated(self, quarter: u8) -> Self {
        match quarter % 4 {
            0 => self,
            1 => self.oriented(6),
            2 => self.oriented(3),
            _ => self.oriented(8),
        }
    }

    /// Averages `f`×`f` blocks (the last partial blocks are dropped). Rows are first summed
    /// column-wise (a loop the compiler vectorises), then each block row once across.
    pub fn shrink(&self, f: u32) -> Self {
        let (nw, nh) = (self.w / f, self.h / f);
        let mut out = vec![0u8; (nw * nh) as usize];
        let used = (nw * f) as usize;
        let mut colsum = vec![0u16; used];
        let area = f * f;
        // Sum → rounded mean, looked up: for the usual small blocks a table of every possible
        // sum costs fewer divisions than one per output pixel.
        let table: Vec<u8> = if 255 * area <= 1 << 16 {
            (0..=255 * area).map(|s| ((s + area / 2) / area) as u8).collect()
        } else {
            Vec::new()
        };
        let mean = |s: u32| match table.get(s as usize) {
            Some(&m) => m,
            None => ((s + area / 2) / area) as u8,
        };
        for by in 0..nh {
            colsum.iter_mut().for_each(|a| *a = 0);
            for y in by * f..(by + 1) * f {
                let row = &self.data[(y * self.w) as usize..][..used];
                for (a, &v) in colsum.iter_mut().zip(row) {
                    *a += u16::from(v);
                }
            }
            for (o, chunk) in out[(by * nw) as usize..][..nw as usize]
                .iter_mut()
                .zip(colsum.chunks_exact(f as usize))
            {
                let s: u32 = chunk.iter().map(|&v| u32::from(v)).sum();
                *o = mean(s);
            }
        }
        Self { w: nw, h: nh, data: out }
    }
}

impl Rgb {
    /// BT.601 luma, as JPEG uses.
    pub fn to_gray(&self) -> Gray {
        let data = self
            .data
            .chunks_exact(3)
            .map(|p| {
                ((19595 * u32::from(p[0])
                    + 38470 * u32::from(p[1])
                    + 7471 * u32::from(p[2])
                    + 32768)
                    >> 16) as u8
            })
            .collect();
        Gray { w: self.w, h: self.h, data }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_a_batch_a_buffer_given_back_is_reused_refilled_and_the_spares_are_bounded() {
        batch(|| {
            let mut first = buffer(3 << 20, 7);
            first[5] = 1;
            let at = first.as_ptr();
            recycle(first);
            // A smaller request reuses it, with every byte set afresh.
            let again = buffer(2 << 20, 255);
            assert_eq!(again.as_ptr(), at, "the same allocation");
            assert_eq!(again.len(), 2 << 20);
            assert!(again.iter().all(|&v| v == 255));
            recycle(again);
            // Small buffers are not kept; the spares never pass the limit.
            recycle(vec![0; 1000]);
            for _ in 0..30 {
                recycle(vec![0; 4 << 20]);
            }
            assert!(kept_bytes() <= SPARE_BYTES, "{} bytes kept", kept_bytes());
            assert!(kept_bytes() >= 4 << 20, "nothing kept for the next scan");
            assert!(SPARE.with_borrow(|s| s.iter().all(|b| b.capacity() >= 1 << 20)));
        });
        assert_eq!(kept_bytes(), 0, "the batch is over: its buffers are freed");
    }

    #[test]
    fn outside_a_batch_nothing_is_kept_and_a_nested_batch_keeps_them_for_the_outer_one() {
        recycle(vec![0; 4 << 20]);
        assert_eq!(kept_bytes(), 0, "a thread that lives on keeps no pixels after a single scan");
        batch(|| {
            batch(|| recycle(vec![0; 4 << 20]));
            assert_eq!(kept_bytes(), 4 << 20, "the outer batch still runs");
        });
        assert_eq!(kept_bytes(), 0);
        // A scan that fails with a panic still leaves the batch.
        let _ = std::panic::catch_unwind(|| batch(|| -> () { panic!("bad photo") }));
        recycle(vec![0; 4 << 20]);
        assert_eq!(kept_bytes(), 0);
    }

    #[test]
    fn orientation_6_turns_clockwise() {
        // 3×2: a b c / d e f  → turned clockwise: d a / e b / f c
        let g = Gray { w: 3, h: 2, data: vec![1, 2, 3, 4, 5, 6] };
        let r = g.oriented(6);
        assert_eq!((r.w, r.h), (2, 3));
        assert_eq!(r.data, vec![4, 1, 5, 2, 6, 3]);
    }

    #[test]
    fn orientation_8_turns_anticlockwise_and_3_half() {
        let g = Gray { w: 3, h: 2, data: vec![1, 2, 3, 4, 5, 6] };
        assert_eq!(g.clone().oriented(8).data, vec![3, 6, 2, 5, 1, 4]);
        assert_eq!(g.clone().oriented(3).data, vec![6, 5, 4, 3, 2, 1]);
        assert_eq!(g.clone().oriented(2).data, vec![3, 2, 1, 6, 5, 4]);
        // Four quarter turns are the identity.
        assert_eq!(g.clone().rotated(1).rotated(1).rotated(1).rotated(1), g);
    }

    #[test]
    fn shrink_averages_blocks() {
        let g = Gray { w: 4, h: 2, data: vec![0, 2, 10, 10, 4, 6, 20, 20] };
        let s = g.shrink(2);
        assert_eq!((s.w, s.h), (2, 1));
        assert_eq!(s.data, vec![3, 15]);
    }
}
