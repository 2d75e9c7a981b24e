// Pages of a dossier as the person sees them: how big they are, how long they take to send on
// a weak link, and the small geometry of turning and un-cropping a page.

import type { ComponentStatus, PageInfo } from './bindings';
import { t } from './i18n/index.svelte';

/** A 2G (EDGE) link as people in mountain communes have it, in bits per second. */
export const LINK_2G = 100_000;
/** A modest 3G link, in bits per second. */
export const LINK_3G = 1_000_000;

export type Corners = [[number, number], [number, number], [number, number], [number, number]];

/** What goes to the portal for a page: the clean page once made, else the file as it is. */
export function pageBytes(p: PageInfo): number {
  return p.scan?.bytes ?? p.byteSize;
}

export function totalBytes(components: ComponentStatus[]): number {
  return components.reduce((sum, c) => sum + c.pages.reduce((s, p) => s + pageBytes(p), 0), 0);
}

/** Seconds to move `bytes` at `bitsPerSecond`. */
export function transferSeconds(bytes: number, bitsPerSecond: number): number {
  return (bytes * 8) / bitsPerSecond;
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return t('time.underSecond');
  const whole = Math.ceil(seconds);
  if (whole < 60) return t('time.seconds', { s: whole });
  return t('time.minutes', { m: Math.floor(whole / 60), s: whole % 60 });
}

/** The whole photo as an outline: "undo crop". */
export function wholePhoto(width: number, height: number): Corners {
  return [
    [0, 0],
    [width, 0],
    [width, height],
    [0, height],
  ];
}

/** Files a drop carries, images and PDFs only (a dropped folder or text is ignored). */
export function droppedFiles(data: DataTransfer | null): File[] {
  if (!data) return [];
  return [...data.files].filter(
    (f) => f.type === '' || f.type.startsWith('image/') || f.type === 'application/pdf',
  );
}
