import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/broker.ts';
import { kafkaLog } from '../../connectors/kafka/kafka-log.ts';
import { readCommitted } from '../../connectors/testing/crash-and-restart.ts';
import { startMessageFeed } from './message-feed.ts';
import type { SocialMessage } from './records.ts';

test('a paced feed sends at its rate with event time = the wall clock until stopped', async () => {
  const broker = await startBroker();
  const log = kafkaLog({ bootstrap: broker.bootstrap });
  try {
    const before = Date.now();
    const feed = startMessageFeed({
      bootstrap: broker.bootstrap,
      topic: 'paced',
      ratePerSecond: 200,
      generator: { seed: 3, keywords: ['azure'] },
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    const result = await feed.stop();
    const after = Date.now();
    // 600 ms at 200/s is about 120; allow for start-up and timer slack.
    assert.ok(result.sent >= 40 && result.sent <= 160, `sent ${result.sent}`);
    const values = (await readCommitted(log, 'paced')).map((v) => JSON.parse(v) as SocialMessage);
    assert.equal(values.length, result.sent);
    for (const m of values)
      assert.ok(m.timestampMs >= before && m.timestampMs <= after, String(m.timestampMs));
  } finally {
    await log.close();
    await broker.close();
  }
});

test('startMessageFeed() refuses options that cannot end or exceed its bounds', () => {
  const generator = { seed: 1, keywords: ['azure'] };
  assert.throws(() => startMessageFeed({ bootstrap: 'x:1', generator }), /needs a message count/);
  assert.throws(
    () => startMessageFeed({ bootstrap: 'x:1', generator, ratePerSecond: 1e9 }),
    /ratePerSecond must be within/,
  );
  assert.throws(
    () => startMessageFeed({ bootstrap: 'x:1', generator, messages: -5 }),
    /messages must be 0\.\./,
  );
});
