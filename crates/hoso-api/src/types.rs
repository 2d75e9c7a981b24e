//! Every type that crosses a process boundary (Tauri IPC, CLI JSON output).
//!
//! Each derives `Serialize`/`Deserialize` (camelCase fields) and `TS`; their TypeScript twins are
//! generated into `ui/src/lib/bindings.ts` by [`typescript_bindings`], and a test fails when the
//! committed file is stale.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::error::{ApiError, ErrorCode};
/// The archive's transport types live in `hoso-archive` and are named here for every front end.
pub use hoso_archive::{
    ExportReport, Grouping, Hit as ArchiveHit, ImportReport, IntakeReport, OcrReport, OcrState,
    PageInfo as ArchivePage, Record as ArchiveRecord, RecordMeta as ArchiveMeta,
};

/// Versions and where the data lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub db_path: String,
    pub catalogue_version: String,
    pub schema_version: u32,
}

/// What the app found at start: either ready (`info`) or an error to show instead of the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Startup {
    pub data_dir: String,
    pub db_path: String,
    pub info: Option<AppInfo>,
    pub error: Option<ApiError>,
}

/// Executing level of a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Xa,
    Tinh,
}

/// Whether a procedure is fully online ("toàn trình") or partly ("một phần").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    ToanTrinh,
    MotPhan,
}

/// A procedure as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProcedureSummary {
    pub code: String,
    pub name: String,
    pub field: String,
    pub level: Level,
    pub agency: String,
    pub online: OnlineLevel,
    pub time_limit: String,
    pub fee: String,
    pub required_components: u32,
}

/// Original or copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    Original,
    Copy,
}

/// A document the dossier needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComponentSpec {
    pub code: String,
    pub name: String,
    pub copy: CopyKind,
    pub count: u32,
    pub template: Option<String>,
    pub required: bool,
    /// What the paper looks like (its picture, and which photos are the wrong paper).
    pub looks: PaperLooks,
    /// What the paper is, in plain words ("" when the catalogue does not say).
    pub about: String,
    /// Where to get it ("" when the catalogue does not say).
    pub source: String,
    /// HoSo reads this paper's photo to propose the form's values (`Hoso::read_paper`).
    pub reads: bool,
}

/// The commune's one-stop desk, for "Gọi hỗ trợ".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SupportDesk {
    /// E.g. "Bộ phận một cửa UBND xã Lũng Cú".
    pub name: String,
    pub phone: String,
    pub address: String,
    /// Opening hours, as written (e.g. "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai–thứ Sáu").
    pub hours: String,
}

/// What a paper's page says for the form: each field it would change, with what is there now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaperReading {
    /// The paper (component) the page belongs to.
    pub component: String,
    pub changes: Vec<CardChange>,
}

/// The kind of paper a component is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PaperLooks {
    Form,
    Certificate,
    Letter,
    Card,
    Any,
}

/// What a field holds; decides the input widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    FullName,
    Cccd,
    Date,
    Sex,
    Phone,
    Email,
    Address,
    Select,
    Number,
}

/// One form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldSpec {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub hint: Option<String>,
    pub options: Vec<String>,
    #[ts(type = "number | null")]
    pub min: Option<i64>,
    #[ts(type = "number | null")]
    pub max: Option<i64>,
}

/// A titled group of fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SectionSpec {
    pub title: String,
    pub fields: Vec<FieldSpec>,
}

/// Everything about a procedure the editor needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProcedureDetail {
    pub summary: ProcedureSummary,
    pub result: String,
    pub legal_basis: Vec<String>,
    pub components: Vec<ComponentSpec>,
    pub sections: Vec<SectionSpec>,
}

/// Why a field's value is not acceptable; front ends word it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    Required,
    TooLong,
    NameChars,
    DateFormat,
    DateInvalid,
    DateFuture,
    CccdFormat,
    CccdProvince,
    CccdCentury,
    CccdYear,
    CccdSex,
    PhoneFormat,
    PhonePrefix,
    EmailFormat,
    NotAnOption,
    NumberFormat,
    NumberRange,
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldIssue {
    pub key: String,
    pub code: IssueCode,
}

/// Where a dossier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DossierState {
    Draft,
    Queued,
    Uploading,
    Received,
    Processing,
    SupplementRequested,
    ResultReady,
    Rejected,
}

