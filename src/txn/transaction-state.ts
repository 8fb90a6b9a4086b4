// A transactional id's state as the coordinator holds it, and the states' wire ids (as Kafka stores
// them in __transaction_state) and names (as DescribeTransactions / ListTransactions report them).
// Transitions (Kafka's): Empty|CompleteCommit|CompleteAbort → Ongoing (first AddPartitions) →
// PrepareCommit|PrepareAbort (EndTxn, timeout) → CompleteCommit|CompleteAbort (markers written).
// InitProducerId on an Ongoing transaction goes through PrepareEpochFence to PrepareAbort.

export const txnStates = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const;

export type TxnState = keyof typeof txnStates;

export function txnStateById(id: number): TxnState {
  const found = (Object.keys(txnStates) as TxnState[]).find((s) => txnStates[s] === id);
  if (found === undefined) throw new RangeError(`Cannot read transaction state: unknown state id ${id}`);
  return found;
}

/** A partition named as `topic\u0000partition` (one string, usable as a Set member). */
export type TopicPartitionKey = string;

export function tpKey(topic: string, partition: number): TopicPartitionKey {
  return `${topic}\u0000${partition}`;
}

export function tpOf(key: TopicPartitionKey): { topic: string; partition: number } {
  const at = key.lastIndexOf('\u0000');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

/** An offset committed inside a transaction, applied to its group only on commit. */
export interface PendingOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
}

/** What the coordinator persists of one transactional id (TransactionLogValue). */
export interface TxnRecord {
  producerId: bigint;
  producerEpoch: number;
  timeoutMs: number;
  state: TxnState;
  partitions: TopicPartitionKey[];
  lastUpdateTimestampMs: number;
  startTimestampMs: number;
}

/** The coordinator's in-memory view; one owner (the TransactionCoordinator). */
export interface TxnMetadata extends TxnRecord {
  readonly transactionalId: string;
  /** Epoch before the last bump, so a retried InitProducerId (KIP-360) is recognised. */
  lastProducerEpoch: number;
  /** A log write for this id is in flight; other requests get CONCURRENT_TRANSACTIONS. */
  pending: boolean;
  /** By group id, then partition key. */
  pendingOffsets: Map<string, Map<TopicPartitionKey, PendingOffset>>;
}
