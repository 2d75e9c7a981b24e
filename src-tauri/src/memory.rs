//! Memory the app gives back once its work is done. HoSo runs all day on office PCs with little
//! memory, and making photos into pages takes buffers of tens of megabytes (a 12-megapixel photo
//! is 36 MB of RGB pixels). Measured before this module (`scripts/bench.sh`): after the app had
//! made 20 photos into pages, its process stayed at 229 MiB RSS against 115 MiB idle, for good
//! (pixel buffers kept for the next scan on each of the async runtime's threads, and memory
//! glibc keeps in its arenas once freed).
//!
//! - Pages are made on one thread of their own ([`PageMaker`]). While photos keep coming, its
//!   scans are one [`hoso_scan::batch`] and reuse each other's buffers, as fast as before; once
//!   nothing has come for [`PageMaker::IDLE`], the batch ends and its buffers are freed.
//! - Then, and after a scanned folder has been taken into the archive, [`give_back_freed`]
//!   returns the allocator's free memory to the system.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send>;

/// The thread that makes pages from photos (see the module).
#[derive(Debug)]
pub struct PageMaker {
    jobs: mpsc::Sender<Job>,
}

impl PageMaker {
    /// How long the page maker keeps its buffers after its last photo.
    pub const IDLE: Duration = Duration::from_secs(3);

    /// Starts the thread; it keeps its buffers for `idle` after each job.
    pub fn start(idle: Duration) -> std::io::Result<Self> {
        let (jobs, waiting) = mpsc::channel::<Job>();
        std::thread::Builder::new().name("hoso-pages".into()).spawn(move || {
            // Nothing kept while waiting for the first photo of a run.
            while let Ok(first) = waiting.recv() {
                hoso_scan::batch(|| {
                    first();
                    while let Ok(next) = waiting.recv_timeout(idle) {
                        next();
                    }
                });
                give_back_freed();
            }
        })?;
        Ok(Self { jobs })
    }

    /// Runs `job` on the page-making thread and waits for its result; `None` if it panicked
    /// (the thread carries on with the next job).
    pub fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (done, result) = mpsc::sync_channel(1);
        let job: Job = Box::new(move || {
            if let Ok(r) = std::panic::catch_unwind(AssertUnwindSafe(job)) {
                let _ = done.send(r);
            }
        });
        self.jobs.send(job).ok()?;
        result.recv().ok()
    }
}

/// Returns the allocator's free memory to the system (glibc keeps it otherwise).
#[allow(unsafe_code)]
pub fn give_back_freed() {
    // SAFETY: `malloc_trim` is thread-safe: it locks each arena while it releases its free
    // pages, and only touches memory no allocation holds.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_scan::image::{buffer, kept_bytes, recycle};

    #[test]
    fn photos_in_a_row_share_their_buffers_and_an_idle_page_maker_keeps_none() {
        let maker = PageMaker::start(Duration::from_millis(300)).expect("thread");
        let first = maker.run(|| {
            let b = buffer(4 << 20, 0);
            let at = b.as_ptr() as usize;
            recycle(b);
            at
        });
        // The next photo, straight after: the same run, the same buffer.
        let second = maker.run(|| {
            let b = buffer(4 << 20, 0);
            let at = b.as_ptr() as usize;
            recycle(b);
            (at, kept_bytes())
        });
        assert_eq!(second, Some((first.expect("ran"), 4 << 20)));
        std::thread::sleep(Duration::from_millis(900));
        assert_eq!(maker.run(kept_bytes), Some(0), "idle: the buffers were freed");
    }

    #[test]
    fn a_photo_that_panics_does_not_stop_the_page_maker() {
        let maker = PageMaker::start(Duration::from_millis(50)).expect("thread");
        assert_eq!(maker.run(|| -> u8 { panic!("a broken photo") }), None);
        assert_eq!(maker.run(|| 7), Some(7));
    }
}
