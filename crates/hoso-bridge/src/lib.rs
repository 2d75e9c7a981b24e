//! The phone bridge: while the desktop shows "Nhận ảnh từ điện thoại", a tiny web server on the
//! chosen local-network address serves one page to phones that scan the QR code, and takes the
//! photos they send. Nothing on the page comes from the internet, so it works on a shop's Wi‑Fi
//! and on the phone's own hotspot alike.
//!
//! Safety, in the order a request meets it:
//! - the server exists only while the dialog is open ([`Bridge::stop`], or dropping it) and
//!   listens on one address only;
//! - every route is under `/p/<token>/`, a random 128-bit token compared in constant time;
//!   anything else is a bare 404 (no listings, no other routes); the token stops working after
//!   [`Config::ttl`];
//! - at most [`Config::max_connections`] connections; a client that sends its headers too slowly
//!   is cut off after [`Config::header_timeout`], one that stalls or trickles its body after
//!   [`Config::body_idle_timeout`] or below [`Config::min_bytes_per_s`];
//! - per phone (its network address): a token-bucket rate limit, at most
//!   [`Config::max_parallel_per_phone`] uploads at once, and the desktop can cut it off;
//! - per session: at most [`Config::max_files`] photos; per photo at most
//!   [`Config::max_file_bytes`], refused from `Content-Length` before reading when it is given;
//! - the content must be an image HoSo reads (recognised from its first bytes, never its name);
//!   the name the phone gives is only shown, never used as a path — the bridge writes no file.
//!
//! What arrives is handed to a [`Sink`] (the app adds it to the chosen paper of the open
//! dossier); its refusal is shown on the phone.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};

mod page;

/// Limits of a bridge session. [`Config::default`] is what the app uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// The one address to listen on (the chosen Wi‑Fi or hotspot interface).
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// How long the token in the QR code works.
    pub ttl: Duration,
    pub max_file_bytes: u64,
    /// Photos accepted in one session.
    pub max_files: u32,
    /// Uploads a phone may start per minute, sustained…
    pub uploads_per_minute: u32,
    /// …and in a burst.
    pub upload_burst: u32,
    pub max_parallel_per_phone: u32,
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub body_idle_timeout: Duration,
    /// After a grace period of [`Config::body_idle_timeout`], a body arriving slower than this
    /// on average is cut off (a weak Wi‑Fi still moves several hundred kB/s).
    pub min_bytes_per_s: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            ttl: Duration::from_secs(15 * 60),
            max_file_bytes: 30 * 1024 * 1024,
            max_files: 300,
            uploads_per_minute: 60,
            upload_burst: 30,
            max_parallel_per_phone: 4,
            max_connections: 32,
            header_timeout: Duration::from_secs(10),
            body_idle_timeout: Duration::from_secs(20),
            min_bytes_per_s: 8 * 1024,
        }
    }
}

/// A photo that arrived.
#[derive(Debug)]
pub struct Arrival {
    /// Which phone sent it ([`Phone::id`]).
    pub phone: u32,
    /// The file's name as the phone gave it, reduced to a safe display name (no path).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why the desktop did not take a photo, in Vietnamese with what to do (shown on the phone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// Takes a photo into the dossier, or says why not.
pub type Sink = Arc<dyn Fn(Arrival) -> Result<(), Refused> + Send + Sync>;

/// A phone that opened the page, as the desktop shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub id: u32,
    /// "iPhone", "Android · SM-A515F", …
    pub label: String,
    pub address: String,
    /// Photos taken from it.
    pub files: u32,
    pub bytes: u64,
    /// Uploads under way.
    pub uploading: u32,
    /// Seconds since it was last heard from.
    pub idle_s: u64,
    pub cut_off: bool,
}

/// A network address of this computer a phone on the same network can reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanAddress {
    pub ip: IpAddr,
    pub interface: String,
}

