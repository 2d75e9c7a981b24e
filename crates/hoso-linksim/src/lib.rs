//! A weak mobile link in a box, for fault tests and the send benchmark.
//!
//! `Link` listens on 127.0.0.1 and forwards every connection to an upstream address, through a
//! shared uplink and downlink of limited bandwidth with a one-way delay. It can cut every open
//! connection when the uplink has carried given byte counts ("the link dropped"), refuse
//! connections while "down", drop the answer to a request that matches (the request arrives,
//! its answer is lost), and count the bytes that crossed it. Everything runs on plain threads
//! and every wait is bounded.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How the link behaves. All fields may be changed while it runs through [`Link::configure`].
#[derive(Debug, Clone, Default)]
pub struct LinkConfig {
    /// Bytes per second in each direction (shared by all connections); `None` is unlimited.
    pub bytes_per_sec: Option<u64>,
    /// One-way delay added to every piece of data.
    pub one_way_delay: Duration,
    /// Cut every open connection when the uplink total reaches each of these byte counts.
    pub cut_at_up_bytes: Vec<u64>,
    /// While true, new connections are closed at once and open ones are cut.
    pub down: bool,
    /// Drop the answer to the next request containing these bytes, e.g. its request line
    /// (one-shot).
    pub lose_answer_to: Option<Vec<u8>>,
}

/// Counters of what crossed the link.
#[derive(Debug, Default)]
pub struct Stats {
    /// Client → server bytes that the link carried (read from the client).
    pub up_bytes: AtomicU64,
    /// Server → client bytes delivered to the client.
    pub down_bytes: AtomicU64,
    pub connections: AtomicU64,
    pub cuts: AtomicU64,
    pub lost_answers: AtomicU64,
}

/// A shared token bucket: `take(n)` waits until `n` bytes may pass.
#[derive(Debug)]
struct Bucket {
    next_free: Mutex<Instant>,
}

impl Bucket {
    fn new() -> Self {
        Self { next_free: Mutex::new(Instant::now()) }
    }

    fn take(&self, n: usize, rate: Option<u64>) {
        let Some(rate) = rate.filter(|r| *r > 0) else { return };
        let cost = Duration::from_secs_f64(n as f64 / rate as f64);
        let wait_until = {
            let mut next = self.next_free.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let start = (*next).max(now);
            *next = start + cost;
            start + cost
        };
        let now = Instant::now();
        if wait_until > now {
            thread::sleep(wait_until - now);
        }
    }
}

#[derive(Debug)]
struct Shared {
    config: Mutex<LinkConfig>,
    upstream: Mutex<SocketAddr>,
    stats: Stats,
    up: Bucket,
    down: Bucket,
    /// Bumped to cut every open connection.
    generation: AtomicUsize,
    stop: AtomicBool,
    next_cut: Mutex<usize>,
}

impl Shared {
    fn config(&self) -> LinkConfig {
        self.config.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    fn cut_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.stats.cuts.fetch_add(1, Ordering::SeqCst);
    }
}

/// A running link; stops when dropped.
#[derive(Debug)]
pub struct Link {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

/// Largest piece forwarded at once, like a TCP segment; keeps throttling smooth.
const PIECE: usize = 1400;

impl Link {
    /// Starts forwarding from a free port on 127.0.0.1 to `upstream`.
    pub fn start(upstream: SocketAddr, config: LinkConfig) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let shared = Arc::new(Shared {
            config: Mutex::new(config),
            upstream: Mutex::new(upstream),
            stats: Stats::default(),
            up: Bucket::new(),
            down: Bucket::new(),
            generation: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            next_cut: Mutex::new(0),
        });
        let s = Arc::clone(&shared);
        thread::spawn(move || accept_loop(&listener, &s));
        Ok(Self { shared, addr })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stats(&self) -> &Stats {
        &self.shared.stats
    }

    /// Changes the behaviour; open connections follow it from their next piece of data.
    pub fn configure(&self, f: impl FnOnce(&mut LinkConfig)) {
        let mut c = self.shared.config.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut c);
        if c.down {
            drop(c);
            self.shared.cut_all();
        }
    }

    /// Points the link at another upstream (a restarted server on a new port).
    pub fn set_upstream(&self, upstream: SocketAddr) {
        *self.shared.upstream.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = upstream;
    }

