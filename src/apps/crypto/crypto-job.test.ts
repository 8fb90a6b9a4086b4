// End to end: generated trades produced to crypto.trades of an embedded broker, the job run over
// them bounded, and its committed output read back: the spikes it reports are the injected ones,
// and every bar is exactly what the trades of its market and window make.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBroker } from '../../broker/broker.ts';
import { embeddedLog } from '../../connectors/embedded/embedded-log.ts';
import type { Log } from '../../engine/log/log.ts';
import { runJob } from '../../engine/run-job.ts';
import { cryptoJobModule } from './crypto-job.ts';
import { defaultModelPath } from './default-model.ts';
import { cryptoTopics, marketId, type ScoredBar, type Spike, type Trade } from './records.ts';
import { matchSpikes } from './spike-matching.ts';
import { loadSpikeModel } from './spike-model.ts';
import { startTradeFeed, type TradeFeedProgress } from './trade-feed.ts';

async function committed<T>(
  log: Log,
  topic: string,
): Promise<{ key: string; value: T; timestampMs: number }[]> {
  const out: { key: string; value: T; timestampMs: number }[] = [];
  for (let p = 0; p < (await log.partitionCount(topic)); p++) {
    const end = await log.endOffset(topic, p, true);
    const reader = await log.openReader(topic, p, 0, { readCommitted: true, endOffset: end });
    for (let round = 0; round < 100_000; round++) {
      const batch = await reader.read(5000, 100);
      for (const r of batch.records) {
        out.push({
          key: Buffer.from(r.key ?? new Uint8Array()).toString(),
          value: JSON.parse(Buffer.from(r.value ?? new Uint8Array()).toString()) as T,
          timestampMs: r.timestampMs,
        });
      }
      if (batch.endOfLog) break;
    }
    await reader.close();
  }
  return out;
}

/** OHLCV per market and window computed straight from the trades, in the order they were read. */
function barsOf(
  trades: readonly Trade[],
  barMs: number,
): Map<string, Omit<ScoredBar, 'returnPct' | 'zScore' | 'volumeRatio' | 'probability' | 'spike'>> {
  const bars = new Map<string, { bar: ScoredBar; openMs: number; closeMs: number; notional: number }>();
  for (const t of trades) {
    const start = Math.floor(t.timestampMs / barMs) * barMs;
    const key = `${marketId(t.exchange, t.market)}@${start}`;
    const b = bars.get(key);
    if (b === undefined) {
      bars.set(key, {
        bar: {
          exchange: t.exchange,
          market: t.market,
          windowStartMs: start,
          windowEndMs: start + barMs,
          open: t.price,
          high: t.price,
          low: t.price,
          close: t.price,
          volume: t.amount,
          trades: 1,
          vwap: 0,
          returnPct: 0,
          zScore: 0,
          volumeRatio: 0,
          probability: 0,
          spike: false,
        },
        openMs: t.timestampMs,
        closeMs: t.timestampMs,
        notional: t.price * t.amount,
      });
      continue;
    }
    const bar = b.bar as { -readonly [K in keyof ScoredBar]: ScoredBar[K] };
    if (t.timestampMs < b.openMs) {
      bar.open = t.price;
      b.openMs = t.timestampMs;
    }
    if (t.timestampMs >= b.closeMs) {
      bar.close = t.price;
      b.closeMs = t.timestampMs;
    }
    bar.high = Math.max(bar.high, t.price);
    bar.low = Math.min(bar.low, t.price);
    bar.volume += t.amount;
    bar.trades++;
    b.notional += t.price * t.amount;
  }
  const out = new Map<string, ScoredBar>();
  for (const [key, b] of bars) out.set(key, { ...b.bar, vwap: b.notional / b.bar.volume });
  return out;
}

