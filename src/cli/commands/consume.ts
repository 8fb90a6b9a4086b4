// `sluice consume --topic T`: prints records as they arrive, in group mode (--group: partitions
// assigned by the group, progress committed) or assign mode (--partition, or every partition).
// Stops at --max records, after --timeout-ms without a record, or on Ctrl-C; in group mode it
// commits exactly the records it printed before leaving the group.
import { once } from 'node:events';
import type { Admin } from '../../client/admin.ts';
import { Consumer, type ConsumerOptions, type TopicPartition } from '../../client/consumer.ts';
import type { TopicPartitionOffset } from '../../client/transaction-manager.ts';
import { cliLimits } from '../../limits.ts';
import { choiceFlag, intFlag, offsetFlag, parseFlags, partitionsFlag, timestampFlag } from '../args.ts';
import { toCliError } from '../client-errors.ts';
import { requireTopics, withAdmin } from '../client-session.ts';
import { type ClientSettings, clientFlags, clientSettings, clusterOptions } from '../client-settings.ts';
import { CliError, type CliIo, type Command } from '../command.ts';
import { interruptFor } from '../interrupt.ts';
import {
  formatRecord,
  parsePrintFields,
  type RecordField,
  type RecordFormat,
  recordFields,
  recordFormats,
} from '../record-format.ts';

const usage = `Usage: sluice consume --topic <topic> [--group G | --partition P[,P...]] [options]

Prints one line per record on stdout and a summary on stderr.

Where to read:
  --topic T                  the topic (required)
  --group G                  group mode: join group G; it assigns partitions and keeps offsets
  --partition P[,P...]       assign mode: read these partitions (default: all of them)
Where to start (default: the end, or the group's committed offset):
  --from-beginning           the earliest offset (group mode: where the group has no offset)
  --offset N                 offset N in each partition (assign mode only)
  --timestamp ISO|MS         the first record at or after this time
What to print:
  --format text|json|hex     text: UTF-8; hex: bytes as hex; json: one object per line (default text)
  --json                     the same as --format json
  --print FIELDS             comma-separated, in order: ${recordFields.join(',')}
                             (default: value; json: all)
  --separator SEP            between fields in text and hex (default tab; '\\t' means tab)
When to stop (default: on Ctrl-C):
  --max N                    after N records
  --timeout-ms MS            after MS milliseconds without a record
  --isolation L              read_uncommitted (default) or read_committed (skip aborted transactions)
  --bootstrap HOST:PORT      brokers to start from (default $SLUICE_BOOTSTRAP or 127.0.0.1:9092)`;