/// A file attached to a component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub position: u32,
    pub sha256: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub byte_size: i64,
    pub original_name: String,
    #[ts(type = "number")]
    pub added_at: i64,
    /// Whether the photo has been made into a clean page.
    pub scan_state: ScanState,
    /// How it was made, once it was.
    pub scan: Option<PageScan>,
    /// Why the photo could not be made into a page (in Vietnamese), if it could not.
    pub scan_error: Option<String>,
}

/// A network address of this computer that a phone on the same network may reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LanAddress {
    pub ip: String,
    /// The interface's system name (`wlan0`, `Wi-Fi`…).
    pub interface: String,
}

/// A phone that opened the bridge's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BridgePhone {
    pub id: u32,
    /// "iPhone", "Android · SM-A515F", …
    pub label: String,
    pub address: String,
    /// Photos taken from it, and their bytes.
    pub files: u32,
    pub bytes: u64,
    /// Uploads under way.
    pub uploading: u32,
    /// Seconds since it was last heard from.
    pub idle_s: u64,
    pub cut_off: bool,
}

/// The open phone bridge, as its dialog shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BridgeStatus {
    /// The page's address (what the QR code holds).
    pub url: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
    pub dossier_id: String,
    /// The paper the next photo goes to; empty when the bridge takes card photos for "Quét
    /// CCCD".
    pub component: String,
    /// Where photos go: `card`, `auto` (the first required paper still without a page) or a
    /// paper's code.
    pub aim: String,
    /// A guided session's bridge, whose aim the desktop changes step by step.
    pub guided: bool,
    /// Card photos read (for "Quét CCCD"), and the last card read.
    pub cards_read: u32,
    pub card: Option<CardProposal>,
    /// The address it listens on.
    pub address: String,
    /// Listening on loopback: no phone can reach it (the computer has no network).
    pub only_this_computer: bool,
    /// Seconds before the QR code stops working.
    pub expires_in_s: u64,
    /// Photos received since it opened.
    pub received: u32,
    pub phones: Vec<BridgePhone>,
}

/// A folder HoSo watches for new photos.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WatchFolderInfo {
    pub path: String,
    pub added_at: i64,
    /// It could not be read at the last look (unplugged, unmounted, deleted).
    pub missing: bool,
}

/// A photo waiting in the "Ảnh mới" inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InboxItemInfo {
    pub id: i64,
    pub name: String,
    /// Where it was found.
    pub source_path: String,
    pub byte_size: u64,
    pub found_at: i64,
    pub sha256: String,
}

/// A page of the inbox, and how many photos wait in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InboxPage {
    pub items: Vec<InboxItemInfo>,
    pub total: u32,
}

/// A photo the watcher took (one line of `hoso watch`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub struct WatchedFile {
    pub path: String,
    pub sha256: String,
    pub inbox_id: i64,
    /// The same content was in the inbox already.
    pub duplicate: bool,
    /// Where it went, when `hoso watch --dossier` put it straight into a dossier.
    pub dossier_id: Option<String>,
    pub component: Option<String>,
}

/// What a citizen ID card's QR code says, dates as the forms write them (dd/mm/yyyy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardInfo {
    pub id_number: String,
    pub old_id: Option<String>,
    pub full_name: String,
    pub date_of_birth: String,
    /// "Nam" or "Nữ".
    pub sex: String,
    pub address: String,
    /// The address in its form after the 2025 reform, when the card prints old units.
    pub address_new: Option<String>,
    pub issue_date: String,
    /// The 12-digit number disagrees with the card's other fields: `cccd_province`,
    /// `cccd_century`, `cccd_year` or `cccd_sex` (words in the message catalogue).
    pub mismatch: Option<String>,
}

/// One field a card would change, with what is there now ("" when empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardChange {
    pub key: String,
    pub label: String,
    pub current: String,
    pub proposed: String,
    /// Values the person may pick instead of `proposed` (which is the first), when there is a
    /// choice: the address in its new form, as printed on the card, or in a commune the old
    /// one was split into. Empty otherwise.
    pub options: Vec<CardOption>,
}

/// One value a card offers for a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardOption {
    pub value: String,
    pub kind: CardOptionKind,
}

/// Where a [`CardOption`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CardOptionKind {
    /// The card's address in its new form (34 provinces, no districts).
    New,
    /// As printed on the card.
    Card,
    /// In another new commune the old one was split into.
    Split,
}

