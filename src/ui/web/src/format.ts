// Numbers as people read them on the dashboard.
export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function count(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

export function rate(n: number, unit: string): string {
  if (!Number.isFinite(n)) return '—';
  const shown = n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
  return `${shown} ${unit}/s`;
}

export function time(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** Time of day (HH:MM:SS.mmm, UTC like time()) for lists where the date is the same for every row. */
export function timeOfDay(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 120 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
