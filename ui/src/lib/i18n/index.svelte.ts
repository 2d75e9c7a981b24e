// The message catalogue: Vietnamese first, English second. Components call t(key, params).

import { en } from './en';
import { vi, type MessageKey } from './vi';

export type Locale = 'vi' | 'en';
export type { MessageKey };

const STORAGE_KEY = 'hoso.locale';
const catalogues: Record<Locale, Record<MessageKey, string>> = { vi, en };

function initialLocale(): Locale {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

const current = $state({ locale: initialLocale() });

export function locale(): Locale {
  return current.locale;
}

export function setLocale(l: Locale): void {
  current.locale = l;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, l);
  } catch {
    // Private mode or no storage: the choice lasts for this session only.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = l;
}

/** The message for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[current.locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
