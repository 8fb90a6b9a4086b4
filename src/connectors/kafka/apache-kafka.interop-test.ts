// The engine's Kafka binding against a real Apache Kafka (started by bench/kafka's startKafka(),
// skipped with the install command when it is absent): the log contract, and the exactly-once
// drill (killed between checkpoint and commit, restarted, output equal to an uninterrupted run).
import { test } from 'node:test';
import { runLogContract } from '../log-contract.ts';
import { crashAndRestart } from '../testing/crash-and-restart.ts';
import { kafkaLog } from './kafka-log.ts';
import { apacheKafkaSkip, startApacheKafka } from './testing/apache-kafka.ts';

runLogContract({
  name: 'Kafka binding over TCP to Apache Kafka',
  skip: apacheKafkaSkip(),
  async newLog() {
    const kafka = await startApacheKafka();
    const log = kafkaLog({ bootstrap: kafka.bootstrap });
    return {
      log,
      async close() {
        await log.close();
        await kafka.stop();
      },
    };
  },
});

test('a windowed count against Apache Kafka killed between checkpoint and commit, then restarted, commits every result exactly once', {
  skip: apacheKafkaSkip(),
}, async () => {
  const kafka = await startApacheKafka();
  const log = kafkaLog({ bootstrap: kafka.bootstrap });
  try {
    await crashAndRestart('apache', log, { bootstrap: kafka.bootstrap }, 1);
  } finally {
    await log.close();
    await kafka.stop();
  }
});
