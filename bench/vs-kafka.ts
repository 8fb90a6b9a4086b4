// `npm run bench -- vs-kafka [--rounds N] [--quick] [--only sluice|kafka] [--cpu-prof DIR] [--out FILE]`
// Sluice beside Apache Kafka on this machine, in the same run, alternately (Sluice, Kafka, Sluice,
// Kafka...), each broker started cold per round in its own process with equivalent settings
// (6 partitions, no fsync policy: see targets.ts). Per round and broker: start to first produce,
// idle RSS, produce throughput (Kafka's perf tool and @platformatic/kafka; 100 B and 1 KiB; acks=1
// and all), consume throughput (both clients), produce→consume latency at a fixed rate, RSS under
// and after load. A full run writes bench/results/vs-kafka.json and the table in BENCHMARKS.md;
// --quick (smaller loads, 1 round unless --rounds) and --only write under bench/results/tmp/.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchRow } from './bench-row.ts';
import { kafkaVersionDefault } from './kafka/kafka-install.ts';
import {
  type FigureSpec,
  markdownTable,
  type Round,
  replaceMarkedSection,
  summarize,
} from './vs-kafka/summary.ts';
import { rssMiB, type SystemName, startTarget } from './vs-kafka/targets.ts';
import {
  type Acks,
  createTopics,
  firstProduce,
  latencyAtRate,
  nodeConsume,
  nodeProduce,
  percentile,
  perfTestConsume,
  perfTestProduce,
} from './vs-kafka/workloads.ts';

const PARTITIONS = 6;
const LATENCY_RATE_PER_SEC = 50_000;
const RSS_SAMPLE_MS = 200;
const root = fileURLToPath(new URL('..', import.meta.url));

interface Plan {
  rounds: number;
  quick: boolean;
  /** Records per perf-test produce run, by record size in bytes (the consume runs read them back). */
  perfRecords: Record<number, number>;
  nodeRecords: Record<number, number>;
  latencySeconds: number;
  idleSettleMs: number;
  only: SystemName | undefined;
  cpuProfDir: string | undefined;
  out: string;
}

const SIZES = [100, 1024] as const;
const ACKS: readonly Acks[] = [1, -1];
const sizeLabel = (bytes: number) => (bytes === 100 ? '100B' : '1KiB');
const acksLabel = (acks: Acks) => (acks === 1 ? 'acks1' : 'acksall');
const throughputUnit = (bytes: number) => (bytes === 100 ? 'records/s' : 'MB/s');

function specs(): FigureSpec[] {
  const list: FigureSpec[] = [];
  for (const client of ['perf-test', 'platformatic'] as const) {
    for (const bytes of SIZES) {
      for (const acks of ACKS) {
        list.push({
          name: `produce_${sizeLabel(bytes)}_${acksLabel(acks)}_${client}`,
          kind: 'produce',
          unit: throughputUnit(bytes),
          higherIsBetter: true,
          what: `produce ${bytes}-byte records, acks=${acks === 1 ? 1 : 'all'}, ${client}`,
        });
      }
    }
  }
  for (const client of ['perf-test', 'platformatic'] as const) {
    for (const bytes of SIZES) {
      list.push({
        name: `consume_${sizeLabel(bytes)}_${client}`,
        kind: 'consume',
        unit: throughputUnit(bytes),
        higherIsBetter: true,
        what: `consume ${bytes}-byte records, ${client}`,
      });
    }
  }
  for (const p of ['p50', 'p99', 'p999']) {
    list.push({
      name: `latency_${p}_50k_per_s`,
      kind: 'latency',
      unit: 'ms',
      higherIsBetter: false,
      what: `produce→consume ${p} at ${LATENCY_RATE_PER_SEC} records/s`,
    });
  }
  list.push(
    { name: 'start_to_first_produce', kind: 'start', unit: 'ms', higherIsBetter: false, what: 'cold start' },
    { name: 'rss_idle', kind: 'rss', unit: 'MiB', higherIsBetter: false, what: 'RSS 2 s after start' },
    { name: 'rss_load_max', kind: 'rss', unit: 'MiB', higherIsBetter: false, what: 'largest RSS under load' },
    { name: 'rss_after_load', kind: 'rss', unit: 'MiB', higherIsBetter: false, what: 'RSS 2 s after load' },
  );
  return list;
}

