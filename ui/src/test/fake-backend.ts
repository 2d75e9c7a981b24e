// An in-memory Backend for component tests: records calls and answers like the real one
// would for a tiny catalogue. It is not the app's logic (validation lives in Rust); answers
// are canned where the test needs them.

import type { Backend } from '../lib/backend/backend';
import type {
  Dossier,
  DossierList,
  DossierListItem,
  FieldChange,
  ListQuery,
  PortalSettings,
  ProcedureDetail,
  ProcedureSummary,
  SaveOutcome,
  SendReport,
  Startup,
} from '../lib/bindings';

export const birth: ProcedureDetail = {
  summary: {
    code: '1.001193',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    level: 'xa',
    agency: 'Ủy ban nhân dân cấp xã',
    online: 'toan_trinh',
    timeLimit: 'Trong ngày',
    fee: 'Miễn',
    requiredComponents: 1,
  },
  result: 'Giấy khai sinh',
  legalBasis: [],
  components: [
    { code: 'to_khai', name: 'Tờ khai', copy: 'original', count: 1, template: null, required: true },
  ],
  sections: [
    {
      title: 'Người nộp hồ sơ',
      fields: [
        { key: 'applicant.full_name', label: 'Họ, chữ đệm và tên', kind: 'full_name', required: true, hint: null, options: [], min: null, max: null },
        { key: 'applicant.phone', label: 'Số điện thoại', kind: 'phone', required: true, hint: null, options: [], min: null, max: null },
        { key: 'applicant.dob', label: 'Ngày sinh', kind: 'date', required: true, hint: null, options: [], min: null, max: null },
      ],
    },
  ],
};

export class FakeBackend implements Backend {
  calls: { cmd: string; args: unknown }[] = [];
  dossiers = new Map<string, Dossier>();
  startupResult: Startup = {
    dataDir: '/tmp/hoso',
    dbPath: '/tmp/hoso/hoso.sqlite3',
    info: { version: '0.1.0', dataDir: '/tmp/hoso', dbPath: '/tmp/hoso/hoso.sqlite3', catalogueVersion: 'test', schemaVersion: 1 },
    error: null,
  };
  /** What save_fields answers; tests set it to simulate validation. */
  saveAnswer: (changes: FieldChange[]) => Promise<SaveOutcome> = async () => ({
    title: '',
    issues: [],
    missing: 0,
    savedAt: Date.UTC(2026, 10, 22, 2, 5),
  });
  private next = 1;

  private log(cmd: string, args: unknown): void {
    this.calls.push({ cmd, args });
  }

  async startup(): Promise<Startup> {
    this.log('startup', null);
    return this.startupResult;
  }

  async procedures(query: string): Promise<ProcedureSummary[]> {
    this.log('procedures', query);
    return query && !'dang ky khai sinh'.includes(query) ? [] : [birth.summary];
  }

  async createDossier(procedureCode: string, fields: FieldChange[]): Promise<Dossier> {
    this.log('createDossier', { procedureCode, fields });
    const d = this.makeDossier(`d${this.next++}`);
    this.dossiers.set(d.id, d);
    return d;
  }

  makeDossier(id: string, values: Record<string, string> = {}): Dossier {
    return {
      id,
      procedureCode: '1.001193',
      procedure: birth,
      state: 'draft',
      title: values['applicant.full_name'] ?? '',
      values,
      issues: [{ key: 'applicant.full_name', code: 'required' }],
      components: [{ code: 'to_khai', pages: [], missing: true }],
      missing: 4,
      createdAt: 0,
      updatedAt: 0,
      deletedAt: null,
      receipt: null,
      statusMessage: '',
      sending: null,
      results: [],
      timeline: [],
    };
  }

  async openDossier(id: string): Promise<Dossier> {
    this.log('openDossier', id);
    const d = this.dossiers.get(id);
    if (!d) throw { code: 'not_found', message: `dossier ${id} does not exist` };
    return d;
  }

  async saveFields(id: string, changes: FieldChange[]): Promise<SaveOutcome> {
    this.log('saveFields', { id, changes });
    return this.saveAnswer(changes);
  }

