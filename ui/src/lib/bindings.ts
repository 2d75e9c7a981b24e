// Generated from crates/hoso-api/src/types.rs by `make bindings`. Do not edit.

export type AppInfo = { version: string, dataDir: string, dbPath: string, catalogueVersion: string, schemaVersion: number, };

export type Startup = { dataDir: string, dbPath: string, info: AppInfo | null, error: ApiError | null, };

export type ApiError = { code: ErrorCode, message: string, };

export type ErrorCode = "not_found" | "unknown_procedure" | "unknown_field" | "unknown_component" | "invalid_input" | "not_editable" | "not_ready" | "portal_unreachable" | "store_corrupt" | "store_locked" | "store_read_only" | "store_too_new" | "disk_full" | "store_unavailable" | "bad_image" | "bad_bundle" | "exists" | "ocr_unavailable" | "internal";

export type Level = "xa" | "tinh";

export type OnlineLevel = "toan_trinh" | "mot_phan";

export type ProcedureSummary = { code: string, name: string, field: string, level: Level, agency: string, online: OnlineLevel, timeLimit: string, fee: string, requiredComponents: number, };

export type CopyKind = "original" | "copy";

export type ComponentSpec = { code: string, name: string, copy: CopyKind, count: number, template: string | null, required: boolean, 
/**
 * What the paper looks like (its picture, and which photos are the wrong paper).
 */
looks: PaperLooks, 
/**
 * What the paper is, in plain words ("" when the catalogue does not say).
 */
about: string, 
/**
 * Where to get it ("" when the catalogue does not say).
 */
source: string, 
/**
 * HoSo reads this paper's photo to propose the form's values (`Hoso::read_paper`).
 */
reads: boolean, };

export type PaperLooks = "form" | "certificate" | "letter" | "card" | "any";

export type PaperReading = { 
/**
 * The paper (component) the page belongs to.
 */
component: string, changes: Array<CardChange>, };

export type SupportDesk = { 
/**
 * E.g. "Bộ phận một cửa UBND xã Lũng Cú".
 */
name: string, phone: string, address: string, 
/**
 * Opening hours, as written (e.g. "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai–thứ Sáu").
 */
hours: string, };

export type FieldKind = "text" | "full_name" | "cccd" | "date" | "sex" | "phone" | "email" | "address" | "select" | "number";

export type FieldSpec = { key: string, label: string, kind: FieldKind, required: boolean, hint: string | null, options: Array<string>, min: number | null, max: number | null, };

export type SectionSpec = { title: string, fields: Array<FieldSpec>, };

export type ProcedureDetail = { summary: ProcedureSummary, result: string, legalBasis: Array<string>, components: Array<ComponentSpec>, sections: Array<SectionSpec>, };

export type IssueCode = "required" | "too_long" | "name_chars" | "date_format" | "date_invalid" | "date_future" | "cccd_format" | "cccd_province" | "cccd_century" | "cccd_year" | "cccd_sex" | "phone_format" | "phone_prefix" | "email_format" | "not_an_option" | "number_format" | "number_range";

export type FieldIssue = { key: string, code: IssueCode, };

export type DossierState = "draft" | "queued" | "uploading" | "received" | "processing" | "supplement_requested" | "result_ready" | "rejected";

export type JobState = "queued" | "uploading" | "submitting" | "sent" | "set_aside";

export type Sending = { jobState: JobState, 
/**
 * Why it is waiting or set aside: `not_connected`, `portal_unavailable`, `unauthorized`,
 * `too_large`, `file_mismatch`, … (the UI words known codes, and shows the detail for others).
 */
errorCode: string | null, errorDetail: string | null, attempts: number, nextAttemptAt: number, sentBytes: number, totalBytes: number, };

export type ResultInfo = { name: string, mediaType: string, sha256: string, };

export type TimelineEntry = { at: number, kind: string, detail: string, };

export type ScanState = "not_image" | "pending" | "done" | "failed";

export type ScanMode = "auto" | "bw" | "gray" | "color";

export type PageEdit = { mode: ScanMode, corners: [[number, number], [number, number], [number, number], [number, number]] | null, turn: number, };

