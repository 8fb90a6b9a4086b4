// The sentiment demo's connections to the outside world, each started only when configured:
// Slack messages (pushed by the Events API to a local endpoint, or polled from channels'
// history), posts from X's filtered stream, and alerts posted to a Slack channel (incoming
// webhook or chat.postMessage). Messages go to social.messages through one producer.
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type RunningAlertPoster, startAlertPoster } from '../../apps/sentiment/slack/alert-poster.ts';
import { startSlackEventsReceiver } from '../../apps/sentiment/slack/events-receiver.ts';
import { startSlackHistoryPoller } from '../../apps/sentiment/slack/history-poller.ts';
import { producerMessageSink } from '../../apps/sentiment/slack/message-sink.ts';
import type { SlackAlertDestination } from '../../apps/sentiment/slack/slack-alert-target.ts';
import { startXStream } from '../../apps/sentiment/x/filtered-stream.ts';
import type { DemoFeed } from './demo-runner.ts';

export interface SocialFeedOptions {
  readonly keywords: readonly string[];
  /** Where the alert poster's posted ids and the history poller's cursors are kept. */
  readonly stateDir: string;
  /** Slack Events API: the app's signing secret and where its Request URL is served. */
  readonly slackEvents?: { readonly signingSecret: string; readonly host: string; readonly port: number };
  /** Slack channels' history, polled with a bot token. */
  readonly slackHistory?: {
    readonly token: string;
    readonly channels: readonly string[];
    readonly apiUrl?: string;
  };
  /** X's filtered stream with an app's bearer token. */
  readonly x?: { readonly bearerToken: string; readonly apiUrl?: string };
  /** Where alerts are posted. */
  readonly alerts?: SlackAlertDestination;
}

export function socialFeedsConfigured(options: SocialFeedOptions): boolean {
  return (
    options.slackEvents !== undefined ||
    options.slackHistory !== undefined ||
    options.x !== undefined ||
    options.alerts !== undefined
  );
}

/** Starts the configured connections; what started is closed again if a later one fails. */
export async function startSocialFeeds(
  options: SocialFeedOptions,
  bootstrap: string,
  logger: Logger,
): Promise<DemoFeed[]> {
  const feeds: DemoFeed[] = [];
  const messages = producerMessageSink({ bootstrap, clientId: 'sluice-sentiment-sources' });
  const onError = (source: string) => (error: Error) => logger.warn({ err: error, source }, error.message);
  try {
    if (options.slackEvents !== undefined) {
      const receiver = await startSlackEventsReceiver({
        signingSecret: options.slackEvents.signingSecret,
        host: options.slackEvents.host,
        port: options.slackEvents.port,
        sink: messages.sink,
        onError: onError('slack-events'),
      });
      logger.info({ url: receiver.url }, `Slack Events API Request URL: ${receiver.url}`);
      feeds.push({
        name: 'slack events',
        progress: () => `${receiver.stats().messages.toLocaleString('en-US')} messages`,
        close: () => receiver.close(),
      });
    }
    if (options.slackHistory !== undefined) {
      let rounds = 0;
      const poller = await startSlackHistoryPoller({
        token: options.slackHistory.token,
        channels: options.slackHistory.channels,
        ...(options.slackHistory.apiUrl === undefined ? {} : { slackApiUrl: options.slackHistory.apiUrl }),
        stateFile: join(options.stateDir, 'slack-history-cursors.json'),
        sink: messages.sink,
        onError: onError('slack-history'),
        onPoll: () => {
          rounds++;
        },
      });
      feeds.push({
        name: 'slack history',
        progress: () => `${poller.channelIds.length} channels, ${rounds} polls`,
        close: () => poller.close(),
      });
    }
    if (options.x !== undefined) {
      const stream = await startXStream({
        bearerToken: options.x.bearerToken,
        keywords: options.keywords,
        ...(options.x.apiUrl === undefined ? {} : { apiBaseUrl: options.x.apiUrl }),
        sink: messages.sink,
        onError: onError('x'),
      });
      feeds.push({
        name: 'x stream',
        progress: () => `${stream.stats().tweets.toLocaleString('en-US')} posts`,
        done: stream.done,
        close: () => stream.close(),
      });
    }
    if (options.alerts !== undefined) {
      const poster: RunningAlertPoster = await startAlertPoster({
        bootstrap,
        destination: options.alerts,
        stateFile: join(options.stateDir, 'slack-posted-alerts.json'),
        onError: onError('slack-alerts'),
        onPosted: (alert) => logger.info({ alert: alert.id }, `Posted to Slack: ${alert.summary}`),
      });
      feeds.push({
        name: 'slack alerts',
        progress: () => `${poster.stats().posted.toLocaleString('en-US')} posted`,
        done: poster.done,
        close: () => poster.close(),
      });
    }
  } catch (error) {
    for (const feed of feeds.reverse()) await feed.close().catch(() => undefined);
    await messages.close();
    throw error;
  }
  if (feeds.every((f) => f.name === 'slack alerts')) {
    await messages.close();
    return feeds;
  }
  // The shared producer comes first so that it closes last (feeds close in reverse order),
  // after every source that writes through it; it has nothing of its own to report.
  return [{ name: 'social messages', progress: () => '', close: () => messages.close() }, ...feeds];
}
