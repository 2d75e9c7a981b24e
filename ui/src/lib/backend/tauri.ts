// The Tauri implementation of Backend: the only module that imports @tauri-apps/api.

import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWindow } from '@tauri-apps/api/window';
import {
  isPermissionGranted,
  requestPermission,
  sendNotification,
} from '@tauri-apps/plugin-notification';

import type { SendReport } from '../bindings';

import type { ArchiveProgress, Backend } from './backend';
import { toApiError } from './backend';

/** How long closing waits for pending saves before closing anyway. */
const CLOSE_FLUSH_LIMIT_MS = 3000;

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toApiError(e);
  }
}

function jpeg(bytes: ArrayBuffer): Blob {
  return new Blob([bytes], { type: 'image/jpeg' });
}

export const tauriBackend: Backend = {
  startup: () => call('startup'),
  procedures: (query) => call('procedures', { query }),
  createDossier: (procedureCode, fields) => call('create_dossier', { procedureCode, fields }),
  openDossier: (id) => call('open_dossier', { id }),
  saveFields: (id, changes) => call('save_fields', { id, changes }),
  listDossiers: (query) => call('list_dossiers', { query }),
  duplicateDossier: (id) => call('duplicate_dossier', { id }),
  trashDossier: (id) => call('trash_dossier', { id }),
  restoreDossier: (id) => call('restore_dossier', { id }),
  purgeDossier: (id) => call('purge_dossier', { id }),
  async addPage(id, component, file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return await invoke('add_page', bytes, {
        headers: {
          'x-dossier-id': id,
          'x-component': component,
          'x-file-name': encodeURIComponent(file.name),
        },
      });
    } catch (e) {
      throw toApiError(e);
    }
  },
  scanPage: (id, pageId, edit) => call('scan_page', { id, pageId, edit }),
  pendingPages: (id) => call('pending_pages', { id }),
  pageThumbnail: async (id, pageId) => jpeg(await call<ArrayBuffer>('page_thumbnail', { id, pageId })),
  pagePhoto: async (id, pageId) => jpeg(await call<ArrayBuffer>('page_photo', { id, pageId })),
  movePage: (id, pageId, index) => call('move_page', { id, pageId, index }),
  removePage: (id, pageId) => call('remove_page', { id, pageId }),
  restorePage: (id, pageId) => call('restore_page', { id, pageId }),
  saveComponentPdf: (id, component) => call('save_component_pdf', { id, component }),
  bridgeAddresses: () => call('bridge_addresses'),
  bridgeOpen: (id, component, address) => call('bridge_open', { id, component, address }),
  bridgeOpenCard: (id, address) => call('bridge_open_card', { id, address }),
  bridgeOpenGuided: (id, aim, address) => call('bridge_open_guided', { id, aim, address }),
  bridgeAim: (id, aim) => call('bridge_aim', { id, aim }),
  bridgeStatus: () => call('bridge_status'),
  bridgeCutOff: (phone) => call('bridge_cut_off', { phone }),
  bridgeClose: () => call('bridge_close'),
  watchFolders: () => call('watch_folders'),
  addWatchFolder: (path, takeExisting) => call('add_watch_folder', { path, takeExisting }),
  removeWatchFolder: (path) => call('remove_watch_folder', { path }),
  pickFolder: () => call('pick_folder'),
  inbox: (limit, offset) => call('inbox', { limit, offset }),
  inboxThumbnail: async (id) => jpeg(await call<ArrayBuffer>('inbox_thumbnail', { id })),
  inboxAssign: (id, dossier, component) => call('inbox_assign', { id, dossier, component }),
  inboxDismiss: (id) => call('inbox_dismiss', { id }),
  inboxRestore: (id) => call('inbox_restore', { id }),
  async readCard(id, file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return await invoke('read_card', bytes, { headers: { 'x-dossier-id': id } });
    } catch (e) {
      throw toApiError(e);
    }
  },
  readCardFromPage: (id, pageId) => call('read_card_from_page', { id, pageId }),
  readPaper: (id, pageId) => call('read_paper', { id, pageId }),
  unitProvinces: () => call('unit_provinces'),
  unitSearch: (query, province) => call('unit_search', { query, province }),
  addressNew: (address) => call('address_new', { address }),
  onInbox(listener) {
    const unlisten = listen('hoso://inbox', () => listener());
    return () => void unlisten.then((f) => f());
  },
  finalizeDossier: (id) => call('finalize_dossier', { id }),
  unqueueDossier: (id) => call('unqueue_dossier', { id }),
  sendNow: () => call('send_now'),
  portalSettings: () => call('portal_settings'),
  supportDesk: () => call('support_desk'),
  setSupportDesk: (desk) => call('set_support_desk', { desk }),
  setPortal: (url, token) => call('set_portal', { url, token }),
  setSendingPaused: (paused) => call('set_sending_paused', { paused }),
  saveReceipt: (id) => call('save_receipt', { id }),
  saveDossierPdf: (id) => call('save_dossier_pdf', { id }),
  saveDiagnostics: () => call('save_diagnostics'),
  saveBundle: (id, receipt) => call('save_bundle', { id, receipt }),
  async bundleInfo(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return await invoke('bundle_info', bytes);
    } catch (e) {
      throw toApiError(e);
    }
  },
  async bundleImport(file, replace, onBehalf) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      return await invoke('bundle_import', bytes, {
        headers: { 'x-replace': replace ? '1' : '0', 'x-on-behalf': onBehalf ? '1' : '0' },
      });
    } catch (e) {
      throw toApiError(e);
    }
  },
  onSending(listener) {
    const unlisten = listen<SendReport>('hoso://sending', (e) => listener(e.payload));
    return () => void unlisten.then((f) => f());
  },
  notify(title, body) {
    void (async () => {
      let granted = await isPermissionGranted();
      if (!granted) granted = (await requestPermission()) === 'granted';
      if (granted) sendNotification({ title, body });
    })().catch(() => undefined);
  },
  onCloseRequested(beforeClose) {
    void getCurrentWindow().onCloseRequested(async () => {
      // Returning without preventDefault lets the window close once pending saves are done.
      await Promise.race([
        beforeClose().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, CLOSE_FLUSH_LIMIT_MS)),
      ]);
    });
  },
  appReady() {
    void invoke('app_ready').catch(() => undefined);
  },
  launchOpen: () => call('launch_open'),
  archiveDigitise: (path, grouping, ocr) => call('archive_digitise', { path, grouping, ocr }),
  archiveRead: () => call('archive_read'),
  archiveSearch: (query) => call('archive_search', { query }),
  archiveRecords: () => call('archive_records'),
  archiveRecord: (id) => call('archive_record', { id }),
  archiveSetMeta: (id, meta) => call('archive_set_meta', { id, meta }),
  archiveThumbnail: async (pageId) => jpeg(await call<ArrayBuffer>('archive_thumbnail', { pageId })),
  archivePageView: async (pageId) => jpeg(await call<ArrayBuffer>('archive_page_view', { pageId })),
  archivePageText: (pageId) => call('archive_page_text', { pageId }),
  archiveStopReading: () => call('archive_stop_reading'),
  archiveSplit: (id, position) => call('archive_split', { id, position }),
  archiveMerge: (into, from) => call('archive_merge', { into, from }),
  archiveSaveSeparator: (kind) => call('archive_save_separator', { kind }),
  archiveExport: () => call('archive_export'),
  archiveImport: (path) => call('archive_import', { path }),
  onArchiveProgress(listener) {
    const unlisten = listen<ArchiveProgress>('hoso://archive', (e) => listener(e.payload));
    return () => void unlisten.then((f) => f());
  },
  onOpenRequest(listener) {
    const unlisten = listen<string>('hoso://open', (e) => listener(e.payload));
    return () => void unlisten.then((f) => f());
  },
};