export type PageScan = { 
/**
 * As asked.
 */
mode: ScanMode, 
/**
 * As made (never `auto`).
 */
used: ScanMode, 
/**
 * The page's corners, TL, TR, BR, BL, in the upright photo's pixels.
 */
corners: [[number, number], [number, number], [number, number], [number, number]], 
/**
 * The corners were found by HoSo, not placed by hand.
 */
detected: boolean, photoWidth: number, photoHeight: number, 
/**
 * The page in pixels, at `dpi`.
 */
width: number, height: number, dpi: number, 
/**
 * `g4`, `gray4`, `jpeg_gray`, `jpeg_rgb` or `palette4`.
 */
encoding: string, 
/**
 * `a4`, `a5`, `id_card`, `spread`, `other`, `photo`.
 */
kind: string, 
/**
 * What the person should look at: `no_page_found`, `uncertain_outline`, `turned_by_text`,
 * and the photo-quality warnings `dark`, `blurry`, `glare`, `cut_off`, `small`,
 * `wrong_paper` (a card where a sheet is expected, or the reverse).
 */
flags: Array<string>, 
/**
 * The page's size in the PDF, in bytes.
 */
bytes: number, };

export type PageInfo = { id: number, position: number, sha256: string, mediaType: string, byteSize: number, originalName: string, addedAt: number, 
/**
 * Whether the photo has been made into a clean page.
 */
scanState: ScanState, 
/**
 * How it was made, once it was.
 */
scan: PageScan | null, 
/**
 * Why the photo could not be made into a page (in Vietnamese), if it could not.
 */
scanError: string | null, };

export type LanAddress = { ip: string, 
/**
 * The interface's system name (`wlan0`, `Wi-Fi`…).
 */
interface: string, };

export type BridgePhone = { id: number, 
/**
 * "iPhone", "Android · SM-A515F", …
 */
label: string, address: string, 
/**
 * Photos taken from it, and their bytes.
 */
files: number, bytes: number, 
/**
 * Uploads under way.
 */
uploading: number, 
/**
 * Seconds since it was last heard from.
 */
idleS: number, cutOff: boolean, };

export type BridgeStatus = { 
/**
 * The page's address (what the QR code holds).
 */
url: string, 
/**
 * The QR code as an SVG document.
 */
qrSvg: string, dossierId: string, 
/**
 * The paper the next photo goes to; empty when the bridge takes card photos for "Quét
 * CCCD".
 */
component: string, 
/**
 * Where photos go: `card`, `auto` (the first required paper still without a page) or a
 * paper's code.
 */
aim: string, 
/**
 * A guided session's bridge, whose aim the desktop changes step by step.
 */
guided: boolean, 
/**
 * Card photos read (for "Quét CCCD"), and the last card read.
 */
cardsRead: number, card: CardProposal | null, 
/**
 * The address it listens on.
 */
address: string, 
/**
 * Listening on loopback: no phone can reach it (the computer has no network).
 */
onlyThisComputer: boolean, 
/**
 * Seconds before the QR code stops working.
 */
expiresInS: number, 
/**
 * Photos received since it opened.
 */
received: number, phones: Array<BridgePhone>, };

export type WatchFolderInfo = { path: string, addedAt: number, 
/**
 * It could not be read at the last look (unplugged, unmounted, deleted).
 */
missing: boolean, };

export type InboxItemInfo = { id: number, name: string, 
/**
 * Where it was found.
 */
sourcePath: string, byteSize: number, foundAt: number, sha256: string, };

export type InboxPage = { items: Array<InboxItemInfo>, total: number, };

export type WatchedFile = { path: string, sha256: string, inbox_id: number, 
/**
 * The same content was in the inbox already.
 */
duplicate: boolean, 
/**
 * Where it went, when `hoso watch --dossier` put it straight into a dossier.
 */
dossier_id: string | null, component: string | null, };

export type CardInfo = { idNumber: string, oldId: string | null, fullName: string, dateOfBirth: string, 
/**
 * "Nam" or "Nữ".
 */
sex: string, address: string, 
/**
 * The address in its form after the 2025 reform, when the card prints old units.
 */
addressNew: string | null, issueDate: string, 
/**
 * The 12-digit number disagrees with the card's other fields: `cccd_province`,
 * `cccd_century`, `cccd_year` or `cccd_sex` (words in the message catalogue).
 */
mismatch: string | null, };

export type CardChange = { key: string, label: string, current: string, proposed: string, 
/**
 * Values the person may pick instead of `proposed` (which is the first), when there is a
 * choice: the address in its new form, as printed on the card, or in a commune the old
 * one was split into. Empty otherwise.
 */
options: Array<CardOption>, };

