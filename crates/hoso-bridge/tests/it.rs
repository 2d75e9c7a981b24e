//! The phone bridge through real HTTP on 127.0.0.1, hostile clients included. Every wait is
//! bounded by a socket timeout or a fixed number of rounds.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hoso_bridge::{Arrival, Bridge, Config};

type Inbox = Arc<Mutex<Vec<Arrival>>>;

fn start(config: Config) -> (Bridge, Inbox) {
    let inbox: Inbox = Arc::default();
    let i = Arc::clone(&inbox);
    let bridge = Bridge::start(
        config,
        Arc::new(move |a: Arrival| {
            i.lock().unwrap().push(a);
            Ok(())
        }),
    )
    .expect("bridge starts on 127.0.0.1");
    (bridge, inbox)
}

/// The path part of the page's URL: `/p/<token>/`.
fn base(b: &Bridge) -> String {
    let url = b.url();
    url[url.find("/p/").unwrap()..].to_string()
}

/// Something that starts like a JPEG.
fn photo(n: usize) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0];
    v.extend((0..n).map(|i| (i * 31 % 251) as u8));
    v
}

#[derive(Debug)]
struct Resp {
    status: u16,
    head: String,
    body: String,
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

fn read_resp(mut s: TcpStream) -> Resp {
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Resp { status, head: head.to_lowercase(), body: body.to_string() }
}

fn send(addr: SocketAddr, method: &str, path: &str, extra: &str, body: &[u8]) -> Resp {
    let mut s = connect(addr);
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n{extra}\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    read_resp(s)
}

fn post(b: &Bridge, name: &str, body: &[u8]) -> Resp {
    let path = format!("{}up", base(b));
    send(b.addr(), "POST", &path, &format!("X-File-Name: {name}\r\n"), body)
}

#[test]
fn the_page_is_served_only_under_the_token() {
    let (b, inbox) = start(Config::default());
    let page = send(b.addr(), "GET", &base(&b), "User-Agent: Mozilla/5.0 (iPhone)\r\n", b"");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Chụp ảnh") && page.body.contains("capture=\"environment\""));
    assert!(page.head.contains("content-security-policy: default-src 'none'"));
    assert!(!page.body.contains("http://") && !page.body.contains("https://"), "nothing external");
    let token = base(&b).trim_start_matches("/p/").trim_end_matches('/').to_string();
    assert_eq!(token.len(), 32, "128 bits in hex");
    let wrong = format!("/p/{}/", "0".repeat(32));
    for path in
        ["/", "/p/", "/p//up", &wrong, &format!("{wrong}up"), "/favicon.ico", "/p/../etc/passwd"]
    {
        let r = send(b.addr(), "GET", path, "", b"");
        assert_eq!(r.status, 404, "{path}");
        assert!(r.body.is_empty(), "{path}: no listing, no hint");
    }
    let up = format!("{}up", base(&b));
    assert_eq!(send(b.addr(), "GET", &up, "", b"").status, 404, "uploads are POST only");
    assert_eq!(send(b.addr(), "POST", &base(&b), "", &photo(10)).status, 404);
    assert_eq!(send(b.addr(), "POST", &format!("{wrong}up"), "", &photo(10)).status, 404);
    let short = format!("/p/{}/up", &token[..31]);
    assert_eq!(send(b.addr(), "POST", &short, "", &photo(10)).status, 404);
    assert!(inbox.lock().unwrap().is_empty());
    assert_eq!(b.phones()[0].label, "iPhone");
}

#[test]
fn a_photo_arrives_with_its_name_reduced_to_a_display_name() {
    let (b, inbox) = start(Config::default());
    let bytes = photo(5000);
    let r = post(&b, "..%2F..%2F.ssh%2Fid_rsa%2F..%2Fpasswd.jpg", &bytes);
    assert_eq!(r.status, 201, "{r:?}");
    assert!(r.body.contains("\"received\":1"));
    let got = inbox.lock().unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].name, "passwd.jpg");
    assert_eq!(got[0].bytes, bytes);
    assert_eq!(b.received(), 1);
    let phones = b.phones();
    assert_eq!(
        (phones[0].files, phones[0].bytes, phones[0].address.as_str()),
        (1, 5011, "127.0.0.1")
    );
}

