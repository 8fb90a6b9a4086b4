// The crypto app as the dashboard shows it: per market the last barsPerMarket scored bars (typed
// column rings), the last spikesMax spikes across all markets, and a market index (last price,
// change over the kept bars, spikes seen) searchable by text. Fed by the followers of
// crypto.bars and crypto.spikes; one market's records come from one partition, in order.
import { marketId, type ScoredBar, type Spike } from '../../../apps/crypto/records.ts';
import { ColumnRing } from './column-ring.ts';
import { KeyedRing } from './keyed-ring.ts';
import { asScoredBar, asSpike } from './record-shapes.ts';

export interface CryptoViewLimits {
  readonly marketsMax: number;
  readonly barsPerMarketMax: number;
  readonly spikesMax: number;
}

const BAR_COLUMNS = {
  windowStartMs: 'f64',
  windowEndMs: 'f64',
  open: 'f64',
  high: 'f64',
  low: 'f64',
  close: 'f64',
  volume: 'f64',
  probability: 'f64',
  spike: 'u8',
} as const;

type BarColumn = keyof typeof BAR_COLUMNS;

interface Market {
  readonly id: string;
  readonly exchange: string;
  readonly market: string;
  readonly bars: ColumnRing<BarColumn>;
  spikes: number;
}

export interface MarketSummary {
  readonly id: string;
  readonly exchange: string;
  readonly market: string;
  readonly lastPrice: number;
  /** Last close over the oldest kept bar's open, minus 1. */
  readonly changePct: number;
  readonly bars: number;
  readonly spikes: number;
  readonly lastBarMs: number;
}

/** One market's kept bars as columns, oldest first: what the price chart plots. */
export interface MarketBars {
  readonly id: string;
  readonly exchange: string;
  readonly market: string;
  readonly windowStartMs: number[];
  readonly windowEndMs: number[];
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly volume: number[];
  readonly probability: number[];
  readonly spike: boolean[];
}

export interface CryptoViewStats {
  readonly markets: number;
  readonly bars: number;
  readonly spikes: number;
  /** Bars of markets beyond marketsMax. */
  readonly droppedMarketBars: number;
  /** Bars older than the market's newest kept bar. */
  readonly outOfOrderBars: number;
  /** Records that do not have the contract's shape. */
  readonly malformed: number;
  readonly barBytes: number;
}

export interface CryptoViewEvents {
  bar(market: MarketSummary, bar: ScoredBar): void;
  spike(spike: Spike): void;
}

function spikeKey(spike: Spike): string {
  return `${marketId(spike.exchange, spike.market)}@${spike.windowStartMs}`;
}

export class CryptoView {
  readonly limits: CryptoViewLimits;
  readonly #markets = new Map<string, Market>();
  readonly #spikes: KeyedRing<Spike>;
  readonly #listeners = new Set<Partial<CryptoViewEvents>>();
  #bars = 0;
  #droppedMarketBars = 0;
  #outOfOrderBars = 0;
  #malformed = 0;

  constructor(limits: CryptoViewLimits) {
    this.limits = limits;
    this.#spikes = new KeyedRing(limits.spikesMax, spikeKey);
  }

