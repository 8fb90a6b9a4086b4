// The cleaner's offset map: the latest offset of every key in the dirty section of a log (from
// the cleaner checkpoint on), read in bounded slices. Records of aborted transactions and
// control batches never enter it, so an aborted write can never make a committed value look
// superseded.
import { storageLimits } from '../limits.ts';
import { controlRecordTypes } from '../protocol/records/control-record.ts';
import { decodeRecordBatch, type RecordBatch } from '../protocol/records/record-batch.ts';
import type { AbortedTxn } from '../txn/producer-state.ts';
import { CleanedTransactions, type MarkerType } from './cleaned-transactions.ts';
import { keyOf } from './compacted-batch.ts';
import type { Segment } from './segment.ts';
import { scanBatches } from './segment-scanner.ts';

export type OffsetMap = Map<string, number>;

/**
 * Latest offset of every key in `dirty` (consecutive segments, oldest first). Stops at
 * cleanerKeysMax keys; `usable` counts the segments read completely. Keys seen in a partly read
 * segment may stay in the map: their offsets are real later records, so removing what they
 * supersede is still right.
 */
export async function buildOffsetMap(
  dirty: readonly Segment[],
  aborted: readonly AbortedTxn[],
): Promise<{ latest: OffsetMap; usable: number }> {
  const latest: OffsetMap = new Map();
  const first = dirty[0]?.baseOffset ?? 0;
  // Transactions whose marker precedes the dirty section are over: they must not be reached.
  const txns = new CleanedTransactions(aborted.filter((t) => t.lastOffset >= first));
  let usable = 0;
  for (const segment of dirty) {
    let at = 0;
    let full = false;
    // Each pass reads one slice of batches and advances `at`; bounded by the segment size.
    while (at < segment.sizeBytes && !full) {
      const slice: Buffer[] = [];
      const scan = await scanBatches(
        segment.file,
        at,
        segment.sizeBytes,
        { verifyCrc: true },
        (info, bytes) => {
          slice.push(Buffer.from(bytes!));
          at = info.position + info.sizeBytes;
          return slice.length < storageLimits.backgroundSliceBatchesMax;
        },
      );
      if (scan.problem !== undefined)
        throw new Error(
          `Cannot compact ${segment.logPath}: ${scan.problem} at byte ${scan.validEndPosition}`,
        );
      if (slice.length === 0) break;
      full = await addKeys(slice, latest, txns);
    }
    if (full) break;
    usable++;
  }
  return { latest, usable };
}

/** Records the offsets of the keys in `batches`; returns true once the map is full. */
async function addKeys(
  batches: readonly Buffer[],
  latest: OffsetMap,
  txns: CleanedTransactions,
): Promise<boolean> {
  for (const bytes of batches) {
    const batch = decodeRecordBatch(bytes, 0, { verifyCrc: false });
    const h = batch.header;
    const base = Number(h.baseOffset);
    if (batch.control) {
      // Only to close the transaction; which marker it is does not matter to the map.
      txns.onMarker(h.producerId, h.recordCount === 0 ? undefined : await markerTypeOf(batch), base);
      continue;
    }
    if (txns.onDataBatch(h.producerId, batch.transactional, Number(batch.lastOffset))) continue;
    for (const record of await batch.decodeRecords()) {
      const key = keyOf(record);
      if (key === undefined) continue;
      if (!latest.has(key) && latest.size >= storageLimits.cleanerKeysMax) return true;
      latest.set(key, base + record.offsetDelta);
    }
  }
  return false;
}

/** The type of a control batch's marker; undefined once compaction emptied it, 'other' for non-transaction control records. */
export async function markerTypeOf(batch: RecordBatch): Promise<MarkerType | undefined> {
  const records = await batch.decodeRecords();
  const key = records[0]?.key;
  if (key === undefined) return undefined;
  if (key === null || key.length < 4) return 'other';
  const type = key.readInt16BE(2);
  if (type === controlRecordTypes.abort) return 'abort';
  return type === controlRecordTypes.commit ? 'commit' : 'other';
}
