// `sluice produce --topic T`: one record per stdin line, through the client's Producer. Memory
// stays bounded: one line is read at a time, and reading waits while the records sent and not
// yet acknowledged exceed cliLimits.produceUnackedBytesMax.

import { Producer, type ProducerOptions, type ProducerRecord } from '../../client/producer.ts';
import { cliLimits } from '../../limits.ts';
import type { CompressionName } from '../../protocol/compression/codec.ts';
import { choiceFlag, intFlag, keyValueFlags, parseFlags } from '../args.ts';
import { toCliError } from '../client-errors.ts';
import { probeBootstrap } from '../client-session.ts';
import {
  type ClientSettings,
  clientFlags,
  clientFlagsUsage,
  clientSettings,
  clusterOptions,
} from '../client-settings.ts';
import { CliError, type CliIo, type Command } from '../command.ts';
import { interruptFor } from '../interrupt.ts';
import { writeJson } from '../json-output.ts';
import { readLines } from '../line-reader.ts';

const compressions = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const satisfies readonly CompressionName[];

const usage = `Usage: sluice produce --topic <topic> [options] < lines

Sends one record per line of stdin and prints how many were acknowledged.

  --topic T                 the topic to write to (required)
  --key-separator SEP       split each line at the first SEP into key and value ('\\t' means tab);
                            a line without SEP fails. Without it, lines are values with no key
  --header K=V              a header on every record (repeatable)
  --partition N             write every record to partition N (default: by key, sticky without)
  --rate N[/s]              send at most N records per second
  --compression C           none, gzip, snappy, lz4 or zstd (default none)
  --acks A                  0, 1 or all (default all, idempotent)
  --transactional-id ID     write all lines in one transaction, committed at the end of input
                            and aborted on an error or Ctrl-C
  --timeout-ms MS           longest a record may take to be acknowledged

${clientFlagsUsage}`;

const flags = {
  ...clientFlags,
  topic: { type: 'string' },
  'key-separator': { type: 'string' },
  header: { type: 'string', multiple: true },
  partition: { type: 'string' },
  rate: { type: 'string' },
  compression: { type: 'string' },
  acks: { type: 'string' },
  'transactional-id': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseFlags<typeof flags>>['values'];

interface ProduceSettings {
  topic: string;
  keySeparator: Buffer | null;
  headers: { key: string; value: string }[];
  partition: number | undefined;
  ratePerSecond: number | undefined;
  producer: ProducerOptions;
}

function parseRate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = intFlag(text.replace(/\/s$/, ''), 'rate', 1, cliLimits.produceRatePerSecondMax);
  return n;
}

function produceSettings(values: Values, client: ClientSettings): ProduceSettings {
  const topic = values.topic;
  if (topic === undefined || topic === '') throw new CliError('needs --topic <topic>', 2);
  const separator = values['key-separator'];
  if (separator === '') throw new CliError('--key-separator must not be empty', 2);
  const acks = choiceFlag(values.acks, 'acks', ['0', '1', 'all', '-1']);
  const compression = choiceFlag(values.compression, 'compression', compressions);
  const transactionalId = values['transactional-id'];
  const producer: ProducerOptions = {
    ...clusterOptions(client),
    deliveryTimeoutMs: client.timeoutMs,
    ...(acks === undefined
      ? {}
      : { acks: acks === 'all' || acks === '-1' ? 'all' : (Number(acks) as 0 | 1) }),
    ...(compression === undefined ? {} : { compression }),
    ...(transactionalId === undefined ? {} : { transactionalId }),
  };
  return {
    topic,
    keySeparator: separator === undefined ? null : Buffer.from(separator.replaceAll('\\t', '\t'), 'utf8'),
    headers: keyValueFlags(values.header, 'header').map(([key, value]) => ({ key, value })),
    partition: intFlag(values.partition, 'partition', 0, 2 ** 31 - 1),
    ratePerSecond: parseRate(values.rate),
    producer,
  };
}

