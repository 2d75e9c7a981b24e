//! The procedure catalogue (thủ tục hành chính) and everything that depends only on it.
//!
//! A procedure says which documents (components) a dossier needs and which form fields the
//! applicant fills in. This crate owns that model, the bundled catalogue file, search that
//! ignores Vietnamese diacritics, and validation of form values. It knows nothing about storage
//! or transport: the store keeps values, the façade turns these types into IPC types.

mod civil_date;
mod fee;
mod model;
mod search;
pub mod text;
mod validate;

pub use civil_date::CivilDate;
pub use fee::{FeeKind, FeeLine, FeeQuote, FeeRule, Tier, vnd};
pub use model::{
    Catalogue, Component, CopyKind, Field, FieldKind, Level, Looks, OnlineLevel, Procedure, Reads,
    Section, compare_versions,
};
pub use validate::{FieldIssue, IssueCode, Values, check_cccd, validate};

/// The catalogue file compiled into the binary, used until the portal provides a newer one.
pub const BUNDLED_JSON: &str = include_str!("../data/catalogue.json");

/// Errors of reading a catalogue file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("catalogue file is not valid: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("catalogue is inconsistent: {0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, Error>;
