// The public API of the sluice package: the broker (embedded or as a server), the Kafka client,
// the stream-processing engine and its connectors.

export { type RunningBroker, type StartBrokerOptions, startBroker } from './broker/broker.ts';
export * from './client/index.ts';
export { JsonlFileSink } from './connectors/file/jsonl-sink.ts';
export { JsonlFileSource } from './connectors/file/jsonl-source.ts';
export { readCommittedJsonl, TransactionalJsonlSink } from './connectors/file/jsonl-transactional-sink.ts';
export * from './engine/index.ts';
export { ProtocolError } from './protocol/errors.ts';