function toRecord(line: Buffer, lineNumber: number, s: ProduceSettings): ProducerRecord {
  let key: Buffer | null = null;
  let value = line;
  if (s.keySeparator !== null) {
    const at = line.indexOf(s.keySeparator);
    if (at < 0)
      throw new CliError(
        `line ${lineNumber} has no key separator ${JSON.stringify(s.keySeparator.toString())}: ` +
          'every line needs KEY<separator>VALUE, or leave out --key-separator',
      );
    key = line.subarray(0, at);
    value = line.subarray(at + s.keySeparator.length);
  }
  return {
    topic: s.topic,
    key,
    value,
    ...(s.headers.length === 0 ? {} : { headers: s.headers }),
    ...(s.partition === undefined ? {} : { partition: s.partition }),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

interface Tally {
  read: number;
  acked: number;
  perPartition: Map<number, number>;
  failure: Error | null;
}

/** Sends every line; returns when input ends, a send fails, or the signal fires. */
async function pump(producer: Producer, io: CliIo, s: ProduceSettings, signal: AbortSignal, tally: Tally) {
  let unackedBytes = 0;
  let outstanding = 0;
  let wake: (() => void) | null = null;
  const settled = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const started = performance.now();
  const stopped = new Promise<'stopped'>((resolve) =>
    signal.addEventListener('abort', () => resolve('stopped')),
  );
  const lines = readLines(io.stdin as AsyncIterable<Buffer>, cliLimits.produceLineBytesMax);
  // Each turn reads one line (or notices Ctrl-C while stdin is idle) and hands it to the producer.
  try {
    for (;;) {
      const next = await Promise.race([lines.next(), stopped]);
      if (next === 'stopped' || next.done === true || tally.failure !== null) break;
      const record = toRecord(next.value, tally.read + 1, s);
      tally.read++;
      const bytes = next.value.length + 64;
      unackedBytes += bytes;
      outstanding++;
      producer
        .send(record)
        .then(
          (m) => {
            tally.acked++;
            tally.perPartition.set(m.partition, (tally.perPartition.get(m.partition) ?? 0) + 1);
          },
          (error: Error) => {
            tally.failure ??= error;
          },
        )
        .finally(() => {
          unackedBytes -= bytes;
          outstanding--;
          wake?.();
        });
      // Producer.send() looks up an unknown topic per call, so records sent before the first
      // lookup finishes can land out of order; after the first acknowledgement it is cached.
      while (
        (unackedBytes > cliLimits.produceUnackedBytesMax || (tally.read === 1 && outstanding > 0)) &&
        tally.failure === null &&
        !signal.aborted
      )
        await settled();
      if (s.ratePerSecond !== undefined) {
        // Cumulative schedule: record n is due at n/rate seconds, so short sleeps never add up to drift.
        const dueMs = (tally.read * 1000) / s.ratePerSecond - (performance.now() - started);
        if (dueMs >= 1) await sleep(dueMs, signal);
      }
    }
  } finally {
    // After Ctrl-C a read may still be pending on an idle terminal: end stdin rather than wait for it.
    if (signal.aborted) (io.stdin as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    else await lines.return(undefined);
    // Producer.flush() does not wait for a send() still looking up its partition: wait for each here.
    while (outstanding > 0) await settled();
  }
}

export const produceCommand: Command = {
  name: 'produce',
  summary: 'Send stdin lines as records to a topic',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(args, flags);
    if (positionals.length > 0) throw new CliError(`takes no arguments, got '${positionals.join(' ')}'`, 2);
    const client = clientSettings(values);
    const s = produceSettings(values, client);
    let producer: Producer;
    try {
      producer = new Producer(s.producer);
    } catch (error) {
      throw toCliError(error, client) ?? error;
    }
    try {
      await probeBootstrap(client);
    } catch (error) {
      await producer.close();
      throw error;
    }
    const interrupt = interruptFor(io);
    const tally: Tally = { read: 0, acked: 0, perPartition: new Map(), failure: null };
    const transactional = s.producer.transactionalId !== undefined;
    let outcome: 'committed' | 'aborted' | null = null;
    try {
      if (transactional) {
        await producer.initTransactions();
        producer.beginTransaction();
      }
      await pump(producer, io, s, interrupt.signal, tally).catch((error: unknown) => {
        tally.failure ??= error as Error;
      });
      await producer.flush();
      if (transactional) {
        if (tally.failure === null && !interrupt.signal.aborted) {
          await producer.commitTransaction();
          outcome = 'committed';
        } else {
          await producer.abortTransaction();
          outcome = 'aborted';
        }
      }
    } catch (error) {
      tally.failure ??= error as Error;
    } finally {
      interrupt.dispose();
      await producer.close().catch(() => undefined);
    }
    // Records of an aborted transaction are acknowledged but will never be read committed.
    const delivered = outcome === 'aborted' ? 0 : tally.acked;
    if (client.json) {
      writeJson(io.stdout, {
        topic: s.topic,
        records: delivered,
        read: tally.read,
        partitions: Object.fromEntries([...tally.perPartition].sort((a, b) => a[0] - b[0])),
        ...(outcome === null ? {} : { transaction: outcome }),
      });
    } else {
      const txn = outcome === null ? '' : ` (transaction ${outcome})`;
      io.stdout.write(`produced ${delivered} of ${tally.read} records to '${s.topic}'${txn}\n`);
    }
    if (tally.failure !== null) {
      const mapped = toCliError(tally.failure, client);
      if (mapped === undefined) throw tally.failure;
      io.stderr.write(`sluice produce: ${mapped.message}\n`);
      return mapped.exitCode === 2 ? 2 : 1;
    }
    return 0;
  },
};