/// This computer's IPv4 addresses other devices can reach, the likeliest (private Wi‑Fi and
/// hotspot ranges) first; loopback only when there is nothing else.
pub fn lan_addresses() -> Vec<LanAddress> {
    let mut out: Vec<LanAddress> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback())
        .filter_map(|i| match i.ip() {
            IpAddr::V4(v4) if !v4.is_link_local() && !v4.is_unspecified() => {
                Some(LanAddress { ip: IpAddr::V4(v4), interface: i.name })
            }
            _ => None,
        })
        .collect();
    let rank = |a: &LanAddress| match a.ip {
        IpAddr::V4(v) if v.octets()[0] == 192 && v.octets()[1] == 168 => 0,
        IpAddr::V4(v) if v.is_private() => 1,
        _ => 2,
    };
    out.sort_by_key(|a| (rank(a), a.interface.clone()));
    if out.is_empty() {
        out.push(LanAddress { ip: IpAddr::from([127, 0, 0, 1]), interface: "lo".into() });
    }
    out
}

struct PhoneState {
    phone: Phone,
    last_seen: Instant,
    /// Token bucket: uploads that may start now, and when it was last topped up.
    tokens: f64,
    topped_up: Instant,
}

#[derive(Default)]
struct State {
    phones: HashMap<IpAddr, PhoneState>,
    /// Photos accepted, and uploads that may still be accepted.
    received: u32,
    in_flight: u32,
}

struct Shared {
    config: Config,
    token: String,
    expires: Instant,
    sink: Sink,
    state: Mutex<State>,
    connections: Arc<tokio::sync::Semaphore>,
}

