// Work that must finish before the window closes or the screen changes (pending autosaves).

const flushers = new Set<() => Promise<void>>();

/** Registers a flush; returns the function that unregisters it. */
export function onFlush(flush: () => Promise<void>): () => void {
  flushers.add(flush);
  return () => flushers.delete(flush);
}

/** Runs every registered flush and waits for all of them. */
export async function flushAll(): Promise<void> {
  await Promise.all([...flushers].map((f) => f().catch(() => undefined)));
}
