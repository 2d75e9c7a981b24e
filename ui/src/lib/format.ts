// Dates and times as Vietnamese forms write them: 09:05 22/11/2026.

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
}

export function formatDateTime(ms: number): string {
  return `${formatTime(ms)} ${formatDate(ms)}`;
}
