// Before any scenario is recorded: create Kafka's internal topics and load its group and
// transaction coordinators, so that the recorded frames show a broker at work rather than
// COORDINATOR_LOAD_IN_PROGRESS retries of the first client to ask.
import { Kafka, logLevel } from 'kafkajs';
import { withTimeout } from './scenario.ts';

export async function warmUpBroker(bootstrap: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'sluice-golden-warm-up',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const topic = `golden-warm-up-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();

  const producer = kafka.producer({
    transactionalId: `${topic}-txn`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const txn = await producer.transaction();
  await txn.send({ topic, messages: [{ value: 'warm-up' }] });
  await txn.commit();
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `${topic}-group` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const consumed = new Promise<void>((resolve) => {
    void consumer.run({ eachMessage: async () => resolve() });
  });
  await withTimeout(consumed, 30_000, `warm-up consumer of ${topic} got no record`);
  await consumer.disconnect();
}
