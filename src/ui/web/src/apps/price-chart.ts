// The crypto page's charts of one market over uPlot: close price with its high-low band and the
// detected spikes as red markers, and volume as bars below, sharing a cursor. Fed whole columns
// (the server's kept bars, at most a few hundred) and redrawn on each new bar. The number of
// spike markers drawn is exposed as data-spike-markers, since a canvas cannot be inspected.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface BarColumns {
  windowStartMs: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  spike: boolean[];
}

const PRICE_HEIGHT = 300;
const VOLUME_HEIGHT = 110;
const SPIKE_COLOR = '#c62828';
const PRICE_COLOR = '#2f80ed';

function price(v: number | null): string {
  if (v === null) return '—';
  return v >= 1000 ? v.toFixed(2) : v.toPrecision(6);
}

export class PriceChart {
  readonly element: HTMLDivElement;
  readonly #priceSlot: HTMLDivElement;
  readonly #volumeSlot: HTMLDivElement;
  #price: uPlot | null = null;
  #volume: uPlot | null = null;
  readonly #observer: ResizeObserver;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'price-chart';
    this.element.dataset.testid = 'price-chart';
    this.#priceSlot = document.createElement('div');
    this.#volumeSlot = document.createElement('div');
    this.element.append(this.#priceSlot, this.#volumeSlot);
    this.#observer = new ResizeObserver(() => {
      const width = this.#width();
      this.#price?.setSize({ width, height: PRICE_HEIGHT });
      this.#volume?.setSize({ width, height: VOLUME_HEIGHT });
    });
    this.#observer.observe(this.element);
  }

  update(bars: BarColumns): void {
    const xs = bars.windowStartMs.map((t) => t / 1000);
    const markers = bars.close.map((c, i) => (bars.spike[i] === true ? c : null));
    const priceData: uPlot.AlignedData = [xs, bars.close, bars.high, bars.low, markers];
    const volumeData: uPlot.AlignedData = [xs, bars.volume];
    this.element.dataset.spikeMarkers = String(markers.filter((m) => m !== null).length);
    this.element.dataset.bars = String(xs.length);
    if (this.#price === null || this.#volume === null) {
      this.#price = new uPlot(this.#priceOptions(), priceData, this.#priceSlot);
      this.#volume = new uPlot(this.#volumeOptions(), volumeData, this.#volumeSlot);
    } else {
      this.#price.setData(priceData);
      this.#volume.setData(volumeData);
    }
  }

  destroy(): void {
    this.#observer.disconnect();
    this.#price?.destroy();
    this.#volume?.destroy();
  }

  #width(): number {
    return Math.max(320, this.element.clientWidth);
  }

  #priceOptions(): uPlot.Options {
    const value = (_u: uPlot, v: number | null) => price(v);
    return {
      width: this.#width(),
      height: PRICE_HEIGHT,
      cursor: { sync: { key: 'crypto-market' } },
      scales: { x: { time: true } },
      axes: [{}, { size: 80, values: (_u, splits) => splits.map((v) => price(v)) }],
      bands: [{ series: [2, 3], fill: `${PRICE_COLOR}1c` }],
      series: [
        {},
        { label: 'close', stroke: PRICE_COLOR, width: 2, value },
        { label: 'high', stroke: `${PRICE_COLOR}55`, width: 1, value },
        { label: 'low', stroke: `${PRICE_COLOR}55`, width: 1, value },
        {
          label: 'spike',
          stroke: SPIKE_COLOR,
          width: 0,
          paths: () => null,
          points: { show: true, size: 12, width: 2, stroke: '#ffffff', fill: SPIKE_COLOR },
          value,
        },
      ],
    };
  }

  #volumeOptions(): uPlot.Options {
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    return {
      width: this.#width(),
      height: VOLUME_HEIGHT,
      cursor: { sync: { key: 'crypto-market' } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{}, { size: 80 }],
      series: [
        {},
        { label: 'volume', stroke: '#6b7280', fill: '#6b728066', width: 1, ...(bars ? { paths: bars } : {}) },
      ],
    };
  }
}
