// Record batches alone (no request framing): encode a ~1 MiB batch of 1 KiB values, validate its
// CRC, decode its records; uncompressed and gzip, each beside kafkajs's RecordBatch encoder and
// decoder on the same records (kafkajs ships no other codec). MB/s counts 10^6 bytes of the
// uncompressed batch per second for every row, so compressed and plain figures compare.
import { createRequire } from 'node:module';
import { compressionTypes } from '../src/protocol/compression/codec.ts';
import { batchOffsets } from '../src/protocol/records/batch-header.ts';
import type { LogRecord } from '../src/protocol/records/record.ts';
import {
  decodeRecordBatch,
  encodeRecordBatch,
  validateRecordBatch,
} from '../src/protocol/records/record-batch.ts';
import { type BenchRow, opsPerSecond } from './bench-row.ts';

const require = createRequire(import.meta.url);
const RECORDS = 1000;
const VALUE_BYTES = 1024;
const BASE_TIMESTAMP = 1_764_000_000_000;
const BYTES_PER_MB = 1_000_000;

interface KafkajsLong {
  fromValue(v: number): unknown;
}

function sampleRecords(): LogRecord[] {
  return Array.from({ length: RECORDS }, (_, i) => ({
    offsetDelta: i,
    timestampDelta: BigInt(i),
    key: Buffer.from(`key-${i.toString().padStart(8, '0')}`),
    value: sampleValue(i),
    headers: [{ key: 'h', value: Buffer.from('bench') }],
  }));
}

/** Pseudo-random letters from a 16-letter alphabet: about 2:1 for gzip, like typical payloads. */
function sampleValue(seed: number): Buffer {
  const value = Buffer.alloc(VALUE_BYTES);
  let state = (seed + 1) * 2654435761;
  for (let j = 0; j < VALUE_BYTES; j++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    value[j] = 0x61 + ((state >>> 16) % 16);
  }
  return value;
}

/** Measures batch codec throughput; `minMsPerFigure` trades precision for run time. */
export async function benchRecordBatches(minMsPerFigure = 500): Promise<BenchRow[]> {
  const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (
    r: unknown,
  ) => unknown;
  const { RecordBatch: kafkajsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
    RecordBatch: (input: Record<string, unknown>) => Promise<{ buffer: Buffer }>;
  };
  const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
    d: unknown,
  ) => Promise<unknown>;
  const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => unknown;
  const kafkajsCrc = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;
  const Long = require('kafkajs/src/utils/long.js') as KafkajsLong;

  const records = sampleRecords();
  const plainBatch = await encodeRecordBatch({ baseTimestamp: BigInt(BASE_TIMESTAMP), records });
  const mb = plainBatch.length / BYTES_PER_MB;
  const rows: BenchRow[] = [];
  for (const compression of [compressionTypes.none, compressionTypes.gzip]) {
    const label = compression === compressionTypes.none ? 'uncompressed' : 'gzip';
    const encodeOurs = () =>
      encodeRecordBatch({ compression, baseTimestamp: BigInt(BASE_TIMESTAMP), records });
    // kafkajs's encoder takes its own Record encoders, built per call as a producer would.
    const encodeKafkajs = async () =>
      (
        await kafkajsRecordBatch({
          compression,
          firstOffset: Long.fromValue(0),
          firstTimestamp: BASE_TIMESTAMP,
          maxTimestamp: BASE_TIMESTAMP + RECORDS - 1,
          lastOffsetDelta: RECORDS - 1,
          records: records.map((r) =>
            kafkajsRecord({
              offsetDelta: r.offsetDelta,
              timestampDelta: Number(r.timestampDelta),
              key: r.key,
              value: r.value,
              headers: { h: r.headers[0]!.value },
            }),
          ),
        })
      ).buffer;
    const ours = await encodeOurs();
    const theirs = await encodeKafkajs();

    rows.push({
      name: `encode ${label} batch (${(plainBatch.length / 1024).toFixed(0)} KiB -> ${(ours.length / 1024).toFixed(0)} KiB)`,
      unit: 'MB/s',
      value: (await opsPerSecond(encodeOurs, minMsPerFigure)) * mb,
      peer: { name: 'kafkajs', value: (await opsPerSecond(encodeKafkajs, minMsPerFigure)) * mb },
    });

    // Our decode includes the CRC check; kafkajs does not check CRCs at all.
    const decodeOurs = () => decodeRecordBatch(ours).decodeRecords();
    const decodeKafkajs = () => kafkajsDecodeBatch(new KafkajsDecoder(theirs));
    rows.push({
      name: `decode ${label} batch records`,
      unit: 'MB/s',
      value: (await opsPerSecond(decodeOurs, minMsPerFigure)) * mb,
      peer: { name: 'kafkajs', value: (await opsPerSecond(decodeKafkajs, minMsPerFigure)) * mb },
    });

    if (compression === compressionTypes.none) {
      const validateOurs = () => {
        if (!validateRecordBatch(ours).ok) throw new Error('benchmark batch does not validate');
      };
      // kafkajs never validates; its CRC-32C over the same bytes is the closest like-for-like.
      const crcKafkajs = () => kafkajsCrc(ours.subarray(batchOffsets.attributes));
      rows.push({
        name: 'validate batch (CRC-32C + header)',
        unit: 'MB/s',
        value: (await opsPerSecond(validateOurs, minMsPerFigure)) * mb,
        peer: { name: 'kafkajs crc32C', value: (await opsPerSecond(crcKafkajs, minMsPerFigure)) * mb },
      });
    }
  }
  return rows;
}
