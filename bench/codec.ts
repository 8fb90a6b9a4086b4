// `npm run bench -- codec`: encode and decode of a whole 1 MiB Produce request (records, batch
// and frame), next to kafkajs's encoder and decoder on the same records. Batch-level figures
// (each codec, CRC validation) are in codec-records.ts.
import { createRequire } from 'node:module';
import { decodeRequest, encodeRequest } from '../src/protocol/frame.ts';
import { ApiKey } from '../src/protocol/generated/apis.ts';
import type { ProduceRequest } from '../src/protocol/generated/produce-request.ts';
import type { LogRecord } from '../src/protocol/records/record.ts';
import {
  decodeRecordBatch,
  encodeRecordBatch,
  validateRecordBatch,
} from '../src/protocol/records/record-batch.ts';
import { type BenchRow, opsPerSecond } from './bench-row.ts';
import { benchRecordBatches } from './codec-records.ts';

const require = createRequire(import.meta.url);
const RECORDS = 1000;
const VALUE_BYTES = 1024;

interface KafkajsMessage {
  key: Buffer;
  value: Buffer;
  headers: Record<string, Buffer>;
  timestamp: number;
}

function inputs(): { records: LogRecord[]; messages: KafkajsMessage[]; baseTimestamp: number } {
  const baseTimestamp = 1_764_000_000_000;
  const records: LogRecord[] = [];
  const messages: KafkajsMessage[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const key = Buffer.from(`key-${i.toString().padStart(8, '0')}`);
    const value = Buffer.alloc(VALUE_BYTES, i % 251);
    const header = Buffer.from('bench');
    records.push({
      offsetDelta: i,
      timestampDelta: BigInt(i),
      key,
      value,
      headers: [{ key: 'h', value: header }],
    });
    messages.push({ key, value, headers: { h: header }, timestamp: baseTimestamp + i });
  }
  return { records, messages, baseTimestamp };
}

function produceRequest(batch: Buffer): ProduceRequest {
  return {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: 'bench', partitionData: [{ index: 0, records: batch }] }],
  };
}

export async function benchCodec(): Promise<BenchRow[]> {
  const { records, messages, baseTimestamp } = inputs();
  const kafkajsProduce = require('kafkajs/src/protocol/requests/produce/v7/request.js') as (
    args: unknown,
  ) => { encode(): Promise<{ buffer: Buffer }> };
  const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => unknown;
  const kafkajsBatchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
    d: unknown,
  ) => Promise<unknown>;

  const encodeSluice = async () => {
    const batch = await encodeRecordBatch({ baseTimestamp: BigInt(baseTimestamp), records });
    return encodeRequest(ApiKey.Produce, 7, 1, 'bench', produceRequest(batch)).toBuffer();
  };
  const encodeKafkajs = async () =>
    (
      await kafkajsProduce({
        acks: -1,
        timeout: 30_000,
        compression: 0,
        topicData: [{ topic: 'bench', partitions: [{ partition: 0, firstSequence: 0, messages }] }],
      }).encode()
    ).buffer;
  const frame = await encodeSluice();
  const kafkajsFrame = await encodeKafkajs();
  const batch = (decodeRequest(frame).body as ProduceRequest).topicData[0]!.partitionData[0]!
    .records as Buffer;
  const mb = frame.length / (1024 * 1024);
  const kmb = kafkajsFrame.length / (1024 * 1024);
  const batchMb = batch.length / (1024 * 1024);

  const rows: BenchRow[] = [];
  const encSluice = await opsPerSecond(encodeSluice);
  const encKafkajs = await opsPerSecond(encodeKafkajs);
  rows.push({
    name: 'encode 1 MiB produce request',
    unit: 'MB/s',
    value: encSluice * mb,
    peer: { name: 'kafkajs', value: encKafkajs * kmb },
  });

  const decodeSluice = async () => {
    const request = decodeRequest(frame).body as ProduceRequest;
    const bytes = request.topicData[0]!.partitionData[0]!.records as Buffer;
    const validation = validateRecordBatch(bytes);
    if (!validation.ok) throw new Error('bench batch invalid');
    return decodeRecordBatch(bytes, 0, { verifyCrc: false }).decodeRecords();
  };
  const decodeKafkajs = () => kafkajsBatchDecoder(new KafkajsDecoder(batch));
  const decSluice = await opsPerSecond(decodeSluice);
  const decKafkajs = await opsPerSecond(decodeKafkajs);
  rows.push({
    name: 'decode + validate + decode records',
    unit: 'MB/s',
    value: decSluice * mb,
    peer: { name: 'kafkajs', value: decKafkajs * batchMb },
  });

  rows.push(...(await benchRecordBatches()));
  return rows;
}
