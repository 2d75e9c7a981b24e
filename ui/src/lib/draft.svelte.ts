// One dossier being worked on: its values with autosave, its papers' photos made into pages
// one at a time, and finalising. The expert editor and the guided steps both drive it, so the
// two can never disagree about what is saved.

import type { Backend } from './backend/backend';
import { toApiError } from './backend/backend';
import type { ApiError, CardChange, Dossier, FeeInfo, FieldIssue, FieldSpec, PageEdit, PageInfo } from './bindings';
import { Autosave, type SaveStatus } from './autosave';
import { t } from './i18n/index.svelte';
import { onFlush } from './session';
import { showToast } from './toast.svelte';

export type Progress = { done: number; total: number };

export class DossierDraft {
  dossier = $state<Dossier | null>(null);
  values = $state<Record<string, string>>({});
  issues = $state<FieldIssue[]>([]);
  missing = $state(0);
  fee = $state<FeeInfo | null>(null);
  status = $state<SaveStatus>({ kind: 'idle' });
  error = $state<ApiError | null>(null);
  /** Files being added. */
  adding = $state<Progress | null>(null);
  /** Photos being made into pages. */
  processing = $state<Progress | null>(null);

  readonly autosave: Autosave;
  private readonly unregister: () => void;

  constructor(
    private readonly backend: Backend,
    readonly id: string,
  ) {
    this.autosave = new Autosave({
      save: (changes) => backend.saveFields(id, changes),
      onSaved: (o) => {
        this.issues = o.issues;
        this.missing = o.missing;
        this.fee = o.fee;
      },
      onStatus: (s) => (this.status = s),
    });
    this.unregister = onFlush(() => this.autosave.flush());
  }

  get procedure() {
    return this.dossier?.procedure ?? null;
  }

  get readOnly(): boolean {
    return this.dossier?.deletedAt != null || (this.dossier !== null && this.dossier.state !== 'draft');
  }

  /** Every field of the form, in order. */
  get fields(): FieldSpec[] {
    return this.procedure?.sections.flatMap((s) => s.fields) ?? [];
  }

  async load(): Promise<void> {
    try {
      const d = await this.backend.openDossier(this.id);
      // Keep what the person is typing; take the rest from the store.
      const pending = d.state === 'draft' && this.autosave.hasPending ? { ...this.values } : {};
      this.dossier = d;
      this.values = { ...d.values, ...pending };
      this.issues = d.issues;
      this.missing = d.missing;
    } catch (e) {
      this.error = toApiError(e);
    }
  }

  /** Takes a dossier the back end answered with (after a page or state change). */
  take(d: Dossier): void {
    this.dossier = d;
    this.issues = d.issues;
    this.missing = d.missing;
  }

  /** Takes a dossier whose values changed on the back end's side (finalised, taken back). */
  takeAll(d: Dossier): void {
    this.take(d);
    this.values = { ...d.values };
  }

  /**
   * The problem to show next to a field: once it has a value, or once `shown` (the person
   * left the field, or asked to see everything missing) — an empty form is not nagged at.
   */
  issueOf(field: FieldSpec, shown: boolean): FieldIssue | undefined {
    const issue = this.issues.find((i) => i.key === field.key);
    if (!issue) return undefined;
    const hasValue = (this.values[field.key] ?? '').trim() !== '';
    return hasValue || shown ? issue : undefined;
  }

  edit(field: FieldSpec, value: string): void {
    this.setValue(field.key, value);
  }

  /** Sets a value the app keeps besides the form's fields (how the result comes back). */
  setValue(key: string, value: string): void {
    this.values[key] = value;
    this.autosave.set(key, value);
  }

  /** Writes the address chosen in the picker, with undo. */
  fillAddress(field: FieldSpec, address: string): void {
    const before = this.values[field.key] ?? '';
    if (before === address) return;
    this.edit(field, address);
    showToast({
      text: t('address.filled', { label: field.label }),
      action: { label: t('address.undo'), run: () => this.edit(field, before) },
    });
  }

  /** Fills the fields chosen from a card read ("Quét CCCD"), with undo. */
  fillFromCard(changes: CardChange[]): void {
    if (changes.length === 0) return;
    const fields = this.fields;
    const before = changes.map((c) => ({ key: c.key, value: this.values[c.key] ?? '' }));
    for (const c of changes) {
      const field = fields.find((f) => f.key === c.key);
      if (field) this.edit(field, c.proposed);
    }
    showToast({
      text: t('card.filled', { n: changes.length }),
      action: {
        label: t('card.undo'),
        run: () => {
          for (const b of before) {
            const field = fields.find((f) => f.key === b.key);
            if (field) this.edit(field, b.value);
          }
        },
      },
    });
  }

