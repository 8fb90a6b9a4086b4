// Kafka's per-segment aborted-transaction index (`.txnindex`): one 34-byte entry per transaction
// aborted by a marker in the segment (version int16 = 0, producer id, first offset, last offset =
// the marker's, last stable offset at the abort). The partition keeps the entries in memory and
// replaces a segment's file atomically when the segment rolls and at clean shutdown; after a crash the
// entries of segments past the newest producer-state snapshot are rebuilt by the recovery scan.
import { basename, dirname } from 'node:path';
import { transactionLimits } from '../limits.ts';
import type { AbortedTxn } from '../txn/producer-state.ts';
import { writeFileAtomically } from './atomic-file.ts';
import type { FileSystem } from './fs/file-system.ts';

export const TXN_INDEX_SUFFIX = '.txnindex';
const ENTRY_BYTES = 34;
const ENTRY_VERSION = 0;

export function encodeTxnIndex(entries: readonly AbortedTxn[]): Buffer {
  const buf = Buffer.alloc(entries.length * ENTRY_BYTES);
  entries.forEach((e, i) => {
    const at = i * ENTRY_BYTES;
    buf.writeInt16BE(ENTRY_VERSION, at);
    buf.writeBigInt64BE(e.producerId, at + 2);
    buf.writeBigInt64BE(BigInt(e.firstOffset), at + 10);
    buf.writeBigInt64BE(BigInt(e.lastOffset), at + 18);
    buf.writeBigInt64BE(BigInt(e.lastStableOffset), at + 26);
  });
  return buf;
}

/** Decodes a .txnindex file; a torn last entry (never fsynced whole) is dropped. */
export function decodeTxnIndex(buf: Buffer, file: string): AbortedTxn[] {
  const count = Math.floor(buf.length / ENTRY_BYTES);
  if (count > transactionLimits.abortedTransactionsPerSegmentMax) {
    throw new RangeError(
      `Cannot read ${file}: ${count} aborted transactions, more than ${transactionLimits.abortedTransactionsPerSegmentMax}`,
    );
  }
  const entries: AbortedTxn[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * ENTRY_BYTES;
    const version = buf.readInt16BE(at);
    if (version !== ENTRY_VERSION)
      throw new RangeError(`Cannot read ${file}: entry ${i} has version ${version}`);
    entries.push({
      producerId: buf.readBigInt64BE(at + 2),
      firstOffset: Number(buf.readBigInt64BE(at + 10)),
      lastOffset: Number(buf.readBigInt64BE(at + 18)),
      lastStableOffset: Number(buf.readBigInt64BE(at + 26)),
    });
  }
  return entries;
}

/**
 * Replaces (or, when empty, removes) a segment's index durably. Never rewritten in place: a torn
 * rewrite would silently lose entries of a segment recovery trusts, and read_committed readers
 * would then see aborted data (the storage simulation found this).
 */
export async function writeTxnIndex(
  fs: FileSystem,
  path: string,
  entries: readonly AbortedTxn[],
): Promise<void> {
  const dir = dirname(path);
  if (entries.length === 0) {
    if ((await fs.stat(path)) === undefined) return;
    await fs.unlink(path);
    await fs.syncDirectory(dir);
    return;
  }
  await writeFileAtomically(fs, dir, basename(path), encodeTxnIndex(entries));
}

export async function readTxnIndex(fs: FileSystem, path: string): Promise<AbortedTxn[]> {
  if ((await fs.stat(path)) === undefined) return [];
  return decodeTxnIndex(await fs.readFile(path), path);
}
