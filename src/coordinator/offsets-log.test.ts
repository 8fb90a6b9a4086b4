// One contract, two implementations of __consumer_offsets: in memory and over real storage
// (partition logs on the in-memory filesystem), including a reopen of the storage.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryDisk } from '../storage/fs/memory-disk.ts';
import { MemoryFileSystem } from '../storage/fs/memory-file-system.ts';
import { LogManager } from '../storage/log-manager.ts';
import { ManualCoordinatorClock } from './coordinator-timers.ts';
import { GroupCoordinator } from './group-coordinator.ts';
import { LogManagerTopicCatalog } from './log-manager-topic-catalog.ts';
import { MemoryOffsetsLog } from './memory-offsets-log.ts';
import { OFFSETS_TOPIC, type OffsetsLog, type OffsetsLogRecord } from './offsets-log.ts';
import { StorageOffsetsLog } from './storage-offsets-log.ts';

async function collect(log: OffsetsLog, partition: number): Promise<OffsetsLogRecord[]> {
  const out: OffsetsLogRecord[] = [];
  for await (const r of log.readAll(partition)) out.push(r);
  return out;
}

const record = (key: string, value: string | null, timestampMs = 1000): OffsetsLogRecord => ({
  key: Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  timestampMs,
});

function contract(name: string, make: () => Promise<OffsetsLog>): void {
  test(`${name}: readAll() returns appended records in order, tombstones included, per partition`, async () => {
    const log = await make();
    await log.append(0, [record('a', '1'), record('b', '2', 1005)]);
    const concurrent = [
      log.append(0, [record('a', null)]),
      log.append(1, [record('c', '3')]),
      log.append(0, [record('d', '4')]),
    ];
    await Promise.all(concurrent);
    assert.deepEqual(await collect(log, 0), [
      record('a', '1'),
      record('b', '2', 1005),
      record('a', null),
      record('d', '4'),
    ]);
    assert.deepEqual(await collect(log, 1), [record('c', '3')]);
    assert.deepEqual(await collect(log, 2), []);
  });
}

contract('MemoryOffsetsLog', async () => new MemoryOffsetsLog(3));
contract('StorageOffsetsLog', async () => {
  const logs = await LogManager.open('/data', new MemoryFileSystem(new MemoryDisk()));
  return StorageOffsetsLog.open(logs, 3);
});

test('StorageOffsetsLog creates __consumer_offsets compacted and keeps an existing partition count', async () => {
  const disk = new MemoryDisk();
  const logs = await LogManager.open('/data', new MemoryFileSystem(disk));
  const log = await StorageOffsetsLog.open(logs, 3);
  assert.equal(log.partitions, 3);
  assert.equal(logs.describeTopic(OFFSETS_TOPIC)?.configs['cleanup.policy'], 'compact');
  const again = await StorageOffsetsLog.open(logs, 7);
  assert.equal(again.partitions, 3);
  await logs.close();
});

test('offsets committed through the coordinator survive a restart of the storage itself', async () => {
  const disk = new MemoryDisk();
  const clock = new ManualCoordinatorClock(5_000);
  const open = async () => {
    const logs = await LogManager.open('/data', new MemoryFileSystem(disk));
    const log = await StorageOffsetsLog.open(logs, 3);
    const topics = new LogManagerTopicCatalog(logs);
    const coordinator = await GroupCoordinator.open({
      log,
      topics,
      clock,
      config: { offsetsTopicPartitions: log.partitions },
    });
    return { logs, coordinator };
  };
  const first = await open();
  await first.logs.createTopic('t', 2);
  const result = await first.coordinator.commitOffsets({
    groupId: 'g',
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    apiVersion: 8,
    topics: [
      {
        name: 't',
        partitions: [
          { partitionIndex: 1, committedOffset: 42n, committedLeaderEpoch: 0, committedMetadata: 'x' },
        ],
      },
    ],
  });
  assert.equal(result[0]?.partitions[0]?.errorCode, 0);
  await first.coordinator.close();
  await first.logs.close();

  const second = await open();
  const fetched = second.coordinator.fetchOffsets({
    groupId: 'g',
    memberId: null,
    memberEpoch: -1,
    topics: null,
    requireStable: false,
  });
  assert.deepEqual(fetched.topics, [
    {
      name: 't',
      partitions: [
        { partitionIndex: 1, committedOffset: 42n, committedLeaderEpoch: 0, metadata: 'x', errorCode: 0 },
      ],
    },
  ]);
  assert.equal(
    new LogManagerTopicCatalog(second.logs).byName(OFFSETS_TOPIC),
    undefined,
    'internal topics are hidden',
  );
  await second.coordinator.close();
  await second.logs.close();
});
