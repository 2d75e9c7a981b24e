//! The `.hoso` bundle: one file that carries a dossier by USB stick or Zalo and arrives intact
//! and attributable. It is a ZIP with `manifest.json` (the dossier's values and state, and every
//! file's SHA-256, size, paper and position), `manifest.sig` (the device's Ed25519 signature of
//! the manifest's exact bytes, hex) and `files/<sha256>` (each distinct file once).
//!
//! Reading trusts nothing: the archive's structure is checked first (see [`zip`]), then the
//! names (only the three kinds above), the manifest's size and format version, the signature,
//! and every file's hash. Everything stays in memory: the reader writes no file at all, so a
//! hostile bundle cannot write outside the app's data directory. Each refusal has a stable
//! code and a Vietnamese message that says what to do.

pub mod zip;

use std::collections::BTreeMap;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The only manifest format this build reads and writes.
pub const FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";
const SIGNATURE: &str = "manifest.sig";
const FILES: &str = "files/";

/// How much a bundle may hold. The defaults fit any real dossier (photos of up to 30 MB, a few
/// hundred pages) and stop archives built to exhaust memory.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_bundle_bytes: u64,
    pub max_entries: usize,
    pub max_file_bytes: u64,
    pub max_total_bytes: u64,
    pub max_manifest_bytes: u64,
    /// Uncompressed over compressed size, above `ratio_floor` bytes.
    pub max_ratio: u64,
    pub ratio_floor: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bundle_bytes: 600 << 20,
            max_entries: 2_000,
            max_file_bytes: 64 << 20,
            max_total_bytes: 512 << 20,
            max_manifest_bytes: 1 << 20,
            max_ratio: 100,
            ratio_floor: 1 << 20,
        }
    }
}

/// Why a bundle is refused, in Vietnamese with what to do.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BundleError {
    #[error("Tệp này không phải gói hồ sơ HoSo (.hoso). Hãy chọn đúng tệp đã xuất từ HoSo.")]
    NotABundle,
    #[error(
        "Gói hồ sơ bị cắt cụt (chép chưa xong hoặc tải về chưa hết). Hãy chép hoặc tải lại tệp."
    )]
    Truncated,
    #[error("Gói hồ sơ bị hỏng ({0}). Hãy xin người gửi xuất lại gói.")]
    Corrupt(String),
    #[error(
        "Gói hồ sơ chứa đường dẫn tuyệt đối ({0}), có thể ghi đè tệp trên máy. HoSo không mở gói này."
    )]
    AbsolutePath(String),
    #[error(
        "Gói hồ sơ chứa đường dẫn thoát ra ngoài ({0}), có thể ghi đè tệp trên máy. HoSo không mở gói này."
    )]
    PathTraversal(String),
    #[error(
        "Gói hồ sơ chứa liên kết tượng trưng ({0}). Gói do HoSo xuất không bao giờ có; HoSo không mở gói này."
    )]
    Symlink(String),
    #[error("Gói hồ sơ có hai mục cùng tên ({0}). Hãy xin người gửi xuất lại gói.")]
    DuplicateName(String),
    #[error("Gói hồ sơ chứa mục lạ ({0}). Gói do HoSo xuất không có mục này; HoSo không mở gói.")]
    UnexpectedEntry(String),
    #[error("Gói hồ sơ có quá nhiều mục (hơn {0}). HoSo không mở gói này.")]
    TooManyEntries(usize),
    #[error("Gói hồ sơ quá lớn (vượt {0} byte). Hãy chia hồ sơ hoặc giảm dung lượng ảnh.")]
    TooLarge(u64),
    #[error(
        "Gói hồ sơ có dữ liệu nén bất thường ({0}), dấu hiệu của tệp phá hoại. HoSo không mở gói này."
    )]
    ZipBomb(String),
    #[error("Gói hồ sơ thiếu bản kê (manifest.json). Hãy xin người gửi xuất lại gói.")]
    ManifestMissing,
    #[error("Bản kê của gói hồ sơ quá lớn (vượt {0} byte). HoSo không mở gói này.")]
    ManifestTooLarge(u64),
    #[error("Bản kê của gói hồ sơ không đọc được ({0}). Hãy xin người gửi xuất lại gói.")]
    ManifestInvalid(String),
    #[error("Gói hồ sơ theo định dạng {0}, mới hơn bản HoSo này. Hãy cập nhật HoSo rồi mở lại.")]
    UnknownFormat(u32),
    #[error(
        "Gói hồ sơ không có chữ ký của máy đã xuất, nên không biết ai gửi và có bị sửa không. HoSo không nhận gói này."
    )]
    SignatureMissing,
    #[error(
        "Chữ ký của gói hồ sơ không đúng: gói đã bị sửa sau khi xuất. Hãy xin người gửi xuất lại gói."
    )]
    SignatureInvalid,
    #[error(
        "Tệp {0} trong gói không khớp mã kiểm tra: đã bị sửa hoặc hỏng. Hãy xin người gửi xuất lại gói."
    )]
    HashMismatch(String),
    #[error("Gói hồ sơ thiếu tệp {0} mà bản kê có ghi. Hãy xin người gửi xuất lại gói.")]
    FileMissing(String),
}

