//! Dossiers that travel by USB stick or Zalo: `.hoso` bundles (see `hoso-bundle`) signed with
//! this device's Ed25519 key, imported exactly once, and receipt bundles that bring a receipt
//! code back to the citizen's copy. A commune official can import a citizen's bundle to send it
//! "on behalf" through their own outbox.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::types::{BundleInfo, Imported};
use crate::{ApiError, ErrorCode, Hoso, Result};
use hoso_bundle::{Device, DeviceKey, DossierPart, FileRef, Kind, Limits, Manifest};
use hoso_store::{NewDossier, PageFile};

/// The device's private key, in the data directory, readable by its owner only.
const KEY_FILE: &str = "device.key";
/// What the person calls this computer (settings); shown to whoever imports its bundles.
pub const DEVICE_LABEL_KEY: &str = "device.label";
/// The value a dossier sent on someone's behalf carries: whose dossier it is.
pub const BEHALF_KEY: &str = "behalf.of";

fn bad(e: &hoso_bundle::BundleError) -> ApiError {
    ApiError::new(ErrorCode::BadBundle, e.to_string())
}

/// What makes two bundles of a dossier the same: its procedure, values and files (not when or
/// where the bundle was written), so a bundle exported again unchanged is still "already here".
fn content_hash(m: &Manifest) -> String {
    use sha2::Digest as _;
    let key = serde_json::to_vec(&(&m.dossier.procedure_code, &m.dossier.values, &m.files))
        .unwrap_or_default();
    hex::encode(sha2::Sha256::digest(key))
}

fn imported_key(id: &str) -> String {
    format!("bundle.imported.{id}")
}

