import { describe, expect, it } from 'vitest';

import { setLocale } from './i18n/index.svelte';
import { chipText, chipTone, formatBytes, reasonText } from './sending';

describe('sending words', () => {
  it('names every state the way the chip shows it', () => {
    setLocale('vi');
    expect(chipText('draft', null, null, null)).toBe('Nháp');
    expect(chipText('queued', 'queued', null, null)).toBe('Chờ gửi');
    expect(chipText('uploading', 'uploading', null, 45)).toBe('Đang gửi 45 %');
    expect(chipText('received', 'sent', 'HS-261122-000042-K', null)).toBe('Đã nộp – mã HS-261122-000042-K');
    expect(chipText('processing', 'sent', 'HS-1', null)).toBe('Đang xử lý');
    expect(chipText('supplement_requested', 'sent', 'HS-1', null)).toBe('Cần bổ sung');
    expect(chipText('result_ready', 'sent', 'HS-1', null)).toBe('Có kết quả');
    expect(chipText('rejected', 'sent', 'HS-1', null)).toBe('Bị từ chối');
    expect(chipText('queued', 'set_aside', null, null)).toBe('Không gửi được');
    expect(chipTone('queued', 'set_aside')).toBe('bad');
    expect(chipTone('result_ready', 'sent')).toBe('ok');
  });

  it('explains why a dossier waits, with the fix, and never shows a raw code alone', () => {
    setLocale('vi');
    expect(reasonText(null)).toBeNull();
    expect(reasonText('too_large')).toMatch(/Sửa lại hồ sơ/);
    expect(reasonText('unauthorized')).toMatch(/Cài đặt/);
    expect(reasonText('weird_code')).toMatch(/weird_code/);
    expect(reasonText('weird_code')).toMatch(/Cách sửa/);
  });

  it('writes sizes with a Vietnamese decimal comma', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(30 * 1024)).toBe('30 KB');
    expect(formatBytes(1.25 * 1024 * 1024)).toBe('1,3 MB');
  });
});