    /// Cuts every open connection now.
    pub fn cut(&self) {
        self.shared.cut_all();
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.cut_all();
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((client, _)) => {
                let _ = client.set_nonblocking(false);
                if shared.config().down {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                shared.stats.connections.fetch_add(1, Ordering::SeqCst);
                let s = Arc::clone(shared);
                thread::spawn(move || {
                    let _ = connection(client, &s);
                });
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(5))
            }
            Err(_) => thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// A piece of data and when it may be delivered.
type Timed = (Instant, Vec<u8>);

fn connection(client: TcpStream, shared: &Arc<Shared>) -> io::Result<()> {
    let upstream_addr = *shared.upstream.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let server = TcpStream::connect_timeout(&upstream_addr, Duration::from_secs(5))?;
    let generation = shared.generation.load(Ordering::SeqCst);
    for s in [&client, &server] {
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_millis(50)))?;
    }
    let lose_answer = Arc::new(AtomicBool::new(false));
    let (up_tx, up_rx) = mpsc::channel::<Timed>();
    let (down_tx, down_rx) = mpsc::channel::<Timed>();
    let dead = Arc::new(AtomicBool::new(false));
    let threads = [
        {
            let (from, s, d, lose) = (
                client.try_clone()?,
                Arc::clone(shared),
                Arc::clone(&dead),
                Arc::clone(&lose_answer),
            );
            thread::spawn(move || reader(from, up_tx, &s, &d, generation, Direction::Up, &lose))
        },
        {
            let (to, s, d) = (server.try_clone()?, Arc::clone(shared), Arc::clone(&dead));
            thread::spawn(move || {
                writer(to, up_rx, &s, &d, generation, Direction::Up, &AtomicBool::new(false))
            })
        },
        {
            let (from, s, d, lose) = (
                server.try_clone()?,
                Arc::clone(shared),
                Arc::clone(&dead),
                Arc::new(AtomicBool::new(false)),
            );
            thread::spawn(move || reader(from, down_tx, &s, &d, generation, Direction::Down, &lose))
        },
        {
            let (to, s, d, lose) = (
                client.try_clone()?,
                Arc::clone(shared),
                Arc::clone(&dead),
                Arc::clone(&lose_answer),
            );
            thread::spawn(move || writer(to, down_rx, &s, &d, generation, Direction::Down, &lose))
        },
    ];
    for t in threads {
        let _ = t.join();
    }
    let _ = client.shutdown(Shutdown::Both);
    let _ = server.shutdown(Shutdown::Both);
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

fn alive(shared: &Shared, dead: &AtomicBool, generation: usize) -> bool {
    !dead.load(Ordering::SeqCst)
        && shared.generation.load(Ordering::SeqCst) == generation
        && !shared.stop.load(Ordering::SeqCst)
}

/// Reads pieces at the link's rate and queues them with their delivery time.
fn reader(
    mut from: TcpStream,
    to: mpsc::Sender<Timed>,
    shared: &Shared,
    dead: &AtomicBool,
    generation: usize,
    dir: Direction,
    lose_answer: &AtomicBool,
) {
    let mut buf = [0u8; PIECE];
    while alive(shared, dead, generation) {
        let config = shared.config();
        let bucket = if dir == Direction::Up { &shared.up } else { &shared.down };
        match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                // A piece takes its time on the link before the next is read, so the sender's
                // data waits in its own buffers, as on a real slow link.
                bucket.take(n, config.bytes_per_sec);
                if dir == Direction::Up {
                    // A request line starts a write of its own (HTTP/1.1 does not pipeline),
                    // so it is found within one piece, on a fresh or a kept-alive connection.
                    if let Some(prefix) = config.lose_answer_to.as_ref()
                        && !prefix.is_empty()
                        && buf[..n].windows(prefix.len()).any(|w| w == prefix.as_slice())
                    {
                        lose_answer.store(true, Ordering::SeqCst);
                        shared
                            .config
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .lose_answer_to = None;
                    }
                    let total =
                        shared.stats.up_bytes.fetch_add(n as u64, Ordering::SeqCst) + n as u64;
                    let mut next =
                        shared.next_cut.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    if let Some(at) = config.cut_at_up_bytes.get(*next)
                        && total >= *at
                    {
                        *next += 1;
                        drop(next);
                        shared.cut_all();
                        break;
                    }
                }
                if to.send((Instant::now() + config.one_way_delay, buf[..n].to_vec())).is_err() {
                    break;
                }
            }
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    dead.store(true, Ordering::SeqCst);
}

/// Delivers queued pieces when due; drops an answer that is to be lost.
fn writer(
    mut to: TcpStream,
    from: mpsc::Receiver<Timed>,
    shared: &Shared,
    dead: &AtomicBool,
    generation: usize,
    dir: Direction,
    lose_answer: &AtomicBool,
) {
    let mut pending: VecDeque<Timed> = VecDeque::new();
    loop {
        if !alive(shared, dead, generation) && pending.is_empty() {
            break;
        }
        if !alive(shared, dead, generation)
            && shared.generation.load(Ordering::SeqCst) != generation
        {
            break; // Cut: whatever is still queued is lost.
        }
        match from.recv_timeout(Duration::from_millis(20)) {
            Ok(p) => pending.push_back(p),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                if pending.is_empty() {
                    break;
                }
            }
        }
        while let Some((due, _)) = pending.front() {
            let now = Instant::now();
            if *due > now {
                thread::sleep((*due - now).min(Duration::from_millis(20)));
                break;
            }
            let Some((_, data)) = pending.pop_front() else { break };
            if dir == Direction::Down && lose_answer.load(Ordering::SeqCst) {
                // The request reached the server; its answer never reaches the client.
                shared.stats.lost_answers.fetch_add(1, Ordering::SeqCst);
                shared.cut_all();
                dead.store(true, Ordering::SeqCst);
                return;
            }
            if to.write_all(&data).is_err() {
                dead.store(true, Ordering::SeqCst);
                return;
            }
            if dir == Direction::Down {
                shared.stats.down_bytes.fetch_add(data.len() as u64, Ordering::SeqCst);
            }
        }
    }
    dead.store(true, Ordering::SeqCst);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo_server() -> SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = l.local_addr().expect("addr");
        thread::spawn(move || {
            for s in l.incoming().flatten() {
                thread::spawn(move || {
                    let mut s = s;
                    let mut buf = [0u8; 4096];
                    while let Ok(n) = s.read(&mut buf) {
                        if n == 0 || s.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                });
            }
        });
        addr
    }

