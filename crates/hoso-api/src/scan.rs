//! Photos into pages: each photo attached to a component is kept as it is and made, by
//! `hoso-scan`, into a clean compact page; the person can turn it, move its corners, change its
//! mode or go back to the whole photo at any time, because the original is never touched. A
//! component's scanned pages make one PDF.

use hoso_scan::{DocKind, Encoding, Mode, ScanError, ScanOptions, Scanned};
use hoso_store::Page;
use serde::{Deserialize, Serialize};

use crate::types::{Dossier, PageEdit, PageScan, ScanMode, ScanState};
use crate::{ApiError, ErrorCode, Hoso, Result};

/// The longest side of the photo preview used to place the corners by hand.
pub const PREVIEW_SIDE: u32 = 1200;
/// Pages are made at this resolution.
pub const DPI: u32 = 200;

/// What the `scan` column holds: how the page was made, or why it could not be.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum Stored {
    Made(PageScan),
    Failed { error: String },
}

/// Media types `hoso-scan` reads.
pub(crate) fn is_photo(media_type: &str) -> bool {
    matches!(media_type, "image/jpeg" | "image/png" | "image/webp" | "image/tiff" | "image/heic")
}

/// A stored page's scan as the UI sees it: state, how it was made, or why not.
pub(crate) fn scan_info(p: &Page) -> (ScanState, Option<PageScan>, Option<String>) {
    let stored = p.scan.as_deref().and_then(|s| serde_json::from_str::<Stored>(s).ok());
    match stored {
        Some(Stored::Made(mut scan)) => {
            if let Some((_, size)) = &p.out {
                scan.bytes = *size;
            }
            (ScanState::Done, Some(scan), None)
        }
        Some(Stored::Failed { error }) => (ScanState::Failed, None, Some(error)),
        None if is_photo(&p.media_type) => (ScanState::Pending, None, None),
        None => (ScanState::NotImage, None, None),
    }
}

fn mode_in(m: ScanMode) -> Mode {
    match m {
        ScanMode::Auto => Mode::Auto,
        ScanMode::Bw => Mode::Bw,
        ScanMode::Gray => Mode::Gray,
        ScanMode::Color => Mode::Color,
    }
}

fn mode_out(m: Mode) -> ScanMode {
    match m {
        Mode::Auto => ScanMode::Auto,
        Mode::Bw => ScanMode::Bw,
        Mode::Gray => ScanMode::Gray,
        Mode::Color => ScanMode::Color,
    }
}

/// The snake-case name serde gives a unit variant.
fn name_of(v: &impl Serialize) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

pub(crate) fn bad_image(e: &ScanError) -> ApiError {
    ApiError::new(ErrorCode::BadImage, e.to_string())
}

pub use hoso_archive::pdf_page;

impl Hoso {
    fn page(&self, id: &str, page_id: i64) -> Result<Page> {
        self.page_and_looks(id, page_id).map(|(p, _)| p)
    }

