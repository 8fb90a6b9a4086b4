// `sluice topics list|create|describe|alter|delete`: topic administration against any Kafka
// cluster through the client's Admin.
import type { Admin, ConfigChange, ConfigEntry, TopicDescription } from '../../client/admin.ts';
import { KafkaError } from '../../client/errors.ts';
import { ErrorCode } from '../../protocol/error-codes.ts';
import { intFlag, keyValueFlags, parseFlags } from '../args.ts';
import { requireTopics, withAdmin } from '../client-session.ts';
import { type ClientSettings, clientFlags, clientFlagsUsage, clientSettings } from '../client-settings.ts';
import { CliError, type CliIo, type Command } from '../command.ts';
import { writeJson } from '../json-output.ts';
import { formatTable } from '../table.ts';

const usage = `Usage:
  sluice topics list [--internal]
  sluice topics create <topic> [--partitions N] [--replication-factor N] [--config K=V]... [--if-not-exists]
  sluice topics describe <topic>... [--all-configs]
  sluice topics alter <topic> [--config K=V]... [--delete-config K]... [--partitions N]
  sluice topics delete <topic>... [--if-exists]

  --partitions N          create: partitions (default: the broker's num.partitions);
                          alter: grow the topic to N partitions in total
  --replication-factor N  create: replicas per partition (default: the broker's)
  --config K=V            a topic config such as retention.ms=3600000 (repeatable)
  --delete-config K       alter: return a config to its default (repeatable)
  --all-configs           describe: list every config, not only those set on the topic
  --internal              list: include internal topics such as __consumer_offsets
  --if-not-exists         create: succeed when the topic already exists
  --if-exists             delete: succeed when a topic does not exist

${clientFlagsUsage}`;

const flags = {
  ...clientFlags,
  partitions: { type: 'string' },
  'replication-factor': { type: 'string' },
  config: { type: 'string', multiple: true },
  'delete-config': { type: 'string', multiple: true },
  'all-configs': { type: 'boolean' },
  internal: { type: 'boolean' },
  'if-not-exists': { type: 'boolean' },
  'if-exists': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseFlags<typeof flags>>['values'];

function isCode(error: unknown, code: number): boolean {
  return error instanceof KafkaError && error.code === code;
}

async function list(io: CliIo, s: ClientSettings, values: Values): Promise<number> {
  const topics = await withAdmin(s, 'list topics', async (admin) => {
    const names = await admin.listTopics({ includeInternal: values.internal === true });
    if (names.length === 0) return [];
    const described = await admin.describeTopics(names);
    return described.map((t) => ({ name: t.name, partitions: t.partitions.length, internal: t.internal }));
  });
  if (s.json) writeJson(io.stdout, topics);
  else if (topics.length === 0) io.stdout.write('no topics\n');
  else
    io.stdout.write(
      formatTable(
        [{ title: 'TOPIC' }, { title: 'PARTITIONS', align: 'right' }],
        topics.map((t) => [t.name, t.partitions]),
      ),
    );
  return 0;
}

async function create(io: CliIo, s: ClientSettings, values: Values, names: string[]): Promise<number> {
  const [topic] = names;
  if (topic === undefined || names.length > 1) throw new CliError('create needs exactly one topic name', 2);
  const partitions = intFlag(values.partitions, 'partitions', 1, 1_000_000);
  const replicationFactor = intFlag(values['replication-factor'], 'replication-factor', 1, 32_767);
  const configs = Object.fromEntries(keyValueFlags(values.config, 'config'));
  const created = await withAdmin(s, `create topic '${topic}'`, async (admin) => {
    try {
      await admin.createTopics([
        {
          topic,
          configs,
          ...(partitions === undefined ? {} : { partitions }),
          ...(replicationFactor === undefined ? {} : { replicationFactor }),
        },
      ]);
      return true;
    } catch (error) {
      if (values['if-not-exists'] === true && isCode(error, ErrorCode.topicAlreadyExists)) return false;
      throw error;
    }
  });
  if (s.json) writeJson(io.stdout, { topic, created });
  else io.stdout.write(created ? `created topic '${topic}'\n` : `topic '${topic}' already exists\n`);
  return 0;
}

interface DescribedTopic {
  description: TopicDescription;
  configs: ConfigEntry[];
}

async function describe(io: CliIo, s: ClientSettings, values: Values, names: string[]): Promise<number> {
  if (names.length === 0) throw new CliError('describe needs at least one topic name', 2);
  const topics = await withAdmin(s, `describe ${names.join(', ')}`, async (admin) => {
    await requireTopics(admin, names, s);
    const out: DescribedTopic[] = [];
    for (const description of await admin.describeTopics(names, { offsets: true })) {
      out.push({ description, configs: await admin.describeConfigs('topic', description.name) });
    }
    return out;
  });
  const allConfigs = values['all-configs'] === true;
  const shown = (configs: ConfigEntry[]) => configs.filter((c) => allConfigs || !c.isDefault);
  if (s.json) {
    writeJson(
      io.stdout,
      topics.map(({ description: d, configs }) => ({
        name: d.name,
        topicId: d.topicId,
        internal: d.internal,
        partitions: d.partitions.map((p) => ({
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          startOffset: p.earliestOffset,
          endOffset: p.latestOffset,
        })),
        configs: Object.fromEntries(shown(configs).map((c) => [c.name, c.isSensitive ? null : c.value])),
      })),
    );
    return 0;
  }
  const blocks = topics.map(({ description: d, configs }) => {
    const partitions = formatTable(
      ['PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'START', 'END', 'RECORDS'].map((title, i) => ({
        title,
        align: i === 2 || i === 3 ? ('left' as const) : ('right' as const),
      })),
      d.partitions.map((p) => [
        p.partition,
        p.leader,
        p.replicas.join(','),
        p.isr.join(','),
        p.earliestOffset,
        p.latestOffset,
        p.earliestOffset === undefined || p.latestOffset === undefined
          ? undefined
          : p.latestOffset - p.earliestOffset,
      ]),
    );
    const entries = shown(configs);
    const configText =
      entries.length === 0
        ? '  (none set on the topic; --all-configs shows the defaults)\n'
        : formatTable(
            [{ title: 'CONFIG' }, { title: 'VALUE' }],
            entries.map((c) => [c.name, c.isSensitive ? '(sensitive)' : c.value]),
          );
    return `Topic ${d.name}  id ${d.topicId}  partitions ${d.partitions.length}${d.internal ? '  internal' : ''}\n${partitions}\nConfigs${allConfigs ? '' : ' set on the topic'}:\n${configText}`;
  });
  io.stdout.write(blocks.join('\n'));
  return 0;
}

