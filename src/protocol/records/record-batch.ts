// Record batches (magic 2): encode from records, decode into a view whose raw records section is
// reachable without decompressing (a broker passes it through), and validate on the produce path.
// The fixed header's layout lives in batch-header.ts; this file adds records and compression.
import { recordLimits } from '../../limits.ts';
import {
  type CompressionType,
  compress,
  decompress,
  isCompressionType,
  toCompressionType,
} from '../compression/codec.ts';
import { ProtocolError } from '../errors.ts';
import { Reader } from '../reader.ts';
import { Writer } from '../writer.ts';
import {
  BATCH_HEADER_BYTES,
  BATCH_LOG_OVERHEAD_BYTES,
  type BatchHeader,
  batchAttributes,
  batchOffsets,
  computeBatchCrc,
  readBatchHeader,
} from './batch-header.ts';
import { decodeRecord, encodeRecord, type LogRecord, RECORD_BYTES_MIN, recordBytes } from './record.ts';

export const RECORD_BATCH_MAGIC = 2;
/** The smallest value batchLength can hold: the header after the batchLength field. */
export const BATCH_LENGTH_MIN = BATCH_HEADER_BYTES - BATCH_LOG_OVERHEAD_BYTES;

export type TimestampType = 'createTime' | 'logAppendTime';

/** Batch flags either as the raw attributes int16 or as named fields (all default to off/none). */
export type RecordBatchFlags =
  | { attributes: number }
  | {
      compression?: CompressionType;
      timestampType?: TimestampType;
      transactional?: boolean;
      control?: boolean;
    };

export type RecordBatchInput = RecordBatchFlags & {
  baseOffset?: bigint;
  /** -1 (none) unless given: the leader assigns it when it appends the batch. */
  partitionLeaderEpoch?: number;
  /** -1 (not idempotent) unless given. */
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  baseTimestamp: bigint;
  /** Computed as baseTimestamp + the largest timestampDelta when omitted (-1 for no records). */
  maxTimestamp?: bigint;
  /** Computed as the largest offsetDelta when omitted; give it for a batch emptied by compaction. */
  lastOffsetDelta?: number;
  records: readonly LogRecord[];
};

/** Builds the attributes int16 from named flags. */
export function batchAttributesOf(flags: RecordBatchFlags): number {
  if ('attributes' in flags) return flags.attributes;
  let attributes = toCompressionType(flags.compression ?? 0);
  if (flags.timestampType === 'logAppendTime') attributes |= batchAttributes.timestampTypeLogAppend;
  if (flags.transactional === true) attributes |= batchAttributes.transactional;
  if (flags.control === true) attributes |= batchAttributes.control;
  return attributes;
}

export async function encodeRecordBatch(input: RecordBatchInput): Promise<Buffer> {
  const attributes = batchAttributesOf(input);
  const compression = toCompressionType(attributes & batchAttributes.compressionMask);
  const { records } = input;
  if (records.length > recordLimits.batchRecordsMax) {
    throw new ProtocolError(
      'invalid_value',
      `Cannot encode record batch: ${records.length} records exceed the limit of ${recordLimits.batchRecordsMax}`,
    );
  }
  let offsetDeltaMax = -1;
  let timestampDeltaMax: bigint | undefined;
  let recordsBytes = 0;
  for (const record of records) {
    if (record.offsetDelta > offsetDeltaMax) offsetDeltaMax = record.offsetDelta;
    if (timestampDeltaMax === undefined || record.timestampDelta > timestampDeltaMax) {
      timestampDeltaMax = record.timestampDelta;
    }
    recordsBytes += recordBytes(record);
  }
  const lastOffsetDelta = input.lastOffsetDelta ?? Math.max(offsetDeltaMax, 0);
  if (lastOffsetDelta < offsetDeltaMax) {
    throw new ProtocolError(
      'invalid_value',
      `Cannot encode record batch: lastOffsetDelta ${lastOffsetDelta} is below a record's offsetDelta ${offsetDeltaMax}`,
    );
  }
  const maxTimestamp =
    input.maxTimestamp ?? (timestampDeltaMax === undefined ? -1n : input.baseTimestamp + timestampDeltaMax);

  // Uncompressed records are written straight after a placeholder header, so the batch is
  // assembled in one buffer; compressed ones are written alone, compressed, then appended.
  const writer = new Writer(BATCH_HEADER_BYTES + (compression === 0 ? recordsBytes : 0));
  if (compression === 0) writer.raw(Buffer.alloc(BATCH_HEADER_BYTES));
  for (const record of records) encodeRecord(writer, record);
  let batch: Buffer;
  if (compression === 0) {
    batch = writer.toBuffer();
  } else {
    const packed = await compress(compression, writer.toBuffer());
    batch = Buffer.concat([Buffer.alloc(BATCH_HEADER_BYTES), packed]);
  }
  writeHeader(batch, {
    baseOffset: input.baseOffset ?? 0n,
    batchLength: batch.length - BATCH_LOG_OVERHEAD_BYTES,
    partitionLeaderEpoch: input.partitionLeaderEpoch ?? -1,
    magic: RECORD_BATCH_MAGIC,
    crc: 0,
    attributes,
    lastOffsetDelta,
    baseTimestamp: input.baseTimestamp,
    maxTimestamp,
    producerId: input.producerId ?? -1n,
    producerEpoch: input.producerEpoch ?? -1,
    baseSequence: input.baseSequence ?? -1,
    recordCount: records.length,
  });
  batch.writeUInt32BE(computeBatchCrc(batch), batchOffsets.crc);
  return batch;
}

