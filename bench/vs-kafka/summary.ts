// Turns the per-round figures of both brokers into `bench/results/vs-kafka.json` (min, median and
// max of each side, and of the Sluice/Kafka ratio taken round by round, since only same-round
// ratios survive a shared machine's noise) and into the table `BENCHMARKS.md` shows.

export type FigureKind = 'produce' | 'consume' | 'latency' | 'start' | 'rss';

export interface FigureSpec {
  name: string;
  kind: FigureKind;
  unit: 'records/s' | 'MB/s' | 'ms' | 'MiB';
  /** Whether a larger figure is the better one (throughput) or a smaller one (latency, memory). */
  higherIsBetter: boolean;
  /** One line saying what was measured, for the table. */
  what: string;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface Figure {
  name: string;
  kind: FigureKind;
  unit: string;
  sluice: Spread;
  kafka: Spread;
  ratio: Spread;
}

/** One round's figures, by figure name, for each broker. */
export interface Round {
  sluice: Record<string, number>;
  kafka: Record<string, number>;
}

export function spread(values: readonly number[]): Spread {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted.at(-1)! };
}

/** Figures present in at least one round on both sides; the ratio is Sluice/Kafka within each round. */
export function summarize(specs: readonly FigureSpec[], rounds: readonly Round[]): Figure[] {
  const figures: Figure[] = [];
  for (const spec of specs) {
    const sluice = rounds.map((r) => r.sluice[spec.name] ?? Number.NaN);
    const kafka = rounds.map((r) => r.kafka[spec.name] ?? Number.NaN);
    if (sluice.every(Number.isNaN) && kafka.every(Number.isNaN)) continue;
    const ratio = sluice.map((s, i) => s / (kafka[i] ?? Number.NaN));
    figures.push({
      name: spec.name,
      kind: spec.kind,
      unit: spec.unit,
      sluice: spread(sluice),
      kafka: spread(kafka),
      ratio: spread(ratio),
    });
  }
  return figures;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

/** A Markdown table: medians of both sides and the ratio's median with its range over rounds. */
export function markdownTable(specs: readonly FigureSpec[], figures: readonly Figure[]): string {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const lines = [
    '| figure | unit | better | Sluice (median) | Kafka (median) | Sluice/Kafka median (min–max) |',
    '| --- | --- | --- | ---: | ---: | ---: |',
  ];
  for (const f of figures) {
    const spec = byName.get(f.name);
    const better = spec?.higherIsBetter === false ? 'lower' : 'higher';
    const ratio = `**${f.ratio.median.toFixed(2)}×** (${f.ratio.min.toFixed(2)}–${f.ratio.max.toFixed(2)})`;
    lines.push(
      `| \`${f.name}\` | ${f.unit} | ${better} | ${fmt(f.sluice.median)} | ${fmt(f.kafka.median)} | ${ratio} |`,
    );
  }
  return lines.join('\n');
}

/** Replaces the text between `<!-- name:begin -->` and `<!-- name:end -->`, or appends the section. */
export function replaceMarkedSection(document: string, name: string, body: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${begin}\n${body}\n${end}`;
  const from = document.indexOf(begin);
  const to = document.indexOf(end);
  if (from < 0 || to < from) return `${document.trimEnd()}\n\n${section}\n`;
  return document.slice(0, from) + section + document.slice(to + end.length);
}
