// Control batches carry one control record whose key names its type. For transaction markers
// (abort, commit) the value is the end-transaction marker: version + coordinator epoch. The
// broker writes these when a transaction ends; consumers use them to drop aborted records.
import { ProtocolError } from '../errors.ts';
import { encodeRecordBatch } from './record-batch.ts';

export const controlRecordTypes = { abort: 0, commit: 1 } as const;
export type EndTransactionType = keyof typeof controlRecordTypes;

/** Key and end-transaction marker versions we write (the only ones Kafka defines). */
const CONTROL_KEY_VERSION = 0;
const END_TXN_MARKER_VERSION = 0;
const CONTROL_KEY_BYTES = 4;
const END_TXN_MARKER_BYTES = 6;

export interface ControlRecordKey {
  version: number;
  /** 0 abort, 1 commit; KRaft defines further types for its own logs. */
  type: number;
}

export interface EndTransactionMarker {
  version: number;
  coordinatorEpoch: number;
}

export function encodeControlRecordKey(type: number): Buffer {
  const key = Buffer.alloc(CONTROL_KEY_BYTES);
  key.writeInt16BE(CONTROL_KEY_VERSION, 0);
  key.writeInt16BE(type, 2);
  return key;
}

/** Reads a control record key; later versions may append fields, which are ignored. */
export function decodeControlRecordKey(key: Buffer | null): ControlRecordKey {
  if (key === null || key.length < CONTROL_KEY_BYTES) {
    throw new ProtocolError(
      'corrupt_record_batch',
      `Cannot decode control record key: ${key === null ? 'key is null' : `${key.length} bytes, needs ${CONTROL_KEY_BYTES}`}`,
    );
  }
  const version = key.readInt16BE(0);
  if (version < 0)
    throw new ProtocolError('corrupt_record_batch', `Cannot decode control record key: version ${version}`);
  return { version, type: key.readInt16BE(2) };
}

export function encodeEndTransactionMarker(coordinatorEpoch: number): Buffer {
  const value = Buffer.alloc(END_TXN_MARKER_BYTES);
  value.writeInt16BE(END_TXN_MARKER_VERSION, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return value;
}

/** Reads an end-transaction marker; later versions may append fields, which are ignored. */
export function decodeEndTransactionMarker(value: Buffer | null): EndTransactionMarker {
  if (value === null || value.length < END_TXN_MARKER_BYTES) {
    throw new ProtocolError(
      'corrupt_record_batch',
      `Cannot decode end transaction marker: ${value === null ? 'value is null' : `${value.length} bytes, needs ${END_TXN_MARKER_BYTES}`}`,
    );
  }
  const version = value.readInt16BE(0);
  if (version < 0) {
    throw new ProtocolError(
      'corrupt_record_batch',
      `Cannot decode end transaction marker: version ${version}`,
    );
  }
  return { version, coordinatorEpoch: value.readInt32BE(2) };
}

export interface EndTransactionBatchInput {
  type: EndTransactionType;
  producerId: bigint;
  producerEpoch: number;
  coordinatorEpoch: number;
  timestamp: bigint;
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
}

/** A transactional control batch holding one abort or commit marker, as the broker writes it. */
export async function encodeEndTransactionBatch(input: EndTransactionBatchInput): Promise<Buffer> {
  return encodeRecordBatch({
    transactional: true,
    control: true,
    baseOffset: input.baseOffset ?? 0n,
    partitionLeaderEpoch: input.partitionLeaderEpoch ?? -1,
    producerId: input.producerId,
    producerEpoch: input.producerEpoch,
    baseSequence: -1,
    baseTimestamp: input.timestamp,
    records: [
      {
        offsetDelta: 0,
        timestampDelta: 0n,
        key: encodeControlRecordKey(controlRecordTypes[input.type]),
        value: encodeEndTransactionMarker(input.coordinatorEpoch),
        headers: [],
      },
    ],
  });
}

/** The marker of an abort or commit control record; other control types are a ProtocolError. */
export function readEndTransactionMarker(record: {
  key: Buffer | null;
  value: Buffer | null;
}): EndTransactionMarker & { type: EndTransactionType } {
  const { type } = decodeControlRecordKey(record.key);
  if (type !== controlRecordTypes.abort && type !== controlRecordTypes.commit) {
    throw new ProtocolError(
      'unsupported_field',
      `Cannot read end transaction marker: control record type ${type}`,
    );
  }
  return {
    type: type === controlRecordTypes.commit ? 'commit' : 'abort',
    ...decodeEndTransactionMarker(record.value),
  };
}
