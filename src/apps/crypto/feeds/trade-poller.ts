// Polls the public "recent trades" endpoints of several exchanges and hands each market's new
// trades, oldest first and without repeats, to a sink. Per exchange: a token-bucket rate limit
// (documented defaults, overridable) and an exchange-wide pause after a 429/5xx that honours
// Retry-After. Over all exchanges: a bound on requests in flight. Per market: a cursor (forward
// paging) or a walk back to the last seen trade (backward paging), and a bounded set of recent
// ids. The sink is awaited, so a slow sink slows polling instead of growing a queue.
import type { Trade } from '../records.ts';
import { type Clock, systemClock } from './clock.ts';
import { FeedHttpError } from './errors.ts';
import type { ExchangeAdapter, FeedRequest, MarketInfo } from './exchange-adapter.ts';
import { adapterFor } from './exchange-adapters.ts';
import { type FetchFn, httpGetJson, requestUrl } from './http-get.ts';
import { feedLimits } from './limits.ts';
import { RateLimiter } from './rate-limiter.ts';
import { compareTrades, RecentTrades } from './recent-trades.ts';
import { Semaphore } from './semaphore.ts';

export interface ExchangeFeedOptions {
  exchange: string;
  /** Markets as BASE-QUOTE (e.g. `BTC-USD`), resolved against the exchange's market list. */
  markets: readonly string[];
  baseUrl?: string;
  /** Default: the adapter's documented-safe rate. */
  requestsPerSecond?: number;
  /** Requests that may start back to back after an idle spell. Default 1. */
  burst?: number;
}

export type TradeSink = (batch: readonly Trade[]) => Promise<void> | void;

export interface TradePollerOptions {
  exchanges: readonly ExchangeFeedOptions[];
  sink: TradeSink;
  /** Pause between two polls of one exchange's markets. */
  pollIntervalMs?: number;
  inFlightRequestsMax?: number;
  retriesMax?: number;
  pagesPerPollMax?: number;
  /** Called with every failure the poller survives (it keeps polling). */
  onError?: (error: Error) => void;
  clock?: Clock;
  fetch?: FetchFn;
}

export interface ExchangeStats {
  requests: number;
  trades: number;
  /** Requests repeated after a 429, a 5xx or a network error. */
  retries: number;
  errors: number;
  /** Polls that could not reach the last seen trade (the exchange keeps too few). */
  gaps: number;
}

export interface TradePoller {
  /** Resolves once every exchange's markets are resolved (or failed, reported to onError). */
  readonly ready: Promise<void>;
  stats(): Readonly<Record<string, Readonly<ExchangeStats>>>;
  stop(): Promise<void>;
}

interface MarketState {
  readonly info: MarketInfo;
  readonly recent: RecentTrades;
  /** Forward paging: where the next poll starts (null: from the newest page). */
  cursor: string | null;
}

function checkRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(
      `Cannot start trade poller: ${name} must be between ${min} and ${max}, got ${value}`,
    );
  }
  return value;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

class ExchangeFeed {
  readonly stats: ExchangeStats = { requests: 0, trades: 0, retries: 0, errors: 0, gaps: 0 };
  readonly #adapter: ExchangeAdapter;
  readonly #baseUrl: string;
  readonly #limiter: RateLimiter;
  readonly #wanted: readonly string[];
  #markets: MarketState[] = [];

  constructor(
    readonly options: ExchangeFeedOptions,
    readonly shared: Shared,
  ) {
    this.#adapter = adapterFor(options.exchange);
    this.#baseUrl = options.baseUrl ?? this.#adapter.baseUrl;
    const rate = options.requestsPerSecond ?? this.#adapter.requestsPerSecond;
    this.#limiter = new RateLimiter(rate, options.burst ?? 1, shared.clock);
    if (options.markets.length < 1 || options.markets.length > feedLimits.marketsPerExchangeMax) {
      throw new RangeError(
        `Cannot poll ${options.exchange}: markets must number 1-${feedLimits.marketsPerExchangeMax}, got ${options.markets.length}`,
      );
    }
    this.#wanted = options.markets.map((m) => m.toUpperCase());
  }

