// The sentiment page's timeline of one keyword over uPlot: mean score (-1..1, left axis) as a
// line, and messages per window (all and negative) as bars on a right-hand count axis.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface TimelineColumns {
  windowStartMs: number[];
  messages: number[];
  negative: number[];
  meanScore: number[];
}

const HEIGHT = 300;

export class SentimentChart {
  readonly element: HTMLDivElement;
  #plot: uPlot | null = null;
  readonly #observer: ResizeObserver;

  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'chart';
    this.element.dataset.testid = 'sentiment-chart';
    this.#observer = new ResizeObserver(() => this.#plot?.setSize({ width: this.#width(), height: HEIGHT }));
    this.#observer.observe(this.element);
  }

  update(t: TimelineColumns): void {
    const data: uPlot.AlignedData = [
      t.windowStartMs.map((x) => x / 1000),
      t.meanScore,
      t.messages,
      t.negative,
    ];
    this.element.dataset.points = String(t.windowStartMs.length);
    if (this.#plot === null) this.#plot = new uPlot(this.#options(), data, this.element);
    else this.#plot.setData(data);
  }

  destroy(): void {
    this.#observer.disconnect();
    this.#plot?.destroy();
  }

  #width(): number {
    return Math.max(320, this.element.clientWidth);
  }

  #options(): uPlot.Options {
    const bars = uPlot.paths.bars?.({ size: [0.6, 30] });
    const barPaths = bars ? { paths: bars } : {};
    return {
      width: this.#width(),
      height: HEIGHT,
      scales: {
        x: { time: true },
        score: { range: [-1, 1] },
        count: { range: (_u, _min, max) => [0, Math.max(1, max * 1.2)] },
      },
      axes: [
        {},
        { scale: 'score', size: 50, values: (_u, splits) => splits.map((v) => v.toFixed(1)) },
        { scale: 'count', side: 1, size: 50, grid: { show: false } },
      ],
      series: [
        {},
        {
          label: 'mean score',
          scale: 'score',
          stroke: '#9b51e0',
          width: 2,
          value: (_u, v) => (v === null ? '—' : v.toFixed(2)),
        },
        { label: 'messages', scale: 'count', stroke: '#6b7280', fill: '#6b728044', width: 1, ...barPaths },
        { label: 'negative', scale: 'count', stroke: '#c62828', fill: '#c6282844', width: 1, ...barPaths },
      ],
    };
  }
}
