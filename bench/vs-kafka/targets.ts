// The two brokers `vs-kafka` compares, each started cold in its own process on a free loopback
// port with equivalent settings: `partitions` partitions per auto-created topic and no fsync
// policy of their own (Kafka's default: the OS writes dirty pages back; Sluice's 1 s flush.ms is
// switched off to match). Each answers its pid (for RSS) and when it was spawned (for start time).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPort, probeApiVersions, startKafka } from '../kafka/kafka-process.ts';

export type SystemName = 'sluice' | 'kafka';

export interface Target {
  system: SystemName;
  bootstrap: string;
  pid: number;
  /** performance.now() just before the broker process was spawned. */
  spawnedAtMs: number;
  stop(): Promise<void>;
}

export interface TargetOptions {
  partitions: number;
  /** Sluice only: write a V8 CPU profile of the broker into this folder when it stops. */
  cpuProfDir?: string;
}

/** Kafka's Long.MAX_VALUE as Sluice accepts it (2^53-1): never by count, never by age. */
const FLUSH_NEVER = String(Number.MAX_SAFE_INTEGER);
const PROBE_INTERVAL_MS = 10;
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const KAFKA_HEAP_MB = 1024;
const sluiceBin = fileURLToPath(new URL('../../bin/sluice.js', import.meta.url));

/** Resident set size of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`Cannot read the RSS of pid ${pid}: no VmRSS line`);
  return Number(match[1]) / 1024;
}

export async function startTarget(system: SystemName, options: TargetOptions): Promise<Target> {
  return system === 'sluice' ? startSluice(options) : startKafkaTarget(options);
}

async function startKafkaTarget(options: TargetOptions): Promise<Target> {
  const kafka = await startKafka({
    partitions: options.partitions,
    heapMb: KAFKA_HEAP_MB,
    logLevel: 'WARN',
    probeIntervalMs: PROBE_INTERVAL_MS,
    startTimeoutMs: START_TIMEOUT_MS,
  });
  return {
    system: 'kafka',
    bootstrap: kafka.bootstrap,
    pid: kafka.pid,
    spawnedAtMs: kafka.spawnedAtMs,
    stop: () => kafka.stop(STOP_TIMEOUT_MS),
  };
}

function sluiceArgs(dataDir: string, port: number, options: TargetOptions): string[] {
  const profile =
    options.cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`];
  return [
    ...profile,
    sluiceBin,
    'broker',
    '--data-dir',
    dataDir,
    '--listen',
    `127.0.0.1:${port}`,
    '--http',
    'off',
    '--quiet',
    '--set',
    `num.partitions=${options.partitions}`,
    '--set',
    `log.flush.interval.messages=${FLUSH_NEVER}`,
    '--set',
    `log.flush.interval.ms=${FLUSH_NEVER}`,
  ];
}

async function startSluice(options: TargetOptions): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  const port = await freeLoopbackPort();
  const logFd = openSync(join(dataDir, 'broker.log'), 'a');
  const spawnedAtMs = performance.now();
  const child = spawn(process.execPath, sluiceArgs(join(dataDir, 'data'), port, options), {
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForListener(child, port, join(dataDir, 'broker.log'));
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error('Cannot start Sluice: the node process has no pid');
  return { system: 'sluice', bootstrap: `127.0.0.1:${port}`, pid: child.pid, spawnedAtMs, stop };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function waitForListener(child: ChildProcess, port: number, logFile: string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  // Bounded by the deadline.
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = readFileSync(logFile, 'utf8').slice(-4000);
      throw new Error(`Cannot start Sluice on port ${port}: node exited with ${child.exitCode}\n${log}`);
    }
    try {
      await probeApiVersions(port, 1_000);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
  }
  throw new Error(`Cannot start Sluice on port ${port}: not answering after ${START_TIMEOUT_MS} ms`);
}
