// One message at a time at the bottom of the window, with an optional action (e.g. Undo).

export interface ToastMessage {
  text: string;
  action?: { label: string; run: () => void | Promise<void> };
}

const TOAST_MS = 10_000;

export const toast = $state<{ current: ToastMessage | null }>({ current: null });
let timer: ReturnType<typeof setTimeout> | undefined;

export function showToast(message: ToastMessage): void {
  toast.current = message;
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(() => (toast.current = null), TOAST_MS);
}

export function closeToast(): void {
  toast.current = null;
}