/// What a bundle is, shown before importing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BundleInfo {
    /// `dossier` or `receipt`.
    pub kind: String,
    pub dossier_id: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant: String,
    pub pages: usize,
    pub receipt: Option<String>,
    /// Who made it: the label of their device and its key's fingerprint.
    pub made_by: String,
    pub fingerprint: String,
    #[ts(type = "number")]
    pub created_at: i64,
    /// This computer already has the dossier: `same` (this very bundle was imported),
    /// `different` (another version), or null.
    pub existing: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    pub id: String,
    /// `imported`, `replaced`, `already` (the same bundle again: nothing done) or `receipt`
    /// (a receipt bundle updated the dossier).
    pub outcome: String,
}

/// A province after the 2025 reform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnitProvince {
    pub code: String,
    pub name: String,
    /// How many communes it has.
    pub communes: u32,
}

/// A commune found by the address picker's search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnitHit {
    pub province_code: String,
    pub province: String,
    pub commune_code: String,
    pub commune: String,
}

/// An address written with the units before the reform, in its new form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddressNew {
    /// The whole new address.
    pub address: String,
    /// What came before the commune (house number, street, hamlet), as written.
    pub detail: String,
    pub commune_code: String,
    pub commune: String,
    pub province_code: String,
    pub province: String,
    /// The old units as the data names them.
    pub old: String,
    /// The whole address in the other communes the old one was split into, if it was.
    pub split: Vec<String>,
}

/// A card read, and the applicant fields it would change (those already equal are left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CardProposal {
    pub card: CardInfo,
    pub changes: Vec<CardChange>,
}

/// Where a page is on its way from photo to clean page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ScanState {
    /// Not a photo (a PDF, say): sent as it is.
    NotImage,
    /// A photo not made into a page yet (just added, or the app stopped half-way).
    Pending,
    Done,
    /// The photo cannot be read; see `scan_error`.
    Failed,
}

/// How a page looks in the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ScanMode {
    /// Chosen per page: black and white for text, grey for pictures, colour for stamps.
    Auto,
    Bw,
    Gray,
    Color,
}

/// What the person asks of a page: the mode, and the corners (TL, TR, BR, BL in the upright
/// photo's pixels) or `None` to find the page again by itself; `turn` quarter turns clockwise
/// are applied to those corners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PageEdit {
    pub mode: ScanMode,
    pub corners: Option<[[f64; 2]; 4]>,
    pub turn: u8,
}

/// How a page was made from its photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PageScan {
    /// As asked.
    pub mode: ScanMode,
    /// As made (never `auto`).
    pub used: ScanMode,
    /// The page's corners, TL, TR, BR, BL, in the upright photo's pixels.
    pub corners: [[f64; 2]; 4],
    /// The corners were found by HoSo, not placed by hand.
    pub detected: bool,
    pub photo_width: u32,
    pub photo_height: u32,
    /// The page in pixels, at `dpi`.
    pub width: u32,
    pub height: u32,
    pub dpi: u32,
    /// `g4`, `gray4`, `jpeg_gray`, `jpeg_rgb` or `palette4`.
    pub encoding: String,
    /// `a4`, `a5`, `id_card`, `spread`, `other`, `photo`.
    pub kind: String,
    /// What the person should look at: `no_page_found`, `uncertain_outline`, `turned_by_text`,
    /// and the photo-quality warnings `dark`, `blurry`, `glare`, `cut_off`, `small`,
    /// `wrong_paper` (a card where a sheet is expected, or the reverse).
    pub flags: Vec<String>,
    /// The page's size in the PDF, in bytes.
    #[ts(type = "number")]
    pub bytes: i64,
}

/// One line of the components checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComponentStatus {
    pub code: String,
    pub pages: Vec<PageInfo>,
    /// Required and without any page yet.
    pub missing: bool,
}

/// Where a finalised dossier's outbox job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Uploading,
    Submitting,
    Sent,
    /// It cannot go as it is (see the error code); the others go on.
    SetAside,
}

/// Sending details of a finalised dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Sending {
    pub job_state: JobState,
    /// Why it is waiting or set aside: `not_connected`, `portal_unavailable`, `unauthorized`,
    /// `too_large`, `file_mismatch`, … (the UI words known codes, and shows the detail for others).
    pub error_code: Option<String>,
    pub error_detail: Option<String>,
    pub attempts: u32,
    #[ts(type = "number")]
    pub next_attempt_at: i64,
    #[ts(type = "number")]
    pub sent_bytes: i64,
    #[ts(type = "number")]
    pub total_bytes: i64,
}

/// A result document the portal returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResultInfo {
    pub name: String,
    pub media_type: String,
    pub sha256: String,
}