impl Shared {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running bridge. Dropping it stops the server.
pub struct Bridge {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bridge").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl Bridge {
    /// Binds `config.bind` and serves on a thread of its own until stopped.
    pub fn start(config: Config, sink: Sink) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind((config.bind, config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let token = hex::encode(rand::random::<[u8; 16]>());
        let shared = Arc::new(Shared {
            expires: Instant::now() + config.ttl,
            connections: Arc::new(tokio::sync::Semaphore::new(config.max_connections)),
            config,
            token,
            sink,
            state: Mutex::new(State::default()),
        });
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let s = Arc::clone(&shared);
        let thread = std::thread::Builder::new().name("hoso-bridge".into()).spawn(move || {
            rt.block_on(async move {
                if let Ok(l) = tokio::net::TcpListener::from_std(listener) {
                    accept_loop(l, s, stopped).await;
                }
            });
            // Connections still open are dropped with the runtime.
            rt.shutdown_timeout(Duration::from_millis(200));
        })?;
        Ok(Self { shared, addr, stop: Some(stop), thread: Some(thread) })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's address, for the QR code.
    pub fn url(&self) -> String {
        format!("http://{}/p/{}/", self.addr, self.shared.token)
    }

    /// Time left before the token stops working.
    pub fn expires_in(&self) -> Duration {
        self.shared.expires.saturating_duration_since(Instant::now())
    }

    /// Photos accepted so far.
    pub fn received(&self) -> u32 {
        self.shared.state().received
    }

    /// The phones that opened the page, first seen first.
    pub fn phones(&self) -> Vec<Phone> {
        let st = self.shared.state();
        let now = Instant::now();
        let mut v: Vec<Phone> = st
            .phones
            .values()
            .map(|p| Phone { idle_s: (now - p.last_seen).as_secs(), ..p.phone.clone() })
            .collect();
        v.sort_by_key(|p| p.id);
        v
    }

    /// Refuses everything more from phone `id` (its uploads under way are not taken either).
    /// False when there is no such phone.
    pub fn cut_off(&self, id: u32) -> bool {
        let mut st = self.shared.state();
        match st.phones.values_mut().find(|p| p.phone.id == id) {
            Some(p) => {
                p.phone.cut_off = true;
                true
            }
            None => false,
        }
    }

    /// Stops the server: the port is closed when this returns.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.shutdown();
    }
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    loop {
        let accepted = tokio::select! {
            _ = &mut stopped => return,
            a = listener.accept() => a,
        };
        let Ok((stream, peer)) = accepted else {
            // Out of file descriptors and the like: breathe, then go on.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let s = Arc::clone(&shared);
        tokio::spawn(async move {
            let Ok(_permit) = Arc::clone(&s.connections).try_acquire_owned() else {
                busy(stream).await;
                return;
            };
            serve(stream, peer.ip(), s).await;
        });
    }
}

/// Too many connections: a short answer, then close.
async fn busy(mut stream: tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let answer = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(answer)).await;
}

async fn serve(stream: tokio::net::TcpStream, ip: IpAddr, shared: Arc<Shared>) {
    let header_timeout = shared.config.header_timeout;
    let svc = hyper::service::service_fn(move |req| {
        let s = Arc::clone(&shared);
        async move { Ok::<_, Infallible>(handle(&s, ip, req).await) }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
    // However it behaves, no connection outlives an hour.
    let _ = tokio::time::timeout(Duration::from_secs(3600), conn).await;
}

type Answer = Response<Full<Bytes>>;

fn answer(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Answer {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert("content-type", content_type.parse().expect("static header value"));
    h.insert("cache-control", "no-store".parse().expect("static header value"));
    h.insert("x-content-type-options", "nosniff".parse().expect("static header value"));
    h.insert("referrer-policy", "no-referrer".parse().expect("static header value"));
    r
}

fn json(status: StatusCode, v: serde_json::Value) -> Answer {
    answer(status, "application/json; charset=utf-8", v.to_string())
}

fn refusal(status: StatusCode, code: &str, message: &str) -> Answer {
    json(status, serde_json::json!({ "ok": false, "code": code, "error": message }))
}

fn not_found() -> Answer {
    answer(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "")
}

/// Equal strings in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

enum Route {
    Page,
    Upload,
}

fn route(shared: &Shared, req: &Request<Incoming>) -> Option<Route> {
    let rest = req.uri().path().strip_prefix("/p/")?;
    let (token, tail) = rest.split_once('/').unwrap_or((rest, ""));
    if !same(token, &shared.token) {
        return None;
    }
    match (req.method(), tail) {
        (&Method::GET | &Method::HEAD, "") => Some(Route::Page),
        (&Method::POST, "up") => Some(Route::Upload),
        _ => None,
    }
}

async fn handle(shared: &Arc<Shared>, ip: IpAddr, req: Request<Incoming>) -> Answer {
    let Some(route) = route(shared, &req) else { return not_found() };
    if Instant::now() >= shared.expires {
        return match route {
            Route::Page => answer(StatusCode::GONE, "text/html; charset=utf-8", page::EXPIRED),
            Route::Upload => refusal(StatusCode::GONE, "expired", EXPIRED),
        };
    }
    let ua = req.headers().get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("");
    let phone = see_phone(shared, ip, ua);
    match route {
        Route::Page => {
            let mut a = answer(StatusCode::OK, "text/html; charset=utf-8", page::PAGE);
            a.headers_mut().insert(
                "content-security-policy",
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                 img-src blob:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'"
                    .parse()
                    .expect("static header value"),
            );
            a
        }
        Route::Upload => upload(shared, ip, phone, req).await,
    }
}

const EXPIRED: &str = "Mã QR đã hết hạn. Trên máy tính, bấm \"Tạo mã mới\" rồi quét lại.";

/// Registers the phone at `ip` (or notes it was heard from) and returns its id.
fn see_phone(shared: &Shared, ip: IpAddr, ua: &str) -> u32 {
    let mut st = shared.state();
    let next = st.phones.len() as u32 + 1;
    let burst = f64::from(shared.config.upload_burst);
    let now = Instant::now();
    let p = st.phones.entry(ip).or_insert_with(|| PhoneState {
        phone: Phone {
            id: next,
            label: label(ua),
            address: ip.to_string(),
            files: 0,
            bytes: 0,
            uploading: 0,
            idle_s: 0,
            cut_off: false,
        },
        last_seen: now,
        tokens: burst,
        topped_up: now,
    });
    p.last_seen = now;
    p.phone.id
}

/// A short name for a phone from its browser's User-Agent.
pub fn label(ua: &str) -> String {
    for dev in ["iPhone", "iPad"] {
        if ua.contains(dev) {
            return dev.to_string();
        }
    }
    if let Some(i) = ua.find("Android") {
        // "… Android 13; SM-A515F Build/…)" or "… Android 13; SM-A515F)"
        let inside = ua[i..].split(')').next().unwrap_or("");
        let model = inside
            .split(';')
            .nth(1)
            .map(|m| m.split(" Build").next().unwrap_or(m).trim())
            .filter(|m| !m.is_empty() && *m != "K" && m.len() <= 40);
        return match model {
            Some(m) => format!("Android · {m}"),
            None => "Android".to_string(),
        };
    }
    "Trình duyệt".to_string()
}

/// Releases a reserved upload slot whatever way the upload ends.
struct Slot<'a> {
    shared: &'a Shared,
    ip: IpAddr,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut st = self.shared.state();
        st.in_flight = st.in_flight.saturating_sub(1);
        if let Some(p) = st.phones.get_mut(&self.ip) {
            p.phone.uploading = p.phone.uploading.saturating_sub(1);
        }
    }
}

/// Reserves an upload slot, or says why not.
fn admit<'a>(shared: &'a Shared, ip: IpAddr) -> Result<Slot<'a>, Box<Answer>> {
    let cfg = &shared.config;
    let mut st = shared.state();
    let State { phones, received, in_flight } = &mut *st;
    let Some(p) = phones.get_mut(&ip) else {
        return Err(Box::new(not_found()));
    };
    if p.phone.cut_off {
        return Err(Box::new(refusal(
            StatusCode::FORBIDDEN,
            "cut_off",
            "Máy tính đã ngắt kết nối với điện thoại này.",
        )));
    }
    if *received + *in_flight >= cfg.max_files {
        return Err(Box::new(refusal(
            StatusCode::FORBIDDEN,
            "session_full",
            &format!(
                "Đã nhận đủ {} ảnh trong lượt này. Trên máy tính, bấm \"Tạo mã mới\" để gửi tiếp.",
                cfg.max_files
            ),
        )));
    }
    let now = Instant::now();
    let per_s = f64::from(cfg.uploads_per_minute) / 60.0;
    p.tokens =
        (p.tokens + (now - p.topped_up).as_secs_f64() * per_s).min(f64::from(cfg.upload_burst));
    p.topped_up = now;
    if p.tokens < 1.0 || p.phone.uploading >= cfg.max_parallel_per_phone {
        let wait = if p.tokens < 1.0 { ((1.0 - p.tokens) / per_s).ceil().max(1.0) } else { 1.0 };
        let mut a = refusal(
            StatusCode::TOO_MANY_REQUESTS,
            "slow_down",
            "Đang gửi quá nhiều ảnh cùng lúc; ảnh sẽ được gửi lại sau ít giây.",
        );
        a.headers_mut().insert("retry-after", (wait as u64).into());
        return Err(Box::new(a));
    }
    p.tokens -= 1.0;
    p.phone.uploading += 1;
    *in_flight += 1;
    Ok(Slot { shared, ip })
}

/// The display name from the `X-File-Name` header (percent-encoded UTF-8): the last path
/// component, without control characters, at most 80 characters.
pub fn display_name(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    let s = String::from_utf8_lossy(&out);
    let last = s.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).take(80).collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    if clean.is_empty() { "ảnh".to_string() } else { clean.to_string() }
}

