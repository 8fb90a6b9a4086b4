// Exactly-once through the log (the drill is in testing/crash-and-restart.ts): on the embedded
// broker in this thread, and over TCP to a Sluice broker with two worker-thread executors. The
// same against Apache Kafka is in kafka/apache-kafka.interop-test.ts.
import { test } from 'node:test';
import { startBroker } from '../broker/broker.ts';
import { embeddedLog } from './embedded/embedded-log.ts';
import { kafkaLog } from './kafka/kafka-log.ts';
import { crashAndRestart } from './testing/crash-and-restart.ts';

test('a windowed count on the embedded broker killed between checkpoint and commit, then restarted, commits every result exactly once', async () => {
  const broker = await startBroker();
  const log = embeddedLog(broker);
  try {
    await crashAndRestart('embedded', log, broker, 1);
  } finally {
    await log.close();
    await broker.close();
  }
});

test('the same over TCP to a Sluice broker, on two worker threads, gives every result exactly once', async () => {
  const broker = await startBroker();
  const log = kafkaLog({ bootstrap: broker.bootstrap });
  try {
    await crashAndRestart('tcp', log, { bootstrap: broker.bootstrap }, 2);
  } finally {
    await log.close();
    await broker.close();
  }
});
