// Starts a real single-node Apache Kafka (KRaft, broker+controller in one JVM) on loopback, for
// interop tests, golden captures and benchmarks. The broker is a child process: stop() ends it,
// and so does this process's exit, so a crashed test never leaves a JVM behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureKafkaInstalled, type KafkaInstall } from './kafka-install.ts';
import { runJava } from './kafka-tools.ts';

export interface KafkaStartOptions {
  /** Client (PLAINTEXT) listener port on 127.0.0.1; 0 or absent picks a free port. */
  port?: number;
  /** KRaft controller listener port on 127.0.0.1; 0 or absent picks a free port. */
  controllerPort?: number;
  /** Folder for server.properties, the log dirs and kafka.log; absent makes a fresh temp dir.
   * An already formatted folder is reused as is (restart with data). */
  dataDir?: string;
  /** Delete dataDir in stop(); default: true for a temp dir made here, false for a given one. */
  removeDataDirOnStop?: boolean;
  /** Default partitions of auto-created topics (num.partitions). */
  partitions?: number;
  /** log.flush.interval.messages: fsync after this many messages (absent: Kafka's default, the OS decides). */
  flushMessages?: number;
  /** JVM heap (-Xms and -Xmx), MiB. */
  heapMb?: number;
  /** host:port the broker advertises in Metadata/FindCoordinator (e.g. a recording proxy's). */
  advertised?: { host: string; port: number };
  /** Extra server.properties entries; they win over the defaults here. */
  config?: Readonly<Record<string, string | number | boolean>>;
  /** Kafka version (must be installed or installable by install.sh). */
  version?: string;
  /** Root log level of the broker's log4j2 console output (into `<dataDir>/kafka.log`). */
  logLevel?: 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  startTimeoutMs?: number;
  /** How often to probe the listener while the broker starts (default 250 ms; benchmarks timing the start use less). */
  probeIntervalMs?: number;
}

export interface KafkaProcess {
  /** `127.0.0.1:<port>` of the broker's own listener (not the advertised address). */
  bootstrap: string;
  port: number;
  controllerPort: number;
  dataDir: string;
  /** The broker's stdout and stderr. */
  logFile: string;
  clusterId: string;
  pid: number;
  version: string;
  /** performance.now() just before the JVM was spawned (after storage was formatted): where a start time counts from. */
  spawnedAtMs: number;
  /** SIGTERM, then SIGKILL after stopTimeoutMs (default 20 s); resolves once the JVM has exited. */
  stop(stopTimeoutMs?: number): Promise<void>;
}

const heapMbDefault = 1024;
const startTimeoutMsDefault = 90_000;
const stopTimeoutMsDefault = 20_000;
const probeIntervalMs = 250;

/** Picks a free TCP port on 127.0.0.1 by binding port 0 and releasing it. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error(`Cannot pick a free port: server.address() returned ${String(address)}`);
  }
  return address.port;
}

/** A Kafka Uuid as StorageTool prints it: 16 random bytes, base64url, no padding, not starting with '-'. */
export function randomKafkaUuid(): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
  throw new Error('Cannot make a Kafka cluster id: 100 random ids started with "-"');
}

export function kafkaServerProperties(
  o: KafkaStartOptions & { port: number; controllerPort: number; dataDir: string; internalPort?: number },
): Record<string, string> {
  const advertised = o.advertised ?? { host: '127.0.0.1', port: o.port };
  // With an advertised address of someone else's (a proxy), the broker's own traffic to itself
  // (transaction markers, AddPartitionsToTxn verification) goes over a separate INTERNAL
  // listener, so that only client traffic reaches the advertised address.
  const internal = o.internalPort === undefined ? undefined : `INTERNAL://127.0.0.1:${o.internalPort}`;
  const listeners = [`PLAINTEXT://127.0.0.1:${o.port}`, `CONTROLLER://127.0.0.1:${o.controllerPort}`];
  const advertisedListeners = [`PLAINTEXT://${advertised.host}:${advertised.port}`];
  if (internal !== undefined) {
    listeners.push(internal);
    advertisedListeners.push(internal);
  }
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@127.0.0.1:${o.controllerPort}`,
    listeners: listeners.join(','),
    'advertised.listeners': advertisedListeners.join(','),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': internal === undefined ? 'PLAINTEXT' : 'INTERNAL',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT',
    'log.dirs': join(o.dataDir, 'logs'),
    'num.partitions': String(o.partitions ?? 1),
    'auto.create.topics.enable': 'true',
    'offsets.topic.replication.factor': '1',
    // One partition for the internal topics: a single-node test broker starts in seconds.
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
  };
  if (o.flushMessages !== undefined) props['log.flush.interval.messages'] = String(o.flushMessages);
  for (const [key, value] of Object.entries(o.config ?? {})) props[key] = String(value);
  return props;
}

function writeProperties(path: string, props: Record<string, string>): void {
  const lines = Object.entries(props).map(([k, v]) => `${k}=${v}`);
  writeFileSync(path, `# written by bench/kafka/kafka-process.ts\n${lines.join('\n')}\n`);
}