async fn upload(shared: &Arc<Shared>, ip: IpAddr, phone: u32, req: Request<Incoming>) -> Answer {
    let cfg = &shared.config;
    let slot = match admit(shared, ip) {
        Ok(s) => s,
        Err(a) => return *a,
    };
    let too_big = || {
        refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            &format!(
                "Ảnh lớn hơn {} MB. Hãy chụp lại ở chế độ thường (không phải RAW hay ảnh ghép).",
                cfg.max_file_bytes / (1024 * 1024)
            ),
        )
    };
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > cfg.max_file_bytes) {
        return too_big();
    }
    let name =
        display_name(req.headers().get("x-file-name").and_then(|v| v.to_str().ok()).unwrap_or(""));
    let mut body = req.into_body();
    let mut data: Vec<u8> =
        Vec::with_capacity(declared.unwrap_or(0).min(cfg.max_file_bytes) as usize);
    let started = Instant::now();
    let mut sniffed = false;
    loop {
        let frame = match tokio::time::timeout(cfg.body_idle_timeout, body.frame()).await {
            Err(_) => return stalled(),
            Ok(None) => break,
            Ok(Some(Err(_))) => {
                return refusal(StatusCode::BAD_REQUEST, "broken", "Ảnh gửi không trọn vẹn.");
            }
            Ok(Some(Ok(f))) => f,
        };
        if let Ok(chunk) = frame.into_data() {
            if data.len() as u64 + chunk.len() as u64 > cfg.max_file_bytes {
                return too_big();
            }
            data.extend_from_slice(&chunk);
        }
        if !sniffed && data.len() >= 16 {
            if let Err(e) = hoso_scan::decode::sniff(&data) {
                return refusal(StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_an_image", &e.to_string());
            }
            sniffed = true;
        }
        let elapsed = started.elapsed();
        if elapsed > cfg.body_idle_timeout
            && (data.len() as f64) < elapsed.as_secs_f64() * cfg.min_bytes_per_s as f64
        {
            return stalled();
        }
    }
    if let Err(e) = hoso_scan::decode::sniff(&data) {
        let status = if data.is_empty() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        };
        return refusal(status, e.code(), &e.to_string());
    }
    if shared.state().phones.get(&ip).is_some_and(|p| p.phone.cut_off) {
        return refusal(
            StatusCode::FORBIDDEN,
            "cut_off",
            "Máy tính đã ngắt kết nối với điện thoại này.",
        );
    }
    let size = data.len() as u64;
    let sink = Arc::clone(&shared.sink);
    let arrival = Arrival { phone, name: name.clone(), bytes: data };
    let taken = tokio::task::spawn_blocking(move || sink(arrival))
        .await
        .unwrap_or_else(|_| Err(Refused("Máy tính gặp lỗi khi nhận ảnh. Hãy gửi lại.".into())));
    match taken {
        Ok(()) => {
            let n = {
                let mut st = shared.state();
                st.received += 1;
                if let Some(p) = st.phones.get_mut(&ip) {
                    p.phone.files += 1;
                    p.phone.bytes += size;
                }
                st.received
            };
            drop(slot);
            json(
                StatusCode::CREATED,
                serde_json::json!({ "ok": true, "name": name, "received": n }),
            )
        }
        Err(Refused(msg)) => refusal(StatusCode::CONFLICT, "refused", &msg),
    }
}