    /// A page of dossier `id`, and what its paper looks like (from the catalogue).
    fn page_and_looks(
        &self,
        id: &str,
        page_id: i64,
    ) -> Result<(Page, Option<hoso_catalogue::Looks>)> {
        let record = self.store().dossier(id).map_err(|e| self.store_err(e))?;
        let procedure = self.catalogue.procedure(&record.row.procedure_code);
        let page = record.pages.into_iter().find(|p| p.id == page_id).ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, format!("dossier {id} has no page {page_id}"))
        })?;
        let looks = procedure
            .and_then(|p| p.components.iter().find(|c| c.code == page.component_code))
            .map(|c| c.looks);
        Ok((page, looks))
    }

    /// The original file of a page (the photo as it came in).
    pub(crate) fn page_original(&self, id: &str, page_id: i64) -> Result<Vec<u8>> {
        let p = self.page(id, page_id)?;
        self.original(&p)
    }

    fn original(&self, p: &Page) -> Result<Vec<u8>> {
        self.store().blobs().read(&p.sha256).map_err(|e| self.store_err(e))
    }

    /// Makes a page from its photo (again): with `edit` `None`, everything is found
    /// automatically; otherwise as the person asked. A photo that cannot be read is recorded
    /// as such (the page stays, with the reason) and the error is returned.
    pub fn scan_page(&self, id: &str, page_id: i64, edit: Option<&PageEdit>) -> Result<Dossier> {
        let (p, looks) = self.page_and_looks(id, page_id)?;
        if !is_photo(&p.media_type) {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                format!("page {page_id} is a {} file, not a photo", p.media_type),
            ));
        }
        let bytes = self.original(&p)?;
        let mode = edit.map_or(ScanMode::Auto, |e| e.mode);
        let turn = edit.map_or(0, |e| e.turn % 4);
        let corners = edit.and_then(|e| e.corners).map(|c| hoso_scan::turn_corners(c, turn));
        let opts = ScanOptions { mode: mode_in(mode), dpi: DPI, corners, thumbnail: true };
        let now = self.clock.now_ms();
        match hoso_scan::scan(&bytes, &opts) {
            Ok(s) => {
                let mut scan = page_scan(&s, mode, corners.is_none());
                // A cut-off page's outline is not the page's, so its shape says nothing.
                let cut = s.flags.contains(&hoso_scan::Flag::CutOff);
                if !cut && looks.is_some_and(|l| !fits(l, s.kind)) {
                    scan.flags.push(WRONG_PAPER.to_owned());
                }
                let json = serde_json::to_string(&Stored::Made(scan))
                    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
                let files = hoso_store::ScanFiles {
                    scan: &json,
                    out: Some((&s.page.data, media_of(&s.page.encoding))),
                    thumb: Some(&s.thumb),
                };
                self.store()
                    .set_page_scan(id, page_id, &files, now)
                    .map_err(|e| self.store_err(e))?;
                self.dossier(id)
            }
            Err(e) => {
                let json = serde_json::to_string(&Stored::Failed { error: e.to_string() })
                    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
                let files = hoso_store::ScanFiles { scan: &json, out: None, thumb: None };
                self.store()
                    .set_page_scan(id, page_id, &files, now)
                    .map_err(|e| self.store_err(e))?;
                Err(bad_image(&e))
            }
        }
    }

    /// The photos of a dossier that have not been made into pages yet, in order.
    pub fn pending_pages(&self, id: &str) -> Result<Vec<i64>> {
        let record = self.store().dossier(id).map_err(|e| self.store_err(e))?;
        Ok(record
            .pages
            .iter()
            .filter(|p| scan_info(p).0 == ScanState::Pending)
            .map(|p| p.id)
            .collect())
    }

    /// A small JPEG of a scanned page.
    pub fn page_thumbnail(&self, id: &str, page_id: i64) -> Result<Vec<u8>> {
        let p = self.page(id, page_id)?;
        let sha = p.thumb_sha256.ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, format!("page {page_id} has not been scanned"))
        })?;
        self.store().blobs().read(&sha).map_err(|e| self.store_err(e))
    }

    /// A grey JPEG of the upright photo, at most [`PREVIEW_SIDE`] a side, for placing corners.
    pub fn page_photo(&self, id: &str, page_id: i64) -> Result<Vec<u8>> {
        let p = self.page(id, page_id)?;
        let bytes = self.original(&p)?;
        hoso_scan::preview(&bytes, PREVIEW_SIDE).map(|(jpeg, _)| jpeg).map_err(|e| bad_image(&e))
    }

    /// Moves a page to `index` (from 0) within its component.
    pub fn move_page(&self, id: &str, page_id: i64, index: u32) -> Result<Dossier> {
        let now = self.clock.now_ms();
        self.store().move_page(id, page_id, index as usize, now).map_err(|e| self.store_err(e))?;
        self.dossier(id)
    }

    /// Removes a page; [`Hoso::restore_page`] undoes it.
    pub fn remove_page(&self, id: &str, page_id: i64) -> Result<Dossier> {
        self.set_page_removed(id, page_id, true)
    }

    /// Puts a removed page back in its place.
    pub fn restore_page(&self, id: &str, page_id: i64) -> Result<Dossier> {
        self.set_page_removed(id, page_id, false)
    }

    fn set_page_removed(&self, id: &str, page_id: i64, removed: bool) -> Result<Dossier> {
        let code = self.store().dossier_procedure(id).map_err(|e| self.store_err(e))?;
        let procedure = self.catalogue.procedure(&code);
        let today = self.today();
        let now = self.clock.now_ms();
        let summarize =
            |c: &hoso_store::Content<'_>| crate::dossiers::evaluate(procedure, c, today).0;
        let store = self.store();
        let done = if removed {
            store.remove_page(id, page_id, now, summarize)
        } else {
            store.restore_page(id, page_id, now, summarize)
        };
        drop(store);
        done.map_err(|e| self.store_err(e))?;
        self.dossier(id)
    }

    /// One PDF of a component's scanned pages, in order; photos not (yet) made into pages and
    /// other files are left out. `None` when the component has no scanned page.
    pub fn component_pdf(&self, id: &str, component: &str) -> Result<Option<Vec<u8>>> {
        let record = self.store().dossier(id).map_err(|e| self.store_err(e))?;
        let name = self
            .catalogue
            .procedure(&record.row.procedure_code)
            .and_then(|p| p.components.iter().find(|c| c.code == component))
            .map_or_else(|| component.to_owned(), |c| c.name.clone());
        let mut pages = Vec::new();
        for p in record.pages.iter().filter(|p| p.component_code == component) {
            let (ScanState::Done, Some(scan), _) = scan_info(p) else { continue };
            let (Some((sha, _)), Some(enc)) = (&p.out, scan.encoding.parse::<Encoding>().ok())
            else {
                continue;
            };
            let data = self.store().blobs().read(sha).map_err(|e| self.store_err(e))?;
            pages.push((scan, enc, data));
        }
        if pages.is_empty() {
            return Ok(None);
        }
        let images: Vec<_> = pages
            .iter()
            .map(|(s, enc, data)| pdf_page(s.width, s.height, s.dpi, enc, data))
            .collect();
        Ok(Some(hoso_pdf::pages_pdf(&name, &images)))
    }
}

