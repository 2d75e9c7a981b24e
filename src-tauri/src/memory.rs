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
//!
//! The support file names the app's processes with their memory ([`processes`]).

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

/// For the support file: this process and the ones it started (the web engine's), each with
/// its name and resident memory in MiB. `null` where it cannot be read (only Linux so far).
pub fn processes() -> serde_json::Value {
    #[cfg(target_os = "linux")]
    {
        let me = std::process::id();
        // A child's parent is the second field after its name (in parentheses) in `stat`.
        let parent = |pid: u32| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse::<u32>().ok()
        };
        let mut pids = vec![me];
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let pid = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok());
            if let Some(pid) = pid.filter(|&p| parent(p) == Some(me)) {
                pids.push(pid);
            }
        }
        let memory = |pid: u32| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let field =
                |name: &str| status.lines().find_map(|l| l.strip_prefix(name)).map(str::trim);
            let kib: u64 = field("VmRSS:")?.split_whitespace().next()?.parse().ok()?;
            Some(serde_json::json!({ "name": field("Name:")?, "rssMiB": kib / 1024 }))
        };
        pids.into_iter().filter_map(memory).collect()
    }
    #[cfg(not(target_os = "linux"))]
    serde_json::Value::Null
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

    #[cfg(target_os = "linux")]
    #[test]
    fn the_support_file_names_this_process_and_its_children_with_their_memory() {
        let mut child = std::process::Command::new("sleep").arg("5").spawn().expect("sleep");
        let list = processes();
        let _ = child.kill();
        let _ = child.wait();
        let list = list.as_array().expect("a list");
        assert!(list[0]["rssMiB"].as_u64().is_some_and(|m| m >= 1), "{list:?}");
        assert!(list.iter().any(|p| p["name"] == "sleep"), "{list:?}");
    }

    #[test]
    fn a_photo_that_panics_does_not_stop_the_page_maker() {
        let maker = PageMaker::start(Duration::from_millis(50)).expect("thread");
        assert_eq!(maker.run(|| -> u8 { panic!("a broken photo") }), None);
        assert_eq!(maker.run(|| 7), Some(7));
    }
}
