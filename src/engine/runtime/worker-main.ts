// Entry point of a worker-thread executor: rebuilds the job from its module, plans it with the
// coordinator's partition counts, runs its share of the tasks and answers commands.
import type { MessagePort } from 'node:worker_threads';
import { parentPort, workerData } from 'node:worker_threads';
import { engineLimits } from '../../limits.ts';
import type { JobEnvironment } from '../connector/environment.ts';
import { EngineError } from '../engine-error.ts';
import { systemClock } from '../time/clock.ts';
import { Executor } from './executor.ts';
import { ExecutorRunner } from './executor-runner.ts';
import { loadJob } from './job-module.ts';
import { PeerLink } from './peer-link.ts';
import { planJob } from './plan-job.ts';
import { taskKey } from './task-snapshot.ts';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.ts';

const data = workerData as { init: WorkerInit; peers: Array<[number, MessagePort]> };
const init = data.init;
const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

function fail(error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  const code = e instanceof EngineError ? e.code : 'executor_failed';
  post({ type: 'failed', code, message: e.message, stack: e.stack ?? '' });
}

async function main(): Promise<void> {
  const job = await loadJob({ module: init.moduleUrl, exportName: init.exportName, params: init.params });
  // The coordinator's log is reached over the Kafka protocol: a worker has its own clients.
  const environment: JobEnvironment = {
    job: job.name,
    log:
      init.logBootstrap === null
        ? null
        : (await import('../../connectors/kafka/kafka-log.ts')).kafkaLog({ bootstrap: init.logBootstrap }),
  };
  const planned = planJob(job, new Map(init.sourcePartitions), init.parallelism, init.outputMode);
  if (planned.description !== init.planDescription) {
    throw new EngineError(
      'invalid_job',
      `Job module built a different plan in executor ${init.executor}:\n${planned.description}\nvs the coordinator's\n${init.planDescription}`,
    );
  }
  let executor: Executor | null = null;
  const peers = new Map<number, PeerLink>();
  for (const [peer, peerPort] of data.peers)
    peers.set(peer, new PeerLink(peer, peerPort, init.encoding, () => executor?.wake()));
  executor = new Executor(
    init.executor,
    init.executors,
    job,
    planned.plan,
    peers,
    {
      clock: systemClock,
      batchRecordsMax: init.batchRecordsMax,
      stateBytesMax: init.stateBytesMax,
      outputMode: init.outputMode,
      environment,
    },
    {
      acknowledge: (checkpointId, snapshots) => post({ type: 'ack', checkpointId, snapshots }),
      finished: (snapshots) => post({ type: 'finished', snapshots }),
    },
  );
  const ex = executor;
  const runner = new ExecutorRunner(ex, fail);
  const metrics = setInterval(
    () => post({ type: 'metrics', metrics: ex.metrics() }),
    engineLimits.metricsReportIntervalMs,
  );
  metrics.unref();
  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'start': {
        const restore =
          message.restore === null
            ? null
            : new Map(message.restore.map((t) => [taskKey(t.stage, t.index), t]));
        ex.startBatch(0, 0); // sources wait for the first trigger
        ex.open(restore).then(() => {
          runner.start();
          post({ type: 'started' });
        }, fail);
        return;
      }
      case 'continuous':
        void runner.command(() => ex.runContinuous());
        return;
      case 'checkpoint':
        void runner.command(() => ex.requestCheckpoint(message.checkpointId));
        return;
      case 'batch':
        void runner.command(() => ex.startBatch(message.checkpointId, message.recordsPerTaskMax));
        return;
      case 'commit':
        runner
          .command(() => ex.commit(message.checkpointId, message.consumed))
          .then(() => post({ type: 'done', seq: message.seq }), fail);
        return;
      case 'close':
        runner
          .stop()
          .then(() => ex.close())
          .then(() => {
            clearInterval(metrics);
            void environment.log?.close();
            post({ type: 'metrics', metrics: ex.metrics() });
            post({ type: 'done', seq: message.seq });
            port.close();
          }, fail);
        return;
    }
  });
  post({ type: 'ready' });
}

main().catch(fail);