export type CardOption = { value: string, kind: CardOptionKind, };

export type CardOptionKind = "new" | "card" | "split";

export type UnitProvince = { code: string, name: string, 
/**
 * How many communes it has.
 */
communes: number, };

export type BundleInfo = { 
/**
 * `dossier` or `receipt`.
 */
kind: string, dossierId: string, procedureCode: string, procedureName: string, applicant: string, pages: number, receipt: string | null, 
/**
 * Who made it: the label of their device and its key's fingerprint.
 */
madeBy: string, fingerprint: string, createdAt: number, 
/**
 * This computer already has the dossier: `same` (this very bundle was imported),
 * `different` (another version), or null.
 */
existing: string | null, };

export type ArchiveMeta = { 
/**
 * "Sổ đăng ký khai sinh", "Hồ sơ đất đai", …
 */
kind: string, 
/**
 * Number and symbol ("12/2019/QĐ-UBND", "Quyển 01").
 */
number: string, 
/**
 * As written on the paper ("12/03/1998", "1998").
 */
date: string, 
/**
 * The people named, separated by semicolons.
 */
people: string, 
/**
 * Free tags, separated by commas.
 */
tags: string, };

export type OcrState = "none" | "pending" | "done" | "failed";

export type ArchivePage = { id: number, 
/**
 * From 1.
 */
position: number, sourceName: string, sourceSha256: string, width: number, height: number, dpi: number, 
/**
 * `g4`, `gray4`, `jpeg_gray`, `jpeg_rgb` or `palette4`.
 */
encoding: string, byteSize: number, ocr: OcrState, 
/**
 * How many times the page was read (1 once read; a page is never read twice unless asked).
 */
ocrRuns: number, ocrDoneAt: number | null, };

export type ArchiveRecord = { id: number, 
/**
 * The intake it came from.
 */
batch: string, createdAt: number, pages: Array<ArchivePage>, 
/**
 * "Sổ đăng ký khai sinh", "Hồ sơ đất đai", …
 */
kind: string, 
/**
 * Number and symbol ("12/2019/QĐ-UBND", "Quyển 01").
 */
number: string, 
/**
 * As written on the paper ("12/03/1998", "1998").
 */
date: string, 
/**
 * The people named, separated by semicolons.
 */
people: string, 
/**
 * Free tags, separated by commas.
 */
tags: string, };

export type ArchiveHit = { recordId: number, pageId: number, 
/**
 * The page's number in its record, from 1.
 */
position: number, 
/**
 * The record's kind, number and people, as a title.
 */
title: string, 
/**
 * A piece of the page's text (or of the record's details) around the first match.
 */
snippet: string, 
/**
 * The matches in `snippet`, as `[start, end)` character ranges.
 */
marks: Array<[number, number]>, };

export type Grouping = "auto" | "separator" | "blank" | "one";

export type IntakeReport = { 
/**
 * Files looked at.
 */
files: number, 
/**
 * Pages kept.
 */
pages: number, 
/**
 * The records made, in order.
 */
records: Array<number>, separators: number, blanks: number, 
/**
 * Files taken in before (the same bytes), skipped.
 */
duplicates: number, 
/**
 * Files that could not be read, with the reason (in Vietnamese).
 */
failed: Array<[string, string]>, ms: number, };

export type OcrReport = { 
/**
 * Pages read in this run.
 */
read: number, failed: number, 
/**
 * Pages still waiting (cancelled before them).
 */
left: number, cancelled: boolean, ms: number, };

export type ExportReport = { records: number, pages: number, bytes: number, 
/**
 * The files written, relative to the export folder.
 */
files: Array<string>, };

export type ImportReport = { records: number, pages: number, 
/**
 * Records whose every page was here already, skipped.
 */
duplicates: number, 
/**
 * Entries that could not be imported, with the reason (in Vietnamese).
 */
failed: Array<[string, string]>, };

export type Imported = { id: string, 
/**
 * `imported`, `replaced`, `already` (the same bundle again: nothing done) or `receipt`
 * (a receipt bundle updated the dossier).
 */
outcome: string, };

export type UnitHit = { provinceCode: string, province: string, communeCode: string, commune: string, };

