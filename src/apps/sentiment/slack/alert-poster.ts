// Posts the sentiment app's alerts to Slack. It reads social.alerts in a consumer group with
// read_committed (alerts of aborted transactions never reach Slack) and, for each alert:
// skips it if its id was already posted (PostedAlerts, persisted), else posts it and retries
// until Slack accepts it (429: after Retry-After; 5xx and network errors: after a growing
// backoff). A batch's offsets are committed only once every alert in it was accepted, so a crash
// re-reads at most the batch in hand (at least once) and the posted ids turn that into once.
// An error retrying cannot fix (a revoked token, an unknown channel) stops the poster without
// committing: skipping would lose the alert, and `done` rejects so the operator hears of it.
import { Consumer, type ConsumerOptions } from '../../../client/index.ts';
import { type SentimentAlert, sentimentTopics } from '../records.ts';
import { type RunningService, runningService } from '../running-service.ts';
import { wakeableSleep } from '../wakeable-sleep.ts';
import { alertToSlackMessage, type SlackAlertMessage } from './alert-message.ts';
import { slackLimits } from './limits.ts';
import { PostedAlerts } from './posted-alerts.ts';
import {
  type SlackAlertDestination,
  type SlackAlertTarget,
  SlackPostError,
  slackAlertTarget,
} from './slack-alert-target.ts';

export interface AlertPosterOptions {
  bootstrap: ConsumerOptions['bootstrap'];
  destination: SlackAlertDestination;
  /** JSON file of posted alert ids; created if missing. */
  stateFile: string;
  /** Default 'sentiment-slack-alert-poster'. */
  groupId?: string;
  /** Default social.alerts. */
  topic?: string;
  /** First wait after a failed post; doubles up to backoffMsMax. Default 1 s. */
  backoffMsInitial?: number;
  /** Default slackLimits.postBackoffMsMax. */
  backoffMsMax?: number;
  /** Per request to Slack. Default 10 s. */
  requestTimeoutMs?: number;
  /** Extra consumer settings (session timeouts, client id). */
  consumer?: Partial<Omit<ConsumerOptions, 'bootstrap' | 'groupId' | 'isolationLevel' | 'autoCommit'>>;
  /** Told about every failed attempt, malformed record and the error that stops the poster. */
  onError?: (error: Error) => void;
  /** Told about every alert Slack accepted. */
  onPosted?: (alert: SentimentAlert) => void;
}

export interface AlertPosterStats {
  posted: number;
  /** Alerts read again (replay, restart) and not posted because their id was posted before. */
  skippedAlreadyPosted: number;
  /** Records that are not a SentimentAlert; reported and committed past. */
  malformed: number;
  /** Failed attempts that were tried again. */
  retries: number;
}

export type RunningAlertPoster = RunningService<AlertPosterStats>;

class Closed extends Error {}

export function parseSentimentAlert(value: Buffer | null): SentimentAlert {
  if (value === null) throw new Error('alert record has no value');
  let v: unknown;
  try {
    v = JSON.parse(value.toString('utf8'));
  } catch {
    throw new Error(`alert record is not JSON: ${value.subarray(0, 80).toString('utf8')}`);
  }
  const a = v as Partial<Record<keyof SentimentAlert, unknown>>;
  const ok =
    typeof v === 'object' &&
    v !== null &&
    typeof a.id === 'string' &&
    a.id.length > 0 &&
    typeof a.keyword === 'string' &&
    (a.kind === 'negative-trend' || a.kind === 'negative-message') &&
    typeof a.windowStartMs === 'number' &&
    typeof a.windowEndMs === 'number' &&
    typeof a.meanScore === 'number' &&
    typeof a.messages === 'number' &&
    Array.isArray(a.samples) &&
    a.samples.every((s) => typeof s === 'string') &&
    typeof a.summary === 'string';
  if (!ok)
    throw new Error(`alert record is not a SentimentAlert: ${value.subarray(0, 120).toString('utf8')}`);
  return v as SentimentAlert;
}

export async function startAlertPoster(options: AlertPosterOptions): Promise<RunningAlertPoster> {
  const topic = options.topic ?? sentimentTopics.alerts;
  const backoffMsMax = Math.min(
    options.backoffMsMax ?? slackLimits.postBackoffMsMax,
    slackLimits.postBackoffMsMax,
  );
  const backoffMsInitial = Math.min(options.backoffMsInitial ?? 1_000, backoffMsMax);
  const posted = await PostedAlerts.open(options.stateFile);
  const target: SlackAlertTarget = slackAlertTarget(options.destination, options.requestTimeoutMs);
  const stats: AlertPosterStats = { posted: 0, skippedAlreadyPosted: 0, malformed: 0, retries: 0 };
  const report = (e: unknown) => options.onError?.(e instanceof Error ? e : new Error(String(e)));

  let closed = false;
  const { sleep, wake } = wakeableSleep();

  const postUntilAccepted = async (alert: SentimentAlert, message: SlackAlertMessage) => {
    let backoffMs = backoffMsInitial;
    for (;;) {
      if (closed) throw new Closed();
      try {
        await target.post(message);
        return;
      } catch (e) {
        if (!(e instanceof SlackPostError) || !e.retriable)
          throw new Error(`Cannot post alert ${alert.id} to ${target.description}: ${(e as Error).message}`, {
            cause: e,
          });
        report(e);
        stats.retries++;
        const waitMs =
          e.retryAfterMs === null
            ? backoffMs
            : Math.min(Math.max(e.retryAfterMs, backoffMs), slackLimits.retryAfterMsMax);
        backoffMs = Math.min(backoffMs * 2, backoffMsMax);
        await sleep(waitMs);
      }
    }
  };

  const consumer = new Consumer({
    autoOffsetReset: 'earliest',
    ...options.consumer,
    bootstrap: options.bootstrap,
    groupId: options.groupId ?? 'sentiment-slack-alert-poster',
    isolationLevel: 'read_committed',
    autoCommit: false,
  });
  consumer.subscribe([topic]);

  const run = async () => {
    while (!closed) {
      const batch = await consumer.nextBatch(200);
      if (batch === null) continue;
      for (const record of batch.records) {
        let alert: SentimentAlert;
        try {
          alert = parseSentimentAlert(record.value);
        } catch (e) {
          stats.malformed++;
          report(
            new Error(`Skipping ${topic}[${record.partition}]@${record.offset}: ${(e as Error).message}`),
          );
          continue;
        }
        if (posted.has(alert.id)) {
          stats.skippedAlreadyPosted++;
          continue;
        }
        await postUntilAccepted(alert, alertToSlackMessage(alert));
        await posted.add(alert.id);
        stats.posted++;
        options.onPosted?.(alert);
      }
      const last = batch.records.at(-1);
      if (last === undefined) continue;
      try {
        await consumer.commit([{ topic: batch.topic, partition: batch.partition, offset: last.offset + 1n }]);
      } catch (e) {
        // A failed commit (a rebalance fenced this member) only means these alerts are read
        // again; their ids are already recorded, so they are skipped, not reposted.
        report(
          new Error(
            `Committing ${batch.topic}[${batch.partition}]@${last.offset + 1n} failed: ${(e as Error).message}`,
          ),
        );
      }
    }
  };

  const done = run().then(
    async () => {
      await consumer.close();
    },
    async (e: unknown) => {
      await consumer.close().catch(() => undefined);
      if (e instanceof Closed) return;
      report(e);
      throw e;
    },
  );
  // The caller learns of a failure through `done` or onError; never as an unhandled rejection.
  done.catch(() => undefined);

  return runningService(stats, done, () => {
    closed = true;
    wake();
  });
}
