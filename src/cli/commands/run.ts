// `sluice run path/to/job.ts`: runs a job module (a module exporting `job(params)`) with the
// engine: on worker threads (one per core by default), resuming from --checkpoint-dir if it
// holds a checkpoint. Ctrl-C stops an unbounded job after its current step; the last completed
// checkpoint is what a later run resumes from. Topic sources and sinks use --bootstrap (any Kafka
// cluster) or --embedded (a broker started in this process, read and written without TCP).
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import type { LogOption } from '../../connectors/resolve-log.ts';
import { parseTriggerArgument } from '../../engine/controller/trigger.ts';
import { EngineError } from '../../engine/engine-error.ts';
import type { OutputMode } from '../../engine/operators/operator.ts';
import { startJob } from '../../engine/run-job.ts';
import { CliError, type CliIo, type Command } from '../command.ts';

const usage = `Usage:
  sluice run <job.ts> [--parallelism N] [--executors N] [--checkpoint-dir DIR]
                      [--trigger T] [--output-mode append|update|complete]
                      [--params JSON] [--export NAME]
                      [--bootstrap HOST:PORT | --embedded [--data-dir DIR]]

  <job.ts>            a module exporting a function job(params) that returns a Job
  --parallelism N     tasks per stage after a shuffle, and worker threads (default: cores)
  --executors N       worker threads, if not the same as --parallelism (1: in this thread)
  --checkpoint-dir    where checkpoints go; an existing checkpoint there is resumed from
  --trigger T         continuous[:INTERVAL] (default continuous:1 second),
                      processing-time:INTERVAL, once, available-now[:RECORDS]
  --params JSON       passed to job(params)
  --export NAME       the factory's export name (default: job)
  --bootstrap H:P     the Kafka cluster topic sources and sinks use (Sluice or Apache Kafka)
  --embedded          start a broker in this process for them (data in --data-dir, default a
                      temporary directory); worker threads reach it over loopback TCP`;

function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= 1))
    throw new CliError(`--${name} must be an integer >= 1, got '${text}'`, 2);
  return n;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a stream-processing job module on worker threads',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    let parsed: ReturnType<typeof parse>;
    function parse() {
      return parseArgs({
        args,
        allowPositionals: true,
        options: {
          parallelism: { type: 'string' },
          executors: { type: 'string' },
          'checkpoint-dir': { type: 'string' },
          trigger: { type: 'string' },
          'output-mode': { type: 'string' },
          params: { type: 'string' },
          export: { type: 'string' },
          bootstrap: { type: 'string' },
          embedded: { type: 'boolean' },
          'data-dir': { type: 'string' },
        },
      });
    }
    try {
      parsed = parse();
    } catch (error) {
      throw new CliError((error as Error).message, 2);
    }
    const { values, positionals } = parsed;
    const module = positionals[0];
    if (module === undefined || positionals.length > 1)
      throw new CliError('needs exactly one job module path', 2);
    const parallelism = positiveInt(values.parallelism, 'parallelism');
    const executors = positiveInt(values.executors, 'executors') ?? parallelism ?? availableParallelism();
    const mode = values['output-mode'];
    if (mode !== undefined && mode !== 'append' && mode !== 'update' && mode !== 'complete')
      throw new CliError(`--output-mode must be append, update or complete, got '${mode}'`, 2);
    let params: unknown;
    try {
      params = values.params === undefined ? undefined : JSON.parse(values.params);
    } catch (error) {
      throw new CliError(`--params is not JSON: ${(error as Error).message}`, 2);
    }
    if (values.bootstrap !== undefined && values.embedded === true)
      throw new CliError('give --bootstrap or --embedded, not both', 2);
    if (values['data-dir'] !== undefined && values.embedded !== true)
      throw new CliError('--data-dir is for --embedded', 2);
    const broker =
      values.embedded === true
        ? await (await import('../../broker/broker.ts')).startBroker(
            values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] },
          )
        : null;
    const log: LogOption | undefined =
      broker ?? (values.bootstrap === undefined ? undefined : { bootstrap: values.bootstrap });
    if (broker !== null)
      io.stderr.write(`embedded broker at ${broker.bootstrap} (data in ${broker.dataDir})\n`);
    try {
      const started = performance.now();
      const running = await startJob(
        { module, ...(values.export === undefined ? {} : { exportName: values.export }), params },
        {
          executors,
          ...(parallelism === undefined ? {} : { parallelism }),
          ...(values['checkpoint-dir'] === undefined ? {} : { checkpointDir: values['checkpoint-dir'] }),
          ...(values.trigger === undefined ? {} : { trigger: parseTriggerArgument(values.trigger) }),
          ...(mode === undefined ? {} : { outputMode: mode as OutputMode }),
          ...(log === undefined ? {} : { log }),
        },
      );
      io.stderr.write(`running on ${running.executors} executor(s):\n${running.plan}\n`);
      const stop = () => running.stop();
      process.once('SIGINT', stop);
      const result = await running.done.finally(() => process.off('SIGINT', stop));
      const seconds = (performance.now() - started) / 1000;
      io.stderr.write(
        `${result.state} in ${seconds.toFixed(2)} s; last checkpoint ${result.lastCheckpoint?.id ?? 'none'}\n`,
      );
      for (const o of result.metrics.operators)
        io.stderr.write(
          `  ${o.name}#${o.task} (executor ${o.executor}): in ${o.recordsIn}, out ${o.recordsOut}\n`,
        );
      for (const [name, value] of Object.entries(result.metrics.counters))
        if (value > 0) io.stderr.write(`  ${name} = ${value}\n`);
      return 0;
    } catch (error) {
      if (error instanceof EngineError) throw new CliError(error.message, 1);
      throw error;
    } finally {
      await broker?.close();
    }
  },
};
