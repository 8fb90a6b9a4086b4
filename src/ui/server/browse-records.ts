// Reads records of one partition for the message browser and the live tail: whole batches from
// storage, decoded (and decompressed, bounded by recordLimits), control batches skipped, records
// before the asked offset dropped. Reads stop at recordsMax records or bytesMax bytes read.
import { decodeRecordBatch } from '../../protocol/records/record-batch.ts';
import type { PartitionLog } from '../../storage/partition-log.ts';
import { type FieldView, fieldView } from './record-view.ts';

export interface BrowsedRecord {
  readonly offset: number;
  readonly timestampMs: number;
  readonly key: FieldView;
  readonly value: FieldView;
  readonly headers: readonly { key: string; value: FieldView }[];
}

export interface BrowsedPage {
  readonly records: readonly BrowsedRecord[];
  /** Where the next page starts. */
  readonly nextOffset: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
}

export async function readRecords(
  log: PartitionLog,
  fromOffset: number,
  recordsMax: number,
  bytesMax: number,
): Promise<BrowsedPage> {
  const records: BrowsedRecord[] = [];
  let offset = Math.max(fromOffset, log.logStartOffset);
  let bytesRead = 0;
  // Bounded: each round reads at least one batch and advances past it, or stops.
  while (records.length < recordsMax && bytesRead < bytesMax && offset < log.logEndOffset) {
    const read = await log.read(offset, bytesMax - bytesRead);
    if (read.batches.length === 0) break;
    for (const bytes of read.batches) {
      bytesRead += bytes.length;
      const batch = decodeRecordBatch(bytes, 0, { verifyCrc: false });
      const next = Number(batch.lastOffset) + 1;
      if (!batch.control) {
        const base = Number(batch.header.baseOffset);
        const appendTime = batch.timestampType === 'logAppendTime';
        for (const r of await batch.decodeRecords()) {
          const recordOffset = base + r.offsetDelta;
          if (recordOffset < offset || records.length >= recordsMax) continue;
          records.push({
            offset: recordOffset,
            timestampMs: Number(
              appendTime ? batch.header.maxTimestamp : batch.header.baseTimestamp + r.timestampDelta,
            ),
            key: fieldView(r.key),
            value: fieldView(r.value),
            headers: r.headers.map((h) => ({ key: h.key, value: fieldView(h.value) })),
          });
        }
      }
      if (records.length >= recordsMax) {
        offset = (records.at(-1)?.offset ?? offset) + 1;
        break;
      }
      offset = Math.max(offset, next);
    }
  }
  return { records, nextOffset: offset, logStartOffset: log.logStartOffset, logEndOffset: log.logEndOffset };
}