impl BundleError {
    /// A short stable code for scripts and the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotABundle => "not_a_bundle",
            Self::Truncated => "truncated",
            Self::Corrupt(_) => "corrupt",
            Self::AbsolutePath(_) => "absolute_path",
            Self::PathTraversal(_) => "path_traversal",
            Self::Symlink(_) => "symlink",
            Self::DuplicateName(_) => "duplicate_name",
            Self::UnexpectedEntry(_) => "unexpected_entry",
            Self::TooManyEntries(_) => "too_many_entries",
            Self::TooLarge(_) => "too_large",
            Self::ZipBomb(_) => "zip_bomb",
            Self::ManifestMissing => "manifest_missing",
            Self::ManifestTooLarge(_) => "manifest_too_large",
            Self::ManifestInvalid(_) => "manifest_invalid",
            Self::UnknownFormat(_) => "unknown_format",
            Self::SignatureMissing => "signature_missing",
            Self::SignatureInvalid => "signature_invalid",
            Self::HashMismatch(_) => "hash_mismatch",
            Self::FileMissing(_) => "file_missing",
        }
    }
}

/// What a bundle carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A dossier to continue or submit elsewhere.
    Dossier,
    /// A submitted dossier's receipt and state, sent back to the citizen's copy.
    Receipt,
}

/// The device that made a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Device {
    /// Ed25519 public key, hex.
    pub public_key: String,
    /// What the person called this computer ("Máy UBND xã Tả Van").
    pub label: String,
}

/// The dossier as the bundle carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DossierPart {
    pub id: String,
    pub procedure_code: String,
    pub values: BTreeMap<String, String>,
    pub state: String,
    pub receipt: Option<String>,
    pub status_message: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Set by a commune official's device when it submits for the citizen.
    pub on_behalf_of: Option<String>,
}

/// One page (file) of the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileRef {
    pub sha256: String,
    pub size: u64,
    pub component: String,
    pub position: i64,
    pub name: String,
    pub media_type: String,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    pub format: u32,
    pub kind: Kind,
    pub created_at: i64,
    pub device: Device,
    pub dossier: DossierPart,
    pub files: Vec<FileRef>,
}

/// A bundle read and checked.
#[derive(Debug, Clone)]
pub struct Opened {
    pub manifest: Manifest,
    /// By SHA-256.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The SHA-256 of the manifest's bytes: the same bundle imported twice has the same one.
    pub manifest_sha256: String,
}

/// This device's signing key. Made once from 32 random bytes and kept private by the caller.
#[derive(Debug, Clone)]
pub struct DeviceKey(SigningKey);

impl DeviceKey {
    pub fn from_secret(secret: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&secret))
    }
    pub fn secret(&self) -> [u8; 32] {
        self.0.to_bytes()
    }
    /// The public key, hex (what a bundle's manifest names).
    pub fn public_hex(&self) -> String {
        hex::encode(self.0.verifying_key().to_bytes())
    }
}

