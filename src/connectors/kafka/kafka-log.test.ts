// The log contract over the Kafka protocol against Sluice's broker over TCP (against Apache Kafka:
// apache-kafka.interop-test.ts).
import { startBroker } from '../../broker/broker.ts';
import { runLogContract } from '../log-contract.ts';
import { kafkaLog } from './kafka-log.ts';

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
