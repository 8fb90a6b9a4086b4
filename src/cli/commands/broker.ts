// `sluice broker`: runs a Kafka-compatible broker until SIGTERM or SIGINT, then closes it
// gracefully (in-flight requests answered, logs flushed and checkpointed).
import { parseArgs } from 'node:util';
import { type RunningBroker, runBroker } from '../../broker/broker.ts';
import { createLogger } from '../../broker/logger.ts';
import type { RunJobOptions } from '../../engine/run-job.ts';
import { JobRegistry } from '../../observability/job-registry.ts';
import { moduleJob } from '../../observability/module-job.ts';
import { brokerConfigFromFlags, brokerFlagOptions, brokerFlagUsage } from '../broker-flags.ts';
import { CliError, type CliIo, type Command } from '../command.ts';
import { interruptFor } from '../interrupt.ts';

const usage = `Usage: sluice broker [options]

Options (later sources win: defaults < --config file < SLUICE_* environment < flags):
${brokerFlagUsage}
  --job FILE                   a job module (exporting job(params)) the dashboard can start and
                               stop, repeatable; it runs in this process's worker threads

Properties: data.dir, listen, advertised.listener, node.id, auto.create.topics.enable (true),
num.partitions (1), log.level, log.format, http.listen, and the topic defaults log.segment.bytes, log.roll.ms,
log.retention.ms, log.retention.bytes, log.cleanup.policy, log.flush.interval.messages,
log.flush.interval.ms, log.message.timestamp.type, message.max.bytes, ... (Kafka's names).
Kafka spellings listeners, advertised.listeners, log.dirs and broker.id are accepted too.
Environment: SLUICE_NUM_PARTITIONS=3 sets num.partitions=3 (drop SLUICE_, lower case, _ -> .).`;

async function run(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      args,
      options: { ...brokerFlagOptions, job: { type: 'string', multiple: true } },
      allowPositionals: false,
    });
  }
  try {
    parsed = parse();
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
  const { values } = parsed;
  const config = await brokerConfigFromFlags(values, io);
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, stream: io.stderr });
  const jobs = new JobRegistry();
  // Jobs read and write this broker's own log; it exists only once runBroker returns, and a job
  // can only be started (from the dashboard) after that.
  let running: RunningBroker | null = null;
  const runOptions = (): RunJobOptions => {
    if (running === null) throw new CliError('the broker has not started yet', 1);
    return { log: running };
  };
  for (const module of values.job ?? []) jobs.define(moduleJob(module, { runOptions }));
  const interrupt = interruptFor(io);
  try {
    const broker = await runBroker(config, { logger, jobs });
    running = broker;
    if (broker.http !== null) io.stdout.write(`Sluice dashboard: ${broker.http.url}\n`);
    if (!interrupt.signal.aborted) {
      await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve()));
    }
    logger.info('Interrupted; closing');
    await broker.close();
    return 0;
  } finally {
    interrupt.dispose();
  }
}

export const brokerCommand: Command = {
  name: 'broker',
  summary: 'Run a Kafka-compatible broker',
  usage,
  run,
};
