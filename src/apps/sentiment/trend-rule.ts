// The negative-trend alert rule as a state machine per keyword, kept apart from the engine so it
// can be tested as a table. A keyword starts armed. An armed keyword fires on a window with at
// least `minMessages` messages whose mean score is at or below `meanScoreMax`, and is then quiet
// for the rest of the episode: it re-arms only when a window with at least `minMessages`
// messages has a mean at or above `recoverMeanScoreMin` (above the firing threshold, so a mean
// hovering around it does not flap). Windows with fewer messages change nothing either way.

export interface TrendRule {
  readonly minMessages: number;
  readonly meanScoreMax: number;
  readonly recoverMeanScoreMin: number;
}

export type TrendState = 'armed' | 'fired';

export interface TrendWindow {
  readonly messages: number;
  readonly meanScore: number;
}

export interface TrendDecision {
  readonly state: TrendState;
  readonly alert: boolean;
}

export function checkTrendRule(rule: TrendRule): TrendRule {
  if (!(Number.isSafeInteger(rule.minMessages) && rule.minMessages >= 1))
    throw new RangeError(`Trend rule minMessages must be an integer >= 1, got ${rule.minMessages}`);
  if (!(rule.meanScoreMax >= -1 && rule.meanScoreMax <= 1))
    throw new RangeError(`Trend rule meanScoreMax must be within -1..1, got ${rule.meanScoreMax}`);
  if (!(rule.recoverMeanScoreMin > rule.meanScoreMax && rule.recoverMeanScoreMin <= 1)) {
    throw new RangeError(
      `Trend rule recoverMeanScoreMin must be above meanScoreMax ${rule.meanScoreMax} and at most 1, got ${rule.recoverMeanScoreMin}`,
    );
  }
  return rule;
}

export function nextTrendState(state: TrendState, window: TrendWindow, rule: TrendRule): TrendDecision {
  if (window.messages < rule.minMessages) return { state, alert: false };
  if (state === 'armed') {
    return window.meanScore <= rule.meanScoreMax ? { state: 'fired', alert: true } : { state, alert: false };
  }
  return window.meanScore >= rule.recoverMeanScoreMin
    ? { state: 'armed', alert: false }
    : { state, alert: false };
}
