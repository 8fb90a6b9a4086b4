import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FeedResponseError } from '../errors.ts';
import { exchangeAdapters } from '../exchange-adapters.ts';
import { listMarkets } from '../list-markets.ts';
import { compareTrades } from '../recent-trades.ts';
import { type FakeExchange, startFakeExchange } from '../testing/fake-exchange.ts';
import { fixtures } from '../testing/fixtures.ts';

// The raw JSON of the first trade's price in each fixture, replaced to make a malformed page.
const priceTokens: Readonly<Record<string, string>> = {
  binance: '"4.00000100"',
  coinbase: '"10.00000000"',
  kraken: '"30243.40000"',
  bitstamp: '"37000"',
  bitfinex: '37001',
  gemini: '"37001.00"',
  okx: '"29963.2"',
  bybit: '"16618.50"',
  kucoin: '"37000.1"',
  htx: '37000.5',
  poloniex: '"37000.2"',
};

describe('exchange adapters', () => {
  it('cover the 11 exchanges the app polls, each with a fixture', () => {
    assert.deepEqual(Object.keys(exchangeAdapters).sort(), fixtures.map((f) => f.exchange).sort());
    assert.equal(Object.keys(exchangeAdapters).length, 11);
  });

  for (const f of fixtures) {
    describe(f.exchange, () => {
      const adapter = exchangeAdapters[f.exchange];
      assert.ok(adapter);
      const info = { exchange: f.exchange, market: f.market, symbol: f.symbol };
      let server: FakeExchange;
      before(async () => {
        server = await startFakeExchange((url) =>
          url.pathname === f.marketsPath
            ? { body: f.markets }
            : { status: 404, body: { message: 'not found' } },
        );
      });
      after(() => server.close());

      it('listMarkets() reads the symbols endpoint into BASE-QUOTE markets, skipping disabled ones', async () => {
        const markets = await listMarkets(f.exchange, { baseUrl: server.baseUrl });
        assert.deepEqual(
          markets.find((m) => m.market === f.market),
          info,
        );
        assert.ok(!markets.some((m) => m.market.startsWith('OLD-')), JSON.stringify(markets));
        for (const m of markets) assert.match(m.market, /^[A-Z0-9]+-[A-Z0-9]+$/);
      });

      it('asks for trades at the documented path', () => {
        assert.equal(adapter.tradesRequest(info, null).path, f.tradesPath);
      });

      it('parses a trades page into Trades (taker side, ms time, the exchange id kept)', () => {
        const page = adapter.parseTrades(info, f.trades);
        const got = [...page.trades].sort(compareTrades);
        assert.deepEqual(
          got,
          f.expected.map((t) => ({ exchange: f.exchange, market: f.market, ...t })),
        );
      });

      it("rejects the exchange's error envelope with an error naming exchange and market", () => {
        assert.throws(
          () => adapter.parseTrades(info, f.error),
          (e: unknown) =>
            e instanceof FeedResponseError && e.message.startsWith(`${f.exchange} ${f.market}: `),
        );
      });

      it('rejects a trade whose price is not a number, quoting the value', () => {
        const token = priceTokens[f.exchange] ?? '';
        const text = JSON.stringify(f.trades);
        assert.ok(text.includes(token), `fixture of ${f.exchange} has no ${token}`);
        const broken: unknown = JSON.parse(text.replace(token, '"oops"'));
        assert.throws(
          () => adapter.parseTrades(info, broken),
          (e: unknown) =>
            e instanceof FeedResponseError &&
            e.message.startsWith(`${f.exchange} ${f.market}: `) &&
            e.message.includes('"oops"'),
        );
      });

      it('rejects a body that is not JSON', () => {
        assert.throws(() => adapter.parseTrades(info, '<html>502 Bad Gateway</html>'), FeedResponseError);
      });
    });
  }

  it('listMarkets() reports an HTTP error with the status and the body', async () => {
    const server = await startFakeExchange(() => ({ status: 403, body: { msg: 'blocked' } }));
    try {
      await assert.rejects(
        listMarkets('okx', { baseUrl: server.baseUrl }),
        /okx markets: GET .* answered HTTP 403: .*blocked/,
      );
    } finally {
      await server.close();
    }
  });

  it('listMarkets() refuses an unknown exchange by name', async () => {
    await assert.rejects(listMarkets('mtgox'), /Unknown exchange 'mtgox'/);
  });
});