impl Hoso {
    /// This device's key, made at first use (32 random bytes, hex, owner-only file, written
    /// to a temporary file and renamed so a crash never leaves half a key).
    pub(crate) fn device_key(&self) -> Result<DeviceKey> {
        let path: PathBuf = self.data_dir.join(KEY_FILE);
        if let Ok(text) = std::fs::read_to_string(&path) {
            let secret: [u8; 32] =
                hex::decode(text.trim()).ok().and_then(|b| b.try_into().ok()).ok_or_else(|| {
                    ApiError::new(ErrorCode::Internal, format!("{} is damaged", path.display()))
                })?;
            return Ok(DeviceKey::from_secret(secret));
        }
        let key = DeviceKey::from_secret(rand_secret());
        let tmp = path.with_extension("tmp");
        write_private(&tmp, hex::encode(key.secret()).as_bytes())
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| {
                ApiError::new(ErrorCode::Internal, format!("cannot keep the device key: {e}"))
            })?;
        Ok(key)
    }

    fn device(&self) -> Result<Device> {
        let label = self
            .store()
            .kv(DEVICE_LABEL_KEY)
            .map_err(|e| self.store_err(e))?
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| "Máy tính có HoSo".to_owned());
        Ok(Device { public_key: String::new(), label })
    }

    fn part(&self, record: &hoso_store::DossierRecord) -> Result<DossierPart> {
        let (receipt, status_message) =
            self.store().receipt(&record.row.id).map_err(|e| self.store_err(e))?;
        Ok(DossierPart {
            id: record.row.id.clone(),
            procedure_code: record.row.procedure_code.clone(),
            values: record.values.clone(),
            state: record.row.state.as_str().to_owned(),
            receipt,
            status_message,
            created_at: record.row.created_at,
            updated_at: record.row.updated_at,
            on_behalf_of: record.values.get(BEHALF_KEY).cloned(),
        })
    }

    /// Dossier `id` as a signed `.hoso` bundle: its values and every page's original file.
    pub fn bundle_export(&self, id: &str) -> Result<Vec<u8>> {
        let record = self.store().dossier(id).map_err(|e| self.store_err(e))?;
        let mut files = BTreeMap::new();
        let mut refs = Vec::new();
        for p in &record.pages {
            if !files.contains_key(&p.sha256) {
                let bytes = self.store().blobs().read(&p.sha256).map_err(|e| self.store_err(e))?;
                files.insert(p.sha256.clone(), bytes);
            }
            refs.push(FileRef {
                sha256: p.sha256.clone(),
                size: u64::try_from(p.byte_size).unwrap_or(0),
                component: p.component_code.clone(),
                position: i64::from(p.position),
                name: p.original_name.clone(),
                media_type: p.media_type.clone(),
            });
        }
        let manifest = Manifest {
            format: hoso_bundle::FORMAT,
            kind: Kind::Dossier,
            created_at: self.clock.now_ms(),
            device: self.device()?,
            dossier: self.part(&record)?,
            files: refs,
        };
        hoso_bundle::write(manifest, &files, &self.device_key()?).map_err(|e| bad(&e))
    }

    /// A receipt bundle for dossier `id` (sent from here on someone's behalf): its receipt code
    /// and state, for the citizen's own copy. No files.
    pub fn bundle_export_receipt(&self, id: &str) -> Result<Vec<u8>> {
        let record = self.store().dossier(id).map_err(|e| self.store_err(e))?;
        let part = self.part(&record)?;
        if part.receipt.is_none() {
            return Err(ApiError::new(
                ErrorCode::NotReady,
                format!("dossier {id} has no receipt yet: send it first"),
            ));
        }
        let manifest = Manifest {
            format: hoso_bundle::FORMAT,
            kind: Kind::Receipt,
            created_at: self.clock.now_ms(),
            device: self.device()?,
            dossier: part,
            files: Vec::new(),
        };
        hoso_bundle::write(manifest, &BTreeMap::new(), &self.device_key()?).map_err(|e| bad(&e))
    }

    /// Reads and checks a bundle, and says what it is and whether this computer has it.
    pub fn bundle_info(&self, bytes: &[u8]) -> Result<BundleInfo> {
        let opened = hoso_bundle::read(bytes, &Limits::default()).map_err(|e| bad(&e))?;
        let m = &opened.manifest;
        let existing = self.existing(&m.dossier.id, &content_hash(m))?;
        Ok(BundleInfo {
            kind: match m.kind {
                Kind::Dossier => "dossier",
                Kind::Receipt => "receipt",
            }
            .to_owned(),
            dossier_id: m.dossier.id.clone(),
            procedure_code: m.dossier.procedure_code.clone(),
            procedure_name: self
                .catalogue
                .procedure(&m.dossier.procedure_code)
                .map_or_else(String::new, |p| p.name.clone()),
            applicant: m.dossier.values.get("applicant.full_name").cloned().unwrap_or_default(),
            pages: m.files.len(),
            receipt: m.dossier.receipt.clone(),
            made_by: m.device.label.clone(),
            fingerprint: hoso_bundle::fingerprint(&m.device.public_key),
            created_at: m.created_at,
            existing,
        })
    }

    fn existing(&self, id: &str, content: &str) -> Result<Option<String>> {
        let store = self.store();
        match store.dossier_procedure(id) {
            Ok(_) => {}
            Err(hoso_store::Error::DossierNotFound(_)) => return Ok(None),
            Err(e) => return Err(self.store_err(e)),
        }
        let same =
            store.kv(&imported_key(id)).map_err(|e| self.store_err(e))?.as_deref() == Some(content);
        Ok(Some(if same { "same" } else { "different" }.to_owned()))
    }

    /// Imports a bundle. A dossier bundle becomes a draft here with the same id (never twice:
    /// the same bundle again does nothing; another version of a dossier this computer has
    /// needs `replace`, and only a draft is replaced). `on_behalf`: a commune official sends
    /// it for the citizen (the dossier is marked so, and the portal is told). A receipt
    /// bundle sets the receipt code and state of the dossier it names.
    pub fn bundle_import(&self, bytes: &[u8], replace: bool, on_behalf: bool) -> Result<Imported> {
        let opened = hoso_bundle::read(bytes, &Limits::default()).map_err(|e| {
            self.log(&format!("bundle refused code={} bytes={}", e.code(), bytes.len()));
            bad(&e)
        })?;
        let m = &opened.manifest;
        let id = m.dossier.id.clone();
        let existing = self.existing(&id, &content_hash(m))?;
        if m.kind == Kind::Receipt {
            return self.import_receipt(m, existing.is_some());
        }
        let procedure = self.catalogue.procedure(&m.dossier.procedure_code).ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownProcedure,
                format!("this computer's catalogue has no procedure {}", m.dossier.procedure_code),
            )
        })?;
        if uuid::Uuid::parse_str(&id).is_err() {
            return Err(ApiError::new(
                ErrorCode::BadBundle,
                format!("dossier id {id} is not a UUID"),
            ));
        }
        let outcome = match existing.as_deref() {
            Some("same") => return Ok(Imported { id, outcome: "already".into() }),
            Some(_) if !replace => {
                return Err(ApiError::new(
                    ErrorCode::Exists,
                    format!(
                        "Hồ sơ này đã có trên máy với nội dung khác (gói lập lúc {}). Chọn \"Thay thế\" để dùng bản trong gói.",
                        crate::sending::vietnam_time(m.created_at)
                    ),
                ));
            }
            Some(_) => {
                let local = self.dossier(&id)?;
                if local.state != crate::types::DossierState::Draft {
                    return Err(ApiError::new(
                        ErrorCode::NotEditable,
                        "the dossier here is already finalised or sent; it is not replaced",
                    ));
                }
                let store = self.store();
                let now = self.clock.now_ms();
                store
                    .trash(&id, now)
                    .and_then(|()| store.purge(&id))
                    .map_err(|e| self.store_err(e))?;
                "replaced"
            }
            None => "imported",
        };
        let mut values: BTreeMap<String, String> = m.dossier.values.clone();
        if on_behalf {
            let whose = values.get("applicant.full_name").cloned().unwrap_or_default();
            values.insert(
                BEHALF_KEY.to_owned(),
                format!("{whose} (gói từ {})", m.device.label).trim().to_owned(),
            );
        }
        let now = self.clock.now_ms();
        let today = self.today();
        let store = self.store();
        store
            .insert_dossier(
                &NewDossier {
                    id: &id,
                    procedure_code: &m.dossier.procedure_code,
                    values: &values,
                    now,
                },
                |c| crate::dossiers::evaluate(Some(procedure), c, today).0,
            )
            .map_err(|e| self.store_err(e))?;
        let mut pages: Vec<&FileRef> = m.files.iter().collect();
        pages.sort_by_key(|f| (f.component.clone(), f.position));
        for f in pages {
            let bytes = &opened.files[&f.sha256];
            store
                .add_page(
                    &id,
                    &f.component,
                    PageFile { bytes, media_type: &f.media_type, original_name: &f.name },
                    now,
                    |c| crate::dossiers::evaluate(Some(procedure), c, today).0,
                )
                .map_err(|e| self.store_err(e))?;
        }
        store.set_kv(&imported_key(&id), Some(&content_hash(m))).map_err(|e| self.store_err(e))?;
        drop(store);
        self.log(&format!(
            "bundle {outcome} {} files={} on_behalf={on_behalf}",
            crate::log::short(&id),
            m.files.len()
        ));
        Ok(Imported { id, outcome: outcome.into() })
    }

    fn import_receipt(&self, m: &Manifest, known: bool) -> Result<Imported> {
        let id = m.dossier.id.clone();
        if !known {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                "Gói biên nhận này thuộc một hồ sơ không có trên máy. Hãy mở gói trên máy đã lập hồ sơ.",
            ));
        }
        let receipt = m.dossier.receipt.clone().ok_or_else(|| {
            ApiError::new(ErrorCode::BadBundle, "a receipt bundle without a receipt code")
        })?;
        let store = self.store();
        let now = self.clock.now_ms();
        store.record_receipt(&id, &receipt, m.created_at, now).map_err(|e| self.store_err(e))?;
        if let Some(state) = hoso_store::DossierState::parse(&m.dossier.state) {
            let change = hoso_store::StatusChange {
                dossier_id: &id,
                state,
                message: &m.dossier.status_message,
                at: m.created_at,
            };
            store.apply_status(&change, now).map_err(|e| self.store_err(e))?;
        }
        Ok(Imported { id, outcome: "receipt".into() })
    }
}

fn rand_secret() -> [u8; 32] {
    rand::random()
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    // The data directory is in the user's profile, which only they can read.
    std::fs::write(path, bytes)
}
