// A real Apache Kafka for the engine's binding tests: used when bench/kafka/install.sh has
// installed it, skipped with a message naming that command otherwise. One small JVM per suite.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaInstallPaths } from '../../../../bench/kafka/kafka-install.ts';
import { type KafkaProcess, startKafka } from '../../../../bench/kafka/kafka-process.ts';

/** False when Apache Kafka is installed, else why the tests that need it are skipped. */
export function apacheKafkaSkip(): string | false {
  const paths = kafkaInstallPaths();
  if (existsSync(join(paths.libsDir, '.complete'))) return false;
  return `Apache Kafka ${paths.version} is not installed: run 'bash bench/kafka/install.sh'`;
}

export function startApacheKafka(): Promise<KafkaProcess> {
  return startKafka({
    partitions: 1,
    heapMb: 512,
    logLevel: 'WARN',
    // One node: the internal topics cannot have more replicas than that.
    config: {
      'offsets.topic.replication.factor': 1,
      'transaction.state.log.replication.factor': 1,
      'transaction.state.log.min.isr': 1,
      'group.initial.rebalance.delay.ms': 0,
    },
  });
}
