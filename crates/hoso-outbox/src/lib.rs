//! Sending dossiers to the portal, resumably and exactly once, and following them until the
//! result: the tus uploader ([`tus`]), the portal client ([`portal`]), answer classification
//! ([`net`]) and the [`Sender`] that drives the outbox kept in `hoso-store`.

mod clock;
mod enqueue;
pub mod net;
pub mod portal;
mod sender;
pub mod tus;

pub use clock::{Clock, SystemClock};
pub use enqueue::enqueue;
pub use net::NetError;
pub use portal::PortalConfig;
pub use sender::{Error, PAUSED_KEY, PassReport, Progress, Result, Sender};