function planFromArgs(argv: readonly string[]): Plan {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      rounds: { type: 'string' },
      quick: { type: 'boolean' },
      only: { type: 'string' },
      'cpu-prof': { type: 'string' },
      out: { type: 'string' },
    },
    allowPositionals: true,
    strict: false,
  });
  const quick = values.quick === true;
  const rounds = Number(values.rounds ?? (quick ? 1 : 3));
  if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > 20)
    throw new Error(`--rounds must be an integer 1-20, got ${values.rounds}`);
  const only = values.only;
  if (only !== undefined && only !== 'sluice' && only !== 'kafka')
    throw new Error(`--only must be sluice or kafka, got ${String(only)}`);
  const partial = quick || only !== undefined;
  const defaultOut = partial ? 'bench/results/tmp/vs-kafka.json' : 'bench/results/vs-kafka.json';
  const scale = quick ? 0.2 : 1;
  return {
    rounds,
    quick,
    perfRecords: { 100: 1_000_000 * scale, 1024: 300_000 * scale },
    nodeRecords: { 100: 500_000 * scale, 1024: 150_000 * scale },
    latencySeconds: quick ? 5 : 10,
    idleSettleMs: 2000,
    only,
    cpuProfDir: typeof values['cpu-prof'] === 'string' ? values['cpu-prof'] : undefined,
    out: typeof values.out === 'string' ? values.out : `${root}${defaultOut}`,
  };
}

/** Keeps the largest RSS of a process seen every RSS_SAMPLE_MS. */
class RssSampler {
  #maxMiB = 0;
  #timer: NodeJS.Timeout;

  constructor(pid: number) {
    const sample = () => {
      this.#maxMiB = Math.max(this.#maxMiB, rssMiB(pid));
    };
    sample();
    this.#timer = setInterval(sample, RSS_SAMPLE_MS);
  }

  stop(): number {
    clearInterval(this.#timer);
    return this.#maxMiB;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one workload; a failure is reported and leaves the figure out (NaN) rather than ending the run. */
async function measure(figures: Record<string, number>, name: string, work: () => Promise<number>) {
  const started = performance.now();
  try {
    figures[name] = await work();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`    ${name}: ${figures[name]!.toFixed(2)} (${seconds} s)\n`);
  } catch (error) {
    figures[name] = Number.NaN;
    process.stderr.write(`    ${name}: FAILED ${(error as Error).message.split('\n')[0]}\n`);
  }
}

async function produceFigures(bootstrap: string, plan: Plan, figures: Record<string, number>) {
  for (const bytes of SIZES) {
    for (const acks of ACKS) {
      const label = `${sizeLabel(bytes)}_${acksLabel(acks)}`;
      const toUnit = (perSec: number) => (bytes === 100 ? perSec : (perSec * bytes) / 1e6);
      const perfRecords = plan.perfRecords[bytes]!;
      await measure(figures, `produce_${label}_perf-test`, async () =>
        toUnit(await perfTestProduce(bootstrap, `perf-${label}`, perfRecords, bytes, acks)),
      );
      const nodeRecords = plan.nodeRecords[bytes]!;
      await measure(figures, `produce_${label}_platformatic`, async () =>
        toUnit(await nodeProduce(bootstrap, `node-${label}`, nodeRecords, bytes, acks, PARTITIONS)),
      );
    }
  }
}

async function consumeFigures(bootstrap: string, plan: Plan, figures: Record<string, number>) {
  for (const bytes of SIZES) {
    const topic = `perf-${sizeLabel(bytes)}_acks1`;
    const records = plan.perfRecords[bytes]!;
    const toUnit = (perSec: number) => (bytes === 100 ? perSec : (perSec * bytes) / 1e6);
    await measure(figures, `consume_${sizeLabel(bytes)}_perf-test`, async () =>
      toUnit(await perfTestConsume(bootstrap, topic, records)),
    );
    await measure(figures, `consume_${sizeLabel(bytes)}_platformatic`, async () =>
      toUnit(await nodeConsume(bootstrap, topic, records, PARTITIONS)),
    );
  }
}

async function latencyFigures(bootstrap: string, plan: Plan, figures: Record<string, number>) {
  let sorted: Float64Array = new Float64Array(0);
  await measure(figures, 'latency_achieved_per_s', async () => {
    const result = await latencyAtRate(
      bootstrap,
      'latency',
      PARTITIONS,
      LATENCY_RATE_PER_SEC,
      plan.latencySeconds,
    );
    sorted = result.sortedMs;
    return result.achievedPerSec;
  });
  figures.latency_p50_50k_per_s = percentile(sorted, 0.5);
  figures.latency_p99_50k_per_s = percentile(sorted, 0.99);
  figures.latency_p999_50k_per_s = percentile(sorted, 0.999);
  const [p50, p99, p999] = [0.5, 0.99, 0.999].map((p) => percentile(sorted, p).toFixed(2));
  process.stderr.write(
    `    latency p50 ${p50} ms, p99 ${p99} ms, p999 ${p999} ms (${sorted.length} samples)\n`,
  );
}

function workloadTopics(): string[] {
  const topics = ['latency'];
  for (const bytes of SIZES) {
    for (const acks of ACKS) {
      topics.push(
        `perf-${sizeLabel(bytes)}_${acksLabel(acks)}`,
        `node-${sizeLabel(bytes)}_${acksLabel(acks)}`,
      );
    }
  }
  return topics;
}

async function runSystem(system: SystemName, plan: Plan): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const target = await startTarget(system, {
    partitions: PARTITIONS,
    ...(system === 'sluice' && plan.cpuProfDir !== undefined ? { cpuProfDir: plan.cpuProfDir } : {}),
  });
  try {
    await firstProduce(target.bootstrap, 'start-probe', performance.now() + 60_000);
    figures.start_to_first_produce = performance.now() - target.spawnedAtMs;
    process.stderr.write(`    start_to_first_produce: ${figures.start_to_first_produce.toFixed(0)} ms\n`);
    await sleep(plan.idleSettleMs);
    figures.rss_idle = rssMiB(target.pid);
    await createTopics(target.bootstrap, workloadTopics(), PARTITIONS);
    const sampler = new RssSampler(target.pid);
    try {
      await produceFigures(target.bootstrap, plan, figures);
      await consumeFigures(target.bootstrap, plan, figures);
      await latencyFigures(target.bootstrap, plan, figures);
    } finally {
      figures.rss_load_max = sampler.stop();
    }
    await sleep(plan.idleSettleMs);
    figures.rss_after_load = rssMiB(target.pid);
    process.stderr.write(
      `    RSS idle ${figures.rss_idle.toFixed(0)} MiB, max ${figures.rss_load_max.toFixed(0)} MiB, after ${figures.rss_after_load.toFixed(0)} MiB\n`,
    );
  } finally {
    await target.stop();
  }
  return figures;
}

function machine(plan: Plan): Record<string, unknown> {
  const cpu = cpus();
  // java -version prints to stderr.
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr ?? '';
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    commit = 'unknown';
  }
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    java: java.split('\n')[0] ?? '',
    kafka: process.env.KAFKA_VERSION ?? kafkaVersionDefault,
    client:
      '@platformatic/kafka (package.json devDependency) and Kafka perf tools (same version as the broker)',
    date: new Date().toISOString(),
    commit,
    quick: plan.quick,
    partitions: PARTITIONS,
    perfRecords: plan.perfRecords,
    platformaticRecords: plan.nodeRecords,
    latencyRatePerSec: LATENCY_RATE_PER_SEC,
    latencySeconds: plan.latencySeconds,
    flushPolicy:
      'no fsync by count or age on either side (Kafka defaults; Sluice log.flush.interval.ms/messages = 2^53-1)',
    kafkaHeapMiB: 1024,
  };
}

