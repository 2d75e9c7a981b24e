// Small DOM actions shared by the views.

/** Moves keyboard focus to the element when it appears (each screen's heading), so screen
 *  readers announce the new screen and Tab starts from the top of it. */
export function focusOnMount(node: HTMLElement): void {
  queueMicrotask(() => node.focus());
}