function writeHeader(batch: Buffer, h: BatchHeader): void {
  batch.writeBigInt64BE(h.baseOffset, batchOffsets.baseOffset);
  batch.writeInt32BE(h.batchLength, batchOffsets.batchLength);
  batch.writeInt32BE(h.partitionLeaderEpoch, batchOffsets.partitionLeaderEpoch);
  batch.writeInt8(h.magic, batchOffsets.magic);
  batch.writeUInt32BE(h.crc, batchOffsets.crc);
  batch.writeInt16BE(h.attributes, batchOffsets.attributes);
  batch.writeInt32BE(h.lastOffsetDelta, batchOffsets.lastOffsetDelta);
  batch.writeBigInt64BE(h.baseTimestamp, batchOffsets.baseTimestamp);
  batch.writeBigInt64BE(h.maxTimestamp, batchOffsets.maxTimestamp);
  batch.writeBigInt64BE(h.producerId, batchOffsets.producerId);
  batch.writeInt16BE(h.producerEpoch, batchOffsets.producerEpoch);
  batch.writeInt32BE(h.baseSequence, batchOffsets.baseSequence);
  batch.writeInt32BE(h.recordCount, batchOffsets.recordCount);
}

/** A decoded batch header over the batch's bytes; records are decoded only on request. */
export class RecordBatch {
  readonly header: BatchHeader;
  readonly compression: CompressionType;
  readonly timestampType: TimestampType;
  readonly transactional: boolean;
  readonly control: boolean;
  /** The whole batch, baseOffset to the end of its records (a view into the input). */
  readonly bytes: Buffer;

  constructor(header: BatchHeader, bytes: Buffer) {
    this.header = header;
    this.bytes = bytes;
    this.compression = toCompressionType(header.attributes & batchAttributes.compressionMask);
    this.timestampType =
      header.attributes & batchAttributes.timestampTypeLogAppend ? 'logAppendTime' : 'createTime';
    this.transactional = (header.attributes & batchAttributes.transactional) !== 0;
    this.control = (header.attributes & batchAttributes.control) !== 0;
  }

  /** The records section after recordCount, still compressed if the batch is (a view). */
  get recordsBytes(): Buffer {
    return this.bytes.subarray(batchOffsets.records);
  }

  /** Offset of the last record slot: baseOffset + lastOffsetDelta. */
  get lastOffset(): bigint {
    return this.header.baseOffset + BigInt(this.header.lastOffsetDelta);
  }

  /** Decompresses (bounded by recordLimits) and decodes every record; all of the section must be used. */
  async decodeRecords(): Promise<LogRecord[]> {
    const data = await decompress(
      this.compression,
      this.recordsBytes,
      recordLimits.decompressedBatchBytesMax,
    );
    const count = this.header.recordCount;
    if (count > Math.floor(data.length / RECORD_BYTES_MIN)) {
      throw new ProtocolError(
        'corrupt_record_batch',
        `Cannot decode records of batch at offset ${this.header.baseOffset}: count ${count} cannot fit in ${data.length} bytes`,
      );
    }
    const reader = new Reader(data);
    const records: LogRecord[] = [];
    for (let i = 0; i < count; i++) records.push(decodeRecord(reader));
    if (reader.remaining !== 0) {
      throw new ProtocolError(
        'corrupt_record_batch',
        `Cannot decode records of batch at offset ${this.header.baseOffset}: ${reader.remaining} bytes follow its ${count} records`,
      );
    }
    return records;
  }
}

export interface DecodeRecordBatchOptions {
  /** Check the CRC (default true); a broker that has just validated the batch may skip it. */
  verifyCrc?: boolean;
}

/**
 * Decodes the header of the batch starting at `at` (which must lie wholly in `buf`) and checks
 * its structure: magic, batchLength, compression id, record count bound and (by default) CRC.
 */
