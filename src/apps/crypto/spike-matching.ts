// Scoring detections against injected ground truth. A detection matches an injected spike of the
// same market and direction when the spike's time falls in the detection's bar or in the bar
// before it (the burst after a jump can push the next bar over the threshold too; that is the
// same event, found one bar late). Precision counts detections, recall counts injected spikes.
import type { Spike } from './records.ts';
import type { InjectedSpike } from './spike-schedule.ts';

export interface MatchReport {
  readonly detections: number;
  readonly injected: number;
  readonly matchedDetections: number;
  readonly foundSpikes: number;
  readonly precision: number;
  readonly recall: number;
  readonly missed: readonly InjectedSpike[];
  readonly falseAlarms: readonly Spike[];
}

export function matchSpikes(
  detected: readonly Pick<Spike, 'exchange' | 'market' | 'windowStartMs' | 'windowEndMs' | 'direction'>[],
  injected: readonly InjectedSpike[],
): MatchReport {
  const byMarket = new Map<string, InjectedSpike[]>();
  for (const s of injected) {
    const list = byMarket.get(s.marketId) ?? [];
    list.push(s);
    byMarket.set(s.marketId, list);
  }
  const found = new Set<InjectedSpike>();
  const falseAlarms: Spike[] = [];
  let matched = 0;
  for (const d of detected) {
    const barMs = d.windowEndMs - d.windowStartMs;
    const candidates = byMarket.get(`${d.exchange}:${d.market}`) ?? [];
    const hit = candidates.find(
      (s) =>
        s.direction === d.direction &&
        s.timestampMs >= d.windowStartMs - barMs &&
        s.timestampMs < d.windowEndMs,
    );
    if (hit === undefined) falseAlarms.push(d as Spike);
    else {
      matched++;
      found.add(hit);
    }
  }
  return {
    detections: detected.length,
    injected: injected.length,
    matchedDetections: matched,
    foundSpikes: found.size,
    precision: detected.length === 0 ? 0 : matched / detected.length,
    recall: injected.length === 0 ? 0 : found.size / injected.length,
    missed: injected.filter((s) => !found.has(s)),
    falseAlarms,
  };
}
