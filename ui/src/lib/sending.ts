// How a dossier's sending state is worded: the chip, the reason it waits, its history.

import type { DossierState, JobState, TimelineEntry } from './bindings';
import type { MessageKey } from './i18n/vi';
import { t } from './i18n/index.svelte';

/** The chip's text: Nháp / Chờ gửi / Đang gửi 45 % / Đã nộp – mã … / Đang xử lý / … */
export function chipText(
  state: DossierState,
  jobState: JobState | null,
  receipt: string | null,
  percent: number | null,
): string {
  if (jobState === 'set_aside') return t('chip.set_aside');
  switch (state) {
    case 'draft':
      return t('chip.draft');
    case 'queued':
      return t('chip.queued');
    case 'uploading':
      return percent === null ? t('chip.uploading') : t('chip.uploadingPercent', { percent });
    case 'received':
      return t('chip.received', { receipt: receipt ?? '' });
    default:
      return t(`chip.${state}`);
  }
}

/** A tone for the chip's colour. */
export function chipTone(state: DossierState, jobState: JobState | null): 'neutral' | 'wait' | 'ok' | 'bad' {
  if (jobState === 'set_aside' || state === 'rejected' || state === 'supplement_requested') return 'bad';
  if (state === 'draft') return 'neutral';
  if (state === 'queued' || state === 'uploading') return 'wait';
  return 'ok';
}

/** Why a dossier waits or was set aside, with the fix. */
export function reasonText(code: string | null): string | null {
  if (!code) return null;
  const known: Record<string, MessageKey> = {
    not_connected: 'send.reason.not_connected',
    portal_unavailable: 'send.reason.portal_unavailable',
    unauthorized: 'send.reason.unauthorized',
    too_large: 'send.reason.too_large',
    file_mismatch: 'send.reason.damaged',
    file_checksum_mismatch: 'send.reason.damaged',
    local_file: 'send.reason.damaged',
  };
  const key = known[code];
  return key ? t(key) : t('send.reason.other', { code });
}

export function timelineText(e: TimelineEntry): string {
  const key = `timeline.${e.kind}`;
  const known = [
    'created', 'duplicated', 'trashed', 'restored', 'set_aside', 'state:draft', 'state:queued',
    'state:uploading', 'state:received', 'state:processing', 'state:supplement_requested',
    'state:result_ready', 'state:rejected', 'payment:paid',
  ];
  return known.includes(e.kind) ? t(key as MessageKey) : t('timeline.other');
}

/** Sizes as people read them: 850 KB, 1,2 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
}
