// The log contract over the Kafka protocol: against Sluice's broker over TCP always, and against
// a real Apache Kafka when it is installed (bash bench/kafka/install.sh) and SLUICE_KAFKA_TESTS=1.
import { startBroker } from '../../broker/broker.ts';
import { runLogContract } from '../log-contract.ts';
import { kafkaLog } from './kafka-log.ts';
import { apacheKafkaSkip, startApacheKafka } from './testing/apache-kafka.ts';

runLogContract({
  name: 'Kafka binding over TCP to a Sluice broker',
  async newLog() {
    const broker = await startBroker();
    const log = kafkaLog({ bootstrap: broker.bootstrap });
    return {
      log,
      async close() {
        await log.close();
        await broker.close();
      },
    };
  },
});

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
