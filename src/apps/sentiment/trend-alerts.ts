// The trend rule over a keyword's windows, in the engine: keyed by keyword, the rule's state in
// keyed value state (so it is checkpointed and a restored job neither repeats nor forgets an
// alert), one alert per firing.
import {
  defineProcess,
  type ProcessFunction,
  type ValueStateDecl,
  valueState,
} from '../../engine/operators/process-function.ts';
import { trendAlert } from './alerts.ts';
import type { SentimentAlert } from './records.ts';
import { nextTrendState, type TrendRule, type TrendState } from './trend-rule.ts';
import { type KeywordWindow, meanScoreOf } from './window-summary.ts';

export type TrendAlertsFunction = ProcessFunction<
  string,
  KeywordWindow,
  SentimentAlert,
  { trend: ValueStateDecl<TrendState> }
>;

export function trendAlerts(rule: TrendRule): TrendAlertsFunction {
  return defineProcess<string, KeywordWindow, SentimentAlert>()({
    state: { trend: valueState<TrendState>() },
    processRecord(w, _record, context) {
      const state = context.state.trend.get() ?? 'armed';
      const decision = nextTrendState(
        state,
        { messages: w.summary.messages, meanScore: meanScoreOf(w.summary) },
        rule,
      );
      if (decision.state !== state) context.state.trend.set(decision.state);
      if (decision.alert) context.emit(trendAlert(w, rule));
    },
  });
}
