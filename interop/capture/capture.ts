// Captures golden protocol bytes: starts a real Apache Kafka (bench/kafka) behind the recording
// proxy, runs each client's scenario through the proxy, and writes a representative set of
// frames to src/protocol/golden/<client>/ with src/protocol/golden/manifest.json.
//
//   node --import tsx interop/capture/capture.ts                     # every scenario
//   node --import tsx interop/capture/capture.ts kafkajs kcat        # only these clients
//   node --import tsx interop/capture/capture.ts --raw /tmp/frames   # also keep every frame
//
// Clients not given by name are skipped with a warning when not installed (interop/install/).
// Re-capturing a client replaces its folder and its manifest entries; others are kept.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freeLoopbackPort, startKafka } from '../../bench/kafka/kafka-process.ts';
import {
  type ClientInfo,
  type GoldenEntry,
  type GoldenManifest,
  type LabelledFrame,
  selectGolden,
} from './golden-set.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import type { Scenario, ScenarioContext } from './scenario.ts';
import { scenarios } from './scenarios/index.ts';
import { warmUpBroker } from './warm-up.ts';

const goldenDir = new URL('../../src/protocol/golden/', import.meta.url).pathname;
const manifestPath = join(goldenDir, 'manifest.json');
/** Frames that arrive after a scenario's last call returned (closing connections) still count. */
const settleMs = 500;
const goldenBytesMax = 2 * 1024 * 1024;

function parseArgs(argv: string[]): { names: string[]; rawDir?: string } {
  const names: string[] = [];
  let rawDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--raw') rawDir = argv[++i];
    else if (arg.startsWith('-')) throw new Error(`Cannot capture: unknown option '${arg}'`);
    else names.push(arg);
  }
  const known = scenarios.map((s) => s.client);
  for (const name of names) {
    if (!known.includes(name))
      throw new Error(`Cannot capture client '${name}': known are ${known.join(', ')}`);
  }
  return rawDir === undefined ? { names } : { names, rawDir };
}

async function runnable(list: readonly Scenario[], named: boolean): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const scenario of list) {
    try {
      await scenario.check();
      out.push(scenario);
    } catch (error) {
      if (named) throw error;
      console.warn(`skipping ${scenario.client}: ${(error as Error).message}`);
    }
  }
  return out;
}

function readManifest(): GoldenManifest {
  if (!existsSync(manifestPath)) {
    return { description: 'See README.md in this folder.', clients: {}, files: [] };
  }
  return JSON.parse(readFileSync(manifestPath, 'utf8')) as GoldenManifest;
}

function writeGolden(frames: LabelledFrame[], infos: Record<string, ClientInfo>): GoldenEntry[] {
  const selected = selectGolden(frames);
  const manifest = readManifest();
  const captured = new Set(Object.keys(infos));
  for (const client of captured) rmSync(join(goldenDir, client), { recursive: true, force: true });
  for (const { entry, payload } of selected) {
    const path = join(goldenDir, entry.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, payload);
  }
  const kept = manifest.files.filter((e) => !captured.has(e.client));
  const files = [...kept, ...selected.map((s) => s.entry)].sort(
    (a, b) => a.client.localeCompare(b.client) || a.file.localeCompare(b.file),
  );
  const clients = { ...manifest.clients, ...infos };
  const next: GoldenManifest = { description: manifest.description, clients, files };
  writeFileSync(manifestPath, `${JSON.stringify(next, null, 2)}\n`);
  const total = files.reduce((sum, e) => sum + e.bytes, 0);
  if (total > goldenBytesMax) {
    console.warn(`golden files total ${total} bytes, over the ${goldenBytesMax} budget: use fewer records`);
  }
  return selected.map((s) => s.entry);
}

async function main(): Promise<void> {
  const { names, rawDir } = parseArgs(process.argv.slice(2));
  const wanted = names.length === 0 ? scenarios : scenarios.filter((s) => names.includes(s.client));
  const list = await runnable(wanted, names.length > 0);
  if (list.length === 0)
    throw new Error('Cannot capture: no client is installed (see interop/install/all.sh)');

  const proxyPort = await freeLoopbackPort();
  const kafka = await startKafka({ advertised: { host: '127.0.0.1', port: proxyPort }, heapMb: 512 });
  console.log(`Kafka ${kafka.version} on ${kafka.bootstrap}, advertised through the proxy on ${proxyPort}`);
  const frames: LabelledFrame[] = [];
  let label: string | undefined;
  const proxy = await startRecordingProxy({
    listenPort: proxyPort,
    brokerHost: '127.0.0.1',
    brokerPort: kafka.port,
    ...(rawDir === undefined ? {} : { outDir: rawDir }),
    onFrame: (frame) => {
      if (label !== undefined) frames.push({ ...frame, client: label });
    },
  });
  const infos: Record<string, ClientInfo> = {};
  const runId = Date.now().toString(36);
  try {
    await warmUpBroker(`127.0.0.1:${proxy.port}`);
    for (const scenario of list) {
      const ctx: ScenarioContext = {
        bootstrap: `127.0.0.1:${proxy.port}`,
        topic: (suffix) => `golden-${scenario.client}-${suffix}-${runId}`,
        group: (suffix) => `golden-${scenario.client}-${suffix}-${runId}`,
        log: (message) => console.log(`  ${scenario.client}: ${message}`),
      };
      const software = await scenario.describe();
      console.log(`capturing ${software}`);
      label = scenario.client;
      await scenario.run(ctx);
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      label = undefined;
      infos[scenario.client] = {
        software,
        kafkaVersion: kafka.version,
        capturedAt: new Date().toISOString().slice(0, 10),
      };
    }
  } finally {
    await proxy.stop();
    await kafka.stop();
  }
  if (proxy.unmatchedResponses > 0) console.warn(`${proxy.unmatchedResponses} responses matched no request`);
  if (proxy.droppedFrames > 0)
    console.warn(`the proxy dropped ${proxy.droppedFrames} frames over its memory bound`);
  const entries = writeGolden(frames, infos);
  for (const client of Object.keys(infos)) {
    const mine = entries.filter((e) => e.client === client);
    const apis = new Set(mine.map((e) => `${e.apiName} v${e.apiVersion}`));
    console.log(`${client}: ${mine.length} files, ${[...apis].join(', ')}`);
  }
}

await main();