const flags = {
  ...clientFlags,
  topic: { type: 'string' },
  group: { type: 'string' },
  partition: { type: 'string', multiple: true },
  'from-beginning': { type: 'boolean' },
  offset: { type: 'string' },
  timestamp: { type: 'string' },
  format: { type: 'string' },
  print: { type: 'string' },
  separator: { type: 'string' },
  max: { type: 'string' },
  isolation: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseFlags<typeof flags>>['values'];

interface ConsumeSettings {
  topic: string;
  group: string | undefined;
  partitions: number[] | undefined;
  fromBeginning: boolean;
  offset: bigint | undefined;
  timestampMs: number | undefined;
  format: RecordFormat;
  fields: RecordField[];
  separator: string;
  max: number | undefined;
  idleMs: number | undefined;
  isolation: 'read_committed' | 'read_uncommitted';
}

function consumeSettings(values: Values): ConsumeSettings {
  const topic = values.topic;
  if (topic === undefined || topic === '') throw new CliError('needs --topic <topic>', 2);
  const group = values.group;
  const partitions = partitionsFlag(values.partition);
  if (group !== undefined && partitions !== undefined)
    throw new CliError('--group and --partition exclude each other: the group assigns partitions', 2);
  const starts = [
    values['from-beginning'] === true,
    values.offset !== undefined,
    values.timestamp !== undefined,
  ];
  if (starts.filter(Boolean).length > 1)
    throw new CliError('give at most one of --from-beginning, --offset and --timestamp', 2);
  if (group !== undefined && values.offset !== undefined)
    throw new CliError(
      '--offset needs assign mode (--partition); to move a group, use `sluice groups reset-offsets`',
      2,
    );
  const format =
    choiceFlag(values.format, 'format', recordFormats) ?? (values.json === true ? 'json' : 'text');
  if (values.json === true && format !== 'json')
    throw new CliError(`--json and --format ${format} contradict each other`, 2);
  return {
    topic,
    group,
    partitions,
    fromBeginning: values['from-beginning'] === true,
    offset: values.offset === undefined ? undefined : offsetFlag(values.offset, 'offset'),
    timestampMs: values.timestamp === undefined ? undefined : timestampFlag(values.timestamp, 'timestamp'),
    format,
    fields: parsePrintFields(values.print, format),
    separator: (values.separator ?? '\t').replaceAll('\\t', '\t'),
    max: intFlag(values.max, 'max', 1),
    idleMs: intFlag(values['timeout-ms'], 'timeout-ms', 1, cliLimits.operationTimeoutMsMax),
    isolation:
      choiceFlag(values.isolation, 'isolation', ['read_uncommitted', 'read_committed']) ?? 'read_uncommitted',
  };
}

/** Partitions to read in assign mode, checked against the topic (which must exist). */
async function partitionsToAssign(client: ClientSettings, s: ConsumeSettings): Promise<TopicPartition[]> {
  return withAdmin(client, `read metadata of '${s.topic}'`, async (admin: Admin) => {
    await requireTopics(admin, [s.topic], client);
    const [info] = await admin.describeTopics([s.topic]);
    const all = info?.partitions.map((p) => p.partition) ?? [];
    const wanted = s.partitions ?? all;
    const missing = wanted.filter((p) => !all.includes(p));
    if (missing.length > 0)
      throw new CliError(
        `Cannot read partition ${missing.join(', ')} of '${s.topic}': it has partitions 0-${all.length - 1}`,
      );
    return wanted.map((partition) => ({ topic: s.topic, partition }));
  });
}

async function write(io: CliIo, text: string): Promise<void> {
  if (!io.stdout.write(text)) await once(io.stdout, 'drain');
}

/** The consume loop: prints until --max, idle timeout or the signal; returns how many it printed. */
async function printRecords(
  consumer: Consumer,
  io: CliIo,
  s: ConsumeSettings,
  signal: AbortSignal,
  printed: Map<string, TopicPartitionOffset>,
): Promise<number> {
  const stopped = new Promise<'stopped'>((resolve) => {
    if (signal.aborted) resolve('stopped');
    signal.addEventListener('abort', () => resolve('stopped'), { once: true });
  });
  let count = 0;
  while (s.max === undefined || count < s.max) {
    const batch = await Promise.race([consumer.nextBatch(s.idleMs), stopped]);
    if (batch === 'stopped' || batch === null) break;
    const room = s.max === undefined ? batch.records.length : s.max - count;
    const records = batch.records.slice(0, room);
    let text = '';
    for (const r of records) text += `${formatRecord(r, s.fields, s.format, s.separator)}\n`;
    await write(io, text);
    count += records.length;
    const last = records.at(-1);
    if (last !== undefined)
      printed.set(`${batch.topic}\0${batch.partition}`, {
        topic: batch.topic,
        partition: batch.partition,
        offset: last.offset + 1n,
      });
  }
  return count;
}

function consumerOptions(client: ClientSettings, s: ConsumeSettings): ConsumerOptions {
  return {
    ...clusterOptions({
      ...client,
      timeoutMs: Math.min(client.timeoutMs, cliLimits.operationTimeoutMsDefault),
    }),
    isolationLevel: s.isolation,
    autoOffsetReset: s.fromBeginning ? 'earliest' : 'latest',
    // Commits are ours: exactly the printed records, which --max may cut mid-batch.
    autoCommit: false,
    ...(s.group === undefined ? {} : { groupId: s.group }),
  };
}

export const consumeCommand: Command = {
  name: 'consume',
  summary: 'Print records of a topic (group or assigned partitions)',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(args, flags);
    if (positionals.length > 0) throw new CliError(`takes no arguments, got '${positionals.join(' ')}'`, 2);
    // --timeout-ms here is the idle timeout; requests keep the default bound.
    const client = clientSettings({ bootstrap: values.bootstrap, json: values.json });
    const s = consumeSettings(values);
    const assigned = s.group === undefined ? await partitionsToAssign(client, s) : null;
    if (assigned === null)
      await withAdmin(client, `find topic '${s.topic}'`, (a) => requireTopics(a, [s.topic], client));
    const seen = new Set<number>();
    const options = consumerOptions(client, s);
    let seekFailure: unknown = null;
    const consumer: Consumer = new Consumer({
      ...options,
      // Group mode with --timestamp: seek each partition the first time the group hands it over.
      onAssigned: (tps) => {
        const fresh = tps.filter((tp) => !seen.has(tp.partition));
        for (const tp of fresh) seen.add(tp.partition);
        if (s.timestampMs !== undefined && fresh.length > 0)
          consumer.seekToTimestamp(s.timestampMs, fresh).catch((e: unknown) => {
            seekFailure = e;
          });
      },
    });
    const interrupt = interruptFor(io);
    const printed = new Map<string, TopicPartitionOffset>();
    let count = 0;
    let failure: unknown = null;
    // A long-running group consumer commits as it goes, so a crash repeats little; a failed
    // periodic commit (say, during a rebalance) is retried by the next one and the final one.
    const committer =
      s.group === undefined
        ? null
        : setInterval(() => {
            if (printed.size > 0) consumer.commit([...printed.values()]).catch(() => undefined);
          }, cliLimits.consumeCommitIntervalMs);
    committer?.unref();
    try {
      if (assigned !== null) {
        consumer.assign(assigned);
        if (s.offset !== undefined)
          for (const tp of assigned) consumer.seek(tp.topic, tp.partition, s.offset);
        else if (s.timestampMs !== undefined) await consumer.seekToTimestamp(s.timestampMs);
      } else {
        consumer.subscribe([s.topic]);
      }
      count = await printRecords(consumer, io, s, interrupt.signal, printed);
      if (seekFailure !== null) throw seekFailure;
    } catch (error) {
      failure = error;
    }
    if (committer !== null) clearInterval(committer);
    let committed = false;
    try {
      if (s.group !== undefined && printed.size > 0) {
        await consumer.commit([...printed.values()]);
        committed = true;
      }
    } catch (error) {
      failure ??= error;
    } finally {
      interrupt.dispose();
      await consumer.close().catch(() => undefined);
    }
    io.stderr.write(
      `consumed ${count} record${count === 1 ? '' : 's'} from '${s.topic}'${committed ? ` (group '${s.group}', offsets committed)` : ''}\n`,
    );
    if (failure !== null) throw toCliError(failure, client) ?? failure;
    return 0;
  },
};
