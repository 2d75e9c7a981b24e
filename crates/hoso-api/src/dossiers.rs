//! Dossiers: create, open, autosave, list, duplicate, trash.

use std::collections::{BTreeMap, BTreeSet};

use hoso_catalogue::{self as cat, CivilDate, text};
use hoso_store::{Content, ListFilter, NewDossier, Summary};

use crate::procedures::{detail, issue, unknown_procedure};
use crate::scan::scan_info;
use crate::types::{
    ComponentStatus, Dossier, DossierList, DossierListItem, DossierState, FieldChange, FieldIssue,
    ListQuery, PageInfo, ResultInfo, SaveOutcome, TimelineEntry,
};
use crate::{ApiError, ErrorCode, Hoso, Result};

/// The largest file a page may be (a phone photo is 3–6 MB; a scan of many pages more).
pub const MAX_PAGE_BYTES: usize = 30 * 1024 * 1024;

/// The media type of a file from its first bytes (names can lie).
pub fn media_type_of(bytes: &[u8]) -> &'static str {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [b'%', b'P', b'D', b'F', ..] => "application/pdf",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        [b'I', b'I', 42, 0, ..] | [b'M', b'M', 0, 42, ..] => "image/tiff",
        [_, _, _, _, b'f', b't', b'y', b'p', b'h', b'e', b'i', b'c' | b'x' | b'f', ..] => {
            "image/heic"
        }
        _ => "application/octet-stream",
    }
}

/// The longest value a field may hold, in characters; longer input is refused, not cut.
pub const MAX_VALUE_CHARS: usize = 10_000;
/// Dossiers per list page unless the caller asks otherwise, and the most it may ask for.
const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 500;

impl Hoso {
    /// Creates a draft for `procedure_code` with optional first values; returns it.
    pub fn create_dossier(&self, procedure_code: &str, fields: &[FieldChange]) -> Result<Dossier> {
        let procedure = self
            .catalogue
            .procedure(procedure_code)
            .ok_or_else(|| unknown_procedure(procedure_code))?;
        let values: BTreeMap<String, String> = checked_changes(procedure, fields)?
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let now = self.clock.now_ms();
        let id = new_id(now);
        let today = self.today();
        self.store()
            .insert_dossier(&NewDossier { id: &id, procedure_code, values: &values, now }, |c| {
                evaluate(Some(procedure), c, today).0
            })
            .map_err(|e| self.store_err(e))?;
        self.dossier(&id)
    }

