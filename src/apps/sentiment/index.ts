// The sentiment app's entry points for the CLI and the dashboard: the job module (run with
// `runJob({ module: sentimentJobModule, params })` or `sluice run`), its default params, and the
// feed that produces generated messages to social.messages.
export {
  defaultFeedGenerator,
  defaultFeedRatePerSecond,
  type MessageFeed,
  type MessageFeedOptions,
  type MessageFeedResult,
  startMessageFeed,
} from './message-feed.ts';
export {
  type GeneratedMessage,
  generateMessages,
  MessageGenerator,
  type MessageGeneratorOptions,
  type SentimentEpisode,
} from './message-generator.ts';
export { sentimentTopics } from './records.ts';
export {
  defaultSentimentJobParams,
  defaultSentimentTopics,
  type SentimentJobParams,
  type SentimentJobTopics,
  sentimentJobModule,
} from './sentiment-job.ts';