/// An entry of a dossier's history: `created`, `state:<state>`, `set_aside`, `trashed`, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    #[ts(type = "number")]
    pub at: i64,
    pub kind: String,
    pub detail: String,
}

/// A dossier opened in the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dossier {
    pub id: String,
    pub procedure_code: String,
    /// `None` when the catalogue no longer has the procedure; the values are still shown.
    pub procedure: Option<ProcedureDetail>,
    pub state: DossierState,
    pub title: String,
    pub values: BTreeMap<String, String>,
    pub issues: Vec<FieldIssue>,
    pub components: Vec<ComponentStatus>,
    /// Fields to fix plus required documents still to add.
    pub missing: u32,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
    #[ts(type = "number | null")]
    pub deleted_at: Option<i64>,
    /// The portal's receipt code (mã hồ sơ), once it has the dossier.
    pub receipt: Option<String>,
    /// The portal's last message about it.
    pub status_message: String,
    /// Present once the dossier is finalised.
    pub sending: Option<Sending>,
    pub results: Vec<ResultInfo>,
    pub timeline: Vec<TimelineEntry>,
    /// The fee, worked out offline from the catalogue (for a finalised dossier, as of the day
    /// it was finalised).
    pub fee: FeeInfo,
    /// The portal's payment request, once it has made one.
    pub payment: Option<PaymentInfo>,
}

/// What a fee amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    /// A figure (see `total`).
    Amount,
    /// Nothing to pay.
    Free,
    /// Set by the province: no figure here.
    Province,
    /// Depends on fields not filled in yet.
    Incomplete,
}

/// One line of a fee's breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeLineInfo {
    pub label: String,
    /// Đồng; negative for a reduction.
    #[ts(type = "number")]
    pub amount: i64,
    /// "7.000đ".
    pub amount_text: String,
}

/// A dossier's fee with its breakdown in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FeeInfo {
    pub kind: FeeKind,
    #[ts(type = "number")]
    pub total: u64,
    pub total_text: String,
    pub lines: Vec<FeeLineInfo>,
    pub note: String,
}

/// A payment request: what to transfer, to whom, with which purpose, and whether it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentInfo {
    #[ts(type = "number")]
    pub amount: u64,
    pub amount_text: String,
    pub reference: String,
    pub bank_bin: String,
    pub bank_name: String,
    pub account: String,
    pub account_name: String,
    pub paid: bool,
    #[ts(type = "number | null")]
    pub paid_at: Option<i64>,
    /// The VietQR payload (what the QR code holds).
    pub vietqr: String,
    /// The VietQR code as an SVG document.
    pub qr_svg: String,
}

/// A field to set; an empty value clears it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub key: String,
    pub value: String,
}

/// The result of saving fields: the new validation state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveOutcome {
    pub title: String,
    pub issues: Vec<FieldIssue>,
    pub missing: u32,
    /// The fee with the values as saved.
    pub fee: FeeInfo,
    #[ts(type = "number")]
    pub saved_at: i64,
}

/// One line of the dossier list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DossierListItem {
    pub id: String,
    pub procedure_code: String,
    /// Empty when the catalogue no longer has the procedure.
    pub procedure_name: String,
    pub state: DossierState,
    pub title: String,
    pub missing: u32,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
    #[ts(type = "number | null")]
    pub deleted_at: Option<i64>,
    pub receipt: Option<String>,
    pub job_state: Option<JobState>,
    pub job_error: Option<String>,
    /// Percent of its files sent, while it uploads in this process.
    pub progress: Option<u8>,
}

/// Which dossiers to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ListQuery {
    /// Words to look for, with or without diacritics.
    pub query: String,
    /// The trash instead of the live dossiers.
    pub trash: bool,
    /// At most this many (default 50, at most 500).
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// A page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DossierList {
    pub items: Vec<DossierListItem>,
    #[ts(type = "number")]
    pub total: i64,
}

/// Where the portal token in use comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// `HOSO_PORTAL_TOKEN`.
    Environment,
    /// The operating system's keyring.
    Keyring,
    /// Memory only, until HoSo closes (no keyring on this computer).
    Session,
    None,
}

/// The portal HoSo sends to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PortalSettings {
    /// Empty when not set.
    pub url: String,
    /// Set by `HOSO_PORTAL_URL` (then the settings screen cannot change it).
    pub url_from_env: bool,
    pub token_source: TokenSource,
    /// Sending is paused by the person.
    pub paused: bool,
}