  /** Photos arrived from the phone: show them, then make them into pages. */
  async phoneReceived(): Promise<void> {
    try {
      this.take(await this.backend.openDossier(this.id));
    } catch (e) {
      this.error = toApiError(e);
    }
    await this.processPending();
  }

  async addFiles(component: string, files: File[]): Promise<void> {
    if (files.length === 0 || this.adding) return;
    await this.autosave.flush();
    this.adding = { done: 0, total: files.length };
    try {
      for (const [i, f] of files.entries()) {
        this.take(await this.backend.addPage(this.id, component, f));
        this.adding = { done: i + 1, total: files.length };
      }
      this.error = null;
    } catch (e) {
      this.error = toApiError(e);
    } finally {
      this.adding = null;
    }
    await this.processPending();
  }

  /** Makes every photo not yet made into a page, one at a time, in the background. */
  async processPending(): Promise<void> {
    if (this.processing || this.readOnly) return;
    let ids: number[];
    try {
      ids = await this.backend.pendingPages(this.id);
    } catch {
      return;
    }
    if (ids.length === 0) return;
    this.processing = { done: 0, total: ids.length };
    try {
      for (const pageId of ids) {
        try {
          this.take(await this.backend.scanPage(this.id, pageId, null));
          await this.fillFromPaper(pageId);
        } catch (e) {
          const err = toApiError(e);
          // An unreadable photo is marked on its page; anything else stops the queue.
          if (err.code !== 'bad_image') {
            this.error = err;
            break;
          }
          await this.load();
        }
        this.processing = { done: (this.processing?.done ?? 0) + 1, total: ids.length };
      }
    } finally {
      this.processing = null;
    }
    // Photos added while this ran.
    const more = await this.backend.pendingPages(this.id).catch(() => []);
    if (more.length > 0 && !this.error) await this.processPending();
  }

  /**
   * A page of a paper HoSo can read (a birth certificate): fills the fields it gives that are
   * still empty, with undo; what the person typed is never replaced. Without OCR on this
   * computer, nothing happens.
   */
  async fillFromPaper(pageId: number): Promise<void> {
    const d = this.dossier;
    const code = d?.components.find((c) => c.pages.some((p) => p.id === pageId))?.code;
    const spec = this.procedure?.components.find((c) => c.code === code);
    if (!spec?.reads || this.readOnly) return;
    let changes: CardChange[];
    try {
      changes = (await this.backend.readPaper(this.id, pageId)).changes;
    } catch {
      return;
    }
    const fields = this.fields;
    const fill = changes.filter((c) => (this.values[c.key] ?? '').trim() === '' && fields.some((f) => f.key === c.key));
    if (fill.length === 0) return;
    for (const c of fill) this.setValue(c.key, c.proposed);
    showToast({
      text: t('paper.filled', { n: fill.length, name: spec.name }),
      action: {
        label: t('card.undo'),
        run: () => {
          for (const c of fill) this.setValue(c.key, c.current);
        },
      },
    });
  }

  async applyEdit(page: PageInfo, edit: PageEdit): Promise<Dossier | null> {
    const d = await this.backend.scanPage(this.id, page.id, edit);
    this.take(d);
    return d;
  }

  async pageAction(run: () => Promise<Dossier>): Promise<void> {
    try {
      this.take(await run());
      this.error = null;
    } catch (e) {
      this.error = toApiError(e);
    }
  }

  rotate(page: PageInfo): void {
    const s = page.scan;
    if (!s) return;
    void this.pageAction(() => this.backend.scanPage(this.id, page.id, { mode: s.mode, corners: s.corners, turn: 1 }));
  }

  movePage(page: PageInfo, index: number): void {
    void this.pageAction(() => this.backend.movePage(this.id, page.id, index));
  }

  /** Removes a page, with undo in the toast. */
  removePage(page: PageInfo): void {
    void this.pageAction(async () => {
      const d = await this.backend.removePage(this.id, page.id);
      showToast({
        text: t('pages.removed'),
        action: { label: t('editor.undo'), run: () => this.pageAction(() => this.backend.restorePage(this.id, page.id)) },
      });
      return d;
    });
  }

  /** Freezes the draft and queues it for sending; true when it worked. */
  async finalize(): Promise<boolean> {
    try {
      // The choice shown as taken is the one sent.
      if (!this.values['delivery.method']) this.setValue('delivery.method', 'desk');
      await this.autosave.flush();
      this.takeAll(await this.backend.finalizeDossier(this.id));
      showToast({ text: t('send.queued') });
      return true;
    } catch (e) {
      this.error = toApiError(e);
      return false;
    }
  }

  /** Saves what is pending, then stops (leaving the screen). */
  dispose(): void {
    void this.autosave.flush().finally(() => {
      this.autosave.dispose();
      this.unregister();
    });
  }
}