function configChanges(values: Values): ConfigChange[] {
  const sets: ConfigChange[] = keyValueFlags(values.config, 'config').map(([name, value]) => ({
    name,
    value,
    op: 'set',
  }));
  const deletes: ConfigChange[] = (values['delete-config'] ?? []).map((name) => ({ name, op: 'delete' }));
  return [...sets, ...deletes];
}

async function alter(io: CliIo, s: ClientSettings, values: Values, names: string[]): Promise<number> {
  const [topic] = names;
  if (topic === undefined || names.length > 1) throw new CliError('alter needs exactly one topic name', 2);
  const changes = configChanges(values);
  const partitions = intFlag(values.partitions, 'partitions', 1, 1_000_000);
  if (changes.length === 0 && partitions === undefined)
    throw new CliError('alter needs --config K=V, --delete-config K or --partitions N', 2);
  await withAdmin(s, `alter topic '${topic}'`, async (admin: Admin) => {
    await requireTopics(admin, [topic], s);
    if (changes.length > 0) await admin.alterConfigs('topic', topic, changes);
    if (partitions !== undefined) {
      const [current] = await admin.describeTopics([topic]);
      if (current !== undefined && current.partitions.length !== partitions)
        await admin.createPartitions(topic, partitions);
    }
  });
  if (s.json) writeJson(io.stdout, { topic, configChanges: changes, partitions: partitions ?? null });
  else {
    const done = [
      ...changes.map((c) => (c.op === 'delete' ? `${c.name} reset to default` : `${c.name}=${c.value}`)),
      ...(partitions === undefined ? [] : [`${partitions} partitions`]),
    ];
    io.stdout.write(`altered topic '${topic}': ${done.join(', ')}\n`);
  }
  return 0;
}

async function remove(io: CliIo, s: ClientSettings, values: Values, names: string[]): Promise<number> {
  if (names.length === 0) throw new CliError('delete needs at least one topic name', 2);
  const deleted = await withAdmin(s, `delete ${names.join(', ')}`, async (admin) => {
    const out: string[] = [];
    // One at a time, so --if-exists can skip exactly the missing ones.
    for (const name of names) {
      try {
        await admin.deleteTopics([name]);
        out.push(name);
      } catch (error) {
        if (!(values['if-exists'] === true && isCode(error, ErrorCode.unknownTopicOrPartition))) throw error;
      }
    }
    return out;
  });
  if (s.json) writeJson(io.stdout, { deleted });
  else
    for (const name of names)
      io.stdout.write(
        deleted.includes(name) ? `deleted topic '${name}'\n` : `topic '${name}' does not exist\n`,
      );
  return 0;
}

const subcommands = { list, create, describe, alter, delete: remove } as const;

export const topicsCommand: Command = {
  name: 'topics',
  summary: 'List, create, describe, alter and delete topics',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(args, flags);
    const [sub, ...names] = positionals;
    if (sub === undefined || !(sub in subcommands))
      throw new CliError(
        `${sub === undefined ? 'needs a subcommand' : `unknown subcommand '${sub}'`}: one of ${Object.keys(subcommands).join(', ')}`,
        2,
      );
    const settings = clientSettings(values);
    if (sub === 'list' && names.length > 0) throw new CliError('list takes no topic names', 2);
    return subcommands[sub as keyof typeof subcommands](io, settings, values, names);
  },
};
