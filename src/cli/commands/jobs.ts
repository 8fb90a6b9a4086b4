// `sluice jobs list|describe|start|stop`: the stream-processing jobs a broker process runs
// (`sluice broker --job FILE`), through the broker's HTTP JSON API (`--http`). Jobs are not part
// of the Kafka protocol, so unlike topics and groups this talks to Sluice brokers only.
import { setTimeout as sleep } from 'node:timers/promises';
import { cliLimits } from '../../limits.ts';
import { intFlag, parseFlags } from '../args.ts';
import { CliError, type CliIo, type Command } from '../command.ts';
import { interruptFor } from '../interrupt.ts';
import { writeJson } from '../json-output.ts';
import { ApiAnswerError, type HttpApiSettings, httpApiSettings, requestJson } from './jobs-http.ts';
import { formatJobDetails, formatJobList, isLive, type JobView, recordsThrough } from './jobs-view.ts';

const HTTP_DEFAULT = '127.0.0.1:8080';
/** How often `stop` looks whether the job has stopped (it stops after its current step). */
const STOP_POLL_INTERVAL_MS = 100;

const usage = `Usage:
  sluice jobs list
  sluice jobs describe <job>
  sluice jobs start <job>
  sluice jobs stop <job> [--no-wait]

  list       every job the broker knows: state, uptime, records read from sources and given
             to sinks, watermark lag (now minus the lowest task watermark), last checkpoint
  describe   the plan; per operator records in and out (totals and per second), batch
             latency; per task watermark, lag and time backpressured; checkpoint history
  start      starts a job defined with \`sluice broker --job FILE\` that is not running
  stop       asks a running job to stop after its current step and waits until it has
             (at most --timeout-ms); --no-wait returns once the broker has accepted

Connection and output:
  --http HOST:PORT   the broker's HTTP API (default $SLUICE_HTTP or ${HTTP_DEFAULT})
  --timeout-ms MS    give up after MS milliseconds (default ${cliLimits.operationTimeoutMsDefault})
  --json             print the broker's job views as JSON for scripts instead of tables`;