    #[test]
    fn forwards_with_the_configured_rate_and_delay() {
        let link = Link::start(
            echo_server(),
            LinkConfig {
                bytes_per_sec: Some(50_000),
                one_way_delay: Duration::from_millis(100),
                ..Default::default()
            },
        )
        .expect("start");
        let mut c = TcpStream::connect(link.addr()).expect("connect");
        let start = Instant::now();
        c.write_all(b"ping").expect("write");
        let mut buf = [0u8; 4];
        c.read_exact(&mut buf).expect("read");
        let rtt = start.elapsed();
        assert_eq!(&buf, b"ping");
        assert!(rtt >= Duration::from_millis(200), "round trip {rtt:?} is shorter than two delays");
        // 25 kB each way at 50 kB/s takes about half a second.
        let data = vec![7u8; 25_000];
        let start = Instant::now();
        let mut r = c.try_clone().expect("clone");
        let reader = thread::spawn(move || {
            let mut got = vec![0u8; 25_000];
            r.read_exact(&mut got).expect("read");
            got
        });
        c.write_all(&data).expect("write");
        assert_eq!(reader.join().expect("join"), data);
        let took = start.elapsed();
        assert!(took >= Duration::from_millis(400), "25 kB took only {took:?}");
        assert!(link.stats().up_bytes.load(Ordering::SeqCst) >= 25_004);
    }

    #[test]
    fn cuts_connections_at_the_given_uplink_totals_and_refuses_while_down() {
        let link = Link::start(
            echo_server(),
            LinkConfig { cut_at_up_bytes: vec![10_000], ..Default::default() },
        )
        .expect("start");
        let mut c = TcpStream::connect(link.addr()).expect("connect");
        c.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
        let _ = c.write_all(&[1u8; 20_000]);
        let mut sink = Vec::new();
        let _ = c.read_to_end(&mut sink);
        assert!(sink.len() < 20_000, "the connection was not cut");
        assert_eq!(link.stats().cuts.load(Ordering::SeqCst), 1);
        link.configure(|c| c.down = true);
        let mut c = TcpStream::connect(link.addr()).expect("connect");
        c.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
        let mut buf = [0u8; 1];
        let n = c.read(&mut buf).unwrap_or(0);
        assert_eq!(n, 0, "a down link closes connections");
    }
}