export function decodeRecordBatch(buf: Buffer, at = 0, options: DecodeRecordBatchOptions = {}): RecordBatch {
  const checked = checkStructure(buf, at, buf.length, options.verifyCrc ?? true);
  if (!checked.ok) throw checked.error;
  const totalBytes = checked.header.batchLength + BATCH_LOG_OVERHEAD_BYTES;
  return new RecordBatch(checked.header, buf.subarray(at, at + totalBytes));
}

/** Why a batch was refused; the broker maps these to Kafka error codes. */
export type BatchProblem =
  | 'truncated'
  | 'magic'
  | 'batch_length'
  | 'crc'
  | 'compression'
  | 'record_count'
  | 'last_offset_delta';

export type BatchValidation =
  | { ok: true; header: BatchHeader }
  | { ok: false; problem: BatchProblem; error: ProtocolError };

/**
 * Checks a batch on the produce path without decoding its records: it must fill exactly
 * buf[at..end), have magic 2, a valid CRC and codec, 1..batchRecordsMax records, and
 * lastOffsetDelta = recordCount - 1 (a producer's batch has no gaps).
 */
export function validateRecordBatch(buf: Buffer, at = 0, end = buf.length): BatchValidation {
  const checked = checkStructure(buf, at, end, true);
  if (!checked.ok) return checked;
  const { header } = checked;
  const totalBytes = header.batchLength + BATCH_LOG_OVERHEAD_BYTES;
  if (totalBytes !== end - at) {
    return refuse(
      at,
      'batch_length',
      `batchLength ${header.batchLength} leaves ${end - at - totalBytes} bytes after the batch`,
    );
  }
  if (header.recordCount < 1)
    return refuse(at, 'record_count', `recordCount ${header.recordCount} is below 1`);
  if (header.lastOffsetDelta !== header.recordCount - 1) {
    return refuse(
      at,
      'last_offset_delta',
      `lastOffsetDelta ${header.lastOffsetDelta} does not match recordCount ${header.recordCount} (expected ${header.recordCount - 1})`,
    );
  }
  return checked;
}

function checkStructure(buf: Buffer, at: number, end: number, verifyCrc: boolean): BatchValidation {
  if (at < 0 || end > buf.length || end - at < BATCH_HEADER_BYTES) {
    return refuse(
      at,
      'truncated',
      `${Math.max(0, end - at)} bytes at byte ${at} cannot hold the ${BATCH_HEADER_BYTES}-byte header`,
    );
  }
  const header = readBatchHeader(buf.subarray(0, end), at);
  if (header.magic !== RECORD_BATCH_MAGIC) {
    return refuse(at, 'magic', `magic ${header.magic} is not ${RECORD_BATCH_MAGIC}`);
  }
  if (header.batchLength < BATCH_LENGTH_MIN || header.batchLength > end - at - BATCH_LOG_OVERHEAD_BYTES) {
    return refuse(
      at,
      'batch_length',
      `batchLength ${header.batchLength} is outside ${BATCH_LENGTH_MIN}..${end - at - BATCH_LOG_OVERHEAD_BYTES}`,
    );
  }
  const compression = header.attributes & batchAttributes.compressionMask;
  if (!isCompressionType(compression)) {
    return {
      ok: false,
      problem: 'compression',
      error: new ProtocolError(
        'unsupported_compression',
        `Invalid record batch at byte ${at}: unsupported compression type ${compression}`,
      ),
    };
  }
  const totalBytes = header.batchLength + BATCH_LOG_OVERHEAD_BYTES;
  const recordsBytes = totalBytes - BATCH_HEADER_BYTES;
  // Uncompressed records take at least RECORD_BYTES_MIN each; compressed ones are bounded later.
  const countMax =
    compression === 0 ? Math.floor(recordsBytes / RECORD_BYTES_MIN) : recordLimits.batchRecordsMax;
  if (header.recordCount < 0 || header.recordCount > Math.min(countMax, recordLimits.batchRecordsMax)) {
    return refuse(
      at,
      'record_count',
      `recordCount ${header.recordCount} is outside 0..${Math.min(countMax, recordLimits.batchRecordsMax)}`,
    );
  }
  if (verifyCrc) {
    const crc = computeBatchCrc(buf, at, totalBytes);
    if (crc !== header.crc) {
      return refuse(
        at,
        'crc',
        `CRC 0x${header.crc.toString(16)} does not match the computed 0x${crc.toString(16)}`,
      );
    }
  }
  return { ok: true, header };
}

function refuse(at: number, problem: BatchProblem, detail: string): BatchValidation {
  return {
    ok: false,
    problem,
    error: new ProtocolError('corrupt_record_batch', `Invalid record batch at byte ${at}: ${detail}`),
  };
}
