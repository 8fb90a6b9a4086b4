// The sentiment job end to end on an embedded broker: a feed writes generated messages with an
// outage episode for one keyword to social.messages, the job runs bounded, and what it committed
// (read with read_committed) is checked against the generator's ground truth.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type RunningBroker, startBroker } from '../../broker/broker.ts';
import { kafkaLog } from '../../connectors/kafka/kafka-log.ts';
import { readCommitted } from '../../connectors/testing/crash-and-restart.ts';
import type { Log } from '../../engine/log/log.ts';
import { runJob } from '../../engine/run-job.ts';
import { startMessageFeed } from './message-feed.ts';
import {
  type GeneratedMessage,
  generateMessages,
  type MessageGeneratorOptions,
} from './message-generator.ts';
import type { ScoredMessage, SentimentAlert, SentimentPoint } from './records.ts';
import { job, type SentimentJobParams } from './sentiment-job.ts';

const windowMs = 10_000;
const startMs = 1_700_000_000_000; // a multiple of windowMs, so windows line up with the episode
const episodeStartMs = startMs + 60_000;
const episodeEndMs = episodeStartMs + 30_000;
const generatorOptions: MessageGeneratorOptions = {
  seed: 7,
  keywords: ['azure', 'aws', 'gcp'],
  startMs,
  intervalMs: 50,
  noiseFraction: 0.3,
  episodes: [{ keyword: 'azure', mood: 'negative', startOffsetMs: 60_000, durationMs: 30_000 }],
};
const messageCount = 3_000; // 150 s of event time, 15 windows

function params(overrides: Partial<SentimentJobParams> = {}): SentimentJobParams {
  return {
    keywords: ['azure', 'aws', 'gcp', 'oracle'],
    windowMs,
    trend: { minMessages: 10, meanScoreMax: -0.2, recoverMeanScoreMin: 0 },
    messageScoreMax: -0.6,
    bounded: true,
    outOfOrdernessMs: 0,
    ...overrides,
  };
}

async function read<T>(log: Log, topic: string): Promise<T[]> {
  return (await readCommitted(log, topic)).map((v) => JSON.parse(v) as T);
}

/** Per `keyword@windowStart`, the messages the generator wrote about that keyword. */
function truthCounts(generated: readonly GeneratedMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const g of generated) {
    const start = Math.floor(g.message.timestampMs / windowMs) * windowMs;
    for (const k of g.keywords) counts.set(`${k}@${start}`, (counts.get(`${k}@${start}`) ?? 0) + 1);
  }
  return counts;
}

async function withBroker(body: (broker: RunningBroker, log: Log) => Promise<void>): Promise<void> {
  const broker = await startBroker();
  const log = kafkaLog({ bootstrap: broker.bootstrap });
  try {
    await body(broker, log);
  } finally {
    await log.close();
    await broker.close();
  }
}

test('an outage episode raises exactly one trend alert and the timeline counts match the ground truth', async () => {
  await withBroker(async (broker, log) => {
    const generated: GeneratedMessage[] = [];
    const feed = startMessageFeed({
      bootstrap: broker.bootstrap,
      partitions: 2,
      generator: generatorOptions,
      messages: messageCount,
      onMessage: (g) => generated.push(g),
    });
    assert.equal((await feed.done).sent, messageCount);
    // The feed sent exactly what the generator makes from the same options.
    assert.deepEqual(
      generated.map((g) => g.message),
      generateMessages(generatorOptions, messageCount).map((g) => g.message),
    );

    const result = await runJob(job(params()), { log: broker });
    assert.equal(result.state, 'finished');

    const alerts = await read<SentimentAlert>(log, 'social.alerts');
    const trend = alerts.filter((a) => a.kind === 'negative-trend');
    assert.equal(trend.length, 1, `trend alerts: ${JSON.stringify(trend.map((a) => a.id))}`);
    const [alert] = trend;
    assert.ok(alert !== undefined);
    assert.equal(alert.keyword, 'azure');
    assert.ok(alert.windowStartMs >= episodeStartMs && alert.windowStartMs < episodeEndMs, alert.summary);
    assert.equal(alert.id, `negative-trend:azure:${alert.windowStartMs}-${alert.windowStartMs + windowMs}`);
    assert.ok(alert.meanScore <= -0.2 && alert.messages >= 10, alert.summary);
    assert.ok(alert.samples.length > 0 && alert.samples.length <= 3);

    const timeline = await read<SentimentPoint>(log, 'social.sentiment');
    const counted = new Map(timeline.map((p) => [`${p.keyword}@${p.windowStartMs}`, p.messages]));
    assert.deepEqual(counted, truthCounts(generated));
    for (const p of timeline) assert.equal(p.positive + p.negative + p.neutral, p.messages);
    // The episode's windows are negative on average; azure's others are not.
    for (const p of timeline.filter((x) => x.keyword === 'azure')) {
      const inEpisode = p.windowStartMs >= episodeStartMs && p.windowEndMs <= episodeEndMs;
      assert.equal(p.meanScore <= -0.2, inEpisode, JSON.stringify(p));
    }

    const scored = await read<ScoredMessage>(log, 'social.scored');
    assert.equal(
      scored.length,
      generated.reduce((n, g) => n + g.keywords.length, 0),
    );
    // One negative-message alert per keyword and window that has a very negative message: the
    // most negative one (ties broken by source and id, as the window's samples are).
    const veryNegative = scored.filter((m) => m.score <= -0.6);
    assert.ok(veryNegative.length > 0, 'the episode has very negative messages');
    const worstByWindow = new Map<string, ScoredMessage>();
    for (const m of veryNegative) {
      const at = `${m.keyword}@${Math.floor(m.timestampMs / windowMs) * windowMs}`;
      const seen = worstByWindow.get(at);
      const ref = (x: ScoredMessage) => `${x.source}:${x.id}`;
      if (seen === undefined || m.score < seen.score || (m.score === seen.score && ref(m) < ref(seen)))
        worstByWindow.set(at, m);
    }
    const messageAlerts = alerts.filter((a) => a.kind === 'negative-message');
    assert.ok(messageAlerts.length < veryNegative.length, 'a burst of bad messages is not an alert each');
    assert.deepEqual(
      messageAlerts.map((a) => a.id).sort(),
      [...worstByWindow.values()].map((m) => `negative-message:${m.keyword}:${m.source}:${m.id}`).sort(),
    );
    assert.deepEqual(await readCommitted(log, 'social.late'), []);
  });
});

