// Runs one of the talk's applications end to end, the way `sluice demo <app>` and `npm start`
// do: a broker in this process (or an existing Kafka cluster with --bootstrap), the app's topics,
// its stream-processing jobs (registered with the broker's dashboard, resumable from their
// checkpoints), and its feeds (the inputs writing to the log and the outputs reading from it).
// Everything is closed in reverse order on an interrupt, or when a job fails.
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type RunningBroker, runBroker } from '../../broker/broker.ts';
import type { BrokerConfig } from '../../broker/config.ts';
import type { NewTopic } from '../../client/admin.ts';
import { Admin } from '../../client/admin.ts';
import type { LogOption } from '../../connectors/resolve-log.ts';
import { JobRegistry, type JobStatus } from '../../observability/job-registry.ts';
import { moduleJob } from '../../observability/module-job.ts';
import { CliError, type CliIo } from '../command.ts';
import { ProgressLine } from '../progress.ts';

/** Something the demo started and stops at the end: an input feed or an output poster. */
export interface DemoFeed {
  readonly name: string;
  /** A few words of progress for the status line, e.g. `41,230 trades` ('' shows nothing). */
  progress(): string;
  /** Settles when the feed ends by itself; a rejection ends the demo with its error. */
  readonly done?: Promise<unknown>;
  close(): Promise<void>;
}

export interface DemoJob {
  readonly name: string;
  readonly description: string;
  /** Absolute path of the job module (exporting job(params)). */
  readonly module: string;
  readonly params: unknown;
}

export interface DemoApp {
  readonly name: string;
  /** The dashboard page of the app, e.g. `#/crypto`. */
  readonly page: string;
  /** Created (when missing) before the jobs start. */
  readonly topics: readonly NewTopic[];
  readonly jobs: readonly DemoJob[];
  /** Starts the app's feeds once its topics exist and its jobs run; they write to `bootstrap`. */
  startFeeds(bootstrap: string, logger: Logger): Promise<DemoFeed[]>;
}

export interface DemoOptions {
  /** Start this broker in the process, or use `bootstrap` (an existing cluster): one of the two. */
  readonly brokerConfig: BrokerConfig | null;
  readonly bootstrap: string | null;
  readonly executors: number;
  /** Each job keeps its checkpoints in a folder of its name here. */
  readonly checkpointDir: string;
  readonly logger: Logger;
  readonly io: CliIo;
  readonly signal: AbortSignal;
  /** Status line period; the line is drawn on terminals and logged elsewhere. */
  readonly statusEveryMs: number;
}

export async function runDemo(app: DemoApp, options: DemoOptions): Promise<number> {
  const { logger, io } = options;
  const cleanups: (() => Promise<void>)[] = [];
  const jobs = new JobRegistry();
  let broker: RunningBroker | null = null;
  let failure: string | null = null;
  try {
    let log: LogOption;
    let bootstrap: string;
    if (options.brokerConfig !== null) {
      broker = await runBroker(options.brokerConfig, { logger, jobs });
      const running = broker;
      cleanups.push(() => running.close());
      log = broker;
      bootstrap = broker.bootstrap;
    } else if (options.bootstrap !== null) {
      log = { bootstrap: options.bootstrap };
      bootstrap = options.bootstrap;
    } else {
      throw new CliError('the demo needs a broker to start or a --bootstrap cluster', 2);
    }
    cleanups.push(() => jobs.close());
    await ensureTopics(bootstrap, app.topics);
    for (const job of app.jobs) {
      jobs.define(
        moduleJob(job.module, {
          name: job.name,
          description: job.description,
          params: job.params,
          runOptions: () => ({
            log,
            executors: options.executors,
            checkpointDir: join(options.checkpointDir, job.name),
          }),
        }),
      );
      const started = await jobs.start(job.name);
      logger.info({ job: job.name, executors: started.executors }, `Job '${job.name}' running`);
    }
    const feeds = await app.startFeeds(bootstrap, logger);
    cleanups.push(async () => {
      for (const feed of [...feeds].reverse()) await feed.close();
    });
    const where =
      broker?.http === null || broker === null
        ? `Kafka at ${bootstrap} (no dashboard: it comes with the embedded broker)`
        : `broker at ${bootstrap}; dashboard ${broker.http.url}${app.page}`;
    io.stdout.write(`Sluice demo '${app.name}': ${where}. Ctrl-C stops it.\n`);
    failure = await untilInterruptedOrFailed(app, jobs, feeds, options);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.error({ err: error }, 'Closing the demo failed');
      }
    }
  }
  if (failure !== null) throw new CliError(failure, 1);
  return 0;
}

async function ensureTopics(bootstrap: string, topics: readonly NewTopic[]): Promise<void> {
  const admin = new Admin({ bootstrap, clientId: 'sluice-demo' });
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) await admin.createTopics(missing);
  } finally {
    await admin.close();
  }
}

/** Draws the status line until the signal aborts (null) or a job stops on its own (its error). */
async function untilInterruptedOrFailed(
  app: DemoApp,
  jobs: JobRegistry,
  feeds: readonly DemoFeed[],
  options: DemoOptions,
): Promise<string | null> {
  const line = new ProgressLine(options.io.stderr);
  let lastLoggedMs = Date.now();
  const status = () => statusOf(jobs.list(), feeds);
  // A job of a demo runs until stopped; one that ends by itself (failed, or its input finished)
  // ends the demo with its reason.
  const outcome: { ended: string | null } = { ended: null };
  for (const job of app.jobs) {
    void jobs.ended(job.name).then((s) => {
      if (s.state === 'stopped' || s.state === 'stopping') return;
      outcome.ended ??=
        s.state === 'failed'
          ? `job '${s.name}' failed: ${s.error ?? 'no error given'}`
          : `job '${s.name}' ended (${s.state}) while the demo was running`;
    });
  }
  for (const feed of feeds) {
    feed.done?.catch((error: unknown) => {
      outcome.ended ??= `${feed.name} failed: ${error instanceof Error ? error.message : String(error)}`;
    });
  }
  while (!options.signal.aborted && outcome.ended === null) {
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(options.statusEveryMs, 1000));
      options.signal.addEventListener('abort', done, { once: true });
    });
    if (line.enabled) line.update(status());
    else if (Date.now() - lastLoggedMs >= options.statusEveryMs) {
      lastLoggedMs = Date.now();
      options.logger.info(status());
    }
  }
  line.clear();
  return outcome.ended;
}

function statusOf(jobs: readonly JobStatus[], feeds: readonly DemoFeed[]): string {
  const parts: string[] = [];
  for (const feed of feeds) {
    const progress = feed.progress();
    if (progress !== '') parts.push(`${feed.name}: ${progress}`);
  }
  for (const job of jobs) {
    const operators = job.metrics?.operators ?? [];
    const recordsIn = operators
      .filter((o) => o.name.startsWith('source:'))
      .reduce((sum, o) => sum + o.recordsOut, 0);
    parts.push(`${job.name}: ${job.state}, ${recordsIn.toLocaleString('en-US')} read`);
  }
  return parts.join(' | ');
}
