// Turns one partition's Fetch records (batches laid end to end, maybe a partial batch at the
// end) into records for the application. read_committed drops records of aborted transactions
// the way the Java client does: the response lists aborted transactions by producer and first
// offset; a producer's transactional batches are skipped from that offset until its abort marker.
// Control batches (the markers) are never delivered, and records before the fetch offset (a
// batch starts earlier than asked) are dropped.
import { clientLimits } from '../limits.ts';
import type { FetchResponseAbortedTransaction } from '../protocol/generated/fetch-response.ts';
import { readEndTransactionMarker } from '../protocol/records/control-record.ts';
import type { RecordHeader } from '../protocol/records/record.ts';
import { decodeRecordBatch } from '../protocol/records/record-batch.ts';
import { splitBatches } from '../protocol/records/split-batches.ts';
import type { IsolationLevel } from './list-offsets.ts';

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface DecodedPartition {
  records: ConsumedRecord[];
  /** Where the next fetch starts: after the last complete batch (control and skipped ones too). */
  nextOffset: bigint;
  bytes: number;
}

export async function decodeFetchedRecords(
  topic: string,
  partition: number,
  data: Buffer,
  fetchOffset: bigint,
  isolation: IsolationLevel,
  abortedTransactions: readonly FetchResponseAbortedTransaction[] | null,
): Promise<DecodedPartition> {
  const { batches } = splitBatches(data);
  const records: ConsumedRecord[] = [];
  let nextOffset = fetchOffset;
  const pendingAborts = [...(abortedTransactions ?? [])].sort((a, b) =>
    a.firstOffset < b.firstOffset ? -1 : 1,
  );
  const abortedProducers = new Set<bigint>();
  let bytes = 0;
  for (const bytesOfBatch of batches) {
    const batch = decodeRecordBatch(bytesOfBatch);
    const { header } = batch;
    if (batch.lastOffset < fetchOffset) continue;
    nextOffset = batch.lastOffset + 1n;
    if (isolation === 'read_committed') {
      // Transactions that began at or before this batch's end are now open aborted ones.
      while (pendingAborts.length > 0 && pendingAborts[0]!.firstOffset <= batch.lastOffset) {
        abortedProducers.add(pendingAborts.shift()!.producerId);
      }
    }
    if (batch.control) {
      if (isolation === 'read_committed' && abortedProducers.has(header.producerId)) {
        const [marker] = await batch.decodeRecords();
        if (marker !== undefined && readEndTransactionMarker(marker).type === 'abort')
          abortedProducers.delete(header.producerId);
      }
      continue;
    }
    if (isolation === 'read_committed' && batch.transactional && abortedProducers.has(header.producerId))
      continue;
    const decoded = await batch.decodeRecords();
    const logAppend = batch.timestampType === 'logAppendTime';
    for (const r of decoded) {
      const offset = header.baseOffset + BigInt(r.offsetDelta);
      if (offset < fetchOffset) continue;
      records.push({
        topic,
        partition,
        offset,
        timestamp: logAppend ? header.maxTimestamp : header.baseTimestamp + r.timestampDelta,
        key: r.key,
        value: r.value,
        headers: r.headers,
      });
    }
    bytes += bytesOfBatch.length;
  }
  return { records, nextOffset, bytes };
}

/** Splits records into deliveries of at most consumerDeliveredRecordsMax each. */
export function chunkRecords(records: readonly ConsumedRecord[]): ConsumedRecord[][] {
  const size = clientLimits.consumerDeliveredRecordsMax;
  const chunks: ConsumedRecord[][] = [];
  for (let i = 0; i < records.length; i += size) chunks.push(records.slice(i, i + size));
  return chunks;
}
