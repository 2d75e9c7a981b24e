// Autosave: field edits are batched and saved shortly after the user pauses typing, one save
// at a time and in order. A failed save keeps its changes and is retried; nothing typed is
// dropped. flush() saves everything pending now (leaving a screen, closing the window).

import type { ApiError, FieldChange, SaveOutcome } from './bindings';
import { toApiError } from './backend/backend';

export type SaveStatus =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number }
  | { kind: 'error'; error: ApiError };

export interface AutosaveOptions {
  save: (changes: FieldChange[]) => Promise<SaveOutcome>;
  onSaved: (outcome: SaveOutcome) => void;
  onStatus: (status: SaveStatus) => void;
  /** Pause after the last keystroke before saving. Saves land well within 1 s of a pause. */
  delayMs?: number;
  /** Wait before retrying a failed save. */
  retryMs?: number;
}

export class Autosave {
  private readonly pending = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private readonly opts: Required<AutosaveOptions>;

  constructor(opts: AutosaveOptions) {
    this.opts = { delayMs: 400, retryMs: 4000, ...opts };
  }

  /** Records a new value for a field and schedules a save. */
  set(key: string, value: string): void {
    this.pending.set(key, value);
    this.opts.onStatus({ kind: 'pending' });
    this.schedule(this.opts.delayMs);
  }

  get hasPending(): boolean {
    return this.pending.size > 0 || this.running !== undefined;
  }

  /** Saves everything pending now; resolves when saved or when the save failed (and will retry). */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.running) await this.running;
    if (this.pending.size === 0) return;
    this.running = this.saveBatch();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
    if (this.pending.size > 0 && this.timer === undefined) this.schedule(this.opts.delayMs);
  }

  /** Stops timers (the screen is going away); call flush() first to keep the changes. */
  dispose(): void {
    this.clearTimer();
  }

  private async saveBatch(): Promise<void> {
    const batch = [...this.pending].map(([key, value]) => ({ key, value }));
    this.pending.clear();
    this.opts.onStatus({ kind: 'saving' });
    try {
      const outcome = await this.opts.save(batch);
      this.opts.onSaved(outcome);
      this.opts.onStatus(
        this.pending.size > 0 ? { kind: 'pending' } : { kind: 'saved', at: outcome.savedAt },
      );
    } catch (e) {
      // Put the batch back unless the user typed something newer meanwhile.
      for (const { key, value } of batch) {
        if (!this.pending.has(key)) this.pending.set(key, value);
      }
      this.opts.onStatus({ kind: 'error', error: toApiError(e) });
      this.schedule(this.opts.retryMs);
    }
  }

  private schedule(ms: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
