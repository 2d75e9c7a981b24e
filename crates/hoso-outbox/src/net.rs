//! HTTP answers sorted into what the sender does next.
//!
//! Only an answer that carries the portal's identifying header counts as the portal speaking:
//! a captive Wi-Fi login page or a proxy's error page is "not connected", never success.

use std::time::Duration;

use ureq::http::Response;

/// The portal's identifying header (see the portal API guide).
pub const IDENTITY_HEADER: &str = "hoso-portal";

/// What went wrong talking to a server, sorted by what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// No answer, or an answer that is not from the portal: wait for the link.
    #[error("not connected: {0}")]
    NotConnected(String),
    /// The portal is busy or failing; try again later (after `retry_after` if it said so).
    #[error("the portal is temporarily unavailable (HTTP {status}): {detail}")]
    Transient { status: u16, retry_after: Option<Duration>, detail: String },
    /// The token is missing, unknown or revoked: nothing can go until it is fixed.
    #[error("the portal refused the token (HTTP {0})")]
    Unauthorized(u16),
    /// This request will never succeed as it is; `code` is the portal's error code.
    #[error("the portal refused the request (HTTP {status}, {code}): {message}")]
    Permanent { status: u16, code: String, message: String, body: serde_json::Value },
}

impl NetError {
    /// A short stable code for the outbox's records.
    pub fn code(&self) -> String {
        match self {
            Self::NotConnected(_) => "not_connected".to_owned(),
            Self::Transient { .. } => "portal_unavailable".to_owned(),
            Self::Unauthorized(_) => "unauthorized".to_owned(),
            Self::Permanent { code, .. } => code.clone(),
        }
    }
}

/// A sent request's outcome: the response, or a transport failure.
pub type Sent = Result<Response<ureq::Body>, ureq::Error>;

/// Whether answers must carry the portal header (false for a plain tus server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    Required,
    NotRequired,
}

/// Sorts an answer: `Ok` for a 2xx from the right server, else the kind of failure.
pub fn classify(sent: Sent, identity: Identity) -> Result<Response<ureq::Body>, NetError> {
    let mut response = match sent {
        Ok(r) => r,
        Err(e) => return Err(NetError::NotConnected(e.to_string())),
    };
    if identity == Identity::Required && response.headers().get(IDENTITY_HEADER).is_none() {
        return Err(NetError::NotConnected(format!(
            "HTTP {} without the portal header (a captive Wi-Fi page or a proxy)",
            response.status().as_u16()
        )));
    }
    let status = response.status().as_u16();
    if (200..300).contains(&status) {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let body: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    let code = body["code"].as_str().unwrap_or("").to_owned();
    let message =
        body["message"].as_str().map_or_else(|| text.chars().take(200).collect(), str::to_owned);
    Err(match status {
        401 | 403 => NetError::Unauthorized(status),
        408 | 423 | 425 | 429 | 500..=599 => {
            NetError::Transient { status, retry_after, detail: message }
        }
        _ => NetError::Permanent {
            status,
            code: if code.is_empty() { format!("http_{status}") } else { code },
            message,
            body,
        },
    })
}

/// An agent for talking to the portal: statuses are answers, not errors; no redirects.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_connect(Some(Duration::from_secs(15)))
        .user_agent(concat!("HoSo/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent()
}