    /// A dossier with its procedure, values, validation and checklist.
    pub fn dossier(&self, id: &str) -> Result<Dossier> {
        let (record, sending, extras) = {
            let store = self.store();
            let record = store.dossier(id).map_err(|e| self.store_err(e))?;
            let sending = self.sending(&store, id).map_err(|e| self.store_err(e))?;
            let extras = (|| -> hoso_store::Result<_> {
                Ok((
                    store.receipt(id)?.1,
                    store.results(id)?,
                    store.events(id)?,
                    store.payment(id)?,
                ))
            })()
            .map_err(|e| self.store_err(e))?;
            (record, sending, extras)
        };
        let (status_message, results, events, payment) = extras;
        let procedure = self.catalogue.procedure(&record.row.procedure_code);
        let with_pages = components_with_pages(&record);
        let (summary, issues) = self.evaluate_record(&record);
        let components = procedure
            .map(|p| {
                p.components
                    .iter()
                    .map(|c| ComponentStatus {
                        code: c.code.clone(),
                        pages: record
                            .pages
                            .iter()
                            .filter(|pg| pg.component_code == c.code)
                            .map(|pg| (pg, scan_info(pg)))
                            .map(|(pg, (scan_state, scan, scan_error))| PageInfo {
                                id: pg.id,
                                position: pg.position,
                                sha256: pg.sha256.clone(),
                                media_type: pg.media_type.clone(),
                                byte_size: pg.byte_size,
                                original_name: pg.original_name.clone(),
                                added_at: pg.added_at,
                                scan_state,
                                scan,
                                scan_error,
                            })
                            .collect(),
                        missing: c.required && !with_pages.contains(&c.code),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let draft = state(record.row.state) == crate::types::DossierState::Draft;
        let fee_day = self.fee_day(draft, &events);
        let fee = crate::fee::fee_info(&match procedure {
            Some(p) => p.fee_quote(&record.values, fee_day),
            None => hoso_catalogue::FeeRule::Province.quote(&record.values, fee_day),
        });
        let payment = payment.as_ref().map(crate::fee::payment_info).transpose()?;
        let row = record.row;
        Ok(Dossier {
            fee,
            payment,
            id: row.id,
            procedure_code: row.procedure_code,
            procedure: procedure.map(detail),
            state: state(row.state),
            title: row.title,
            values: record.values,
            issues,
            components,
            missing: summary.missing,
            created_at: row.created_at,
            updated_at: row.updated_at,
            deleted_at: row.deleted_at,
            receipt: row.receipt,
            status_message,
            sending,
            results: results
                .into_iter()
                .map(|(name, media_type, sha256)| ResultInfo { name, media_type, sha256 })
                .collect(),
            timeline: events
                .into_iter()
                .map(|e| TimelineEntry { at: e.at, kind: e.kind, detail: e.detail })
                .collect(),
        })
    }

    /// Saves field values (autosave) and returns the new validation state.
    pub fn save_fields(&self, id: &str, changes: &[FieldChange]) -> Result<SaveOutcome> {
        let code = self.store().dossier_procedure(id).map_err(|e| self.store_err(e))?;
        let procedure = self.catalogue.procedure(&code).ok_or_else(|| unknown_procedure(&code))?;
        let changes = checked_changes(procedure, changes)?;
        let pairs: Vec<(&str, &str)> =
            changes.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let now = self.clock.now_ms();
        let today = self.today();
        let mut issues = Vec::new();
        let mut quote = None;
        let summary = self
            .store()
            .update_values(id, &pairs, now, |c| {
                let (summary, found) = evaluate(Some(procedure), c, today);
                issues = found;
                quote = Some(procedure.fee_quote(c.values, today));
                summary
            })
            .map_err(|e| self.store_err(e))?;
        let fee = crate::fee::fee_info(
            &quote.unwrap_or_else(|| procedure.fee_quote(&Default::default(), today)),
        );
        Ok(SaveOutcome {
            title: summary.title,
            issues,
            missing: summary.missing,
            fee,
            saved_at: now,
        })
    }

    /// Attaches a file to a component of a dossier.
    pub fn add_page(
        &self,
        id: &str,
        component: &str,
        bytes: &[u8],
        media_type: &str,
        original_name: &str,
    ) -> Result<Dossier> {
        if bytes.len() > MAX_PAGE_BYTES {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "the file is {} bytes; a page may be at most {MAX_PAGE_BYTES}",
                    bytes.len()
                ),
            ));
        }
        let code = self.store().dossier_procedure(id).map_err(|e| self.store_err(e))?;
        let procedure = self.catalogue.procedure(&code).ok_or_else(|| unknown_procedure(&code))?;
        if !procedure.components.iter().any(|c| c.code == component) {
            return Err(ApiError::new(
                ErrorCode::UnknownComponent,
                format!("procedure {code} has no component {component}"),
            ));
        }
        let today = self.today();
        let file = hoso_store::PageFile { bytes, media_type, original_name };
        self.store()
            .add_page(id, component, file, self.clock.now_ms(), |c| {
                evaluate(Some(procedure), c, today).0
            })
            .map_err(|e| self.store_err(e))?;
        self.dossier(id)
    }

    /// Live dossiers (or the trash) matching the query, newest change first.
    pub fn list_dossiers(&self, q: &ListQuery) -> Result<DossierList> {
        let folded = text::fold(&q.query);
        let filter = ListFilter {
            trash: q.trash,
            words: folded.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect(),
            limit: q.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT),
            offset: q.offset.unwrap_or(0),
        };
        let page = self.store().list(&filter).map_err(|e| self.store_err(e))?;
        let items = page
            .rows
            .into_iter()
            .map(|r| DossierListItem {
                progress: self.upload_percent(&r.id),
                procedure_name: self
                    .catalogue
                    .procedure(&r.procedure_code)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                id: r.id,
                procedure_code: r.procedure_code,
                state: state(r.state),
                title: r.title,
                missing: r.missing,
                created_at: r.created_at,
                updated_at: r.updated_at,
                deleted_at: r.deleted_at,
                receipt: r.receipt,
                job_state: r.job_state.map(crate::sending::job_state),
                job_error: r.job_error,
            })
            .collect();
        Ok(DossierList { items, total: page.total })
    }

    /// Copies a dossier into a new draft (values and documents) and returns the copy.
    pub fn duplicate_dossier(&self, id: &str) -> Result<Dossier> {
        let now = self.clock.now_ms();
        let new = new_id(now);
        self.store().duplicate(id, &new, now).map_err(|e| self.store_err(e))?;
        self.dossier(&new)
    }

    /// Moves a dossier to the trash.
    pub fn trash_dossier(&self, id: &str) -> Result<()> {
        self.store().trash(id, self.clock.now_ms()).map_err(|e| self.store_err(e))
    }

