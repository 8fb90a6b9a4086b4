// Sluice's Kafka client: the package boundary (the CLI, the engine's Kafka binding and the
// benchmarks import from here).
export type {
  ConfigChange,
  ConfigEntry,
  ConfigResourceType,
  GroupDescription,
  GroupListing,
  NewTopic,
  OffsetResetTarget,
  TopicDescription,
} from './admin.ts';
export { Admin } from './admin.ts';
export { rangeAssignor, roundRobinAssignor } from './assignors.ts';
export type { BrokerInfo, ClusterOptions, PartitionInfo, TopicInfo } from './cluster.ts';
export { Cluster } from './cluster.ts';
export type { ConsumedBatch, ConsumerOptions, TopicPartition } from './consumer.ts';
export { Consumer } from './consumer.ts';
export { ClientStateError, ConnectionError, KafkaError, RequestTimeoutError } from './errors.ts';
export type { ConsumedRecord } from './fetched-records.ts';
export type { CommittedOffset } from './group-offsets.ts';
export type { IsolationLevel, OffsetSpec, PartitionOffset } from './list-offsets.ts';
export { murmur2, partitionForKey } from './murmur2.ts';
export type { ProducerOptions, ProducerRecord, RecordMetadata } from './producer.ts';
export { Producer } from './producer.ts';
export type { ConsumerGroupMetadata, ProducerIdentity, TopicPartitionOffset } from './transaction-manager.ts';
