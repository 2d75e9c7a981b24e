// The photo-quality warnings a page can carry (see hoso_scan::quality and the façade's
// "wrong_paper"), and the person's choice to keep a photo despite them.

import type { PageInfo } from './bindings';

/** Flags that say the photo itself should be retaken; others are notes about what was done. */
export const QUALITY_FLAGS: readonly string[] = ['dark', 'blurry', 'glare', 'cut_off', 'small', 'wrong_paper'];

function keyOf(dossierId: string, pageId: number): string {
  return `hoso.kept.${dossierId}.${pageId}`;
}

/** Whether the person kept this page's photo as made (`version` names the page as made). */
export function isKept(dossierId: string, pageId: number, version: string): boolean {
  try {
    return localStorage.getItem(keyOf(dossierId, pageId)) === version;
  } catch {
    return false;
  }
}

/** Remembers that the person keeps this page's photo as made; a remade page warns again. */
export function keep(dossierId: string, pageId: number, version: string): void {
  try {
    localStorage.setItem(keyOf(dossierId, pageId), version);
  } catch {
    // Storage refused (private mode): the warning stays, which is safe.
  }
}

/** Names a page as made: a remade page (new corners, mode or turn) is another version. */
export function pageVersion(p: PageInfo): string {
  const s = p.scan;
  return s ? `${s.bytes}:${s.width}x${s.height}:${s.used}:${s.corners.flat().join(',')}` : '';
}

/** The page's quality warnings the person has not chosen to ignore. */
export function openWarnings(dossierId: string, p: PageInfo): string[] {
  const flags = (p.scan?.flags ?? []).filter((f) => QUALITY_FLAGS.includes(f));
  return flags.length > 0 && !isKept(dossierId, p.id, pageVersion(p)) ? flags : [];
}
