// Display formats shared by the pages: sizes, dates, durations.
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Lambda's LastModified (2026-12-01T10:00:00.000+0000) as a local date and time. */
export function formatDate(iso: string): string {
  const date = new Date(iso.replace(/\+0000$/, 'Z'));
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(ms < 100 ? 1 : 0)} ms`;
}
