// Stream-processing gauges and counters read on each scrape from the engine's metrics snapshot
// of every job in the registry: per-operator records in and out and batch latency, per-task
// watermark lag and backpressure, state size and checkpoint figures per job. The snapshot holds
// running totals, so counters are set to them (cleared first: a restarted job starts from zero).
import { Counter, Gauge } from 'prom-client';
import type { JobRegistry } from './job-registry.ts';
import type { SluiceMetrics } from './sluice-metrics.ts';

export function registerEngineCollector(
  metrics: SluiceMetrics,
  jobs: JobRegistry,
  now: () => number = Date.now,
): void {
  const registers = [metrics.registry];
  const operatorLabels = ['job', 'operator', 'task'] as const;
  const taskLabels = ['job', 'task'] as const;
  // Registered first: prom-client reads metrics in registration order, and this one's collect()
  // fills the others.
  new Gauge({
    name: 'sluice_job_running',
    help: '1 while a job runs, 0 otherwise',
    labelNames: ['job'],
    registers,
    collect() {
      for (const metric of [this, recordsIn, recordsOut, batchLatency, watermarkLag, backpressure])
        metric.reset();
      for (const metric of [stateBytes, checkpointDuration, checkpoints]) metric.reset();
      const nowMs = now();
      for (const job of jobs.list()) {
        this.set({ job: job.name }, job.state === 'running' || job.state === 'stopping' ? 1 : 0);
        const m = job.metrics;
        if (m === null) continue;
        for (const o of m.operators) {
          const labels = { job: job.name, operator: o.name, task: String(o.task) };
          recordsIn.inc(labels, o.recordsIn);
          recordsOut.inc(labels, o.recordsOut);
          batchLatency.set(labels, o.batchMsAvg / 1000);
        }
        for (const t of m.tasks) {
          const labels = { job: job.name, task: t.key };
          if (Number.isFinite(t.watermarkMs))
            watermarkLag.set(labels, Math.max(0, nowMs - t.watermarkMs) / 1000);
          backpressure.inc(labels, t.backpressureMs / 1000);
        }
        stateBytes.set({ job: job.name }, m.stateBytes);
        checkpoints.inc({ job: job.name }, m.checkpoints.length);
        const last = m.checkpoints.at(-1);
        if (last !== undefined) checkpointDuration.set({ job: job.name }, last.durationMs / 1000);
      }
    },
  });
  const recordsIn = new Counter({
    name: 'sluice_job_operator_records_in_total',
    help: 'Records an operator instance has taken in',
    labelNames: operatorLabels,
    registers,
  });
  const recordsOut = new Counter({
    name: 'sluice_job_operator_records_out_total',
    help: 'Records an operator instance has emitted',
    labelNames: operatorLabels,
    registers,
  });
  const batchLatency = new Gauge({
    name: 'sluice_job_operator_batch_latency_seconds',
    help: 'Mean time an operator instance spends on one batch',
    labelNames: operatorLabels,
    registers,
  });
  const watermarkLag = new Gauge({
    name: 'sluice_job_task_watermark_lag_seconds',
    help: 'Wall-clock time minus a task event-time watermark (tasks with a watermark only)',
    labelNames: taskLabels,
    registers,
  });
  const backpressure = new Counter({
    name: 'sluice_job_task_backpressure_seconds_total',
    help: 'Time a task could not step because an output channel was full',
    labelNames: taskLabels,
    registers,
  });
  const stateBytes = new Gauge({
    name: 'sluice_job_state_bytes',
    help: 'Estimated bytes of operator state a job holds',
    labelNames: ['job'],
    registers,
  });
  const checkpointDuration = new Gauge({
    name: 'sluice_job_last_checkpoint_duration_seconds',
    help: 'Duration of a job newest completed checkpoint (trigger to stored)',
    labelNames: ['job'],
    registers,
  });
  const checkpoints = new Counter({
    name: 'sluice_job_checkpoints_total',
    help: 'Checkpoints a job run has completed (counted over the kept history)',
    labelNames: ['job'],
    registers,
  });
}
