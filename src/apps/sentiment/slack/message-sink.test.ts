// End to end on the inbound side: a signed Slack event through the receiver and the producer
// sink into social.messages on an embedded broker.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningBroker, startBroker } from '../../../broker/broker.ts';
import { Consumer } from '../../../client/index.ts';
import { type SocialMessage, sentimentTopics } from '../records.ts';
import { startSlackEventsReceiver } from './events-receiver.ts';
import { producerMessageSink } from './message-sink.ts';
import { signSlackRequest } from './signature.ts';

describe('producerMessageSink', () => {
  let broker: RunningBroker;
  before(async () => {
    broker = await startBroker({ config: { 'num.partitions': '3' } });
  });
  after(() => broker.close());

  it('writes a Slack message event to social.messages keyed by source and channel, at its own time', async () => {
    const out = producerMessageSink({ bootstrap: broker.bootstrap });
    const receiver = await startSlackEventsReceiver({ signingSecret: 's3cret', sink: out.sink });
    try {
      const body = JSON.stringify({
        type: 'event_callback',
        event_id: 'Ev0001',
        event_time: 1_700_000_000,
        event: {
          type: 'message',
          channel: 'C0SALES',
          user: 'U1',
          text: 'acme renewal looks bad',
          ts: '1700000000.000100',
        },
      });
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(receiver.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signSlackRequest('s3cret', ts, body),
        },
        body,
      });
      assert.equal(res.status, 200);
    } finally {
      await receiver.close();
      await out.close();
    }
    const consumer = new Consumer({ bootstrap: broker.bootstrap });
    try {
      consumer.assign([0, 1, 2].map((partition) => ({ topic: sentimentTopics.messages, partition })));
      await consumer.seekToBeginning();
      const batch = await consumer.nextBatch(5_000);
      const record = batch?.records[0];
      assert.equal(record?.key?.toString(), 'slack:C0SALES');
      assert.equal(record?.timestamp, 1_700_000_000_000n);
      const value = JSON.parse(record?.value?.toString() ?? '{}') as SocialMessage;
      assert.deepEqual(value, {
        source: 'slack',
        channel: 'C0SALES',
        user: 'U1',
        text: 'acme renewal looks bad',
        id: 'C0SALES:1700000000.000100',
        timestampMs: 1_700_000_000_000,
      });
    } finally {
      await consumer.close();
    }
  });
});
