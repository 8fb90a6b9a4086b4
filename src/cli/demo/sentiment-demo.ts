// `sluice demo sentiment`: the talk's second application. Messages that mention the watched
// keywords (from generated Slack/X-style traffic, a Slack workspace or the X filtered stream)
// are scored, summed up per keyword and window, and negative trends and messages become alerts,
// shown on the dashboard and, when Slack is configured, posted to a Slack channel.
import type { Logger } from 'pino';
import {
  defaultFeedGenerator,
  defaultFeedRatePerSecond,
  defaultSentimentJobParams,
  defaultSentimentTopics,
  type SentimentJobParams,
  sentimentJobModule,
  startMessageFeed,
} from '../../apps/sentiment/index.ts';
import type { DemoApp, DemoFeed } from './demo-runner.ts';

export interface SentimentDemoOptions {
  readonly keywords: readonly string[];
  /** Generated messages per second; 0 turns the generator off (real sources only). */
  readonly ratePerSecond: number;
  readonly seed: number;
  readonly windowMs: number;
  /** When the generator's bad-news episode starts, after the feed does (default a minute). */
  readonly episodeStartMs?: number;
  /** The real sources and the Slack poster, started after the generator. */
  readonly extraFeeds?: (bootstrap: string, logger: Logger) => Promise<DemoFeed[]>;
}

export const sentimentDemoDefaults: SentimentDemoOptions = {
  keywords: defaultSentimentJobParams.keywords,
  ratePerSecond: defaultFeedRatePerSecond,
  seed: defaultFeedGenerator.seed,
  windowMs: defaultSentimentJobParams.windowMs,
};

export function sentimentDemo(options: SentimentDemoOptions): DemoApp {
  const params: SentimentJobParams = {
    ...defaultSentimentJobParams,
    keywords: options.keywords,
    windowMs: options.windowMs,
  };
  const t = defaultSentimentTopics;
  return {
    name: 'sentiment',
    page: '#/sentiment',
    topics: [
      { topic: t.messages, partitions: 3 },
      ...[t.scored, t.timeline, t.alerts, t.late, t.rejected].map((topic) => ({ topic, partitions: 1 })),
    ],
    jobs: [
      {
        name: 'sentiment',
        description: `sentiment of messages mentioning ${options.keywords.join(', ')}, with alerts`,
        module: sentimentJobModule,
        params,
      },
    ],
    async startFeeds(bootstrap, logger) {
      const feeds: DemoFeed[] = [];
      if (options.ratePerSecond > 0) {
        // The generator's bad-news episode hits the first keyword, a minute after the start.
        const [first = 'azure'] = options.keywords;
        const episodes = (defaultFeedGenerator.episodes ?? []).map((e) => ({
          ...e,
          keyword: first,
          ...(options.episodeStartMs === undefined ? {} : { startOffsetMs: options.episodeStartMs }),
        }));
        const feed = startMessageFeed({
          bootstrap,
          topic: t.messages,
          generator: { ...defaultFeedGenerator, seed: options.seed, keywords: options.keywords, episodes },
          ratePerSecond: options.ratePerSecond,
        });
        feeds.push({
          name: 'generated messages',
          done: feed.done,
          progress: () => `${feed.sent().toLocaleString('en-US')} sent`,
          close: async () => {
            await feed.stop();
          },
        });
      }
      if (options.extraFeeds !== undefined) feeds.push(...(await options.extraFeeds(bootstrap, logger)));
      return feeds;
    },
  };
}