/// What a sending round changed, for the app to refresh and notify.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendReport {
    /// The portal answered.
    pub connected: bool,
    /// The portal refused the token.
    pub unauthorized: bool,
    /// Dossiers that reached the portal: id and receipt.
    pub submitted: Vec<SubmittedDossier>,
    /// Dossiers set aside: id and reason code.
    pub set_aside: Vec<SetAsideDossier>,
    /// Status changes applied.
    pub status_changes: u32,
    /// Sending is paused; nothing was tried.
    pub paused: bool,
}

/// A dossier that reached the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SubmittedDossier {
    pub id: String,
    pub receipt: String,
}

/// A dossier that cannot go as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetAsideDossier {
    pub id: String,
    pub code: String,
}

impl From<hoso_outbox::PassReport> for SendReport {
    fn from(r: hoso_outbox::PassReport) -> Self {
        Self {
            connected: r.connected,
            unauthorized: r.unauthorized,
            submitted: r
                .submitted
                .into_iter()
                .map(|(id, receipt)| SubmittedDossier { id, receipt })
                .collect(),
            set_aside: r
                .set_aside
                .into_iter()
                .map(|(id, code)| SetAsideDossier { id, code })
                .collect(),
            status_changes: u32::try_from(r.status_changes).unwrap_or(u32::MAX),
            paused: r.paused,
        }
    }
}

/// The TypeScript declarations of every transport type, as committed in `ui/src/lib/bindings.ts`.
pub fn typescript_bindings() -> String {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        AppInfo::decl(&cfg),
        Startup::decl(&cfg),
        ApiError::decl(&cfg),
        ErrorCode::decl(&cfg),
        Level::decl(&cfg),
        OnlineLevel::decl(&cfg),
        ProcedureSummary::decl(&cfg),
        CopyKind::decl(&cfg),
        ComponentSpec::decl(&cfg),
        PaperLooks::decl(&cfg),
        PaperReading::decl(&cfg),
        SupportDesk::decl(&cfg),
        FieldKind::decl(&cfg),
        FieldSpec::decl(&cfg),
        SectionSpec::decl(&cfg),
        ProcedureDetail::decl(&cfg),
        IssueCode::decl(&cfg),
        FieldIssue::decl(&cfg),
        DossierState::decl(&cfg),
        JobState::decl(&cfg),
        Sending::decl(&cfg),
        ResultInfo::decl(&cfg),
        TimelineEntry::decl(&cfg),
        ScanState::decl(&cfg),
        ScanMode::decl(&cfg),
        PageEdit::decl(&cfg),
        PageScan::decl(&cfg),
        PageInfo::decl(&cfg),
        LanAddress::decl(&cfg),
        BridgePhone::decl(&cfg),
        BridgeStatus::decl(&cfg),
        WatchFolderInfo::decl(&cfg),
        InboxItemInfo::decl(&cfg),
        InboxPage::decl(&cfg),
        WatchedFile::decl(&cfg),
        CardInfo::decl(&cfg),
        CardChange::decl(&cfg),
        CardOption::decl(&cfg),
        CardOptionKind::decl(&cfg),
        UnitProvince::decl(&cfg),
        BundleInfo::decl(&cfg),
        ArchiveMeta::decl(&cfg),
        OcrState::decl(&cfg),
        ArchivePage::decl(&cfg),
        ArchiveRecord::decl(&cfg),
        ArchiveHit::decl(&cfg),
        Grouping::decl(&cfg),
        IntakeReport::decl(&cfg),
        OcrReport::decl(&cfg),
        ExportReport::decl(&cfg),
        ImportReport::decl(&cfg),
        Imported::decl(&cfg),
        UnitHit::decl(&cfg),
        AddressNew::decl(&cfg),
        CardProposal::decl(&cfg),
        FeeKind::decl(&cfg),
        FeeLineInfo::decl(&cfg),
        FeeInfo::decl(&cfg),
        PaymentInfo::decl(&cfg),
        ComponentStatus::decl(&cfg),
        Dossier::decl(&cfg),
        FieldChange::decl(&cfg),
        SaveOutcome::decl(&cfg),
        DossierListItem::decl(&cfg),
        ListQuery::decl(&cfg),
        DossierList::decl(&cfg),
        TokenSource::decl(&cfg),
        PortalSettings::decl(&cfg),
        SendReport::decl(&cfg),
        SubmittedDossier::decl(&cfg),
        SetAsideDossier::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from crates/hoso-api/src/types.rs by `make bindings`. Do not edit.\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
