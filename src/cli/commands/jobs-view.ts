// What `sluice jobs` prints for people: the broker's job views (GET /api/jobs) summed up per job
// for the list, and per operator, task and checkpoint for describe. Scripts get the views as
// JSON instead, so nothing here is a contract.
import { formatTable } from '../table.ts';

/** One job as the broker's HTTP API shows it (src/ui/server/api/jobs-api.ts). */
export interface JobView {
  name: string;
  description: string;
  state: string;
  plan: string | null;
  executors: number;
  startedAtMs: number | null;
  endedAtMs: number | null;
  error: string | null;
  stateBytes: number;
  counters: Record<string, number>;
  operators: OperatorView[];
  tasks: TaskView[];
  checkpoints: CheckpointView[];
}

export interface OperatorView {
  name: string;
  task: number;
  executor: number;
  recordsIn: number;
  recordsOut: number;
  batches: number;
  batchMsAvg: number;
  batchMsMax: number;
  recordsInPerSec: number;
  recordsOutPerSec: number;
}

export interface TaskView {
  key: string;
  executor: number;
  /** null before the task has a watermark. */
  watermarkMs: number | null;
  idle: boolean;
  ended: boolean;
  backpressureMs: number;
}

export interface CheckpointView {
  id: number;
  startedAtMs: number;
  durationMs: number;
  stateBytes: number;
  finished: boolean;
}

/** States in which the job has a live run whose clock is still going. */
const LIVE_STATES = new Set(['starting', 'running', 'stopping']);

export function isLive(job: JobView): boolean {
  return LIVE_STATES.has(job.state);
}

/** 850ms, 12s, 3m05s, 2h03m, 4d02h: short enough for a table cell. */
export function formatDuration(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  if (t < 1000) return `${t}ms`;
  const s = Math.floor(t / 1000);
  if (s < 60) return `${s}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${pad(Math.floor(s / 3600) % 24)}h`;
}

function rate(perSec: number): string {
  return perSec >= 100 ? String(Math.round(perSec)) : perSec.toFixed(1);
}

const isSource = (operator: string) => operator.startsWith('source:');
// The DSL names operators `<kind>#<node>`; sinks are kind 'sink'.
const isSink = (operator: string) => operator.split('#')[0] === 'sink';

/** Records the job's sources have read and its sinks have been given. */
export function recordsThrough(job: JobView): { in: number; out: number } {
  let recordsIn = 0;
  let recordsOut = 0;
  for (const o of job.operators) {
    if (isSource(o.name)) recordsIn += o.recordsOut;
    if (isSink(o.name)) recordsOut += o.recordsIn;
  }
  return { in: recordsIn, out: recordsOut };
}

/**
 * How far event time trails the clock: now minus the lowest watermark of the tasks that hold it
 * back (idle and ended tasks do not). null when the job is not live or has no watermark yet.
 */
export function watermarkLagMs(job: JobView, nowMs: number): number | null {
  if (!isLive(job)) return null;
  let lowest = Number.POSITIVE_INFINITY;
  for (const t of job.tasks) {
    if (t.idle || t.ended || t.watermarkMs === null) continue;
    lowest = Math.min(lowest, t.watermarkMs);
  }
  return Number.isFinite(lowest) ? Math.max(0, nowMs - lowest) : null;
}

export function uptimeMs(job: JobView, nowMs: number): number | null {
  return isLive(job) && job.startedAtMs !== null ? nowMs - job.startedAtMs : null;
}

function lastCheckpoint(job: JobView, nowMs: number): string | null {
  const last = job.checkpoints.at(-1);
  return last === undefined ? null : `#${last.id} ${formatDuration(nowMs - last.startedAtMs)} ago`;
}

function orNull(ms: number | null): string | null {
  return ms === null ? null : formatDuration(ms);
}

export function formatJobList(jobs: readonly JobView[], nowMs: number): string {
  return formatTable(
    [
      { title: 'JOB' },
      { title: 'STATE' },
      { title: 'UPTIME', align: 'right' },
      { title: 'RECORDS-IN', align: 'right' },
      { title: 'RECORDS-OUT', align: 'right' },
      { title: 'WATERMARK-LAG', align: 'right' },
      { title: 'LAST-CHECKPOINT' },
    ],
    jobs.map((job) => {
      const records = recordsThrough(job);
      return [
        job.name,
        job.state,
        orNull(uptimeMs(job, nowMs)),
        records.in,
        records.out,
        orNull(watermarkLagMs(job, nowMs)),
        lastCheckpoint(job, nowMs),
      ];
    }),
  );
}

/** Sources first, then operators in the order the job defined them (`#<node>`), then by task. */
function planOrder(a: OperatorView, b: OperatorView): number {
  const rank = (o: OperatorView) => (isSource(o.name) ? -1 : Number(o.name.split('#')[1] ?? 0));
  return rank(a) - rank(b) || a.name.localeCompare(b.name) || a.task - b.task;
}

