// The dashboard's read models of the two applications: a CryptoView fed by crypto.bars and
// crypto.spikes and a SentimentView fed by social.sentiment, social.alerts and social.scored,
// each topic followed read_committed from the broker's own log. Created by the HTTP server the
// first time an apps page asks (nothing is read for a dashboard nobody opens apps pages on) and
// closed with it. An app is "running" once its topics exist.
import { cryptoTopics } from '../../../apps/crypto/records.ts';
import { sentimentTopics } from '../../../apps/sentiment/records.ts';
import type { Log } from '../../../engine/log/log.ts';
import { CryptoView } from './crypto-view.ts';
import { appsLimits } from './limits.ts';
import { SentimentView } from './sentiment-view.ts';
import { type FollowedRecord, TopicFollower, type TopicFollowerOptions } from './topic-follower.ts';

export interface AppsReadModelsOptions {
  /** Bounds of the views and followers; default appsLimits. */
  readonly limits?: Partial<Record<keyof typeof appsLimits, number>>;
}

export interface AppTopicStatus {
  readonly topic: string;
  readonly present: boolean;
  readonly records: number;
  readonly skipped: number;
  readonly lastError: string | null;
}

export interface AppStatus {
  readonly name: 'crypto' | 'sentiment';
  /** True once the topics the page reads exist. */
  readonly running: boolean;
  readonly startCommand: string;
  readonly topics: readonly AppTopicStatus[];
}

export class AppsReadModels {
  readonly crypto: CryptoView;
  readonly sentiment: SentimentView;
  readonly #crypto: TopicFollower[];
  readonly #sentiment: TopicFollower[];

  constructor(log: Log, options: AppsReadModelsOptions = {}) {
    const limits = { ...appsLimits, ...options.limits };
    this.crypto = new CryptoView(limits);
    this.sentiment = new SentimentView(limits);
    const followerOptions: TopicFollowerOptions = {
      catchUpRecordsPerPartition: limits.catchUpRecordsPerPartitionMax,
      readRecordsMax: limits.readRecordsMax,
      readWaitMs: limits.readWaitMs,
      topicPollIntervalMs: limits.topicPollIntervalMs,
      recordValueBytesMax: limits.recordValueBytesMax,
    };
    const follow = (topic: string, add: (value: unknown) => void) =>
      new TopicFollower(
        log,
        topic,
        (records: readonly FollowedRecord[]) => {
          for (const r of records) add(r.value);
        },
        followerOptions,
      );
    const crypto = this.crypto;
    const sentiment = this.sentiment;
    this.#crypto = [
      follow(cryptoTopics.bars, (v) => crypto.addBar(v)),
      follow(cryptoTopics.spikes, (v) => crypto.addSpike(v)),
    ];
    this.#sentiment = [
      follow(sentimentTopics.timeline, (v) => sentiment.addPoint(v)),
      follow(sentimentTopics.alerts, (v) => sentiment.addAlert(v)),
      follow(sentimentTopics.scored, (v) => sentiment.addScored(v)),
    ];
  }

  start(): void {
    for (const f of this.#all()) f.start();
  }

  /** Resolves when every follower has read its bounded history, or after `waitMsMax`. */
  async caughtUp(waitMsMax: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMsMax);
    });
    await Promise.race([Promise.all(this.#all().map((f) => f.caughtUp())), timeout]);
    clearTimeout(timer);
  }

  status(): AppStatus[] {
    return [
      appStatus('crypto', 'npx sluice demo crypto', this.#crypto),
      appStatus('sentiment', 'npx sluice demo sentiment', this.#sentiment),
    ];
  }

  async close(): Promise<void> {
    await Promise.all(this.#all().map((f) => f.close()));
  }

  #all(): TopicFollower[] {
    return [...this.#crypto, ...this.#sentiment];
  }
}

function appStatus(
  name: AppStatus['name'],
  startCommand: string,
  followers: readonly TopicFollower[],
): AppStatus {
  const topics = followers.map((f) => ({ topic: f.topic, ...f.stats }));
  // Any one topic is enough to have something to show; the job creates its outputs together.
  return { name, running: topics.some((t) => t.present), startCommand, topics };
}
