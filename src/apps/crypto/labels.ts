// Which bars are spikes, for training. Generated data: the bar of each injected spike's market
// whose window holds the spike's time (a trade at exactly that time carries the jump, so that bar
// always shows it). Real data has no ground truth, so the realized move decides, by this rule:
// a bar is a spike when its log return is at least `zMin` (default 5) times the market's recent
// per-bar volatility and at least half of the move is still there `persistBars` (default 3) bars
// later (or at the market's last bar), i.e. a large move that was not immediately undone by the
// next prints. The model then learns to recognize such bars from what is known when they close.

import { marketId } from './records.ts';
import type { FeaturedBar } from './score-bars.ts';
import type { InjectedSpike } from './spike-schedule.ts';

export function labelsFromGroundTruth(
  bars: readonly FeaturedBar[],
  spikes: readonly InjectedSpike[],
): boolean[] {
  const times = new Map<string, number[]>();
  for (const s of spikes) {
    const list = times.get(s.marketId) ?? [];
    list.push(s.timestampMs);
    times.set(s.marketId, list);
  }
  return bars.map((bar) => {
    const list = times.get(marketId(bar.exchange, bar.market));
    return list?.some((t) => t >= bar.windowStartMs && t < bar.windowEndMs) === true;
  });
}

export interface RealizedMoveRule {
  readonly zMin: number;
  readonly persistBars: number;
  readonly persistShare: number;
}

export const defaultRealizedMoveRule: RealizedMoveRule = { zMin: 5, persistBars: 3, persistShare: 0.5 };

/** Labels by the realized-move rule above; `bars` in any order. */
export function labelsFromRealizedMoves(
  bars: readonly FeaturedBar[],
  rule: RealizedMoveRule = defaultRealizedMoveRule,
): boolean[] {
  const byMarket = new Map<string, number[]>();
  bars.forEach((bar, i) => {
    const key = marketId(bar.exchange, bar.market);
    const list = byMarket.get(key) ?? [];
    list.push(i);
    byMarket.set(key, list);
  });
  const labels = new Array<boolean>(bars.length).fill(false);
  for (const indices of byMarket.values()) {
    indices.sort((a, b) => (bars[a]?.windowStartMs ?? 0) - (bars[b]?.windowStartMs ?? 0));
    indices.forEach((index, k) => {
      const bar = bars[index];
      if (bar === undefined || !bar.warm || Math.abs(bar.zScore) < rule.zMin) return;
      const previousClose = bar.close / (1 + bar.returnPct);
      const later = bars[indices[Math.min(k + rule.persistBars, indices.length - 1)] ?? index] ?? bar;
      const move = Math.log(bar.close / previousClose);
      const kept = Math.log(later.close / previousClose);
      labels[index] =
        Math.sign(kept) === Math.sign(move) && Math.abs(kept) >= rule.persistShare * Math.abs(move);
    });
  }
  return labels;
}