function header(job: JobView, nowMs: number): string {
  const figures = [`state ${job.state}`, `executors ${job.executors}`];
  const up = uptimeMs(job, nowMs);
  if (up !== null) figures.push(`uptime ${formatDuration(up)}`);
  else if (job.startedAtMs !== null && job.endedAtMs !== null)
    figures.push(`ran ${formatDuration(job.endedAtMs - job.startedAtMs)}`);
  const lag = watermarkLagMs(job, nowMs);
  if (lag !== null) figures.push(`watermark lag ${formatDuration(lag)}`);
  figures.push(`state bytes ${job.stateBytes}`);
  let text = `Job ${job.name}  ${figures.join('  ')}\n${job.description}\n`;
  if (job.startedAtMs !== null) text += `started ${new Date(job.startedAtMs).toISOString()}`;
  if (job.endedAtMs !== null) text += `  ended ${new Date(job.endedAtMs).toISOString()}`;
  if (job.startedAtMs !== null) text += '\n';
  if (job.error !== null) text += `error: ${job.error}\n`;
  if (job.plan !== null) text += `\nPlan:\n${job.plan.replace(/^/gm, '  ')}\n`;
  return text;
}

function operatorsTable(job: JobView): string {
  const live = isLive(job);
  return formatTable(
    [
      { title: 'OPERATOR' },
      { title: 'TASK', align: 'right' },
      { title: 'EXECUTOR', align: 'right' },
      { title: 'RECORDS-IN', align: 'right' },
      { title: 'RECORDS-OUT', align: 'right' },
      { title: 'IN/S', align: 'right' },
      { title: 'OUT/S', align: 'right' },
      { title: 'BATCH-MS-AVG', align: 'right' },
      { title: 'BATCH-MS-MAX', align: 'right' },
    ],
    [...job.operators].sort(planOrder).map((o) => [
      o.name,
      o.task,
      o.executor,
      o.recordsIn,
      o.recordsOut,
      // Rates are measured only while the job runs; an ended job's zeros would read as a stall.
      live ? rate(o.recordsInPerSec) : null,
      live ? rate(o.recordsOutPerSec) : null,
      o.batchMsAvg.toFixed(3),
      o.batchMsMax.toFixed(3),
    ]),
  );
}

/** Time a task spent blocked on full downstream channels, and its share of the uptime. */
function backpressured(ms: number, upMs: number | null): string {
  if (upMs === null || upMs <= 0) return formatDuration(ms);
  return `${formatDuration(ms)} (${Math.min(100, (100 * ms) / upMs).toFixed(0)}%)`;
}

function tasksTable(job: JobView, nowMs: number): string {
  const live = isLive(job);
  return formatTable(
    [
      { title: 'TASK' },
      { title: 'EXECUTOR', align: 'right' },
      { title: 'WATERMARK' },
      { title: 'LAG', align: 'right' },
      { title: 'IDLE' },
      { title: 'ENDED' },
      { title: 'BACKPRESSURED', align: 'right' },
    ],
    job.tasks.map((t) => [
      t.key,
      t.executor,
      t.watermarkMs === null ? null : new Date(t.watermarkMs).toISOString(),
      live && t.watermarkMs !== null && !t.ended ? formatDuration(nowMs - t.watermarkMs) : null,
      t.idle ? 'yes' : 'no',
      t.ended ? 'yes' : 'no',
      backpressured(t.backpressureMs, uptimeMs(job, nowMs)),
    ]),
  );
}

function checkpointsTable(job: JobView, nowMs: number): string {
  return formatTable(
    [
      { title: 'CHECKPOINT', align: 'right' },
      { title: 'STARTED' },
      { title: 'AGE', align: 'right' },
      { title: 'DURATION-MS', align: 'right' },
      { title: 'STATE-BYTES', align: 'right' },
      { title: 'FINAL' },
    ],
    // Newest first: the history can be long and the latest matters most.
    [...job.checkpoints]
      .reverse()
      .map((c) => [
        c.id,
        new Date(c.startedAtMs).toISOString(),
        formatDuration(nowMs - c.startedAtMs),
        c.durationMs,
        c.stateBytes,
        c.finished ? 'yes' : 'no',
      ]),
  );
}

export function formatJobDetails(job: JobView, nowMs: number): string {
  let text = header(job, nowMs);
  if (job.operators.length === 0 && job.tasks.length === 0) {
    return `${text}\nno figures yet: the job has not run${job.state === 'idle' ? `; start it with \`sluice jobs start ${job.name}\`` : ''}\n`;
  }
  const records = recordsThrough(job);
  text += `\nRecords: ${records.in} in from sources, ${records.out} out to sinks\n`;
  if (job.operators.length > 0) text += `\n${operatorsTable(job)}`;
  if (job.tasks.length > 0) text += `\n${tasksTable(job, nowMs)}`;
  text += job.checkpoints.length === 0 ? '\nno checkpoints yet\n' : `\n${checkpointsTable(job, nowMs)}`;
  const counters = Object.entries(job.counters).sort(([a], [b]) => a.localeCompare(b));
  if (counters.length > 0)
    text += `\n${formatTable([{ title: 'COUNTER' }, { title: 'VALUE', align: 'right' }], counters)}`;
  return text;
}
