// Apache Kafka's Java client (interop/java, built by interop/install/java.sh) against the group
// coordinator: the same topic consumed by a classic group and by a KIP-848 group
// (group.protocol=consumer), each committing its offsets. Skipped when the client is not built.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { interopPeers } from '../../interop/install/peers.ts';
import { type RunningBroker, startBroker } from '../broker/broker.ts';
import { groupCoordinatorNoun } from './coordinator-noun.ts';

const run = promisify(execFile);
const javaClient = interopPeers().javaClient;
const skip = existsSync(javaClient)
  ? false
  : `the Java client is not built (${javaClient}); run interop/install/java.sh`;
const jvmTimeoutMs = 90_000;
let broker: RunningBroker;

before(async () => {
  if (skip !== false) return;
  broker = await startBroker({
    nouns: [groupCoordinatorNoun],
    config: { 'group.consumer.heartbeat.interval.ms': '500' },
  });
  await run(javaClient, ['admin', broker.bootstrap, 'java-topic'], { timeout: jvmTimeoutMs });
  await run(javaClient, ['produce', broker.bootstrap, 'java-topic', 'none', '10'], { timeout: jvmTimeoutMs });
});

after(async () => {
  await broker?.close();
});

for (const protocol of ['consumer', 'classic'] as const) {
  test(`the Java client consumes and commits with group.protocol=${protocol}`, { skip }, async () => {
    const group = `java-${protocol}`;
    const { stdout } = await run(
      javaClient,
      ['consume', broker.bootstrap, 'java-topic', group, '10', protocol],
      { timeout: jvmTimeoutMs },
    );
    assert.match(stdout, /consumed 10 records/);
    const groups = broker.services.nouns.groups;
    assert.equal(groups?.group(group)?.type, protocol);
    const fetched = groups?.fetchOffsets({
      groupId: group,
      memberId: null,
      memberEpoch: -1,
      topics: null,
      requireStable: false,
    });
    const total = fetched?.topics.flatMap((t) => t.partitions).reduce((n, p) => n + p.committedOffset, 0n);
    assert.equal(total, 10n, 'the committed offsets cover every record');
  });
}
