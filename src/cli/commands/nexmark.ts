// `sluice nexmark`: generate Nexmark events to a JSON-lines file or to a topic, or run one query
// over such a file with the local engine runtime (topic to topic: examples/nexmark/topic-job.ts
// with `sluice run`).

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateEvents } from '../../../examples/nexmark/generator.ts';
import { produceNexmarkEvents } from '../../../examples/nexmark/produce-events.ts';
import { queryNames, runNexmarkFile } from '../../../examples/nexmark/queries.ts';
import { CliError, type CliIo, type Command } from '../command.ts';

const usage = `Usage:
  sluice nexmark --query <q> --input <events.jsonl> --output <results.jsonl>
  sluice nexmark generate --output <events.jsonl> [--events N] [--rate EVENTS_PER_S] [--seed N] [--out-of-order-ms MS]
  sluice nexmark generate --bootstrap HOST:PORT --topic T [--partitions N] [--events N] [--rate ..] [--seed N]

Queries: ${queryNames().join(', ')}. Event time is each event's dateTime; watermarks allow 5 s of
out-of-orderness; at the end of the input every window closes. A query from topic to topic:
  sluice run examples/nexmark/topic-job.ts --bootstrap HOST:PORT \\
    --params '{"query":"q5","input":"nexmark","output":"nexmark-q5"}'`;

async function generate(values: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const output = values.output;
  const { bootstrap, topic } = values;
  if ((bootstrap === undefined) !== (topic === undefined))
    throw new CliError('generate to a topic needs both --bootstrap and --topic', 2);
  if (output === undefined && topic === undefined)
    throw new CliError('generate needs --output <events.jsonl>, or --bootstrap and --topic', 2);
  if (output !== undefined && topic !== undefined)
    throw new CliError('generate writes to --output or to --topic, not both', 2);
  const number = (name: string, fallback: number) => {
    const text = values[name];
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(n) || n < 0) throw new CliError(`--${name} must be a number >= 0, got '${text}'`, 2);
    return n;
  };
  const options = {
    events: number('events', 100_000),
    eventsPerSecond: number('rate', 10_000),
    startMs: 0,
    seed: number('seed', 42),
    outOfOrderMs: number('out-of-order-ms', 0),
  };
  if (options.outOfOrderMs > 5000)
    throw new CliError(`--out-of-order-ms must be at most 5000, got ${options.outOfOrderMs}`, 2);
  if (output === undefined) {
    const partitions = number('partitions', 1);
    if (!(Number.isInteger(partitions) && partitions >= 1))
      throw new CliError(`--partitions must be an integer >= 1, got '${values.partitions}'`, 2);
    const sent = await produceNexmarkEvents({ ...options, bootstrap: bootstrap!, topic: topic!, partitions });
    io.stdout.write(`wrote ${sent} events to topic '${topic}' at ${bootstrap}\n`);
    return 0;
  }
  const out = createWriteStream(output);
  let chunk = '';
  for (const event of generateEvents(options)) {
    chunk += `${JSON.stringify(event)}\n`;
    if (chunk.length >= 1 << 20 && !out.write(chunk)) await once(out, 'drain');
    if (chunk.length >= 1 << 20) chunk = '';
  }
  out.end(chunk);
  await once(out, 'finish');
  io.stdout.write(`wrote ${options.events} events to ${output}\n`);
  return 0;
}

export const nexmarkCommand: Command = {
  name: 'nexmark',
  summary: 'Run a Nexmark query over a JSON-lines file, or generate events',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const parse = () =>
      parseArgs({
        args,
        allowPositionals: true,
        options: {
          query: { type: 'string' },
          input: { type: 'string' },
          output: { type: 'string' },
          events: { type: 'string' },
          rate: { type: 'string' },
          seed: { type: 'string' },
          'out-of-order-ms': { type: 'string' },
          bootstrap: { type: 'string' },
          topic: { type: 'string' },
          partitions: { type: 'string' },
        },
      });
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse();
    } catch (error) {
      throw new CliError((error as Error).message, 2);
    }
    const { values, positionals } = parsed;
    if (positionals[0] === 'generate') return generate(values, io);
    if (positionals.length > 0) throw new CliError(`unknown mode '${positionals[0]}'; try 'generate'`, 2);
    const { query, input, output } = values;
    if (query === undefined || input === undefined || output === undefined) {
      throw new CliError('needs --query, --input and --output', 2);
    }
    if (!queryNames().includes(query))
      throw new CliError(`unknown query '${query}'; known: ${queryNames().join(', ')}`, 2);
    const started = performance.now();
    const metrics = await runNexmarkFile(query, input, output);
    const seconds = (performance.now() - started) / 1000;
    io.stderr.write(`${query}: done in ${seconds.toFixed(2)} s\n`);
    for (const [name, value] of Object.entries(metrics))
      if (value > 0) io.stderr.write(`  ${name} = ${value}\n`);
    return 0;
  },
};
