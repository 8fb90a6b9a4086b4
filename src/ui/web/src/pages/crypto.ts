// The crypto app: a searchable picker over thousands of markets, the chosen market's live price
// chart (close, high-low band, spikes marked) and volume, and a live feed of spikes across all
// markets (a click opens that market). Says how to start the app while its topics are absent.
// The chosen market is kept in the address (#/crypto/kraken:BTC-USD) without a re-render.
import { api } from '../api.ts';
import { AppPage } from '../apps/app-page.ts';
import { openAppStream } from '../apps/app-stream.ts';
import { trimColumns, windowSlot } from '../apps/chart-columns.ts';
import { Feed } from '../apps/feed.ts';
import { type BarColumns, PriceChart } from '../apps/price-chart.ts';
import { h, replace } from '../dom.ts';
import { count, time } from '../format.ts';
import type { MarketBars, MarketSearch, MarketSummary, ScoredBarRecord, SpikeRecord } from '../types.ts';
import { badge, errorBanner, section } from '../widgets.ts';
import type { Page } from './page.ts';

const SEARCH_LIMIT = 50;
const SEARCH_DEBOUNCE_MS = 150;
const LIST_REFRESH_MS = 5000;
const FEED_MAX = 100;
/** Bars kept on the chart as new ones stream in (the server keeps a few hundred). */
const CHART_BARS_MAX = 1000;

