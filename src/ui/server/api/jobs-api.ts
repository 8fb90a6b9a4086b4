// Jobs: every job the registry knows, with its plan, state, per-operator figures (records in and
// out per second from the sampler, batch latency), per-task watermark and backpressure, state
// size and checkpoint history; start and stop.
import { JobError, type JobStatus } from '../../../observability/job-registry.ts';
import { HttpError } from '../http-error.ts';
import { readJsonBody } from '../request-body.ts';
import type { ApiContext, ApiRequest } from './api-context.ts';

function view(ctx: ApiContext, job: JobStatus): unknown {
  const rates = (ctx.sampler.latest?.operators ?? []).filter((r) => r.job === job.name);
  const running = job.state === 'running' || job.state === 'stopping';
  const m = job.metrics;
  return {
    name: job.name,
    description: job.description,
    state: job.state,
    plan: job.plan,
    executors: job.executors,
    startedAtMs: job.startedAtMs,
    endedAtMs: job.endedAtMs,
    error: job.error,
    stateBytes: m?.stateBytes ?? 0,
    counters: m?.counters ?? {},
    operators: (m?.operators ?? []).map((o) => {
      const rate = running ? rates.find((r) => r.operator === o.name && r.task === o.task) : undefined;
      return {
        ...o,
        recordsInPerSec: rate?.recordsInPerSec ?? 0,
        recordsOutPerSec: rate?.recordsOutPerSec ?? 0,
      };
    }),
    tasks: (m?.tasks ?? []).map((t) => ({
      ...t,
      watermarkMs: Number.isFinite(t.watermarkMs) ? t.watermarkMs : null,
    })),
    checkpoints: m?.checkpoints ?? [],
  };
}

export function listJobs(ctx: ApiContext): unknown {
  return ctx.observability.jobs.list().map((job) => view(ctx, job));
}

function jobCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw httpErrorOf(error);
  }
}

function httpErrorOf(error: unknown): unknown {
  if (!(error instanceof JobError)) return error;
  return new HttpError(error.code === 'unknown_job' ? 404 : 409, error.message);
}

export function describeJob(ctx: ApiContext, request: ApiRequest): unknown {
  return view(
    ctx,
    jobCall(() => ctx.observability.jobs.get(request.params[0] ?? '')),
  );
}

export async function startJob(ctx: ApiContext, request: ApiRequest): Promise<unknown> {
  await readJsonBody(request.req);
  const name = request.params[0] ?? '';
  try {
    return view(ctx, await ctx.observability.jobs.start(name));
  } catch (error) {
    const mapped = httpErrorOf(error);
    if (mapped instanceof HttpError) throw mapped;
    throw new HttpError(500, `Cannot start job '${name}': ${(error as Error).message}`);
  }
}

export async function stopJob(ctx: ApiContext, request: ApiRequest): Promise<unknown> {
  await readJsonBody(request.req);
  return view(
    ctx,
    jobCall(() => ctx.observability.jobs.stop(request.params[0] ?? '')),
  );
}
