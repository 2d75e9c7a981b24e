// The photo-quality warnings a page can carry (see hoso_scan::quality and the façade's
// "wrong_paper"), and the person's choice to keep a photo despite them.

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
