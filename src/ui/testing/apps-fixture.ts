// A broker with the dashboard on a free loopback port and the transaction coordinator, for the
// apps pages' tests. The app topics do not exist until writeCrypto() / writeSentiment() create
// them and write a known history in the contract shapes (src/apps/*/records.ts) through a
// transactional producer, as the apps' jobs do: 60 markets of 30 one-minute bars with one spike
// (SPIKE_MARKET, bar SPIKE_BAR), and 3 keywords of 20 timeline points with one alert.
// publish() writes more (committed or aborted) while a test runs.
import { cryptoTopics, marketId, type ScoredBar, type Spike } from '../../apps/crypto/records.ts';
import {
  type ScoredMessage,
  type SentimentAlert,
  type SentimentPoint,
  sentimentTopics,
} from '../../apps/sentiment/records.ts';
import { type RunningBroker, startBroker } from '../../broker/broker.ts';
import { Admin, Producer } from '../../client/index.ts';
import { groupCoordinatorNoun } from '../../coordinator/coordinator-noun.ts';
import { transactionCoordinatorNoun } from '../../txn/transaction-noun.ts';

export const BASE_MS = 1_700_000_000_000;
export const BAR_MS = 60_000;
export const EXCHANGES = ['binance', 'coinbase', 'kraken'] as const;
export const PAIRS = [
  'BTC-USD',
  'ETH-USD',
  'SOL-USD',
  'XRP-USD',
  'ADA-USD',
  'DOGE-USD',
  'DOT-USD',
  'LTC-USD',
  'LINK-USD',
  'AVAX-USD',
  'BTC-EUR',
  'ETH-EUR',
  'SOL-EUR',
  'XRP-EUR',
  'ADA-EUR',
  'ETH-BTC',
  'SOL-BTC',
  'XRP-BTC',
  'ADA-BTC',
  'DOGE-BTC',
] as const;
export const MARKETS: readonly string[] = EXCHANGES.flatMap((e) => PAIRS.map((p) => marketId(e, p)));
export const BARS_PER_MARKET = 30;
export const SPIKE_MARKET = 'kraken:BTC-USD';
/** The bar of SPIKE_MARKET that jumps 8% on 6x volume and is flagged. */
export const SPIKE_BAR = 20;

export const KEYWORDS = ['bitcoin', 'kafka', 'sluice'] as const;
export const POINTS_PER_KEYWORD = 20;
export const POINT_MS = 60_000;
/** The keyword whose last points turn negative and raise the history's one alert. */
export const ALERT_KEYWORD = 'kafka';
export const SCORED_PER_KEYWORD = 10;

export interface AppsFixture {
  readonly broker: RunningBroker;
  readonly url: string;
  readonly admin: Admin;
  /** Creates the crypto topics and writes the bars and spikes history. */
  writeCrypto(): Promise<void>;
  /** Creates the sentiment topics and writes the timeline, alert and scored-message history. */
  writeSentiment(): Promise<void>;
  /** Writes records in one transaction, committed unless `abort`. */
  publish(topic: string, records: readonly { key: string; value: unknown }[], abort?: boolean): Promise<void>;
  close(): Promise<void>;
}

function basePrice(pairIndex: number): number {
  return 10 + pairIndex * 37.5;
}

/** Bar i of a market: a gentle sawtooth around its base price; SPIKE_BAR of SPIKE_MARKET jumps. */
export function fixtureBar(exchange: string, market: string, i: number): ScoredBar {
  const pairIndex = Math.max(0, PAIRS.indexOf(market as (typeof PAIRS)[number]));
  const id = marketId(exchange, market);
  const spike = id === SPIKE_MARKET && i === SPIKE_BAR;
  const base = basePrice(pairIndex) * (1 + (i % 5) * 0.001);
  const open = base;
  const close = spike ? base * 1.08 : base * 1.0005;
  return {
    exchange,
    market,
    windowStartMs: BASE_MS + i * BAR_MS,
    windowEndMs: BASE_MS + (i + 1) * BAR_MS,
    open,
    high: Math.max(open, close) * 1.001,
    low: Math.min(open, close) * 0.999,
    close,
    volume: spike ? 600 : 100 + (i % 3),
    trades: 20,
    vwap: (open + close) / 2,
    returnPct: close / open - 1,
    zScore: spike ? 9.5 : 0.3,
    volumeRatio: spike ? 6 : 1,
    probability: spike ? 0.97 : 0.02,
    spike,
  };
}

export function spikeOf(bar: ScoredBar): Spike {
  return { ...bar, spike: true, direction: bar.close >= bar.open ? 'up' : 'down' };
}

