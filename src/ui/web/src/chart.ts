// A time-series chart over uPlot: named series sharing one time axis, fed whole histories (the
// sampler's, at most its history length), resized with its container.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface SeriesSpec {
  label: string;
  color: string;
}

const PALETTE = ['#2f80ed', '#eb5757', '#27ae60', '#f2994a', '#9b51e0', '#56ccf2', '#bb6bd9', '#219653'];

export function paletteColor(i: number): string {
  return PALETTE[i % PALETTE.length] ?? '#2f80ed';
}

export class TimeChart {
  readonly element: HTMLDivElement;
  #plot: uPlot | null = null;
  #series: SeriesSpec[];
  readonly #format: (v: number) => string;
  readonly #height: number;
  readonly #observer: ResizeObserver;

  constructor(series: SeriesSpec[], format: (v: number) => string, height = 200) {
    this.element = document.createElement('div');
    this.element.className = 'chart';
    this.#series = series;
    this.#format = format;
    this.#height = height;
    this.#observer = new ResizeObserver(() => {
      this.#plot?.setSize({ width: this.#width(), height: this.#height });
    });
    this.#observer.observe(this.element);
  }

  /** xs in ms since the epoch; one ys array per series. Recreates the plot if the series changed. */
  update(xsMs: number[], ys: number[][], series: SeriesSpec[] = this.#series): void {
    const data: uPlot.AlignedData = [xsMs.map((x) => x / 1000), ...ys];
    const changed =
      series.length !== this.#series.length || series.some((s, i) => s.label !== this.#series[i]?.label);
    if (this.#plot === null || changed) {
      this.#series = series;
      this.#plot?.destroy();
      this.#plot = new uPlot(this.#options(), data, this.element);
    } else {
      this.#plot.setData(data);
    }
  }

  destroy(): void {
    this.#observer.disconnect();
    this.#plot?.destroy();
  }

  #width(): number {
    return Math.max(240, this.element.clientWidth);
  }

  #options(): uPlot.Options {
    const format = this.#format;
    return {
      width: this.#width(),
      height: this.#height,
      legend: { live: true },
      scales: {
        x: { time: true },
        y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max * 1.1)] },
      },
      axes: [{}, { values: (_u, splits) => splits.map((v) => format(v)), size: 80 }],
      series: [
        {},
        ...this.#series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: `${s.color}18`,
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)),
        })),
      ],
    };
  }
}