test('a replay of the same messages gives the same alert ids, and late messages go to the late topic', async () => {
  await withBroker(async (broker, log) => {
    const options = { ...generatorOptions, seed: 11 };
    const feed = startMessageFeed({ bootstrap: broker.bootstrap, generator: options, messages: 2_000 });
    await feed.done;
    // Two messages far behind the stream's event time: late for every window by then.
    const lateOptions = { ...options, seed: 99, noiseFraction: 0, startMs: startMs - 60_000 };
    await startMessageFeed({ bootstrap: broker.bootstrap, generator: lateOptions, messages: 2 }).done;
    // Small batches, so the watermark has passed the late messages' windows when they are read
    // (within one batch, records are all processed before the batch's watermark).
    await runJob(job(params()), { log: broker, batchRecordsMax: 100 });
    await runJob(
      job(
        params({
          jobName: 'sentiment-replay',
          topics: {
            scored: 'replay.scored',
            timeline: 'replay.sentiment',
            alerts: 'replay.alerts',
            late: 'replay.late',
            rejected: 'replay.rejected',
          },
        }),
      ),
      { log: broker, batchRecordsMax: 100 },
    );
    const first = (await read<SentimentAlert>(log, 'social.alerts')).map((a) => a.id).sort();
    const replay = (await read<SentimentAlert>(log, 'replay.alerts')).map((a) => a.id).sort();
    assert.ok(first.length > 0);
    assert.deepEqual(replay, first);
    const lateMessages = await read<ScoredMessage>(log, 'social.late');
    const lateMentions = generateMessages(lateOptions, 2).reduce((n, g) => n + g.keywords.length, 0);
    assert.equal(lateMessages.length, lateMentions);
    for (const m of lateMessages) assert.ok(m.timestampMs < startMs);
  });
});

test('records that are not SocialMessages go to the rejected topic and the job goes on', async () => {
  await withBroker(async (broker, log) => {
    const { Producer } = await import('../../client/producer.ts');
    const producer = new Producer({ bootstrap: broker.bootstrap });
    const good = generateMessages({ ...generatorOptions, noiseFraction: 0 }, 5);
    for (const g of good) await producer.send({ topic: 'social.messages', value: JSON.stringify(g.message) });
    await producer.send({ topic: 'social.messages', value: 'not json {' });
    await producer.send({
      topic: 'social.messages',
      value: JSON.stringify({ source: 'mastodon', text: 'azure' }),
    });
    await producer.close();
    await runJob(job(params()), { log: broker });
    const rejected = await read<{ reason: string }>(log, 'social.rejected');
    assert.equal(rejected.length, 2);
    assert.ok(rejected.some((r) => r.reason.startsWith('not JSON')));
    assert.ok(rejected.some((r) => r.reason.includes('source "mastodon"')));
    const scored = await read<ScoredMessage>(log, 'social.scored');
    assert.equal(
      scored.length,
      good.reduce((n, g) => n + g.keywords.length, 0),
    );
  });
});

test('with a generator param the job reads generated messages instead of the topic, with the same counts', async () => {
  await withBroker(async (broker, log) => {
    const generator = { ...generatorOptions, seed: 21 };
    await runJob(job(params({ generator: { partitions: 2, messages: 1_000, generator } })), { log: broker });
    const truth = [0, 1].flatMap((p) => generateMessages({ ...generator, seed: 21 + p }, 500));
    const timeline = await read<SentimentPoint>(log, 'social.sentiment');
    assert.deepEqual(
      new Map(timeline.map((p) => [`${p.keyword}@${p.windowStartMs}`, p.messages])),
      truthCounts(truth),
    );
  });
});
