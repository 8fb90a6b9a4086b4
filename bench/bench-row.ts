// What every benchmark returns, and how `npm run bench` prints it: one row per figure, with the
// peer's figure from the same run beside Sluice's where there is a peer.

export interface BenchRow {
  name: string;
  unit: string;
  /** Sluice's figure. */
  value: number;
  /** The same measurement of a peer (kafkajs, raw fs, Apache Kafka...) in the same run. */
  peer?: { name: string; value: number };
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(2);
}

export function formatRows(title: string, rows: readonly BenchRow[]): string {
  const header = ['figure', 'unit', 'sluice', 'peer', 'peer value', 'sluice/peer'];
  const body = rows.map((r) => [
    r.name,
    r.unit,
    fmt(r.value),
    r.peer?.name ?? '',
    r.peer === undefined ? '' : fmt(r.peer.value),
    r.peer === undefined || r.peer.value === 0 ? '' : `${(r.value / r.peer.value).toFixed(2)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [`\n${title}`, line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Runs `fn` repeatedly for at least `minMs` after a warm-up and returns operations per second. */
export async function opsPerSecond(fn: () => unknown, minMs = 1000): Promise<number> {
  const deadline = performance.now() + Math.min(300, minMs / 3);
  while (performance.now() < deadline) await fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    await fn();
    ops++;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}
