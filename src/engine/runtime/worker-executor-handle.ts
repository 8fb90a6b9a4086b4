// An executor on a worker thread. The worker is told its index, the job module and the plan,
// gets one MessagePort per peer executor (created here, transferred), and is then driven by
// messages. A worker that exits or throws fails the job with an error naming the executor.
import { type MessagePort, Worker } from 'node:worker_threads';
import { siblingModuleUrl } from '../../typescript-loader.ts';
import { EngineError } from '../engine-error.ts';
import type { ConsumedOffsets } from '../log/log.ts';
import type { MetricsRegistry } from '../metrics/metrics-registry.ts';
import type { ExecutorEvents, ExecutorHandle } from './executor-handle.ts';
import type { ExecutorMetrics } from './executor-metrics.ts';
import type { TaskSnapshot } from './task-snapshot.ts';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.ts';

const workerUrl = siblingModuleUrl('worker-main', import.meta.url);

/**
 * A worker's first code registers tsx and then imports the TypeScript entry point: in Node 20 a
 * worker's main module is loaded before `--import` hooks apply, so a .ts entry cannot be the
 * main module itself.
 */
function bootstrap(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); })`;
}

export class WorkerExecutorHandle implements ExecutorHandle {
  readonly index: number;
  readonly #worker: Worker;
  readonly #events: ExecutorEvents;
  readonly #ready: Promise<void>;
  #readyResolve: () => void = () => {};
  #started: (() => void) | null = null;
  #seq = 0;
  readonly #waiting = new Map<number, () => void>();
  #metrics: ExecutorMetrics | null = null;
  #exited = false;
  #closing = false;

  constructor(init: WorkerInit, peers: Array<[number, MessagePort]>, events: ExecutorEvents) {
    this.index = init.executor;
    this.#events = events;
    this.#worker = new Worker(bootstrap(), {
      eval: true,
      workerData: { init, peers },
      transferList: peers.map(([, port]) => port),
    });
    this.#ready = new Promise((resolve) => {
      this.#readyResolve = resolve;
    });
    this.#worker.on('message', (message: FromWorker) => this.#onMessage(message));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => {
      this.#exited = true;
      if (!this.#closing)
        this.#fail(new Error(`worker thread ${this.#worker.threadId} exited with code ${code}`));
      for (const resolve of this.#waiting.values()) resolve();
      this.#waiting.clear();
    });
  }

  async start(restore: readonly TaskSnapshot[] | null): Promise<void> {
    await this.#ready;
    const started = new Promise<void>((resolve) => {
      this.#started = resolve;
    });
    this.#post({ type: 'start', restore });
    await started;
  }

  runContinuous(): void {
    this.#post({ type: 'continuous' });
  }

  requestCheckpoint(checkpointId: number): void {
    this.#post({ type: 'checkpoint', checkpointId });
  }

  startBatch(checkpointId: number, recordsPerTaskMax: number): void {
    this.#post({ type: 'batch', checkpointId, recordsPerTaskMax });
  }

  commit(checkpointId: number, consumed: readonly ConsumedOffsets[]): Promise<void> {
    return this.#request((seq) => ({ type: 'commit', checkpointId, consumed, seq }));
  }

  reportMetrics(registry: MetricsRegistry): void {
    if (this.#metrics !== null) registry.update(this.#metrics);
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#exited) return;
    await this.#request((seq) => ({ type: 'close', seq }));
    await this.#worker.terminate();
  }

  async terminate(): Promise<void> {
    this.#closing = true;
    await this.#worker.terminate();
  }

  #request(make: (seq: number) => ToWorker): Promise<void> {
    if (this.#exited) return Promise.resolve();
    const seq = ++this.#seq;
    return new Promise((resolve) => {
      this.#waiting.set(seq, resolve);
      this.#post(make(seq));
    });
  }

  #post(message: ToWorker): void {
    if (!this.#exited) this.#worker.postMessage(message);
  }

  #onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        this.#readyResolve();
        return;
      case 'started':
        this.#started?.();
        this.#started = null;
        return;
      case 'ack':
        this.#events.acknowledge(this.index, message.checkpointId, message.snapshots);
        return;
      case 'finished':
        this.#events.finished(this.index, message.snapshots);
        return;
      case 'done': {
        const resolve = this.#waiting.get(message.seq);
        this.#waiting.delete(message.seq);
        resolve?.();
        return;
      }
      case 'metrics':
        this.#metrics = message.metrics;
        return;
      case 'failed': {
        const error = new EngineError(message.code, `Executor ${this.index}: ${message.message}`);
        error.stack = message.stack;
        this.#fail(error);
        return;
      }
    }
  }

  #fail(error: Error): void {
    const failure =
      error instanceof EngineError
        ? error
        : new EngineError('executor_failed', `Executor ${this.index} failed: ${error.message}`);
    this.#events.failed(this.index, failure);
    this.#readyResolve();
    this.#started?.();
    this.#started = null;
  }
}