  async listDossiers(query: ListQuery): Promise<DossierList> {
    this.log('listDossiers', query);
    const items: DossierListItem[] = [...this.dossiers.values()]
      .filter((d) => (d.deletedAt !== null) === query.trash)
      .map((d) => ({
        id: d.id,
        procedureCode: d.procedureCode,
        procedureName: d.procedure?.summary.name ?? '',
        state: d.state,
        title: d.title,
        missing: d.missing,
        createdAt: d.createdAt,
        updatedAt: d.updatedAt,
        deletedAt: d.deletedAt,
        receipt: d.receipt,
        jobState: d.sending?.jobState ?? null,
        jobError: d.sending?.errorCode ?? null,
        progress: null,
      }));
    return { items, total: items.length };
  }

  async duplicateDossier(id: string): Promise<Dossier> {
    this.log('duplicateDossier', id);
    return this.makeDossier(`d${this.next++}`);
  }

  async trashDossier(id: string): Promise<void> {
    this.log('trashDossier', id);
    const d = this.dossiers.get(id);
    if (d) d.deletedAt = 1;
  }

  async restoreDossier(id: string): Promise<void> {
    this.log('restoreDossier', id);
    const d = this.dossiers.get(id);
    if (d) d.deletedAt = null;
  }

  async purgeDossier(id: string): Promise<void> {
    this.log('purgeDossier', id);
    this.dossiers.delete(id);
  }

  /** The handler the app registered for the window closing, to call like the shell would. */
  beforeClose: (() => Promise<void>) | undefined;

  async addPage(id: string, component: string, file: File): Promise<Dossier> {
    this.log('addPage', { id, component, name: file.name });
    const d = this.dossiers.get(id) ?? this.makeDossier(id);
    return d;
  }

  async finalizeDossier(id: string): Promise<Dossier> {
    this.log('finalizeDossier', id);
    const d = this.dossiers.get(id);
    if (!d) throw { code: 'not_found', message: 'no such dossier' };
    if (d.missing > 0) throw { code: 'not_ready', message: `${d.missing} missing` };
    d.state = 'queued';
    d.sending = { jobState: 'queued', errorCode: null, errorDetail: null, attempts: 0, nextAttemptAt: 0, sentBytes: 0, totalBytes: 10 };
    return d;
  }

  async unqueueDossier(id: string): Promise<Dossier> {
    this.log('unqueueDossier', id);
    const d = this.dossiers.get(id);
    if (!d) throw { code: 'not_found', message: 'no such dossier' };
    d.state = 'draft';
    d.sending = null;
    return d;
  }

  async saveReceipt(id: string): Promise<string> {
    this.log('saveReceipt', id);
    return `/home/user/Downloads/HoSo/${id}.pdf`;
  }

  async sendNow(): Promise<void> {
    this.log('sendNow', null);
  }

  portal: PortalSettings = { url: '', urlFromEnv: false, tokenSource: 'none', paused: false };

  async setSendingPaused(paused: boolean): Promise<PortalSettings> {
    this.log('setSendingPaused', paused);
    this.portal = { ...this.portal, paused };
    return this.portal;
  }

  async portalSettings(): Promise<PortalSettings> {
    return this.portal;
  }

  async setPortal(url: string, token: string | null): Promise<PortalSettings> {
    this.log('setPortal', { url, token });
    this.portal = { ...this.portal, url, tokenSource: token ? 'keyring' : this.portal.tokenSource };
    return this.portal;
  }

  sendingListeners: ((r: SendReport) => void)[] = [];

  onSending(listener: (r: SendReport) => void): () => void {
    this.sendingListeners.push(listener);
    return () => (this.sendingListeners = this.sendingListeners.filter((l) => l !== listener));
  }

  notifications: { title: string; body: string }[] = [];

  notify(title: string, body: string): void {
    this.notifications.push({ title, body });
  }

  onCloseRequested(beforeClose: () => Promise<void>): void {
    this.beforeClose = beforeClose;
  }

  appReady(): void {
    this.log('appReady', null);
  }
}
