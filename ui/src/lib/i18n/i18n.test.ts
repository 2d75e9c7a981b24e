import { describe, expect, it } from 'vitest';

import type { DossierState, ErrorCode, IssueCode } from '../bindings';
import { en } from './en';
import { setLocale, t } from './index.svelte';
import { vi as viMessages } from './vi';

// Every code the Rust side can send must have words in both languages.
const errorCodes: ErrorCode[] = [
  'not_found', 'unknown_procedure', 'unknown_field', 'unknown_component', 'invalid_input',
  'not_editable', 'not_ready', 'portal_unreachable',
  'store_corrupt', 'store_locked', 'store_read_only', 'store_too_new', 'disk_full',
  'store_unavailable', 'bad_image', 'ocr_unavailable', 'internal',
];
const issueCodes: IssueCode[] = [
  'required', 'too_long', 'name_chars', 'date_format', 'date_invalid', 'date_future',
  'cccd_format', 'cccd_province', 'cccd_century', 'cccd_year', 'cccd_sex', 'phone_format',
  'phone_prefix', 'email_format', 'not_an_option', 'number_format', 'number_range',
];
const states: DossierState[] = [
  'draft', 'queued', 'uploading', 'received', 'processing', 'supplement_requested',
  'result_ready', 'rejected',
];

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogue', () => {
  it('has the same keys and placeholders in Vietnamese and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(viMessages).sort());
    for (const [key, text] of Object.entries(viMessages)) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(en[key as keyof typeof en]), key).toEqual(placeholders(text));
    }
  });

  it('words every error, issue and state code in both languages', () => {
    for (const lang of ['vi', 'en'] as const) {
      setLocale(lang);
      for (const c of errorCodes) expect(t(`error.${c}`)).not.toMatch(/^error\./);
      for (const c of issueCodes) expect(t(`issue.${c}`)).not.toMatch(/^issue\./);
      for (const s of states) expect(t(`state.${s}`)).not.toMatch(/^state\./);
    }
    setLocale('vi');
  });

  it('says in every Vietnamese error message what to do about it', () => {
    setLocale('vi');
    for (const c of errorCodes) expect(t(`error.${c}`), c).toMatch(/[Hh]ãy |bấm /);
  });

  it('fills placeholders and defaults to Vietnamese', () => {
    setLocale('vi');
    expect(t('badge.missing', { count: 2 })).toBe('Còn thiếu 2 mục');
    expect(t('badge.ready')).toBe('Sẵn sàng nộp');
    expect(document.documentElement.lang).toBe('vi');
    setLocale('en');
    expect(t('badge.missing', { count: 2 })).toBe('2 items missing');
    expect(document.documentElement.lang).toBe('en');
    setLocale('vi');
  });

  it('Vietnamese text is NFC with real diacritics', () => {
    for (const text of Object.values(viMessages)) expect(text).toBe(text.normalize('NFC'));
    expect(viMessages['home.new']).toBe('Tạo hồ sơ mới');
  });
});