function jvmArgs(install: KafkaInstall, heapMb: number, logLevel: string): string[] {
  return [
    `-Xms${heapMb}m`,
    `-Xmx${heapMb}m`,
    // The flags of Kafka's own kafka-run-class.sh.
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${install.log4jConfig}`,
    `-Dsluice.kafka.logLevel=${logLevel}`,
    '-cp',
    install.classpath,
  ];
}

/** Formats the storage of a fresh data dir; a formatted one (meta.properties present) is kept. */
async function formatStorage(install: KafkaInstall, propsPath: string, logDir: string): Promise<string> {
  const metaPath = join(logDir, 'meta.properties');
  if (!existsSync(metaPath)) {
    const clusterId = randomKafkaUuid();
    await runJava(install, ['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsPath], {
      timeoutMs: 60_000,
    });
  }
  const meta = readFileSync(metaPath, 'utf8');
  const match = /^cluster\.id=(.+)$/m.exec(meta);
  if (match?.[1] === undefined) throw new Error(`Cannot read the cluster id: no cluster.id in ${metaPath}`);
  return match[1].trim();
}

export async function startKafka(options: KafkaStartOptions = {}): Promise<KafkaProcess> {
  const install = ensureKafkaInstalled(options.version);
  const port = options.port || (await freeLoopbackPort());
  const controllerPort = options.controllerPort || (await freeLoopbackPort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sluice-kafka-'));
  const removeDataDir = options.removeDataDirOnStop ?? options.dataDir === undefined;
  mkdirSync(dataDir, { recursive: true });
  const internalPort = options.advertised === undefined ? undefined : await freeLoopbackPort();
  const props = kafkaServerProperties({
    ...options,
    port,
    controllerPort,
    dataDir,
    ...(internalPort === undefined ? {} : { internalPort }),
  });
  const propsPath = join(dataDir, 'server.properties');
  writeProperties(propsPath, props);
  const clusterId = await formatStorage(install, propsPath, props['log.dirs'] ?? join(dataDir, 'logs'));

  const logFile = join(dataDir, 'kafka.log');
  const logFd = openSync(logFile, 'a');
  const args = [...jvmArgs(install, options.heapMb ?? heapMbDefault, options.logLevel ?? 'INFO')];
  const spawnedAtMs = performance.now();
  const child = spawn('java', [...args, 'kafka.Kafka', propsPath], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (stopTimeoutMs = stopTimeoutMsDefault): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
    if (removeDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForBroker(
      child,
      port,
      logFile,
      options.startTimeoutMs ?? startTimeoutMsDefault,
      options.probeIntervalMs ?? probeIntervalMs,
    );
  } catch (error) {
    // The error already carries the tail of kafka.log, so the data dir may go.
    await stop(5_000);
    throw error;
  }
  if (child.pid === undefined) throw new Error('Cannot start Kafka: the java process has no pid');
  return {
    bootstrap: `127.0.0.1:${port}`,
    port,
    controllerPort,
    dataDir,
    logFile,
    clusterId,
    pid: child.pid,
    version: install.version,
    spawnedAtMs,
    stop,
  };
}

function logTail(logFile: string, lines = 30): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitForBroker(
  child: ChildProcess,
  port: number,
  logFile: string,
  timeoutMs: number,
  intervalMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'not tried';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = child.exitCode ?? child.signalCode;
      throw new Error(`Cannot start Kafka on port ${port}: java exited with ${how}\n${logTail(logFile)}`);
    }
    try {
      await probeApiVersions(port, 2_000);
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `Cannot start Kafka on port ${port}: not ready after ${timeoutMs} ms (${lastError})\n${logTail(logFile)}`,
  );
}

/**
 * Sends ApiVersions v0 and checks that the broker answers with error code 0: it accepts
 * connections and serves requests (the data-plane listener opens only once the broker is up).
 */
export async function probeApiVersions(port: number, timeoutMs: number): Promise<void> {
  const clientId = Buffer.from('sluice-probe');
  const frame = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length);
  let at = frame.writeInt32BE(frame.length - 4, 0);
  at = frame.writeInt16BE(18, at); // ApiVersions
  at = frame.writeInt16BE(0, at); // version 0
  at = frame.writeInt32BE(7, at); // correlation id
  at = frame.writeInt16BE(clientId.length, at);
  clientId.copy(frame, at);
  const response = await new Promise<Buffer>((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length >= 4 && all.length >= 4 + all.readInt32BE(0)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(all);
      }
    });
    socket.connect(port, '127.0.0.1', () => socket.write(frame));
  });
  const correlationId = response.readInt32BE(4);
  const errorCode = response.readInt16BE(8);
  if (correlationId !== 7 || errorCode !== 0) {
    throw new Error(`ApiVersions probe got correlation id ${correlationId}, error code ${errorCode}`);
  }
}