const flags = {
  http: { type: 'string' },
  json: { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  'no-wait': { type: 'boolean' },
} as const;

interface Session {
  http: HttpApiSettings;
  json: boolean;
  io: CliIo;
  signal: AbortSignal;
}

const jobPath = (name: string) => `/api/jobs/${encodeURIComponent(name)}`;

async function fetchJobs(s: Session): Promise<JobView[]> {
  try {
    return (await requestJson(s.http, 'GET', '/api/jobs', s.signal)) as JobView[];
  } catch (error) {
    if (!(error instanceof ApiAnswerError)) throw error;
    throw new CliError(`Cannot list jobs at ${s.http.address}: ${error.message} (HTTP ${error.status})`);
  }
}

/** An unknown job fails naming the jobs the broker does know, so the next command is obvious. */
async function unknownJob(s: Session, action: string, name: string): Promise<CliError> {
  const known = (await fetchJobs(s)).map((j) => j.name);
  const hint =
    known.length === 0
      ? 'it runs no jobs; define one with `sluice broker --job FILE`'
      : `known jobs: ${known.join(', ')}`;
  return new CliError(
    `Cannot ${action} job '${name}': the broker at ${s.http.address} has no such job; ${hint}`,
  );
}

/** One call on one job: a 404 becomes the unknown-job error, a 409 the broker's reason. */
async function jobCall(s: Session, action: string, name: string, method: 'GET' | 'POST', path: string) {
  try {
    return (await requestJson(s.http, method, path, s.signal)) as JobView;
  } catch (error) {
    if (!(error instanceof ApiAnswerError)) throw error;
    if (error.status === 404) throw await unknownJob(s, action, name);
    const hint =
      error.status === 409
        ? `; see its state with \`sluice jobs describe ${name} --http ${s.http.address}\``
        : '';
    // The API's own messages already name the action ("Cannot stop job 'x': it is idle").
    const what = error.message.startsWith('Cannot ')
      ? error.message
      : `Cannot ${action} job '${name}': ${error.message}`;
    throw new CliError(`${what} (HTTP ${error.status})${hint}`);
  }
}

function oneJobName(names: readonly string[], sub: string): string {
  const [name] = names;
  if (name === undefined || names.length > 1 || name === '')
    throw new CliError(`${sub} needs exactly one job name (see \`sluice jobs list\`)`, 2);
  return name;
}

async function list(s: Session): Promise<number> {
  const jobs = await fetchJobs(s);
  if (s.json) writeJson(s.io.stdout, jobs);
  else if (jobs.length === 0)
    s.io.stdout.write(
      `no jobs on the broker at ${s.http.address}; define one with \`sluice broker --job FILE\`\n`,
    );
  else s.io.stdout.write(formatJobList(jobs, Date.now()));
  return 0;
}

async function describe(s: Session, name: string): Promise<number> {
  const job = await jobCall(s, 'describe', name, 'GET', jobPath(name));
  if (s.json) writeJson(s.io.stdout, job);
  else s.io.stdout.write(formatJobDetails(job, Date.now()));
  return 0;
}

async function start(s: Session, name: string): Promise<number> {
  const job = await jobCall(s, 'start', name, 'POST', `${jobPath(name)}/start`);
  if (s.json) writeJson(s.io.stdout, job);
  else
    s.io.stdout.write(
      `started job '${job.name}': ${job.state} on ${job.executors} executor${job.executors === 1 ? '' : 's'}\n` +
        (job.plan === null ? '' : `${job.plan.replace(/^/gm, '  ')}\n`),
    );
  return 0;
}

/** Polls the job until its run has ended, within the command's timeout. */
async function awaitStopped(s: Session, name: string): Promise<JobView> {
  const deadline = Date.now() + s.http.timeoutMs;
  for (;;) {
    const job = await jobCall(s, 'stop', name, 'GET', jobPath(name));
    if (!isLive(job)) return job;
    if (Date.now() + STOP_POLL_INTERVAL_MS > deadline) {
      throw new CliError(
        `Job '${name}' is still ${job.state} after ${s.http.timeoutMs} ms: it stops after its current step; ` +
          `raise --timeout-ms, or follow it with \`sluice jobs describe ${name}\``,
      );
    }
    try {
      await sleep(STOP_POLL_INTERVAL_MS, undefined, { signal: s.signal });
    } catch {
      throw new CliError(`Stopped waiting for job '${name}' to stop (interrupted); it is ${job.state}`);
    }
  }
}

async function stop(s: Session, name: string, wait: boolean): Promise<number> {
  const accepted = await jobCall(s, 'stop', name, 'POST', `${jobPath(name)}/stop`);
  const job = wait ? await awaitStopped(s, name) : accepted;
  if (s.json) {
    writeJson(s.io.stdout, job);
    return 0;
  }
  if (!wait) {
    s.io.stdout.write(`job '${name}' is ${job.state}; it stops after its current step\n`);
    return 0;
  }
  const records = recordsThrough(job);
  s.io.stdout.write(
    `job '${name}' ${job.state}: ${records.in} records in from sources, ${records.out} out to sinks` +
      `${job.error === null ? '' : `; error: ${job.error}`}\n`,
  );
  return job.state === 'failed' ? 1 : 0;
}

const subcommands = ['list', 'describe', 'start', 'stop'] as const;

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'List, describe, start and stop the stream-processing jobs a broker runs (via its HTTP API)',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(args, flags);
    const [sub, ...names] = positionals;
    const timeoutMs =
      intFlag(values['timeout-ms'], 'timeout-ms', 1, cliLimits.operationTimeoutMsMax) ??
      cliLimits.operationTimeoutMsDefault;
    const http = httpApiSettings(values.http ?? process.env.SLUICE_HTTP ?? HTTP_DEFAULT, timeoutMs);
    if (values['no-wait'] === true && sub !== 'stop') throw new CliError('--no-wait applies to stop only', 2);
    const interrupt = interruptFor(io);
    const s: Session = { http, json: values.json === true, io, signal: interrupt.signal };
    try {
      switch (sub) {
        case 'list':
          if (names.length > 0) throw new CliError('list takes no job names', 2);
          return await list(s);
        case 'describe':
          return await describe(s, oneJobName(names, 'describe'));
        case 'start':
          return await start(s, oneJobName(names, 'start'));
        case 'stop':
          return await stop(s, oneJobName(names, 'stop'), values['no-wait'] !== true);
        default:
          throw new CliError(
            `${sub === undefined ? 'needs a subcommand' : `unknown subcommand '${sub}'`}: one of ${subcommands.join(', ')}`,
            2,
          );
      }
    } finally {
      interrupt.dispose();
    }
  },
};