#[test]
fn an_expired_token_is_refused_with_the_way_out() {
    let (b, inbox) = start(Config { ttl: Duration::from_millis(300), ..Config::default() });
    assert_eq!(send(b.addr(), "GET", &base(&b), "", b"").status, 200);
    std::thread::sleep(Duration::from_millis(400));
    assert!(b.expires_in().is_zero());
    let page = send(b.addr(), "GET", &base(&b), "", b"");
    assert_eq!(page.status, 410);
    assert!(page.body.contains("Tạo mã mới"));
    let r = post(&b, "a.jpg", &photo(100));
    assert_eq!(r.status, 410);
    assert!(r.body.contains("\"code\":\"expired\""));
    assert!(inbox.lock().unwrap().is_empty());
}

#[test]
fn only_images_are_taken_whatever_their_name() {
    let (b, inbox) = start(Config::default());
    let r = post(&b, "invoice.jpg", b"%PDF-1.7 this is a pdf file, not a photo");
    assert_eq!(r.status, 415);
    assert!(r.body.contains("không phải ảnh"), "{}", r.body);
    let r = post(&b, "photo.jpg", b"MZ\x90\x00 an executable pretending to be a photo");
    assert_eq!(r.status, 415);
    let r = post(&b, "empty.jpg", b"");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("rỗng"));
    // PNG, WebP and HEIC are images.
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 40]].concat();
    assert_eq!(post(&b, "a.png", &png).status, 201);
    let heic = [b"\0\0\0\x18ftypheic".as_slice(), &[0u8; 40]].concat();
    assert_eq!(post(&b, "a.heic", &heic).status, 201);
    assert_eq!(inbox.lock().unwrap().len(), 2);
}

