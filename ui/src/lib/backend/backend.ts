// The one interface the UI talks to. The desktop build implements it over Tauri IPC
// (tauri.ts, the only module that imports @tauri-apps/api); tests use a fake.

import type {
  ApiError,
  Dossier,
  DossierList,
  FieldChange,
  ListQuery,
  ProcedureSummary,
  SaveOutcome,
  Startup,
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
  /** Runs `beforeClose` (bounded by the implementation) before the window closes. */
  onCloseRequested(beforeClose: () => Promise<void>): void;
  /** Tells the shell the first screen is painted (used by the start-up benchmark). */
  appReady(): void;
}

/** Every rejection from a backend, as the `{ code, message }` shape of the IPC error. */
export function toApiError(e: unknown): ApiError {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string') {
    const message = 'message' in e && typeof e.message === 'string' ? e.message : '';
    return { code: e.code as ApiError['code'], message };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
