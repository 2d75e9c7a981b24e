// The one interface the UI talks to. The desktop build implements it over Tauri IPC
// (tauri.ts, the only module that imports @tauri-apps/api); tests use a fake.

import type {
  AddressNew,
  ApiError,
  ArchiveHit,
  ArchiveMeta,
  ArchiveRecord,
  BridgeStatus,
  BundleInfo,
  CardProposal,
  PaperReading,
  SupportDesk,
  Dossier,
  DossierList,
  FieldChange,
  Grouping,
  Imported,
  InboxPage,
  ImportReport,
  IntakeReport,
  LanAddress,
  ListQuery,
  PageEdit,
  PortalSettings,
  ProcedureSummary,
  SaveOutcome,
  SendReport,
  Startup,
  UnitHit,
  UnitProvince,
  WatchFolderInfo,
} from '../bindings';

export interface Backend {
  /** Opens the store if it is not open yet; says whether the app can start. */
  startup(): Promise<Startup>;
  procedures(query: string): Promise<ProcedureSummary[]>;
  createDossier(procedureCode: string, fields: FieldChange[]): Promise<Dossier>;
  openDossier(id: string): Promise<Dossier>;
  saveFields(id: string, changes: FieldChange[]): Promise<SaveOutcome>;
  listDossiers(query: ListQuery): Promise<DossierList>;
  duplicateDossier(id: string): Promise<Dossier>;
  trashDossier(id: string): Promise<void>;
  restoreDossier(id: string): Promise<void>;
  purgeDossier(id: string): Promise<void>;
  /** Attaches a file (photo, PDF) to a component of a draft. */
  addPage(id: string, component: string, file: File): Promise<Dossier>;
  /** Makes a page from its photo (again); `edit` null finds the page and its mode by itself. */
  scanPage(id: string, pageId: number, edit: PageEdit | null): Promise<Dossier>;
  /** Photos of the dossier not made into pages yet, in order. */
  pendingPages(id: string): Promise<number[]>;
  /** A scanned page's thumbnail (JPEG). */
  pageThumbnail(id: string, pageId: number): Promise<Blob>;
  /** The upright photo, small (JPEG), for placing the corners. */
  pagePhoto(id: string, pageId: number): Promise<Blob>;
  /** Moves a page to `index` (from 0) within its component. */
  movePage(id: string, pageId: number, index: number): Promise<Dossier>;
  removePage(id: string, pageId: number): Promise<Dossier>;
  /** Undoes removePage. */
  restorePage(id: string, pageId: number): Promise<Dossier>;
  /** Saves a component's pages as one PDF in Downloads; returns the file's path. */
  saveComponentPdf(id: string, component: string): Promise<string>;
  /** The computer's network addresses a phone may reach it at, the likeliest first. */
  bridgeAddresses(): Promise<LanAddress[]>;
  /** Opens the phone bridge for one paper (closing any other); `address` null: the first. */
  bridgeOpen(id: string, component: string, address: string | null): Promise<BridgeStatus>;
  /** Opens the phone bridge for "Quét CCCD": photos are read as cards, the last in `card`. */
  bridgeOpenCard(id: string, address: string | null): Promise<BridgeStatus>;
  /**
   * Opens the phone bridge of a guided session (closing any other): it stays open across the
   * steps; `aim` is where photos go — 'card', 'auto' (the first required paper still without
   * a page) or a paper's code — and bridgeAim changes it.
   */
  bridgeOpenGuided(id: string, aim: string, address: string | null): Promise<BridgeStatus>;
  bridgeAim(id: string, aim: string): Promise<BridgeStatus>;
  /** The open bridge, or null when it is closed. */
  bridgeStatus(): Promise<BridgeStatus | null>;
  /** Refuses everything more from one phone. */
  bridgeCutOff(phone: number): Promise<BridgeStatus>;
  bridgeClose(): Promise<void>;
  /** Folders watched for new photos. */
  watchFolders(): Promise<WatchFolderInfo[]>;
  /** Watches a folder; `takeExisting` false leaves the photos already in it alone. */
  addWatchFolder(path: string, takeExisting: boolean): Promise<WatchFolderInfo[]>;
  removeWatchFolder(path: string): Promise<WatchFolderInfo[]>;
  /** The system's folder picker; null when cancelled. */
  pickFolder(): Promise<string | null>;
  /** Photos waiting in "Ảnh mới", newest first. */
  inbox(limit: number, offset: number): Promise<InboxPage>;
  inboxThumbnail(id: number): Promise<Blob>;
  /** Puts an inbox photo into a paper of a draft (it leaves the inbox). */
  inboxAssign(id: number, dossier: string, component: string): Promise<Dossier>;
  /** Sets an inbox photo aside; inboxRestore undoes it. */
  inboxDismiss(id: number): Promise<void>;
  inboxRestore(id: number): Promise<void>;
  /** "Quét CCCD": reads the card in a photo and proposes the applicant's fields. */
  readCard(id: string, file: File): Promise<CardProposal>;
  /** The same from a page already in the dossier. */
  readCardFromPage(id: string, pageId: number): Promise<CardProposal>;
  /** Reads a paper's page HoSo can read (`ComponentSpec.reads`) and proposes its values. */
  readPaper(id: string, pageId: number): Promise<PaperReading>;
  /** The 34 provinces after the 2025 reform. */
  unitProvinces(): Promise<UnitProvince[]>;
  /** Communes matching `query` (diacritics ignored), within `province` (a code) if given. */
  unitSearch(query: string, province: string | null): Promise<UnitHit[]>;
  /** `address` in its new form when written with the old units, else null. */
  addressNew(address: string): Promise<AddressNew | null>;
  /** Calls `listener` whenever the inbox or a watched folder changes; returns an unsubscribe. */
  onInbox(listener: () => void): () => void;
  /** Freezes a complete draft into the outbox; it goes out by itself. */
  finalizeDossier(id: string): Promise<Dossier>;
  /** Takes a dossier that has not reached the portal back to a draft. */
  unqueueDossier(id: string): Promise<Dossier>;
  /** "Gửi ngay": try every waiting dossier now. */
  sendNow(): Promise<void>;
  portalSettings(): Promise<PortalSettings>;
  /** The commune's one-stop desk for "Gọi hỗ trợ" (all empty until set in Settings). */
  supportDesk(): Promise<SupportDesk>;
  setSupportDesk(desk: SupportDesk): Promise<SupportDesk>;
  setPortal(url: string, token: string | null): Promise<PortalSettings>;
  /** Saves the receipt PDF of a dossier the portal has; returns the file's path. */
  saveReceipt(id: string): Promise<string>;
  /** Saves the support file (no personal data) in Downloads; returns the path. */
  saveDiagnostics(): Promise<string>;
  /** Saves the dossier as one printable PDF (cover sheet, then its pages); returns the path. */
  saveDossierPdf(id: string): Promise<string>;
  /** Saves the dossier (or, `receipt`, only its receipt) as a signed .hoso bundle; the path. */
  saveBundle(id: string, receipt: boolean): Promise<string>;
  /** Reads and checks a .hoso bundle: what it is, who made it, whether this computer has it. */
  bundleInfo(file: File): Promise<BundleInfo>;
  /** Imports a .hoso bundle (`replace` confirms replacing another version). */
  bundleImport(file: File, replace: boolean, onBehalf: boolean): Promise<Imported>;
  /** Pauses or resumes sending. */
  setSendingPaused(paused: boolean): Promise<PortalSettings>;
  /** Calls `listener` after every background sending round; returns an unsubscribe. */
  onSending(listener: (report: SendReport) => void): () => void;
  /** Shows a desktop notification (if the person allowed them). */
  notify(title: string, body: string): void;
  /** Runs `beforeClose` (bounded by the implementation) before the window closes. */
  onCloseRequested(beforeClose: () => Promise<void>): void;
  /** Tells the shell the first screen is painted (used by the start-up benchmark). */
  appReady(): void;
  /** The dossier the command line asked to open (`hoso-desktop --open ID`), once. */
  launchOpen(): Promise<string | null>;
  /**
   * Calls `listener` with the dossier a later launch asked to open (HoSo runs once per data
   * folder: a second launch hands its request to this window); returns an unsubscribe.
   */
  onOpenRequest(listener: (id: string) => void): () => void;

