// Writes generated Nexmark events to a topic of any Kafka cluster (JSON values, event time as the
// record timestamp, event i of the stream to partition i mod partitions, so a run with the same
// seed fills each partition alike). Idempotent producer; the topic is created when missing.
import { Admin } from '../../src/client/admin.ts';
import { KafkaError } from '../../src/client/errors.ts';
import { Producer } from '../../src/client/producer.ts';
import { ErrorCode } from '../../src/protocol/error-codes.ts';
import { type GeneratorOptions, generateEvents } from './generator.ts';

export interface ProduceEventsOptions extends GeneratorOptions {
  readonly bootstrap: string;
  readonly topic: string;
  /** Partitions to create the topic with when it does not exist. */
  readonly partitions: number;
}

/** Records handed to the producer before awaiting their acknowledgements (bounded memory). */
const inFlightRecordsMax = 10_000;

export async function produceNexmarkEvents(options: ProduceEventsOptions): Promise<number> {
  const admin = new Admin({ bootstrap: options.bootstrap, clientId: 'sluice-nexmark' });
  let partitions: number;
  try {
    await admin.createTopics([{ topic: options.topic, partitions: options.partitions }]);
    partitions = options.partitions;
  } catch (error) {
    if (!(error instanceof KafkaError && error.code === ErrorCode.topicAlreadyExists)) throw error;
    const [described] = await admin.describeTopics([options.topic]);
    partitions = described!.partitions.length;
  } finally {
    admin.close();
  }
  const producer = new Producer({ bootstrap: options.bootstrap, clientId: 'sluice-nexmark', lingerMs: 5 });
  let sent = 0;
  let inFlight: Promise<unknown>[] = [];
  try {
    for (const event of generateEvents(options)) {
      inFlight.push(
        producer.send({
          topic: options.topic,
          partition: sent % partitions,
          key: null,
          value: JSON.stringify(event),
          timestamp: event.dateTime,
        }),
      );
      sent++;
      if (inFlight.length >= inFlightRecordsMax) {
        await Promise.all(inFlight);
        inFlight = [];
      }
    }
    await Promise.all(inFlight);
  } finally {
    await producer.close();
  }
  return sent;
}
