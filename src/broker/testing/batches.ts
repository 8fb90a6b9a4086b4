// Record batches for broker tests, built with the records module.
import { encodeRecordBatch } from '../../protocol/records/record-batch.ts';

/** One uncompressed batch of `count` records with values `${prefix}-${i}`. */
export function valuesBatch(
  prefix: string,
  count: number,
  baseTimestamp = 1_700_000_000_000n,
): Promise<Buffer> {
  return encodeRecordBatch({
    baseTimestamp,
    records: Array.from({ length: count }, (_, i) => ({
      offsetDelta: i,
      timestampDelta: BigInt(i),
      key: Buffer.from(`k${i}`),
      value: Buffer.from(`${prefix}-${i}`),
      headers: [],
    })),
  });
}
