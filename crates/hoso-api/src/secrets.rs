//! The portal token: in the operating system's keyring (Secret Service on Linux, Keychain,
//! Windows Credential Manager), never in the database. `HOSO_PORTAL_TOKEN` overrides it (for
//! scripts and tests). When no keyring is available, the token lasts for this session only and
//! the app says so.

use std::sync::Mutex;

/// The keyring service name HoSo's tokens are filed under.
const SERVICE: &str = "vn.hoso.desktop";
pub const TOKEN_ENV: &str = "HOSO_PORTAL_TOKEN";

/// Where the token in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Environment,
    Keyring,
    /// Kept in memory until HoSo closes (no keyring on this computer).
    Session,
    None,
}

#[derive(Debug, Default)]
pub struct Secrets {
    session: Mutex<Option<(String, String)>>,
}

impl Secrets {
    /// The token for the portal at `url`, and where it came from.
    pub fn token(&self, url: &str) -> (Option<String>, TokenSource) {
        if let Some(t) = std::env::var(TOKEN_ENV).ok().filter(|t| !t.trim().is_empty()) {
            return (Some(t.trim().to_owned()), TokenSource::Environment);
        }
        if let Some((u, t)) =
            self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
            && u == url
        {
            return (Some(t), TokenSource::Session);
        }
        match keyring::Entry::new(SERVICE, url).and_then(|e| e.get_password()) {
            Ok(t) => (Some(t), TokenSource::Keyring),
            Err(_) => (None, TokenSource::None),
        }
    }

    /// Keeps a token for `url`: in the keyring if there is one, else for this session.
    pub fn set_token(&self, url: &str, token: &str) -> TokenSource {
        let stored = keyring::Entry::new(SERVICE, url).and_then(|e| e.set_password(token));
        let mut session = self.session.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if stored.is_ok() {
            *session = None;
            TokenSource::Keyring
        } else {
            *session = Some((url.to_owned(), token.to_owned()));
            TokenSource::Session
        }
    }
}
