// ListOffsets by time, at record level (Kafka's LogSegment.findOffsetByTimestamp and KIP-734's
// MAX_TIMESTAMP): the indexes narrow the search to a byte position, batch headers are walked from
// there, and only a candidate batch (one whose max timestamp qualifies) has its records decoded.
// The work per lookup is one index interval of headers plus the candidate batches.

import { storageLimits } from '../limits.ts';
import { batchAttributes, batchOffsets } from '../protocol/records/batch-header.ts';
import { decodeRecordBatch } from '../protocol/records/record-batch.ts';
import type { BatchInfo } from './batch-validation.ts';
import type { Segment } from './segment.ts';
import { scanBatches } from './segment-scanner.ts';

export interface RecordTimestamp {
  offset: number;
  timestampMs: number;
}

/** A batch on disk that does not decode where its header said it would: corruption (or a moved index). */
export interface SearchProblem {
  problem: string;
  position: number;
}

export type SearchResult = { found: RecordTimestamp | undefined } | SearchProblem;

/** Which record of a candidate batch answers the lookup. */
type RecordTest = (timestampMs: number, offset: number) => boolean;

/**
 * The first record at or after byte `from` of `segment` whose timestamp is >= `targetMs` and whose
 * offset is >= `minOffset`. Batches whose max timestamp is below the target are passed by header.
 */
export function firstRecordAtOrAfter(
  segment: Segment,
  from: number,
  targetMs: number,
  minOffset: number,
): Promise<SearchResult> {
  return searchFrom(
    segment,
    from,
    (b) => b.maxTimestampMs >= targetMs && b.baseOffset + b.lastOffsetDelta >= minOffset,
    (ts, offset) => ts >= targetMs && offset >= minOffset,
  );
}

/**
 * The first record carrying the segment's largest timestamp `maxMs`, from byte `from`: the first
 * batch whose max timestamp equals it, then the first of its records with that timestamp.
 */
export function firstRecordWithTimestamp(
  segment: Segment,
  from: number,
  maxMs: number,
): Promise<SearchResult> {
  return searchFrom(
    segment,
    from,
    (b) => b.maxTimestampMs === maxMs,
    (ts) => ts === maxMs,
  );
}

async function searchFrom(
  segment: Segment,
  from: number,
  isCandidate: (b: BatchInfo) => boolean,
  isAnswer: RecordTest,
): Promise<SearchResult> {
  let at = from;
  const end = segment.sizeBytes;
  // Each pass decodes one candidate batch and moves past it; bounded by the segment's size.
  while (at < end) {
    let candidate: BatchInfo | undefined;
    const scan = await scanBatches(
      segment.file,
      at,
      end,
      { verifyCrc: false, chunkBytes: storageLimits.headerWalkChunkBytes },
      (b) => {
        if (!isCandidate(b)) return true;
        candidate = b;
        return false;
      },
    );
    if (candidate === undefined) {
      if (scan.problem !== undefined) return { problem: scan.problem, position: scan.validEndPosition };
      return { found: undefined };
    }
    const bytes = await segment.read(candidate.position, candidate.sizeBytes);
    const found = await answerIn(bytes, isAnswer);
    if ('problem' in found) return { problem: found.problem, position: candidate.position };
    if (found.found !== undefined) return found;
    at = candidate.position + candidate.sizeBytes;
  }
  return { found: undefined };
}

/** Decodes one stored batch (CRC checked) and returns its first record passing `isAnswer`. */
async function answerIn(
  bytes: Buffer,
  isAnswer: RecordTest,
): Promise<{ found: RecordTimestamp | undefined } | { problem: string }> {
  try {
    const batch = decodeRecordBatch(bytes, 0, { verifyCrc: true });
    const base = Number(batch.header.baseOffset);
    const attributes = bytes.readInt16BE(batchOffsets.attributes);
    // Under LogAppendTime every record carries the batch's max timestamp, whatever its delta says.
    const appendTimeMs =
      (attributes & batchAttributes.timestampTypeLogAppend) !== 0
        ? Number(batch.header.maxTimestamp)
        : undefined;
    for (const record of await batch.decodeRecords()) {
      const timestampMs = appendTimeMs ?? Number(batch.header.baseTimestamp + record.timestampDelta);
      const offset = base + record.offsetDelta;
      if (isAnswer(timestampMs, offset)) return { found: { offset, timestampMs } };
    }
    return { found: undefined };
  } catch (error) {
    return { problem: `cannot decode batch: ${(error as Error).message}` };
  }
}
