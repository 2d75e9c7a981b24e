//! The one error shape every front end sees: a closed set of codes plus a technical message.
//!
//! Front ends switch on the code and show their own words (Vietnamese first) with the fix; the
//! message is for logs and the CLI and may be English.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What went wrong, as a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No dossier with that id (or it is in the trash when a live one was needed).
    NotFound,
    /// The procedure code is not in the catalogue.
    UnknownProcedure,
    /// The field key is not a field of the dossier's procedure.
    UnknownField,
    /// The component code is not a component of the dossier's procedure.
    UnknownComponent,
    /// An argument is malformed (too long, wrong shape).
    InvalidInput,
    /// The dossier is no longer a draft (it was finalised or sent) and cannot be changed.
    NotEditable,
    /// The dossier still has missing items and cannot be finalised.
    NotReady,
    /// No portal is configured, or it could not be reached in time.
    PortalUnreachable,
    /// The database file is damaged.
    StoreCorrupt,
    /// Another program holds the database.
    StoreLocked,
    /// The database or its folder cannot be written.
    StoreReadOnly,
    /// The database was written by a newer HoSo.
    StoreTooNew,
    /// The disk is full.
    DiskFull,
    /// The store could not be opened for another reason (see the message).
    StoreUnavailable,
    /// A photo cannot be read or made into a page; the message (Vietnamese) says why and what
    /// to do.
    BadImage,
    /// A `.hoso` bundle is refused; the message (Vietnamese) says why and what to do (the
    /// bundle reader's own code — `path_traversal`, `signature_invalid`… — is `hoso_bundle`'s).
    BadBundle,
    /// The dossier is already on this computer in another version: replacing it needs the
    /// person's confirmation.
    Exists,
    /// Tesseract or its Vietnamese data is not installed, so pages cannot be read.
    OcrUnavailable,
    /// A bug or an unexpected failure; the message says what.
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::UnknownProcedure => "unknown_procedure",
            Self::UnknownField => "unknown_field",
            Self::UnknownComponent => "unknown_component",
            Self::InvalidInput => "invalid_input",
            Self::NotEditable => "not_editable",
            Self::NotReady => "not_ready",
            Self::PortalUnreachable => "portal_unreachable",
            Self::StoreCorrupt => "store_corrupt",
            Self::StoreLocked => "store_locked",
            Self::StoreReadOnly => "store_read_only",
            Self::StoreTooNew => "store_too_new",
            Self::DiskFull => "disk_full",
            Self::StoreUnavailable => "store_unavailable",
            Self::BadImage => "bad_image",
            Self::BadBundle => "bad_bundle",
            Self::Exists => "exists",
            Self::OcrUnavailable => "ocr_unavailable",
            Self::Internal => "internal",
        }
    }
}

/// An error as every front end receives it: `{ code, message }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{code_str}: {message}", code_str = .code.as_str())]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    /// Converts a store error, naming the database file where that helps the user.
    pub(crate) fn from_store(e: hoso_store::Error, data_dir: &Path) -> Self {
        use hoso_store::Error as E;
        let db = data_dir.join(hoso_store::DB_FILE);
        let code = match &e {
            E::Corrupt(_) => ErrorCode::StoreCorrupt,
            E::Locked => ErrorCode::StoreLocked,
            E::ReadOnly => ErrorCode::StoreReadOnly,
            E::TooNew { .. } => ErrorCode::StoreTooNew,
            E::DiskFull => ErrorCode::DiskFull,
            E::DossierNotFound(_) | E::PageNotFound(_) => ErrorCode::NotFound,
            E::DossierExists(_) => ErrorCode::InvalidInput,
            E::NotADraft(_) => ErrorCode::NotEditable,
            E::Io(_) => ErrorCode::StoreUnavailable,
            E::Sqlite(_) => ErrorCode::Internal,
        };
        let message = match code {
            ErrorCode::NotFound | ErrorCode::InvalidInput | ErrorCode::NotEditable => e.to_string(),
            _ => format!("{e} ({})", db.display()),
        };
        Self { code, message }
    }
}