  // The digitised archive (số hóa), for commune officials.
  /** Takes a folder of scans or photos in as records; with `ocr`, reads them in the background. */
  archiveDigitise(path: string, grouping: Grouping, ocr: boolean): Promise<IntakeReport>;
  /** Starts reading the pages still waiting (after a restart), in the background. */
  archiveRead(): Promise<void>;
  /** Pages whose text or record details hold every word (diacritics optional). */
  archiveSearch(query: string): Promise<ArchiveHit[]>;
  /** The newest records. */
  archiveRecords(): Promise<ArchiveRecord[]>;
  archiveRecord(id: number): Promise<ArchiveRecord>;
  archiveSetMeta(id: number, meta: ArchiveMeta): Promise<ArchiveRecord>;
  archiveThumbnail(pageId: number): Promise<Blob>;
  /** A page to read on screen. */
  archivePageView(pageId: number): Promise<Blob>;
  archivePageText(pageId: number): Promise<string>;
  /** Stops the background reading after the pages being read. */
  archiveStopReading(): Promise<void>;
  /** Splits a record before its page `position`; returns the new record. */
  archiveSplit(id: number, position: number): Promise<ArchiveRecord>;
  /** Appends record `from` to record `into`; returns `into`. */
  archiveMerge(into: number, from: number): Promise<ArchiveRecord>;
  /** Saves a separator sheet to print; returns its path. */
  archiveSaveSeparator(kind: string): Promise<string>;
  /** Writes the whole archive into a new folder in Downloads; returns its path. */
  archiveExport(): Promise<string>;
  /** Imports a folder written by an export. */
  archiveImport(path: string): Promise<ImportReport>;
  /** Progress of taking in (`intake`) and of reading (`ocr`); returns an unsubscribe. */
  onArchiveProgress(listener: (p: ArchiveProgress) => void): () => void;
}

/** Progress of the archive's background work. */
export type ArchiveProgress = {
  phase: 'intake' | 'ocr';
  done: number;
  total: number;
  finished: boolean;
  /** Pages still waiting to be read (when reading stopped early). */
  left: number;
};

/** Every rejection from a backend, as the `{ code, message }` shape of the IPC error. */
export function toApiError(e: unknown): ApiError {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') {
    const message = 'message' in e && typeof e.message === 'string' ? e.message : '';
    return { code: e.code as ApiError['code'], message };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
