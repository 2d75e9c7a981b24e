//! What the benchmark binaries share: a deterministic generator, percentiles, and a map over
//! items on a few threads.

/// A small deterministic generator (xorshift), so every run builds the same data.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[usize::try_from(self.next_u64() % from.len() as u64).unwrap_or(0)]
    }
}

/// The `p`th percentile of sorted values (nearest rank); NaN when there are none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// `f` over every item on `threads` threads (each takes the next item when it is free); the
/// results in the items' order. Each thread is one scan batch ([`hoso_scan::batch`]): the photos
/// it scans reuse each other's pixel buffers, as a batch of the CLI or the archive does.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let out = std::sync::Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| {
                hoso_scan::batch(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        let r = f(i, item);
                        out.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((i, r));
                    }
                });
            });
        }
    });
    let mut out = out.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parallel_map_keeps_the_items_order() {
        let items: Vec<u64> = (0..100).collect();
        assert_eq!(
            parallel_map(&items, 3, |i, v| (i as u64) * 1000 + v * 2),
            (0..100).map(|v| v * 1002).collect::<Vec<_>>()
        );
        assert!(parallel_map(&[] as &[u8], 2, |_, v| *v).is_empty());
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 51.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&v, 100.0), 100.0);
        assert!(percentile(&[], 50.0).is_nan());
        let mut a = Rng(7);
        let mut b = Rng(7);
        assert_eq!(a.next_u64(), b.next_u64());
    }
}