  /** Resolves the wanted BASE-QUOTE names to the exchange's symbols; retried until it works. */
  async resolve(): Promise<void> {
    const { clock, signal } = this.shared;
    for (;;) {
      try {
        const body = await this.#get(this.#adapter.marketsRequest(), 'markets');
        const listed = new Map(this.#adapter.parseMarkets(body).map((m) => [m.market, m]));
        const missing = this.#wanted.filter((m) => !listed.has(m));
        if (missing.length > 0) {
          this.shared.report(
            new Error(`${this.options.exchange}: no such market(s) ${missing.join(', ')}; polling the rest`),
          );
        }
        this.#markets = this.#wanted.flatMap((name) => {
          const info = listed.get(name);
          return info === undefined
            ? []
            : [{ info, recent: new RecentTrades(feedLimits.recentTradeIdsPerMarketMax), cursor: null }];
        });
        return;
      } catch (error) {
        if (signal.aborted) throw error;
        this.stats.errors += 1;
        this.shared.report(asError(error));
        await clock.sleep(this.shared.pollIntervalMs, signal);
      }
    }
  }

  async run(): Promise<void> {
    const { clock, signal } = this.shared;
    while (!signal.aborted) {
      const started = clock.now();
      await Promise.all(
        this.#markets.map((m) =>
          this.#poll(m).catch((error: unknown) => {
            if (signal.aborted) return;
            this.stats.errors += 1;
            this.shared.report(asError(error));
          }),
        ),
      );
      const waitMs = started + this.shared.pollIntervalMs - clock.now();
      if (waitMs > 0) await clock.sleep(waitMs, signal);
    }
  }

  /** One poll of one market: up to pagesPerPollMax pages, then one sink call. */
  async #poll(m: MarketState): Promise<void> {
    const adapter = this.#adapter;
    const fresh: Trade[] = [];
    const batchIds = new Set<string>();
    let cursor = adapter.paging === 'forward' ? m.cursor : null;
    let nextCursor = m.cursor;
    let reachedSeen = m.recent.empty;
    for (let page = 0; page < this.shared.pagesPerPollMax; page++) {
      const body = await this.#get(adapter.tradesRequest(m.info, cursor), m.info.market);
      const parsed = adapter.parseTrades(m.info, body);
      let repeats = 0;
      for (const trade of parsed.trades) {
        if (m.recent.seen(trade) || batchIds.has(trade.tradeId)) repeats += 1;
        else {
          batchIds.add(trade.tradeId);
          fresh.push(trade);
        }
      }
      const full = parsed.trades.length >= adapter.pageSize;
      if (adapter.paging === 'forward') {
        if (parsed.next !== null) nextCursor = parsed.next;
        // A full page of new trades means more wait after it.
        if (!full || parsed.next === null || parsed.next === cursor || repeats === parsed.trades.length)
          break;
        cursor = parsed.next;
        continue;
      }
      reachedSeen ||= repeats > 0 || !full;
      if (reachedSeen || adapter.paging === 'latest' || parsed.next === null) break;
      cursor = parsed.next;
    }
    if (adapter.paging !== 'forward' && !reachedSeen) this.stats.gaps += 1;
    if (fresh.length > 0) {
      fresh.sort(compareTrades);
      await this.shared.sink(fresh);
      for (const trade of fresh) m.recent.add(trade);
      this.stats.trades += fresh.length;
    }
    // Only after the sink took the trades, so a failed sink re-reads them next poll.
    m.cursor = nextCursor;
  }

  /** GET with the rate limit, the in-flight bound and retries on 429/5xx/network errors. */
  async #get(request: FeedRequest, market: string): Promise<unknown> {
    const { clock, signal, inFlight } = this.shared;
    const url = requestUrl(this.#baseUrl, request);
    for (let attempt = 0; ; attempt++) {
      await this.#limiter.take(signal);
      await inFlight.acquire();
      let failure: Error;
      let retryAfterMs: number | null = null;
      try {
        this.stats.requests += 1;
        const answer = await httpGetJson(url, { fetch: this.shared.fetch, signal, nowMs: clock.now() });
        if (answer.status >= 200 && answer.status <= 299) return answer.body;
        const error = new FeedHttpError(this.options.exchange, market, answer.status, url, answer.text);
        if (!error.retriable) throw error;
        failure = error;
        retryAfterMs = answer.retryAfterMs;
      } catch (error) {
        if (error instanceof FeedHttpError || signal.aborted) throw error;
        failure = new Error(
          `${this.options.exchange} ${market}: GET ${url} failed: ${asError(error).message}`,
        );
      } finally {
        inFlight.release();
      }
      if (attempt >= this.shared.retriesMax) throw failure;
      this.stats.retries += 1;
      const backoffMs = Math.min(feedLimits.backoffMsBase * 2 ** attempt, feedLimits.backoffMsMax);
      // The whole exchange waits: one market's 429 is the exchange telling this IP to slow down.
      this.#limiter.pauseUntil(clock.now() + (retryAfterMs ?? backoffMs));
    }
  }
}

