// `sluice groups list|describe|reset-offsets|delete`: consumer groups, their members, committed
// offsets and lag, against any Kafka cluster through the client's Admin.
import type { Admin, GroupDescription } from '../../client/admin.ts';
import type { CommittedOffset } from '../../client/group-offsets.ts';
import type { OffsetSpec } from '../../client/list-offsets.ts';
import { offsetFlag, parseFlags, partitionsFlag, timestampFlag } from '../args.ts';
import { requireTopics, withAdmin } from '../client-session.ts';
import { type ClientSettings, clientFlags, clientFlagsUsage, clientSettings } from '../client-settings.ts';
import { CliError, type CliIo, type Command } from '../command.ts';
import { writeJson } from '../json-output.ts';
import { formatTable } from '../table.ts';

const usage = `Usage:
  sluice groups list
  sluice groups describe <group>
  sluice groups reset-offsets <group> (--topic T... | --all-topics) [--partition P[,P...]]
                              (--to-earliest | --to-latest | --to-offset N | --to-datetime ISO|MS)
                              [--execute]
  sluice groups delete <group>...

  describe        state, members and their partitions, committed offset, end offset and lag
                  per partition, and the total lag
  reset-offsets   shows the new offsets (a dry run) unless --execute; the group must have no
                  members (stop its consumers first). --to-offset is clamped to each
                  partition's range; --to-datetime picks the first record at or after the time
  delete          removes groups that have no members, with their committed offsets

${clientFlagsUsage}`;

const flags = {
  ...clientFlags,
  topic: { type: 'string', multiple: true },
  'all-topics': { type: 'boolean' },
  partition: { type: 'string', multiple: true },
  'to-earliest': { type: 'boolean' },
  'to-latest': { type: 'boolean' },
  'to-offset': { type: 'string' },
  'to-datetime': { type: 'string' },
  execute: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseFlags<typeof flags>>['values'];

async function list(io: CliIo, s: ClientSettings): Promise<number> {
  const groups = await withAdmin(s, 'list groups', (admin) => admin.listGroups());
  if (s.json) writeJson(io.stdout, groups);
  else if (groups.length === 0) io.stdout.write('no groups\n');
  else
    io.stdout.write(
      formatTable(
        [{ title: 'GROUP' }, { title: 'STATE' }, { title: 'TYPE' }, { title: 'PROTOCOL-TYPE' }],
        groups.map((g) => [g.groupId, g.state, g.type, g.protocolType]),
      ),
    );
  return 0;
}

interface PartitionLag {
  topic: string;
  partition: number;
  /** null when the group has committed nothing for the partition. */
  committed: bigint | null;
  end: bigint;
  lag: bigint | null;
  memberId: string | null;
  clientId: string | null;
}

const tpKey = (topic: string, partition: number) => `${topic}\0${partition}`;

function groupMissing(groupId: string, s: ClientSettings): CliError {
  return new CliError(
    `Cannot describe group '${groupId}': it does not exist on ${s.bootstrap}; ` +
      `list groups with \`sluice groups list --bootstrap ${s.bootstrap}\``,
  );
}

/** Committed offsets, end offsets and owners of every partition the group has offsets for or is assigned. */
async function lagOf(admin: Admin, group: GroupDescription): Promise<PartitionLag[]> {
  const committed = (await admin.listConsumerGroupOffsets(group.groupId)).filter((c) => c.offset >= 0n);
  const owners = new Map<string, { memberId: string; clientId: string }>();
  for (const m of group.members)
    for (const a of m.assignment)
      for (const p of a.partitions)
        owners.set(tpKey(a.topic, p), { memberId: m.memberId, clientId: m.clientId });
  const partitions = new Map<string, { topic: string; partition: number }>();
  for (const c of committed) partitions.set(tpKey(c.topic, c.partition), c);
  for (const k of owners.keys()) {
    const [topic, p] = k.split('\0') as [string, string];
    partitions.set(k, { topic, partition: Number(p) });
  }
  const queries = [...partitions.values()].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
  );
  if (queries.length === 0) return [];
  const ends = await admin.listOffsets(queries.map((q) => ({ ...q, spec: 'latest' as const })));
  const committedBy = new Map(committed.map((c: CommittedOffset) => [tpKey(c.topic, c.partition), c.offset]));
  return ends.map((e) => {
    const k = tpKey(e.topic, e.partition);
    const c = committedBy.get(k) ?? null;
    const owner = owners.get(k);
    return {
      topic: e.topic,
      partition: e.partition,
      committed: c,
      end: e.offset,
      lag: c === null ? null : e.offset > c ? e.offset - c : 0n,
      memberId: owner?.memberId ?? null,
      clientId: owner?.clientId ?? null,
    };
  });
}