export async function benchVsKafka(argv: readonly string[] = process.argv.slice(2)): Promise<BenchRow[]> {
  const plan = planFromArgs(argv);
  const order: SystemName[] = plan.only === undefined ? ['sluice', 'kafka'] : [plan.only];
  const rounds: Round[] = [];
  const startedAt = performance.now();
  for (let r = 0; r < plan.rounds; r++) {
    const round: Round = { sluice: {}, kafka: {} };
    for (const system of order) {
      process.stderr.write(`  round ${r + 1}/${plan.rounds}: ${system}\n`);
      round[system] = await runSystem(system, plan);
    }
    rounds.push(round);
  }
  const list = specs();
  const figures = summarize(list, rounds);
  const minutes = (performance.now() - startedAt) / 60_000;
  const about = machine(plan);
  const result = {
    machine: { ...about, minutes: Math.round(minutes * 10) / 10 },
    rounds: plan.rounds,
    figures,
    raw: rounds,
  };
  mkdirSync(dirname(plan.out), { recursive: true });
  writeFileSync(plan.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`  wrote ${plan.out} (${minutes.toFixed(1)} min)\n`);
  if (!plan.quick && plan.only === undefined && plan.out === `${root}bench/results/vs-kafka.json`) {
    const path = `${root}BENCHMARKS.md`;
    let document = '';
    try {
      document = readFileSync(path, 'utf8');
    } catch {
      document = '# Benchmarks\n';
    }
    const table = `Run of ${String(about.date)} (commit ${String(about.commit)}, ${plan.rounds} rounds, ${minutes.toFixed(0)} min); from \`bench/results/vs-kafka.json\`.\n\n${markdownTable(list, figures)}`;
    writeFileSync(path, replaceMarkedSection(document, 'vs-kafka', table));
  }
  return figures.map((f) => ({
    name: f.name,
    unit: f.unit,
    value: f.sluice.median,
    peer: { name: 'Apache Kafka', value: f.kafka.median },
  }));
}
