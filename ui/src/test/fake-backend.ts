// An in-memory Backend for component tests: records calls and answers like the real one
// would for a tiny catalogue. It is not the app's logic (validation lives in Rust); answers
// are canned where the test needs them.

import type { ArchiveProgress, Backend } from '../lib/backend/backend';
import type {
  AddressNew,
  ArchiveHit,
  ArchiveMeta,
  ArchiveRecord,
  BridgeStatus,
  BundleInfo,
  CardChange,
  CardProposal,
  PaperReading,
  SupportDesk,
  Dossier,
  DossierList,
  DossierListItem,
  FeeInfo,
  FieldChange,
  Grouping,
  Imported,
  InboxItemInfo,
  InboxPage,
  ImportReport,
  IntakeReport,
  LanAddress,
  ListQuery,
  PageEdit,
  PageInfo,
  PortalSettings,
  ProcedureDetail,
  ProcedureSummary,
  SaveOutcome,
  SendReport,
  Startup,
  UnitHit,
  UnitProvince,
  WatchFolderInfo,
} from '../lib/bindings';

/** Birth registration on time: no fee. */
export const freeFee: FeeInfo = {
  kind: 'free',
  total: 0,
  totalText: '0đ',
  lines: [],
  note: 'Miễn lệ phí: đăng ký khai sinh đúng hạn (trong 60 ngày, đã qua 10 ngày).',
};

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
    { code: 'to_khai', name: 'Tờ khai', copy: 'original', count: 1, template: null, required: true, looks: 'form',
      about: 'Tờ khai theo mẫu.', source: 'Bộ phận một cửa.', reads: false },
  ],
  sections: [
    {
      title: 'Người nộp hồ sơ',
      fields: [
        { key: 'applicant.full_name', label: 'Họ, chữ đệm và tên', kind: 'full_name', required: true, hint: null, options: [], min: null, max: null },
        { key: 'applicant.phone', label: 'Số điện thoại', kind: 'phone', required: true, hint: null, options: [], min: null, max: null },
        { key: 'applicant.dob', label: 'Ngày sinh', kind: 'date', required: true, hint: null, options: [], min: null, max: null },
        { key: 'applicant.cccd', label: 'Số định danh cá nhân (số CCCD)', kind: 'cccd', required: false, hint: null, options: [], min: null, max: null },
        { key: 'applicant.address', label: 'Nơi thường trú', kind: 'address', required: false, hint: null, options: [], min: null, max: null },
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
    fee: freeFee,
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
      fee: freeFee,
      payment: null,
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

  private nextPage = 1;
  /** Photos whose name contains this cannot be read. */
  brokenName = 'hong';
  /** Quality warnings the "scan" gives photos, by a word in their name. */
  qualityByName = new Map<string, string[]>();

  async addPage(id: string, component: string, file: File): Promise<Dossier> {
    this.log('addPage', { id, component, name: file.name });
    const d = this.dossiers.get(id) ?? this.makeDossier(id);
    let c = d.components.find((x) => x.code === component);
    if (!c) {
      c = { code: component, pages: [], missing: false };
      d.components.push(c);
    }
    const image = file.type.startsWith('image/') || /\.(jpe?g|png|heic)$/i.test(file.name);
    c.pages.push({
      id: this.nextPage++,
      position: c.pages.length + 1,
      sha256: 'x',
      mediaType: image ? 'image/jpeg' : 'application/pdf',
      byteSize: 3_000_000,
      originalName: file.name,
      addedAt: 0,
      scanState: image ? 'pending' : 'not_image',
      scan: null,
      scanError: null,
    });
    c.missing = false;
    this.dossiers.set(id, d);
    return structuredClone(d);
  }

  private findPage(id: string, pageId: number): { d: Dossier; list: PageInfo[]; index: number } {
    const d = this.dossiers.get(id);
    if (!d) throw { code: 'not_found', message: 'no such dossier' };
    for (const c of d.components) {
      const index = c.pages.findIndex((p) => p.id === pageId);
      if (index >= 0) return { d, list: c.pages, index };
    }
    throw { code: 'not_found', message: `no page ${pageId}` };
  }

  async scanPage(id: string, pageId: number, edit: PageEdit | null): Promise<Dossier> {
    this.log('scanPage', { id, pageId, edit });
    const { d, list, index } = this.findPage(id, pageId);
    const p = list[index];
    if (!p) throw { code: 'not_found', message: `no page ${pageId}` };
    if (p.originalName.includes(this.brokenName)) {
      p.scanState = 'failed';
      p.scanError = 'Tệp ảnh bị hỏng hoặc không đầy đủ.';
      throw { code: 'bad_image', message: p.scanError };
    }
    const turn = (edit?.turn ?? 0) % 2 === 1;
    const old = p.scan;
    const portrait = old ? old.width < old.height : true;
    const w = portrait !== turn ? 1654 : 2339;
    p.scanState = 'done';
    p.scan = {
      mode: edit?.mode ?? 'auto',
      used: edit?.mode && edit.mode !== 'auto' ? edit.mode : 'bw',
      corners: edit?.corners ?? [[100, 120], [2900, 110], [2950, 3900], [90, 3950]],
      detected: edit?.corners == null,
      photoWidth: 3000,
      photoHeight: 4000,
      width: w,
      height: w === 1654 ? 2339 : 1654,
      dpi: 200,
      encoding: 'g4',
      kind: 'a4',
      flags: [...this.qualityByName.entries()].filter(([w]) => p.originalName.includes(w)).flatMap(([, f]) => f),
      bytes: 25_000,
    };
    return structuredClone(d);
  }

  async pendingPages(id: string): Promise<number[]> {
    this.log('pendingPages', id);
    const d = this.dossiers.get(id);
    return d ? d.components.flatMap((c) => c.pages).filter((p) => p.scanState === 'pending').map((p) => p.id) : [];
  }

  async pageThumbnail(id: string, pageId: number): Promise<Blob> {
    this.log('pageThumbnail', { id, pageId });
    return new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' });
  }

  async pagePhoto(id: string, pageId: number): Promise<Blob> {
    this.log('pagePhoto', { id, pageId });
    return new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' });
  }

  removed = new Map<number, { list: PageInfo[]; index: number; page: PageInfo }>();

  async movePage(id: string, pageId: number, index: number): Promise<Dossier> {
    this.log('movePage', { id, pageId, index });
    const { d, list, index: from } = this.findPage(id, pageId);
    const [p] = list.splice(from, 1);
    if (!p) throw { code: 'not_found', message: `no page ${pageId}` };
    list.splice(Math.min(index, list.length), 0, p);
    return structuredClone(d);
  }

  async removePage(id: string, pageId: number): Promise<Dossier> {
    this.log('removePage', { id, pageId });
    const { d, list, index } = this.findPage(id, pageId);
    const [page] = list.splice(index, 1);
    if (!page) throw { code: 'not_found', message: `no page ${pageId}` };
    this.removed.set(pageId, { list, index, page });
    return structuredClone(d);
  }

  async restorePage(id: string, pageId: number): Promise<Dossier> {
    this.log('restorePage', { id, pageId });
    const r = this.removed.get(pageId);
    const d = this.dossiers.get(id);
    if (!r || !d) throw { code: 'not_found', message: `no page ${pageId}` };
    r.list.splice(r.index, 0, r.page);
    this.removed.delete(pageId);
    return structuredClone(d);
  }

  async saveComponentPdf(id: string, component: string): Promise<string> {
    this.log('saveComponentPdf', { id, component });
    return `/home/user/Downloads/HoSo/${component}.pdf`;
  }

  /** The open bridge; tests change `received` and `phones` to simulate a phone. */
  bridge: BridgeStatus | null = null;
  addresses: LanAddress[] = [
    { ip: '192.168.1.23', interface: 'wlan0' },
    { ip: '10.0.0.5', interface: 'eth0' },
  ];

  async bridgeAddresses(): Promise<LanAddress[]> {
    this.log('bridgeAddresses', null);
    return this.addresses;
  }

  async bridgeOpen(id: string, component: string, address: string | null): Promise<BridgeStatus> {
    this.log('bridgeOpen', { id, component, address });
    return this.openBridge(id, component, address);
  }

  async bridgeOpenCard(id: string, address: string | null): Promise<BridgeStatus> {
    this.log('bridgeOpenCard', { id, address });
    return this.openBridge(id, '', address);
  }

  async bridgeOpenGuided(id: string, aim: string, address: string | null): Promise<BridgeStatus> {
    this.log('bridgeOpenGuided', { id, aim, address });
    const b = this.openBridge(id, aim === 'card' ? '' : aim === 'auto' ? 'to_khai' : aim, address);
    this.bridge = { ...b, aim, guided: true };
    return this.bridge;
  }

  async bridgeAim(id: string, aim: string): Promise<BridgeStatus> {
    this.log('bridgeAim', { id, aim });
    if (!this.bridge?.guided) throw { code: 'not_found', message: 'no guided bridge' };
    this.bridge = { ...this.bridge, aim, component: aim === 'card' ? '' : aim === 'auto' ? 'to_khai' : aim };
    return this.bridge;
  }

  /** Opens a bridge for a paper, or for card photos when `component` is ''. */
  private openBridge(id: string, component: string, address: string | null): BridgeStatus {
    const ip = address ?? this.addresses[0]?.ip ?? '127.0.0.1';
    this.bridge = {
      url: `http://${ip}:41234/p/${(component ? 'ab' : 'cd').repeat(16)}/`,
      qrSvg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>',
      dossierId: id,
      component,
      aim: component || 'card',
      guided: false,
      address: ip,
      onlyThisComputer: ip.startsWith('127.'),
      expiresInS: 900,
      received: 0,
      cardsRead: 0,
      card: null,
      phones: [],
    };
    return this.bridge;
  }

  /** As the bridge would: a card photo from the phone is read. */
  cardFromPhone(card: CardProposal): void {
    if (!this.bridge) throw new Error('no bridge open');
    this.bridge = { ...this.bridge, received: this.bridge.received + 1, cardsRead: this.bridge.cardsRead + 1, card };
  }

  async bridgeStatus(): Promise<BridgeStatus | null> {
    this.log('bridgeStatus', null);
    return this.bridge;
  }

  async bridgeCutOff(phone: number): Promise<BridgeStatus> {
    this.log('bridgeCutOff', phone);
    if (!this.bridge) throw { code: 'not_found', message: 'closed' };
    this.bridge = { ...this.bridge, phones: this.bridge.phones.map((p) => (p.id === phone ? { ...p, cutOff: true } : p)) };
    return this.bridge;
  }

  async bridgeClose(): Promise<void> {
    this.log('bridgeClose', null);
    this.bridge = null;
  }

  folders: WatchFolderInfo[] = [];
  /** Photos in "Ảnh mới"; `dismissed` ones are hidden. */
  inboxItems: (InboxItemInfo & { dismissed?: boolean })[] = [];
  /** What the system folder picker answers. */
  picked: string | null = null;
  private inboxListeners: (() => void)[] = [];

  async watchFolders(): Promise<WatchFolderInfo[]> {
    this.log('watchFolders', null);
    return this.folders;
  }

  async addWatchFolder(path: string, takeExisting: boolean): Promise<WatchFolderInfo[]> {
    this.log('addWatchFolder', { path, takeExisting });
    if (!path.startsWith('/')) throw { code: 'invalid_input', message: `${path} is not a full path` };
    this.folders = [...this.folders, { path, addedAt: 0, missing: false }];
    return this.folders;
  }

  async removeWatchFolder(path: string): Promise<WatchFolderInfo[]> {
    this.log('removeWatchFolder', path);
    this.folders = this.folders.filter((f) => f.path !== path);
    return this.folders;
  }

  async pickFolder(): Promise<string | null> {
    this.log('pickFolder', null);
    return this.picked;
  }

  async inbox(limit: number, offset: number): Promise<InboxPage> {
    this.log('inbox', { limit, offset });
    const waiting = this.inboxItems.filter((i) => !i.dismissed);
    return { items: waiting.slice(offset, offset + limit).map(({ dismissed: _, ...i }) => i), total: waiting.length };
  }

  async inboxThumbnail(id: number): Promise<Blob> {
    this.log('inboxThumbnail', id);
    return new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
  }

  async inboxAssign(id: number, dossier: string, component: string): Promise<Dossier> {
    this.log('inboxAssign', { id, dossier, component });
    const item = this.inboxItems.find((i) => i.id === id);
    if (!item) throw { code: 'not_found', message: `no inbox photo ${id}` };
    this.inboxItems = this.inboxItems.filter((i) => i.id !== id);
    return this.addPage(dossier, component, new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0])], item.name, { type: 'image/jpeg' }));
  }

  async inboxDismiss(id: number): Promise<void> {
    this.log('inboxDismiss', id);
    this.inboxItems = this.inboxItems.map((i) => (i.id === id ? { ...i, dismissed: true } : i));
  }

  async inboxRestore(id: number): Promise<void> {
    this.log('inboxRestore', id);
    this.inboxItems = this.inboxItems.map((i) => (i.id === id ? { ...i, dismissed: false } : i));
  }

  onInbox(listener: () => void): () => void {
    this.inboxListeners.push(listener);
    return () => (this.inboxListeners = this.inboxListeners.filter((l) => l !== listener));
  }

  /** What "Quét CCCD" reads; tests set it. */
  card: CardProposal | null = null;

  async readCard(id: string, file: File): Promise<CardProposal> {
    this.log('readCard', { id, name: file.name });
    if (!this.card) throw { code: 'bad_image', message: 'Không tìm thấy mã QR trong ảnh.' };
    return this.card;
  }

  /** What reading a paper's page proposes. */
  paperChanges: CardChange[] = [];

  async readPaper(id: string, pageId: number): Promise<PaperReading> {
    this.log('readPaper', { id, pageId });
    return { component: 'to_khai', changes: structuredClone(this.paperChanges) };
  }

  async readCardFromPage(id: string, pageId: number): Promise<CardProposal> {
    this.log('readCardFromPage', { id, pageId });
    if (!this.card) throw { code: 'bad_image', message: 'Không tìm thấy mã QR trong ảnh.' };
    return this.card;
  }

  /** A few real units, enough for the picker's tests. */
  units: UnitHit[] = [
    { provinceCode: '01', province: 'Thành phố Hà Nội', communeCode: '00004', commune: 'Phường Ba Đình' },
    { provinceCode: '01', province: 'Thành phố Hà Nội', communeCode: '00190', commune: 'Phường Ô Chợ Dừa' },
    { provinceCode: '15', province: 'Tỉnh Lào Cai', communeCode: '03037', commune: 'Xã Tả Van' },
    { provinceCode: '08', province: 'Tỉnh Tuyên Quang', communeCode: '00715', commune: 'Xã Lũng Cú' },
  ];

  async unitProvinces(): Promise<UnitProvince[]> {
    this.log('unitProvinces', null);
    const seen = new Map<string, UnitProvince>();
    for (const u of this.units) {
      const p = seen.get(u.provinceCode) ?? { code: u.provinceCode, name: u.province, communes: 0 };
      p.communes += 1;
      seen.set(u.provinceCode, p);
    }
    return [...seen.values()].sort((a, b) => a.code.localeCompare(b.code));
  }

  async unitSearch(query: string, province: string | null): Promise<UnitHit[]> {
    this.log('unitSearch', { query, province });
    const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase();
    const words = fold(query).split(/\s+/).filter(Boolean);
    return this.units.filter(
      (u) => (!province || u.provinceCode === province) && words.every((w) => fold(`${u.commune}, ${u.province}`).includes(w)),
    );
  }

  /** Old addresses the fake knows the new form of. */
  newForms = new Map<string, AddressNew>();

  async addressNew(address: string): Promise<AddressNew | null> {
    this.log('addressNew', address);
    return this.newForms.get(address) ?? null;
  }

  /** As the watcher would: a photo arrives in "Ảnh mới". */
  arrive(item: InboxItemInfo): void {
    this.inboxItems = [item, ...this.inboxItems];
    for (const l of this.inboxListeners) l();
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

  async saveDiagnostics(): Promise<string> {
    this.log('saveDiagnostics', null);
    return '/home/user/Downloads/HoSo/hoso-ho-tro-2026-11-22.json';
  }

  async saveDossierPdf(id: string): Promise<string> {
    this.log('saveDossierPdf', id);
    return `/home/user/Downloads/HoSo/ho-so-${id}.pdf`;
  }

  async saveBundle(id: string, receipt: boolean): Promise<string> {
    this.log('saveBundle', { id, receipt });
    return `/home/user/Downloads/HoSo/${receipt ? 'bien-nhan' : 'ho-so'}-${id}.hoso`;
  }

  /** What the next bundle opened says; null: it is refused. */
  bundle: BundleInfo | null = null;

  async bundleInfo(file: File): Promise<BundleInfo> {
    this.log('bundleInfo', file.name);
    if (!this.bundle) throw { code: 'bad_bundle', message: 'Gói hồ sơ bị cắt cụt (chép chưa xong hoặc tải về chưa hết). Hãy chép hoặc tải lại tệp.' };
    return this.bundle;
  }

  async bundleImport(file: File, replace: boolean, onBehalf: boolean): Promise<Imported> {
    this.log('bundleImport', { name: file.name, replace, onBehalf });
    const b = this.bundle;
    if (!b) throw { code: 'bad_bundle', message: 'refused' };
    if (b.existing === 'different' && !replace) throw { code: 'exists', message: 'Hồ sơ này đã có trên máy.' };
    if (!this.dossiers.has(b.dossierId)) this.dossiers.set(b.dossierId, this.makeDossier(b.dossierId));
    return { id: b.dossierId, outcome: b.existing === 'same' ? 'already' : replace ? 'replaced' : 'imported' };
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

  desk: SupportDesk = { name: '', phone: '', address: '', hours: '' };

  async supportDesk(): Promise<SupportDesk> {
    this.log('supportDesk', null);
    return { ...this.desk };
  }

  async setSupportDesk(desk: SupportDesk): Promise<SupportDesk> {
    this.log('setSupportDesk', desk);
    this.desk = { ...desk };
    return { ...desk };
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

  /** What `--open` asked for at launch (tests set it). */
  launchRequest: string | null = null;
  openListeners: ((id: string) => void)[] = [];

  async launchOpen(): Promise<string | null> {
    const id = this.launchRequest;
    this.launchRequest = null;
    return id;
  }

  onOpenRequest(listener: (id: string) => void): () => void {
    this.openListeners.push(listener);
    return () => (this.openListeners = this.openListeners.filter((l) => l !== listener));
  }

  // The archive: records made of text pages; the search folds like the Rust side (roughly).
  archive: ArchiveRecord[] = [];
  archiveTexts = new Map<number, string>();
  archiveListeners: ((p: ArchiveProgress) => void)[] = [];

  archiveRecordOf(id: number, meta: Partial<ArchiveMeta>, texts: string[]): ArchiveRecord {
    const pages = texts.map((text, i) => {
      const pageId = id * 100 + i + 1;
      this.archiveTexts.set(pageId, text);
      return {
        id: pageId, position: i + 1, sourceName: `${pageId}.jpg`, sourceSha256: `s${pageId}`, width: 1654,
        height: 2339, dpi: 200, encoding: 'g4', byteSize: 20000, ocr: 'done' as const, ocrRuns: 1, ocrDoneAt: 1,
      };
    });
    return { id, batch: 'quet', createdAt: 0, pages, kind: '', number: '', date: '', people: '', tags: '', ...meta };
  }

  async archiveDigitise(path: string, grouping: Grouping, ocr: boolean): Promise<IntakeReport> {
    this.log('archiveDigitise', { path, grouping, ocr });
    const id = this.archive.length + 1;
    this.archive.unshift(this.archiveRecordOf(id, {}, ['Ông/Bà: Hoàng Thị Mỹ Huyền', 'Trang hai']));
    for (const l of this.archiveListeners) l({ phase: 'intake', done: 3, total: 3, finished: true, left: 0 });
    return { files: 3, pages: 2, records: [id], separators: 0, blanks: 1, duplicates: 0, failed: [], ms: 10 };
  }

  async archiveRead(): Promise<void> {
    this.log('archiveRead', null);
  }

  async archiveSearch(query: string): Promise<ArchiveHit[]> {
    this.log('archiveSearch', query);
    const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();
    const words = fold(query).split(/\s+/).filter(Boolean);
    const hits: ArchiveHit[] = [];
    for (const r of this.archive) {
      for (const p of r.pages) {
        const text = this.archiveTexts.get(p.id) ?? '';
        const hay = fold(`${text} ${r.kind} ${r.people}`);
        if (!words.every((w) => hay.includes(w))) continue;
        const first = words[0] ?? '';
        const at = fold(text).indexOf(first);
        const marks: [number, number][] = at >= 0 ? [[at, at + first.length]] : [];
        hits.push({ recordId: r.id, pageId: p.id, position: p.position, title: r.people || `Hồ sơ số hóa ${r.id}`, snippet: text, marks });
      }
    }
    return hits;
  }

  async archiveRecords(): Promise<ArchiveRecord[]> {
    return this.archive;
  }

  async archiveRecord(id: number): Promise<ArchiveRecord> {
    const r = this.archive.find((x) => x.id === id);
    if (!r) throw { code: 'not_found', message: `record ${id} does not exist` };
    return r;
  }

  async archiveSetMeta(id: number, meta: ArchiveMeta): Promise<ArchiveRecord> {
    this.log('archiveSetMeta', { id, meta });
    const r = await this.archiveRecord(id);
    Object.assign(r, meta);
    return r;
  }

  async archiveThumbnail(): Promise<Blob> {
    return new Blob([new Uint8Array([0xff, 0xd8])], { type: 'image/jpeg' });
  }

  async archivePageView(): Promise<Blob> {
    return new Blob([new Uint8Array([0xff, 0xd8])], { type: 'image/jpeg' });
  }

  async archivePageText(pageId: number): Promise<string> {
    return this.archiveTexts.get(pageId) ?? '';
  }

  async archiveStopReading(): Promise<void> {
    this.log('archiveStopReading', null);
  }

  async archiveSplit(id: number, position: number): Promise<ArchiveRecord> {
    this.log('archiveSplit', { id, position });
    const r = await this.archiveRecord(id);
    const newId = Math.max(...this.archive.map((x) => x.id)) + 1;
    const moved = r.pages.filter((p) => p.position >= position).map((p) => ({ ...p, position: p.position - position + 1 }));
    r.pages = r.pages.filter((p) => p.position < position);
    const created = { ...r, id: newId, pages: moved };
    this.archive.unshift(created);
    return created;
  }

  async archiveMerge(into: number, from: number): Promise<ArchiveRecord> {
    this.log('archiveMerge', { into, from });
    const a = await this.archiveRecord(into);
    const b = await this.archiveRecord(from);
    const last = a.pages.length;
    a.pages = [...a.pages, ...b.pages.map((p) => ({ ...p, position: p.position + last }))];
    this.archive = this.archive.filter((x) => x.id !== from);
    return a;
  }

  async archiveSaveSeparator(kind: string): Promise<string> {
    this.log('archiveSaveSeparator', kind);
    return '/home/user/Downloads/HoSo/to-phan-cach-hoso.pdf';
  }

  async archiveExport(): Promise<string> {
    this.log('archiveExport', null);
    return '/home/user/Downloads/HoSo/luu-tru-2026-11-22';
  }

  async archiveImport(path: string): Promise<ImportReport> {
    this.log('archiveImport', path);
    return { records: 2, pages: 5, duplicates: 1, failed: [] };
  }

  onArchiveProgress(listener: (p: ArchiveProgress) => void): () => void {
    this.archiveListeners.push(listener);
    return () => (this.archiveListeners = this.archiveListeners.filter((l) => l !== listener));
  }

  /** A second launch asks this window to open `id`. */
  secondLaunch(id: string): void {
    for (const l of this.openListeners) l(id);
  }
}