    /// Brings a dossier back from the trash.
    pub fn restore_dossier(&self, id: &str) -> Result<()> {
        self.store().restore(id, self.clock.now_ms()).map_err(|e| self.store_err(e))
    }

    /// Deletes a dossier in the trash for good.
    pub fn purge_dossier(&self, id: &str) -> Result<()> {
        self.store().purge(id).map_err(|e| self.store_err(e))
    }

    pub(crate) fn today(&self) -> CivilDate {
        CivilDate::in_vietnam_at(self.clock.now_ms())
    }
}

/// A new client-made dossier id: a UUIDv7 whose time part is `now_ms`.
pub(crate) fn new_id(now_ms: i64) -> String {
    let ms = u64::try_from(now_ms).unwrap_or(0);
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        ms / 1000,
        u32::try_from(ms % 1000).unwrap_or(0) * 1_000_000,
    );
    uuid::Uuid::new_v7(ts).to_string()
}

/// Checks keys against the procedure and lengths, and puts values in NFC.
fn checked_changes(
    procedure: &cat::Procedure,
    changes: &[FieldChange],
) -> Result<Vec<(String, String)>> {
    changes
        .iter()
        .map(|c| {
            let delivery =
                c.key == crate::fee::DELIVERY_METHOD || c.key == crate::fee::DELIVERY_ADDRESS;
            if c.key == crate::fee::DELIVERY_METHOD
                && !c.value.is_empty()
                && !crate::fee::DELIVERY_METHODS.contains(&c.value.as_str())
            {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "delivery.method must be one of {}",
                        crate::fee::DELIVERY_METHODS.join(", ")
                    ),
                ));
            }
            if !delivery && procedure.field(&c.key).is_none() {
                return Err(ApiError::new(
                    ErrorCode::UnknownField,
                    format!("procedure {} has no field {}", procedure.code, c.key),
                ));
            }
            let value = text::nfc(&c.value);
            if value.chars().count() > MAX_VALUE_CHARS {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("field {} is longer than {MAX_VALUE_CHARS} characters", c.key),
                ));
            }
            Ok((c.key.clone(), value))
        })
        .collect()
}

/// The components of a dossier that have at least one page.
fn components_with_pages(record: &hoso_store::DossierRecord) -> BTreeSet<String> {
    record.pages.iter().map(|p| p.component_code.clone()).collect()
}

impl Hoso {
    /// Validates a stored dossier as it is now: its summary and field issues.
    pub(crate) fn evaluate_record(
        &self,
        record: &hoso_store::DossierRecord,
    ) -> (Summary, Vec<FieldIssue>) {
        let with_pages = components_with_pages(record);
        let content = Content {
            procedure_code: &record.row.procedure_code,
            values: &record.values,
            components_with_pages: &with_pages,
        };
        evaluate(self.catalogue.procedure(&record.row.procedure_code), &content, self.today())
    }
}

/// Validates a dossier's content: the list summary and the field issues.
pub(crate) fn evaluate(
    procedure: Option<&cat::Procedure>,
    c: &Content<'_>,
    today: CivilDate,
) -> (Summary, Vec<FieldIssue>) {
    let title =
        c.values.get("applicant.full_name").map(|s| s.trim().to_owned()).unwrap_or_default();
    let Some(p) = procedure else {
        let search_text = text::fold(&format!("{} {}", c.procedure_code, join_values(c.values)));
        return (Summary { title, search_text, missing: 0 }, Vec::new());
    };
    let issues: Vec<FieldIssue> =
        cat::validate(p, c.values, today).into_iter().map(issue).collect();
    let missing_docs = p
        .components
        .iter()
        .filter(|k| k.required && !c.components_with_pages.contains(&k.code))
        .count();
    let missing = u32::try_from(issues.len() + missing_docs).unwrap_or(u32::MAX);
    let search_text = text::fold(&format!("{} {} {}", p.name, p.code, join_values(c.values)));
    (Summary { title, search_text, missing }, issues)
}

fn join_values(values: &BTreeMap<String, String>) -> String {
    values.values().map(String::as_str).collect::<Vec<_>>().join(" ")
}

fn state(s: hoso_store::DossierState) -> DossierState {
    use hoso_store::DossierState as S;
    match s {
        S::Draft => DossierState::Draft,
        S::Queued => DossierState::Queued,
        S::Uploading => DossierState::Uploading,
        S::Received => DossierState::Received,
        S::Processing => DossierState::Processing,
        S::SupplementRequested => DossierState::SupplementRequested,
        S::ResultReady => DossierState::ResultReady,
        S::Rejected => DossierState::Rejected,
    }
}
