// Reads what producer state needs of a stored or incoming batch from its header, and the marker
// of a control batch, synchronously: the partition's append queue checks and applies producer
// state between assigning offsets and writing, with no await in between.

import { Reader } from '../protocol/reader.ts';
import { batchAttributes, batchOffsets, readBatchHeader } from '../protocol/records/batch-header.ts';
import { readEndTransactionMarker } from '../protocol/records/control-record.ts';
import { decodeRecord } from '../protocol/records/record.ts';
import type { ProducerBatch } from './producer-state.ts';

/** The producer identity of the batch at `at` (whole batch of `sizeBytes` in `buf`). */
export function producerBatchAt(buf: Buffer, at: number, sizeBytes: number): ProducerBatch {
  const h = readBatchHeader(buf, at);
  const batch: ProducerBatch = {
    producerId: h.producerId,
    epoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    lastOffsetDelta: h.lastOffsetDelta,
    maxTimestampMs: Number(h.maxTimestamp),
    transactional: (h.attributes & batchAttributes.transactional) !== 0,
  };
  if ((h.attributes & batchAttributes.control) === 0 || !batch.transactional) return batch;
  if ((h.attributes & batchAttributes.compressionMask) !== 0 || h.recordCount !== 1) {
    throw new Error(
      `Cannot read the control batch at byte ${at}: expected one uncompressed record, got ${h.recordCount} with attributes ${h.attributes}`,
    );
  }
  const record = decodeRecord(new Reader(buf, at + batchOffsets.records, at + sizeBytes));
  const marker = readEndTransactionMarker(record);
  batch.marker = { type: marker.type, coordinatorEpoch: marker.coordinatorEpoch };
  return batch;
}