#[test]
fn oversize_photos_are_refused_declared_or_not() {
    let (b, inbox) = start(Config { max_file_bytes: 64 * 1024, ..Config::default() });
    // Declared too large: refused from the header, before the body is sent.
    let mut s = connect(b.addr());
    let head = format!(
        "POST {}up HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n",
        base(&b)
    );
    s.write_all(head.as_bytes()).unwrap();
    let r = read_resp(s);
    assert_eq!(r.status, 413);
    assert!(r.body.contains("MB"));
    // Chunked, no length: refused once it goes over.
    let mut s = connect(b.addr());
    let head = format!(
        "POST {}up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        base(&b)
    );
    s.write_all(head.as_bytes()).unwrap();
    let chunk = photo(16 * 1024);
    for _ in 0..6 {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if s.write_all(&framed).is_err() {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n");
    assert_eq!(read_resp(s).status, 413);
    // Just under the limit is fine.
    assert_eq!(post(&b, "ok.jpg", &photo(60 * 1024)).status, 201);
    assert_eq!(inbox.lock().unwrap().len(), 1);
}

#[test]
fn a_session_takes_at_most_its_count_and_a_phone_is_slowed_down() {
    let (b, _) = start(Config { max_files: 3, ..Config::default() });
    for i in 0..3 {
        assert_eq!(post(&b, &format!("{i}.jpg"), &photo(100)).status, 201);
    }
    let r = post(&b, "4.jpg", &photo(100));
    assert_eq!(r.status, 403);
    assert!(r.body.contains("session_full") && r.body.contains("Tạo mã mới"));

    let (b, inbox) = start(Config { upload_burst: 2, uploads_per_minute: 6, ..Config::default() });
    assert_eq!(post(&b, "1.jpg", &photo(100)).status, 201);
    assert_eq!(post(&b, "2.jpg", &photo(100)).status, 201);
    let r = post(&b, "3.jpg", &photo(100));
    assert_eq!(r.status, 429);
    let wait: u64 = r
        .head
        .lines()
        .find_map(|l| l.strip_prefix("retry-after: "))
        .and_then(|v| v.trim().parse().ok())
        .expect("Retry-After");
    assert!((1..=10).contains(&wait), "{wait}");
    assert_eq!(inbox.lock().unwrap().len(), 2);
}

#[test]
fn the_desktop_can_cut_a_phone_off() {
    let (b, inbox) = start(Config::default());
    assert_eq!(post(&b, "1.jpg", &photo(100)).status, 201);
    let id = b.phones()[0].id;
    assert!(b.cut_off(id));
    assert!(!b.cut_off(id + 100));
    let r = post(&b, "2.jpg", &photo(100));
    assert_eq!(r.status, 403);
    assert!(r.body.contains("ngắt kết nối"));
    assert!(b.phones()[0].cut_off);
    assert_eq!(inbox.lock().unwrap().len(), 1);
}

#[test]
fn a_refusal_from_the_dossier_reaches_the_phone() {
    let b = Bridge::start(
        Config::default(),
        Arc::new(|_| Err(hoso_bridge::Refused("Hồ sơ đã nộp, không thêm ảnh được.".into()))),
    )
    .unwrap();
    let r = post(&b, "1.jpg", &photo(100));
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Hồ sơ đã nộp"));
    assert_eq!(b.received(), 0);
}

#[test]
fn many_concurrent_uploads_all_arrive_exactly_once() {
    let (b, inbox) = start(Config { upload_burst: 100, ..Config::default() });
    let b = Arc::new(b);
    let n = 40;
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let b = Arc::clone(&b);
            std::thread::spawn(move || {
                let body = photo(20_000 + i);
                // Retried as the phone page does, within a bounded number of rounds.
                for _ in 0..100 {
                    match post(&b, &format!("{i}.jpg"), &body).status {
                        201 => return true,
                        429 | 503 => std::thread::sleep(Duration::from_millis(50)),
                        other => panic!("unexpected {other}"),
                    }
                }
                false
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap(), "an upload never got through");
    }
    let got = inbox.lock().unwrap();
    assert_eq!(got.len(), n);
    let mut sizes: Vec<usize> = got.iter().map(|a| a.bytes.len()).collect();
    sizes.sort_unstable();
    sizes.dedup();
    assert_eq!(sizes.len(), n, "each photo once");
    assert_eq!(b.received() as usize, n);
    assert_eq!(b.phones()[0].uploading, 0);
}

#[test]
fn slow_clients_are_cut_off() {
    let cfg = Config {
        header_timeout: Duration::from_millis(800),
        body_idle_timeout: Duration::from_millis(800),
        ..Config::default()
    };
    let (b, inbox) = start(cfg);
    // Headers one byte at a time, never finished.
    let mut s = connect(b.addr());
    let t0 = Instant::now();
    let head = format!("POST {}up HTTP/1.1\r\nHost: x\r\nX-Padding: ", base(&b));
    s.write_all(head.as_bytes()).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
    let mut closed = false;
    for _ in 0..40 {
        // A write error, end of stream, or an answer (408) all mean the server gave up; a read
        // timeout means "nothing yet".
        if s.write_all(b"a").is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 512];
        match s.read(&mut buf) {
            Ok(_) => {
                closed = true;
                break;
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                closed = true;
                break;
            }
        }
    }
    assert!(closed, "slow headers were not cut off within 4 s");
    assert!(t0.elapsed() < Duration::from_secs(4));

    // A body that stalls half-way.
    let mut s = connect(b.addr());
    let head = format!(
        "POST {}up HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n",
        base(&b)
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&photo(100)).unwrap();
    let t0 = Instant::now();
    let r = read_resp(s);
    assert_eq!(r.status, 408);
    assert!(t0.elapsed() < Duration::from_secs(4));
    assert!(r.body.contains("gửi lại"));

    // A body that trickles: a byte every 100 ms is far below any Wi‑Fi.
    let mut s = connect(b.addr());
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&photo(100)).unwrap();
    let t0 = Instant::now();
    let mut cut = false;
    for _ in 0..60 {
        std::thread::sleep(Duration::from_millis(100));
        if s.write_all(b"x").is_err() {
            cut = true;
            break;
        }
        s.set_read_timeout(Some(Duration::from_millis(1))).unwrap();
        let mut buf = [0u8; 256];
        if let Ok(n) = s.read(&mut buf) {
            cut = n == 0 || String::from_utf8_lossy(&buf[..n]).contains(" 408 ");
            if cut {
                break;
            }
        }
    }
    assert!(cut, "a trickling body was not cut off");
    assert!(t0.elapsed() < Duration::from_secs(5));
    assert!(inbox.lock().unwrap().is_empty());
    // The server still serves others.
    assert_eq!(post(&b, "ok.jpg", &photo(100)).status, 201);
}

#[test]
fn connections_beyond_the_cap_are_turned_away_then_served_again() {
    let cfg = Config {
        max_connections: 4,
        header_timeout: Duration::from_millis(600),
        ..Config::default()
    };
    let (b, _) = start(cfg);
    let idle: Vec<TcpStream> = (0..4).map(|_| connect(b.addr())).collect();
    std::thread::sleep(Duration::from_millis(100));
    let r = send(b.addr(), "GET", &base(&b), "", b"");
    assert_eq!(r.status, 503);
    assert!(r.head.contains("retry-after"));
    // The idle ones time out and free their places.
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(send(b.addr(), "GET", &base(&b), "", b"").status, 200);
    drop(idle);
}

#[test]
fn stopping_closes_the_port() {
    let (b, _) = start(Config::default());
    let addr = b.addr();
    assert_eq!(send(addr, "GET", &base(&b), "", b"").status, 200);
    b.stop();
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
}
