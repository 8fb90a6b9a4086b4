// The client commands end to end against one in-process broker: create a topic, produce from a
// stdin stream, consume, see the group's lag, reset its offsets, delete everything.
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningBroker, startBroker } from '../../index.ts';
import type { CliIo } from '../command.ts';
import { main } from '../main.ts';
import { runCli } from '../testing/run-cli.ts';

describe('sluice produce, consume and groups', () => {
  let broker: RunningBroker;
  let b: string[];
  before(async () => {
    broker = await startBroker();
    b = ['--bootstrap', broker.bootstrap];
  });
  after(() => broker?.close());

  it('produces stdin lines with keys and headers, and consumes them back in assign mode', async () => {
    assert.equal((await runCli(['topics', 'create', 'events', '--partitions', '2', ...b])).code, 0);
    function* lines() {
      for (let i = 0; i < 50; i++) yield `k${i % 5}|v${i}\n`;
    }
    const produced = await runCli(
      ['produce', '--topic', 'events', '--key-separator', '|', '--header', 'src=cli', '--json', ...b],
      { stdin: lines() },
    );
    assert.equal(produced.code, 0, produced.stderr);
    const report = JSON.parse(produced.stdout);
    assert.equal(report.records, 50);
    assert.equal(report.partitions['0'] + report.partitions['1'], 50);

    const consumed = await runCli([
      'consume',
      '--topic',
      'events',
      '--from-beginning',
      '--max',
      '50',
      '--json',
      ...b,
    ]);
    assert.equal(consumed.code, 0, consumed.stderr);
    const records = consumed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(records.length, 50);
    const values = records.map((r) => r.value).sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
    assert.deepEqual(
      values,
      Array.from({ length: 50 }, (_, i) => `v${i}`),
    );
    for (const r of records) {
      assert.equal(r.key, `k${Number(r.value.slice(1)) % 5}`);
      assert.deepEqual(r.headers, [{ key: 'src', value: 'cli' }]);
    }
    // Keys decide the partition: every record of one key sits in one partition.
    const partitionOf = new Map<string, number>();
    for (const r of records) {
      assert.equal(partitionOf.get(r.key) ?? r.partition, r.partition, `key ${r.key} in two partitions`);
      partitionOf.set(r.key, r.partition);
    }
    assert.match(consumed.stderr, /consumed 50 records from 'events'/);
  });

  it('reads one partition from an offset and stops at --max, printing the chosen fields', async () => {
    await runCli(['topics', 'create', 'single', '--partitions', '1', ...b]);
    await runCli(['produce', '--topic', 'single', '--partition', '0', ...b], { stdin: 'a\nb\nc\nd\n' });
    const run = await runCli([
      'consume',
      '--topic',
      'single',
      '--partition',
      '0',
      '--offset',
      '1',
      '--max',
      '2',
      '--print',
      'offset,value',
      '--separator',
      ':',
      ...b,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '1:b\n2:c\n');
  });

  it('commits exactly the printed records in group mode, so describe shows the lag left', async () => {
    await runCli(['topics', 'create', 'lagged', '--partitions', '1', ...b]);
    await runCli(['produce', '--topic', 'lagged', ...b], { stdin: '1\n2\n3\n4\n5\n' });
    const first = await runCli([
      'consume',
      '--topic',
      'lagged',
      '--group',
      'g',
      '--from-beginning',
      '--max',
      '3',
      ...b,
    ]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, '1\n2\n3\n');

    const described = await runCli(['groups', 'describe', 'g', '--json', ...b]);
    assert.equal(described.code, 0, described.stderr);
    const group = JSON.parse(described.stdout);
    assert.equal(group.state, 'Empty');
    assert.deepEqual(
      group.partitions.map((p: { partition: number; committed: number; end: number; lag: number }) => [
        p.partition,
        p.committed,
        p.end,
        p.lag,
      ]),
      [[0, 3, 5, 2]],
    );
    assert.equal(group.totalLag, 2);

    const rest = await runCli(['consume', '--topic', 'lagged', '--group', 'g', '--max', '2', ...b]);
    assert.equal(rest.stdout, '4\n5\n');
    const human = await runCli(['groups', 'describe', 'g', ...b]);
    assert.match(human.stdout, /TOPIC\s+PARTITION\s+COMMITTED\s+END\s+LAG/);
    assert.match(human.stdout, /lagged\s+0\s+5\s+5\s+0/);
    assert.match(human.stdout, /Total lag: 0/);

    const listed = await runCli(['groups', 'list', '--json', ...b]);
    assert.ok(JSON.parse(listed.stdout).some((g: { groupId: string }) => g.groupId === 'g'));
  });

  it('shows a reset as a dry run, applies it with --execute, then deletes the group', async () => {
    const dry = await runCli(['groups', 'reset-offsets', 'g', '--topic', 'lagged', '--to-offset', '1', ...b]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /lagged\s+0\s+5\s+1\n/);
    assert.match(dry.stdout, /dry run: nothing changed; add --execute/);
    const unchanged = JSON.parse((await runCli(['groups', 'describe', 'g', '--json', ...b])).stdout);
    assert.equal(unchanged.partitions[0].committed, 5);

    const applied = await runCli([
      'groups',
      'reset-offsets',
      'g',
      '--topic',
      'lagged',
      '--to-earliest',
      '--execute',
      '--json',
      ...b,
    ]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(JSON.parse(applied.stdout), {
      groupId: 'g',
      executed: true,
      offsets: [{ topic: 'lagged', partition: 0, current: 5, new: 0 }],
    });
    const again = await runCli(['consume', '--topic', 'lagged', '--group', 'g', '--max', '5', ...b]);
    assert.equal(again.stdout, '1\n2\n3\n4\n5\n');

    const deleted = await runCli(['groups', 'delete', 'g', ...b]);
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await runCli(['groups', 'describe', 'g', ...b]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /group 'g': it does not exist.*sluice groups list/);
  });

  it('refuses to reset the offsets of a group with active members, and says why', async () => {
    await runCli(['topics', 'create', 'busy', ...b]);
    const stop = new AbortController();
    // A member that stays in the group until aborted (nothing to read: it waits).
    const member = runCli(['consume', '--topic', 'busy', '--group', 'busy-g', ...b], { signal: stop.signal });
    let state = '';
    for (let i = 0; state !== 'Stable'; i++) {
      assert.ok(i < 200, `the member never joined: group state '${state}'`);
      if (i > 0) await sleep(50);
      const d = await runCli(['groups', 'describe', 'busy-g', '--json', ...b]);
      state = d.code === 0 ? JSON.parse(d.stdout).state : '';
    }
    const refused = await runCli([
      'groups',
      'reset-offsets',
      'busy-g',
      '--topic',
      'busy',
      '--to-latest',
      '--execute',
      ...b,
    ]);
    stop.abort();
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /it is Stable with 1 member; stop its consumers first \(a reset needs an empty group\)/,
    );
    assert.equal((await member).code, 0);
  });

  it('produces in a transaction that read_committed consumers see after the commit', async () => {
    await runCli(['topics', 'create', 'txn', ...b]);
    const run = await runCli(['produce', '--topic', 'txn', '--transactional-id', 'cli-tx', '--json', ...b], {
      stdin: 'x\ny\n',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).transaction, 'committed');
    const read = await runCli([
      'consume',
      '--topic',
      'txn',
      '--from-beginning',
      '--isolation',
      'read_committed',
      '--max',
      '2',
      ...b,
    ]);
    assert.equal(read.stdout, 'x\ny\n');
  });

  it('stops producing at a line without the key separator, reporting what was sent', async () => {
    const run = await runCli(['produce', '--topic', 'single', '--key-separator', '\\t', ...b], {
      stdin: 'k\tv\nno separator\nk\tw\n',
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /produced 1 of 1 records/);
    assert.match(run.stderr, /line 2 has no key separator "\\t"/);
  });

  it('round-trips compressed records sent at a limited rate with acks=1', async () => {
    await runCli(['topics', 'create', 'zipped', ...b]);
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i} ${'x'.repeat(200)}\n`).join('');
    const sent = await runCli(
      ['produce', '--topic', 'zipped', '--compression', 'gzip', '--acks', '1', '--rate', '4000/s', ...b],
      { stdin: lines },
    );
    assert.equal(sent.code, 0, sent.stderr);
    const read = await runCli(['consume', '--topic', 'zipped', '--from-beginning', '--max', '40', ...b]);
    assert.equal(read.stdout, lines);
  });

  it('starts at a timestamp: a past one reads everything, a future one waits for new records', async () => {
    const past = await runCli([
      'consume',
      '--topic',
      'single',
      '--partition',
      '0',
      '--timestamp',
      '2001-01-01T00:00:00Z',
      '--max',
      '2',
      ...b,
    ]);
    assert.equal(past.stdout, 'a\nb\n');
    const future = await runCli([
      'consume',
      '--topic',
      'single',
      '--timestamp',
      String(Date.now() + 3_600_000),
      '--timeout-ms',
      '300',
      ...b,
    ]);
    assert.equal(future.code, 0, future.stderr);
    assert.equal(future.stdout, '');
    assert.match(future.stderr, /consumed 0 records/);
  });

  it('on Ctrl-C in group mode commits what it printed and leaves the group', async () => {
    await runCli(['topics', 'create', 'stopme', ...b]);
    await runCli(['produce', '--topic', 'stopme', ...b], { stdin: 'p\nq\nr\n' });
    const stop = new AbortController();
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (c: Buffer) => {
      printed += c.toString();
      if (printed.split('\n').length > 3) stop.abort();
    });
    const io: CliIo = { stdout, stderr: new PassThrough(), stdin: Readable.from([]), signal: stop.signal };
    const code = await main(
      ['consume', '--topic', 'stopme', '--group', 'stopper', '--from-beginning', ...b],
      io,
    );
    assert.equal(code, 0);
    assert.equal(printed, 'p\nq\nr\n');
    const group = JSON.parse((await runCli(['groups', 'describe', 'stopper', '--json', ...b])).stdout);
    assert.equal(group.state, 'Empty');
    assert.equal(group.totalLag, 0);
    assert.equal(group.partitions[0].committed, 3);
  });

  it('exits 2 with a message on bad usage', async () => {
    const cases = [
      ['produce'],
      ['produce', '--topic', 't', '--acks', '2'],
      ['produce', '--topic', 't', '--rate', 'fast'],
      ['produce', '--topic', 't', '--acks', '1', '--transactional-id', 'x'],
      ['consume'],
      ['consume', '--topic', 't', '--group', 'g', '--partition', '0'],
      ['consume', '--topic', 't', '--group', 'g', '--offset', '3'],
      ['consume', '--topic', 't', '--from-beginning', '--offset', '3'],
      ['consume', '--topic', 't', '--format', 'xml'],
      ['consume', '--topic', 't', '--timestamp', 'yesterday'],
      ['groups', 'reset-offsets', 'g', '--topic', 't'],
      ['groups', 'reset-offsets', 'g', '--to-latest'],
      ['groups', 'nope'],
    ];
    for (const argv of cases) {
      const run = await runCli([...argv, ...b]);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^sluice \S+: \S/, argv.join(' '));
    }
  });

  it('fails fast on an unknown topic and an unreachable bootstrap', async () => {
    const missing = await runCli(['consume', '--topic', 'absent', ...b]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Cannot find topic 'absent'.*sluice topics list/);
    for (const argv of [
      ['produce', '--topic', 'x'],
      ['consume', '--topic', 'x'],
      ['groups', 'list'],
    ]) {
      const run = await runCli([...argv, '--bootstrap', '127.0.0.1:1']);
      assert.equal(run.code, 1, argv.join(' '));
      assert.match(run.stderr, /Cannot reach 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    }
  });
});
