// Producer-state snapshots (Kafka's `<offset>.snapshot`): the partition's producer table as of an
// offset, written atomically when a segment rolls and at clean shutdown. Recovery loads the newest
// snapshot at or below the log end and replays the batches after it, so a crash costs a scan of
// the segments written since the last roll, not of the whole log. Format: CRC-32C (uint32) then
// JSON, so a damaged file is detected and an older snapshot (or a full scan) used instead.
import { crc32c } from '@node-rs/crc32';
import { transactionLimits } from '../limits.ts';
import type { ProducerEntry } from '../txn/producer-state.ts';
import { writeFileAtomically } from './atomic-file.ts';
import type { FileSystem } from './fs/file-system.ts';
import { parseSegmentFileName, segmentFileName } from './segment-files.ts';

export const SNAPSHOT_SUFFIX = '.snapshot';
const FORMAT_VERSION = 1;

interface SnapshotJson {
  version: number;
  offset: number;
  producers: {
    producerId: string;
    epoch: number;
    coordinatorEpoch: number;
    currentTxnFirstOffset: number;
    lastTimestampMs: number;
    batches: [number, number, number, number][];
  }[];
}

export function encodeProducerSnapshot(offset: number, entries: readonly ProducerEntry[]): Buffer {
  const json: SnapshotJson = {
    version: FORMAT_VERSION,
    offset,
    producers: entries.map((e) => ({
      producerId: String(e.producerId),
      epoch: e.epoch,
      coordinatorEpoch: e.coordinatorEpoch,
      currentTxnFirstOffset: e.currentTxnFirstOffset,
      lastTimestampMs: e.lastTimestampMs,
      batches: e.batches.map((b) => [b.firstSeq, b.lastSeq, b.firstOffset, b.lastOffset]),
    })),
  };
  const body = Buffer.from(JSON.stringify(json));
  const out = Buffer.alloc(4 + body.length);
  out.writeUInt32BE(crc32c(body), 0);
  body.copy(out, 4);
  return out;
}

export function decodeProducerSnapshot(
  buf: Buffer,
  file: string,
): { offset: number; entries: ProducerEntry[] } {
  if (buf.length < 4 || buf.length > transactionLimits.producerSnapshotBytesMax)
    throw new RangeError(`Cannot read producer snapshot ${file}: ${buf.length} bytes`);
  const body = buf.subarray(4);
  if (crc32c(body) !== buf.readUInt32BE(0))
    throw new RangeError(`Cannot read producer snapshot ${file}: CRC mismatch`);
  const json = JSON.parse(body.toString('utf8')) as SnapshotJson;
  if (json.version !== FORMAT_VERSION)
    throw new RangeError(`Cannot read producer snapshot ${file}: version ${json.version}`);
  return {
    offset: json.offset,
    entries: json.producers.map((p) => ({
      producerId: BigInt(p.producerId),
      epoch: p.epoch,
      coordinatorEpoch: p.coordinatorEpoch,
      currentTxnFirstOffset: p.currentTxnFirstOffset,
      lastTimestampMs: p.lastTimestampMs,
      batches: p.batches.map(([firstSeq, lastSeq, firstOffset, lastOffset]) => ({
        firstSeq,
        lastSeq,
        firstOffset,
        lastOffset,
      })),
    })),
  };
}

/** Offsets of the snapshots in a partition directory, ascending. */
export async function listProducerSnapshots(fs: FileSystem, dir: string): Promise<number[]> {
  const offsets: number[] = [];
  for (const name of await fs.readdir(dir)) {
    const offset = parseSegmentFileName(name, SNAPSHOT_SUFFIX);
    if (offset !== undefined) offsets.push(offset);
  }
  return offsets.sort((a, b) => a - b);
}

export function snapshotPath(dir: string, offset: number): string {
  return `${dir}/${segmentFileName(offset, SNAPSHOT_SUFFIX)}`;
}

export async function writeProducerSnapshot(
  fs: FileSystem,
  dir: string,
  offset: number,
  entries: readonly ProducerEntry[],
): Promise<void> {
  await writeFileAtomically(
    fs,
    dir,
    segmentFileName(offset, SNAPSHOT_SUFFIX),
    encodeProducerSnapshot(offset, entries),
  );
}