function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`;
}

function priceText(x: number): string {
  return x >= 1000 ? x.toFixed(2) : x.toPrecision(6);
}

function spikeKey(s: SpikeRecord): string {
  return `${s.exchange}:${s.market}@${s.windowStartMs}`;
}

export const cryptoPage: Page = (root, params) => {
  let selected: string | null = params[0] ?? null;
  const shell = new AppPage(root, 'Crypto price spikes');

  const search = h('input', {
    type: 'search',
    placeholder: 'Search markets, e.g. kraken btc',
    'data-testid': 'market-search',
    'aria-label': 'Search markets',
  });
  const listInfo = h('div', { class: 'muted small-print', 'data-testid': 'market-count' });
  const list = h('ul', { class: 'pick-list', 'data-testid': 'market-list' });
  const marketHead = h('div', { class: 'market-head', 'data-testid': 'market-head' });
  const chart = new PriceChart();
  const marketSpikes = h('div', { 'data-testid': 'market-spikes' });
  const feedList = h('ul', { class: 'feed', 'data-testid': 'spike-feed' });
  const chartPanel = section('Market', marketHead, chart.element, marketSpikes);
  replace(
    shell.body,
    h('div', { class: 'apps-side' }, section('Markets', search, listInfo, list)),
    h('div', { class: 'apps-main' }, chartPanel),
    h('div', { class: 'apps-feed' }, section('Live spike alerts', feedList)),
  );
  marketHead.textContent = 'Pick a market on the left.';

  const feed = new Feed<SpikeRecord>(FEED_MAX, spikeKey);
  let columns: BarColumns | null = null;
  let closeStream: (() => void) | null = null;

  const renderFeed = () => {
    replace(
      feedList,
      feed.items.length === 0 ? h('li', { class: 'muted' }, 'No spikes yet.') : null,
      feed.items.map((s) => {
        const id = `${s.exchange}:${s.market}`;
        return h(
          'li',
          {},
          h(
            'button',
            { type: 'button', class: 'feed-item', 'data-market': id, onclick: () => void choose(id) },
            badge(s.direction === 'up' ? '▲ up' : '▼ down', s.direction === 'up' ? 'good' : 'bad'),
            h('strong', {}, ` ${id} `),
            pct(s.returnPct),
            h('span', { class: 'muted' }, ` p=${s.probability.toFixed(2)} · ${time(s.windowStartMs)}`),
          ),
        );
      }),
    );
  };

  const renderHead = (m: MarketSummary | undefined) => {
    if (m === undefined || selected === null) return;
    replace(
      marketHead,
      h('strong', { class: 'market-id' }, selected),
      ` last ${priceText(m.lastPrice)} `,
      h('span', { class: m.changePct >= 0 ? 'up' : 'down' }, pct(m.changePct)),
      h('span', { class: 'muted' }, ` · ${count(m.bars)} bars · ${m.spikes} spikes`),
    );
  };

  const renderMarketSpikes = () => {
    if (selected === null) return;
    const mine = feed.items.filter((s) => `${s.exchange}:${s.market}` === selected);
    replace(
      marketSpikes,
      mine.length === 0
        ? h('p', { class: 'muted' }, 'No spikes detected on this market in the kept bars.')
        : h(
            'p',
            {},
            `Spikes on ${selected}: `,
            mine.map((s) =>
              h('span', { class: 'spike-chip' }, `${time(s.windowStartMs)} ${pct(s.returnPct)}`),
            ),
          ),
    );
  };

  let searchSeq = 0;
  const refreshList = async () => {
    const seq = ++searchSeq;
    try {
      const q = encodeURIComponent(search.value.trim());
      const found = await api.get<MarketSearch>(`api/apps/crypto/markets?q=${q}&limit=${SEARCH_LIMIT}`);
      if (!shell.alive || seq !== searchSeq) return;
      listInfo.textContent = `${found.markets.length} of ${count(found.total)} matching markets`;
      replace(
        list,
        found.markets.map((m) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: m.id === selected ? 'pick active' : 'pick',
                'data-market': m.id,
                onclick: () => void choose(m.id),
              },
              h('span', { class: 'pick-name' }, m.id),
              h('span', { class: 'pick-figure' }, priceText(m.lastPrice)),
              h('span', { class: m.changePct >= 0 ? 'up' : 'down' }, pct(m.changePct)),
              m.spikes > 0 ? badge(`${m.spikes} spike${m.spikes === 1 ? '' : 's'}`, 'bad') : null,
            ),
          ),
        ),
      );
    } catch (error) {
      if (shell.alive) replace(list, errorBanner((error as Error).message));
    }
  };

  const onBar = (data: unknown) => {
    const { market, bar } = data as { market: MarketSummary; bar: ScoredBarRecord };
    if (columns === null || market.id !== selected) return;
    const at = windowSlot(columns.windowStartMs, bar.windowStartMs);
    if (at < 0) return;
    columns.windowStartMs[at] = bar.windowStartMs;
    columns.open[at] = bar.open;
    columns.high[at] = bar.high;
    columns.low[at] = bar.low;
    columns.close[at] = bar.close;
    columns.volume[at] = bar.volume;
    columns.spike[at] = bar.spike || columns.spike[at] === true;
    trimColumns(columns, CHART_BARS_MAX);
    chart.update(columns);
    renderHead(market);
  };

  const onSpike = (data: unknown) => {
    const spike = data as SpikeRecord;
    if (!feed.add(spike)) return;
    renderFeed();
    if (`${spike.exchange}:${spike.market}` === selected) {
      if (columns !== null) {
        const i = columns.windowStartMs.indexOf(spike.windowStartMs);
        if (i >= 0) {
          columns.spike[i] = true;
          chart.update(columns);
        }
      }
      renderMarketSpikes();
    }
  };

  const openStream = () => {
    closeStream?.();
    const market = selected === null ? '' : `?market=${encodeURIComponent(selected)}`;
    closeStream = openAppStream(`events/apps/crypto${market}`, { bar: onBar, spike: onSpike });
  };

  async function choose(id: string): Promise<void> {
    selected = id;
    history.replaceState(null, '', `#/crypto/${encodeURIComponent(id)}`);
    for (const b of list.querySelectorAll<HTMLButtonElement>('button.pick'))
      b.classList.toggle('active', b.dataset.market === id);
    chartPanel.dataset.market = id;
    try {
      const bars = await api.get<MarketBars>(`api/apps/crypto/bars?market=${encodeURIComponent(id)}`);
      if (!shell.alive || selected !== id) return;
      columns = {
        windowStartMs: bars.windowStartMs,
        open: bars.open,
        high: bars.high,
        low: bars.low,
        close: bars.close,
        volume: bars.volume,
        spike: bars.spike,
      };
      feed.addAll([...bars.spikes].reverse());
      chart.update(columns);
      renderHead(bars.summary);
      renderFeed();
      renderMarketSpikes();
      openStream();
    } catch (error) {
      if (shell.alive && selected === id) replace(marketHead, errorBanner((error as Error).message));
    }
  }

  const start = async () => {
    try {
      const { spikes } = await api.get<{ spikes: SpikeRecord[] }>(`api/apps/crypto/spikes?limit=${FEED_MAX}`);
      if (!shell.alive) return;
      feed.addAll([...spikes].reverse());
      renderFeed();
    } catch (error) {
      if (shell.alive) replace(feedList, errorBanner((error as Error).message));
    }
    await refreshList();
    if (selected !== null) await choose(selected);
    else openStream();
  };

  let debounce: ReturnType<typeof setTimeout> | null = null;
  search.addEventListener('input', () => {
    if (debounce !== null) clearTimeout(debounce);
    debounce = setTimeout(() => void refreshList(), SEARCH_DEBOUNCE_MS);
  });
  const listTimer = setInterval(() => {
    if (shell.running) void refreshList();
  }, LIST_REFRESH_MS);

  shell.watch('crypto', start);

  return () => {
    shell.close();
    clearInterval(listTimer);
    if (debounce !== null) clearTimeout(debounce);
    closeStream?.();
    chart.destroy();
  };
};
