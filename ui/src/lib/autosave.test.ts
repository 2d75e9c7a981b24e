import { freeFee } from '../test/fake-backend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { FieldChange, SaveOutcome } from './bindings';
import { Autosave, type SaveStatus } from './autosave';

const ok = (savedAt = 1): SaveOutcome => ({ title: '', issues: [], missing: 0, fee: freeFee, savedAt });

describe('Autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves once, shortly after typing pauses, with the last value of each field', async () => {
    const saves: FieldChange[][] = [];
    const statuses: SaveStatus['kind'][] = [];
    const a = new Autosave({
      save: async (c) => (saves.push(c), ok()),
      onSaved: () => {},
      onStatus: (s) => statuses.push(s.kind),
      delayMs: 400,
    });
    a.set('applicant.full_name', 'N');
    await vi.advanceTimersByTimeAsync(200);
    a.set('applicant.full_name', 'Ng');
    a.set('applicant.phone', '09');
    await vi.advanceTimersByTimeAsync(399);
    expect(saves).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saves).toEqual([
      [
        { key: 'applicant.full_name', value: 'Ng' },
        { key: 'applicant.phone', value: '09' },
      ],
    ]);
    expect(statuses.at(-1)).toBe('saved');
    expect(a.hasPending).toBe(false);
  });

  it('keeps changes after a failed save and retries them, without overwriting newer typing', async () => {
    let fail = true;
    const saves: FieldChange[][] = [];
    const statuses: SaveStatus[] = [];
    const a = new Autosave({
      save: async (c) => {
        saves.push(c);
        if (fail) throw { code: 'store_locked', message: 'busy' };
        return ok();
      },
      onSaved: () => {},
      onStatus: (s) => statuses.push(s),
      delayMs: 100,
      retryMs: 1000,
    });
    a.set('a.x', 'one');
    a.set('a.y', 'old');
    await vi.advanceTimersByTimeAsync(100);
    expect(statuses.at(-1)).toEqual({ kind: 'error', error: { code: 'store_locked', message: 'busy' } });
    a.set('a.y', 'new');
    fail = false;
    await vi.advanceTimersByTimeAsync(100);
    const last = [...(saves.at(-1) ?? [])].sort((p, q) => p.key.localeCompare(q.key));
    expect(last).toEqual([
      { key: 'a.x', value: 'one' },
      { key: 'a.y', value: 'new' },
    ]);
    expect(statuses.at(-1)?.kind).toBe('saved');
  });

  it('flush saves immediately and runs saves one at a time in order', async () => {
    const order: string[] = [];
    let release: (() => void) | undefined;
    const a = new Autosave({
      save: (c) =>
        new Promise<SaveOutcome>((resolve) => {
          order.push(c.map((x) => x.value).join(','));
          release = () => resolve(ok());
        }),
      onSaved: () => {},
      onStatus: () => {},
      delayMs: 10_000,
    });
    a.set('k.a', '1');
    const first = a.flush();
    a.set('k.a', '2');
    const second = a.flush();
    expect(order).toEqual(['1']);
    release?.();
    await first;
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['1', '2']);
    release?.();
    await second;
    expect(a.hasPending).toBe(false);
  });
});
