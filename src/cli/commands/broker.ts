// `sluice broker`: runs a Kafka-compatible broker until SIGTERM or SIGINT, then closes it
// gracefully (in-flight requests answered, logs flushed and checkpointed).
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type RunningBroker, runBroker } from '../../broker/broker.ts';
import { ConfigError, parseProperties, propertiesFromEnv, resolveBrokerConfig } from '../../broker/config.ts';
import { createLogger } from '../../broker/logger.ts';
import type { RunJobOptions } from '../../engine/run-job.ts';
import { brokerLimits } from '../../limits.ts';
import { JobRegistry } from '../../observability/job-registry.ts';
import { moduleJob } from '../../observability/module-job.ts';
import { CliError, type CliIo, type Command } from '../command.ts';

const usage = `Usage: sluice broker [options]

Options (later sources win: defaults < --config file < SLUICE_* environment < flags):
  --data-dir DIR               where topics are stored (default .sluice-data)
  --listen HOST:PORT           address to listen on (default 127.0.0.1:9092)
  --advertised-listener H:P    address clients are told to use (default: the listen address)
  --node-id N                  this node's id (default 1; the data directory remembers it)
  --config FILE                Kafka-style .properties file (key=value lines, # comments)
  --set KEY=VALUE              any broker property, repeatable (e.g. --set num.partitions=3)
  --log-level LEVEL            fatal, error, warn, info, debug, trace or silent (default info)
  --log-format json|pretty     default pretty on a terminal, json otherwise
  --http HOST:PORT             dashboard, /metrics, /healthz, /readyz (default 127.0.0.1:8080;
                               'off' serves none)
  --job FILE                   a job module (exporting job(params)) the dashboard can start and
                               stop, repeatable; it runs in this process's worker threads
  --quiet                      log errors only

Properties: data.dir, listen, advertised.listener, node.id, auto.create.topics.enable (true),
num.partitions (1), log.level, log.format, http.listen, and the topic defaults log.segment.bytes, log.roll.ms,
log.retention.ms, log.retention.bytes, log.cleanup.policy, log.flush.interval.messages,
log.flush.interval.ms, log.message.timestamp.type, message.max.bytes, ... (Kafka's names).
Kafka spellings listeners, advertised.listeners, log.dirs and broker.id are accepted too.
Environment: SLUICE_NUM_PARTITIONS=3 sets num.partitions=3 (drop SLUICE_, lower case, _ -> .).`;

async function readConfigFile(path: string): Promise<Record<string, string>> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new CliError(`Cannot read config file ${path}: ${(error as Error).message}`, 2);
  }
  if (size > brokerLimits.configFileBytesMax) {
    throw new CliError(
      `Config file ${path} is ${size} bytes; the limit is ${brokerLimits.configFileBytesMax}`,
      2,
    );
  }
  return parseProperties(await readFile(path, 'utf8'), path);
}

function flagProperties(values: Readonly<Record<string, unknown>>): Record<string, string> {
  const props: Record<string, string> = {};
  const flags: [string, string][] = [
    ['data-dir', 'data.dir'],
    ['listen', 'listen'],
    ['advertised-listener', 'advertised.listener'],
    ['node-id', 'node.id'],
    ['log-level', 'log.level'],
    ['log-format', 'log.format'],
    ['http', 'http.listen'],
  ];
  for (const [flag, name] of flags) {
    const value = values[flag];
    if (typeof value === 'string') props[name] = value;
  }
  const pairs = Array.isArray(values.set) ? values.set : [];
  for (const pair of pairs) {
    if (typeof pair !== 'string') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--set expects KEY=VALUE, got '${pair}'`, 2);
    props[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (values.quiet === true) props['log.level'] = 'error';
  return props;
}

async function run(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        listen: { type: 'string' },
        'advertised-listener': { type: 'string' },
        'node-id': { type: 'string' },
        config: { type: 'string' },
        set: { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        quiet: { type: 'boolean' },
        http: { type: 'string' },
        job: { type: 'string', multiple: true },
      },
      allowPositionals: false,
    });
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
  const { values } = parsed;
  const cliDefaults = {
    'data.dir': '.sluice-data',
    'http.listen': '127.0.0.1:8080',
    'log.format': (io.stderr as NodeJS.WriteStream).isTTY === true ? 'pretty' : 'json',
  };
  const file = typeof values.config === 'string' ? await readConfigFile(values.config) : {};
  let config: ReturnType<typeof resolveBrokerConfig>;
  try {
    config = resolveBrokerConfig(cliDefaults, file, propertiesFromEnv(process.env), flagProperties(values));
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 2);
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, stream: io.stderr });
  const jobs = new JobRegistry();
  // Jobs read and write this broker's own log; it exists only once runBroker returns, and a job
  // can only be started (from the dashboard) after that.
  let running: RunningBroker | null = null;
  const runOptions = (): RunJobOptions => {
    if (running === null) throw new CliError('the broker has not started yet', 1);
    return { log: running };
  };
  for (const module of Array.isArray(values.job) ? values.job : []) {
    if (typeof module === 'string') jobs.define(moduleJob(module, { runOptions }));
  }
  const broker = await runBroker(config, { logger, jobs });
  running = broker;
  if (broker.http !== null) io.stdout.write(`Sluice dashboard: ${broker.http.url}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, `Received ${signal}; closing`);
  await broker.close();
  return 0;
}

export const brokerCommand: Command = {
  name: 'broker',
  summary: 'Run a Kafka-compatible broker',
  usage,
  run,
};