export type AddressNew = { 
/**
 * The whole new address.
 */
address: string, 
/**
 * What came before the commune (house number, street, hamlet), as written.
 */
detail: string, communeCode: string, commune: string, provinceCode: string, province: string, 
/**
 * The old units as the data names them.
 */
old: string, 
/**
 * The whole address in the other communes the old one was split into, if it was.
 */
split: Array<string>, };

export type CardProposal = { card: CardInfo, changes: Array<CardChange>, };

export type FeeKind = "amount" | "free" | "province" | "incomplete";

export type FeeLineInfo = { label: string, 
/**
 * Đồng; negative for a reduction.
 */
amount: number, 
/**
 * "7.000đ".
 */
amountText: string, };

export type FeeInfo = { kind: FeeKind, total: number, totalText: string, lines: Array<FeeLineInfo>, note: string, };

export type PaymentInfo = { amount: number, amountText: string, reference: string, bankBin: string, bankName: string, account: string, accountName: string, paid: boolean, paidAt: number | null, 
/**
 * The VietQR payload (what the QR code holds).
 */
vietqr: string, 
/**
 * The VietQR code as an SVG document.
 */
qrSvg: string, };

export type ComponentStatus = { code: string, pages: Array<PageInfo>, 
/**
 * Required and without any page yet.
 */
missing: boolean, };

export type Dossier = { id: string, procedureCode: string, 
/**
 * `None` when the catalogue no longer has the procedure; the values are still shown.
 */
procedure: ProcedureDetail | null, state: DossierState, title: string, values: { [key in string]: string }, issues: Array<FieldIssue>, components: Array<ComponentStatus>, 
/**
 * Fields to fix plus required documents still to add.
 */
missing: number, createdAt: number, updatedAt: number, deletedAt: number | null, 
/**
 * The portal's receipt code (mã hồ sơ), once it has the dossier.
 */
receipt: string | null, 
/**
 * The portal's last message about it.
 */
statusMessage: string, 
/**
 * Present once the dossier is finalised.
 */
sending: Sending | null, results: Array<ResultInfo>, timeline: Array<TimelineEntry>, 
/**
 * The fee, worked out offline from the catalogue (for a finalised dossier, as of the day
 * it was finalised).
 */
fee: FeeInfo, 
/**
 * The portal's payment request, once it has made one.
 */
payment: PaymentInfo | null, };

export type FieldChange = { key: string, value: string, };

export type SaveOutcome = { title: string, issues: Array<FieldIssue>, missing: number, 
/**
 * The fee with the values as saved.
 */
fee: FeeInfo, savedAt: number, };

export type DossierListItem = { id: string, procedureCode: string, 
/**
 * Empty when the catalogue no longer has the procedure.
 */
procedureName: string, state: DossierState, title: string, missing: number, createdAt: number, updatedAt: number, deletedAt: number | null, receipt: string | null, jobState: JobState | null, jobError: string | null, 
/**
 * Percent of its files sent, while it uploads in this process.
 */
progress: number | null, };

export type ListQuery = { 
/**
 * Words to look for, with or without diacritics.
 */
query: string, 
/**
 * The trash instead of the live dossiers.
 */
trash: boolean, 
/**
 * At most this many (default 50, at most 500).
 */
limit: number | null, offset: number | null, };

export type DossierList = { items: Array<DossierListItem>, total: number, };

export type TokenSource = "environment" | "keyring" | "session" | "none";

export type PortalSettings = { 
/**
 * Empty when not set.
 */
url: string, 
/**
 * Set by `HOSO_PORTAL_URL` (then the settings screen cannot change it).
 */
urlFromEnv: boolean, tokenSource: TokenSource, 
/**
 * Sending is paused by the person.
 */
paused: boolean, };

export type SendReport = { 
/**
 * The portal answered.
 */
connected: boolean, 
/**
 * The portal refused the token.
 */
unauthorized: boolean, 
/**
 * Dossiers that reached the portal: id and receipt.
 */
submitted: Array<SubmittedDossier>, 
/**
 * Dossiers set aside: id and reason code.
 */
setAside: Array<SetAsideDossier>, 
/**
 * Status changes applied.
 */
statusChanges: number, 
/**
 * Sending is paused; nothing was tried.
 */
paused: boolean, };

export type SubmittedDossier = { id: string, receipt: string, };

export type SetAsideDossier = { id: string, code: string, };