  /** Subscribes to new bars and spikes; returns the unsubscribe. */
  on(listener: Partial<CryptoViewEvents>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get stats(): CryptoViewStats {
    let barBytes = 0;
    for (const m of this.#markets.values()) barBytes += m.bars.bytes;
    return {
      markets: this.#markets.size,
      bars: this.#bars,
      spikes: this.#spikes.length,
      droppedMarketBars: this.#droppedMarketBars,
      outOfOrderBars: this.#outOfOrderBars,
      malformed: this.#malformed,
      barBytes,
    };
  }

  /** A value read from crypto.bars. */
  addBar(value: unknown): void {
    const bar = asScoredBar(value);
    if (bar === null) {
      this.#malformed++;
      return;
    }
    const market = this.#marketFor(bar.exchange, bar.market);
    if (market === undefined) {
      this.#droppedMarketBars++;
      return;
    }
    const outcome = market.bars.push({
      windowStartMs: bar.windowStartMs,
      windowEndMs: bar.windowEndMs,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      volume: bar.volume,
      probability: bar.probability,
      spike: bar.spike ? 1 : 0,
    });
    if (outcome === 'refused') {
      this.#outOfOrderBars++;
      return;
    }
    if (outcome === 'appended') this.#bars++;
    const summary = this.#summary(market);
    for (const l of this.#listeners) l.bar?.(summary, bar);
  }

  /** A value read from crypto.spikes. */
  addSpike(value: unknown): void {
    const spike = asSpike(value);
    if (spike === null) {
      this.#malformed++;
      return;
    }
    if (!this.#spikes.add(spike)) return;
    const market = this.#marketFor(spike.exchange, spike.market);
    if (market !== undefined) {
      market.spikes++;
      // The spike may be read before its bar (two topics): the bar carries the flag too.
      market.bars.setAt(spike.windowStartMs, 'spike', 1);
    }
    for (const l of this.#listeners) l.spike?.(spike);
  }

  /**
   * Markets whose id contains every whitespace-separated word of `query` (case-insensitive),
   * most spikes first, then by id; at most `limit`. `total` counts every match.
   */
  search(query: string, limit: number): { total: number; markets: MarketSummary[] } {
    const words = query
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w !== '');
    const matches: Market[] = [];
    for (const m of this.#markets.values()) {
      const id = m.id.toLowerCase();
      if (words.every((w) => id.includes(w))) matches.push(m);
    }
    matches.sort((a, b) => b.spikes - a.spikes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { total: matches.length, markets: matches.slice(0, limit).map((m) => this.#summary(m)) };
  }

  market(id: string): MarketSummary | undefined {
    const m = this.#markets.get(id);
    return m === undefined ? undefined : this.#summary(m);
  }

  bars(id: string): MarketBars | undefined {
    const m = this.#markets.get(id);
    if (m === undefined) return undefined;
    const r = m.bars;
    return {
      id: m.id,
      exchange: m.exchange,
      market: m.market,
      windowStartMs: r.column('windowStartMs'),
      windowEndMs: r.column('windowEndMs'),
      open: r.column('open'),
      high: r.column('high'),
      low: r.column('low'),
      close: r.column('close'),
      volume: r.column('volume'),
      probability: r.column('probability'),
      spike: r.column('spike').map((s) => s === 1),
    };
  }

  /** The newest spikes first, of one market or all. */
  spikes(limit: number, id?: string): Spike[] {
    return this.#spikes.newest(
      limit,
      id === undefined ? undefined : (s) => marketId(s.exchange, s.market) === id,
    );
  }

  #marketFor(exchange: string, market: string): Market | undefined {
    const id = marketId(exchange, market);
    const known = this.#markets.get(id);
    if (known !== undefined || this.#markets.size >= this.limits.marketsMax) return known;
    const created: Market = {
      id,
      exchange,
      market,
      bars: new ColumnRing<BarColumn>(BAR_COLUMNS, 'windowStartMs', this.limits.barsPerMarketMax),
      spikes: 0,
    };
    this.#markets.set(id, created);
    return created;
  }

  #summary(m: Market): MarketSummary {
    const n = m.bars.length;
    const lastPrice = n === 0 ? 0 : m.bars.at('close', n - 1);
    const firstOpen = n === 0 ? 0 : m.bars.at('open', 0);
    return {
      id: m.id,
      exchange: m.exchange,
      market: m.market,
      lastPrice,
      changePct: firstOpen > 0 ? lastPrice / firstOpen - 1 : 0,
      bars: n,
      spikes: m.spikes,
      lastBarMs: n === 0 ? 0 : m.bars.at('windowStartMs', n - 1),
    };
  }
}
