//! Fault injection, for tests and for trying the app against a bad day: a share of 500/503
//! answers, captive-portal-style 200 pages, delays, and connections dropped mid-body.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::{IDENTITY_HEADER, IDENTITY_VALUE};

/// What goes wrong, and how often (shares between 0 and 1).
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Answer 503 (with Retry-After) or 500 instead of handling the request.
    pub error_rate: f64,
    /// Only requests whose path starts with this get those errors (all when `None`), e.g.
    /// `/api/v1/dossiers` for a portal that takes files but cannot take dossiers today.
    pub error_path: Option<String>,
    /// Answer 200 with an HTML login page and no portal header, like captive Wi-Fi.
    pub captive_rate: f64,
    /// Close the connection after a random number of request bytes.
    pub drop_rate: f64,
    /// Wait this long before answering each request.
    pub delay_ms: u64,
}

impl Faults {
    pub fn any(&self) -> bool {
        self.error_rate > 0.0
            || self.captive_rate > 0.0
            || self.drop_rate > 0.0
            || self.delay_ms > 0
    }
}

/// The request-level faults, as the outermost middleware (so captive pages lack the header).
pub async fn middleware(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    if faults.delay_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(faults.delay_ms)).await;
    }
    let roll: f64 = rand::random();
    if roll < faults.captive_rate {
        let page = "<!doctype html><html><body><h1>Đăng nhập Wi-Fi miễn phí</h1>\
                    <form><input name=phone><button>Kết nối</button></form></body></html>";
        return (StatusCode::OK, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page)
            .into_response();
    }
    let in_scope = faults.error_path.as_deref().is_none_or(|p| request.uri().path().starts_with(p));
    if in_scope && roll < faults.captive_rate + faults.error_rate {
        let (status, retry) = if rand::random::<bool>() {
            (StatusCode::SERVICE_UNAVAILABLE, Some("1"))
        } else {
            (StatusCode::INTERNAL_SERVER_ERROR, None)
        };
        let mut response =
            Response::new(Body::from(r#"{"code":"unavailable","message":"injected fault"}"#));
        *response.status_mut() = status;
        let h = response.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        h.insert(IDENTITY_HEADER, HeaderValue::from_static(IDENTITY_VALUE));
        if let Some(r) = retry {
            h.insert(header::RETRY_AFTER, HeaderValue::from_static(r));
        }
        return response;
    }
    next.run(request).await
}

/// A listener whose connections may be cut after a random number of bytes read.
#[derive(Debug)]
pub struct FaultyListener {
    pub inner: TcpListener,
    pub drop_rate: f64,
}

impl axum::serve::Listener for FaultyListener {
    type Io = FaultyStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    let budget = (rand::random::<f64>() < self.drop_rate)
                        .then(|| 1024 + (rand::random::<u64>() % (256 * 1024)) as usize);
                    return (FaultyStream { inner: stream, budget }, addr);
                }
                // Too many open files and the like: wait and keep serving.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// A TCP stream that fails once its read budget is spent.
#[derive(Debug)]
pub struct FaultyStream {
    inner: TcpStream,
    budget: Option<usize>,
}

impl AsyncRead for FaultyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.budget == Some(0) {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "injected drop",
            )));
        }
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let (Poll::Ready(Ok(())), Some(left)) = (&poll, self.budget) {
            let read = buf.filled().len() - before;
            self.budget = Some(left.saturating_sub(read));
        }
        poll
    }
}

impl AsyncWrite for FaultyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.budget == Some(0) {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "injected drop",
            )));
        }
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