/// A short, readable form of a public key for people to compare ("3F2A-91C0-…").
pub fn fingerprint(public_hex: &str) -> String {
    let digest = Sha256::digest(public_hex.as_bytes());
    hex::encode_upper(&digest[..8])
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes a bundle: the manifest (with this device's public key) signed by `key`, and each
/// distinct file the manifest lists, from `files` (by SHA-256).
pub fn write(
    mut manifest: Manifest,
    files: &BTreeMap<String, Vec<u8>>,
    key: &DeviceKey,
) -> Result<Vec<u8>, BundleError> {
    manifest.format = FORMAT;
    manifest.device.public_key = key.public_hex();
    let json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| BundleError::ManifestInvalid(e.to_string()))?;
    let signature = key.0.sign(&json);
    let mut entries = vec![
        zip::Entry::file(MANIFEST, json),
        zip::Entry::file(SIGNATURE, hex::encode(signature.to_bytes()).into_bytes()),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for f in &manifest.files {
        if seen.insert(f.sha256.clone()) {
            let bytes =
                files.get(&f.sha256).ok_or_else(|| BundleError::FileMissing(f.name.clone()))?;
            entries.push(zip::Entry::file(&format!("{FILES}{}", f.sha256), bytes.clone()));
        }
    }
    Ok(zip::write(&entries))
}

/// Reads and checks a bundle (see the module's notes for the order of checks).
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Opened, BundleError> {
    let entries = zip::read(bytes, limits)?;
    let mut manifest_bytes = None;
    let mut signature = None;
    let mut files = BTreeMap::new();
    for (name, data) in entries {
        if name == MANIFEST {
            manifest_bytes = Some(data);
        } else if name == SIGNATURE {
            signature = Some(data);
        } else if let Some(sha) = name.strip_prefix(FILES)
            && sha.len() == 64
            && sha.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            files.insert(sha.to_owned(), data);
        } else {
            return Err(BundleError::UnexpectedEntry(name));
        }
    }
    let manifest_bytes = manifest_bytes.ok_or(BundleError::ManifestMissing)?;
    if manifest_bytes.len() as u64 > limits.max_manifest_bytes {
        return Err(BundleError::ManifestTooLarge(limits.max_manifest_bytes));
    }
    // The version first: a newer format is "update HoSo", not "damaged".
    #[derive(Deserialize)]
    struct Version {
        format: u32,
    }
    let version: Version = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| BundleError::ManifestInvalid(e.to_string()))?;
    if version.format != FORMAT {
        return Err(BundleError::UnknownFormat(version.format));
    }
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| BundleError::ManifestInvalid(e.to_string()))?;
    let signature = signature.ok_or(BundleError::SignatureMissing)?;
    verify(&manifest.device.public_key, &manifest_bytes, &signature)?;
    for f in &manifest.files {
        let data = files.get(&f.sha256).ok_or_else(|| BundleError::FileMissing(f.name.clone()))?;
        if sha_hex(data) != f.sha256 || data.len() as u64 != f.size {
            return Err(BundleError::HashMismatch(f.name.clone()));
        }
    }
    if let Some(extra) = files.keys().find(|sha| !manifest.files.iter().any(|f| &f.sha256 == *sha))
    {
        return Err(BundleError::UnexpectedEntry(format!("{FILES}{extra}")));
    }
    Ok(Opened { manifest_sha256: sha_hex(&manifest_bytes), manifest, files })
}

fn verify(public_hex: &str, message: &[u8], signature_hex: &[u8]) -> Result<(), BundleError> {
    let key: [u8; 32] = hex::decode(public_hex)
        .ok()
        .and_then(|k| k.try_into().ok())
        .ok_or(BundleError::SignatureInvalid)?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| BundleError::SignatureInvalid)?;
    let sig: [u8; 64] = std::str::from_utf8(signature_hex)
        .ok()
        .and_then(|s| hex::decode(s.trim()).ok())
        .and_then(|s| s.try_into().ok())
        .ok_or(BundleError::SignatureInvalid)?;
    let sig = ed25519_dalek::Signature::from_bytes(&sig);
    key.verify_strict(message, &sig).map_err(|_| BundleError::SignatureInvalid)
}
