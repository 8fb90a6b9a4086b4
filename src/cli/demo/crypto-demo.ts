// `sluice demo crypto` (and `npm start`): the talk's first application. Trades of thousands of
// markets on 11 exchanges (simulated, or polled from the exchanges' public APIs) flow into
// crypto.trades; the spike-detection job turns them into per-market bars, scores each bar with
// the logistic spike model and writes the bars and the detected spikes, which the dashboard's
// Crypto page charts live.
import type { Logger } from 'pino';
import { listMarkets, startTradePoller, topicTradeSink } from '../../apps/crypto/feeds/index.ts';
import {
  type CryptoJobParams,
  cryptoJobModule,
  cryptoTopics,
  defaultMarketCount,
  startTradeFeed,
  type TradeFeedProgress,
} from '../../apps/crypto/index.ts';
import { readLastPrices } from '../../apps/crypto/last-prices.ts';
import { Producer } from '../../client/producer.ts';
import type { DemoApp, DemoFeed } from './demo-runner.ts';

/** Which markets of one exchange to poll; none given: every market the exchange lists. */
export interface PolledExchange {
  readonly exchange: string;
  readonly markets: readonly string[];
}

export interface CryptoDemoOptions {
  /** Simulated markets (0: no simulator) and trades per second over all of them. */
  readonly markets: number;
  readonly tradesPerSecond: number;
  readonly seed: number;
  /** The exchanges the simulator spreads markets over (default all 11). */
  readonly exchanges?: readonly string[];
  /** Real exchanges to poll for trades. */
  readonly poll: readonly PolledExchange[];
  /** Model file; default the checked-in model. */
  readonly model?: string;
  readonly partitions: number;
}

export const cryptoDemoDefaults: CryptoDemoOptions = {
  markets: defaultMarketCount,
  tradesPerSecond: 2_000,
  seed: 1,
  poll: [],
  partitions: 6,
};

export function cryptoDemo(options: CryptoDemoOptions): DemoApp {
  const params: CryptoJobParams = {
    partitions: options.partitions,
    ...(options.model === undefined ? {} : { model: options.model }),
  };
  return {
    name: 'crypto',
    page: '#/crypto',
    topics: [
      { topic: cryptoTopics.trades, partitions: options.partitions },
      { topic: cryptoTopics.bars, partitions: options.partitions },
      { topic: cryptoTopics.spikes, partitions: 1 },
    ],
    jobs: [
      {
        name: 'crypto-spikes',
        description: 'price spikes per market: bars, features and the logistic spike model',
        module: cryptoJobModule,
        params,
      },
    ],
    async startFeeds(bootstrap, logger) {
      const feeds: DemoFeed[] = [];
      if (options.markets > 0) feeds.push(await simulatedTrades(options, bootstrap, logger));
      if (options.poll.length > 0) feeds.push(await polledTrades(options.poll, bootstrap, logger));
      return feeds;
    },
  };
}

async function simulatedTrades(
  options: CryptoDemoOptions,
  bootstrap: string,
  logger: Logger,
): Promise<DemoFeed> {
  // A demo started again continues each market from its last trade, not from its base price.
  const startPrices = await readLastPrices({ bootstrap, topic: cryptoTopics.trades });
  if (startPrices.size > 0)
    logger.info(
      { markets: startPrices.size },
      `Continuing ${startPrices.size} markets from their last trades`,
    );
  let progress: TradeFeedProgress = { trades: 0, timeMs: 0, spikes: 0 };
  const feed = startTradeFeed({
    startPrices,
    bootstrap,
    topic: cryptoTopics.trades,
    partitions: options.partitions,
    seed: options.seed,
    universe: {
      markets: options.markets,
      ...(options.exchanges === undefined ? {} : { exchanges: options.exchanges }),
    },
    tradesPerSecond: options.tradesPerSecond,
    mode: 'realtime',
    onProgress: (p) => {
      progress = p;
    },
  });
  return {
    name: 'simulated trades',
    progress: () =>
      `${progress.trades.toLocaleString('en-US')} trades, ${progress.spikes.toLocaleString('en-US')} spikes injected`,
    done: feed.done,
    close: async () => {
      feed.stop();
      await feed.done;
    },
  };
}

async function polledTrades(
  poll: readonly PolledExchange[],
  bootstrap: string,
  logger: Logger,
): Promise<DemoFeed> {
  const exchanges = [];
  for (const { exchange, markets } of poll) {
    const chosen = markets.length > 0 ? markets : (await listMarkets(exchange)).map((m) => m.market);
    logger.info({ exchange, markets: chosen.length }, `Polling ${chosen.length} markets of ${exchange}`);
    exchanges.push({ exchange, markets: chosen });
  }
  const producer = new Producer({ bootstrap, clientId: 'sluice-crypto-poller' });
  const poller = startTradePoller({
    exchanges,
    sink: topicTradeSink(producer, cryptoTopics.trades),
    onError: (error) => logger.warn({ err: error }, error.message),
  });
  return {
    name: 'exchange trades',
    progress: () => {
      const stats = Object.values(poller.stats());
      const trades = stats.reduce((n, s) => n + s.trades, 0);
      const errors = stats.reduce((n, s) => n + s.errors, 0);
      return `${trades.toLocaleString('en-US')} trades from ${stats.length} exchanges, ${errors} errors`;
    },
    close: async () => {
      await poller.stop();
      await producer.close();
    },
  };
}
