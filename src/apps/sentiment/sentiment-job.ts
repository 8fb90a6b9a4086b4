// The sentiment job, as a job module (`sluice run src/apps/sentiment/sentiment-job.ts --params`):
//   social.messages ─ decode (bad records → social.rejected)
//     → keywords + score, one record per keyword mentioned ─→ social.scored
//       └ per keyword, event-time windows (tumbling, or hopping with slideMs)
//           ├ SentimentPoint ──────────────────────────────→ social.sentiment
//           ├ worst message <= messageScoreMax ────────────→ negative-message alert ──┐
//           ├ trend rule in keyed state ───────────────────→ negative-trend alerts ───┴→ social.alerts
//           └ late messages (past the window) ─────────────→ social.late
// Every sink is a topic sink, so each output holds each result once (exactly once) when read
// with read_committed. Event time is the message's timestampMs.
import { topicSink } from '../../engine/connector/topic-sink.ts';
import { topicSource } from '../../engine/connector/topic-source.ts';
import { Job } from '../../engine/dsl/job.ts';
import type { Stream } from '../../engine/dsl/stream.ts';
import { OutputTag } from '../../engine/operators/output-tag.ts';
import { json } from '../../engine/serde/serdes.ts';
import { hopping, tumbling } from '../../engine/time/windows.ts';
import { worstMessageAlert } from './alerts.ts';
import { GeneratedMessageSource, type MessageSourceOptions } from './generator-source.ts';
import { type IncomingMessage, incomingMessageSerde, type RejectedMessage } from './incoming-message.ts';
import { keywordMatcher } from './keywords.ts';
import { sentimentLimits } from './limits.ts';
import { type ScoredMessage, type SentimentAlert, type SentimentPoint, sentimentTopics } from './records.ts';
import { scoreMessage } from './score-message.ts';
import { trendAlerts } from './trend-alerts.ts';
import { checkTrendRule, type TrendRule } from './trend-rule.ts';
import { type KeywordWindow, sentimentPointOf, windowSummaryAggregator } from './window-summary.ts';

export interface SentimentJobTopics {
  readonly messages: string;
  readonly scored: string;
  readonly timeline: string;
  readonly alerts: string;
  /** Messages that arrived after their window closed. */
  readonly late: string;
  /** Records of the messages topic that are not SocialMessages. */
  readonly rejected: string;
}

export interface SentimentJobParams {
  readonly keywords: readonly string[];
  /** Timeline window size. */
  readonly windowMs: number;
  /** Hopping windows starting every slideMs (< windowMs); absent: tumbling windows. */
  readonly slideMs?: number;
  readonly trend: TrendRule;
  /** A window whose most negative message scores at or below this raises one negative-message alert. */
  readonly messageScoreMax: number;
  readonly topics?: Partial<SentimentJobTopics>;
  /** Read the messages present at start, then finish (a batch job). Default false. */
  readonly bounded?: boolean;
  /** How far out of event-time order messages may arrive before they count as late. Default 5 s. */
  readonly outOfOrdernessMs?: number;
  /** Job name: the default consumer group and transactional-id prefix. Default 'sentiment'. */
  readonly jobName?: string;
  readonly groupId?: string;
  /** Partitions of the output topics when the job creates them. Default 1. */
  readonly outputPartitions?: number;
  /** Read generated messages instead of the messages topic (a demo without any producer). */
  readonly generator?: MessageSourceOptions;
}

export const defaultSentimentTopics: SentimentJobTopics = {
  ...sentimentTopics,
  late: 'social.late',
  rejected: 'social.rejected',
};

export const defaultSentimentJobParams: SentimentJobParams = {
  keywords: ['azure', 'aws', 'gcp'],
  windowMs: 60_000,
  // A mean at or below -0.2 over 10+ messages: most of them clearly negative.
  trend: { minMessages: 10, meanScoreMax: -0.2, recoverMeanScoreMin: 0 },
  // -0.6: as negative as "terrible", "awful" or a strongly negative emoji run.
  messageScoreMax: -0.6,
  outOfOrdernessMs: 5_000,
};

/** The module path `runJob({ module })`, worker threads and `sluice run` load the job from. */
// This file's own URL, so it stays right when the sources are compiled to .js.
export const sentimentJobModule: string = import.meta.url;