async function describe(io: CliIo, s: ClientSettings, names: string[]): Promise<number> {
  const [groupId] = names;
  if (groupId === undefined || names.length > 1) throw new CliError('describe needs exactly one group id', 2);
  const { group, lag } = await withAdmin(s, `describe group '${groupId}'`, async (admin) => {
    const [group] = await admin.describeGroups([groupId]);
    const lag = group === undefined ? [] : await lagOf(admin, group);
    if (group === undefined || (group.state === 'Dead' && lag.length === 0)) throw groupMissing(groupId, s);
    return { group, lag };
  });
  const totalLag = lag.reduce((sum, p) => sum + (p.lag ?? 0n), 0n);
  if (s.json) {
    writeJson(io.stdout, { ...group, partitions: lag, totalLag });
    return 0;
  }
  let text = `Group ${group.groupId}  state ${group.state}  protocol ${group.protocol || '-'}  members ${group.members.length}\n`;
  if (group.members.length > 0) {
    text += `\n${formatTable(
      [{ title: 'MEMBER' }, { title: 'CLIENT-ID' }, { title: 'HOST' }, { title: 'ASSIGNMENT' }],
      group.members.map((m) => [
        m.memberId,
        m.clientId,
        m.clientHost,
        m.assignment.map((a) => `${a.topic}:${a.partitions.join(',')}`).join(' ') || '-',
      ]),
    )}`;
  }
  if (lag.length > 0) {
    text += `\n${formatTable(
      [
        { title: 'TOPIC' },
        { title: 'PARTITION', align: 'right' },
        { title: 'COMMITTED', align: 'right' },
        { title: 'END', align: 'right' },
        { title: 'LAG', align: 'right' },
        { title: 'CLIENT-ID' },
      ],
      lag.map((p) => [p.topic, p.partition, p.committed, p.end, p.lag, p.clientId]),
    )}`;
  }
  text += `\nTotal lag: ${totalLag}\n`;
  io.stdout.write(text);
  return 0;
}

function resetTarget(values: Values): OffsetSpec | { offset: bigint } {
  const targets: (OffsetSpec | { offset: bigint })[] = [];
  if (values['to-earliest'] === true) targets.push('earliest');
  if (values['to-latest'] === true) targets.push('latest');
  if (values['to-offset'] !== undefined)
    targets.push({ offset: offsetFlag(values['to-offset'], 'to-offset') });
  if (values['to-datetime'] !== undefined)
    targets.push({ timestamp: timestampFlag(values['to-datetime'], 'to-datetime') });
  const [target] = targets;
  if (target === undefined || targets.length > 1)
    throw new CliError(
      'reset-offsets needs exactly one of --to-earliest, --to-latest, --to-offset, --to-datetime',
      2,
    );
  return target;
}

function clamp(value: bigint, min: bigint, max: bigint): bigint {
  if (value < min) return min;
  if (value > max) return max;
  return value;
}

interface PlannedReset {
  topic: string;
  partition: number;
  current: bigint | null;
  new: bigint;
}

/** The offsets a reset would commit: each target resolved and kept within the partition's range. */
async function planReset(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
  partitions: number[] | undefined,
  target: OffsetSpec | { offset: bigint },
): Promise<PlannedReset[]> {
  const described = await admin.describeTopics(topics, { offsets: true });
  const chosen = described.flatMap((t) =>
    t.partitions
      .filter((p) => partitions === undefined || partitions.includes(p.partition))
      .map((p) => ({
        topic: t.name,
        partition: p.partition,
        start: p.earliestOffset!,
        end: p.latestOffset!,
      })),
  );
  if (partitions !== undefined) {
    const missing = partitions.filter((p) => !chosen.some((c) => c.partition === p));
    if (missing.length > 0)
      throw new CliError(
        `Cannot reset partition ${missing.join(', ')} of '${topics[0]}': no such partition`,
        2,
      );
  }
  const committed = await admin.listConsumerGroupOffsets(groupId, chosen);
  const current = new Map(committed.map((c) => [tpKey(c.topic, c.partition), c.offset]));
  let resolved: bigint[];
  if (typeof target === 'object' && 'offset' in target) resolved = chosen.map(() => target.offset);
  else if (target === 'earliest') resolved = chosen.map((c) => c.start);
  else if (target === 'latest') resolved = chosen.map((c) => c.end);
  else {
    const found = await admin.listOffsets(
      chosen.map((c) => ({ topic: c.topic, partition: c.partition, spec: target })),
    );
    // No record at or after the time: the end, so the group reads only what comes next.
    resolved = found.map((f, i) => (f.offset < 0n ? chosen[i]!.end : f.offset));
  }
  return chosen.map((c, i) => {
    const want = resolved[i]!;
    const clamped = clamp(want, c.start, c.end);
    const now = current.get(tpKey(c.topic, c.partition));
    return {
      topic: c.topic,
      partition: c.partition,
      current: now === undefined || now < 0n ? null : now,
      new: clamped,
    };
  });
}

