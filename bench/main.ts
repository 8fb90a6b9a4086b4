// `npm run bench -- <name...> [flags]`: runs the named benchmarks (all but the long `vs-kafka`
// when none is named) and prints each figure beside its peer's from the same run. Flags go to the
// benchmarks that read them (vs-kafka: --rounds N, --quick, --only, --cpu-prof DIR, --out FILE).
// Speed targets live here, never in tests.
// `sluice bench` calls runBenchmarks() with its own progress display.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchRow, formatRows } from './bench-row.ts';
import { benchBroker } from './broker.ts';
import { benchCodec } from './codec.ts';
import { benchNexmark } from './nexmark.ts';
import { benchStorage } from './storage.ts';
import { benchVsKafka } from './vs-kafka.ts';

export interface Benchmark {
  title: string;
  run: () => Promise<BenchRow[]>;
  /** Runs only when named (too long for "run everything"). */
  onlyByName?: boolean;
}

export const benches: Readonly<Record<string, Benchmark>> = {
  codec: { title: 'Protocol codec (1 MiB produce request, 1,000 records of 1 KiB)', run: benchCodec },
  broker: { title: 'Broker over TCP with @platformatic/kafka (loopback)', run: benchBroker },
  storage: { title: 'Storage appends and reads beside a raw fs loop on the same disk', run: benchStorage },
  nexmark: { title: 'Nexmark: in-thread, 2 worker threads, continuous-mode latency', run: benchNexmark },
  'vs-kafka': {
    title: 'Sluice beside Apache Kafka, same machine, same run (medians over rounds)',
    run: () => benchVsKafka(process.argv.slice(2)),
    onlyByName: true,
  },
};

/** Flags followed by a value, so that the value is not taken for a benchmark's name. */
const VALUE_FLAGS = new Set(['--rounds', '--only', '--cpu-prof', '--out']);

/** The benchmark names among command-line arguments (flags and their values left out). */
export function benchmarkNames(args: readonly string[]): string[] {
  return args.filter((a, i) => !a.startsWith('-') && !VALUE_FLAGS.has(args[i - 1] ?? ''));
}

export interface BenchmarkHooks {
  onStart?: (name: string, index: number, count: number) => void;
  onDone?: (name: string, title: string, rows: BenchRow[]) => void;
}

/** Runs the named benchmarks (all but onlyByName ones when `names` is empty) in order; throws on an unknown name. */
export async function runBenchmarks(
  names: readonly string[],
  hooks: BenchmarkHooks = {},
  registry: Readonly<Record<string, Benchmark>> = benches,
): Promise<{ name: string; title: string; rows: BenchRow[] }[]> {
  const unknown = names.filter((n) => !(n in registry));
  if (unknown.length > 0)
    throw new Error(
      `Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(registry).join(', ')}`,
    );
  const chosen = names.length > 0 ? names : Object.keys(registry).filter((n) => !registry[n]!.onlyByName);
  const results: { name: string; title: string; rows: BenchRow[] }[] = [];
  for (const [index, name] of chosen.entries()) {
    const bench = registry[name]!;
    hooks.onStart?.(name, index, chosen.length);
    const rows = await bench.run();
    hooks.onDone?.(name, bench.title, rows);
    results.push({ name, title: bench.title, rows });
  }
  return results;
}

// Run as a script (npm run bench), not when imported.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const asked = benchmarkNames(process.argv.slice(2));
  const unknown = asked.filter((a) => !(a in benches));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await runBenchmarks(asked, {
    onStart: (name) => process.stderr.write(`running ${name}…\n`),
    onDone: (_name, title, rows) => console.log(formatRows(title, rows)),
  });
}