function checkParams(p: SentimentJobParams): void {
  if (
    !(
      Number.isSafeInteger(p.windowMs) &&
      p.windowMs >= sentimentLimits.windowMsMin &&
      p.windowMs <= sentimentLimits.windowMsMax
    )
  ) {
    throw new RangeError(
      `Sentiment job windowMs must be an integer within ${sentimentLimits.windowMsMin}..${sentimentLimits.windowMsMax}, got ${p.windowMs}`,
    );
  }
  if (!(p.messageScoreMax >= -1 && p.messageScoreMax <= 1))
    throw new RangeError(`Sentiment job messageScoreMax must be within -1..1, got ${p.messageScoreMax}`);
  const lateness = p.outOfOrdernessMs ?? 0;
  if (!(Number.isSafeInteger(lateness) && lateness >= 0))
    throw new RangeError(`Sentiment job outOfOrdernessMs must be an integer >= 0, got ${lateness}`);
  checkTrendRule(p.trend);
}

function messages(
  job: Job,
  p: SentimentJobParams,
  topics: SentimentJobTopics,
): Stream<string, IncomingMessage> {
  const watermark = {
    outOfOrdernessMs: p.outOfOrdernessMs ?? defaultSentimentJobParams.outOfOrdernessMs ?? 0,
  };
  if (p.generator !== undefined) {
    return job
      .source(new GeneratedMessageSource(p.generator), { timestamp: (m) => m.timestampMs, watermark })
      .map((message): IncomingMessage => ({ kind: 'message', message }));
  }
  return job.source(
    topicSource<string, IncomingMessage>(topics.messages, {
      serde: incomingMessageSerde(),
      bounded: p.bounded ?? false,
      ...(p.groupId === undefined ? {} : { groupId: p.groupId }),
    }),
    // A rejected record keeps its log timestamp: it only travels to the rejected topic.
    { timestamp: (m, r) => (m.kind === 'message' ? m.message.timestampMs : r.timestamp), watermark },
  );
}

export function job(params: SentimentJobParams): Job {
  checkParams(params);
  const topics: SentimentJobTopics = { ...defaultSentimentTopics, ...params.topics };
  const matcher = keywordMatcher(params.keywords);
  const sink = <V>(topic: string) =>
    topicSink<string, V>(topic, { serde: json(), createPartitions: params.outputPartitions ?? 1 });
  const j = new Job(params.jobName ?? 'sentiment');

  const { branches, rest } = messages(j, params, topics).branch((m) => m.kind === 'message');
  rest
    .flatMap((m): RejectedMessage[] => (m.kind === 'rejected' ? [m.rejected] : []))
    .to(sink<RejectedMessage>(topics.rejected));
  const scored = (branches[0] as Stream<string, IncomingMessage>)
    .flatMap((m) => (m.kind === 'message' ? scoreMessage(m.message, matcher) : []))
    .keyBy((m) => m.keyword);
  scored.to(sink<ScoredMessage>(topics.scored));

  const late = new OutputTag<ScoredMessage>('late-messages');
  const spec =
    params.slideMs === undefined || params.slideMs === params.windowMs
      ? tumbling(params.windowMs)
      : hopping(params.windowMs, params.slideMs);
  const aggregated = scored.window(spec).lateDataTo(late).aggregate(windowSummaryAggregator());
  // Late messages leave from the window operator itself, so they are read from its node.
  aggregated.sideOutput(late).to(sink<ScoredMessage>(topics.late));
  const windows = aggregated
    .map(
      (w): KeywordWindow => ({
        keyword: w.key,
        windowStartMs: w.windowStartMs,
        windowEndMs: w.windowEndMs,
        summary: w.result,
      }),
    )
    .keyBy((w) => w.keyword);
  windows.map((w) => sentimentPointOf(w)).to(sink<SentimentPoint>(topics.timeline));

  const trend = windows.process(trendAlerts(params.trend));
  const single = windows.flatMap((w) => {
    const alert = worstMessageAlert(w, params.messageScoreMax);
    return alert === null ? [] : [alert];
  });
  trend
    .union(single)
    .keyBy((a) => a.keyword)
    .to(sink<SentimentAlert>(topics.alerts));
  return j;
}
