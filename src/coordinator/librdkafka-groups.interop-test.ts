// librdkafka (through confluent-kafka-python, installed by interop/install/python.sh) against the
// group coordinator: two members of a classic group and of a KIP-848 group
// (group.protocol=consumer) split a four-partition topic, consume it and commit every record.
// Skipped when the Python client is not installed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { interopPeers } from '../../interop/install/peers.ts';
import { type RunningBroker, startBroker } from '../broker/broker.ts';
import { groupCoordinatorNoun } from './coordinator-noun.ts';

const run = promisify(execFile);
const python = interopPeers().python;
const skip = existsSync(python)
  ? false
  : `confluent-kafka-python is not installed (${python}); run interop/install/python.sh`;

// Two members polled in turn until all 40 records are seen; prints the partitions each one holds.
const script = `
import sys, time
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic
bs, protocol = sys.argv[1], sys.argv[2]
topic = 'rdk-' + protocol
a = AdminClient({'bootstrap.servers': bs})
for f in a.create_topics([NewTopic(topic, 4, 1)]).values(): f.result()
p = Producer({'bootstrap.servers': bs})
for i in range(40): p.produce(topic, value=str(i).encode(), partition=i % 4)
p.flush(10)
conf = {'bootstrap.servers': bs, 'group.id': topic, 'auto.offset.reset': 'earliest', 'group.protocol': protocol, 'enable.auto.commit': False}
if protocol == 'classic': conf['session.timeout.ms'] = 6000
cs = [Consumer(conf) for _ in range(2)]
for c in cs: c.subscribe([topic])
seen = set(); deadline = time.time() + 60
while len(seen) < 40 and time.time() < deadline:
    for c in cs:
        m = c.poll(0.1)
        if m is not None and m.error() is None:
            seen.add(m.value()); c.commit(m, asynchronous=False)
print('consumed', len(seen), 'assigned', sorted(len(c.assignment()) for c in cs))
for c in cs: c.close()
`;

let broker: RunningBroker;

before(async () => {
  if (skip !== false) return;
  broker = await startBroker({
    nouns: [groupCoordinatorNoun],
    config: { 'group.consumer.heartbeat.interval.ms': '500' },
  });
});

after(async () => {
  await broker?.close();
});

for (const protocol of ['consumer', 'classic'] as const) {
  test(`two librdkafka members with group.protocol=${protocol} share a topic and commit every record`, {
    skip,
  }, async () => {
    const { stdout } = await run(python, ['-c', script, broker.bootstrap, protocol], { timeout: 90_000 });
    assert.match(stdout, /consumed 40 assigned \[2, 2\]/);
    const groups = broker.services.nouns.groups;
    assert.equal(groups?.group(`rdk-${protocol}`)?.type, protocol);
    const fetched = groups?.fetchOffsets({
      groupId: `rdk-${protocol}`,
      memberId: null,
      memberEpoch: -1,
      topics: null,
      requireStable: false,
    });
    assert.deepEqual(
      fetched?.topics[0]?.partitions.map((p) => p.committedOffset),
      [10n, 10n, 10n, 10n],
    );
  });
}