fn stalled() -> Answer {
    refusal(
        StatusCode::REQUEST_TIMEOUT,
        "stalled",
        "Mạng quá chậm, ảnh không gửi hết. Hãy lại gần bộ phát Wi‑Fi rồi gửi lại.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shown_never_used_as_paths() {
        assert_eq!(display_name("..%2F..%2Fetc%2Fpasswd"), "passwd");
        assert_eq!(display_name("C:\\Users\\a\\IMG_0001.HEIC"), "IMG_0001.HEIC");
        assert_eq!(display_name("%E1%BA%A3nh%20CCCD.jpg"), "ảnh CCCD.jpg");
        assert_eq!(display_name("../.."), "ảnh");
        assert_eq!(display_name(".bashrc"), "bashrc");
        assert_eq!(display_name("a\u{0}b\nc.jpg"), "abc.jpg");
        assert_eq!(display_name("%"), "%");
        assert_eq!(display_name("%4"), "%4");
        assert_eq!(display_name(&"x".repeat(300)).chars().count(), 80);
    }

    #[test]
    fn phones_are_named_from_their_browser() {
        let samsung = "Mozilla/5.0 (Linux; Android 13; SM-A515F Build/TP1A) AppleWebKit/537.36";
        assert_eq!(label(samsung), "Android · SM-A515F");
        assert_eq!(label("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit"), "Android");
        assert_eq!(label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"), "iPhone");
        assert_eq!(label("curl/8.0"), "Trình duyệt");
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
