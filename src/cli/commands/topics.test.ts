import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningBroker, startBroker } from '../../index.ts';
import { runCli } from '../testing/run-cli.ts';

describe('sluice topics', () => {
  let broker: RunningBroker;
  let b: string[];
  before(async () => {
    broker = await startBroker();
    b = ['--bootstrap', broker.bootstrap];
  });
  after(() => broker?.close());

  it('creates a topic with configs, lists it and describes partitions, offsets and configs', async () => {
    const created = await runCli([
      'topics',
      'create',
      'orders',
      '--partitions',
      '3',
      '--config',
      'retention.ms=3600000',
      ...b,
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /created topic 'orders'/);

    const listed = await runCli(['topics', 'list', '--json', ...b]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout), [{ name: 'orders', partitions: 3, internal: false }]);

    const table = await runCli(['topics', 'list', ...b]);
    assert.match(table.stdout, /^TOPIC\s+PARTITIONS\norders\s+3\n$/);

    const described = await runCli(['topics', 'describe', 'orders', '--json', ...b]);
    assert.equal(described.code, 0, described.stderr);
    const [topic] = JSON.parse(described.stdout);
    assert.equal(topic.partitions.length, 3);
    assert.deepEqual(topic.partitions[0], {
      partition: 0,
      leader: broker.nodeId,
      replicas: [broker.nodeId],
      isr: [broker.nodeId],
      startOffset: 0,
      endOffset: 0,
    });
    assert.equal(topic.configs['retention.ms'], '3600000');

    const human = await runCli(['topics', 'describe', 'orders', ...b]);
    assert.match(human.stdout, /PARTITION\s+LEADER\s+REPLICAS\s+ISR\s+START\s+END\s+RECORDS/);
    assert.match(human.stdout, /retention\.ms\s+3600000/);
  });

  it('alters configs and grows partitions, then deletes the topic', async () => {
    await runCli(['topics', 'create', 'alterme', '--partitions', '1', ...b]);
    const altered = await runCli([
      'topics',
      'alter',
      'alterme',
      '--config',
      'retention.ms=5000',
      '--partitions',
      '2',
      ...b,
    ]);
    assert.equal(altered.code, 0, altered.stderr);
    const [topic] = JSON.parse((await runCli(['topics', 'describe', 'alterme', '--json', ...b])).stdout);
    assert.equal(topic.partitions.length, 2);
    assert.equal(topic.configs['retention.ms'], '5000');

    const reset = await runCli(['topics', 'alter', 'alterme', '--delete-config', 'retention.ms', ...b]);
    assert.equal(reset.code, 0, reset.stderr);
    const [after] = JSON.parse((await runCli(['topics', 'describe', 'alterme', '--json', ...b])).stdout);
    assert.equal(after.configs['retention.ms'], undefined);

    const deleted = await runCli(['topics', 'delete', 'alterme', '--json', ...b]);
    assert.deepEqual(JSON.parse(deleted.stdout), { deleted: ['alterme'] });
  });

  it('fails with the error name and a suggestion when the topic already exists, unless --if-not-exists', async () => {
    await runCli(['topics', 'create', 'twice', ...b]);
    const again = await runCli(['topics', 'create', 'twice', ...b]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Cannot create topic 'twice': topicAlreadyExists \(36\).*--if-not-exists/);
    const tolerant = await runCli(['topics', 'create', 'twice', '--if-not-exists', ...b]);
    assert.equal(tolerant.code, 0);
  });

  it('says how to find topics when deleting one that does not exist', async () => {
    const missing = await runCli(['topics', 'delete', 'nope', ...b]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /unknownTopicOrPartition \(3\).*sluice topics list/);
    assert.equal((await runCli(['topics', 'delete', 'nope', '--if-exists', ...b])).code, 0);
  });

  it('exits 2 with a message on bad usage', async () => {
    const cases = [
      ['topics'],
      ['topics', 'frobnicate'],
      ['topics', 'create'],
      ['topics', 'create', 'x', '--partitions', 'zero'],
      ['topics', 'create', 'x', '--config', 'novalue'],
      ['topics', 'alter', 'x'],
      ['topics', 'list', '--bogus'],
      ['topics', 'list', '--bootstrap', 'nohostport'],
    ];
    for (const argv of cases) {
      const run = await runCli([...argv, ...(argv.includes('--bootstrap') ? [] : b)]);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^sluice topics: \S/);
    }
  });

  it('reports an unreachable bootstrap at once, with what to do', async () => {
    // Port 1 on loopback: nothing listens there, so the connect is refused immediately.
    const run = await runCli(['topics', 'list', '--bootstrap', '127.0.0.1:1']);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /Cannot reach 127\.0\.0\.1:1 \(ECONNREFUSED\): is a broker running\? Start one with `npx sluice broker`/,
    );
  });
});