/** Point i of a keyword: ALERT_KEYWORD turns negative over its last five points. */
export function fixturePoint(keyword: string, i: number): SentimentPoint {
  const negative = keyword === ALERT_KEYWORD && i >= POINTS_PER_KEYWORD - 5;
  const messages = 10 + (i % 4);
  const neg = negative ? 8 : 2;
  const pos = negative ? 1 : 6;
  return {
    keyword,
    windowStartMs: BASE_MS + i * POINT_MS,
    windowEndMs: BASE_MS + (i + 1) * POINT_MS,
    messages,
    positive: pos,
    negative: neg,
    neutral: messages - pos - neg,
    meanScore: negative ? -0.6 : 0.25,
  };
}

export function fixtureAlert(keyword: string, i: number): SentimentAlert {
  return {
    id: `${keyword}:negative-trend:${BASE_MS + i * POINT_MS}`,
    keyword,
    kind: 'negative-trend',
    windowStartMs: BASE_MS + i * POINT_MS,
    windowEndMs: BASE_MS + (i + 1) * POINT_MS,
    meanScore: -0.6,
    messages: 12,
    samples: [`${keyword} is broken again`, `I hate how ${keyword} behaves`],
    summary: `Sentiment about "${keyword}" turned negative: mean -0.60 over 12 messages`,
  };
}

export function fixtureScored(keyword: string, i: number): ScoredMessage {
  const label = i % 3 === 0 ? 'negative' : i % 3 === 1 ? 'positive' : 'neutral';
  return {
    source: 'generator',
    channel: 'general',
    user: `user${i % 5}`,
    text: `message ${i} about ${keyword} (${label})`,
    id: `${keyword}-${i}`,
    timestampMs: BASE_MS + i * 1000,
    keyword,
    score: label === 'negative' ? -0.5 : label === 'positive' ? 0.5 : 0,
    label,
  };
}

export async function startAppsFixture(): Promise<AppsFixture> {
  const broker = await startBroker({
    http: '127.0.0.1:0',
    nouns: [groupCoordinatorNoun, transactionCoordinatorNoun],
  });
  const admin = new Admin({ bootstrap: broker.bootstrap });
  const producer = new Producer({
    bootstrap: broker.bootstrap,
    lingerMs: 0,
    transactionalId: 'apps-fixture',
  });
  const http = broker.http;
  try {
    if (http === null) throw new Error('The fixture broker started without its HTTP server');
    await producer.initTransactions();
  } catch (error) {
    await producer.close();
    admin.close();
    await broker.close();
    throw error;
  }
  // One transaction at a time on the one producer.
  let queue: Promise<void> = Promise.resolve();
  const publish = (topic: string, records: readonly { key: string; value: unknown }[], abort = false) => {
    const run = queue.then(async () => {
      producer.beginTransaction();
      const sends = records.map((r) => producer.send({ topic, key: r.key, value: JSON.stringify(r.value) }));
      if (abort) {
        // Records still buffered fail with the abort; that is the point.
        for (const sent of sends) sent.catch(() => {});
        await producer.abortTransaction();
        return;
      }
      await Promise.all(sends);
      await producer.commitTransaction();
    });
    queue = run.catch(() => {});
    return run;
  };
  return {
    broker,
    url: http.url,
    admin,
    publish,
    async writeCrypto() {
      await admin.createTopics([
        { topic: cryptoTopics.bars, partitions: 4 },
        { topic: cryptoTopics.spikes, partitions: 2 },
      ]);
      const bars: { key: string; value: ScoredBar }[] = [];
      const spikes: { key: string; value: Spike }[] = [];
      for (let i = 0; i < BARS_PER_MARKET; i++) {
        for (const exchange of EXCHANGES) {
          for (const pair of PAIRS) {
            const bar = fixtureBar(exchange, pair, i);
            const key = marketId(exchange, pair);
            bars.push({ key, value: bar });
            if (bar.spike) spikes.push({ key, value: spikeOf(bar) });
          }
        }
      }
      await publish(cryptoTopics.bars, bars);
      await publish(cryptoTopics.spikes, spikes);
    },
    async writeSentiment() {
      await admin.createTopics([
        { topic: sentimentTopics.timeline, partitions: 2 },
        { topic: sentimentTopics.alerts, partitions: 1 },
        { topic: sentimentTopics.scored, partitions: 2 },
      ]);
      const points = KEYWORDS.flatMap((k) =>
        Array.from({ length: POINTS_PER_KEYWORD }, (_, i) => ({ key: k, value: fixturePoint(k, i) })),
      );
      await publish(sentimentTopics.timeline, points);
      const scored = KEYWORDS.flatMap((k) =>
        Array.from({ length: SCORED_PER_KEYWORD }, (_, i) => ({ key: k, value: fixtureScored(k, i) })),
      );
      await publish(sentimentTopics.scored, scored);
      await publish(sentimentTopics.alerts, [
        { key: ALERT_KEYWORD, value: fixtureAlert(ALERT_KEYWORD, POINTS_PER_KEYWORD - 1) },
      ]);
    },
    async close() {
      await producer.close();
      admin.close();
      await broker.close();
    },
  };
}