fn media_of(e: &Encoding) -> &'static str {
    match e {
        Encoding::G4 => "image/x-ccitt-g4",
        Encoding::JpegGray | Encoding::JpegRgb => "image/jpeg",
        Encoding::Palette4 => "image/x-hoso-palette4",
        Encoding::Gray4 => "image/x-hoso-gray4",
    }
}

/// The flag of a photo that shows another kind of paper than the one asked for (a card where
/// a sheet is expected, or a sheet where a card is).
pub const WRONG_PAPER: &str = "wrong_paper";

/// Whether a page of kind `kind` can be the paper `looks`; a photo without an outline can be
/// anything.
fn fits(looks: hoso_catalogue::Looks, kind: DocKind) -> bool {
    use hoso_catalogue::Looks;
    match (looks, kind) {
        (_, DocKind::Photo | DocKind::Other) | (Looks::Any, _) => true,
        (Looks::Card, k) => k == DocKind::IdCard,
        (l, k) => !l.is_sheet() || k != DocKind::IdCard,
    }
}

fn page_scan(s: &Scanned, asked: ScanMode, detected: bool) -> PageScan {
    PageScan {
        mode: asked,
        used: mode_out(s.mode),
        corners: s.corners,
        detected,
        photo_width: s.photo_size.0,
        photo_height: s.photo_size.1,
        width: s.page.width,
        height: s.page.height,
        dpi: s.page.dpi,
        encoding: s.page.encoding.as_str().to_owned(),
        kind: name_of(&s.kind),
        flags: s.flags.iter().map(name_of).collect(),
        bytes: i64::try_from(s.page.data.len()).unwrap_or(i64::MAX),
    }
}

impl Hoso {
    /// Makes every photo of dossier `id` not made into a page yet; one that cannot be read is
    /// left as it is (it goes as the original).
    pub(crate) fn scan_pending(&self, id: &str) -> Result<()> {
        for page in self.pending_pages(id)? {
            match self.scan_page(id, page, None) {
                Ok(_) => {}
                Err(e) if e.code == ErrorCode::BadImage => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The whole dossier as one printable PDF: a cover sheet, then every paper's scanned pages
    /// in the procedure's order. Photos not made into pages yet are made first; a file that is
    /// not a photo (a PDF attached as it is) is counted on the cover as brought separately.
    pub fn dossier_pdf(&self, id: &str) -> Result<Vec<u8>> {
        self.scan_pending(id)?;
        let d = self.dossier(id)?;
        let record = self.store().dossier(id).map_err(|e| self.store_err(e))?;
        let procedure = self.catalogue.procedure(&record.row.procedure_code);
        let mut images = Vec::new();
        let mut checklist = Vec::new();
        for c in procedure.map(|p| p.components.as_slice()).unwrap_or_default() {
            let mut printed = 0;
            let mut separate = 0;
            for p in record.pages.iter().filter(|p| p.component_code == c.code) {
                match (scan_info(p), &p.out) {
                    ((ScanState::Done, Some(scan), _), Some((sha, _))) => {
                        if let Ok(enc) = scan.encoding.parse::<Encoding>() {
                            let data =
                                self.store().blobs().read(sha).map_err(|e| self.store_err(e))?;
                            images.push((scan, enc, data));
                            printed += 1;
                            continue;
                        }
                        separate += 1;
                    }
                    _ => separate += 1,
                }
            }
            checklist.push(hoso_pdf::CoverItem {
                name: c.name.clone(),
                required: c.required,
                pages: printed,
                separate,
            });
        }
        let fee = match d.fee.kind {
            crate::types::FeeKind::Amount => d.fee.total_text.clone(),
            crate::types::FeeKind::Free => "Miễn lệ phí".to_owned(),
            crate::types::FeeKind::Province => "Theo mức của tỉnh".to_owned(),
            crate::types::FeeKind::Incomplete => String::new(),
        };
        let cover = hoso_pdf::Cover {
            procedure_name: procedure.map_or_else(String::new, |p| p.name.clone()),
            procedure_code: record.row.procedure_code.clone(),
            agency: procedure.map_or_else(String::new, |p| p.agency.clone()),
            applicant: d.title.clone(),
            dossier_id: d.id.clone(),
            receipt: d.receipt.clone(),
            fee,
            time_limit: procedure.map_or_else(String::new, |p| p.time_limit.clone()),
            checklist,
            date: self.today().to_string(),
        };
        let pages: Vec<_> = images
            .iter()
            .map(|(s, enc, data)| pdf_page(s.width, s.height, s.dpi, enc, data))
            .collect();
        hoso_pdf::dossier(&cover, &pages)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
    }
}