interface Shared {
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly inFlight: Semaphore;
  readonly fetch: FetchFn;
  readonly sink: TradeSink;
  readonly pollIntervalMs: number;
  readonly retriesMax: number;
  readonly pagesPerPollMax: number;
  report(error: Error): void;
}

export function startTradePoller(options: TradePollerOptions): TradePoller {
  const count = options.exchanges.length;
  checkRange('the number of exchanges', count, 1, feedLimits.exchangesMax);
  const ids = new Set(options.exchanges.map((e) => e.exchange));
  if (ids.size !== count) throw new RangeError('Cannot start trade poller: an exchange is listed twice');
  const abort = new AbortController();
  const shared: Shared = {
    clock: options.clock ?? systemClock,
    signal: abort.signal,
    inFlight: new Semaphore(
      checkRange(
        'inFlightRequestsMax',
        options.inFlightRequestsMax ?? feedLimits.inFlightRequestsDefault,
        1,
        feedLimits.inFlightRequestsMax,
      ),
    ),
    fetch: options.fetch ?? fetch,
    sink: options.sink,
    pollIntervalMs: checkRange(
      'pollIntervalMs',
      options.pollIntervalMs ?? feedLimits.pollIntervalMsDefault,
      feedLimits.pollIntervalMsMin,
      24 * 3_600_000,
    ),
    retriesMax: checkRange(
      'retriesMax',
      options.retriesMax ?? feedLimits.retriesMax,
      0,
      feedLimits.retriesMax,
    ),
    pagesPerPollMax: checkRange(
      'pagesPerPollMax',
      options.pagesPerPollMax ?? feedLimits.pagesPerPollMax,
      1,
      feedLimits.pagesPerPollMax,
    ),
    report: (error) => options.onError?.(error),
  };
  const feeds = options.exchanges.map((e) => new ExchangeFeed(e, shared));
  const resolved = feeds.map((feed) => feed.resolve());
  const ready = Promise.allSettled(resolved).then(() => undefined);
  const running = feeds.map((feed, i) =>
    (resolved[i] as Promise<void>)
      .then(() => feed.run())
      .catch((error: unknown) => {
        if (!abort.signal.aborted) shared.report(asError(error));
      }),
  );
  return {
    ready,
    stats: () => Object.fromEntries(feeds.map((f) => [f.options.exchange, { ...f.stats }])),
    async stop() {
      abort.abort(new Error('trade poller stopped'));
      await Promise.allSettled(running);
    },
  };
}