test('the crypto job turns produced trades into bars that match them and spikes that match the injected ones', async () => {
  const broker = await startBroker();
  const log = embeddedLog(broker);
  try {
    const progress: TradeFeedProgress[] = [];
    const feed = startTradeFeed({
      bootstrap: broker.bootstrap,
      partitions: 3,
      seed: 9,
      universe: { markets: 300 },
      tradesPerSecond: 300,
      spikes: { perMinute: 20 },
      mode: 'fast',
      startMs: 1_700_000_000_000,
      spanMs: 8 * 60_000,
      onProgress: (p) => progress.push(p),
    });
    const fed = await feed.done;
    assert.equal(fed.topic, cryptoTopics.trades);
    assert.equal(progress.at(-1)?.trades, fed.trades);
    assert.ok(fed.injected.length >= 100, `${fed.injected.length} spikes injected`);

    const result = await runJob(
      { module: cryptoJobModule, params: { bounded: true, partitions: 2 } },
      { log: broker, executors: 1 },
    );
    assert.equal(result.state, 'finished');

    const trades = await committed<Trade>(log, cryptoTopics.trades);
    assert.equal(trades.length, fed.trades, 'every produced trade is in the topic');
    for (const t of trades.slice(0, 100)) assert.equal(t.key, marketId(t.value.exchange, t.value.market));
    const bars = await committed<ScoredBar>(log, cryptoTopics.bars);
    const spikes = await committed<Spike>(log, cryptoTopics.spikes);
    const late = await committed<Trade>(log, `${cryptoTopics.trades}.late`);
    assert.equal(late.length, 0, 'in-order trades are never late');

    // Every market's bars are exactly its trades, window by window.
    const barMs = 5000;
    const expected = barsOf(
      trades.map((t) => t.value),
      barMs,
    );
    assert.equal(bars.length, expected.size, 'one bar per market and window with trades');
    for (const { key, value: bar, timestampMs } of bars) {
      const id = `${marketId(bar.exchange, bar.market)}@${bar.windowStartMs}`;
      const want = expected.get(id);
      assert.ok(want !== undefined, `unexpected bar ${id}`);
      assert.equal(key, marketId(bar.exchange, bar.market));
      assert.equal(timestampMs, bar.windowEndMs - 1);
      assert.deepEqual(
        [bar.open, bar.high, bar.low, bar.close, bar.trades],
        [want.open, want.high, want.low, want.close, want.trades],
        id,
      );
      assert.ok(Math.abs(bar.volume - want.volume) <= 1e-9 * want.volume, `${id} volume`);
      assert.ok(Math.abs(bar.vwap - want.vwap) <= 1e-9 * want.vwap, `${id} vwap`);
    }

    // The alerts are the flagged bars, and they are the injected spikes.
    assert.equal(spikes.length, bars.filter((b) => b.value.spike).length);
    for (const { value: s } of spikes) assert.equal(s.direction, s.returnPct >= 0 ? 'up' : 'down');
    // Spikes whose market is past warm-up at the spike's bar are the ones the job can flag.
    const warmup = loadSpikeModel(defaultModelPath).file.featureOptions.warmupReturns;
    const barsBefore = new Map<string, number[]>();
    for (const { value: b } of bars) {
      const id = marketId(b.exchange, b.market);
      barsBefore.set(id, [...(barsBefore.get(id) ?? []), b.windowStartMs]);
    }
    const eligible = fed.injected.filter((s) => {
      const start = Math.floor(s.timestampMs / barMs) * barMs;
      const starts = barsBefore.get(s.marketId) ?? [];
      return starts.includes(start) && starts.filter((t) => t < start).length >= warmup + 1;
    });
    assert.ok(
      eligible.length >= 0.6 * fed.injected.length,
      `${eligible.length} of ${fed.injected.length} eligible`,
    );
    const match = matchSpikes(
      spikes.map((s) => s.value),
      eligible,
    );
    assert.ok(
      match.precision >= 0.85,
      `precision ${match.precision}, false alarms ${JSON.stringify(match.falseAlarms.slice(0, 3))}`,
    );
    assert.ok(
      match.recall >= 0.85,
      `recall ${match.recall}, missed ${JSON.stringify(match.missed.slice(0, 3))}`,
    );
  } finally {
    await log.close();
    await broker.close();
  }
});
