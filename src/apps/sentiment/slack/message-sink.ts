// Where connectors hand the messages they read: a callback, so they can be tested without a
// broker. producerMessageSink() is the one the CLI uses: it writes each message to
// social.messages with Sluice's producer, keyed `${source}:${channel}` so one channel's messages
// stay in order on one partition, with the message's own time as the record timestamp.
import { Producer, type ProducerOptions } from '../../../client/index.ts';
import { type SocialMessage, sentimentTopics } from '../records.ts';

/** Resolves once the messages are stored; a rejection tells the connector to deliver them again. */
export type MessageSink = (messages: readonly SocialMessage[]) => Promise<void>;

export interface ProducerMessageSink {
  sink: MessageSink;
  close(): Promise<void>;
}

export function producerMessageSink(
  options: ProducerOptions,
  topic: string = sentimentTopics.messages,
): ProducerMessageSink {
  const producer = new Producer(options);
  return {
    sink: async (messages) => {
      if (messages.length === 0) return;
      await producer.sendBatch(
        messages.map((m) => ({
          topic,
          key: `${m.source}:${m.channel}`,
          value: JSON.stringify(m),
          timestamp: m.timestampMs,
        })),
      );
    },
    close: () => producer.close(),
  };
}
