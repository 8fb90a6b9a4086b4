import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Trade } from '../records.ts';
import { FeedHttpError, FeedResponseError } from './errors.ts';
import { FakeClock } from './testing/fake-clock.ts';
import { type FakeAnswer, type FakeExchange, startFakeExchange } from './testing/fake-exchange.ts';
import {
  type ExchangeFeedOptions,
  startTradePoller,
  type TradePoller,
  type TradePollerOptions,
} from './trade-poller.ts';

const t0 = 1_700_000_000_000;

async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Ids 1..n as Binance trades (ascending). */
function binanceTrades(from: number, to: number): unknown[] {
  const out: unknown[] = [];
  for (let id = from; id <= to; id++) {
    out.push({
      id,
      price: String(100 + (id % 7)),
      qty: '0.1',
      quoteQty: '10',
      time: t0 + id,
      isBuyerMaker: id % 2 === 0,
      isBestMatch: true,
    });
  }
  return out;
}

const binanceMarkets = {
  symbols: [{ symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT' }],
};

function assertContiguous(trades: readonly Trade[], first: number, last: number): void {
  const ids = trades.map((t) => Number(t.tradeId));
  assert.equal(new Set(ids).size, ids.length, 'a trade was delivered twice');
  assert.deepEqual(
    [...ids].sort((a, b) => a - b),
    Array.from({ length: last - first + 1 }, (_, i) => first + i),
    'trades are missing',
  );
}

function baseOptions(
  clock: FakeClock,
  sink: Trade[],
  errors: Error[],
): Omit<TradePollerOptions, 'exchanges'> {
  return {
    sink: (batch) => {
      // Each batch is one market's new trades, oldest first.
      for (let i = 1; i < batch.length; i++)
        assert.ok((batch[i - 1] as Trade).timestampMs <= (batch[i] as Trade).timestampMs);
      sink.push(...batch);
    },
    onError: (e) => errors.push(e),
    clock,
    pollIntervalMs: 1_000,
  };
}

interface PollRun {
  readonly server: FakeExchange;
  readonly poller: TradePoller;
  readonly clock: FakeClock;
  /** Every trade the sink received, in delivery order. */
  readonly got: Trade[];
  readonly errors: Error[];
}

/**
 * Starts a fake exchange answering with `handle` and a poller of `feed` against it; waits until
 * `done` holds, then stops both (the run's state stays readable).
 */
async function pollUntil(
  handle: (url: URL) => FakeAnswer,
  feed: Omit<ExchangeFeedOptions, 'baseUrl'>,
  what: string,
  done: (run: PollRun) => boolean,
  clock = new FakeClock(),
): Promise<PollRun> {
  const server = await startFakeExchange(handle);
  const got: Trade[] = [];
  const errors: Error[] = [];
  const poller = startTradePoller({
    ...baseOptions(clock, got, errors),
    exchanges: [{ ...feed, baseUrl: server.baseUrl }],
  });
  const run = { server, poller, clock, got, errors };
  try {
    await poller.ready;
    await until(what, () => done(run));
  } finally {
    await poller.stop();
    await server.close();
  }
  return run;
}

describe('startTradePoller()', () => {
  it('follows a forward cursor (Binance fromId) page by page: every trade once, none missing', async () => {
    let newest = 2_500;
    const { server, poller, got, errors } = await pollUntil(
      (url) => {
        if (url.pathname === '/api/v3/exchangeInfo') return { body: binanceMarkets };
        const limit = Number(url.searchParams.get('limit'));
        assert.equal(url.searchParams.get('symbol'), 'BTCUSDT');
        let page: unknown[];
        if (url.pathname === '/api/v3/trades') page = binanceTrades(Math.max(1, newest - limit + 1), newest);
        else {
          const fromId = Number(url.searchParams.get('fromId'));
          page = binanceTrades(fromId, Math.min(newest, fromId + limit - 1));
        }
        // The market keeps trading between requests, until 6000 trades.
        newest = Math.min(6_000, newest + 700);
        return { body: page };
      },
      { exchange: 'binance', markets: ['BTC-USDT'] },
      'trade 6000',
      (run) => run.got.some((t) => t.tradeId === '6000'),
    );
    assert.deepEqual(errors, []);
    // The first poll starts from the newest page (1501..2500); from there nothing is skipped.
    assertContiguous(got, 1_501, 6_000);
    assert.ok(server.requests.some((u) => u.pathname === '/api/v3/historicalTrades'));
    assert.equal(poller.stats().binance?.trades, 4_500);
  });

  it('walks a backward cursor (Coinbase after) back to the last seen trade', async () => {
    let newest = 1_500;
    let calls = 0;
    const { poller, got, errors } = await pollUntil(
      (url) => {
        if (url.pathname === '/products') {
          return {
            body: [{ id: 'BTC-USD', base_currency: 'BTC', quote_currency: 'USD', status: 'online' }],
          };
        }
        assert.equal(url.pathname, '/products/BTC-USD/trades');
        const limit = Number(url.searchParams.get('limit'));
        const after = url.searchParams.get('after');
        const top = after === null ? newest : Number(after) - 1;
        const page = [];
        for (let id = top; id > Math.max(0, top - limit); id--) {
          page.push({
            time: new Date(t0 + id).toISOString(),
            trade_id: id,
            price: '10.5',
            size: '1',
            side: 'buy',
          });
        }
        // After the first poll, 2500 trades arrive at once: the next poll needs three pages.
        if (++calls === 1) newest = 4_000;
        return { body: page };
      },
      { exchange: 'coinbase', markets: ['BTC-USD'] },
      'trade 4000',
      (run) => run.got.some((t) => t.tradeId === '4000'),
    );
    assert.deepEqual(errors, []);
    assertContiguous(got, 501, 4_000);
    assert.ok(
      got.every((t) => t.side === 'sell'),
      'maker buy means taker sell',
    );
    assert.equal(poller.stats().coinbase?.gaps, 0);
  });

  it('counts a gap when a latest-only endpoint (Bybit) moved on by more than a page', async () => {
    let newest = 60;
    let calls = 0;
    const { poller, got, errors } = await pollUntil(
      (url) => {
        if (url.pathname === '/v5/market/instruments-info') {
          return {
            body: {
              retCode: 0,
              retMsg: 'OK',
              result: {
                list: [{ symbol: 'BTCUSDT', baseCoin: 'BTC', quoteCoin: 'USDT', status: 'Trading' }],
              },
            },
          };
        }
        const list = [];
        for (let id = newest; id > newest - 60; id--) {
          list.push({
            execId: String(id),
            symbol: 'BTCUSDT',
            price: '1',
            size: '1',
            side: 'Buy',
            time: String(t0 + id),
          });
        }
        calls += 1;
        if (calls === 1)
          newest += 100; // more than a page: trades 61..100 are lost
        else if (calls === 2) newest += 10;
        return { body: { retCode: 0, retMsg: 'OK', result: { category: 'spot', list } } };
      },
      { exchange: 'bybit', markets: ['BTC-USDT'] },
      'trade 170',
      (run) => run.got.some((t) => t.tradeId === '170'),
    );
    assert.deepEqual(errors, []);
    assert.equal(poller.stats().bybit?.gaps, 1);
    const ids = got.map((t) => Number(t.tradeId));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ids, [
      ...Array.from({ length: 60 }, (_, i) => i + 1),
      ...Array.from({ length: 70 }, (_, i) => i + 101),
    ]);
  });

  it('backs off on 429 for Retry-After, then on 503 exponentially, then succeeds', async () => {
    let trades = 0;
    const { poller, clock, errors } = await pollUntil(
      (url) => {
        if (url.pathname === '/api/v3/exchangeInfo') return { body: binanceMarkets };
        trades += 1;
        if (trades === 1)
          return {
            status: 429,
            body: { code: -1003, msg: 'Too many requests' },
            headers: { 'retry-after': '7' },
          };
        if (trades === 2) return { status: 503, body: 'Service Unavailable' };
        return { body: binanceTrades(1, 3) };
      },
      { exchange: 'binance', markets: ['BTC-USDT'], requestsPerSecond: 1000 },
      '3 trades',
      (run) => run.got.length === 3,
    );
    assert.deepEqual(errors, []);
    const at = clock.sleeps.indexOf(7_000);
    assert.ok(at >= 0, `no 7 s sleep in ${clock.sleeps.join(',')}`);
    // Attempt 1 (the 503, no Retry-After): backoffMsBase * 2.
    assert.equal(clock.sleeps[at + 1], 1_000);
    assert.equal(poller.stats().binance?.retries, 2);
  });

  it('gives up on a 4xx at once and reports it, naming exchange, market, status and body', async () => {
    const { poller, errors } = await pollUntil(
      (url) => {
        if (url.pathname === '/api/v3/exchangeInfo') return { body: binanceMarkets };
        return { status: 400, body: { code: -1121, msg: 'Invalid symbol.' } };
      },
      { exchange: 'binance', markets: ['BTC-USDT'] },
      'an error',
      (run) => run.errors.length > 0,
    );
    const error = errors[0];
    assert.ok(error instanceof FeedHttpError, String(error));
    assert.match(
      error.message,
      /^binance BTC-USDT: GET http.*historicalTrades|^binance BTC-USDT: GET http.*trades/,
    );
    assert.match(error.message, /HTTP 400: .*Invalid symbol/);
    assert.equal(poller.stats().binance?.retries, 0);
  });

  it('reports a malformed page and keeps polling; the next good page is delivered', async () => {
    let calls = 0;
    const { poller, errors } = await pollUntil(
      (url) => {
        if (url.pathname === '/api/v3/exchangeInfo') return { body: binanceMarkets };
        calls += 1;
        if (calls === 1) return { body: [{ id: 1, price: 'oops', qty: '1', time: t0, isBuyerMaker: true }] };
        return { body: binanceTrades(1, 2) };
      },
      { exchange: 'binance', markets: ['BTC-USDT'] },
      '2 trades',
      (run) => run.got.length === 2,
    );
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof FeedResponseError);
    assert.match(errors[0].message, /^binance BTC-USDT: expected price to be a positive number, got "oops"$/);
    assert.equal(poller.stats().binance?.errors, 1);
  });

  it('reports markets the exchange does not list and polls the others', async () => {
    const { errors } = await pollUntil(
      (url) => {
        if (url.pathname === '/api/v3/exchangeInfo') return { body: binanceMarkets };
        return { body: binanceTrades(1, 1) };
      },
      { exchange: 'binance', markets: ['BTC-USDT', 'NOPE-USD'] },
      '1 trade',
      (run) => run.got.length === 1,
    );
    assert.match(errors[0]?.message ?? '', /binance: no such market\(s\) NOPE-USD/);
  });

  it('bounds requests in flight over all exchanges', async () => {
    let inFlight = 0;
    let peak = 0;
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      const body = (req.url ?? '').startsWith('/api/v3/exchangeInfo')
        ? {
            symbols: ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'].map((b) => ({
              symbol: `${b}USDT`,
              status: 'TRADING',
              baseAsset: b,
              quoteAsset: 'USDT',
            })),
          }
        : binanceTrades(1, 1);
      setTimeout(() => {
        inFlight -= 1;
        res.end(JSON.stringify(body));
      }, 20);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    const got: Trade[] = [];
    const poller = startTradePoller({
      ...baseOptions(new FakeClock(), got, []),
      inFlightRequestsMax: 2,
      exchanges: [
        {
          exchange: 'binance',
          markets: ['AAA-USDT', 'BBB-USDT', 'CCC-USDT', 'DDD-USDT', 'EEE-USDT', 'FFF-USDT'],
          baseUrl: `http://127.0.0.1:${address.port}`,
          requestsPerSecond: 1000,
          burst: 100,
        },
      ],
    });
    try {
      await until('6 markets polled', () => got.length >= 6);
    } finally {
      await poller.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    assert.equal(peak, 2);
  });

  it("spaces one exchange's requests by its rate limit, on the poller's clock", async () => {
    const clock = new FakeClock();
    const requestTimes: number[] = [];
    await pollUntil(
      (url) => {
        requestTimes.push(clock.now());
        if (url.pathname === '/0/public/AssetPairs') {
          return {
            body: {
              error: [],
              result: Object.fromEntries(
                ['ETH', 'SOL', 'ADA'].map((b) => [
                  `${b}USD`,
                  { altname: `${b}USD`, wsname: `${b}/USD`, status: 'online' },
                ]),
              ),
            },
          };
        }
        const pair = url.searchParams.get('pair') ?? '';
        return {
          body: { error: [], result: { [pair]: [['1.5', '2', 1700000000.5, 's', 'l', '', 1]], last: '1' } },
        };
      },
      { exchange: 'kraken', markets: ['ETH-USD', 'SOL-USD', 'ADA-USD'], requestsPerSecond: 2 },
      '3 markets polled',
      (run) => run.got.length === 3 && requestTimes.length >= 6,
      clock,
    );
    // Virtual time only moves when the limiter sleeps, so at 2/s with a burst of 1 the i-th
    // request (0-based) can only arrive once at least i * 500 ms have passed.
    const start = requestTimes[0] as number;
    for (const [i, at] of requestTimes.entries()) {
      assert.ok(at - start >= i * 500, `request ${i} arrived ${at - start} ms after the first`);
    }
    assert.deepEqual(clock.sleeps.slice(0, 3), [500, 500, 500]);
  });

  it('refuses options out of range, naming the option and value', () => {
    const sink = (): void => undefined;
    assert.throws(
      () =>
        startTradePoller({
          sink,
          exchanges: [{ exchange: 'kraken', markets: ['BTC-USD'] }],
          pollIntervalMs: 5,
        }),
      /pollIntervalMs must be between 100 and .*, got 5/,
    );
    assert.throws(
      () => startTradePoller({ sink, exchanges: [] }),
      /number of exchanges must be between 1 and 32, got 0/,
    );
    assert.throws(
      () => startTradePoller({ sink, exchanges: [{ exchange: 'mtgox', markets: ['BTC-USD'] }] }),
      /Unknown exchange 'mtgox'/,
    );
  });
});
