// Records of __transaction_state. Key version 0 / value version 0 are Kafka's TransactionLogKey
// and TransactionLogValue (transaction-coordinator module), so the topic reads like Kafka's. Two
// Sluice records share the topic under key versions Kafka never uses: the producer-id block (the
// highest id handed out may be below its end, so ids are never reused after a restart) and a
// transaction's pending group offsets (TxnOffsetCommit; applied only when the commit completes,
// and needed to finish a PrepareCommit after a crash). A null value is a tombstone.
import { ProtocolError } from '../protocol/errors.ts';
import { Reader } from '../protocol/reader.ts';
import { Writer } from '../protocol/writer.ts';
import {
  type PendingOffset,
  type TxnRecord,
  tpKey,
  tpOf,
  txnStateById,
  txnStates,
} from './transaction-state.ts';

const TXN_KEY_VERSION = 0;
const TXN_VALUE_VERSION = 0;
const PRODUCER_ID_BLOCK_KEY_VERSION = 0x7fff;
const PENDING_OFFSETS_KEY_VERSION = 0x7ffe;

export type TxnLogKey =
  | { kind: 'txn'; transactionalId: string }
  | { kind: 'producerIdBlock' }
  | { kind: 'pendingOffsets'; transactionalId: string };

export function encodeTxnLogKey(key: TxnLogKey): Buffer {
  const w = new Writer(64);
  if (key.kind === 'producerIdBlock') return w.int16(PRODUCER_ID_BLOCK_KEY_VERSION).toBuffer();
  w.int16(key.kind === 'txn' ? TXN_KEY_VERSION : PENDING_OFFSETS_KEY_VERSION);
  return w.string(key.transactionalId).toBuffer();
}

/** The key, or undefined for versions this broker does not know (skipped on load). */
export function decodeTxnLogKey(buf: Buffer): TxnLogKey | undefined {
  const r = new Reader(buf);
  const version = r.int16();
  if (version === TXN_KEY_VERSION) return { kind: 'txn', transactionalId: r.string() };
  if (version === PENDING_OFFSETS_KEY_VERSION) return { kind: 'pendingOffsets', transactionalId: r.string() };
  if (version === PRODUCER_ID_BLOCK_KEY_VERSION) return { kind: 'producerIdBlock' };
  return undefined;
}

export function encodeTxnLogValue(v: TxnRecord): Buffer {
  const w = new Writer(128);
  w.int16(TXN_VALUE_VERSION).int64(v.producerId).int16(v.producerEpoch).int32(v.timeoutMs);
  w.int8(txnStates[v.state]);
  const byTopic = new Map<string, number[]>();
  for (const key of v.partitions) {
    const { topic, partition } = tpOf(key);
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  }
  w.int32(byTopic.size);
  for (const [topic, partitions] of byTopic) {
    w.string(topic).int32(partitions.length);
    for (const p of partitions) w.int32(p);
  }
  return w.int64(BigInt(v.lastUpdateTimestampMs)).int64(BigInt(v.startTimestampMs)).toBuffer();
}

export function decodeTxnLogValue(buf: Buffer): TxnRecord {
  const r = new Reader(buf);
  const version = r.int16();
  if (version !== 0 && version !== 1)
    throw new ProtocolError('unsupported_field', `Cannot read TransactionLogValue: version ${version}`);
  const flexible = version >= 1;
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const timeoutMs = r.int32();
  const state = txnStateById(r.int8());
  const partitions: string[] = [];
  const topics = r.arrayLength(flexible, true, 'TransactionPartitions');
  for (let i = 0; i < topics; i++) {
    const topic = flexible ? r.compactString() : r.string();
    const count = r.arrayLength(flexible, false, 'PartitionIds');
    for (let j = 0; j < count; j++) partitions.push(tpKey(topic, r.int32()));
    if (flexible) skipTaggedFields(r);
  }
  const lastUpdateTimestampMs = Number(r.int64());
  const startTimestampMs = Number(r.int64());
  return { producerId, producerEpoch, timeoutMs, state, partitions, lastUpdateTimestampMs, startTimestampMs };
}

function skipTaggedFields(r: Reader): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    r.uvarint();
    r.raw(r.uvarint());
  }
}

/** The producer-id block record: every id below `blockEnd` may have been handed out. */
export function encodeProducerIdBlock(blockEnd: bigint): Buffer {
  return new Writer(16).int16(0).int64(blockEnd).toBuffer();
}

export function decodeProducerIdBlock(buf: Buffer): bigint {
  const r = new Reader(buf);
  r.int16();
  return r.int64();
}

export interface PendingOffsetsRecord {
  producerId: bigint;
  producerEpoch: number;
  groups: Map<string, Map<string, PendingOffset>>;
}

export function encodePendingOffsets(v: PendingOffsetsRecord): Buffer {
  const w = new Writer(256);
  w.int16(0).int64(v.producerId).int16(v.producerEpoch).int32(v.groups.size);
  for (const [groupId, offsets] of v.groups) {
    w.string(groupId).int32(offsets.size);
    for (const [key, o] of offsets) {
      const { topic, partition } = tpOf(key);
      w.string(topic).int32(partition).int64(o.offset).int32(o.leaderEpoch).string(o.metadata);
    }
  }
  return w.toBuffer();
}

export function decodePendingOffsets(buf: Buffer): PendingOffsetsRecord {
  const r = new Reader(buf);
  r.int16();
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const groups = new Map<string, Map<string, PendingOffset>>();
  const groupCount = r.arrayLength(false, false, 'groups');
  for (let i = 0; i < groupCount; i++) {
    const groupId = r.string();
    const offsets = new Map<string, PendingOffset>();
    const count = r.arrayLength(false, false, 'offsets');
    for (let j = 0; j < count; j++) {
      const topic = r.string();
      const partition = r.int32();
      offsets.set(tpKey(topic, partition), {
        offset: r.int64(),
        leaderEpoch: r.int32(),
        metadata: r.string(),
      });
    }
    groups.set(groupId, offsets);
  }
  return { producerId, producerEpoch, groups };
}

/** Kafka's partition for a transactional id: abs(String.hashCode) mod the partition count. */
export function transactionStatePartitionFor(transactionalId: string, partitions: number): number {
  let h = 0;
  for (let i = 0; i < transactionalId.length; i++) h = (Math.imul(31, h) + transactionalId.charCodeAt(i)) | 0;
  return (h & 0x7fffffff) % partitions;
}