async function resetOffsets(io: CliIo, s: ClientSettings, values: Values, names: string[]): Promise<number> {
  const [groupId] = names;
  if (groupId === undefined || names.length > 1)
    throw new CliError('reset-offsets needs exactly one group id', 2);
  const topicsGiven = values.topic ?? [];
  const allTopics = values['all-topics'] === true;
  if (topicsGiven.length > 0 === allTopics)
    throw new CliError('reset-offsets needs --topic T (repeatable) or --all-topics', 2);
  const partitions = partitionsFlag(values.partition);
  if (partitions !== undefined && topicsGiven.length !== 1)
    throw new CliError('--partition needs exactly one --topic', 2);
  const target = resetTarget(values);
  const execute = values.execute === true;
  const { plan, busy } = await withAdmin(s, `reset offsets of group '${groupId}'`, async (admin) => {
    const [group] = await admin.describeGroups([groupId]);
    const members = group?.members.length ?? 0;
    const busy =
      members > 0 || (group !== undefined && group.state !== 'Empty' && group.state !== 'Dead')
        ? `it is ${group?.state} with ${members} member${members === 1 ? '' : 's'}`
        : null;
    if (execute && busy !== null)
      throw new CliError(
        `Cannot reset offsets of group '${groupId}': ${busy}; stop its consumers first (a reset needs an empty group)`,
      );
    const topics = allTopics
      ? [
          ...new Set(
            (await admin.listConsumerGroupOffsets(groupId)).filter((c) => c.offset >= 0n).map((c) => c.topic),
          ),
        ]
      : topicsGiven;
    if (topics.length === 0)
      throw new CliError(
        `Cannot reset offsets of group '${groupId}': it has no committed offsets; name --topic T`,
      );
    await requireTopics(admin, topics, s);
    const plan = await planReset(admin, groupId, topics, partitions, target);
    if (execute)
      await admin.alterConsumerGroupOffsets(
        groupId,
        plan.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.new })),
      );
    return { plan, busy };
  });
  if (s.json) {
    writeJson(io.stdout, { groupId, executed: execute, offsets: plan });
    return 0;
  }
  io.stdout.write(
    formatTable(
      [
        { title: 'TOPIC' },
        { title: 'PARTITION', align: 'right' },
        { title: 'CURRENT', align: 'right' },
        { title: 'NEW', align: 'right' },
      ],
      plan.map((p) => [p.topic, p.partition, p.current, p.new]),
    ),
  );
  if (execute)
    io.stdout.write(`reset ${plan.length} offset${plan.length === 1 ? '' : 's'} of group '${groupId}'\n`);
  else {
    io.stdout.write('dry run: nothing changed; add --execute to commit these offsets\n');
    if (busy !== null)
      io.stderr.write(`note: group '${groupId}' ${busy.replace(/^it /, '')}; --execute needs it empty\n`);
  }
  return 0;
}

async function remove(io: CliIo, s: ClientSettings, names: string[]): Promise<number> {
  if (names.length === 0) throw new CliError('delete needs at least one group id', 2);
  await withAdmin(s, `delete ${names.join(', ')}`, (admin) => admin.deleteGroups(names));
  if (s.json) writeJson(io.stdout, { deleted: names });
  else for (const name of names) io.stdout.write(`deleted group '${name}'\n`);
  return 0;
}

const subcommands = ['list', 'describe', 'reset-offsets', 'delete'] as const;

export const groupsCommand: Command = {
  name: 'groups',
  summary: 'List, describe (with lag), reset offsets of and delete consumer groups',
  usage,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(args, flags);
    const [sub, ...names] = positionals;
    const settings = clientSettings(values);
    switch (sub) {
      case 'list':
        if (names.length > 0) throw new CliError('list takes no group ids', 2);
        return list(io, settings);
      case 'describe':
        return describe(io, settings, names);
      case 'reset-offsets':
        return resetOffsets(io, settings, values, names);
      case 'delete':
        return remove(io, settings, names);
      default:
        throw new CliError(
          `${sub === undefined ? 'needs a subcommand' : `unknown subcommand '${sub}'`}: one of ${subcommands.join(', ')}`,
          2,
        );
    }
  },
};
